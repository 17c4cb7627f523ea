"""Conferências: the editions side by side, one edition's participants by region, public and
segment (sociedade civil × governamental), the check of Total rows, and the table of events."""

import streamlit as st

from pmas import fmt, textos
from pmas.analise import participacao as par
from pmas.saida import charts, resumos
from pmas.ui import components, page, state, vista

T = textos.CONFERENCIAS
ctx = page.start(T["titulo"], needs_goals=False)

if ctx is None or ctx.conferencias.empty:
    components.empty_state(T["sem_dados"])
    st.stop()

conf = ctx.conferencias
ORIGEM = [(T["municipio"], ctx.plano.municipio), (T["plano"], ctx.plano.nome)]
st.caption(
    T["cabecalho"].format(
        municipio=components.escape_md(ctx.plano.municipio),
        plano=components.escape_md(ctx.plano.nome),
    )
)

# --- the editions side by side ------------------------------------------------------------------
edicoes = state.memo(par.editions)(conf)
st.header(T["edicoes"])
longo = par.editions_long(edicoes)
components.plot(
    state.shared(charts.edition_bars)(longo), key="conf_edicoes", resumo=resumos.editions(longo)
)
st.dataframe(components.formatted(edicoes, par.EDICAO_ROTULOS), hide_index=True)
components.downloads(
    edicoes,
    par.EDICAO_ROTULOS,
    plano=ctx.plano,
    filtros=None,
    nome="conferencias_edicoes",
    key="dl_conf_edicoes",
    extra_filters=ORIGEM,
)

# --- one edition ---------------------------------------------------------------------------------
anos = [int(a) for a in edicoes["ano"]]
st.header(T["uma_edicao"])
ano = st.selectbox(
    T["edicao"],
    anos,
    # in the URL as ?edicao=2023
    **vista.bind("conf_edicao", "edicao", anos, default=anos[-1], parse=int, rotulo=T["a_edicao"]),
)
vista.show_notices()
vista.to_url("edicao", ano)
ed = state.memo(par.edition)(conf, ano)
figuras = [k for k in par.EDICAO_ROTULOS if k != "ano"]  # the edition's figures, as cards
for col, k in zip(st.columns(len(figuras)), figuras):
    col.metric(par.EDICAO_ROTULOS[k], fmt.numero(ed[k]), border=True)

left, right = st.columns(2)
with left:
    st.subheader(T["por_regiao"])
    if ed["por_regiao"]:
        ur = par.urban_rural(ed["por_regiao"])
        st.caption(
            T["urbana_rural"].format(
                urbana=fmt.numero(ur[par.URBANA]), rural=fmt.numero(ur[par.RURAL])
            )
        )
        components.plot(
            state.shared(charts.participant_bars)(ed["por_regiao"]),
            key="conf_regiao",
            resumo=resumos.counts(ed["por_regiao"]),
        )
    else:
        st.info(T["sem_regiao"].format(ano=ano), icon=":material/info:")
    sem_local = par.without_region_or_public(ed)
    if sem_local:
        st.caption(T["sem_local"].format(n=fmt.numero(sem_local)))
with right:
    st.subheader(T["por_publico"])
    if ed["por_publico"]:
        st.caption(T["legenda_publico"])
        components.plot(
            state.shared(charts.participant_bars)(ed["por_publico"], color=charts.SERIES[1]),
            key="conf_publico",
            resumo=resumos.counts(ed["por_publico"]),
        )
    else:
        st.info(T["sem_publico"].format(ano=ano), icon=":material/info:")

st.subheader(T["por_segmento"])
s1, s2 = st.columns(2)
for col, titulo, segs, chave in (
    (s1, T["etapa_pre"], ed["por_segmento"], "conf_seg_pre"),
    (s2, T["etapa_municipal"], ed["por_segmento_conferencia_municipal"], "conf_seg_mun"),
):
    with col:
        st.markdown(f"**{titulo}**")
        if segs:
            components.plot(
                state.shared(charts.participant_bars)(segs),
                key=chave,
                resumo=resumos.counts(segs),
            )
        else:
            st.info(T["sem_segmento"], icon=":material/info:")

rep = par.representation(ed)
if not rep.empty:
    st.subheader(T["representacao"])
    st.caption(T["legenda_representacao"])
    components.plot(
        state.shared(charts.representation_bars)(rep),
        key="conf_representacao",
        resumo=resumos.representation(rep),
    )
    st.caption(
        " · ".join(
            T["representacao_etapa"].format(
                etapa=components.escape_md(r.etapa),
                civil=fmt.numero(r.sociedade_civil),
                pct_civil=fmt.pct(r.pct_sociedade_civil),
                governamental=fmt.numero(r.governamental),
                pct_governamental=fmt.pct(100 - r.pct_sociedade_civil),
            )
            for r in rep.itertuples(index=False)
        )
    )

# --- the data check -----------------------------------------------------------------------------
eventos = state.memo(par.edition_events)(conf, ano)
st.subheader(T["conferencia_totais"])
divergentes = par.divergences(eventos)
so_total = par.totals_only(eventos)
if divergentes.empty and so_total.empty:
    st.success(T["totais_conferem"], icon=":material/check_circle:")
for _, row in divergentes.iterrows():
    st.warning(par.divergence_text(row, components.escape_md), icon=":material/warning:")
if not so_total.empty:
    st.info(
        T["so_total"].format(
            n=fmt.numero(len(so_total)), participantes=fmt.numero(so_total["participantes"].sum())
        ),
        icon=":material/info:",
    )

# --- the events ---------------------------------------------------------------------------------
st.subheader(T["eventos"].format(ano=ano))
shown = {
    c: label
    for c, label in par.EVENTO_ROTULOS.items()
    if eventos[c].notna().any() and (eventos[c].astype(str).str.strip() != "").any()
}
st.dataframe(components.formatted(eventos, shown), hide_index=True)
components.downloads(
    eventos,
    par.EVENTO_ROTULOS,
    plano=ctx.plano,
    filtros=None,
    nome=f"conferencias_eventos_{ano}",
    key="dl_conf_eventos",
    extra_filters=[*ORIGEM, (T["edicao"], str(ano))],
)
