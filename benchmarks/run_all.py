"""Run every benchmark, one after the other (each prints its figures and ratios).

python benchmarks/run_all.py            # all
python benchmarks/run_all.py --rapido   # skip the state-scale and load runs
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ["bench_import.py"],
    ["bench_export.py"],
    ["bench_browser.py"],
    ["bench_hostis.py"],
    ["bench_store.py"],
    ["bench_screens.py"],
    ["carga.py", "--sessoes", "20", "--segundos", "60"],
]
SLOW = {"bench_store.py", "bench_screens.py", "carga.py"}


def main() -> int:
    quick = "--rapido" in sys.argv
    failed = 0
    for cmd in SCRIPTS:
        if quick and cmd[0] in SLOW:
            continue
        print(f"\n=== {' '.join(cmd)} ===", flush=True)
        failed += subprocess.run([sys.executable, str(HERE / cmd[0]), *cmd[1:]]).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
