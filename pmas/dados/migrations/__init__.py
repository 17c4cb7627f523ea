"""Schema migrations (Alembic): the database's tables change only through the revisions in
``versions/``, chained one after the other.

:func:`upgrade` brings a database to the newest revision. The :class:`~pmas.dados.store.Store`
calls it when it opens a database, and ``python -m pmas banco atualizar`` calls it by hand. It is
safe when several app servers start at once against one PostgreSQL: the upgrade runs in one
transaction holding an advisory lock, so the first server migrates and the others wait, then find
nothing to do. On SQLite the transaction begins with ``BEGIN IMMEDIATE``, which holds the file's
write lock.

A database created before migrations existed (main at a0e3101 and earlier, whose tables were made
by ``create_all``) has the tables of revision ``0001`` and no ``alembic_version`` table: it is
stamped at ``0001`` first and then upgraded like any other.

A new revision: copy the newest file in ``versions/``, set ``down_revision`` to its ``revision``,
write ``upgrade()`` with ``op`` (``op.batch_alter_table`` for SQLite's ALTERs), and change the
tables in ``pmas/dados/store.py`` to match (tests/test_migracoes.py compares them).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic itself (about a fifth of a second to import) is loaded only when there is something to
# do: opening a database that is already at the newest revision, what every start of the app and
# every command does, reads the revision with plain SQL.

HERE = Path(__file__).resolve().parent
BASELINE = "0001"
# pg_advisory_xact_lock key for schema upgrades: "PMAS" in ASCII.
ADVISORY_LOCK = 0x504D4153


def config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


_REVISION = re.compile(r"^revision\s*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)


@lru_cache(maxsize=1)
def head() -> str:
    """The newest revision: revisions are numbered in their files' names (``0007_….py`` holds
    revision "0007"), so the newest file's. tests/test_migracoes.py checks that this is the head
    of Alembic's own chain."""
    files = sorted(HERE.glob("versions/[0-9][0-9][0-9][0-9]_*.py"))
    if not files:  # the package ships its revisions: only a broken install has none
        raise RuntimeError("pmas/dados/migrations has no revision")
    found = _REVISION.search(files[-1].read_text(encoding="utf-8"))
    if found is None:
        raise RuntimeError(f"{files[-1].name} names no revision")
    return found.group(1)


def alembic_head() -> str | None:
    """The head of Alembic's chain of revisions (what :func:`head` must equal)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config()).get_current_head()


def current(conn: Connection) -> str | None:
    """The database's revision (None: no alembic_version table, or an empty one)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _legacy(conn: Connection) -> bool:
    """Tables made by main before migrations existed (no alembic_version)."""
    return inspect(conn).has_table("planos")


def upgrade(engine: Engine, writer: Engine | None = None) -> tuple[str | None, str]:
    """Bring the database to the newest revision; returns (revision before, revision after).

    ``writer`` is the engine whose transactions take the write lock (the Store's; on SQLite it
    begins with BEGIN IMMEDIATE). Nothing is done, and no lock is taken, when the database is
    already at the newest revision.
    """
    with engine.connect() as conn:
        before = current(conn)
    if before == head():
        return before, before
    from alembic import command

    with (writer or engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK})
        before = current(conn)  # again, under the lock: another server may have done it
        if before is None and _legacy(conn):
            command.stamp(config(conn), BASELINE)
        if before != head():
            command.upgrade(config(conn), "head")
    return before, head()
