"""The *Devolutiva*: for the next conference, what became of each deliberation of the previous one.

``build(data, template)`` takes the dict of :func:`pmas.analise.consulta.deliberacoes` (the very
contract ``python -m pmas deliberacoes --formato json`` prints, so the document and the CLI
cannot disagree) and fills a Word template (docxtpl, the same mechanism as the report's:
:mod:`pmas.saida.relatorio.modelo`): the rule, the coverage, the coverage per conference eixo,
then every deliberation with its status, why, and the goals that answer it with their situação
and justificativa. The wording is in the template, not here: the default one
(``data/relatorio/modelo_devolutiva.docx``, rebuilt by ``python -m pmas.saida.relatorio.modelo``)
is shipped with the project, and a plan can keep its own (uploaded on the Relatório screen).
:func:`gerar` uses the plan's. Headings use Word's Heading styles (a navigable outline); tables
repeat their header row on every page. No Streamlit here: the Deliberações screen and the CLI
both call it.
"""

from __future__ import annotations

import io

from pmas import fmt, textos
from pmas.analise import deliberacoes as D
from pmas.saida.relatorio import modelo, modelo_devolutiva

DEFAULT_PATH = modelo_devolutiva.DEFAULT_PATH
SEM_EIXO = modelo_devolutiva.SEM_EIXO
PLACEHOLDERS = modelo_devolutiva.PLACEHOLDERS
AMOSTRA = modelo_devolutiva.AMOSTRA
build_default = modelo_devolutiva.build_default
default_bytes = modelo_devolutiva.default_bytes


# --- filling it -----------------------------------------------------------------------------


def context(data: dict) -> dict:
    """The template's placeholders (:data:`PLACEHOLDERS`) from the CLI's JSON contract."""
    c = data["cobertura"]
    traco = "—"
    por_eixo: dict[str, list[dict]] = {}
    for d in data["deliberacoes"]:
        por_eixo.setdefault(d["eixo_conferencia"] or SEM_EIXO, []).append(d)
    return {
        "municipio": data["municipio"],
        "edicao": data["edicao"],
        "ano": data["ano"],
        "regra": data["regra"],
        "cobertura": {
            **{k: v for k, v in c.items() if not k.startswith("pct_")},
            "pct_com_meta": fmt.pct(c["pct_com_meta"]),
            "pct_atendidas": fmt.pct(c["pct_atendidas"]),
        },
        "situacoes": [
            {"situacao": s, "n": c[k]}
            for s, k in (
                (D.ATENDIDA, "atendidas"),
                (D.EM_ATENDIMENTO, "em_atendimento"),
                (D.NAO_ATENDIDA, "nao_atendidas"),
                (D.SEM_AVALIACAO, "sem_avaliacao"),
                (D.SEM_META, "sem_meta"),
                (D.ENCAMINHADA + textos.DEVOLUTIVA["encaminhadas"], "encaminhadas"),
            )
        ],
        "por_eixo": [
            {
                "eixo": eixo,
                "deliberacoes": len(items),
                "com_meta": sum(i["situacao"] not in (D.SEM_META, D.ENCAMINHADA) for i in items),
                "atendidas": sum(i["situacao"] == D.ATENDIDA for i in items),
                "encaminhadas": sum(i["situacao"] == D.ENCAMINHADA for i in items),
            }
            for eixo, items in por_eixo.items()
        ],
        "deliberacoes": [
            {
                "numero": d["numero"],
                "eixo": d["eixo_conferencia"] or SEM_EIXO,
                "ambito": d["ambito"],
                "prioridade": d["prioridade"] or "",
                "texto": d["texto"],
                "situacao": d["situacao"],
                "motivo": d["motivo"],
                "encaminhada": d["situacao"] == D.ENCAMINHADA,
                "sem_meta": d["situacao"] == D.SEM_META,
                "metas_inexistentes": ", ".join(d["metas_inexistentes"]),
                "metas": [
                    {k: g[k] or traco for k in ("codigo", "plano", "acao", "situacao")}
                    | {"justificativa": g["justificativa"] or traco}
                    for g in d["metas_no_ano"]
                ],
            }
            for d in data["deliberacoes"]
        ],
    }


def build(data: dict, template: bytes | None = None) -> bytes:
    """The Devolutiva of one edition as .docx bytes, from ``template`` (default: the shipped
    one). Raises :class:`pmas.saida.relatorio.modelo.ModeloInvalido` (Portuguese message) when
    the template cannot be filled."""
    doc = modelo.render(template or default_bytes(), context(data), secoes=())
    doc.core_properties.title = textos.DEVOLUTIVA["titulo"].format(edicao=data["edicao"])
    doc.core_properties.language = "pt-BR"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def gerar(store, data: dict) -> bytes:
    """The Devolutiva with the template of the plan in force in ``data["ano"]`` (its uploaded
    one, or the default)."""
    from pmas.analise import consulta

    try:
        plano_id, _ = consulta.plan_for(store, data["municipio"], ano=data["ano"])
    except consulta.SemDados:
        plano_id, _ = consulta.plan_for(store, data["municipio"])
    return build(data, modelo.for_plan(store, plano_id, tipo=modelo.DEVOLUTIVA))
