"""Dados: the full filtered table, with downloads of exactly what is shown."""

import streamlit as st

from pmas import fmt, textos
from pmas.analise import metrics
from pmas.analise.filtros import describe
from pmas.ui import components, nav, page

ctx = page.start(nav.title("pages/dados.py"))

metas = metrics.with_execution(ctx.metas)
st.caption(
    "Filtros aplicados: "
    + "; ".join(f"{k}: {components.escape_md(v)}" for k, v in describe(ctx.filtros, ctx.plano))
)
if metas.empty:
    st.warning(textos.UI["vazio_filtro"])
    st.stop()

labels = {"ano": "Ano", **{k: v for k, v in textos.COLUNAS_METAS.items() if k != "ano"}}
labels = {
    k: v
    for k, v in labels.items()
    if k in metas.columns
    and (metas[k].notna().any() or k in ("codigo", "eixo", "acao", "meta", "situacao"))
}
st.write(f"{fmt.numero(len(metas))} metas.")
labels = components.key_first(labels, ("ano", *components.KEY_COLUMNS, "percentual"))
components.table(
    components.status_style(
        components.formatted(
            components.shown(metas),
            labels,
            percent=("execucao_pct", "percentual"),
            money=("valor_previsto", "valor_executado"),
        )
    )
)
components.downloads(
    metas,
    labels,
    plano=ctx.plano,
    filtros=ctx.filtros,
    nome=f"metas_{ctx.plano.municipio}_{ctx.filtros.ano}".replace(" ", "_"),
    key="dl_dados",
)
