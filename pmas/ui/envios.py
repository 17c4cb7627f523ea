"""Uploads only from sessions that may import, and their memory freed promptly.

Streamlit's upload endpoint (``PUT /_stcore/upload_file/<session>/<file>``) accepts a file for
any active session, whether or not the page shows it an uploader, and keeps the bytes in memory
until the session ends: readers could fill the server's memory. So the server's
``MemoryUploadedFileManager`` gets a guarded ``add_file`` (installed once per server, on the
instance the upload route already holds): a file for a session that was not allowed to import is
dropped (logged, never stored). The Importar screen allows the session of a manager
(:func:`permitir`), and frees the session's other files as soon as they are no longer the one
on screen (:func:`liberar`), and all of them after an import.

A file that arrived after the session's previous :func:`liberar` is never freed by the next
one: its own rerun has not run yet (the manager chose a new file while the run for the old one
was still going), and freeing it would make the new file vanish from the uploader.
"""

from __future__ import annotations

import threading

from pmas.registro import logger
from pmas.ui import interno

_log = logger(__name__)
_LOCK = threading.Lock()
_PERMITIDAS: set[str] = set()
_VISTOS: dict[str, set[str]] = {}  # per session: the file ids its last liberar() left in place
_MARCA = "_pmas_envios_protegido"


def _runtime_manager():
    return interno.gestor_de_envios()


def instalar(manager=None) -> bool:
    """Guard ``manager.add_file`` (the running server's by default). True once it is guarded."""
    manager = manager if manager is not None else _runtime_manager()
    if manager is None or not hasattr(manager, "add_file"):
        return False
    with _LOCK:
        if getattr(manager, _MARCA, False):
            return True
        original = manager.add_file

        def add_file(session_id: str, file) -> None:
            with _LOCK:
                allowed = session_id in _PERMITIDAS
            if not allowed:
                _log.warning(
                    "envio recusado: a sessão não pode importar (%s bytes descartados)",
                    len(getattr(file, "data", b"")),
                )
                return
            original(session_id=session_id, file=file)

        manager.add_file = add_file
        setattr(manager, _MARCA, True)
    return True


def _session_id() -> str | None:
    return interno.id_da_sessao()


def permitir(session_id: str | None = None) -> None:
    """Let this session (a manager's, on the Importar screen) upload."""
    session_id = session_id or _session_id()
    if session_id:
        with _LOCK:
            _PERMITIDAS.add(session_id)


def revogar(session_id: str | None = None, manager=None) -> None:
    """This session may not upload: drop its permission and whatever it sent."""
    session_id = session_id or _session_id()
    if not session_id:
        return
    with _LOCK:
        _PERMITIDAS.discard(session_id)
    liberar(tudo=True, session_id=session_id, manager=manager)


def pode_enviar(session_id: str) -> bool:
    with _LOCK:
        return session_id in _PERMITIDAS


def liberar(
    manter: str | None = None, *, tudo: bool = False, session_id: str | None = None, manager=None
) -> int:
    """Free this session's uploaded files but ``manter`` (a file id); how many were freed.

    Only files already present at the session's previous call are freed (a newer one belongs to
    a rerun still to come), unless ``tudo`` (after an import, or when permission is revoked)."""
    session_id = session_id or _session_id()
    manager = manager if manager is not None else _runtime_manager()
    if not session_id or manager is None:
        return 0
    storage = getattr(manager, "file_storage", {}).get(session_id) or {}
    with _LOCK:
        vistos = _VISTOS.get(session_id, set())
    freed: set[str] = set()
    for file_id in list(storage):
        if file_id != manter and (tudo or file_id in vistos):
            manager.remove_file(session_id, file_id)
            freed.add(file_id)
    with _LOCK:
        _VISTOS[session_id] = set(storage) - freed
    return len(freed)


def esquecer_sessoes_encerradas() -> None:
    """Drop the permissions of sessions that no longer exist (bounded memory)."""
    with _LOCK:
        for session_id in [s for s in _PERMITIDAS if not interno.sessao_ativa(s)]:
            _PERMITIDAS.discard(session_id)
        for session_id in [s for s in _VISTOS if not interno.sessao_ativa(s)]:
            del _VISTOS[session_id]
