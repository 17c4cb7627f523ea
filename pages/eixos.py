"""Eixos: one eixo's KPIs, completion by diretriz, its goals and the detail of a chosen goal."""

import streamlit as st

from pmas import textos
from pmas.analise import consulta, metrics
from pmas.saida import charts, resumos
from pmas.ui import components, page, sidebar, state

ctx = page.start("Eixos")

f = ctx.filtros
if f.eixo is None:
    st.info("Escolha um eixo na barra lateral ou abaixo.", icon=":material/account_tree:")
    for e in ctx.plano.eixos:
        if st.button(e.rotulo, key=f"eixo_{e.numero}"):
            sidebar.choose_eixo(e.numero)
            st.rerun()
    st.stop()

eixo = ctx.plano.eixo(f.eixo)
st.header(eixo.rotulo)
st.caption(f"{ctx.plano.municipio} · {ctx.plano.nome} · ano de referência {f.ano}")
metas = metrics.with_execution(ctx.metas)
if metas.empty:
    st.warning(textos.UI["vazio_filtro"])
    st.stop()

prev_year, prev = ctx.previous_figures()
components.kpi_cards(metrics.figures(metas), prev, previous_year=prev_year)

st.subheader("Situação das metas por diretriz")
por_diretriz = metrics.completion_by(
    metas.assign(diretriz=metas["diretriz"].fillna("(sem diretriz)")), "diretriz"
)
components.plot(
    state.shared(charts.completion_bars)(por_diretriz, "diretriz"),
    key="eixo_diretriz",
    resumo=resumos.completion(por_diretriz, "diretriz", grupos="diretrizes"),
)

st.subheader("Metas do eixo")
st.caption("Selecione uma linha para ver o detalhe da meta.")
cols = {  # the key columns first, the long texts after them
    "codigo": "Código",
    "situacao": "Situação",
    "previsto": "Previsto",
    "realizado": "Realizado",
    "execucao_pct": "Execução (%)",
    "acao": "Ação",
    "meta": "Meta",
    "diretriz": "Diretriz",
}
goals = metas.reset_index(drop=True)
shown = components.shown(goals)
table = components.formatted(shown, cols, percent=("execucao_pct",))
event = components.table(
    components.status_style(table),
    on_select="rerun",
    selection_mode="single-row",
    key="eixo_metas",
)
components.downloads(
    goals, cols, plano=ctx.plano, filtros=f, nome=f"metas_eixo_{eixo.numero}_{f.ano}", key="dl_eixo"
)

rows = event.selection.rows if event is not None else []
if rows:
    goal = shown.iloc[rows[0]]
    with st.container(border=True):
        st.markdown(
            f"#### {components.escape_md(goal['codigo'] or '')} "
            f"{components.escape_md(goal['acao'] or goal['meta'] or '')}"
        )
        st.dataframe(consulta.goal_detail(goal), hide_index=True)
        st.markdown("**Situação em cada ano**")
        history = consulta.goal_history(ctx.metas_todas, goal)
        hist_cols = {
            "ano": "Ano",
            "situacao": "Situação",
            "previsto": "Previsto",
            "realizado": "Realizado",
            "justificativa": "Justificativa",
        }
        st.dataframe(
            components.status_style(components.formatted(history, hist_cols)), hide_index=True
        )
