"""The Importar screen's write-error branches under AppTest, each against a real database: the
data changed between the check and the confirmation, the manager's permission ended meanwhile,
the database locked by another writer, and an undo that someone else already did. In each, no
traceback, a Portuguese message, and nothing stored but what the other party stored."""

from __future__ import annotations

import sqlite3

import pytest

from pmas import textos
from pmas.acesso import auth
from pmas.dados.plano import LONDRINA
from pmas.entrada.pipeline import import_file
from tests import test_page_importar as imp
from tests.test_page_importar import _app, _changed, _current, _good, _login, _run, _texts, _upload

db, slept = imp.db, imp.slept  # the Importar tests' fixtures: a manager password, a fresh plan

T = textos.IMPORTAR


def test_a_version_stored_meanwhile_makes_the_preview_be_redone(db):
    at = _upload(_login(_app()), "metas 2023.xlsx", _good())
    assert at.button(key="confirmar_importacao")
    import_file(db, _changed(), "da colega.xlsx", LONDRINA, usuario="colega")  # meanwhile
    at.button(key="confirmar_importacao").click()
    at = _run(at)
    assert T["mudou"] in _texts(at)
    assert [(v.ano, v.numero, v.usuario) for v in db.versions()] == [(2023, 1, "colega")]
    # checked again against what is stored now, the manager may confirm
    at.button(key="confirmar_importacao").click()
    at = _run(at)
    assert _current(db) == [(2023, 2)]


def test_a_manager_whose_password_changed_meanwhile_stores_nothing(db, monkeypatch):
    at = _upload(_login(_app()), "metas 2023.xlsx", _good())
    monkeypatch.setenv(auth.ENV_SENHA, "a-senha-foi-trocada-agora")
    at.button(key="confirmar_importacao").click()
    at = _run(at)
    assert db.versions() == []
    assert not at.get("file_uploader")
    assert "confirmar_importacao" not in [b.key for b in at.button]
    assert textos.ACESSO["senha_botao"] in {b.label for b in at.button}  # asked to log in again


@pytest.mark.so_sqlite
def test_a_database_locked_by_another_writer_stores_nothing_and_says_so(db, monkeypatch):
    monkeypatch.setenv("PMAS_SQLITE_ESPERA_S", "0.5")
    at = _upload(_login(_app()), "metas 2023.xlsx", _good())
    other = sqlite3.connect(db.url.split("///", 1)[1], timeout=0.5, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        at.button(key="confirmar_importacao").click()
        at = _run(at)
    finally:
        other.execute("ROLLBACK")
        other.close()
    errors = " ".join(e.value for e in at.error)
    assert T["banco_ocupado"] in errors and "código do erro" in errors
    assert db.versions() == []
    # the lock gone, the same confirmation goes through
    at.button(key="confirmar_importacao").click()
    at = _run(at)
    assert _current(db) == [(2023, 1)]


def test_an_undo_someone_else_did_first_is_not_done_twice(db):
    import_file(db, _good(), "v1.xlsx", LONDRINA, usuario="gestora")
    import_file(db, _changed(), "v2.xlsx", LONDRINA, usuario="gestora")
    at = _login(_app())
    at.checkbox(key="desfazer_ok_2023_2").check()
    at = _run(at)
    db.undo(LONDRINA.municipio, 2023, usuario="colega")  # meanwhile
    at.button(key="desfazer_botao").click()
    at = _run(at)
    assert _current(db) == [(2023, 1)]  # v1, once: not undone again
    assert not at.error
    assert [a for a in db.audit()["acao"] if a == "desfazer"] == ["desfazer"]
