"""The Deliberações screen's own choices, kept and in the URL (``?edicao=2023&sit_delib=Atendida&
eixo_conf=…``) through :mod:`pmas.ui.vista` like every screen's; a link value the data does not
offer is dropped with a notice. Also the municipality-wide loads the screen and the goal detail
share (cached until any data changes), the Visão geral card and the manager's link editor."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmas import textos
from pmas.analise import deliberacoes as D
from pmas.dados.store import Store
from pmas.ui import components, state, vista

T = textos.DELIBERACOES
Q_EDICAO, Q_SIT, Q_EIXO = "edicao", "sit_delib", "eixo_conf"
K_EDICAO, K_SIT, K_EIXO = "conf_edicao", "dlb_situacao", "dlb_eixo"
MUNICIPAL_STATUSES = tuple(s for s in D.STATUSES if s != D.ENCAMINHADA)


@st.cache_data(show_spinner=False, max_entries=16)
def _load(
    url: str, municipio: str, table: str, signature: tuple[int, ...], exemplo: bool
) -> pd.DataFrame:
    return state._store(url).load_municipality(table, municipio, exemplo=exemplo)


def municipality(store: Store, municipio: str, table: str, exemplo: bool = False) -> pd.DataFrame:
    """A table of every real plan of the municipality (``exemplo``: of its example plans; never
    both), cached until any data changes."""
    return _load(store.url, municipio, table, store.current_signature(), exemplo)


def choices(edicoes: list[int], eixos_of) -> tuple[int, tuple[str, ...], tuple[str, ...]]:
    """Draw the edition, status and conference-eixo choices and return them; kept across
    screens and in the URL through :mod:`pmas.ui.vista`. The edition is the Conferências
    screen's (same key, same ``?edicao=``): one edition is looked at on both screens.
    ``eixos_of(edicao)`` gives the conference eixos of an edition (they change every edition)."""
    c1, c2, c3 = st.columns([1, 2, 3])
    edicao = c1.selectbox(
        T["edicao"],
        edicoes,
        **vista.bind(
            K_EDICAO, Q_EDICAO, edicoes, default=edicoes[-1], parse=int, rotulo=T["a_edicao"]
        ),
    )
    situacoes = c2.multiselect(
        T["filtro_situacao"],
        list(MUNICIPAL_STATUSES),
        placeholder="Todas",
        **vista.bind(K_SIT, Q_SIT, MUNICIPAL_STATUSES, multi=True, rotulo=T["filtro_situacao"]),
    )
    eixos = eixos_of(edicao)
    eixos_sel = c3.multiselect(
        T["filtro_eixo"],
        eixos,
        placeholder="Todos",
        **vista.bind(K_EIXO, Q_EIXO, eixos, multi=True, rotulo=T["filtro_eixo"]),
    )
    vista.show_notices()
    vista.to_url(Q_EDICAO, edicao)
    vista.to_url(Q_SIT, situacoes)
    vista.to_url(Q_EIXO, eixos_sel)
    return edicao, tuple(situacoes), tuple(eixos_sel)


def answered(
    store: Store, municipio: str, codigo: object, ano: int | None, exemplo: bool = False
) -> None:
    """On a goal's detail: the conference deliberations it answers, with their status in
    ``ano``."""
    delib = municipality(store, municipio, "deliberacoes", exemplo)
    st.markdown(f"**{T['eixos_metas_titulo']}**")
    mine = D.answered_by(delib, codigo) if not delib.empty else delib
    if mine.empty:
        st.caption(T["eixos_metas_nenhuma"])
        return
    metas = municipality(store, municipio, "metas", exemplo)
    rows = state.memo(D.status)(mine, metas, ano)
    cols = {
        k: textos.COLUNAS_DELIBERACOES[k]
        for k in ("ano", "numero", "eixo_conferencia", "texto", "situacao", "motivo")
    }
    st.dataframe(
        components.status_style(components.formatted(rows, cols)),
        hide_index=True,
        key="eixo_meta_deliberacoes",
    )


def overview_card(store: Store, municipio: str, ano: int | None, exemplo: bool = False) -> None:
    """Visão geral: "Deliberações da conferência de AAAA: N atendidas de M" (the edition held
    up to the chosen year), with what M is and a link to the screen."""
    from pmas import fmt
    from pmas.ui import nav

    delib = municipality(store, municipio, "deliberacoes", exemplo)
    if delib.empty:
        return
    metas = municipality(store, municipio, "metas", exemplo)
    edicao = D.edition_for(D.editions(delib), ano)
    cov = D.coverage(state.memo(D.status)(delib[delib["ano"] == edicao], metas, ano))
    with st.container(border=True, key="card_deliberacoes"):
        st.subheader(
            T["card_visao"].format(
                edicao=edicao, n=fmt.numero(cov["atendidas"]), m=fmt.numero(cov["municipais"])
            )
        )
        st.caption(
            T["card_visao_detalhe"].format(
                m=fmt.numero(cov["municipais"]),
                com_meta=fmt.numero(cov["com_meta"]),
                sem_meta=fmt.numero(cov["sem_meta"]),
                encaminhadas=fmt.numero(cov["encaminhadas"]),
                ano=ano,
            )
        )
        nav.link("pages/deliberacoes.py", T["ver_deliberacoes"], ":material/how_to_vote:")


def link_editor(store: Store, mine: pd.DataFrame, metas: pd.DataFrame, edicao: int) -> None:
    """For a manager: change the goals linked to one deliberation of the edition. The write goes
        through :func:`pmas.acesso.gestao.vincular` with the session's actor (refused for a reader;
    audited under the actor's name)."""
    from pmas.acesso import gestao
    from pmas.acesso.actor import SemPermissao
    from pmas.ui import acesso

    with st.expander(T["editar"], icon=":material/link:"):
        if acesso.painel() is None:  # a reader: the box says how to get access
            return
        st.caption(T["editar_ajuda"].format(edicao=edicao))
        ordered = D.ordered(mine)
        numeros = list(ordered["numero"])
        textos_ = dict(zip(ordered["numero"], ordered["texto"]))
        atuais = dict(zip(ordered["numero"], ordered["metas"]))
        numero = st.selectbox(
            T["editar_deliberacao"],
            numeros,
            format_func=lambda n: f"nº {n} — {str(textos_[n])[:90]}",
            key=f"dlb_editar_numero_{edicao}",
        )
        codigos = st.text_input(
            T["editar_codigos"],
            value=str(atuais.get(numero) or ""),
            key=f"dlb_editar_codigos_{edicao}_{numero}",
        )
        salvar = st.button(T["editar_salvar"], icon=":material/save:", key="dlb_salvar")
        if not salvar:
            return
        novos = D.split_codes(codigos)
        desconhecidos = [c for c in novos if D.code_key(c) not in D.known_codes(metas)]
        if desconhecidos:
            st.error(T["editar_desconhecidos"].format(codigos=", ".join(desconhecidos)))
            return
        atual = atuais.get(numero)
        if D.join_codes(novos) == (atual if isinstance(atual, str) else None):
            st.info(T["editar_igual"])
            return
        plano_id = int(ordered.loc[ordered["numero"] == numero, "plano_id"].iloc[0])
        try:
            actor = acesso.exigir_actor()  # asked again at the moment of writing
            v = gestao.vincular(store, plano_id, edicao, {numero: D.join_codes(novos)}, actor=actor)
        except SemPermissao as exc:
            st.error(str(exc), icon=":material/lock:")
            return
        st.success(T["editar_ok"].format(numero=numero, versao=v.numero, edicao=edicao))
