"""Who writes: the :class:`Actor` every write service takes explicitly.

Every function that changes stored data (an import, an undo, the report's fields, and whatever
write services come next: plan changes, approval steps…) takes ``actor=`` as a keyword argument
and starts with :func:`exigir`. The service never asks a session, a request or the environment
who is calling: each front end builds the actor itself, after its own check:

* the dashboard: :func:`pmas.ui.acesso.actor_atual` (``None`` for a reader) from the configured
  mode (``oidc``, ``senha`` or ``local``, see :mod:`pmas.acesso.auth`), at the moment of writing;
* the command line: :func:`linha_de_comando`, the operating-system user (whoever can run the
  command can already open the database file), recorded as "usuário (linha de comando)";
* tests: ``Actor("Maria", SENHA)`` and so on.

``actor.registro`` is what the history and the audit log record as ``usuario``.

A write service looks like::

    def salvar_algo(store: Store, ..., *, actor: Actor | None) -> ...:
        actor = exigir(actor)             # SemPermissao (a PermissionError) for a reader
        store.save_algo(..., usuario=actor.registro)
"""

from __future__ import annotations

import getpass
import unicodedata
from dataclasses import dataclass

from pmas import textos

OIDC = "oidc"
SENHA = "senha"
LOCAL = "local"
LINHA_DE_COMANDO = "linha_de_comando"
MODOS = (OIDC, SENHA, LOCAL, LINHA_DE_COMANDO)

T = textos.ACESSO


class SemPermissao(PermissionError):
    """The caller may not write; the message is Portuguese and, when the dashboard's mode is
    known, says how to get access."""

    def __init__(self, modo: str | None = None):
        self.modo = modo
        como = T.get(f"como_{modo}", "") if modo else ""
        super().__init__(T["sem_permissao"].format(como=como).strip())


def limpar_nome(nome: str, limite: int = 80) -> str:
    """A typed name made safe to store: no control characters, spaces folded, at most ``limite``."""
    text = "".join(
        ch for ch in unicodedata.normalize("NFC", nome or "") if unicodedata.category(ch)[0] != "C"
    )
    return " ".join(text.split())[:limite]


@dataclass(frozen=True)
class Actor:
    """Who is writing (``nome``) and how that was established (``modo``, one of :data:`MODOS`).

    ``nome`` is the e-mail for ``oidc``, the name typed with the password for ``senha`` (not a
    proven identity), the operating-system user for ``linha_de_comando``; ``local`` has none.
    """

    nome: str
    modo: str

    def __post_init__(self):
        if self.modo not in MODOS:
            raise ValueError(f"unknown authentication mode: {self.modo!r}")
        nome = limpar_nome(self.nome, 200)
        object.__setattr__(self, "nome", nome.lower() if self.modo == OIDC else nome)

    @property
    def registro(self) -> str:
        """The name recorded in the history and the audit log."""
        if self.modo == OIDC:
            return self.nome
        if self.modo == SENHA:
            return T["registro_senha"].format(nome=self.nome or T["registro_sem_nome"])
        if self.modo == LOCAL:
            return T["registro_local"]
        return T["registro_cli"].format(nome=self.nome or T["registro_sem_nome_cli"])


def linha_de_comando() -> Actor:
    """The command line's actor: the operating-system user running it."""
    try:
        nome = getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (e.g. an unnamed container uid)
        nome = ""
    return Actor(nome, LINHA_DE_COMANDO)


def exigir(actor: Actor | None) -> Actor:
    """The first line of every write service: the actor, or :class:`SemPermissao` for anyone
    else (``None`` is what the dashboard passes for a reader)."""
    if not isinstance(actor, Actor):
        raise SemPermissao()
    return actor
