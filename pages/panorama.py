"""Panorama estadual: every stored municipality ranked by índice de cumprimento (shown when the
database holds more than one municipality, e.g. a state secretariat's). Example plans and real
plans are never ranked together: the plan on screen says which of the two is shown."""

import streamlit as st

from pmas import fmt, textos
from pmas.dados.plano import eixos_em_comum
from pmas.saida import charts, resumos
from pmas.ui import components, nav, page, state

T = textos.PANORAMA

ctx = page.start(nav.title("pages/panorama.py"), needs_goals=False)
if ctx is None or ctx.filtros.ano is None:
    components.empty_state(textos.UI["panorama_vazio"])
    st.stop()

ano, exemplo = ctx.filtros.ano, ctx.plano.exemplo
# the plans ranked: those in force in the year, of the same kind (example or real) as the one on
# screen; per-eixo figures only when they all share the eixos (numbers and names)
planos = [p for _, p in ctx.store.plans() if p.exemplo == exemplo and p.vigente_em(ano)]
comuns = eixos_em_comum(planos)
eixos = comuns or ()
tabela = state.ranking(ctx.store, ano, tuple(e.numero for e in eixos), exemplo=exemplo)
if len(tabela) < 2:
    if tabela.empty and len(ctx.municipios) > 1:
        st.info(T["sem_ano"].format(ano=ano))
    else:
        components.empty_state(textos.UI["panorama_vazio"])
    st.stop()
if exemplo:
    st.info(T["so_exemplo"], icon=":material/science:")

st.caption(T["legenda"].format(ano=ano, n=fmt.numero(len(tabela))))
c1, c2, c3 = st.columns(3)
c1.metric(T["municipios"], fmt.numero(len(tabela)), border=True)
c2.metric(T["mediana"], fmt.pct(tabela["indice_cumprimento"].median()), border=True)
c3.metric(T["metas_avaliadas"], fmt.numero(int(tabela["avaliaveis"].sum())), border=True)

left, right = st.columns(2)
with left:
    st.subheader(T["distribuicao"])
    components.plot(
        state.shared(charts.histogram)(
            tabela["indice_cumprimento"], title=textos.FIGURAS["indice_cumprimento"]
        ),
        key="panorama_hist",
        resumo=resumos.distribution(
            tabela["indice_cumprimento"], medida=textos.FIGURAS["indice_cumprimento"]
        ),
    )
with right:
    st.subheader(T["por_eixo"])
    if comuns:
        colunas = {f"indice_eixo_{e.numero}": e.rotulo_curto for e in eixos}
        components.plot(
            state.shared(charts.boxes)(tabela, colunas, title=textos.FIGURAS["indice_cumprimento"]),
            key="panorama_eixos",
            resumo=resumos.medians(tabela, colunas, medida=textos.FIGURAS["indice_cumprimento"]),
        )
    else:
        st.info(T["eixos_diferentes"], icon=":material/info:")

st.subheader(T["classificacao"])
labels = {
    "posicao": T["col_posicao"],
    "municipio": T["col_municipio"],
    "avaliaveis": T["col_avaliaveis"],
    **textos.FIGURAS,
    **{f"indice_eixo_{e.numero}": T["col_indice_eixo"].format(numero=e.numero) for e in eixos},
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
    extra_filters=[
        (T["filtro_ano"], str(ano)),
        (T["filtro_dados"], T["dados_exemplo" if exemplo else "dados_reais"]),
    ],
)
