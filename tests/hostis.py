"""Parsers gone wrong, run in the analysis child by the tests of pmas.entrada.isolado (through
``Analisador(alvo="tests.hostis:…")`` or ``PMAS_ANALISE_ALVO``): each stands for a bug in ours,
calamine's or openpyxl's code that a crafted file could trigger."""

from __future__ import annotations

import os
import time


def laco(data, filename, *args, on_step=None, **kwargs):
    """Stuck in a loop (burns CPU forever)."""
    if on_step:
        on_step("ler")
    n = 0
    while True:
        n += 1


def aloca(data, filename, *args, on_step=None, **kwargs):
    """Allocates without end."""
    if on_step:
        on_step("ler")
    blocos = []
    while True:
        blocos.append(bytearray(16 * 1024 * 1024))


def dorme(data, filename, *args, on_step=None, **kwargs):
    """Blocked without using CPU (a lock never released, a read that never returns)."""
    time.sleep(3600)


def aborta(data, filename, *args, on_step=None, **kwargs):
    """Native code that aborts the process (what Rust does when an allocation fails)."""
    os.abort()


def eco(data, filename, *args, on_step=None, **kwargs):
    """Answers at once: the size of the bytes and the pid of the process that ran it."""
    if on_step:
        on_step("ler")
    return {"tamanho": len(data), "pid": os.getpid(), "args": args, "kwargs": kwargs}


def por_nome(data, filename, *args, on_step=None, **kwargs):
    """Chooses the misbehaviour by the file's name (for a real server, where one worker serves
    every upload): "laco…" loops, "aloca…" allocates; anything else is analysed for real."""
    if filename.startswith("laco"):
        return laco(data, filename, *args, on_step=on_step, **kwargs)
    if filename.startswith("aloca"):
        return aloca(data, filename, *args, on_step=on_step, **kwargs)
    from pmas.entrada.pipeline import analyse

    return analyse(data, filename, *args, on_step=on_step, **kwargs)


def le(data, filename, *args, on_step=None, **kwargs):
    """Not a misbehaviour: the reader alone, as the import runs it; the findings it refuses the
    file with (empty when it reads it). For tests that bound a crafted file's memory by the
    child's limit rather than by a timer."""
    from pmas.entrada import reader

    try:
        reader.read(data, filename, *args)
    except reader.Rejected as exc:
        return exc.findings
    return []
