"""Panorama estadual: every stored municipality ranked by índice de cumprimento (shown when the
database holds more than one municipality, e.g. a state secretariat's)."""

import streamlit as st

from pmas import fmt, textos
from pmas.saida import charts, resumos
from pmas.ui import components, page, state

ctx = page.start("Panorama estadual", needs_goals=False)
if ctx is None or len(ctx.municipios) < 2 or ctx.filtros.ano is None:
    components.empty_state(textos.UI["panorama_vazio"])
    st.stop()

ano = ctx.filtros.ano
tabela = state.ranking(ctx.store, ano, tuple(e.numero for e in ctx.plano.eixos))
if tabela.empty:
    st.info(textos.UI["panorama_sem_ano"].format(ano=ano))
    st.stop()

st.caption(textos.UI["panorama_legenda"].format(ano=ano, n=fmt.numero(len(tabela))))
c1, c2, c3 = st.columns(3)
c1.metric("Municípios", fmt.numero(len(tabela)), border=True)
c2.metric(
    "Índice de cumprimento (mediana)", fmt.pct(tabela["indice_cumprimento"].median()), border=True
)
c3.metric("Metas avaliadas", fmt.numero(int(tabela["metas"].sum())), border=True)

left, right = st.columns(2)
with left:
    st.subheader("Distribuição do índice de cumprimento")
    components.plot(
        state.shared(charts.histogram)(tabela["indice_cumprimento"], title="Índice de cumprimento"),
        key="panorama_hist",
        resumo=resumos.distribution(
            tabela["indice_cumprimento"], medida=textos.FIGURAS["indice_cumprimento"]
        ),
    )
with right:
    st.subheader("Índice por eixo nos municípios")
    eixos = {f"indice_eixo_{e.numero}": e.rotulo_curto for e in ctx.plano.eixos}
    components.plot(
        state.shared(charts.boxes)(tabela, eixos, title="Índice de cumprimento"),
        key="panorama_eixos",
        resumo=resumos.distribution(
            tabela["indice_cumprimento"], medida=textos.FIGURAS["indice_cumprimento"]
        ),
    )

st.subheader("Classificação dos municípios")
labels = {
    "posicao": "Posição",
    "municipio": "Município",
    **textos.FIGURAS,
    **{f"indice_eixo_{e.numero}": f"Índice — eixo {e.numero}" for e in ctx.plano.eixos},
}
percent = tuple(k for k in labels if k.startswith(("pct_", "indice_")))
st.dataframe(components.formatted(tabela, labels, percent=percent), hide_index=True)
components.downloads(
    tabela,
    labels,
    plano=None,
    filtros=None,
    nome=f"panorama_estadual_{ano}",
    key="dl_panorama",
    extra_filters=[("Ano", str(ano))],
)
