"""The column read of a large sheet (fastexcel's parse, :mod:`pmas.entrada.colunar`) started
early, in another process, while the reader inflates and scans the file for the caps
(:mod:`pmas.entrada.reader`): the two run on two cores instead of one after the other.

fastexcel's parse is most of an import (0,3 s of a 50.000-row sheet, 0,03 s of a 5.000-row one)
and the scan that must come before its result is used (inflating and measuring the sheet: 0,15 s
and 0,015 s) does not need it. The other process parses bytes not yet scanned, so it is fenced
in: it runs under the analysis's CPU and memory limits, dies with the analysis process
(``PR_SET_PDEATHSIG``), shares nothing with it but the file's bytes, and hands back only the
Arrow columns it read (an IPC stream in an anonymous memory file) or that the read failed. What
it read is used only when every check of the scan passed and the reader asks for that very
sheet, read from those very bytes (:meth:`Antecipada.lote`); otherwise it is stopped
(:meth:`Antecipada.cancelar`) and the read runs as it would without it. When the other process
dies (a limit reached on a file the scan would have refused, say) the read runs here, after the
scan, as before.

Two ways, whichever the process has:

* **the helper** (:class:`Ajudante`, ``python -m pmas.entrada.antecipada``): started once by
  the server's analysis worker (:mod:`pmas.entrada.isolado`) and kept warm; it gets the bytes
  in an anonymous memory file and sets the job's limits on itself for each read. A helper that
  is stopped mid-read (the scan refused the file) is replaced at once;
* **a fork** of the analysis process, for sheets of :data:`MINIMO` bytes or more, where there is
  no helper (the command line's analysis child). Below that size the fork, and the pages it
  makes both processes copy, cost what the overlap saves (measured: nothing gained at 5.000
  rows, 6 ms at 10.000, 100 ms at 50.000). Only in a single-threaded process (forking a
  threaded one can copy a lock another thread holds).

Linux only (``memfd_create``, ``prctl``); elsewhere the read runs after the scan.
"""

from __future__ import annotations

import ctypes
import logging
import mmap
import os
import pickle
import select
import signal
import socket
import subprocess
import sys
import threading
from functools import cache
from typing import Any

from pmas.entrada.canal import com_canal

log = logging.getLogger(__name__)

# Sheets whose XML is smaller than this (about 10.000 rows of goals) are not worth a fork.
MINIMO = 6 * 1024 * 1024
# Nor, smaller than this (about 400 rows), worth the helper's round trip.
MINIMO_AJUDANTE = 256 * 1024
# The limits of the job under way (pmas.entrada.limites.Limites), set by the worker for each
# job: the helper puts them on itself for its read. None: the defaults.
LIMITES: Any = None
_PR_SET_PDEATHSIG = 1
_LIDO, _RECUSADO, _PRONTO = b"k", b"e", b"p"  # columns written; the read raised; warm


@cache
def _prctl():
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError, TypeError):
        return None


def _um_so_fio() -> bool:
    return threading.active_count() == 1


def _linux() -> bool:
    return hasattr(os, "memfd_create") and hasattr(os, "fork") and _prctl() is not None


def _morrer_com_o_pai(pai: int) -> None:
    _prctl()(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != pai:  # the parent died before the signal was asked for
        os._exit(1)


def _mapear(memfd: int) -> Any:
    """The Arrow columns written into ``memfd``, mapped (not copied); None when unreadable."""
    try:
        import pyarrow as pa

        size = os.fstat(memfd).st_size
        mapped = mmap.mmap(memfd, size, mmap.MAP_SHARED, mmap.PROT_READ)
        return pa.ipc.open_stream(pa.py_buffer(mapped)).read_next_batch()
    except Exception:  # a torn stream: read here instead
        log.debug("leitura antecipada ilegível", exc_info=True)
        return None


def _ler(data: bytes, aba: str, opcoes: dict[str, Any], memfd: int) -> bytes:
    """fastexcel's read, its columns written into ``memfd``: what to answer."""
    import fastexcel
    import pyarrow as pa

    try:
        batch = fastexcel.read_excel(data).load_sheet_eager(aba, **opcoes)
    except Exception:
        return _RECUSADO
    with open(memfd, "wb", closefd=False, buffering=0) as f:
        with pa.ipc.new_stream(f, batch.schema) as writer:
            writer.write_batch(batch)
    return _LIDO


class Antecipada:
    """A read of the sheet ``aba`` under way elsewhere (``opcoes``: the keyword arguments of
    fastexcel's ``load_sheet_eager``)."""

    def __init__(self, aba: str, opcoes: dict[str, Any], memfd: int) -> None:
        self.aba = aba
        self.opcoes = dict(opcoes)
        self._memfd: int | None = memfd

    def lote(self, aba: str, opcoes: dict[str, Any]) -> Any:
        """The columns read, when ``aba`` was read with ``opcoes`` (the caller reads the very
        bytes given here); raises ValueError when that read raised (as fastexcel's own read
        would: the caller then reads row-wise); None when something else was read or the read
        did not finish (the caller reads here)."""
        if aba != self.aba or opcoes != self.opcoes or self._memfd is None:
            return None
        word = self._resposta()
        memfd, self._memfd = self._memfd, None
        try:
            if word == _RECUSADO:
                raise ValueError("the early column read raised")
            return _mapear(memfd) if word == _LIDO else None
        finally:
            os.close(memfd)

    def cancelar(self) -> None:
        """Stop the read if it still runs and free what it holds (idempotent; never raises:
        the reader calls it on its way out, refusal or not)."""
        try:
            self._parar()
        except Exception:
            log.warning("leitura antecipada: falha ao parar", exc_info=True)
        if self._memfd is not None:
            os.close(self._memfd)
            self._memfd = None

    def _resposta(self) -> bytes:
        raise NotImplementedError

    def _parar(self) -> None:
        raise NotImplementedError


class _Bifurcada(Antecipada):
    """The read in a child forked for it."""

    def __init__(self, data: bytes, aba: str, opcoes: dict[str, Any]) -> None:
        memfd = os.memfd_create("pmas-antecipada", os.MFD_CLOEXEC)
        r, w = os.pipe()
        pai = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            for fd in (r, w, memfd):
                os.close(fd)
            raise
        if pid == 0:  # pragma: no cover - the child (checked by what it writes)
            code = 0
            try:
                os.close(r)
                _morrer_com_o_pai(pai)
                os.write(w, _ler(data, aba, opcoes, memfd))
            except BaseException:
                code = 2
            finally:
                os._exit(code)
        os.close(w)
        super().__init__(aba, opcoes, memfd)
        self._pid: int | None = pid
        self._r: int | None = r

    def _resposta(self) -> bytes:
        assert self._r is not None
        got = b""
        while chunk := os.read(self._r, 16):
            got += chunk
        self._parar()
        return got

    def _parar(self) -> None:
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(self._pid, 0)
            except ChildProcessError:
                pass
            self._pid = None
        if self._r is not None:
            os.close(self._r)
            self._r = None


class _PeloAjudante(Antecipada):
    """The read asked of the helper."""

    def __init__(self, ajudante: Ajudante, aba: str, opcoes: dict[str, Any], memfd: int):
        super().__init__(aba, opcoes, memfd)
        self._ajudante: Ajudante | None = ajudante

    def _resposta(self) -> bytes:
        ajudante, self._ajudante = self._ajudante, None
        assert ajudante is not None
        return ajudante.resposta()

    def _parar(self) -> None:
        ajudante, self._ajudante = self._ajudante, None
        if ajudante is not None:
            ajudante.dispensar()


class Ajudante:
    """The analysis worker's handle on its helper process (one read at a time)."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen | None = None
        self._canal: socket.socket | None = None
        self._pronto = False
        self.reinicios = 0  # helpers started after the first (the tests read it)

    def iniciar(self) -> None:
        """Start the helper (returns at once; it warms up meanwhile)."""
        pai = os.getpid()
        self._proc, self._canal = com_canal(
            lambda fd: [sys.executable, "-m", "pmas.entrada.antecipada", str(fd), str(pai)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        self._pronto = False

    def pronto(self) -> bool:
        """Whether the helper is warm and idle (never waits)."""
        if self._pronto:
            return True
        if self._canal is None or not select.select([self._canal], [], [], 0)[0]:
            return False
        try:
            self._pronto = self._canal.recv(1) == _PRONTO
        except OSError:
            self._pronto = False
        if not self._pronto:
            self.interromper()
        return self._pronto

    def pedir(self, data: bytes, aba: str, opcoes: dict[str, Any]) -> Antecipada | None:
        """Ask the helper to read ``aba`` of ``data``; None when it cannot be asked now."""
        if not self.pronto() or self._canal is None:
            return None
        memfd = os.memfd_create("pmas-dados", os.MFD_CLOEXEC)
        saida = os.memfd_create("pmas-antecipada", os.MFD_CLOEXEC)
        try:
            with open(memfd, "wb", closefd=False, buffering=0) as f:
                f.write(data)
            pedido = pickle.dumps((aba, dict(opcoes), len(data), LIMITES))
            socket.send_fds(self._canal, [pedido], [memfd, saida])
        except OSError:
            os.close(saida)
            self.interromper()
            return None
        finally:
            os.close(memfd)
        self._pronto = False  # busy until it answers
        return _PeloAjudante(self, aba, opcoes, saida)

    def resposta(self) -> bytes:
        """The helper's answer to the read asked (empty: it died; it is then replaced)."""
        try:
            word = self._canal.recv(1) if self._canal is not None else b""
        except OSError:
            word = b""
        if word in (_LIDO, _RECUSADO):
            self._pronto = True
        else:
            self.interromper()
        return word

    def dispensar(self) -> None:
        """The read asked is no longer wanted: its answer is taken if it came, else the helper
        is stopped (and another started)."""
        if self._canal is not None and select.select([self._canal], [], [], 0)[0]:
            self.resposta()
        else:
            self.interromper()

    def interromper(self) -> None:
        """Stop the helper (a read no longer wanted, or a helper gone) and start another; when
        none can be started (no processes or descriptors left), reads run in the worker."""
        self.parar()
        self.reinicios += 1
        try:
            self.iniciar()
        except OSError:
            log.warning("leitura antecipada: o processo auxiliar não reinicia", exc_info=True)

    def parar(self) -> None:
        proc, self._proc = self._proc, None
        if self._canal is not None:
            self._canal.close()
            self._canal = None
        self._pronto = False
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            proc.wait()


_AJUDANTE: Ajudante | None = None


def usar_ajudante() -> Ajudante:
    """Start this process's helper (the analysis worker does, once); returns it."""
    global _AJUDANTE
    if _AJUDANTE is None:
        _AJUDANTE = Ajudante()
        try:
            _AJUDANTE.iniciar()
        except OSError:  # reads then run in the worker, as without a helper
            log.warning("leitura antecipada: o processo auxiliar não inicia", exc_info=True)
    return _AJUDANTE


def iniciar(data: bytes, aba: str, opcoes: dict[str, Any], tamanho: int) -> Antecipada | None:
    """A read of ``aba`` of ``data`` started elsewhere (``tamanho``: the sheet's XML bytes), or
    None when none is worth it or possible here."""
    if not _linux():
        return None
    try:
        if _AJUDANTE is not None and tamanho >= MINIMO_AJUDANTE:
            pedida = _AJUDANTE.pedir(data, aba, opcoes)
            if pedida is not None:
                return pedida
        if tamanho >= MINIMO and _um_so_fio():
            return _Bifurcada(data, aba, opcoes)
    except Exception:  # an optimisation only: never a finding about the user's file
        log.warning("leitura antecipada não iniciada", exc_info=True)
    return None


def _servir(canal: socket.socket, pai: int) -> None:
    """The helper: warm up, then one read per request, under the job's limits."""
    _morrer_com_o_pai(pai)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from pmas.entrada import memoria
    from pmas.entrada.limites import Limites, limit_self, unlimit_self

    _aquecer()
    canal.sendall(_PRONTO)
    while True:
        pedido, fds, _, _ = socket.recv_fds(canal, 1 << 16, 2)
        if not pedido or len(fds) != 2:
            return  # the worker is gone (or spoke nonsense)
        memfd, saida = fds
        try:
            aba, opcoes, tamanho, limites = pickle.loads(pedido)
            data = _bytes_de(memfd, tamanho)
            limit_self(limites or Limites.do_ambiente())
            word = _ler(data, aba, opcoes, saida)
            unlimit_self()
        except BaseException:  # a limit reached (MemoryError), or a bug: the worker reads
            os._exit(3)
        os.close(saida)
        del data
        memoria.devolver(tamanho)  # what the parse freed, back to the system between reads
        canal.sendall(word)


def _bytes_de(memfd: int, tamanho: int) -> bytes:
    """The file's bytes the worker wrote into ``memfd`` (read from its start: the descriptor
    shares the worker's offset, at the end), then closed."""
    try:
        partes, lido = [], 0
        while lido < tamanho and (parte := os.pread(memfd, tamanho - lido, lido)):
            partes.append(parte)
            lido += len(parte)
        return b"".join(partes)
    finally:
        os.close(memfd)


def _aquecer() -> None:
    """One read of a tiny workbook, so the libraries' lazy set-up is done before a job."""
    import io

    try:
        import xlsxwriter

        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True})
        wb.add_worksheet("a").write_column(0, 0, ["x", 1.5, "y", True])
        wb.close()
        with open(os.memfd_create("pmas-aquecimento"), "wb+", buffering=0) as f:
            _ler(buf.getvalue(), "a", {"header_row": None}, f.fileno())
    except Exception:  # warming is an optimisation only
        log.debug("aquecimento falhou", exc_info=True)


if __name__ == "__main__":
    _servir(socket.socket(fileno=int(sys.argv[1])), int(sys.argv[2]))
