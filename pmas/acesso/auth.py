"""Who may write. Reading is open to everyone; importing, undoing an import and saving the report's
fields need a manager (gestor).

Three modes, the first that is configured wins:

1. ``oidc``: an ``[auth]`` section in ``.streamlit/secrets.toml`` turns on Streamlit's
   ``st.login`` (OpenID Connect). A manager is a logged-in user whose e-mail is in the managers'
   list: ``[pmas] gestores = ["a@x.gov.br", ...]`` in the secrets and/or the environment variable
   ``PMAS_GESTORES`` (comma-separated); both lists are joined, compared without case.
2. ``senha``: the environment variable ``PMAS_SENHA_GESTOR`` holds a manager password of at
   least ``SENHA_MINIMA`` characters (set but empty, or shorter: the dashboard refuses to start,
   with a Portuguese message, rather than fall back to local mode). It is compared in constant
   time; each failed attempt in a session makes the next answer wait longer
   (capped), and attempts from all sessions are answered one at a time.
3. ``local``: with neither, only a browser on the server's own machine may write (see
   :func:`is_local_request`); the screens say that the dashboard is in local mode.

The decision itself (:func:`can_write`) is pure and tested without Streamlit. The Streamlit side
(reading the secrets, the session, the request) lives in :mod:`pmas.ui.acesso`, which builds the
:class:`pmas.acesso.actor.Actor` that every write service takes (:func:`actor_de`); this module
never imports the user interface.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from pmas.acesso.actor import LOCAL, OIDC, SENHA, Actor
from pmas.textos import CONFIGURACAO_ACESSO

MODOS = (OIDC, SENHA, LOCAL)  # how the dashboard may be configured (the CLI is a fourth actor mode)

ENV_SENHA = "PMAS_SENHA_GESTOR"
SENHA_MINIMA = 12  # characters of the manager password, at least


class ConfiguracaoInvalida(RuntimeError):
    """The access configuration cannot be used (an empty or short password): the dashboard
    shows this Portuguese message and nothing else."""


ENV_GESTORES = "PMAS_GESTORES"

# Delay after the n-th failed password attempt of a session: BASE · 2^(n-1), at most CAP seconds.
DELAY_BASE = 1.0
DELAY_CAP = 16.0


@dataclass(frozen=True)
class Config:
    """How access is configured (see the module docstring)."""

    modo: str
    gestores: frozenset[str] = frozenset()
    senha: str | None = field(default=None, repr=False)
    provedor: str | None = None  # the [auth.NAME] provider to use with st.login, if several

    def __post_init__(self):
        if self.modo not in MODOS:
            raise ValueError(self.modo)


@dataclass(frozen=True)
class Identidade:
    """What is known about whoever runs this session."""

    logado: bool = False  # OIDC: logged in
    email: str | None = None
    email_verificado: bool | None = None  # the e-mail_verified claim, when the provider sends it
    senha_ok: bool = False  # the manager password was entered in this session (and still valid)
    nome: str = ""  # the name typed with the password (shown in the history)
    local: bool = False  # the browser is on the server's own machine


def _emails(values: Iterable[object]) -> frozenset[str]:
    return frozenset(str(v).strip().lower() for v in values if str(v).strip())


def config_from(secrets_: Mapping, environ: Mapping[str, str]) -> Config:
    """The access configuration from the app's secrets and the environment."""
    pmas_section = secrets_.get("pmas") or {}
    if "auth" in secrets_:
        listed = pmas_section.get("gestores") or []
        if isinstance(listed, str):
            listed = listed.split(",")
        gestores = _emails(listed) | _emails(environ.get(ENV_GESTORES, "").split(","))
        provedor = pmas_section.get("provedor") or None
        return Config(OIDC, gestores=gestores, provedor=provedor)
    if ENV_SENHA not in environ:
        return Config(LOCAL)
    senha = environ[ENV_SENHA]
    if not senha.strip():
        raise ConfiguracaoInvalida(CONFIGURACAO_ACESSO["senha_vazia"].format(minimo=SENHA_MINIMA))
    if len(senha) < SENHA_MINIMA:
        raise ConfiguracaoInvalida(
            CONFIGURACAO_ACESSO["senha_curta"].format(tamanho=len(senha), minimo=SENHA_MINIMA)
        )
    return Config(SENHA, senha=senha)


def can_write(modo: str, identidade: Identidade, config: Config) -> bool:
    """The decision: may this identity write under this configuration?"""
    if modo != config.modo:
        return False
    if modo == OIDC:
        email = (identidade.email or "").strip().lower()
        return (
            identidade.logado
            and bool(email)
            and email in config.gestores
            and identidade.email_verificado is not False
        )
    if modo == SENHA:
        return identidade.senha_ok and bool(config.senha)
    return identidade.local


def actor_de(modo: str, identidade: Identidade) -> Actor:
    """The actor the dashboard passes to write services once :func:`can_write` said yes."""
    if modo == OIDC:
        return Actor(identidade.email or "", OIDC)
    if modo == SENHA:
        return Actor(identidade.nome, SENHA)
    return Actor("", LOCAL)


# --- the password ----------------------------------------------------------------------------


def _digest(text: str) -> bytes:
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).digest()


def password_matches(typed: str, expected: str) -> bool:
    """Constant-time comparison (of the SHA-256 of both, so the length does not leak either)."""
    return hmac.compare_digest(_digest(typed or ""), _digest(expected or "")) and bool(expected)


def failure_delay(failures: int) -> float:
    """Seconds to wait after the ``failures``-th failed attempt of a session (0 for none)."""
    if failures <= 0:
        return 0.0
    return min(DELAY_BASE * 2 ** (failures - 1), DELAY_CAP)


_sleep = time.sleep  # replaced in tests
_ATTEMPTS = threading.Lock()  # one password check at a time, in the whole server process


def check_password(
    typed: str, expected: str, failures: int, sleep: Callable[[float], None] | None = None
) -> bool:
    """Compare; on failure wait :func:`failure_delay` (``failures`` is the count before this one).

    Attempts are answered one at a time across sessions, so opening many sessions does not buy
    an attacker more guesses per second than a single one gets.
    """
    with _ATTEMPTS:
        ok = password_matches(typed, expected)
        if not ok:
            (sleep or _sleep)(failure_delay(failures + 1))
    return ok


_SESSION_KEY = secrets.token_bytes(32)


def password_fingerprint(expected: str) -> str:
    """What a session keeps after a correct password: changing the password logs everyone out."""
    return hmac.new(_SESSION_KEY, _digest(expected), hashlib.sha256).hexdigest()


# --- local mode --------------------------------------------------------------------------------

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
# Headers a proxy or tunnel adds: their presence means the browser is not on this machine.
FORWARDING_HEADERS = (
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-real-ip",
    "x-forwarded-server",
    "x-original-forwarded-for",
    "cf-connecting-ip",
    "true-client-ip",
    "x-client-ip",
    "via",
)


def _is_loopback_ip(text: str) -> bool:
    try:
        ip = ipaddress.ip_address(text.strip().strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _host_of(value: str) -> str:
    """The host part of a Host header or an Origin URL, lower case, without port or brackets."""
    v = value.strip().lower()
    if "://" in v:
        v = v.split("://", 1)[1]
    v = v.split("/", 1)[0].split("@")[-1]
    if v.startswith("["):
        return v[1 : v.find("]")] if "]" in v else ""
    return v.rsplit(":", 1)[0] if v.count(":") == 1 else v


def _is_loopback_host(value: str) -> bool:
    host = _host_of(value)
    return host in _LOOPBACK_NAMES or _is_loopback_ip(host)


def is_local_request(peer_ip: str | None, headers: Mapping[str, str | list[str]]) -> bool:
    """True only when everything says the browser runs on this machine.

    * the TCP peer is a loopback address (unknown → not local);
    * the ``Host`` header names the loopback (``localhost``, ``127.0.0.1``, ``[::1]``), so a
      reverse proxy that forwards a public name does not count;
    * the ``Origin``, when sent, is a loopback page too (a browser always sends it on the
      WebSocket handshake, so another site open in the same browser does not count);
    * no header a proxy or tunnel adds (``X-Forwarded-For``, ``Forwarded``, ``X-Real-IP``…).

    ``headers`` maps a header name (any case) to its value or to all its values; a repeated
    header must pass in every copy.
    """
    if not peer_ip or not _is_loopback_ip(peer_ip):
        return False
    lower: dict[str, list[str]] = {}
    for k, v in headers.items():
        lower.setdefault(str(k).lower(), []).extend([v] if isinstance(v, str) else list(v))
    hosts = lower.get("host", [])
    if not hosts or not all(_is_loopback_host(h) for h in hosts):
        return False
    # "null" (a sandboxed page) is not a loopback origin either
    if not all(_is_loopback_host(o) for o in lower.get("origin", [])):
        return False
    return not any(h in lower for h in FORWARDING_HEADERS)
