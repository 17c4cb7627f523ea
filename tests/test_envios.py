"""Readers' uploads are dropped, not kept in memory; a manager's stays only while it is the
file on screen (issue #12, item 5). Against Streamlit's own MemoryUploadedFileManager, the
object its upload endpoint stores files in."""

from __future__ import annotations

import pytest
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from pmas.ui import envios
from tests.test_page_importar import db, slept  # noqa: F401  (fixtures)


def _rec(file_id: str, size: int = 9 * 1024 * 1024) -> UploadedFileRec:
    return UploadedFileRec(file_id=file_id, name="x.xlsx", type="application/zip", data=b"x" * size)


@pytest.fixture
def manager():
    m = MemoryUploadedFileManager("/_stcore/upload_file")
    assert envios.instalar(m)
    yield m
    envios._PERMITIDAS.clear()
    envios._VISTOS.clear()


def test_a_session_not_allowed_to_import_keeps_nothing(manager):
    for i in range(40):  # the attack: 40 × 9 MB PUT by a reader
        manager.add_file("leitor", _rec(f"f{i}"))
    assert manager.get_files("leitor", [f"f{i}" for i in range(40)]) == []
    assert manager._total_bytes == 0 and not manager.file_storage.get("leitor")


def test_a_manager_session_uploads_and_keeps_only_the_file_on_screen(manager):
    envios.permitir("gestor")
    manager.add_file("gestor", _rec("antigo", 1000))
    assert envios.liberar("antigo", session_id="gestor", manager=manager) == 0  # its run
    manager.add_file("gestor", _rec("atual", 2000))
    assert {f.file_id for f in manager.get_files("gestor", ["antigo", "atual"])} == {
        "antigo",
        "atual",
    }
    assert envios.liberar("atual", session_id="gestor", manager=manager) == 1
    assert [f.file_id for f in manager.get_files("gestor", ["antigo", "atual"])] == ["atual"]
    assert manager._total_bytes == 2000
    # after the import, nothing
    envios.liberar(tudo=True, session_id="gestor", manager=manager)
    assert manager._total_bytes == 0


def test_a_file_chosen_while_the_previous_run_goes_on_is_not_freed_by_it(manager):
    """The race: the run for the old file frees "everything but the old file" just after the new
    one arrived; the new file must survive until its own rerun shows it."""
    envios.permitir("gestor")
    manager.add_file("gestor", _rec("antigo", 1000))
    envios.liberar("antigo", session_id="gestor", manager=manager)
    manager.add_file("gestor", _rec("novo", 2000))  # PUT while the old file's run goes on
    assert envios.liberar("antigo", session_id="gestor", manager=manager) == 0
    assert {f.file_id for f in manager.get_files("gestor", ["novo"])} == {"novo"}
    assert envios.liberar("novo", session_id="gestor", manager=manager) == 1  # its rerun
    assert [f.file_id for f in manager.get_files("gestor", ["antigo", "novo"])] == ["novo"]


def test_a_file_removed_from_the_uploader_is_freed_on_the_next_run(manager):
    envios.permitir("gestor")
    manager.add_file("gestor", _rec("f", 1000))
    envios.liberar("f", session_id="gestor", manager=manager)
    envios.liberar(None, session_id="gestor", manager=manager)  # the manager took it off
    assert manager._total_bytes == 0


def test_revoking_drops_what_the_session_sent(manager):
    envios.permitir("s")
    manager.add_file("s", _rec("a", 10))
    envios.revogar("s", manager=manager)
    assert manager._total_bytes == 0 and not envios.pode_enviar("s")
    manager.add_file("s", _rec("b", 10))
    assert manager._total_bytes == 0


def test_installing_twice_guards_once(manager):
    guarded = manager.add_file
    assert envios.instalar(manager) and manager.add_file is guarded


def test_without_a_running_server_nothing_is_installed():
    assert envios.instalar() is False  # tests and bare runs: no upload endpoint


@pytest.mark.usefixtures("db")
def test_the_importar_screen_allows_only_a_managers_session():
    from tests.test_page_importar import _app, _login

    envios._PERMITIDAS.clear()
    at = _app()  # a reader: the password form, no uploader
    assert not envios._PERMITIDAS
    at = _login(at)
    assert at.get("file_uploader") and len(envios._PERMITIDAS) == 1
    envios._PERMITIDAS.clear()
