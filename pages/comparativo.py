"""Comparativo anual: completion per eixo over the stored years, the goals' status between two
chosen years (transitions, regressions, stalls, goals without a match) and numeric goals and
indicators against their targets, with their pace."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from pmas import fmt, textos
from pmas.analise import ciclos, consulta
from pmas.analise import comparacao as cmp
from pmas.analise import filtros as flt
from pmas.dados.schema import STATUS_ORDER
from pmas.saida import charts, resumos
from pmas.ui import comparativo, components, page, state, vista

T = textos.COMPARATIVO
COLUNAS = textos.COLUNAS_COMPARATIVO
ctx = page.start(T["titulo"])

anos = ctx.anos
# The plan with the plans just before and after it: the years of a consecutive plan are compared
# too (goals followed by código, eixos by number), and the screen says so (pmas.analise.ciclos).
cadeia, metas_ciclos = state.metas_em_ciclos(ctx)
anos_c = consulta.goal_years(metas_ciclos)
st.caption(
    T["cabecalho"].format(
        municipio=components.escape_md(ctx.plano.municipio),
        plano=components.escape_md(ctx.plano.nome),
        anos=", ".join(map(str, anos)),
    )
)
if len(anos_c) < 2:
    components.empty_state(T["um_ano"].format(ano=anos[0]))
    st.stop()
outros_planos = [p for _, p in cadeia if p != ctx.plano and any(p.vigente_em(a) for a in anos_c)]
# downloads of figures that take years of other plans name every plan they come from
de_planos = (
    [
        (
            textos.CICLOS["planos"],
            "; ".join(p.titulo for _, p in cadeia if p == ctx.plano or p in outros_planos),
        )
    ]
    if outros_planos
    else []
)
if outros_planos:
    st.info(
        textos.CICLOS["anos_dos_planos"].format(
            n=len(outros_planos) + 1,
            planos="; ".join(
                components.escape_md(p.titulo)
                for _, p in cadeia
                if p == ctx.plano or p in outros_planos
            ),
            plano=components.escape_md(ctx.plano.titulo),
        ),
        icon=":material/swap_horiz:",
    )

# The year and the situação of the sidebar do not apply: this screen compares every year.
f = replace(ctx.filtros, ano=None, situacoes=())
metas = flt.apply(ctx.metas_todas, f, ano=False)  # this plan's (numeric goals, pace)
metas_c = flt.apply(metas_ciclos, f, ano=False)  # with the consecutive plans' years
outros = [
    T["filtro"].format(rotulo=k, valor=components.escape_md(v))
    for k, v in flt.describe(f, ctx.plano)
    if k in ("Eixo", "Território", "Responsável") and v not in ("Todos", "Todas")
]
st.caption(
    T["todos_os_anos"]
    + (" " + T["filtros_aplicados"].format(filtros="; ".join(outros)) if outros else "")
)
if metas_c.empty:
    st.warning(textos.UI["vazio_filtro"])
    st.stop()

# --- 1. completion per eixo over the years -----------------------------------------------------
st.header(T["por_eixo"])
figura = st.segmented_control(
    T["medida"],
    list(cmp.FIGURAS),
    format_func=lambda k: textos.FIGURAS[k],
    help=" ".join(f"{textos.FIGURAS[k]}: {textos.AJUDA_FIGURAS[k]}" for k in cmp.FIGURAS),
    # in the URL as ?medida=indice_cumprimento
    **vista.bind(
        "cmp_figura", "medida", list(cmp.FIGURAS), default="pct_realizadas", rotulo="a medida"
    ),
)
vista.show_notices()
figura = figura or "pct_realizadas"
vista.to_url("medida", figura)
rotulo_fig = textos.FIGURAS[figura]

por_ano = state.memo(cmp.completion_by_year)(metas_c, ctx.plano)
com_metas = por_ano.groupby("numero")["metas"].transform("sum") > 0
por_ano = por_ano[com_metas]
if f.eixo is not None:
    por_ano = por_ano[por_ano["numero"] == f.eixo]

components.plot(
    state.shared(charts.eixo_year_bars)(por_ano, figura, y_title=rotulo_fig),
    key="cmp_barras",
    resumo=resumos.by_year(por_ano, figura, medida=rotulo_fig),
)
components.plot(
    state.shared(charts.eixo_year_lines)(por_ano, figura, y_title=rotulo_fig),
    key="cmp_linhas",
    resumo=resumos.by_year(por_ano, figura, medida=rotulo_fig),
)

st.subheader(T["valor_e_variacao"].format(figura=rotulo_fig))
variacao = cmp.pp_changes(por_ano, figura)
numeros = list(dict.fromkeys(por_ano["numero"]))
curtos = dict(zip(por_ano["numero"], por_ano["curto"]))
wide = {T["eixo"]: [curtos[n] for n in numeros]}
for a in anos_c:
    sub = por_ano[por_ano["ano"] == a]
    vals = dict(zip(sub["numero"], sub[figura]))
    wide[str(a)] = [fmt.pct(vals.get(n)) for n in numeros]
for (a, b), g in variacao.groupby(["de", "para"], sort=True):
    change = {
        r.numero: f"{r.tendencia} {fmt.pp(r.variacao_pp)}".strip()
        for r in g.itertuples(index=False)
    }
    wide[T["periodo"].format(de=a, para=b)] = [change.get(n, fmt.VAZIO) for n in numeros]
st.dataframe(pd.DataFrame(wide), hide_index=True)
st.caption(T["legenda_variacao"])
variacao_dl = variacao.assign(
    periodo=[T["periodo"].format(de=a, para=b) for a, b in zip(variacao["de"], variacao["para"])]
)
components.downloads(
    variacao_dl,
    textos.preencher(COLUNAS["variacao"], figura=rotulo_fig),
    plano=ctx.plano,
    filtros=f,
    nome=f"variacao_por_eixo_{figura}",
    key="dl_cmp_variacao",
    extra_filters=[(T["medida"], rotulo_fig), *de_planos],
)
with st.expander(T["tabela_completa"]):
    labels_ano = COLUNAS["por_ano"]
    st.dataframe(components.formatted(por_ano, labels_ano, percent=cmp.FIGURAS), hide_index=True)
    components.downloads(
        por_ano,
        labels_ano,
        plano=ctx.plano,
        filtros=f,
        nome="cumprimento_por_eixo_e_ano",
        key="dl_cmp_por_ano",
        extra_filters=de_planos,
    )

# --- 2. the goals between two years ------------------------------------------------------------
st.header(T["entre_dois_anos"])
de, para = comparativo.anos_comparados(anos_c)  # bound to the URL: ?de=2022&para=2024
if de == para:
    st.warning(T["anos_iguais"])
else:
    dois_planos = ciclos.fronteira(cadeia, de, para)
    if dois_planos is not None:  # the comparison crosses the boundary between two plans
        st.warning(
            components.escape_md(ciclos.aviso_fronteira(*dois_planos, de, para)),
            icon=":material/swap_horiz:",
        )
    pares = state.memo(cmp.match_goals)(
        metas_c[metas_c["ano"] == de], metas_c[metas_c["ano"] == para]
    )
    n = cmp.matching_counts(pares)
    regrediram = cmp.regressions(pares)
    estagnadas = cmp.stalls(pares)
    extra = [(T["comparacao"], T["periodo"].format(de=de, para=para))]
    if dois_planos is not None:
        extra.append((textos.CICLOS["planos"], " → ".join(p.titulo for p in dois_planos)))
    k1, k2, k3, k4, k5 = st.columns(5)
    k1.metric(
        T["nos_dois_anos"], fmt.numero(n["pareadas"]), border=True, help=T["ajuda_nos_dois_anos"]
    )
    k2.metric(T["regrediram"], fmt.numero(len(regrediram)), border=True, help=T["ajuda_regrediram"])
    k3.metric(T["nao_iniciadas"], fmt.numero(len(estagnadas)), border=True)
    k4.metric(T["so_em"].format(ano=de), fmt.numero(n["so_em_de"]), border=True)
    k5.metric(T["so_em"].format(ano=para), fmt.numero(n["so_em_para"]), border=True)

    st.subheader(T["matriz"])
    st.caption(T["legenda_matriz"].format(de=de, para=para))
    matriz = cmp.transition_matrix(pares, compact=True)
    tabela = matriz.copy()
    tabela["total"] = tabela.sum(axis=1)
    tabela = tabela.reset_index()
    labels_m = {
        "situacao_a": T["situacao_em"].format(ano=de),
        **{s: s for s in STATUS_ORDER if s in tabela.columns},
        "total": T["total"],
    }
    st.dataframe(components.formatted(tabela, labels_m), hide_index=True)
    components.downloads(
        tabela,
        labels_m,
        plano=ctx.plano,
        filtros=f,
        nome=f"transicoes_{de}_{para}",
        key="dl_cmp_matriz",
        extra_filters=extra,
    )
    st.subheader(T["fluxo"])
    components.plot(
        state.shared(charts.transition_sankey)(
            cmp.transition_matrix(pares),
            de,
            para,
            so_em_de=n["so_em_de"],
            so_em_para=n["so_em_para"],
        ),
        key="cmp_sankey",
        resumo=resumos.transitions(cmp.transition_matrix(pares), de, para),
    )

    cols_goal = textos.preencher(COLUNAS["metas"], de=de, para=para)

    for titulo, metas_lista, nenhuma, nome, chave in (
        (
            T["metas_regrediram"],
            regrediram,
            T["nenhuma_regrediu"],
            "metas_que_regrediram",
            "dl_cmp_regr",
        ),
        (
            T["metas_nao_iniciadas"],
            estagnadas,
            T["nenhuma_nao_iniciada"],
            "metas_nao_iniciadas",
            "dl_cmp_estag",
        ),
    ):
        st.subheader(titulo)
        if metas_lista.empty:
            st.success(nenhuma.format(de=de, para=para))
        else:
            st.dataframe(components.formatted(metas_lista, cols_goal), hide_index=True)
            components.downloads(
                metas_lista,
                cols_goal,
                plano=ctx.plano,
                filtros=f,
                nome=f"{nome}_{de}_{para}",
                key=chave,
                extra_filters=extra,
            )

    st.subheader(T["correspondencia"])
    st.caption(T["legenda_correspondencia"])
    diferentes = pares[~pares["correspondencia"].isin([cmp.POR_CODIGO])].copy()
    if diferentes.empty:
        st.success(T["todas_pelo_codigo"].format(de=de, para=para))
    else:
        diferentes["correspondencia"] = diferentes["correspondencia"].map(
            {
                cmp.POR_TEXTO: T["por_texto"],
                cmp.CODIGO_ALTERADO: T["codigo_alterado"],
                cmp.SO_EM_A: T["so_em"].format(ano=de),
                cmp.SO_EM_B: T["so_em"].format(ano=para),
            }
        )
        cols_corr = textos.preencher(COLUNAS["correspondencia"], de=de, para=para)
        st.dataframe(components.formatted(diferentes, cols_corr), hide_index=True)
        components.downloads(
            diferentes,
            cols_corr,
            plano=ctx.plano,
            filtros=f,
            nome=f"correspondencia_metas_{de}_{para}",
            key="dl_cmp_corr",
            extra_filters=extra,
        )

# --- 3. numeric goals and indicators ------------------------------------------------------------
st.header(T["numericas"])
st.caption(T["legenda_ritmo"].format(ano_fim=ctx.plano.ano_fim))
labels_r = cmp.RITMO_ROTULOS


def com_desvio(frame, unidade: str | None = None):
    """For display: the difference from the expected value, signed, in the value's own units
    ("+478 famílias"; points for a percentage), read from the ``unidade`` column when the frame
    has one (several indicators) or given."""
    unidades = frame["unidade"] if "unidade" in frame else [unidade] * len(frame)
    return frame.assign(
        diferenca=[fmt.diferenca(v, u) for v, u in zip(frame["diferenca"], unidades)]
    )


st.subheader(T["meta_numerica"])
numericas = state.memo(cmp.numeric_goals)(metas)
if numericas.empty:
    st.info(T["sem_numericas"], icon=":material/info:")
else:
    nomes = {
        r.chave: " – ".join(str(x) for x in (r.codigo, r.acao or r.meta) if x)
        for r in numericas.itertuples(index=False)
    }
    chave = st.selectbox(
        T["meta"], list(nomes), format_func=lambda k: nomes[k][:120], key="cmp_meta_num"
    )
    meta_row = numericas[numericas["chave"] == chave].iloc[0]
    serie = cmp.goal_series(metas, chave, ctx.plano)
    unidade = meta_row["unidade"] or ""
    st.markdown(
        f"**{components.escape_md(meta_row['meta'] or meta_row['acao'])}**"
        + (f" · {components.escape_md(unidade)}" if unidade else "")
        + (
            " · " + T["sentido"].format(sentido=components.escape_md(meta_row["sentido"]))
            if meta_row["sentido"]
            else ""
        )
    )
    components.plot(
        state.shared(charts.target_chart)(serie, unidade=unidade),
        key="cmp_meta_chart",
        resumo=resumos.target(
            serie, nome=str(meta_row["meta"] or meta_row["acao"]), unidade=unidade
        ),
    )
    st.dataframe(
        components.formatted(com_desvio(serie, unidade), labels_r, percent=("execucao_pct",)),
        hide_index=True,
    )
    components.downloads(
        serie,
        labels_r,
        plano=ctx.plano,
        filtros=f,
        nome=f"meta_{meta_row['codigo'] or 'sem_codigo'}_por_ano",
        key="dl_cmp_meta",
        extra_filters=[(T["meta"], nomes[chave])],
    )

st.subheader(T["indicadores"])
indicadores = cmp.indicators_of_eixo(ctx.indicadores, ctx.plano, f.eixo)
if indicadores.empty:
    components.empty_state(T["sem_indicadores_eixo" if f.eixo else "sem_indicadores"])
else:
    resumo = state.memo(cmp.indicators_pace)(indicadores, ctx.plano)
    if not resumo.empty:
        labels_res = COLUNAS["indicadores"]
        st.caption(T["legenda_indicadores"])
        st.dataframe(
            components.formatted(com_desvio(resumo), labels_res, decimals={"esperado": 1}),
            hide_index=True,
        )
        components.downloads(
            resumo,
            labels_res,
            plano=ctx.plano,
            filtros=f,
            nome="ritmo_dos_indicadores",
            key="dl_cmp_ind_resumo",
        )
    nomes_ind = list(dict.fromkeys(indicadores["indicador"].dropna()))
    indicador = st.selectbox(T["indicador"], nomes_ind, key="cmp_indicador")
    serie_i = cmp.indicator_series(indicadores, indicador, ctx.plano)
    unidade_i = indicadores.loc[indicadores["indicador"] == indicador, "unidade"].dropna()
    unidade_i = unidade_i.iloc[-1] if len(unidade_i) else ""
    if serie_i["meta"].isna().all():
        st.caption(T["indicador_sem_meta"])
    components.plot(
        state.shared(charts.target_chart)(serie_i, unidade=unidade_i, previsto=False),
        key="cmp_ind_chart",
        resumo=resumos.target(serie_i, nome=str(indicador), unidade=unidade_i),
    )
    labels_i = COLUNAS["indicador"]
    st.dataframe(
        components.formatted(
            com_desvio(serie_i, unidade_i),
            labels_i,
            percent=("execucao_pct",),
            decimals={"esperado": 1},
        ),
        hide_index=True,
    )
    components.downloads(
        serie_i,
        labels_i,
        plano=ctx.plano,
        filtros=f,
        nome="indicador_por_ano",
        key="dl_cmp_ind",
        extra_filters=[(T["indicador"], indicador)],
    )
