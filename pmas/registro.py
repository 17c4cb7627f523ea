"""Logging: module loggers under ``pmas``, an error id the user can quote, and where logs go.

Every caught exception that turns into a message on screen or a finding is logged here with
its traceback and a short id (:func:`registrar_erro`); the user sees the id as "código do
erro", so a municipality's IT can find the traceback in the log. Imports, undos, plan and
approval changes and render failures are logged as events by the modules that do them.

Where the lines go: standard error by default (Streamlit's console); with the environment
variable ``PMAS_LOG_ARQUIVO`` set to a path, also that file (appended, rotated at 10 MB, five
kept). ``PMAS_LOG_NIVEL`` sets the level (``INFO`` by default; ``DEBUG`` for more).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import secrets
import threading

RAIZ = "pmas"
_FORMATO = "%(asctime)s %(levelname)s %(name)s [%(erro)s] %(message)s"
_lock = threading.Lock()
_configurado = False


class _ComCodigo(logging.Filter):
    """Fills ``%(erro)s`` with the record's error id, or "-" for an ordinary line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "erro"):
            record.erro = "-"
        return True


def configurar() -> None:
    """Attach the handlers once per process (idempotent; safe from several threads)."""
    global _configurado
    with _lock:
        if _configurado:
            return
        raiz = logging.getLogger(RAIZ)
        raiz.setLevel(os.environ.get("PMAS_LOG_NIVEL", "INFO").upper())
        raiz.propagate = False
        formato = logging.Formatter(_FORMATO)
        handlers: list[logging.Handler] = [logging.StreamHandler()]
        arquivo = os.environ.get("PMAS_LOG_ARQUIVO")
        if arquivo:
            handlers.append(
                logging.handlers.RotatingFileHandler(
                    arquivo, maxBytes=10 * 1024 * 1024, backupCount=5, encoding="utf-8"
                )
            )
        for h in handlers:
            h.setFormatter(formato)
            h.addFilter(_ComCodigo())
            raiz.addHandler(h)
        _configurado = True


def logger(nome: str) -> logging.Logger:
    """The logger of module ``nome`` (pass ``__name__``), with the handlers configured."""
    configurar()
    return logging.getLogger(nome if nome.startswith(RAIZ) else f"{RAIZ}.{nome}")


def novo_codigo() -> str:
    """A short error id, easy to read aloud: 8 hexadecimal digits in two groups ("3f9a-07c2")."""
    h = secrets.token_hex(4)
    return f"{h[:4]}-{h[4:]}"


def registrar_erro(log: logging.Logger, mensagem: str, exc: BaseException | None = None) -> str:
    """Log ``mensagem`` with the traceback of ``exc`` (or of the exception being handled) under
    a new error id, and return the id for the message the user sees."""
    codigo = novo_codigo()
    log.error(
        mensagem,
        exc_info=(type(exc), exc, exc.__traceback__) if exc is not None else True,
        extra={"erro": codigo},
    )
    return codigo
