"""The Streamlit side of :mod:`pmas.acesso.auth`: the configuration from secrets and environment, who
this session is, the access box (st.login button, password form or local-mode banner), and the
:class:`~pmas.acesso.actor.Actor` the screens pass to every write service
(:func:`actor_atual` / :func:`exigir_actor`, asked at the moment of writing).

The decision is never taken here: :func:`pmas.acesso.auth.can_write` takes it, from what this module
reads. The password state lives in ``st.session_state`` under keys no widget uses, so the
browser cannot set it.
"""

from __future__ import annotations

import hmac
import os
import secrets
import weakref
from collections.abc import Mapping

import streamlit as st

from pmas import textos
from pmas.acesso import auth
from pmas.acesso.actor import Actor, SemPermissao, limpar_nome
from pmas.ui import interno
from pmas.ui.components import escape_md

K_SENHA = "_pmas_gestor_senha"  # fingerprint of the password that was entered
K_NOME = "_pmas_gestor_nome"
K_FALHAS = "_pmas_gestor_falhas"
K_CONEXAO = "_pmas_gestor_conexao"  # token binding the password login to its connection
T = textos.ACESSO


def _secrets() -> Mapping:
    """The app's secrets (``.streamlit/secrets.toml``), or nothing when there are none."""
    if not st.secrets.load_if_toml_exists():
        return {}
    return st.secrets.to_dict()


def config_atual() -> auth.Config:
    return auth.config_from(_secrets(), os.environ)


def _conexao() -> object | None:
    """The browser connection this script run serves (Streamlit's session client for the
    session's current WebSocket), or None when it cannot be known.

    A Streamlit session outlives its connection: whoever opens a new WebSocket presenting the
    session's id (it shows in upload URLs, so in proxy logs) takes the session over, with its
    ``st.session_state``. The connection object is what such a newcomer does not get."""
    return interno.conexao_da_sessao()


def _peer_ip() -> str | None:
    """The TCP peer of this session's WebSocket, or None when it cannot be known.

    ``st.context.ip_address`` is no help to tell a local browser: Streamlit 1.67 returns None
    both for a loopback peer and when it does not know the peer. So the raw peer is read from the
    session's client context (what ``st.context.ip_address`` itself reads); any failure to read
    it means "unknown", which is not local.
    """
    peer = interno.ip_da_conexao(_conexao())
    if peer is None:
        return None
    if st.context.ip_address is not None:  # the public API says it is not a loopback peer
        return st.context.ip_address
    return peer


# A password login is bound to the connection it was made on: a random token kept both in the
# session's state and here, keyed by the connection object (dropped with it). A session taken
# over through its id, or reconnected after a network drop, has another connection and so no
# write access until the password is typed again.
_VINCULOS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _vincular() -> None:
    token = secrets.token_urlsafe(24)
    conexao = _conexao()
    if conexao is not None:
        _VINCULOS[conexao] = token
    st.session_state[K_CONEXAO] = token


def _vinculada() -> bool:
    conexao, token = _conexao(), st.session_state.get(K_CONEXAO)
    if conexao is None or not isinstance(token, str):
        return False
    return hmac.compare_digest(_VINCULOS.get(conexao, ""), token)


def _headers() -> dict[str, list[str]]:
    h = st.context.headers
    return {k: h.get_all(k) for k in h}


def identidade_atual(config: auth.Config) -> auth.Identidade:
    """What is known about this session, for the configured mode."""
    if config.modo == auth.OIDC:
        if not st.user.is_logged_in:
            return auth.Identidade()
        return identidade_oidc(st.user.to_dict())
    if config.modo == auth.SENHA:
        ok = st.session_state.get(K_SENHA) == auth.password_fingerprint(config.senha or "")
        if ok and not _vinculada():  # another connection: this login is over for good
            _sair()
            ok = False
        return auth.Identidade(senha_ok=ok, nome=st.session_state.get(K_NOME, "") if ok else "")
    return auth.Identidade(local=auth.is_local_request(_peer_ip(), _headers()))


def identidade_oidc(claims: Mapping) -> auth.Identidade:
    """A logged-in user's identity from the ID token's claims (``st.user``)."""
    verified = claims.get("email_verified")
    if isinstance(verified, str):  # some providers send "true"/"false" as text
        verified = {"true": True, "false": False}.get(verified.strip().lower())
    return auth.Identidade(
        logado=True,
        email=str(claims.get("email") or "") or None,
        email_verificado=None if verified is None else bool(verified),
        emissor=str(claims.get("iss") or "") or None,
    )


def actor_atual() -> Actor | None:
    """Who may write in this session, right now, or None for a reader."""
    config = config_atual()
    identidade = identidade_atual(config)
    if not auth.can_write(config.modo, identidade, config):
        return None
    return auth.actor_de(config.modo, identidade)


def exigir_actor() -> Actor:
    """:func:`actor_atual`, or :class:`SemPermissao` saying how to get access in this mode."""
    actor = actor_atual()
    if actor is None:
        raise SemPermissao(config_atual().modo)
    return actor


def painel() -> Actor | None:
    """The access box: log in or out, or the local-mode banner. Returns the session's actor."""
    config = config_atual()
    identidade = identidade_atual(config)
    pode = auth.can_write(config.modo, identidade, config)
    with st.container(border=True, key="acesso"):
        if config.modo == auth.OIDC:
            _painel_oidc(config, identidade, pode)
        elif config.modo == auth.SENHA:
            _painel_senha(config, identidade)
        else:
            _painel_local(identidade)
    return auth.actor_de(config.modo, identidade) if pode else None


def _painel_oidc(config: auth.Config, identidade: auth.Identidade, pode: bool) -> None:
    if not identidade.logado:
        st.markdown(T["oidc_convite"])
        if st.button(T["entrar"], icon=":material/login:", key="acesso_entrar"):
            st.login(config.provedor)
        return
    email = escape_md(identidade.email or "")
    if pode:
        st.markdown(T["oidc_gestor"].format(email=email))
    elif not config.gestores:
        st.warning(T["oidc_sem_lista"].format(email=email))
    elif (identidade.email or "").strip().lower() not in config.gestores:
        st.warning(T["oidc_nao_gestor"].format(email=email))
    else:
        st.warning(T["oidc_nao_verificado"].format(email=email))
    if st.button(T["sair"], icon=":material/logout:", key="acesso_sair"):
        st.logout()


def _painel_senha(config: auth.Config, identidade: auth.Identidade) -> None:
    if identidade.senha_ok:
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        c1.markdown(T["senha_dentro"].format(nome=escape_md(identidade.nome)))
        if c2.button(T["sair"], icon=":material/logout:", key="acesso_sair"):
            _sair()
            st.rerun()
        return
    st.markdown(T["senha_convite"])
    with st.form("acesso_senha", clear_on_submit=True, border=False):
        nome = st.text_input(T["nome_rotulo"], max_chars=80, key="acesso_nome")
        senha = st.text_input(T["senha_rotulo"], type="password", key="acesso_senha_valor")
        enviado = st.form_submit_button(T["senha_botao"], icon=":material/key:")
    if not enviado:
        return
    nome = limpar_nome(nome)
    if not nome:
        st.error(T["nome_faltando"])
        return
    falhas = st.session_state.get(K_FALHAS, 0)
    resposta = auth.check_password(senha, config.senha or "", falhas, cliente=_peer_ip() or "?")
    if resposta.ok:
        st.session_state[K_SENHA] = auth.password_fingerprint(config.senha or "")
        st.session_state[K_NOME] = nome
        _vincular()
        st.session_state[K_FALHAS] = 0
        st.rerun()
    if resposta.bloqueado:
        st.error(T["senha_bloqueada"].format(minutos=max(1, round(resposta.bloqueado / 60))))
        return
    st.session_state[K_FALHAS] = falhas + 1
    st.error(T["senha_errada"])


def _sair() -> None:
    for k in (K_SENHA, K_NOME, K_CONEXAO):
        st.session_state.pop(k, None)


def _painel_local(identidade: auth.Identidade) -> None:
    if identidade.local:
        st.info(T["local_pode"], icon=":material/computer:")
    else:
        st.warning(T["local_nao_pode"], icon=":material/lock:")
