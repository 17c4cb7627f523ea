"""The analysis of an uploaded file (read, normalise, validate) in a child process, under a
CPU-time, a wall-time and a memory limit, so that no parser bug — ours, calamine's, openpyxl's —
can stall or kill the process that serves the dashboard.

How it runs:

* a **worker** (``python -m pmas.entrada.isolado``) is started ahead, once per server
  (:func:`aquecer`), imports the libraries and analyses a tiny file so every lazy import is done;
  then it waits for jobs on its standard input;
* for each job the worker sets its own limits with ``resource.setrlimit`` — ``RLIMIT_CPU``
  (counted from the job's start; the kernel stops the process with SIGXCPU) and ``RLIMIT_AS``
  (from its current size; an allocation past it fails: MemoryError in Python, an abort in Rust)
  — runs the analysis in its own process (the libraries' caches stay warm from one upload to the
  next: forking a child per job cost a cold start each time) and lifts the limits again; the app
  kills it at the wall-time limit (a job blocked without using CPU);
* a job that hits a limit is answered with an ``erro`` finding saying which limit, in Portuguese,
  and a new worker is started at once, so the next upload finds it warming or warm.

One job at a time per server (a lock): the limits bound how long a job can keep the next one
waiting. Everything that crosses between processes is pickled: the job is (bytes, file name,
plan, year, reader limits), the answer an :class:`~pmas.entrada.pipeline.Analysis` (or
:class:`Interrompida`, which :func:`pmas.entrada.pipeline.analyse_isolated` turns into one).
The answer's large buffers (the frames' columns: tens of MB for a big file) do not go through
the pipe: they are pickled out of band (protocol 5) into an anonymous shared-memory file the app
made for that job (``memfd_create``; handed to the worker over a Unix socket), which the app
then maps, so the columns are neither copied through the pipe nor unpickled one by one. Where
there is no ``memfd_create`` the whole answer goes through the pipe, as the rest does.

Limits come from :class:`Limites` (defaults below; ``PMAS_ANALISE_CPU_S``,
``PMAS_ANALISE_TEMPO_S`` and ``PMAS_ANALISE_MEMORIA_MB`` override them). ``PMAS_ANALISE_ALVO``
(``modulo:funcao``) replaces the analysis function in the child: a hook for the tests that prove
the limits hold with a parser stuck in a loop or allocating without end.
"""

from __future__ import annotations

import fcntl
import importlib
import io
import logging
import mmap
import os
import pickle
import resource
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pmas import textos
from pmas.entrada import antecipada
from pmas.entrada.canal import com_canal
from pmas.entrada.findings import Finding, finding
from pmas.entrada.limites import Limites, address_space, limit_self, unlimit_self

log = logging.getLogger(__name__)

ALVO_PADRAO = "pmas.entrada.pipeline:analyse"
_HEADER = struct.Struct("<I")
_PRONTO = "pronto"


# --- framing: 4-byte length, then a pickle ------------------------------------------------------


def _send(fd: int, obj: object) -> None:
    _send_body(fd, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def _send_body(fd: int, body: bytes) -> None:
    """Send an already pickled message (the answer is pickled before anything is sent, so a
    MemoryError while pickling it is told apart)."""
    _write_all(fd, _HEADER.pack(len(body)))
    _write_all(fd, body)  # not joined to the header: the answer is tens of MB, one copy less


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _wide(fd: int) -> None:
    """Widen a pipe to the largest size the system allows (Linux's default, 64 KiB, makes an
    answer of tens of MB cross in ~1.000 writes and reads, each a switch between processes;
    with 1 MiB it crosses in about half the time). Best effort: a pipe left as it is works."""
    setpipe = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setpipe is None:
        return
    try:
        with open("/proc/sys/fs/pipe-max-size") as f:
            size = int(f.read())
    except (OSError, ValueError):
        size = 1 << 20
    try:
        fcntl.fcntl(fd, setpipe, size)
    except OSError:
        pass


class _Frames:
    """Reads whole frames from a file descriptor, with a deadline."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buf = bytearray()

    def next(self, deadline: float | None) -> bytes | bytearray | None:
        """The next frame's body; None at end of stream; TimeoutError past ``deadline``."""
        while len(self.buf) < _HEADER.size:
            if not self._read(deadline):
                return None
        (size,) = _HEADER.unpack_from(self.buf)
        end = _HEADER.size + size
        if len(self.buf) >= end:
            small = bytes(self.buf[_HEADER.size : end])
            del self.buf[:end]
            return small
        # A large frame (the answer): read the rest straight into a buffer of its size, rather
        # than growing one and copying the body out of it.
        body = bytearray(size)
        view = memoryview(body)
        have = len(self.buf) - _HEADER.size
        view[:have] = self.buf[_HEADER.size :]
        self.buf.clear()
        while have < size:
            self._wait(deadline)
            got = os.readv(self.fd, [view[have:]])
            if not got:
                return None
            have += got
        return body

    def _wait(self, deadline: float | None) -> None:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            raise TimeoutError

    def _read(self, deadline: float | None) -> bool:
        self._wait(deadline)
        chunk = os.read(self.fd, 1 << 20)
        self.buf += chunk
        return bool(chunk)


# --- the answer: large buffers in shared memory ---------------------------------------------------

_ALINHAMENTO = 64  # each buffer starts on a 64-byte boundary (Arrow's and NumPy's alignment)
_PEQUENO = 4096  # buffers smaller than this stay in the pickle


def memoria() -> int | None:
    """A new anonymous shared-memory file for one answer, or None where there is none."""
    criar = getattr(os, "memfd_create", None)
    if criar is None:
        return None
    try:
        return criar("pmas-analise", getattr(os, "MFD_CLOEXEC", 0))
    except OSError:
        return None


def _alinhado(n: int) -> int:
    return (n + _ALINHAMENTO - 1) // _ALINHAMENTO * _ALINHAMENTO


def _arrow_de_volta(cls: Any, state: dict) -> Any:
    """A pandas Arrow-backed array rebuilt from its state (:class:`_Pickler`)."""
    obj = cls.__new__(cls)
    obj.__setstate__(state)
    return obj


class _Pickler(pickle.Pickler):
    """Pickles a pandas Arrow-backed array (the frames' text columns) by its chunks as they
    are: pandas' own pickling first copies each column into one new chunk, so a column the
    normalised and the checked frames share became two copies, each written to the answer."""

    def reducer_override(self, obj):
        if type(obj).__name__ in ("ArrowStringArray", "ArrowExtensionArray") and hasattr(
            obj, "_pa_array"
        ):
            state = {**obj.__dict__, "_pa_array": obj._pa_array.chunks, "_cache": {}}
            return _arrow_de_volta, (type(obj), state)
        return NotImplemented


def _endereco(m: memoryview) -> int:
    """Where a buffer's bytes start in this process's memory."""
    import numpy as np

    return int(np.frombuffer(m, dtype=np.uint8).ctypes.data)


def resposta(result: object, memfd: int | None) -> bytes:
    """The answer message, pickled. With ``memfd``, every large contiguous buffer (pickle
    protocol 5 hands them out: NumPy's and Arrow's column data) is written to that file and the
    message carries only where each one is; without, everything is in it. Arrow buffers are
    immutable, so one that several columns use (a column the normalised and the checked frames
    share) is written once and read by all of them; NumPy buffers are each written, as pickle
    would copy them."""
    if memfd is None:
        return pickle.dumps(("resultado", result), protocol=pickle.HIGHEST_PROTOCOL)
    grandes: list[memoryview] = []

    def fora(buf: pickle.PickleBuffer) -> bool:  # False: the buffer goes out of band
        try:
            m = buf.raw()
        except BufferError:  # not contiguous: pickled in the message
            return True
        if m.nbytes < _PEQUENO:
            return True
        grandes.append(m)
        return False

    corpo = io.BytesIO()
    _Pickler(corpo, protocol=5, buffer_callback=fora).dump(result)
    partes: list[tuple[int, int]] = []  # (start in the file, size) of each buffer, in order
    escritos: dict[tuple[int, int], int] = {}  # an Arrow buffer's (address, size) → its start
    fim = 0
    for m in grandes:
        chave = None
        if type(m.obj).__module__.startswith("pyarrow"):
            chave = (_endereco(m), m.nbytes)
            if chave in escritos:
                partes.append((escritos[chave], m.nbytes))
                continue
        if chave is not None:
            escritos[chave] = fim
        partes.append((fim, m.nbytes))
        fim += _alinhado(m.nbytes)
    os.ftruncate(memfd, fim)
    feitos: set[int] = set()
    for m, (inicio, n) in zip(grandes, partes, strict=True):
        if inicio in feitos:
            continue
        feitos.add(inicio)
        feito = 0
        while feito < n:
            feito += os.pwrite(memfd, m[feito:], inicio + feito)
    return pickle.dumps(
        ("resultado_mem", corpo.getvalue(), partes, fim), protocol=pickle.HIGHEST_PROTOCOL
    )


def abrir(msg: tuple, memfd: int | None) -> object:
    """The result of an answer message (:func:`resposta`). A ``resultado_mem`` answer's buffers
    are mapped from ``memfd`` privately (copy on write: the frames are writable, the file is
    never changed) and used in place; the mapping lives as long as the frames that use it."""
    if msg[0] == "resultado":
        return msg[1]
    _, corpo, partes, total = msg
    if not total:
        return pickle.loads(corpo)
    assert memfd is not None  # a resultado_mem answer comes only when the app gave a file
    mapa = mmap.mmap(memfd, total, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ | mmap.PROT_WRITE)
    tudo = memoryview(mapa)
    return pickle.loads(corpo, buffers=[tudo[i : i + n] for i, n in partes])


def _fechar(fd: int | None) -> None:
    if fd is not None:
        try:
            os.close(fd)
        except OSError:
            pass


# --- the app's side ------------------------------------------------------------------------------


class Analisador:
    """The server's handle on its worker. Thread-safe; one job at a time."""

    def __init__(self, limites: Limites | None = None, alvo: str | None = None):
        self.limites = limites or Limites.do_ambiente()
        self.alvo = alvo or os.environ.get("PMAS_ANALISE_ALVO") or ALVO_PADRAO
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._frames: _Frames | None = None
        self._canal: socket.socket | None = None  # hands each job's shared-memory file over
        self._pronto = False
        self.trabalhos = 0  # jobs run (tests and the benchmark read it)
        self.reinicios = 0  # workers started after the first

    def iniciar(self) -> None:
        """Start the worker if it is not running (returns at once; it warms up meanwhile)."""
        with self._lock:
            self._ensure_started()

    def _ensure_started(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        if self._proc is not None:
            self.reinicios += 1
            self._close()
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self._proc, self._canal = com_canal(
            lambda fd: [sys.executable, "-m", "pmas.entrada.isolado", self.alvo, str(fd)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self._proc.stdout is not None and self._proc.stdin is not None  # both PIPE
        _wide(self._proc.stdin.fileno())  # the file's bytes go to the worker this way
        _wide(self._proc.stdout.fileno())  # and the analysis comes back this way
        self._frames = _Frames(self._proc.stdout.fileno())
        self._pronto = False

    def _close(self) -> None:
        proc, self._proc, self._frames = self._proc, None, None
        if self._canal is not None:
            self._canal.close()
            self._canal = None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        if proc.poll() is None:
            proc.kill()
        proc.wait()

    def parar(self) -> None:
        with self._lock:
            self._close()

    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def analisar(
        self,
        data: bytes,
        filename: str,
        *args: object,
        on_step: Callable[[str], None] | None = None,
        **kwargs: object,
    ):
        """``alvo(data, filename, *args, on_step=…, **kwargs)`` run in a limited child: its
        result, or :class:`Interrompida` when a limit stopped it."""
        with self._lock:
            for attempt in (1, 2):
                self._ensure_started()
                try:
                    return self._run(data, filename, args, kwargs, on_step)
                except _WorkerGone:
                    self._close()
                    if attempt == 2:
                        log.error("análise isolada: o processo de análise não inicia")
                        return _stopped(filename, data, "analise_interrompida")

    def _run(self, data, filename, args, kwargs, on_step):
        limites = self.limites
        # The worker's own warm-up is not the job's time; one that is not ready in two minutes
        # is broken.
        if not self._pronto:
            try:
                body = self._frames.next(time.monotonic() + 120)
            except TimeoutError:
                body = None
            if body is None or pickle.loads(body) != (_PRONTO,):
                raise _WorkerGone
            self._pronto = True
        memfd = memoria()
        try:
            return self._job(data, filename, args, kwargs, on_step, limites, memfd)
        finally:
            _fechar(memfd)

    def _job(self, data, filename, args, kwargs, on_step, limites, memfd):
        try:
            _send(
                self._proc.stdin.fileno(),
                (data, filename, args, kwargs, limites, memfd is not None),
            )
            if memfd is not None:
                socket.send_fds(self._canal, [b"m"], [memfd])
        except OSError as exc:
            raise _WorkerGone from exc  # not run: safe to send again to a new worker
        self.trabalhos += 1
        deadline = time.monotonic() + limites.parede_s
        while True:
            try:
                body = self._frames.next(deadline)
            except TimeoutError:
                codigo, detalhe = "analise_tempo", textos.ISOLADO_LOG["parede"]
                self._restart()
                break
            if body is None:  # the worker died under a limit
                codigo, detalhe = _death(self._proc.wait())
                self._restart()
                break
            msg = pickle.loads(body)
            if msg[0] == "etapa":
                if on_step:
                    on_step(msg[1])
            elif msg[0] in ("resultado", "resultado_mem"):
                return abrir(msg, memfd)
            else:  # "parou": it says which limit, then exits
                codigo, detalhe = msg[1], msg[2]
                self._restart()
                break
        log.warning("análise isolada de %r parou: %s (%s)", filename, codigo, detalhe)
        return _stopped(filename, data, codigo, limites)

    def _restart(self) -> None:
        """Replace the worker at once, so the next upload finds one warming or warm."""
        self._close()
        self.reinicios += 1
        self._ensure_started()


def _death(returncode: int) -> tuple[str, str]:
    """(finding code, detail) for a worker that died during a job."""
    if returncode < 0:
        sig = -returncode
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        if sig == signal.SIGXCPU:
            return "analise_tempo", name
        if sig in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL):
            # An allocation refused under RLIMIT_AS aborts native code (Rust's allocator); a
            # SIGKILL with no CPU limit set to kill is the kernel's out-of-memory killer.
            return "analise_memoria", name
        return "analise_interrompida", name
    return "analise_interrompida", textos.ISOLADO_LOG["saida"].format(codigo=returncode)


class _WorkerGone(Exception):
    pass


@dataclass(frozen=True)
class Interrompida:
    """The answer for a job a limit stopped: the ``erro`` finding that says which limit."""

    achado: Finding


def _stopped(filename: str, data: bytes, codigo: str, limites: Limites | None = None):
    limites = limites or Limites()
    return Interrompida(
        finding(
            codigo,
            cpu=limites.cpu_s,
            tempo=round(limites.parede_s),
            memoria=f"{limites.memoria_mb} MB",
        )
    )


_PADRAO: Analisador | None = None
_PADRAO_LOCK = threading.Lock()


def padrao() -> Analisador:
    """The process-wide analyser (one worker per server), following the environment: its limits
    are read again for each job, and a changed ``PMAS_ANALISE_ALVO`` gets a new worker."""
    global _PADRAO
    alvo = os.environ.get("PMAS_ANALISE_ALVO") or ALVO_PADRAO
    with _PADRAO_LOCK:
        if _PADRAO is None or _PADRAO.alvo != alvo:
            if _PADRAO is not None:
                _PADRAO.parar()
            _PADRAO = Analisador(alvo=alvo)
        _PADRAO.limites = Limites.do_ambiente()
        return _PADRAO


def _worker_started() -> bool:
    return _PADRAO is not None and _PADRAO.pid() is not None


def aquecer() -> None:
    """Start the worker ahead, so the first upload finds the libraries imported."""
    padrao().iniciar()


def analyse(data: bytes, filename: str, *args: object, **kwargs: Any):
    """:func:`pmas.entrada.pipeline.analyse` in a limited child (same arguments): the warm
    worker in a multi-threaded server (or wherever one was started, :func:`aquecer`), or a
    child forked straight from this process when it runs a single thread and has no worker
    (the command line: its libraries are imported already, and forking a single-threaded
    process is safe)."""
    on_step = kwargs.pop("on_step", None)
    if threading.active_count() == 1 and not _worker_started():
        fn = _resolve(os.environ.get("PMAS_ANALISE_ALVO") or ALVO_PADRAO)
        limites = Limites.do_ambiente()
        return analisar_aqui(fn, data, filename, args, kwargs, on_step, limites)
    return padrao().analisar(data, filename, *args, on_step=on_step, **kwargs)


# --- the worker's side ---------------------------------------------------------------------------


def _resolve(alvo: str) -> Callable:
    module, _, name = alvo.partition(":")
    return getattr(importlib.import_module(module), name)


def _warm_up(real: Callable) -> None:
    """Run the real analysis once on a tiny workbook so every lazy import is done."""
    import io

    try:
        import xlsxwriter

        from pmas.dados import schema
        from pmas.dados.plano import Plano

        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True})
        rotulos = schema.METAS.labels()
        wb.add_worksheet(schema.METAS.label).write_row(
            0, 0, [rotulos[c] for c in ("eixo", "acao", "meta", "situacao")]
        )
        wb.close()
        real(buf.getvalue(), "aquecimento.xlsx", Plano("Aquecimento", "Aquecimento", 2000, 2001))
    except Exception:  # warming is an optimisation only
        log.debug("aquecimento falhou", exc_info=True)


def _child(job, fn: Callable, out_fd: int, memfd: int | None) -> None:
    """In the forked child: set the limits, run the job, send the result (its large buffers
    into ``memfd``). Never returns."""
    code = 0
    try:
        data, filename, args, kwargs, limites = job
        resource.setrlimit(resource.RLIMIT_CPU, (limites.cpu_s, limites.cpu_s + 2))
        size = address_space()
        if size:
            cap = size + limites.memoria_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

        def step(name: str) -> None:
            _send(out_fd, ("etapa", name))

        try:
            result = fn(data, filename, *args, on_step=step, **kwargs)
            body = resposta(result, memfd)
        except MemoryError:
            _send(out_fd, ("memoria",))
            code = 3
        else:
            _send_body(out_fd, body)
    except BaseException:  # the analysis never raises by contract; anything else is a bug
        code = 4
    finally:
        os._exit(code)


def _why(status: int, said_memory: bool, cpu_used: float, limites: Limites) -> tuple[str, str]:
    """(finding code, detail for the log) for a child that ended without a result."""
    if said_memory:
        return "analise_memoria", "MemoryError"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        if sig in (signal.SIGXCPU,):
            return "analise_tempo", name
        if sig in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS):
            # An allocation refused under RLIMIT_AS aborts native code (Rust's allocator).
            return "analise_memoria", name
        if sig == signal.SIGKILL:  # the hard CPU limit, or the kernel's OOM killer
            return "analise_tempo" if cpu_used >= limites.cpu_s else "analise_memoria", name
        return "analise_interrompida", name
    return "analise_interrompida", textos.ISOLADO_LOG["saida"].format(codigo=os.WEXITSTATUS(status))


def _fork_job(fn: Callable, job: tuple, forward: Callable[[tuple], None]):
    """Run ``job`` in a forked child under its limits, passing each of its messages to
    ``forward`` (the answer as ``("resultado", result)``). None when the child answered, else
    (code, detail) of the stop."""
    limites: Limites = job[4]
    memfd = memoria()
    try:
        return _forked(fn, job, forward, limites, memfd)
    finally:
        _fechar(memfd)


def _forked(fn: Callable, job: tuple, forward: Callable[[tuple], None], limites, memfd):
    r, w = os.pipe()
    _wide(w)
    pid = os.fork()
    if pid == 0:
        os.close(r)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        _child(job, fn, w, memfd)
    os.close(w)
    frames = _Frames(r)
    deadline = time.monotonic() + limites.parede_s
    answered = said_memory = timed_out = False
    try:
        while True:
            try:
                body = frames.next(deadline)
            except TimeoutError:
                timed_out = True
                os.kill(pid, signal.SIGKILL)
                break
            if body is None:
                break
            msg = pickle.loads(body)
            if msg[0] == "memoria":
                said_memory = True
                continue
            if msg[0] in ("resultado", "resultado_mem"):
                msg = ("resultado", abrir(msg, memfd))
                answered = True
            forward(msg)
    finally:
        os.close(r)
    _, status, usage = os.wait4(pid, 0)
    if answered:
        return None
    if timed_out:
        return "analise_tempo", textos.ISOLADO_LOG["parede"]
    return _why(status, said_memory, usage.ru_utime + usage.ru_stime, limites)


def analisar_aqui(fn: Callable, data: bytes, filename: str, args, kwargs, on_step, limites):
    """The same limited child, forked from this very process: for a single-threaded caller
    (the command line), whose libraries are already imported, so no worker is needed."""
    got = {}

    def forward(msg: tuple) -> None:
        if msg[0] == "etapa" and on_step:
            on_step(msg[1])
        elif msg[0] == "resultado":
            got["r"] = msg[1]

    stop = _fork_job(fn, (data, filename, args, kwargs, limites), forward)
    if stop is None:
        return got["r"]
    log.warning("análise isolada de %r parou: %s (%s)", filename, *stop)
    return _stopped(filename, data, stop[0], limites)


def _serve(alvo: str, canal: socket.socket | None = None) -> None:
    """The worker: warm up, then run each job in this very process under its limits (so the
    libraries' caches stay warm from one upload to the next). A limit hit ends the process
    (SIGXCPU from the kernel; a MemoryError is reported, then the process exits); the app
    starts a new worker."""
    # The protocol has stdout to itself: anything a library prints goes to stderr.
    out_fd = os.dup(1)
    os.dup2(2, 1)
    fn = _resolve(alvo)
    if alvo == ALVO_PADRAO:
        _warm_up(fn)
        # The helper that reads a large sheet while this process scans it (it warms up on
        # the other core while this one waits for a job).
        antecipada.usar_ajudante()
    _send(out_fd, (_PRONTO,))
    frames = _Frames(0)

    def step(name: str) -> None:
        _send(out_fd, ("etapa", name))

    while True:
        body = frames.next(None)
        if body is None:
            return  # the app closed the pipe: it is gone
        data, filename, args, kwargs, limites, com_memoria = pickle.loads(body)
        del body
        memfd = None
        if com_memoria and canal is not None:
            _, fds, _, _ = socket.recv_fds(canal, 1, 1)
            memfd = fds[0] if fds else None
        try:
            limit_self(limites)
            antecipada.LIMITES = limites
            result = fn(data, filename, *args, on_step=step, **kwargs)
            payload = resposta(result, memfd)
            del result
        except MemoryError:
            unlimit_self()
            _send(out_fd, ("parou", "analise_memoria", "MemoryError"))
            os._exit(3)
        except BaseException as exc:  # the analysis never raises by contract: a bug
            unlimit_self()
            _send(out_fd, ("parou", "analise_interrompida", type(exc).__name__))
            os._exit(4)
        unlimit_self()
        _fechar(memfd)  # written: the app reads it from its own descriptor
        _send_body(out_fd, payload)
        del payload, data


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the terminal stops the app, not us
    # Served by the module under its own name, not as __main__, so what the answer pickles by
    # reference (the rebuilding of Arrow-backed columns) is found by the app.
    from pmas.entrada import isolado

    isolado._serve(
        sys.argv[1] if len(sys.argv) > 1 else ALVO_PADRAO,
        socket.socket(fileno=int(sys.argv[2])) if len(sys.argv) > 2 else None,
    )
