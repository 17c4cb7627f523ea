"""The early column read (pmas.entrada.antecipada): a large sheet parsed in another process while
the reader scans it. Real processes (the helper, a fork), real workbooks.

What it must do: give exactly the analysis the read in this process gives; be used only when the
scan passed (a file the scan refuses is refused with the scan's finding, and the read under way
is stopped and its process reaped); leave the read to this process when the other one dies or
refuses the sheet; and die with the analysis process.
"""

from __future__ import annotations

import io
import os
import signal
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from pmas.dados.plano import LONDRINA
from pmas.entrada import antecipada, isolado
from pmas.entrada.findings import Rejected
from pmas.entrada.pipeline import analyse
from pmas.entrada.reader import read

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from common import goals_workbook

pytestmark = pytest.mark.skipif(not antecipada._linux(), reason="Linux only (memfd, prctl)")


def _pronto(ajudante: antecipada.Ajudante, prazo: float = 60.0) -> None:
    fim = time.monotonic() + prazo
    while not ajudante.pronto():
        assert time.monotonic() < fim, "the helper did not warm up"
        time.sleep(0.02)


@pytest.fixture
def ajudante(monkeypatch):
    a = antecipada.Ajudante()
    a.iniciar()
    monkeypatch.setattr(antecipada, "_AJUDANTE", a)
    _pronto(a)
    yield a
    a.parar()


@pytest.fixture
def lotes(monkeypatch):
    """What each early read handed over: "colunas", "recusou" (the read raised) or None."""
    got: list[str | None] = []
    real = antecipada.Antecipada.lote

    def spy(self, aba, opcoes):
        try:
            batch = real(self, aba, opcoes)
        except ValueError:
            got.append("recusou")
            raise
        got.append(None if batch is None else "colunas")
        return batch

    monkeypatch.setattr(antecipada.Antecipada, "lote", spy)
    return got


def _here(data: bytes, name: str = "metas.xlsx"):
    """The analysis with no early read: the reference."""
    real = antecipada.iniciar
    antecipada.iniciar = lambda *a, **k: None
    try:
        return analyse(data, name, LONDRINA)
    finally:
        antecipada.iniciar = real


def _same(a, b) -> None:
    assert [f.__dict__ for f in a.findings] == [f.__dict__ for f in b.findings]
    assert a.frames.keys() == b.frames.keys()
    for name in a.frames:
        pd.testing.assert_frame_equal(a.frames[name], b.frames[name])


@pytest.fixture
def forks(monkeypatch):
    """The pids of the children forked for early reads (this process has other children: the
    suite's servers and workers)."""
    pids: list[int] = []
    real = antecipada._Bifurcada.__init__

    def spy(self, *args, **kwargs):
        real(self, *args, **kwargs)
        pids.append(self._pid)

    monkeypatch.setattr(antecipada._Bifurcada, "__init__", spy)
    return pids


def _reaped(pid: int) -> None:
    with pytest.raises(ChildProcessError):  # waited for already: no zombie left
        os.waitpid(pid, os.WNOHANG)


def _with_rows(data: bytes, xml: bytes) -> bytes:
    """The workbook with ``xml`` (rows) added at the end of its sheet's data."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</sheetData>", xml + b"</sheetData>")
            dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_the_helper_reads_the_sheet_and_the_analysis_is_the_same(ajudante, lotes):
    data = goals_workbook(1_500)
    got = analyse(data, "metas.xlsx", LONDRINA)
    assert lotes == ["colunas"]
    assert got.ok and got.linhas == 1_500
    _same(got, _here(data))
    assert ajudante.reinicios == 0 and ajudante.pronto()  # still warm for the next upload
    again = analyse(data, "metas.xlsx", LONDRINA)
    assert lotes == ["colunas", "colunas"]
    _same(again, got)


def test_a_fork_reads_when_there_is_no_helper(monkeypatch, lotes, forks):
    monkeypatch.setattr(antecipada, "_AJUDANTE", None)
    monkeypatch.setattr(antecipada, "MINIMO", 64 * 1024)
    monkeypatch.setattr(antecipada, "_um_so_fio", lambda: True)
    data = goals_workbook(1_500)
    got = analyse(data, "metas.xlsx", LONDRINA)
    assert lotes == ["colunas"]
    _same(got, _here(data))
    assert len(forks) == 1
    _reaped(forks[0])


def test_small_sheets_are_not_read_early(ajudante, lotes):
    analyse(goals_workbook(200), "metas.xlsx", LONDRINA)
    assert lotes == []


@pytest.mark.parametrize("via", ["ajudante", "fork"])
def test_a_file_the_scan_refuses_is_refused_and_the_early_read_stopped(
    via, monkeypatch, request, forks
):
    # A cell in column GS (201st) far below: the scan refuses the sheet (200 columns at most)
    # while fastexcel, in the other process, is still spreading 100.000 × 201 cells.
    data = _with_rows(goals_workbook(1_500), b'<row r="99000"><c r="GS99000"><v>1</v></c></row>')
    if via == "ajudante":
        ajudante = request.getfixturevalue("ajudante")
    else:
        monkeypatch.setattr(antecipada, "_AJUDANTE", None)
        monkeypatch.setattr(antecipada, "MINIMO", 64 * 1024)
        monkeypatch.setattr(antecipada, "_um_so_fio", lambda: True)
    started: list[antecipada.Antecipada] = []
    real = antecipada.iniciar

    def spy(*args, **kwargs):
        started.append(real(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(antecipada, "iniciar", spy)
    with pytest.raises(Rejected) as refused:
        read(data, "metas.xlsx")
    assert [f.codigo for f in refused.value.findings] == ["colunas_demais"]
    assert started and started[0] is not None
    if via == "ajudante":
        assert ajudante.reinicios == 1  # stopped mid-read, and another one started
        _pronto(ajudante)
        assert analyse(goals_workbook(1_500), "m.xlsx", LONDRINA).ok  # and it serves again
    else:
        assert len(forks) == 1
        _reaped(forks[0])


def test_a_helper_that_dies_leaves_the_read_here(ajudante, lotes, monkeypatch):
    real = ajudante.pedir

    def pedir_e_matar(*args, **kwargs):
        pedida = real(*args, **kwargs)
        ajudante._proc.kill()
        return pedida

    monkeypatch.setattr(ajudante, "pedir", pedir_e_matar)
    data = goals_workbook(1_500)
    got = analyse(data, "metas.xlsx", LONDRINA)
    assert lotes == [None]
    _same(got, _here(data))
    assert ajudante.reinicios == 1


def test_a_helper_that_cannot_be_restarted_leaves_every_read_here(ajudante, lotes, monkeypatch):
    real = ajudante.pedir

    def pedir_e_matar(*args, **kwargs):
        pedida = real(*args, **kwargs)
        if pedida is not None:
            ajudante._proc.kill()
        return pedida

    def no_process(*args, **kwargs):
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(ajudante, "pedir", pedir_e_matar)
    monkeypatch.setattr(antecipada.subprocess, "Popen", no_process)
    data = goals_workbook(1_500)
    reference = _here(data)
    _same(analyse(data, "metas.xlsx", LONDRINA), reference)
    assert not ajudante.pronto()
    _same(analyse(data, "metas.xlsx", LONDRINA), reference)
    assert lotes == [None]  # the second read did not even ask


def test_a_sheet_the_early_read_refuses_is_read_row_wise_alike(ajudante, lotes):
    # A text in a number column below the top: fastexcel's strict mode refuses the column, so
    # the sheet goes the row-wise way, as without the early read.
    data = _with_rows(
        goals_workbook(1_500),
        b'<row r="1504"><c r="A1504" t="inlineStr"><is><t>999</t></is></c>'
        b'<c r="J1504" t="inlineStr"><is><t>dez</t></is></c></row>',
    )
    got = analyse(data, "metas.xlsx", LONDRINA)
    assert lotes == ["recusou"]
    _same(got, _here(data))


def test_the_server_worker_reads_early_and_its_helper_dies_with_it():
    analisador = isolado.Analisador()
    try:
        analisador.iniciar()
        data = goals_workbook(5_000)
        first = analisador.analisar(data, "metas.xlsx", LONDRINA)
        _same(first, _here(data))
        worker = analisador.pid()
        assert worker is not None
        helpers = _children(worker)
        assert len(helpers) == 1  # its helper, warm for the next upload
        before = _cpu_ticks(helpers[0])
        _same(analisador.analisar(data, "metas.xlsx", LONDRINA), first)
        assert _cpu_ticks(helpers[0]) > before  # the helper parsed the sheet
        os.kill(worker, signal.SIGKILL)
        fim = time.monotonic() + 10
        while Path(f"/proc/{helpers[0]}").exists() and _state(helpers[0]) != "Z":
            assert time.monotonic() < fim, "the helper outlived its worker"
            time.sleep(0.05)
    finally:
        analisador.parar()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return "X"


def test_a_failure_of_the_early_read_itself_is_never_a_finding(ajudante, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the early read")

    data = goals_workbook(1_500)
    reference = _here(data)
    monkeypatch.setattr(ajudante, "pedir", broken)
    _same(analyse(data, "metas.xlsx", LONDRINA), reference)
    monkeypatch.undo()
    monkeypatch.setattr(antecipada, "_AJUDANTE", ajudante)
    monkeypatch.setattr(antecipada.Antecipada, "lote", broken)
    _same(analyse(data, "metas.xlsx", LONDRINA), reference)
    monkeypatch.undo()
    monkeypatch.setattr(antecipada, "_AJUDANTE", ajudante)
    monkeypatch.setattr(antecipada._PeloAjudante, "_parar", broken)
    monkeypatch.setattr(antecipada._PeloAjudante, "_resposta", broken)
    _same(analyse(data, "metas.xlsx", LONDRINA), reference)
