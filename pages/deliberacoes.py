"""Deliberações: one conference edition's deliberations followed to completion: coverage (how
many have goals, how many are met) with the rule beside it, the ones without a goal, coverage by
conference eixo and by plan eixo, the list with each status and the linked goals' details, the
Devolutiva and, for a manager, the editing of the links."""

import streamlit as st

from pmas import fmt, textos
from pmas.analise import consulta
from pmas.analise import deliberacoes as D
from pmas.saida import charts, devolutiva
from pmas.ui import components, page, state
from pmas.ui import deliberacoes as ui

T = textos.DELIBERACOES
COLS = textos.COLUNAS_DELIBERACOES
ctx = page.start(T["titulo"], needs_goals=False)

if ctx is None:
    components.empty_state(T["sem_dados"])
    st.stop()
municipio, plano_atual = ctx.plano.municipio, ctx.plano
delib = ui.municipality(ctx.store, municipio, "deliberacoes", ctx.plano.exemplo)
metas = ui.municipality(ctx.store, municipio, "metas", ctx.plano.exemplo)
if delib.empty:
    components.empty_state(T["sem_dados"])
    st.stop()
anos = consulta.goal_years(metas)
if not anos:
    components.empty_state(T["sem_metas"])
    st.stop()
ano = ctx.filtros.ano if ctx.filtros.ano in anos else anos[-1]
plano_do_ano = consulta._plan_of_year(ctx.store, municipio, ano) or ctx.plano


def eixos_of(edicao: int) -> list[str]:
    sub = delib[delib["ano"] == edicao]["eixo_conferencia"].dropna()
    return sorted(sub.unique(), key=D._sort_key)


edicao, situacoes, eixos_sel = ui.choices(D.editions(delib), eixos_of)
st.caption(T["cabecalho"].format(municipio=components.escape_md(municipio), edicao=edicao, ano=ano))

mine = delib[delib["ano"] == edicao]
todas = state.memo(D.status)(mine, metas, ano, plano_do_ano)
cov = D.coverage(todas)
ORIGEM = [
    (T["edicao"], str(edicao)),
    (T["situacao_em"], str(ano)),
    (textos.BARRA_LATERAL["municipio"], municipio),
]

# --- coverage, with the rule beside it -----------------------------------------------------------
m = cov["municipais"]
# two rows: five cards side by side cut their "85,7% de 28 municipais" on a 1280 px screen
c1, c2, c3 = st.columns(3)
c4, c5, _ = st.columns(3)
c1.metric(T["card_total"], fmt.numero(cov["total"]), border=True)
c2.metric(
    T["card_com_meta"],
    fmt.numero(cov["com_meta"]),
    T["de_municipais"].format(pct=fmt.pct(cov["pct_com_meta"]), n=fmt.numero(m)),
    delta_color="off",
    delta_arrow="off",
    help=T["ajuda_com_meta"],
    border=True,
)
c3.metric(
    T["card_atendidas"],
    fmt.numero(cov["atendidas"]),
    T["de_municipais"].format(pct=fmt.pct(cov["pct_atendidas"]), n=fmt.numero(m)),
    delta_color="off",
    delta_arrow="off",
    help=T["ajuda_atendidas"],
    border=True,
)
c4.metric(T["card_sem_meta"], fmt.numero(cov["sem_meta"]), help=T["ajuda_sem_meta"], border=True)
c5.metric(
    T["card_encaminhadas"],
    fmt.numero(cov["encaminhadas"]),
    help=T["ajuda_encaminhadas"],
    border=True,
)
with st.container(border=True):
    st.markdown(f"**{T['regra_titulo']}.** {D.REGRA}")

# --- the gap: municipal deliberations without a goal ---------------------------------------------
st.header(T["sem_meta_titulo"])
sem_meta = todas[todas["situacao"] == D.SEM_META]
if sem_meta.empty:
    st.success(T["todas_com_meta"], icon=":material/check_circle:")
else:
    aviso = T["sem_meta_aviso_um" if len(sem_meta) == 1 else "sem_meta_aviso"]
    n = textos.plural(len(sem_meta), T["deliberacao"], T["deliberacoes"])
    st.warning(aviso.format(n=n), icon=":material/report:")
    cols_gap = {k: COLS[k] for k in ("numero", "eixo_conferencia", "texto")}
    if sem_meta["metas_inexistentes"].notna().any():
        cols_gap["metas_inexistentes"] = COLS["metas_inexistentes"]
    st.dataframe(components.formatted(sem_meta, cols_gap), hide_index=True, key="dlb_sem_meta")


def resumo(frame, label: str) -> str:
    """The chart's one-sentence text alternative: each bar's met and municipal counts."""
    partes = [
        T["resumo_barra"].format(
            nome=r[label], atendidas=fmt.numero(r["atendidas"]), n=fmt.numero(r["municipais"])
        )
        for r in frame.to_dict("records")
    ]
    return T["resumo_grafico"].format(partes="; ".join(partes))


# --- coverage by conference eixo and by plan eixo ------------------------------------------------


def cobertura(coluna: str, outra: str, chave: str, arquivo: str) -> None:
    """Coverage by one kind of eixo (``coluna``): chart, table and downloads."""
    por = state.memo(D.coverage_by)(todas, coluna)
    if por.empty:
        return
    components.plot(
        state.shared(charts.deliberation_bars)(por, coluna),
        key=f"dlb_{chave}",
        resumo=resumo(por, coluna),
    )
    labels = {k: v for k, v in textos.COLUNAS_COBERTURA.items() if k != outra}
    st.dataframe(
        components.formatted(por, labels, percent=("pct_com_meta", "pct_atendidas")),
        hide_index=True,
        key=f"dlb_tab_{chave}",
    )
    components.downloads(
        por,
        labels,
        plano=plano_atual,
        filtros=None,
        nome=f"deliberacoes_{edicao}_por_{arquivo}",
        key=f"dl_dlb_{chave}",
        extra_filters=ORIGEM,
    )


left, right = st.columns(2)
with left:
    st.subheader(T["por_eixo_conferencia"])
    cobertura("eixo_conferencia", "eixos_plano", "conf", "eixo_conferencia")
with right:
    st.subheader(T["por_eixo_plano"])
    st.caption(T["legenda_eixo_plano"])
    cobertura("eixos_plano", "eixo_conferencia", "plano", "eixo_plano")

# --- the list -----------------------------------------------------------------------------------
st.header(T["lista"])
lista = todas[todas["situacao"] != D.ENCAMINHADA]
if situacoes:
    lista = lista[lista["situacao"].isin(situacoes)]
if eixos_sel:
    lista = lista[lista["eixo_conferencia"].isin(eixos_sel)]
filtros_lista = [*ORIGEM]
if situacoes:
    filtros_lista.append((T["filtro_situacao"], ", ".join(situacoes)))
if eixos_sel:
    filtros_lista.append((T["filtro_eixo"], ", ".join(eixos_sel)))
if lista.empty:
    st.info(T["lista_vazia"], icon=":material/filter_alt_off:")
else:
    shown_cols = {k: COLS[k] for k in ("numero", "eixo_conferencia", "ambito", "texto")}
    shown_cols |= {k: COLS[k] for k in ("metas", "situacao", "motivo", "metas_no_ano")}
    if lista["prioridade"].notna().any():
        shown_cols = {"prioridade": COLS["prioridade"], **shown_cols}
    st.dataframe(
        components.status_style(components.formatted(lista, shown_cols)),
        hide_index=True,
        key="dlb_lista",
    )
    labels = {k: v for k, v in COLS.items()}
    components.downloads(
        lista,
        labels,
        plano=ctx.plano,
        filtros=None,
        nome=f"deliberacoes_{edicao}_situacao_{ano}",
        key="dl_dlb_lista",
        extra_filters=filtros_lista,
    )

    st.subheader(T["metas_vinculadas"].format(ano=ano))
    ligacoes = state.memo(D.links)(mine, metas, ano)
    ligacoes = ligacoes[ligacoes["numero"].isin(lista["numero"])]
    if ligacoes.empty:
        st.info(T["sem_vinculos"], icon=":material/info:")
    else:
        lig_cols = textos.COLUNAS_LIGACOES
        st.dataframe(
            components.status_style(
                components.formatted(ligacoes, lig_cols),
                column=(lig_cols["situacao_deliberacao"], lig_cols["situacao"]),
            ),
            hide_index=True,
            key="dlb_ligacoes",
        )
        components.downloads(
            ligacoes,
            lig_cols,
            plano=ctx.plano,
            filtros=None,
            nome=f"deliberacoes_{edicao}_metas_{ano}",
            key="dl_dlb_ligacoes",
            extra_filters=filtros_lista,
        )

encaminhadas = todas[todas["situacao"] == D.ENCAMINHADA]
if eixos_sel:
    encaminhadas = encaminhadas[encaminhadas["eixo_conferencia"].isin(eixos_sel)]
if not encaminhadas.empty:
    st.subheader(T["encaminhadas"])
    enc_cols = {k: COLS[k] for k in ("numero", "eixo_conferencia", "ambito", "texto")}
    st.dataframe(
        components.formatted(encaminhadas, enc_cols), hide_index=True, key="dlb_encaminhadas"
    )

desconhecidos = D.unknown_links(mine, metas)
if not desconhecidos.empty:
    st.subheader(T["codigos_inexistentes"])
    for u in desconhecidos.itertuples(index=False):
        st.warning(
            T["codigo_inexistente"].format(
                numero=components.escape_md(u.numero),
                aba=components.escape_md(u.aba or "—"),
                linha="—" if u.linha is None or u.linha != u.linha else int(u.linha),
                codigo=components.escape_md(u.codigo),
            ),
            icon=":material/link_off:",
        )

# --- the Devolutiva -------------------------------------------------------------------------------
st.header(T["devolutiva"])
st.caption(T["ajuda_devolutiva"].format(ano=ano))


store = ctx.store  # (a name the function below can rely on: ctx is known to be set here)


def _devolutiva() -> bytes:
    return devolutiva.gerar(store, consulta.deliberacoes(store, edicao, ano, municipio))


st.download_button(
    T["baixar_devolutiva"].format(edicao=edicao),
    data=_devolutiva,
    file_name=f"devolutiva_conferencia_{edicao}.docx",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    icon=":material/download:",
    on_click="ignore",
    key="dl_devolutiva",
)

# --- a manager edits the links -------------------------------------------------------------------
ui.link_editor(ctx.store, mine, metas, edicao)
