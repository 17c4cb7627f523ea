"""Load script (not a test): N concurrent sessions driving real reruns while an import runs.

Starts ``streamlit run dashboard.py`` on a free port of this machine, then opens N sessions over
Streamlit's own websocket protocol (the protobuf BackMsg/ForwardMsg the browser speaks): each
session opens the app, then repeatedly waits a think time and asks for a rerun of a screen picked
at random, timing the rerun until the server says the script finished. Meanwhile one import of a
large workbook runs through the CLI against the same database. Prints p50/p95/p99 rerun times and
the errors (exceptions drawn on a page, broken connections, timeouts).

Only loopback traffic; bounded in sessions, time and requests; stops by itself.

    python benchmarks/carga.py --sessoes 20 --segundos 60 [--banco URL]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from tests.e2e.conftest import App  # noqa: E402

MAX_REQUESTS_PER_SESSION = 500


class Session:
    def __init__(self, url: str):
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.origin = url
        self.pages: list[str] = []
        self.names: dict[str, str] = {}
        self.ws = None

    async def open(self) -> None:
        self.ws = await websockets.connect(
            self.ws_url, subprotocols=["streamlit"], origin=self.origin, max_size=None
        )

    async def rerun(self, page_hash: str = "", query: str = "") -> tuple[float, bool]:
        """One rerun; returns (seconds, whether an exception was drawn)."""
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_script_hash = page_hash
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        failed = False
        while True:
            data = await asyncio.wait_for(self.ws.recv(), timeout=120)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.pages = [p.page_script_hash for p in fwd.navigation.app_pages]
                self.names = {
                    p.page_script_hash: p.url_pathname or "/" for p in fwd.navigation.app_pages
                }
            elif (
                kind == "delta"
                and fwd.delta.WhichOneof("type") == "new_element"
                and fwd.delta.new_element.WhichOneof("type") == "exception"
            ):
                failed = True
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    failed = True
                if fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return time.perf_counter() - start, failed

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def user(
    url: str,
    deadline: float,
    think: tuple[float, float],
    times: list[float],
    errors: list[str],
    rnd: random.Random,
    slow: list | None = None,
) -> None:
    s = Session(url)
    try:
        await s.open()
        await s.rerun()  # opening the app (cold for this session)
        for _ in range(MAX_REQUESTS_PER_SESSION):
            await asyncio.sleep(rnd.uniform(*think))
            if time.time() > deadline:
                break
            page = rnd.choice(s.pages) if s.pages else ""
            query = f"ano={rnd.choice([2022, 2023, 2024])}&eixo={rnd.randint(1, 5)}"
            started = time.time()
            seconds, failed = await s.rerun(page, query)
            times.append(seconds)
            if slow is not None:
                slow.append((seconds, s.names.get(page, page), started))
            if failed:
                errors.append("exceção desenhada na página")
    except (TimeoutError, OSError, websockets.WebSocketException) as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        await s.close()


def server_memory_mb(pid: int) -> tuple[float, float] | None:
    """The app server's resident memory now and at its peak (Linux), in MB."""
    try:
        with open(f"/proc/{pid}/status") as status:
            kb = {
                line.split(":")[0]: int(line.split()[1])
                for line in status
                if line.startswith(("VmRSS:", "VmHWM:"))
            }
    except OSError:
        return None
    return kb["VmRSS"] / 1024, kb["VmHWM"] / 1024


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


async def main_async(args) -> int:
    work = Path(tempfile.mkdtemp())
    memory = None
    env = {"PMAS_EXEMPLO": "1"}
    if args.banco:
        env["PMAS_DATABASE_URL"] = args.banco
        app = App(work / "unused.db", env=env)
    else:
        app = App(work / "pmas.db", env=env)
    db_url = args.banco or f"sqlite:///{work / 'pmas.db'}"
    try:
        # Warm the server (first run loads the example data into an empty database).
        warm = Session(app.url)
        await warm.open()
        await warm.rerun()
        await warm.close()

        from common import goals_workbook

        big = work / "carga.xlsx"
        big.write_bytes(goals_workbook(args.linhas_importacao))
        deadline = time.time() + args.segundos
        times: list[float] = []
        errors: list[str] = []
        importer = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pmas",
                "--banco",
                db_url,
                "importar",
                str(big),
                "--municipio",
                "Teste de carga",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        rnd = random.Random(1)
        slow: list = []
        start = time.time()
        import_done: list[float] = []

        async def watch_import() -> None:
            while importer.poll() is None:
                await asyncio.sleep(0.2)
            import_done.append(time.time() - start)

        await asyncio.gather(
            watch_import(),
            *(
                user(
                    app.url,
                    deadline,
                    (args.pensar_min, args.pensar_max),
                    times,
                    errors,
                    random.Random(rnd.random()),
                    slow,
                )
                for _ in range(args.sessoes)
            ),
        )
        import_code = importer.wait(timeout=600)
        if import_code != 0:
            errors.append(
                f"importação terminou com código {import_code}: "
                f"{importer.stderr.read().decode()[-300:]}"
            )
        memory = server_memory_mb(app.proc.pid)
    finally:
        app.stop()

    linhas = f"{args.linhas_importacao:,}".replace(",", ".")
    print(
        f"{args.sessoes} sessões, {args.segundos} s, pensar {args.pensar_min}–"
        f"{args.pensar_max} s, com uma importação de {linhas} linhas em paralelo"
    )
    if times:
        print(
            f"reruns: {len(times)}; p50 {percentile(times, 50):.2f} s; "
            f"p95 {percentile(times, 95):.2f} s; p99 {percentile(times, 99):.2f} s; "
            f"média {statistics.mean(times):.2f} s".replace(".", ",")
        )
    print(f"erros: {len(errors)}")
    if memory:
        print(
            f"memória do servidor: {memory[0]:.0f} MB no fim, pico {memory[1]:.0f} MB".replace(
                ".", ","
            )
        )
    if import_done:
        print(f"a importação terminou {import_done[0]:.0f} s após o início".replace(".", ","))
    print("reruns mais lentos (tela, início após o começo, duração):")
    for seconds, name, started in sorted(slow, reverse=True)[:5]:
        print(f"  {name:<14} +{started - start:5.1f} s  {seconds:5.2f} s")
    for e in sorted(set(errors))[:10]:
        print(f"  {e}")
    ok = times and percentile(times, 95) < 3.0 and not errors
    print("Meta: p95 < 3 s e 0 erros —", "atingida" if ok else "NÃO atingida")
    return 0 if ok else 1


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessoes", type=int, default=20)
    p.add_argument("--segundos", type=int, default=60)
    p.add_argument("--pensar-min", type=float, default=1.0)
    p.add_argument("--pensar-max", type=float, default=3.0)
    p.add_argument("--linhas-importacao", type=int, default=20_000)
    p.add_argument("--banco", help="URL de um banco já populado (por exemplo, o estadual)")
    args = p.parse_args()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
