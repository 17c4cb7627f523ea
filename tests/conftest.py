"""Shared fixtures: a real database per test (a SQLite file, or PostgreSQL with
PMAS_TESTE_PG_URL) and spreadsheets built in code."""

from __future__ import annotations

import contextlib
import io
import os
import uuid
from pathlib import Path

import openpyxl
import pytest

from pmas.dados.plano import LONDRINA
from pmas.dados.store import Store

ROOT = Path(__file__).resolve().parent.parent


PG_URL = os.environ.get("PMAS_TESTE_PG_URL")  # e.g. postgresql+psycopg://u:p@127.0.0.1/postgres


@contextlib.contextmanager
def fresh_database(folder: Path):
    """The URL of a real, empty database: a SQLite file in ``folder``, or with PMAS_TESTE_PG_URL
    a fresh PostgreSQL database (created here and dropped afterwards)."""
    if not PG_URL:
        yield f"sqlite:///{folder / 'pmas.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    def admin():  # no pool: a database kept to the end of the session holds no connection
        return create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    name = f"pmas_teste_{uuid.uuid4().hex[:12]}"
    with admin().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin().connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


_CREATED: list[contextlib.AbstractContextManager] = []


def database_url(folder: Path) -> str:
    """A fresh database's URL for helpers that are not fixtures (AppTest page helpers, module
    fixtures): like :func:`fresh_database`, dropped at the end of the test session."""
    manager = fresh_database(folder)
    url = manager.__enter__()
    _CREATED.append(manager)
    return url


@pytest.fixture(scope="session", autouse=True)
def _drop_created_databases():
    yield
    while _CREATED:
        _CREATED.pop().__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _pg_idle_connections_closed():
    """With PostgreSQL, after each test the idle connections to the test databases are closed:
    every Store (and the screens' cached ones) keeps a pool, and hundreds of tests would pass
    the server's max_connections. An engine still in use reconnects (pool_pre_ping)."""
    yield
    if not PG_URL:
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    admin = create_engine(PG_URL, poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname LIKE 'pmas_teste_%' AND state = 'idle' AND pid <> pg_backend_pid()"
            )
        )


def pytest_collection_modifyitems(config, items):
    """With PMAS_TESTE_PG_URL, tests about SQLite's own files (marked ``so_sqlite``) do not
    apply: they are deselected, and the count is said, rather than run against SQLite again."""
    if not PG_URL:
        return
    kept = [i for i in items if i.get_closest_marker("so_sqlite") is None]
    dropped = [i for i in items if i.get_closest_marker("so_sqlite") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
def banco_url(tmp_path) -> str:
    """A fresh database's URL (SQLite, or PostgreSQL with PMAS_TESTE_PG_URL)."""
    with fresh_database(tmp_path) as url:
        yield url


@pytest.fixture
def store(banco_url) -> Store:
    """A real, empty database (see :func:`fresh_database`)."""
    s = Store(banco_url)
    try:
        yield s
    finally:
        s.engine.dispose()


@pytest.fixture
def plano():
    return LONDRINA


def xlsx(
    sheets: dict[str, list[list[object]]],
    merges: dict[str, list[str]] | None = None,
    hidden: tuple[str, ...] = (),
) -> bytes:
    """A real .xlsx with the given sheets (name → rows) and merged ranges (name → ["A2:A5"])."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        if name in hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(lines: list[str], encoding: str = "utf-8", sep: str = ";") -> bytes:
    return (
        "\r\n".join(sep.join(cells) if isinstance(cells, list) else cells for cells in lines)
        + "\r\n"
    ).encode(encoding)


@pytest.fixture(autouse=True)
def _fresh_password_lockouts(monkeypatch):
    """Each test starts with no client locked out by another test's wrong passwords."""
    from pmas.acesso import auth

    monkeypatch.setattr(auth, "BLOQUEIOS", auth.Bloqueios())


class _Conexao:
    """Stands for the browser connection an AppTest run does not have (pmas.ui.acesso binds a
    password login to its connection; tests/test_sessao.py checks that with real connections)."""


CONEXAO_DE_TESTE = _Conexao()


@pytest.fixture(autouse=True)
def _one_connection_for_apptest(monkeypatch):
    from pmas.ui import acesso

    monkeypatch.setattr(acesso, "_conexao", lambda: CONEXAO_DE_TESTE)


def logged_in_with_password(session_state, nome: str, senha: str) -> None:
    """What a correct manager password leaves in an AppTest session (on the test connection)."""
    from pmas.acesso import auth
    from pmas.ui import acesso

    acesso._VINCULOS[acesso._conexao()] = "token-de-teste"  # the test connection (above)
    session_state[acesso.K_SENHA] = auth.password_fingerprint(senha)
    session_state[acesso.K_NOME] = nome
    session_state[acesso.K_CONEXAO] = "token-de-teste"


@pytest.fixture(autouse=True)
def _every_import_keeps_the_row_property(monkeypatch):
    """Every workbook analysed in any test keeps the property of tests/propriedade.py: rows read
    = rows stored + rows reported as skipped, every ignored column in the findings."""
    from pmas.entrada import normalize, pipeline
    from tests.propriedade import violations

    real = normalize.normalize_workbook
    # PMAS_TESTE_COLUNAR=1: every file is also read row-wise, and the two reads and their
    # normalisations must agree (tests/equivalencia.py).
    both_ways = os.environ.get("PMAS_TESTE_COLUNAR") == "1"
    row_wise: dict[int, object] = {}

    def checked(*args, **kwargs):
        sheets, findings = real(*args, **kwargs)
        problems = [v for norm in sheets for v in violations(norm)]
        assert not problems, problems
        slow = row_wise.pop(id(args[0]), None) if args else None
        if slow is not None:
            from tests import equivalencia

            slow_sheets, slow_findings = real(slow, *args[1:], **kwargs)
            assert findings == slow_findings
            assert len(sheets) == len(slow_sheets)
            for a, b in zip(sheets, slow_sheets):
                equivalencia.same_normalized(a, b)
        return sheets, findings

    monkeypatch.setattr(pipeline, "normalize_workbook", checked)
    if both_ways:
        from pmas.entrada.findings import Rejected
        from tests import equivalencia

        real_read = pipeline.read

        def read_both_ways(data, filename, *args, **kwargs):
            with equivalencia.columnar(False):
                try:
                    slow = real_read(data, filename, *args, **kwargs)
                except Rejected as exc:
                    slow = exc
            with equivalencia.columnar(True):
                try:
                    fast = real_read(data, filename, *args, **kwargs)
                except Rejected as exc:
                    assert isinstance(slow, Rejected) and exc.findings == slow.findings
                    raise
            assert not isinstance(slow, Rejected), slow.findings
            equivalencia.same_raw(fast, slow)
            row_wise[id(fast)] = slow
            return fast

        monkeypatch.setattr(pipeline, "read", read_both_ways)
