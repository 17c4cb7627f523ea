"""The analysis of an upload runs in a limited child process: a parser stuck in a loop, one
allocating without end, one blocked and one aborting are all stopped and answered with a
Portuguese finding, the worker stays warm for the next upload, and the calling process never
stalls. (The browser test tests/e2e/test_e2e_isolado.py checks the same against a real
``streamlit run``, its health endpoint answering meanwhile.)"""

from __future__ import annotations

import os
import pickle
import threading
import time

import pandas as pd
import pytest

from pmas.dados.plano import DEFAULT_PLANO
from pmas.entrada import isolado, pipeline
from pmas.entrada.isolado import Analisador, Limites
from pmas.entrada.pipeline import analyse
from tests import corpus as C

LIMITES = Limites(cpu_s=2, parede_s=6, memoria_mb=256)


@pytest.fixture
def analisador():
    created = []

    def make(alvo: str, limites: Limites = LIMITES) -> Analisador:
        a = Analisador(limites, alvo)
        created.append(a)
        return a

    yield make
    for a in created:
        a.parar()


@pytest.mark.parametrize(
    ("alvo", "codigo", "palavra"),
    [
        ("tests.hostis:laco", "analise_tempo", "tempo"),
        ("tests.hostis:dorme", "analise_tempo", "tempo"),
        ("tests.hostis:aloca", "analise_memoria", "memória"),
        ("tests.hostis:aborta", "analise_memoria", "memória"),
    ],
)
def test_a_runaway_parser_is_stopped_and_reported(analisador, alvo, codigo, palavra):
    a = analisador(alvo)
    steps: list[str] = []
    result = a.analisar(b"x" * 100, "plano.xlsx", DEFAULT_PLANO, on_step=steps.append)
    assert isinstance(result, isolado.Interrompida)
    f = result.achado
    assert (f.codigo, f.nivel) == (codigo, "erro") and palavra in f.mensagem and f.acao
    # a new worker was started at once and answers the next job
    pid = a.pid()
    assert pid is not None and a.reinicios == 1
    again = a.analisar(b"x", "outro.xlsx", DEFAULT_PLANO)
    assert again.achado.codigo == codigo and a.reinicios == 2 and a.pid() != pid


def test_the_caller_stays_responsive_while_a_child_loops(analisador):
    a = analisador("tests.hostis:laco")
    a.iniciar()
    done = threading.Event()
    result = {}

    def job():
        result["r"] = a.analisar(b"x", "plano.xlsx", DEFAULT_PLANO)
        done.set()

    worker = threading.Thread(target=job)
    worker.start()
    # Meanwhile this thread keeps running: count how often it gets the interpreter.
    ticks = 0
    while not done.wait(0.05):
        ticks += 1
        assert ticks < 2000, "the analysis was never stopped"
    worker.join()
    assert result["r"].achado.codigo == "analise_tempo"
    assert ticks >= 10  # it ran the whole time (at 20 ticks per second)


def test_the_real_analysis_in_the_child_equals_the_one_in_process(analisador):
    book = C.xlsx({"Metas": [C.GOAL_HEADER] + C.goal_rows(40)})
    a = analisador(isolado.ALVO_PADRAO, Limites())
    steps: list[str] = []
    child = a.analisar(book, "metas.xlsx", DEFAULT_PLANO, 2024, on_step=steps.append)
    here = analyse(book, "metas.xlsx", DEFAULT_PLANO, 2024)
    assert steps == ["ler", "conferir"]
    assert child.sha256 == here.sha256 and child.ok == here.ok
    assert [f.as_dict() for f in child.findings] == [f.as_dict() for f in here.findings]
    assert child.frames.keys() == here.frames.keys()
    for name, frame in here.frames.items():
        assert child.frames[name].equals(frame)


def _assert_same_analysis(child, here) -> None:
    assert child.sha256 == here.sha256 and child.ok == here.ok
    assert [f.as_dict() for f in child.findings] == [f.as_dict() for f in here.findings]
    assert child.frames.keys() == here.frames.keys()
    for name, frame in here.frames.items():
        pd.testing.assert_frame_equal(child.frames[name], frame)  # dtypes included
    assert len(child.sheets) == len(here.sheets)
    for got, want in zip(child.sheets, here.sheets, strict=True):
        pd.testing.assert_frame_equal(got.frame, want.frame)
        assert (got.sheet, got.table, got.header_row, got.mapped, got.contagem) == (
            want.sheet,
            want.table,
            want.header_row,
            want.mapped,
            want.contagem,
        )
    assert child.contagens == here.contagens


@pytest.mark.parametrize("memoria", [True, False], ids=["memoria_compartilhada", "so_pipe"])
def test_a_large_answer_crosses_intact_from_the_worker_and_from_a_forked_child(
    analisador, monkeypatch, memoria
):
    # 10.000 goals make an answer of about 4 MB. With shared memory its columns go through the
    # answer's memfd and the pipe carries only the rest; without (a system with no
    # memfd_create), the whole answer crosses the pipe in many reads (the large-frame path of
    # isolado._Frames). Both from the warm worker and from a child forked by a single-threaded
    # caller.
    if not memoria:
        monkeypatch.setattr(isolado, "memoria", lambda: None)
    sizes = []
    real_abrir = isolado.abrir
    monkeypatch.setattr(
        isolado,
        "abrir",
        lambda msg, fd: sizes.append(len(pickle.dumps(msg))) or real_abrir(msg, fd),
    )
    book = C.xlsx({"Metas": [C.GOAL_HEADER] + C.goal_rows(10_000)})
    here = analyse(book, "metas.xlsx", DEFAULT_PLANO, 2024)
    assert len(here.frames["metas"]) == 10_000
    whole = len(pickle.dumps(here))
    assert whole > 3 * (1 << 20)
    worker = analisador(isolado.ALVO_PADRAO, Limites()).analisar(
        book, "metas.xlsx", DEFAULT_PLANO, 2024
    )
    _assert_same_analysis(worker, here)
    forked = isolado.analisar_aqui(
        analyse, book, "metas.xlsx", (DEFAULT_PLANO, 2024), {}, None, Limites()
    )
    _assert_same_analysis(forked, here)
    assert len(sizes) == 2  # one answer from each
    if memoria:  # the pipe carried a small message, the columns went by shared memory
        assert all(n < whole / 3 for n in sizes), (sizes, whole)
    else:
        assert all(n > whole / 2 for n in sizes), (sizes, whole)
    for frame in (worker.frames["metas"], forked.frames["metas"]):
        frame.loc[frame.index[0], "previsto"] = 123.0  # the frames are writable
        assert frame["previsto"].iloc[0] == 123.0


def test_the_answer_s_columns_go_out_of_band_and_the_mapping_is_private():
    book = C.xlsx({"Metas": [C.GOAL_HEADER] + C.goal_rows(5_000)})
    here = analyse(book, "metas.xlsx", DEFAULT_PLANO, 2024)
    fd = isolado.memoria()
    assert fd is not None  # Linux: memfd_create exists
    try:
        msg = pickle.loads(isolado.resposta(here, fd))
        assert msg[0] == "resultado_mem"
        # the columns are in the file, not in the message
        _, corpo, partes, total = msg
        assert len(corpo) < len(pickle.dumps(here)) / 3
        assert sum(n for _, n in partes) > len(pickle.dumps(here)) / 2
        # a text column the normalised and the checked frames share is written once
        assert total < sum(n for _, n in partes) * 0.8
        assert all(i + n <= total == os.fstat(fd).st_size for i, n in partes)
        got = isolado.abrir(msg, fd)
        _assert_same_analysis(got, here)
        before = os.pread(fd, os.fstat(fd).st_size, 0)
        sheet = got.sheets[0].frame
        kept = sheet["realizado"].copy()
        got.frames["metas"]["previsto"] = 7.0  # a write changes the mapping, not the file
        got.frames["metas"].loc[0, "realizado"] = 8.0
        assert os.pread(fd, os.fstat(fd).st_size, 0) == before
        # nor the other frame: numbers are never shared between frames that were apart
        pd.testing.assert_series_equal(sheet["realizado"], kept)
        pd.testing.assert_frame_equal(sheet, here.sheets[0].frame)
        again = isolado.abrir(msg, fd)
        pd.testing.assert_frame_equal(again.frames["metas"], here.frames["metas"])
    finally:
        os.close(fd)
    # without a file, the whole answer is the message
    plain = pickle.loads(isolado.resposta(here, None))
    assert plain[0] == "resultado"
    _assert_same_analysis(isolado.abrir(plain, None), here)


def test_frames_are_read_whole_whatever_the_reads_return():
    # Small and large frames back to back, written in pieces by another process: each comes
    # out whole and in order; then the end of the stream.
    messages = [("etapa", "ler"), ("resultado", bytes(range(256)) * 20_000), ("etapa", "x")]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the writer: the frames cut at awkward places, with pauses between pieces
        os.close(r)
        stream = b"".join(
            isolado._HEADER.pack(len(b)) + b for b in (pickle.dumps(m) for m in messages)
        )
        for start in range(0, len(stream), 777_777):
            isolado._write_all(w, stream[start : start + 3])
            isolado._write_all(w, stream[start + 3 : start + 777_777])
            time.sleep(0.01)
        os._exit(0)
    os.close(w)
    try:
        frames = isolado._Frames(r)
        got = [pickle.loads(frames.next(time.monotonic() + 30)) for _ in messages]
        assert got == messages
        assert frames.next(time.monotonic() + 30) is None
    finally:
        os.close(r)
        os.waitpid(pid, 0)


def test_a_frame_that_does_not_come_in_time_is_a_timeout():
    r, w = os.pipe()
    try:
        isolado._write_all(w, isolado._HEADER.pack(1000) + b"partial")
        with pytest.raises(TimeoutError):
            isolado._Frames(r).next(time.monotonic() + 0.2)
    finally:
        os.close(r)
        os.close(w)


def test_a_refused_file_is_answered_by_the_child_with_its_finding(analisador):
    a = analisador(isolado.ALVO_PADRAO, Limites())
    result = a.analisar(C.PDF, "plano.xlsx", DEFAULT_PLANO)
    assert [f.codigo for f in result.findings] == ["formato_desconhecido"]


def test_arguments_and_bytes_cross_intact(analisador):
    a = analisador("tests.hostis:eco")
    data = bytes(range(256)) * 4000
    result = a.analisar(data, "x.csv", "plano", 2023, limits="L")
    assert result["tamanho"] == len(data)
    assert result["args"] == ("plano", 2023) and result["kwargs"] == {"limits": "L"}
    assert result["pid"] == a.pid()  # run by the warm worker, not a new interpreter
    assert a.analisar(b"y", "y.csv")["pid"] == a.pid() and a.reinicios == 0


def test_a_dead_worker_is_replaced_for_the_next_job(analisador):
    a = analisador("tests.hostis:eco")
    a.analisar(b"x", "x.csv")
    first = a.pid()
    a._proc.kill()
    a._proc.wait()
    result = a.analisar(b"xy", "x.csv")
    assert result["tamanho"] == 2 and a.pid() != first and a.reinicios == 1


def test_jobs_from_many_threads_are_run_one_at_a_time(analisador):
    a = analisador("tests.hostis:eco")
    results = []

    def job(i):
        results.append(a.analisar(b"x" * i, "x.csv")["tamanho"])

    threads = [threading.Thread(target=job, args=(i,)) for i in range(1, 6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [1, 2, 3, 4, 5] and a.trabalhos == 5


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PMAS_ANALISE_CPU_S", "7")
    monkeypatch.setenv("PMAS_ANALISE_TEMPO_S", "9")
    monkeypatch.setenv("PMAS_ANALISE_MEMORIA_MB", "300")
    assert Limites.do_ambiente() == Limites(cpu_s=7, parede_s=9.0, memoria_mb=300)
    monkeypatch.delenv("PMAS_ANALISE_CPU_S")
    assert Limites.do_ambiente().cpu_s == Limites().cpu_s


def test_stopping_kills_the_worker(analisador):
    a = analisador("tests.hostis:eco")
    a.analisar(b"x", "x.csv")
    proc = a._proc
    a.parar()
    deadline = time.monotonic() + 10
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is not None


@pytest.mark.parametrize(
    ("alvo", "codigo"),
    [("tests.hostis:laco", "analise_tempo"), ("tests.hostis:aloca", "analise_memoria")],
)
def test_a_single_threaded_caller_forks_the_limited_child_itself(alvo, codigo):
    # The command line: no worker, the child is forked from the caller, same limits.
    fn = isolado._resolve(alvo)
    result = isolado.analisar_aqui(
        fn, b"x", "plano.xlsx", (DEFAULT_PLANO,), {}, None, Limites(2, 10, 256)
    )
    assert result.achado.codigo == codigo


@pytest.mark.parametrize(
    ("alvo", "codigo"),
    [("tests.hostis:laco", "analise_tempo"), ("tests.hostis:aloca", "analise_memoria")],
)
def test_the_pipeline_follows_the_environments_target_and_limits(monkeypatch, alvo, codigo):
    monkeypatch.setenv("PMAS_ANALISE_ALVO", alvo)
    monkeypatch.setenv("PMAS_ANALISE_CPU_S", "2")
    monkeypatch.setenv("PMAS_ANALISE_MEMORIA_MB", "256")
    result = pipeline.analyse_isolated(b"x", "plano.xlsx", DEFAULT_PLANO)
    assert [f.codigo for f in result.findings] == [codigo]
    assert not result.ok and not result.frames and result.filename == "plano.xlsx"


def test_the_pipeline_and_the_import_service_analyse_in_the_child(store, plano, monkeypatch):
    from pmas.acesso import gestao
    from pmas.entrada import pipeline

    monkeypatch.setenv("PMAS_ANALISE_ALVO", "tests.hostis:laco")
    monkeypatch.setenv("PMAS_ANALISE_CPU_S", "1")
    book = C.xlsx({"Metas": [C.GOAL_HEADER] + C.goal_rows(5)})
    conf = gestao.conferir(store, plano, "m.xlsx", book, 2024)
    assert [f.codigo for f in conf.analysis.findings] == ["analise_tempo"]
    assert not conf.pode_importar
    result = pipeline.import_file(store, book, "m.xlsx", plano, usuario="x", ano=2024)
    assert result.situacao == "rejeitado" and not store.versions()
