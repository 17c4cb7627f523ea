"""Visão geral: KPIs, completion per eixo, the conference card and the goals that need attention."""

import streamlit as st

from pmas import fmt, textos
from pmas.analise import metrics
from pmas.dados import aprovacao
from pmas.dados.schema import NAO_INICIADA, NAO_REALIZADA
from pmas.saida import charts, resumos
from pmas.ui import components, deliberacoes, nav, page, sidebar, state
from pmas.ui import tabela as tabela_html

T = textos.VISAO_GERAL
ATENCAO_MAX = 100  # rows of the attention table on screen (the downloads hold them all)
C = textos.COLUNAS_METAS

ctx = page.start(nav.title("pages/visao-geral.py"))

f = ctx.filtros
relatorio = aprovacao.estados(ctx.store, ctx.plano_id).get(ctx.ano, aprovacao.RASCUNHO)
st.caption(
    T["cabecalho"].format(
        plano_e_ano=components.plano_e_ano(ctx.plano, f.ano),
        relatorio=textos.APROVACAO_ESTADOS[relatorio],
    )
)
metas = ctx.metas
if metas.empty:
    st.warning(textos.UI["vazio_filtro"])
    st.stop()

prev_year, prev = ctx.previous_figures()
components.kpi_cards(metrics.figures(metas), prev, previous_year=prev_year)

# Cached across sessions: a new session does not compute the frame or build the figures again.
by_eixo = state.memo(metrics.completion_by_eixo)(metas, ctx.plano)
by_eixo = by_eixo[by_eixo["metas"] > 0]

st.header(T["por_eixo"])
st.caption(textos.GRAFICOS["legenda_situacao"] + " " + T["clique"])
clicked = components.light_plot(
    state.shared(charts.completion_bars)(
        by_eixo, "rotulo_curto", key="numero", full_label="rotulo"
    ),
    key="visao_barras",
    resumo=resumos.completion(by_eixo, "rotulo"),
    titulo=T["por_eixo"],
    clickable=True,
)
numero = clicked[0] if isinstance(clicked, list) and clicked else clicked
# only an eixo on the chart opens (the value comes from the browser)
if numero is not None and numero in by_eixo["numero"].tolist():
    sidebar.choose_eixo(int(numero))
    nav.go("pages/eixos.py")

st.header(T["indice"])
components.light_plot(
    state.shared(charts.indice_bars)(by_eixo, "rotulo_curto", full_label="rotulo"),
    key="visao_indice",
    titulo=T["indice"],
    resumo=resumos.extremes(
        by_eixo["rotulo"],
        by_eixo["indice_cumprimento"],
        medida=textos.FIGURAS["indice_cumprimento"],
    ),
)
st.header(T["numeros"])
tabela = by_eixo.drop(columns=["numero", "nome", "rotulo_curto"]).rename(columns={"rotulo": "eixo"})
labels = {"eixo": C["eixo"], **textos.FIGURAS, **{s: s for s in tabela.columns if s[0].isupper()}}
# on screen the eixos' short names (the downloads carry the full ones); light HTML tables, not
# st.dataframe: the data grid's JavaScript would weigh on this first screen's load
tabela_html.tabela(
    components.formatted(
        tabela.assign(eixo=by_eixo["rotulo_curto"].to_numpy()),
        labels,
        percent=("pct_realizadas", "pct_realizadas_ou_parciais", "indice_cumprimento"),
    ),
    titulo=T["numeros"],
    row_header=C["eixo"],
)
components.downloads(
    tabela,
    labels,
    plano=ctx.plano,
    filtros=f,
    nome=f"cumprimento_por_eixo_{f.ano}",
    key="dl_eixos",
)

conf = state.memo(metrics.conference_summary)(ctx.conferencias)
if conf:
    ed = conf[-1]
    with st.container(border=True):
        st.header(T["conferencia"].format(ano=ed["ano"]))
        st.markdown(
            T["conferencia_numeros"].format(
                participantes=fmt.numero(ed["participantes_pre_conferencias"]),
                pre=fmt.numero(ed["pre_conferencias"]),
                municipal=fmt.numero(ed["participantes_conferencia_municipal"]),
            )
            + (
                T["conferencia_delegados"].format(delegados=fmt.numero(ed["delegados"]))
                if ed["delegados"]
                else "."
            )
        )
        nav.link("pages/conferencias.py", T["ver_conferencias"], ":material/groups:")

deliberacoes.overview_card(ctx.store, ctx.plano.municipio, f.ano, ctx.plano.exemplo)

st.header(T["atencao"])
atencao = metas[metas["situacao"].isin([NAO_REALIZADA, NAO_INICIADA])]
if atencao.empty:
    st.success(T["sem_atencao"])
else:
    cols = {
        k: C[k]
        for k in ("codigo", "situacao", "acao", "meta", "eixo", "justificativa", "responsavel")
    }
    # A plain HTML table (no data grid on the first screen) holds a bounded number of rows.
    mostradas = atencao.head(ATENCAO_MAX)
    if len(atencao) > ATENCAO_MAX:
        st.caption(
            T["atencao_primeiras"].format(
                mostradas=fmt.numero(ATENCAO_MAX), total=fmt.numero(len(atencao))
            )
        )
    tabela_html.tabela(
        components.formatted(components.shown(mostradas), cols),
        titulo=T["atencao"],
        long=components.LONG_TEXT,
    )
    components.downloads(
        atencao, cols, plano=ctx.plano, filtros=f, nome=f"metas_atencao_{f.ano}", key="dl_atencao"
    )
