"""The mapping saved with a plan (pmas.entrada.mapa), listed; managers remove entries one by one
(through pmas.acesso.gestao: checked, audit-logged), readers see it read-only. Shown on the
Plano screen and, inside an expander, on Importar."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmas import textos
from pmas.acesso import gestao
from pmas.acesso.actor import Actor, SemPermissao
from pmas.dados.plano import Plano
from pmas.dados.store import Store
from pmas.entrada import mapa as mapa_mod
from pmas.entrada.mapa import Mapa
from pmas.ui import acesso

M = textos.MAPA
K_REMOVIDO = "_pmas_mapa_removido"


def saved(store: Store, plano: Plano) -> Mapa:
    """The plan's saved mapping (empty, with a warning, if it cannot be read)."""
    try:
        return mapa_mod.saved(store, plano)
    except mapa_mod.MapaInvalido as exc:
        st.warning(M["mapa_invalido"].format(erro=exc), icon=":material/warning:")
        return Mapa()


def tabela(mapa: Mapa) -> pd.DataFrame:
    """One row per entry: kind, as written in the file, read as."""
    return pd.DataFrame(mapa_mod.entradas(mapa), columns=[M["tipo"], M["escrito"], M["lido_como"]])


def _partes(mapa: Mapa) -> list[str]:
    """The part of each entry, in the order of :func:`pmas.entrada.mapa.entradas`."""
    return (
        ["colunas"] * len(mapa.colunas)
        + ["situacoes"] * len(mapa.situacoes)
        + ["reducao"] * len(mapa.reducao)
    )


def lista(
    store: Store, plano: Plano, gestor: Actor | None, *, chave: str = "mapa", vazio: bool = True
) -> bool:
    """The saved mapping as a table; for a manager, a choice of entries and a button that
    removes them. Returns whether something was removed (the caller may drop cached checks).
    With ``vazio`` False, nothing at all is shown when no mapping is saved."""
    removido = st.session_state.pop(K_REMOVIDO, None)
    if removido:
        st.success(M["removido"], icon=":material/check:")
    mapa = saved(store, plano)
    if not mapa:
        if vazio:
            st.caption(M["salvo_vazio"])
        return False
    st.dataframe(tabela(mapa), hide_index=True, key=f"{chave}_tabela")
    if gestor is None:
        st.caption(M["somente_leitura"])
        return False
    linhas = mapa_mod.entradas(mapa)
    opcoes = list(range(len(linhas)))
    escolhidas = st.multiselect(
        M["remover"],
        opcoes,
        format_func=lambda i: f"{linhas[i][0]}: {linhas[i][1]}",
        key=f"{chave}_remover_escolha",
    )
    if not st.button(M["remover"], key=f"{chave}_remover", disabled=not escolhidas):
        return False
    partes = _partes(mapa)
    entradas = [(partes[i], linhas[i][1]) for i in escolhidas]
    try:
        gestao.remover_do_mapa(store, plano, entradas, actor=acesso.exigir_actor())
    except SemPermissao as exc:
        st.error(str(exc), icon=":material/lock:")
        return False
    st.session_state[K_REMOVIDO] = True
    return True
