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
   time; each failed attempt in a session makes that session's next answer wait longer (capped);
   a client that fails too often is locked out for a while; failures are logged (see
   :func:`check_password`).
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
import math
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from pmas import registro
from pmas.acesso.actor import LOCAL, OIDC, SENHA, Actor
from pmas.textos import CONFIGURACAO_ACESSO

_log = registro.logger(__name__)

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
    # Issuers (the ID token's "iss": one provider, or one tenant of a multi-tenant provider) whose
    # e-mails count as verified when they do not send email_verified at all (Microsoft Entra).
    emissores_confiaveis: frozenset[str] = frozenset()

    def __post_init__(self):
        if self.modo not in MODOS:
            raise ValueError(self.modo)


@dataclass(frozen=True)
class Identidade:
    """What is known about whoever runs this session."""

    logado: bool = False  # OIDC: logged in
    email: str | None = None
    email_verificado: bool | None = None  # the email_verified claim; None when not sent
    emissor: str | None = None  # the ID token's issuer ("iss")
    senha_ok: bool = False  # the manager password was entered in this session (and still valid)
    nome: str = ""  # the name typed with the password (shown in the history)
    local: bool = False  # the browser is on the server's own machine


def _emails(values: Iterable[object]) -> frozenset[str]:
    return frozenset(str(v).strip().lower() for v in values if str(v).strip())


def _issuer(value: object) -> str:
    """An issuer as compared: no surrounding spaces or trailing slash, lower case."""
    return str(value or "").strip().rstrip("/").lower()


def _listed(value: object) -> list:
    if isinstance(value, str):
        return value.split(",")
    return list(value) if isinstance(value, (list, tuple, set)) else []


def config_from(secrets_: Mapping, environ: Mapping[str, str]) -> Config:
    """The access configuration from the app's secrets and the environment."""
    pmas_section = secrets_.get("pmas") or {}
    if "auth" in secrets_:
        listed = _listed(pmas_section.get("gestores"))
        gestores = _emails(listed) | _emails(environ.get(ENV_GESTORES, "").split(","))
        provedor = pmas_section.get("provedor") or None
        confiaveis = frozenset(
            _issuer(v) for v in _listed(pmas_section.get("emissores_confiaveis")) if _issuer(v)
        )
        return Config(OIDC, gestores=gestores, provedor=provedor, emissores_confiaveis=confiaveis)
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
            and email_verificado(identidade, config)
        )
    if modo == SENHA:
        return identidade.senha_ok and bool(config.senha)
    return identidade.local


def email_verificado(identidade: Identidade, config: Config) -> bool:
    """Did the provider vouch for the e-mail? ``email_verified = true``; or, when the claim is not
    sent at all, an issuer the configuration names as trusted (``emissores_confiaveis``). A
    missing claim from any other issuer is not verified: in a multi-tenant setup anyone can
    create an account elsewhere with a listed e-mail as its unverified address."""
    if identidade.email_verificado is not None:
        return identidade.email_verificado
    emissor = _issuer(identidade.emissor)
    return bool(emissor) and emissor in config.emissores_confiaveis


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

# A client (an address, as the server sees it) that fails LOCKOUT_AFTER times within LOCKOUT_WINDOW
# seconds, whatever the sessions, is refused without any comparison for LOCKOUT_FOR seconds.
LOCKOUT_AFTER = 10
LOCKOUT_WINDOW = 15 * 60.0
LOCKOUT_FOR = 15 * 60.0
_MAX_CLIENTS = 10_000  # clients remembered at most (the oldest are forgotten first)


class Bloqueios:
    """Failed attempts per client and the lock-outs they earn; thread-safe, in memory (one per
    server process; a restart forgets them). The lock is held only to update the counts, never
    while anyone waits."""

    def __init__(
        self,
        limite: int = LOCKOUT_AFTER,
        janela: float = LOCKOUT_WINDOW,
        duracao: float = LOCKOUT_FOR,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.limite, self.janela, self.duracao, self._clock = limite, janela, duracao, clock
        self._lock = threading.Lock()
        self._falhas: dict[str, list[float]] = {}  # client → times of recent failures
        self._ate: dict[str, float] = {}  # client → end of its lock-out

    def restante(self, cliente: str) -> float:
        """Seconds this client stays locked out (0 when it is not)."""
        with self._lock:
            return max(0.0, self._ate.get(cliente, 0.0) - self._clock())

    def falhou(self, cliente: str) -> tuple[int, float]:
        """Record a failure: (recent failures of this client, seconds locked out from now)."""
        now = self._clock()
        with self._lock:
            recent = [t for t in self._falhas.pop(cliente, []) if now - t < self.janela]
            recent.append(now)
            self._falhas[cliente] = recent  # re-inserted last: the dict stays oldest-first
            if len(recent) >= self.limite:
                self._ate[cliente] = now + self.duracao
                self._falhas[cliente] = []
            while len(self._falhas) > _MAX_CLIENTS:
                self._falhas.pop(next(iter(self._falhas)))
            for c in [c for c, t in self._ate.items() if t <= now]:
                del self._ate[c]
            return len(recent), max(0.0, self._ate.get(cliente, 0.0) - now)

    def acertou(self, cliente: str) -> None:
        with self._lock:
            self._falhas.pop(cliente, None)


BLOQUEIOS = Bloqueios()


@dataclass(frozen=True)
class Resposta:
    """The answer to one password attempt."""

    ok: bool
    bloqueado: float = 0.0  # seconds the client is locked out for (then nothing was compared)


def check_password(
    typed: str,
    expected: str,
    failures: int,
    cliente: str = "desconhecido",
    sleep: Callable[[float], None] | None = None,
    bloqueios: Bloqueios | None = None,
) -> Resposta:
    """One attempt from a session that already failed ``failures`` times, from ``cliente``.

    * a locked-out client gets its remaining lock-out at once, and nothing is compared;
    * otherwise compare (constant time); a failure is logged (never the guess), counted for the
      client (:class:`Bloqueios`) and answered after :func:`failure_delay`, slept by this
      session alone: no lock is held while it waits, so a correct password from another
      session is answered at once whatever others are paying.
    """
    bloqueios = bloqueios or BLOQUEIOS
    restante = bloqueios.restante(cliente)
    if restante > 0:
        _log.warning("manager password attempt from locked-out client %s refused", cliente)
        return Resposta(False, restante)
    if password_matches(typed, expected):
        bloqueios.acertou(cliente)
        _log.info("manager password accepted from client %s", cliente)
        return Resposta(True)
    recentes, bloqueado = bloqueios.falhou(cliente)
    _log.warning(
        "wrong manager password from client %s (failure %d of this session, %d of this client "
        "in %d min)",
        cliente,
        failures + 1,
        recentes,
        int(bloqueios.janela // 60),
    )
    if bloqueado:
        _log.warning("client %s locked out for %d min", cliente, math.ceil(bloqueado / 60))
    (sleep or _sleep)(failure_delay(failures + 1))
    return Resposta(False, bloqueado)


_SESSION_KEY = secrets.token_bytes(32)


def password_fingerprint(expected: str) -> str:
    """What a session keeps after a correct password: changing the password logs everyone out."""
    return hmac.new(_SESSION_KEY, _digest(expected), hashlib.sha256).hexdigest()


# --- local mode --------------------------------------------------------------------------------

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
# The headers a browser itself sends on the WebSocket handshake (Chromium, Firefox, Safari). Any
# other header (X-Forwarded-For, X-Forwarded-Proto, Forwarded, Via, X-Real-IP,
# X-Envoy-External-Address, Fastly-Client-IP, CF-Connecting-IP…, and any a future proxy invents)
# means something stands between the browser and the server, so the request is not local.
BROWSER_HEADERS = frozenset(
    {
        "host",
        "connection",
        "upgrade",
        "origin",
        "user-agent",
        "accept",
        "accept-encoding",
        "accept-language",
        "cache-control",
        "pragma",
        "cookie",
        "dnt",
        "sec-gpc",
        "priority",
    }
)
BROWSER_HEADER_PREFIXES = ("sec-websocket-", "sec-fetch-", "sec-ch-ua")


def is_browser_header(name: str) -> bool:
    name = name.strip().lower()
    return name in BROWSER_HEADERS or name.startswith(BROWSER_HEADER_PREFIXES)


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


def _origin_netloc(origin: str) -> str | None:
    """``host:port`` of an Origin (``http://localhost:8501`` → ``localhost:8501``); None if it is
    not a http(s) origin."""
    v = origin.strip().lower()
    for scheme in ("http://", "https://"):
        if v.startswith(scheme):
            rest = v[len(scheme) :]
            return rest if rest and "/" not in rest and "@" not in rest else None
    return None


def _is_loopback_host(value: str) -> bool:
    host = _host_of(value)
    return host in _LOOPBACK_NAMES or _is_loopback_ip(host)


def is_local_request(peer_ip: str | None, headers: Mapping[str, str | list[str]]) -> bool:
    """True only when everything says the browser runs on this machine.

    * the TCP peer is a loopback address (unknown → not local);
    * the ``Host`` header names the loopback (``localhost``, ``127.0.0.1``, ``[::1]``), so a
      reverse proxy that forwards a public name does not count;
    * the ``Origin``, when sent, is the dashboard's own (scheme-less ``host:port`` equal to the
      ``Host``): a browser always sends it on the WebSocket handshake, so another site, or a
      page served from another port of this same machine, does not count;
    * every header is one a browser sends by itself (:data:`BROWSER_HEADERS`): anything else,
      such as ``X-Forwarded-For`` or ``X-Forwarded-Proto``, means a proxy or tunnel.

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
    # the dashboard's own origin only ("null", a sandboxed page, is nobody's)
    if not all(
        _origin_netloc(o) in {h.strip().lower() for h in hosts} for o in lower.get("origin", [])
    ):
        return False
    return all(is_browser_header(h) for h in lower)
