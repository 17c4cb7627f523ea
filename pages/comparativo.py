"""Comparativo anual: completion per eixo over the stored years, the goals' status between two
chosen years (transitions, regressions, stalls, goals without a match) and numeric goals and
indicators against their targets, with their pace."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from pmas import charts, comparacao as cmp, fmt, textos
from pmas import filtros as flt
from pmas.schema import STATUS_ORDER
from pmas.ui import components, page, state

ctx = page.start("Comparativo anual")

anos = ctx.anos
st.caption(f"{ctx.plano.municipio} · {ctx.plano.nome} · anos com metas: "
           f"{', '.join(map(str, anos))}")
if len(anos) < 2:
    components.empty_state(
        f"A comparação precisa de pelo menos dois anos de metas, e só há {anos[0]}. Importe a "
        "planilha de outro ano na tela **Importar** (há um modelo em branco para baixar lá).")
    st.stop()

# The year and the situação of the sidebar do not apply: this screen compares every year.
f = replace(ctx.filtros, ano=None, situacoes=())
metas = flt.apply(ctx.metas_todas, f, ano=False)
outros = [f"{k}: {v}" for k, v in flt.describe(f, ctx.plano)
          if k in ("Eixo", "Território", "Responsável") and v not in ("Todos", "Todas")]
st.caption("Esta tela compara todos os anos; o ano e a situação da barra lateral não se aplicam."
           + (" Filtros aplicados: " + "; ".join(outros) + "." if outros else ""))
if metas.empty:
    st.warning(textos.UI["vazio_filtro"])
    st.stop()

# --- 1. completion per eixo over the years -----------------------------------------------------
st.header("Cumprimento por eixo, ano a ano")
figura = st.segmented_control("Medida", list(cmp.FIGURAS), default="pct_realizadas",
                              format_func=textos.FIGURAS.get, key="cmp_figura",
                              help=" ".join(f"{textos.FIGURAS[k]}: {textos.AJUDA_FIGURAS[k]}"
                                            for k in cmp.FIGURAS))
figura = figura or "pct_realizadas"
rotulo_fig = textos.FIGURAS[figura]

por_ano = state.memo(cmp.completion_by_year)(metas, ctx.plano)
com_metas = por_ano.groupby("numero")["metas"].transform("sum") > 0
por_ano = por_ano[com_metas]
if f.eixo is not None:
    por_ano = por_ano[por_ano["numero"] == f.eixo]

components.plot(charts.eixo_year_bars(por_ano, figura, y_title=rotulo_fig), key="cmp_barras")
components.plot(charts.eixo_year_lines(por_ano, figura, y_title=rotulo_fig), key="cmp_linhas")

st.subheader(f"{rotulo_fig}: valor em cada ano e variação em pontos percentuais")
variacao = cmp.pp_changes(por_ano, figura)
numeros = list(dict.fromkeys(por_ano["numero"]))
curtos = dict(zip(por_ano["numero"], por_ano["curto"]))
wide = {"Eixo": [curtos[n] for n in numeros]}
for a in anos:
    sub = por_ano[por_ano["ano"] == a]
    vals = dict(zip(sub["numero"], sub[figura]))
    wide[str(a)] = [fmt.pct(vals.get(n)) for n in numeros]
for (a, b), g in variacao.groupby(["de", "para"], sort=True):
    change = {r.numero: f"{r.tendencia} {fmt.pp(r.variacao_pp)}".strip()
              for r in g.itertuples(index=False)}
    wide[f"{a} → {b}"] = [change.get(n, fmt.VAZIO) for n in numeros]
st.dataframe(pd.DataFrame(wide), hide_index=True)
st.caption("▲ subiu · ▼ caiu · ▬ igual (variação de 0,0 p.p.). "
           "A variação é a diferença entre os percentuais dos dois anos, em pontos percentuais.")
variacao_dl = variacao.assign(periodo=[f"{a} → {b}" for a, b in zip(variacao["de"],
                                                                    variacao["para"])])
components.downloads(
    variacao_dl, {"rotulo": "Eixo", "periodo": "Período",
                  "valor_de": f"{rotulo_fig} no ano inicial",
                  "valor_para": f"{rotulo_fig} no ano final", "variacao_pp": "Variação (p.p.)",
                  "tendencia": "Tendência"},
    plano=ctx.plano, filtros=f, nome=f"variacao_por_eixo_{figura}", key="dl_cmp_variacao",
    extra_filters=[("Medida", rotulo_fig)])
with st.expander("Tabela completa por ano e eixo"):
    labels_ano = {"ano": "Ano", "rotulo": "Eixo", "metas": "Metas", "avaliaveis": "Avaliáveis",
                  **{k: textos.FIGURAS[k] for k in cmp.FIGURAS}}
    st.dataframe(components.formatted(por_ano, labels_ano, percent=cmp.FIGURAS), hide_index=True)
    components.downloads(por_ano, labels_ano, plano=ctx.plano, filtros=f,
                         nome="cumprimento_por_eixo_e_ano", key="dl_cmp_por_ano")

# --- 2. the goals between two years ------------------------------------------------------------
st.header("Situação das metas entre dois anos")
c1, c2, _ = st.columns([1, 1, 2])
de = c1.selectbox("Ano inicial", anos, index=len(anos) - 2, key="cmp_de")
para = c2.selectbox("Ano final", anos, index=len(anos) - 1, key="cmp_para")
if de == para:
    st.warning("Escolha dois anos diferentes para comparar.")
else:
    pares = state.memo(cmp.match_goals)(metas[metas["ano"] == de],
                                        metas[metas["ano"] == para])
    n = cmp.matching_counts(pares)
    regrediram = cmp.regressions(pares)
    estagnadas = cmp.stalls(pares)
    extra = [("Comparação", f"{de} → {para}")]
    k1, k2, k3, k4, k5 = st.columns(5)
    k1.metric("Metas nos dois anos", fmt.numero(n["pareadas"]), border=True,
              help="Metas encontradas nos dois anos, pelo código ou, sem código, pelo texto da "
                   "ação e da meta.")
    k2.metric("Regrediram", fmt.numero(len(regrediram)), border=True,
              help="A situação piorou: Realizada › Parcialmente realizada ou Em andamento › "
                   "Não iniciada ou Não realizada. Entrar em Cancelada ou Não se aplica não conta.")
    k3.metric("Não iniciadas nos dois anos", fmt.numero(len(estagnadas)), border=True)
    k4.metric(f"Só em {de}", fmt.numero(n["so_em_de"]), border=True)
    k5.metric(f"Só em {para}", fmt.numero(n["so_em_para"]), border=True)

    st.subheader("Matriz de transição")
    st.caption(f"Linhas: situação em {de}; colunas: situação em {para}; número de metas "
               "encontradas nos dois anos.")
    matriz = cmp.transition_matrix(pares, compact=True)
    tabela = matriz.copy()
    tabela["Total"] = tabela.sum(axis=1)
    tabela = tabela.reset_index()
    labels_m = {"situacao_a": f"Situação em {de}",
                **{s: s for s in STATUS_ORDER if s in tabela.columns}, "Total": "Total"}
    st.dataframe(components.formatted(tabela, labels_m), hide_index=True)
    components.downloads(tabela, labels_m, plano=ctx.plano, filtros=f,
                         nome=f"transicoes_{de}_{para}", key="dl_cmp_matriz", extra_filters=extra)
    st.subheader("Fluxo entre as situações")
    components.plot(charts.transition_sankey(cmp.transition_matrix(pares), de, para,
                                             so_em_de=n["so_em_de"], so_em_para=n["so_em_para"]),
                    key="cmp_sankey")

    cols_goal = {"codigo": "Código", "acao": "Ação", "situacao_a": f"Situação em {de}",
                 "situacao_b": f"Situação em {para}",
                 "justificativa_b": f"Justificativa em {para}",
                 "justificativa_a": f"Justificativa em {de}", "meta": "Meta", "eixo": "Eixo"}

    st.subheader("Metas que regrediram")
    if regrediram.empty:
        st.success(f"Nenhuma meta piorou de situação entre {de} e {para}.")
    else:
        st.dataframe(components.formatted(regrediram, cols_goal), hide_index=True)
        components.downloads(regrediram, cols_goal, plano=ctx.plano, filtros=f,
                             nome=f"metas_que_regrediram_{de}_{para}", key="dl_cmp_regr",
                             extra_filters=extra)

    st.subheader("Metas não iniciadas nos dois anos")
    if estagnadas.empty:
        st.success(f"Nenhuma meta estava não iniciada em {de} e em {para}.")
    else:
        st.dataframe(components.formatted(estagnadas, cols_goal), hide_index=True)
        components.downloads(estagnadas, cols_goal, plano=ctx.plano, filtros=f,
                             nome=f"metas_nao_iniciadas_{de}_{para}", key="dl_cmp_estag",
                             extra_filters=extra)

    st.subheader("Correspondência das metas entre os anos")
    st.caption("As metas são pareadas pelo código; sem código, pelo texto da ação e da meta "
               "(sem diferença de acentos, maiúsculas e pontuação). Quando o código mudou mas o "
               "texto é idêntico, a meta é pareada e aparece como “código alterado”.")
    diferentes = pares[~pares["correspondencia"].isin([cmp.POR_CODIGO])].copy()
    if diferentes.empty:
        st.success(f"Todas as metas de {de} e de {para} foram encontradas nos dois anos pelo "
                   "mesmo código.")
    else:
        diferentes["correspondencia"] = diferentes["correspondencia"].map({
            cmp.POR_TEXTO: "Mesma ação e meta (sem código)",
            cmp.CODIGO_ALTERADO: "Código alterado", cmp.SO_EM_A: f"Só em {de}",
            cmp.SO_EM_B: f"Só em {para}"})
        cols_corr = {"correspondencia": "Correspondência", "codigo_a": f"Código em {de}",
                     "codigo_b": f"Código em {para}", "eixo": "Eixo", "acao": "Ação",
                     "meta": "Meta", "situacao_a": f"Situação em {de}",
                     "situacao_b": f"Situação em {para}"}
        st.dataframe(components.formatted(diferentes, cols_corr), hide_index=True)
        components.downloads(diferentes, cols_corr, plano=ctx.plano, filtros=f,
                             nome=f"correspondencia_metas_{de}_{para}", key="dl_cmp_corr",
                             extra_filters=extra)

# --- 3. numeric goals and indicators ------------------------------------------------------------
st.header("Metas numéricas e indicadores")
st.caption(
    f"**Ritmo**: o valor do ano comparado com o caminho em linha reta da linha de base até a meta "
    f"do plano em {ctx.plano.ano_fim}: esperado = base + (meta − base) × parte do período já "
    "decorrida. “No ritmo” quando a diferença fica dentro de ±5 p.p. do caminho todo; “abaixo” ou "
    "“acima” fora disso. Nas metas de reduzir, ficar abaixo do esperado é estar adiantado. Sem "
    "linha de base, a base é o primeiro ano com dado (“ano base”).")
labels_r = dict(cmp.RITMO_ROTULOS)


def com_desvio(frame):
    """For display: the deviation signed and in p.p. ("+47,3 p.p.")."""
    return frame.assign(desvio_pp=[fmt.pp(v) for v in frame["desvio_pp"]])


st.subheader("Meta numérica")
numericas = state.memo(cmp.numeric_goals)(metas)
if numericas.empty:
    st.info("Nenhuma meta tem previsto e realizado com os filtros escolhidos.",
            icon=":material/info:")
else:
    nomes = {r.chave: " – ".join(str(x) for x in (r.codigo, r.acao or r.meta) if x)
             for r in numericas.itertuples(index=False)}
    chave = st.selectbox("Meta", list(nomes), format_func=lambda k: nomes[k][:120],
                         key="cmp_meta_num")
    meta_row = numericas[numericas["chave"] == chave].iloc[0]
    serie = cmp.goal_series(metas, chave, ctx.plano)
    unidade = meta_row["unidade"] or ""
    st.markdown(f"**{components.escape_md(meta_row['meta'] or meta_row['acao'])}**"
                + (f" · {components.escape_md(unidade)}" if unidade else "")
                + (f" · sentido: {components.escape_md(meta_row['sentido'])}"
                   if meta_row["sentido"] else ""))
    components.plot(charts.target_chart(serie, unidade=unidade), key="cmp_meta_chart")
    st.dataframe(components.formatted(com_desvio(serie), labels_r, percent=("execucao_pct",)),
                 hide_index=True)
    components.downloads(serie, labels_r, plano=ctx.plano, filtros=f,
                         nome=f"meta_{meta_row['codigo'] or 'sem_codigo'}_por_ano",
                         key="dl_cmp_meta", extra_filters=[("Meta", nomes[chave])])

st.subheader("Indicadores")
indicadores = cmp.indicators_of_eixo(ctx.indicadores, ctx.plano, f.eixo)
if indicadores.empty:
    components.empty_state("Não há indicadores importados" + (" deste eixo." if f.eixo else ".")
                           + " Inclua a aba “Indicadores” na planilha (veja o modelo em branco "
                             "na tela **Importar**).")
else:
    resumo = state.memo(cmp.indicators_pace)(indicadores, ctx.plano)
    if not resumo.empty:
        labels_res = {"indicador": "Indicador", "unidade": "Unidade", "ano": "Último ano",
                      "realizado": "Valor", "meta": "Meta do plano",
                      "esperado": "Esperado no ritmo do plano", "desvio_pp": "Desvio (p.p.)",
                      "ritmo": "Ritmo"}
        st.caption("Indicadores com meta: situação no último ano com dado.")
        st.dataframe(components.formatted(com_desvio(resumo), labels_res,
                                          decimals={"esperado": 1}), hide_index=True)
        components.downloads(resumo, labels_res, plano=ctx.plano, filtros=f,
                             nome="ritmo_dos_indicadores", key="dl_cmp_ind_resumo")
    nomes_ind = list(dict.fromkeys(indicadores["indicador"].dropna()))
    indicador = st.selectbox("Indicador", nomes_ind, key="cmp_indicador")
    serie_i = cmp.indicator_series(indicadores, indicador, ctx.plano)
    unidade_i = indicadores.loc[indicadores["indicador"] == indicador, "unidade"].dropna()
    unidade_i = unidade_i.iloc[-1] if len(unidade_i) else ""
    if serie_i["meta"].isna().all():
        st.caption("Este indicador não tem meta no plano: mostra-se só a série.")
    components.plot(charts.target_chart(serie_i, unidade=unidade_i, previsto=False),
                    key="cmp_ind_chart")
    labels_i = {k: v for k, v in labels_r.items() if k not in ("previsto",)}
    labels_i.update({"realizado": "Valor", "execucao_pct": "% da meta"})
    st.dataframe(components.formatted(com_desvio(serie_i), labels_i, percent=("execucao_pct",),
                                      decimals={"esperado": 1}), hide_index=True)
    components.downloads(serie_i, labels_i, plano=ctx.plano, filtros=f,
                         nome="indicador_por_ano", key="dl_cmp_ind",
                         extra_filters=[("Indicador", indicador)])
