"""Eixos: one eixo's KPIs, completion by diretriz, its goals and the detail of a chosen goal."""

import streamlit as st

from pmas import textos
from pmas.analise import ciclos, consulta, metrics
from pmas.saida import charts, resumos
from pmas.ui import components, deliberacoes, nav, page, sidebar, state, vista

K_META = "eixo_meta"  # the goal whose detail is open

T = textos.EIXOS
C = textos.COLUNAS_METAS

ctx = page.start(nav.title("pages/eixos.py"))

f = ctx.filtros
if f.eixo is None:
    st.info(T["escolha"], icon=":material/account_tree:")
    for e in ctx.plano.eixos:
        if st.button(components.escape_md(e.rotulo), key=f"eixo_{e.numero}"):
            sidebar.choose_eixo(e.numero)
            st.rerun()
    st.stop()

eixo = ctx.plano.eixo(f.eixo)
st.header(components.escape_md(eixo.rotulo))
st.caption(components.plano_e_ano(ctx.plano, f.ano))
metas = metrics.with_execution(ctx.metas)
if metas.empty:
    st.warning(textos.UI["vazio_filtro"])
    st.stop()

prev_year, prev = ctx.previous_figures()
components.kpi_cards(metrics.figures(metas), prev, previous_year=prev_year)

st.subheader(T["por_diretriz"])
st.caption(textos.GRAFICOS["legenda_situacao"])
por_diretriz = metrics.completion_by(
    metas.assign(diretriz=metas["diretriz"].fillna(T["sem_diretriz"])), "diretriz"
)
components.plot(
    state.shared(charts.completion_bars)(por_diretriz, "diretriz"),
    key="eixo_diretriz",
    resumo=resumos.completion(por_diretriz, "diretriz", grupos="diretrizes"),
)

st.subheader(T["metas"])
st.caption(T["selecione"])
cols = {  # the key columns first, the long texts after them
    k: C[k] for k in ("codigo", "situacao", "previsto", "realizado", "execucao_pct", "acao", "meta")
} | {"diretriz": C["diretriz"]}
if "sentido" in metas and (metas["sentido"] == "Reduzir").any():  # say which goals are reductions
    cols = {**cols, "sentido": C["sentido"]}
    cols = {k: cols[k] for k in ("codigo", "situacao", "sentido", *cols) if k in cols}
goals = metas.reset_index(drop=True)
shown = components.shown(goals)
table = components.formatted(shown, cols, percent=("execucao_pct",))

# The goal whose detail is open is part of the view (kept across screens, ?meta=CÓDIGO in the URL;
# a goal without a code is named by its row, ?meta=%233). A table's selection cannot be set from
# code, so the kept choice, not the selection, decides what is shown.
ids = [
    str(c).strip() if isinstance(c, str) and str(c).strip() else f"#{i + 1}"
    for i, c in enumerate(shown["codigo"])
]
link = vista.from_link("meta")
if link is not None:
    if link and link[0] in ids:
        vista.put(K_META, link[0])
    else:
        vista.dropped("meta", link, "a meta")
    vista.show_notices()
if vista.get(K_META) not in ids:
    vista.put(K_META, None)


def _picked() -> None:
    rows = st.session_state["eixo_metas"].selection.rows
    vista.put(K_META, ids[rows[0]] if rows else None)


components.table(
    components.status_style(table),
    on_select=_picked,
    selection_mode="single-row",
    key="eixo_metas",
)
components.downloads(
    goals, cols, plano=ctx.plano, filtros=f, nome=f"metas_eixo_{eixo.numero}_{f.ano}", key="dl_eixo"
)

chosen = vista.get(K_META)
vista.to_url("meta", chosen)
if chosen is not None:
    goal = shown.iloc[ids.index(chosen)]
    with st.container(border=True):
        st.markdown(
            f"#### {components.escape_md(goal['codigo'] or '')} "
            f"{components.escape_md(goal['acao'] or goal['meta'] or '')}"
        )
        st.dataframe(consulta.goal_detail(goal), hide_index=True)
        st.markdown(T["cada_ano"])
        # followed into the plans just before and after this one, by the same código
        history, planos_h = ciclos.historico(state.metas_em_ciclos(ctx)[1], goal)
        if len(planos_h) > 1:
            st.caption(
                textos.CICLOS["historico_cruza"].format(
                    planos="; ".join(components.escape_md(p) for p in planos_h)
                )
            )
        hist_cols = {
            "ano": C["ano"],
            **({"plano": textos.CICLOS["col_plano"]} if len(planos_h) > 1 else {}),
            **{k: C[k] for k in ("situacao", "previsto", "realizado", "justificativa")},
        }
        st.dataframe(
            components.status_style(components.formatted(history, hist_cols)), hide_index=True
        )
        deliberacoes.answered(
            ctx.store, ctx.plano.municipio, goal["codigo"], f.ano, ctx.plano.exemplo
        )
        st.button(
            textos.UI["fechar_detalhe"],
            icon=":material/close:",
            on_click=vista.put,
            args=(K_META, None),
            key="eixo_fechar_detalhe",
        )
