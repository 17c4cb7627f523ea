"""Faults during an import: an exception inside the transaction, the process killed (SIGKILL) at
random points, and two imports of the same year at the same moment. Afterwards the database is
whole: the previous version is current (or the new one, complete, when the kill came after the
commit), the integrity check passes and nothing half-written is left behind."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pmas.dados import store as store_mod
from pmas.dados.store import Store
from pmas.entrada.pipeline import import_file
from tests.conftest import ROOT, xlsx
from tests.test_layouts import EIXO_NAMES, HEADER, plain_rows

BIG_ROWS = 4000
KILLS = 22
# What SQLite may leave next to the database in WAL mode: the write-ahead log and its shared-memory
# index. Both are SQLite's own, recovered (and the log checkpointed) by the next connection.
SQLITE_FILES = {"pmas.db", "pmas.db-wal", "pmas.db-shm"}


def _snapshot(store: Store) -> dict:
    with store.engine.connect() as conn:
        files = sorted(conn.execute(select(store_mod.arquivos.c.sha256)).scalars())
        vt = store_mod.versao_tabelas
        goals = conn.execute(
            select(func.coalesce(func.sum(vt.c.linhas), 0)).where(vt.c.tabela == "metas")
        ).scalar()
    return {
        "versions": store.versions(),
        "files": files,
        "goals": goals,
        # missing values as None, so that equal logs compare equal (NaN != NaN)
        "audit": store.audit().astype(object).where(lambda d: d.notna(), None).to_dict("records"),
    }


def _current(store: Store, ano: int = 2023):
    return [v for v in store.versions() if v.ano == ano and v.atual]


@pytest.fixture
def loaded(store, plano):
    result = import_file(
        store, xlsx({"Metas 2023": [HEADER] + plain_rows()}), "v1.xlsx", plano, usuario="gestora"
    )
    assert result.situacao == "importado"
    return store


def _other_version(situacao: str = "Não realizada") -> bytes:
    rows = [HEADER] + plain_rows()
    rows[1][8] = situacao
    return xlsx({"Metas 2023": rows})


# --- an exception in the middle of the commit --------------------------------------------------


def test_exception_inside_the_transaction_leaves_the_previous_version(loaded, plano):
    before = _snapshot(loaded)

    def fail():
        raise RuntimeError("falha injetada")

    with pytest.raises(RuntimeError, match="falha injetada"):
        import_file(loaded, _other_version(), "v2.xlsx", plano, usuario="gestora", on_commit=fail)
    assert _snapshot(loaded) == before
    assert [v.numero for v in _current(loaded)] == [1]
    assert loaded.integrity_ok()
    # and the store still works: the same file imports normally afterwards
    again = import_file(loaded, _other_version(), "v2.xlsx", plano, usuario="gestora")
    assert again.situacao == "importado" and again.versions[0].numero == 2


# --- the process killed at random points --------------------------------------------------------


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory) -> Path:
    statuses = ["Realizada", "Parcialmente realizada", "Em andamento", "Não realizada"]
    rows = [HEADER] + [
        [
            f"{i}",
            EIXO_NAMES[i % 5 + 1],
            f"Diretriz {i % 7}",
            f"Ação número {i}",
            f"Meta número {i}",
            None,
            100,
            i % 120,
            statuses[i % 4],
        ]
        for i in range(BIG_ROWS)
    ]
    path = tmp_path_factory.mktemp("grande") / "metas_grande.xlsx"
    path.write_bytes(xlsx({"Metas 2023": rows}))
    return path


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Path:
    """A database file holding version 1 of 2023 (11 goals), closed and checkpointed."""
    from pmas.dados.plano import LONDRINA

    folder = tmp_path_factory.mktemp("base")
    s = Store(f"sqlite:///{folder / 'pmas.db'}")
    import_file(
        s, xlsx({"Metas 2023": [HEADER] + plain_rows()}), "v1.xlsx", LONDRINA, usuario="gestora"
    )
    s.engine.dispose()
    assert {p.name for p in folder.iterdir()} == {"pmas.db"}
    return folder / "pmas.db"


def _cli(db: Path, workbook: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pmas",
            "--banco",
            f"sqlite:///{db}",
            "importar",
            str(workbook),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def _check_after_kill(folder: Path) -> str:
    """'anterior' or 'nova' (complete); fails on anything in between."""
    left = {p.name for p in folder.iterdir()}
    assert left <= SQLITE_FILES, f"arquivos que sobraram: {sorted(left - SQLITE_FILES)}"
    s = Store(f"sqlite:///{folder / 'pmas.db'}")
    try:
        assert s.integrity_ok()
        current = _current(s)
        assert len(current) == 1
        v = current[0]
        goals = s.load("metas", v.plano_id)
        snap = _snapshot(s)
        if v.numero == 1:
            assert (v.n_metas, len(goals)) == (11, 11)
            assert len(snap["versions"]) == 1 and len(snap["files"]) == 1
            # the audit log: the plan created by the first import, and the import
            assert len(snap["audit"]) == 2 and snap["goals"] == 11
            return "anterior"
        assert v.numero == 2
        assert (v.n_metas, len(goals)) == (BIG_ROWS, BIG_ROWS)
        assert len(snap["versions"]) == 2 and len(snap["files"]) == 2
        assert len(snap["audit"]) == 3 and snap["goals"] == 11 + BIG_ROWS
        return "nova"
    finally:
        s.engine.dispose()
        assert not (folder / "pmas.db-journal").exists()


def _in_write_transaction(pid: int, shm: Path) -> bool:
    """Whether ``pid`` holds SQLite's WAL write lock (byte 120 of the -shm file, taken by
    BEGIN IMMEDIATE and kept until COMMIT or ROLLBACK), as Linux lists it in /proc/locks."""
    try:
        inode = str(shm.stat().st_ino)
        lines = Path("/proc/locks").read_text().splitlines()
    except FileNotFoundError:
        return False
    for line in lines:
        p = line.split()  # "1: POSIX  ADVISORY  WRITE 4321 fe:00:123456 120 120"
        if (
            len(p) >= 8
            and p[3] == "WRITE"
            and p[4] == str(pid)
            and p[5].rsplit(":", 1)[-1] == inode
            and p[6] == "120"
        ):
            return True
    return False


def _run_and_kill(folder: Path, workbook: Path, when: str, delay: float) -> tuple:
    """Start an import and SIGKILL it: ``when`` is "tempo" (``delay`` seconds after the start)
    or "transacao" (``delay`` seconds after it took the write lock)."""
    proc = _cli(folder / "pmas.db", workbook)
    shm = folder / "pmas.db-shm"
    if when == "transacao":
        while proc.poll() is None and not _in_write_transaction(proc.pid, shm):
            time.sleep(0.002)
    deadline = time.monotonic() + delay
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    inside = _in_write_transaction(proc.pid, shm)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    return when, round(delay, 3), proc.returncode, inside, _check_after_kill(folder)


@pytest.mark.so_sqlite
@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="precisa de /proc/locks (Linux)")
def test_sigkill_at_random_points_leaves_a_whole_database(tmp_path, baseline, big_workbook):
    # One uninterrupted import: how long it takes, and how long it holds the write lock.
    calib = tmp_path / "calibracao"
    calib.mkdir()
    shutil.copy(baseline, calib / "pmas.db")
    began = time.monotonic()
    proc = _cli(calib / "pmas.db", big_workbook)
    locked = []
    while proc.poll() is None:
        if _in_write_transaction(proc.pid, calib / "pmas.db-shm"):
            locked.append(time.monotonic())
        time.sleep(0.002)
    total = time.monotonic() - began
    assert proc.returncode == 0, proc.stderr.read().decode()
    assert _check_after_kill(calib) == "nova"
    assert locked, "o processo não foi visto com a trava de escrita do SQLite"
    in_tx = max(locked[-1] - locked[0], 0.01)

    # Half the kills anywhere in the import (start-up, reading, checking, writing), half inside
    # the write transaction; two at a time (two CPUs).
    rng = random.Random(20231108)
    plan = [
        ("tempo", rng.uniform(0.1, 1.1) * total)
        if i % 2
        else ("transacao", rng.uniform(0.0, 0.9) * in_tx)
        for i in range(KILLS)
    ]
    folders = []
    for i in range(KILLS):
        folder = tmp_path / f"morte_{i:02d}"
        folder.mkdir()
        shutil.copy(baseline, folder / "pmas.db")
        folders.append(folder)
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(
            pool.map(
                lambda args: _run_and_kill(args[0], big_workbook, *args[1]), zip(folders, plan)
            )
        )
    print(
        f"\nimportação inteira: {total:.2f} s, {in_tx:.2f} s com a trava de escrita; "
        f"(quando, atraso, código, na transação, estado): {outcomes}"
    )
    # Every outcome is a whole database, old or new (_check_after_kill fails otherwise).
    killed = [o for o in outcomes if o[2] == -signal.SIGKILL]
    assert len(killed) >= KILLS // 2
    # Some kills landed inside the open write transaction, and they left the previous version
    # current. "Inside" is read just before the signal, so on a busy machine a commit can slip
    # in between: those few end as the whole new version, which is also correct.
    inside = [o for o in killed if o[3]]
    assert len(inside) >= 3
    assert sum(o[4] == "anterior" for o in inside) >= len(inside) // 2
    # killed anywhere else: a whole database, old or new (_check_after_kill); and a process that
    # finished before its kill stored its version completely
    assert all(state == "nova" for *_, code, _, state in outcomes if code == 0)


# --- two imports of the same year at the same moment -------------------------------------------


def test_two_simultaneous_imports_both_become_versions(loaded, plano):
    url = loaded.url
    files = [_other_version("Não realizada"), _other_version("Em andamento")]
    barrier = threading.Barrier(2)
    results, errors = [None, None], []

    def run(i):
        s = Store(url)  # a store of its own, as a second app server would have
        try:
            barrier.wait()
            results[i] = import_file(
                s, files[i], f"simultaneo_{i}.xlsx", plano, usuario=f"gestor {i}"
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            s.engine.dispose()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert [r.situacao for r in results] == ["importado", "importado"]
    versions = [v for v in loaded.versions() if v.ano == 2023]
    assert sorted(v.numero for v in versions) == [1, 2, 3]
    current = [v for v in versions if v.atual]
    assert len(current) == 1 and current[0].numero == 3
    assert loaded.integrity_ok()


def test_a_writer_waits_for_the_other_instead_of_failing(loaded, plano):
    """One import holds the write lock for a second; the other queues (BEGIN IMMEDIATE and the
    busy timeout) and then stores its version: no "database is locked"."""
    url = loaded.url
    inside = threading.Event()
    results, errors = {}, []

    def slow_commit():
        inside.set()
        time.sleep(1.0)

    def first():
        s = Store(url)
        try:
            results["a"] = import_file(
                s,
                _other_version("Não realizada"),
                "a.xlsx",
                plano,
                usuario="gestor a",
                on_commit=slow_commit,
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            s.engine.dispose()

    t = threading.Thread(target=first)
    t.start()
    assert inside.wait(30)
    s = Store(url)
    began = time.monotonic()
    results["b"] = import_file(
        s, _other_version("Em andamento"), "b.xlsx", plano, usuario="gestor b"
    )
    waited = time.monotonic() - began
    s.engine.dispose()
    t.join(30)
    assert errors == []
    assert results["a"].situacao == results["b"].situacao == "importado"
    assert waited > 0.3  # it did queue behind the first writer
    assert [v.usuario for v in _current(loaded)] == ["gestor b"]
    assert sorted(v.numero for v in loaded.versions()) == [1, 2, 3]


@pytest.mark.so_sqlite
def test_two_processes_import_the_same_year_at_once(tmp_path, baseline):
    folder = tmp_path / "dois"
    folder.mkdir()
    shutil.copy(baseline, folder / "pmas.db")
    paths = []
    for i, situacao in enumerate(("Não realizada", "Em andamento")):
        p = tmp_path / f"processo_{i}.xlsx"
        p.write_bytes(_other_version(situacao))
        paths.append(p)
    procs = [_cli(folder / "pmas.db", p) for p in paths]
    errs = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    assert not any("locked" in e for e in errs)
    s = Store(f"sqlite:///{folder / 'pmas.db'}")
    versions = [v for v in s.versions() if v.ano == 2023]
    assert sorted(v.numero for v in versions) == [1, 2, 3]
    assert sum(v.atual for v in versions) == 1
    assert s.integrity_ok()
    s.engine.dispose()
