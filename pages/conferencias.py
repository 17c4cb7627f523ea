"""Conferências: the editions side by side, one edition's participants by region, public and
segment (sociedade civil × governamental), the check of Total rows, and the table of events."""

import streamlit as st

from pmas import charts, fmt, participacao as par
from pmas.ui import components, page, state

ctx = page.start("Conferências", needs_goals=False)

SEM_DADOS = ("Ainda não há dados de conferências. Na tela **Importar**, envie uma planilha com a "
             "aba “Conferências” (uma linha por evento e segmento: ano, tipo de evento, região, "
             "local, público, segmento, participantes, delegados). O modelo em branco, que se "
             "baixa na mesma tela, traz essa aba pronta para preencher.")
if ctx is None or ctx.conferencias.empty:
    components.empty_state(SEM_DADOS)
    st.stop()

conf = ctx.conferencias
ORIGEM = [("Município", ctx.plano.municipio), ("Plano", ctx.plano.nome)]
st.caption(f"{ctx.plano.municipio} · {ctx.plano.nome} · processo conferencial. Os filtros da "
           "barra lateral valem para as metas, não para as conferências.")

# --- the editions side by side ------------------------------------------------------------------
edicoes = state.memo(par.editions)(conf)
st.header("Edições lado a lado")
components.plot(charts.edition_bars(par.editions_long(edicoes)), key="conf_edicoes")
st.dataframe(components.formatted(edicoes, par.EDICAO_ROTULOS), hide_index=True)
components.downloads(edicoes, par.EDICAO_ROTULOS, plano=ctx.plano, filtros=None,
                     nome="conferencias_edicoes", key="dl_conf_edicoes", extra_filters=ORIGEM)

# --- one edition ---------------------------------------------------------------------------------
anos = [int(a) for a in edicoes["ano"]]
st.header("Uma edição em detalhe")
ano = st.selectbox("Edição", anos, index=len(anos) - 1, key="conf_edicao")
ed = state.memo(par.edition)(conf, ano)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Pré-conferências", fmt.numero(ed["pre_conferencias"]), border=True)
c2.metric("Participantes nas pré-conferências", fmt.numero(ed["participantes_pre_conferencias"]),
          border=True)
c3.metric("Participantes na Conferência Municipal",
          fmt.numero(ed["participantes_conferencia_municipal"]), border=True)
c4.metric("Delegados eleitos", fmt.numero(ed["delegados"]), border=True)

left, right = st.columns(2)
with left:
    st.subheader("Pré-conferências regionais")
    if ed["por_regiao"]:
        ur = par.urban_rural(ed["por_regiao"])
        st.caption(f"Participantes por região: {fmt.numero(ur[par.URBANA])} nas regiões urbanas "
                   f"e {fmt.numero(ur[par.RURAL])} na rural.")
        components.plot(charts.participant_bars(ed["por_regiao"]), key="conf_regiao")
    else:
        st.info(f"A edição de {ano} não tem pré-conferências por região (a coluna “Região” está "
                "vazia ou indica o município todo).", icon=":material/info:")
    sem_local = par.without_region_or_public(ed)
    if sem_local:
        st.caption(f"{fmt.numero(sem_local)} participantes de pré-conferências sem região nem "
                   "público informados contam no total da edição, mas não nestes gráficos.")
with right:
    st.subheader("Pré-conferências por público")
    if ed["por_publico"]:
        st.caption("Organizadas para um público (usuários do Centro POP, do acolhimento, "
                   "gestores e trabalhadores…), fora das regiões.")
        components.plot(charts.participant_bars(ed["por_publico"], color=charts.SERIES[1]),
                        key="conf_publico")
    else:
        st.info(f"A edição de {ano} não tem pré-conferências organizadas por público.",
                icon=":material/info:")

st.subheader("Participantes por segmento")
s1, s2 = st.columns(2)
for col, titulo, segs, chave in (
        (s1, "Pré-conferências", ed["por_segmento"], "conf_seg_pre"),
        (s2, "Conferência Municipal", ed["por_segmento_conferencia_municipal"], "conf_seg_mun")):
    with col:
        st.markdown(f"**{titulo}**")
        if segs:
            components.plot(charts.participant_bars(segs), key=chave)
        else:
            st.info("Sem participantes por segmento nesta etapa.", icon=":material/info:")

rep = par.representation(ed)
if not rep.empty:
    st.subheader("Sociedade civil e governamental")
    st.caption("Sociedade civil: usuários, trabalhadores e entidades/prestadores de serviços; "
               "governamental: gestores e representantes do governo.")
    components.plot(charts.representation_bars(rep), key="conf_representacao")
    st.caption(" · ".join(
        f"{r.etapa}: {fmt.numero(r.sociedade_civil)} da sociedade civil "
        f"({fmt.pct(r.pct_sociedade_civil)}) e {fmt.numero(r.governamental)} governamentais "
        f"({fmt.pct(100 - r.pct_sociedade_civil)})" for r in rep.itertuples(index=False)))

# --- the data check -----------------------------------------------------------------------------
eventos = state.memo(par.edition_events)(conf, ano)
st.subheader("Conferência dos totais")
divergentes = par.divergences(eventos)
so_total = par.totals_only(eventos)
if divergentes.empty and so_total.empty:
    st.success("Os números conferem: nenhuma linha “Total” diverge da soma dos segmentos.",
               icon=":material/check_circle:")
for _, row in divergentes.iterrows():
    st.warning(par.divergence_text(row), icon=":material/warning:")
if not so_total.empty:
    st.info(f"{fmt.numero(len(so_total))} evento(s) têm só a linha “Total” "
            f"({fmt.numero(so_total['participantes'].sum())} participantes): eles contam nos "
            "totais e nas regiões, mas não nos gráficos por segmento.", icon=":material/info:")

# --- the events ---------------------------------------------------------------------------------
st.subheader(f"Eventos da edição de {ano}")
shown = {c: label for c, label in par.EVENTO_ROTULOS.items() if eventos[c].notna().any()
         and (eventos[c].astype(str).str.strip() != "").any()}
st.dataframe(components.formatted(eventos, shown), hide_index=True)
components.downloads(eventos, par.EVENTO_ROTULOS, plano=ctx.plano, filtros=None,
                     nome=f"conferencias_eventos_{ano}", key="dl_conf_eventos",
                     extra_filters=[*ORIGEM, ("Edição", str(ano))])
