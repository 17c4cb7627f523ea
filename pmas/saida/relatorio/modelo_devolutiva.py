"""The Devolutiva's default Word template (docxtpl): the wording of the document that tells the
next conference what became of each deliberation. :mod:`pmas.saida.devolutiva` fills it (or the
plan's uploaded one); :mod:`pmas.saida.relatorio.modelo` keeps uploaded ones per plan and checks
them with :data:`AMOSTRA`. Rebuilt with the report's by ``python -m pmas.saida.relatorio.modelo``.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from pmas.analise import deliberacoes as D

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_PATH = ROOT / "data" / "relatorio" / "modelo_devolutiva.docx"
SEM_EIXO = "(sem eixo)"

PLACEHOLDERS: dict[str, str] = {
    "municipio": "nome do município",
    "edicao": "ano da conferência (a edição)",
    "ano": "ano do monitoramento em que a situação é medida",
    "regra": "como a situação de uma deliberação é calculada",
    "cobertura": "os números total, municipais, encaminhadas, com_meta, sem_meta, atendidas, "
    "em_atendimento, nao_atendidas e sem_avaliacao, e pct_com_meta e pct_atendidas (“45,3%”)",
    "situacoes": "lista (situacao, n) com as deliberações por situação no ano",
    "por_eixo": "lista por eixo da conferência: eixo, deliberacoes, com_meta, atendidas, "
    "encaminhadas",
    "deliberacoes": "lista das deliberações: numero, eixo, ambito, prioridade, texto, situacao, "
    "motivo, encaminhada, sem_meta, metas_inexistentes (texto), metas (lista com codigo, plano, "
    "acao, situacao, justificativa)",
    '|plural("deliberação", "deliberações")': "filtro: 1 → “1 deliberação”",
    "|numero": "filtro: 2804 → “2.804”",
}


# --- the default template -------------------------------------------------------------------


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    props.append(el)


def _loop_table(doc, header: tuple[str, ...], opening: str, cells: tuple[str, ...], closing: str):
    """A table whose body row repeats (docxtpl's ``{%tr … %}`` rows around it)."""
    table = doc.add_table(rows=4, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.paragraphs[0].add_run(text).bold = True
    _repeat_header(table.rows[0])
    table.rows[1].cells[0].paragraphs[0].add_run(opening)
    for cell, text in zip(table.rows[2].cells, cells):
        cell.paragraphs[0].add_run(text)
    table.rows[3].cells[0].paragraphs[0].add_run(closing)
    return table


def build_default() -> bytes:
    """The default Devolutiva template, as .docx bytes."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    doc.core_properties.language = "pt-BR"

    def para(text: str = ""):
        p = doc.add_paragraph()
        if text:
            p.add_run(text)
        return p

    doc.add_heading("Devolutiva das deliberações da Conferência de {{ edicao }}", level=0)
    para(
        "{{ municipio }} — o que foi feito com cada deliberação aprovada na Conferência Municipal "
        "de Assistência Social de {{ edicao }}, segundo o monitoramento do Plano Municipal de "
        "Assistência Social (PMAS) em {{ ano }}."
    )
    doc.add_heading("Como a situação é calculada", level=1)
    para("{{ regra }}")

    doc.add_heading("Resumo", level=1)
    para(
        "Das {{ cobertura.total|numero }} deliberações, {{ cobertura.municipais|numero }} são de "
        "âmbito municipal e {{ cobertura.encaminhadas|numero }} foram encaminhadas às esferas "
        "estadual ou nacional. Das municipais, {{ cobertura.com_meta|numero }} "
        "({{ cobertura.pct_com_meta }}) têm meta no PMAS e {{ cobertura.atendidas|numero }} "
        "({{ cobertura.pct_atendidas }}) estão atendidas em {{ ano }}."
    )
    t = _loop_table(
        doc,
        ("Situação em {{ ano }}", "Deliberações"),
        "{%tr for s in situacoes %}",
        ("{{ s.situacao }}", "{{ s.n|numero }}"),
        "{%tr endfor %}",
    )
    total = t.add_row().cells
    total[0].paragraphs[0].add_run("Total").bold = True
    total[1].paragraphs[0].add_run("{{ cobertura.total|numero }}").bold = True

    doc.add_heading("Por eixo da conferência", level=1)
    _loop_table(
        doc,
        ("Eixo da conferência", "Deliberações", "Com meta no PMAS", "Atendidas", "Encaminhadas"),
        "{%tr for e in por_eixo %}",
        (
            "{{ e.eixo }}",
            "{{ e.deliberacoes|numero }}",
            "{{ e.com_meta|numero }}",
            "{{ e.atendidas|numero }}",
            "{{ e.encaminhadas|numero }}",
        ),
        "{%tr endfor %}",
    )

    doc.add_heading("As deliberações, uma a uma", level=1)
    para("{%p for d in deliberacoes %}")
    doc.add_heading("Deliberação nº {{ d.numero }}", level=2)
    p = para()
    p.add_run(
        "{{ d.eixo }} · âmbito {{ d.ambito|lower }}"
        "{% if d.prioridade %} · prioridade {{ d.prioridade }}{% endif %}"
    ).italic = True
    para("{{ d.texto }}")
    p = para()
    p.add_run("Situação em {{ ano }}: {{ d.situacao }}").bold = True
    p.add_run(" — {{ d.motivo }}")
    para("{%p if not d.encaminhada %}")
    para("{%p if d.metas_inexistentes %}")
    para(
        "Código(s) citado(s) que não existe(m) em nenhum plano do município: "
        "{{ d.metas_inexistentes }}."
    )
    para("{%p endif %}")
    para("{%p if d.metas %}")
    _loop_table(
        doc,
        ("Meta", "Plano", "Ação", "Situação", "Justificativa"),
        "{%tr for g in d.metas %}",
        (
            "{{ g.codigo }}",
            "{{ g.plano }}",
            "{{ g.acao }}",
            "{{ g.situacao }}",
            "{{ g.justificativa }}",
        ),
        "{%tr endfor %}",
    )
    para("{%p elif d.sem_meta %}")
    para("Nenhuma meta do PMAS responde a esta deliberação.")
    para("{%p endif %}")
    para("{%p endif %}")
    para("{%p endfor %}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def default_bytes() -> bytes:
    """The shipped default template (built on the fly if the file is missing)."""
    try:
        return DEFAULT_PATH.read_bytes()
    except OSError:
        return build_default()


# What a Devolutiva template is filled with when it is checked before being kept.
AMOSTRA: dict = {
    "municipio": "Município",
    "edicao": 2025,
    "ano": 2026,
    "regra": "",
    "cobertura": {
        "total": 3,
        "municipais": 2,
        "encaminhadas": 1,
        "com_meta": 1,
        "sem_meta": 1,
        "atendidas": 1,
        "em_atendimento": 0,
        "nao_atendidas": 0,
        "sem_avaliacao": 0,
        "pct_com_meta": "50,0%",
        "pct_atendidas": "50,0%",
    },
    "situacoes": [{"situacao": D.ATENDIDA, "n": 1}],
    "por_eixo": [
        {"eixo": SEM_EIXO, "deliberacoes": 3, "com_meta": 1, "atendidas": 1, "encaminhadas": 1}
    ],
    "deliberacoes": [
        {
            "numero": "1",
            "eixo": SEM_EIXO,
            "ambito": "Municipal",
            "prioridade": "",
            "texto": "",
            "situacao": D.ATENDIDA,
            "motivo": "",
            "encaminhada": False,
            "sem_meta": False,
            "metas_inexistentes": "",
            "metas": [
                {"codigo": "1.1", "plano": "", "acao": "", "situacao": "", "justificativa": ""}
            ],
        }
    ],
}
