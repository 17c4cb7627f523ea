"""The *Devolutiva*: for the next conference, what became of each deliberation of the previous one.

``build(data)`` takes the dict of :func:`pmas.analise.consulta.deliberacoes` (the very contract
``python -m pmas deliberacoes --formato json`` prints, so the document and the CLI cannot
disagree) and returns the .docx bytes: the rule, the coverage, the coverage per conference eixo,
then every deliberation with its status, why, and the goals that answer it with their situação
and justificativa. Headings use Word's Heading styles (a navigable outline); tables repeat their
header row on every page. No Streamlit here: the Deliberações screen and the CLI both call it.
"""

from __future__ import annotations

import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from pmas import fmt
from pmas.analise import deliberacoes as D

GOAL_HEADER = ("Meta", "Plano", "Ação", "Situação", "Justificativa")


def build(data: dict) -> bytes:
    """The Devolutiva of one edition as .docx bytes."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    edicao, ano, mun = data["edicao"], data["ano"], data["municipio"]
    doc.core_properties.title = f"Devolutiva das deliberações da conferência de {edicao}"
    doc.core_properties.language = "pt-BR"
    doc.add_heading(f"Devolutiva das deliberações da Conferência de {edicao}", level=0)
    doc.add_paragraph(
        f"{mun} — o que foi feito com cada deliberação aprovada na Conferência Municipal de "
        f"Assistência Social de {edicao}, segundo o monitoramento do Plano Municipal de "
        f"Assistência Social (PMAS) em {ano}."
    )

    doc.add_heading("Como a situação é calculada", level=1)
    doc.add_paragraph(data["regra"])

    c = data["cobertura"]
    doc.add_heading("Resumo", level=1)
    doc.add_paragraph(
        f"Das {fmt.numero(c['total'])} deliberações, {fmt.numero(c['municipais'])} são de "
        f"âmbito municipal e {fmt.numero(c['encaminhadas'])} foram encaminhadas às esferas "
        f"estadual ou nacional. Das municipais, {fmt.numero(c['com_meta'])} "
        f"({fmt.pct(c['pct_com_meta'])}) têm meta no PMAS e {fmt.numero(c['atendidas'])} "
        f"({fmt.pct(c['pct_atendidas'])}) estão atendidas em {ano}."
    )
    _table(
        doc,
        ("Situação em " + str(ano), "Deliberações"),
        [
            (D.ATENDIDA, fmt.numero(c["atendidas"])),
            (D.EM_ATENDIMENTO, fmt.numero(c["em_atendimento"])),
            (D.NAO_ATENDIDA, fmt.numero(c["nao_atendidas"])),
            (D.SEM_AVALIACAO, fmt.numero(c["sem_avaliacao"])),
            (D.SEM_META, fmt.numero(c["sem_meta"])),
            (D.ENCAMINHADA + " (estadual ou nacional)", fmt.numero(c["encaminhadas"])),
            ("Total", fmt.numero(c["total"])),
        ],
    )

    por_eixo: dict[str, list[dict]] = {}
    for d in data["deliberacoes"]:
        por_eixo.setdefault(d["eixo_conferencia"] or "(sem eixo)", []).append(d)
    doc.add_heading("Por eixo da conferência", level=1)
    _table(
        doc,
        ("Eixo da conferência", "Deliberações", "Com meta no PMAS", "Atendidas", "Encaminhadas"),
        [
            (
                eixo,
                fmt.numero(len(items)),
                fmt.numero(sum(i["situacao"] not in (D.SEM_META, D.ENCAMINHADA) for i in items)),
                fmt.numero(sum(i["situacao"] == D.ATENDIDA for i in items)),
                fmt.numero(sum(i["situacao"] == D.ENCAMINHADA for i in items)),
            )
            for eixo, items in por_eixo.items()
        ],
    )

    doc.add_heading("As deliberações, uma a uma", level=1)
    for d in data["deliberacoes"]:
        doc.add_heading(f"Deliberação nº {d['numero']}", level=2)
        meta = [d["eixo_conferencia"] or "(sem eixo)", f"âmbito {d['ambito'].lower()}"]
        if d["prioridade"]:
            meta.append(f"prioridade {d['prioridade']}")
        doc.add_paragraph(" · ".join(meta)).runs[0].italic = True
        doc.add_paragraph(d["texto"])
        p = doc.add_paragraph()
        p.add_run(f"Situação em {ano}: ").bold = True
        p.add_run(d["situacao"]).bold = True
        p.add_run(f" — {d['motivo']}")
        if d["situacao"] == D.ENCAMINHADA:
            continue
        if d["metas_inexistentes"]:
            doc.add_paragraph(
                "Código(s) citado(s) que não existe(m) em nenhum plano do município: "
                + ", ".join(d["metas_inexistentes"])
                + "."
            )
        if d["metas_no_ano"]:
            _table(
                doc,
                GOAL_HEADER,
                [
                    (
                        g["codigo"] or "—",
                        g["plano"] or "—",
                        g["acao"] or "—",
                        g["situacao"] or "—",
                        g["justificativa"] or "—",
                    )
                    for g in d["metas_no_ano"]
                ],
            )
        elif d["situacao"] == D.SEM_META:
            doc.add_paragraph("Nenhuma meta do PMAS responde a esta deliberação.")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _table(doc, header: tuple[str, ...], rows: list[tuple]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            cell.text = str(text)


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    props.append(el)
