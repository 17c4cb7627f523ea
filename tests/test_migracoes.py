"""Schema migrations: a database made by main before migrations existed (tests/fixtures, written
by commit a0e3101 with tests/fixtures/make_legacy_db.py) upgrades in place with nothing lost, on
SQLite and on PostgreSQL; a new database gets every revision; the tables the code uses are exactly
the migrated ones; several servers starting at once against one database all succeed."""

from __future__ import annotations

import hashlib
import shutil
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

import pmas.dados.mapas  # noqa: F401  (its table joins the metadata compared below)
from pmas.cli import main
from pmas.dados import migrations
from pmas.dados.store import Store, md
from tests.conftest import PG_URL, fresh_database

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LEGACY_SQLITE = FIXTURES / "legacy_a0e3101.db"
LEGACY_PG = FIXTURES / "legacy_a0e3101_pg.sql"


def _restore_pg_dump(url: str) -> None:
    """Replay the plain-SQL pg_dump of the legacy database into an empty PostgreSQL database."""
    engine = create_engine(url)
    try:
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute(LEGACY_PG.read_text(encoding="utf-8"))
            raw.commit()
        finally:
            raw.close()
    finally:
        engine.dispose()


def test_the_newest_revision_file_is_the_head_of_alembics_chain():
    """head() reads the newest file's revision without Alembic (opening a database at head does
    not import it): it must be where Alembic's own chain of down_revisions ends."""
    assert migrations.head() == migrations.alembic_head()


def test_opening_a_database_at_head_does_not_import_alembic(tmp_path):
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'p.db'}"
    Store(url).engine.dispose()  # created and migrated here
    code = (
        "import sys; from pmas.dados.store import Store; "
        f"Store({url!r}).engine.dispose(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _schema_diff(engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), md)


def _check_legacy_upgraded(store: Store) -> None:
    """Everything make_legacy_db.py stored is there, as it was, after the upgrade."""
    with store.engine.connect() as conn:
        assert migrations.current(conn) == migrations.head()
    assert len(store.load_all("metas")) == 206
    assert len(store.load_all("conferencias")) == 212
    assert len(store.load_all("indicadores")) == 21
    versions = store.versions()
    assert len(versions) == 6
    assert sum(v.exemplo for v in versions) == 4  # 2021 (conferences only), 2022-2024
    maringa = [v for v in versions if v.municipio == "Maringá"]
    assert [(v.numero, v.atual) for v in maringa] == [(2, False), (1, True)]
    assert maringa[0].anterior_id == maringa[1].id
    londrina_id = next(v.plano_id for v in versions if v.municipio == "Londrina")
    assert store.report_fields(londrina_id, 2023) == {"apresentacao": "Texto do gestor"}
    audit = store.audit()
    assert len(audit) == 8
    assert set(audit["acao"]) == {"importacao", "desfazer", "relatorio"}
    for v in versions:  # the kept uploads, byte for byte
        nome, conteudo = store.file(v.arquivo_sha256)
        assert hashlib.sha256(conteudo).hexdigest() == v.arquivo_sha256
    # the figures of the example 2023 plan year, as main computed them before the upgrade
    metas = store.load("metas", londrina_id, [2023])
    assert len(metas) == 68
    assert metas["eixo_numero"].notna().all()
    # revision 0002: the example's plan is marked as such, periods are columns
    plans = {p.municipio: (pid, p) for pid, p in store.plans()}
    assert plans["Londrina"][1].exemplo and not plans["Maringá"][1].exemplo
    # revision 0005: the example's plan is named apart, so a real plan of its period can exist
    assert plans["Londrina"][1].nome == "PMAS 2022-2025 (exemplo)"
    assert not store.examples_removed()
    assert store.plan_in_force("Maringá", 2024) == plans["Maringá"]
    assert store.plan_in_force("Maringá", 2026) is None
    assert _schema_diff(store.engine) == []


def test_sqlite_database_made_by_old_main_upgrades_in_place(tmp_path):
    path = tmp_path / "legado.db"
    shutil.copy(LEGACY_SQLITE, path)
    store = Store(f"sqlite:///{path}")
    try:
        _check_legacy_upgraded(store)
        # opening it again changes nothing
        assert store.upgrade() == (migrations.head(), migrations.head())
    finally:
        store.engine.dispose()


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL runs when PMAS_TESTE_PG_URL is set")
def test_postgresql_database_made_by_old_main_upgrades_in_place(tmp_path):
    with fresh_database(tmp_path) as url:
        _restore_pg_dump(url)
        store = Store(url)
        try:
            _check_legacy_upgraded(store)
        finally:
            store.engine.dispose()


def test_new_database_gets_every_revision_and_matches_the_code(banco_url):
    store = Store(banco_url)
    try:
        with store.engine.connect() as conn:
            assert migrations.current(conn) == migrations.head()
        assert _schema_diff(store.engine) == []
    finally:
        store.engine.dispose()


def test_cli_banco_atualizar(capsys, tmp_path):
    path = tmp_path / "legado.db"
    shutil.copy(LEGACY_SQLITE, path)
    url = f"sqlite:///{path}"
    assert main(["--banco", url, "banco", "atualizar"]) == 0
    out = capsys.readouterr().out
    assert f"→ {migrations.head()}" in out
    assert main(["--banco", url, "banco", "atualizar"]) == 0
    assert "já está atualizado" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["--banco", url, "banco"])
    assert exc.value.code == 2


def test_several_servers_starting_at_once_on_an_empty_database(banco_url):
    """Four app servers open one new database at the same instant: the tables are created once
    (PostgreSQL: advisory lock; SQLite: BEGIN IMMEDIATE) and every server starts."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def start() -> None:
        try:
            barrier.wait()
            Store(banco_url).engine.dispose()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    engine = create_engine(banco_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
            assert migrations.current(conn) == migrations.head()
    finally:
        engine.dispose()
