"""The project installs as a package with a working `pmas` command (pip install .)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_installs_a_working_pmas_command(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("pmas_monitor-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    # every sub-package of the source tree is in the wheel
    for init in (ROOT / "pmas").rglob("__init__.py"):
        assert init.relative_to(ROOT).as_posix() in names
    assert not any(n.startswith(("tests/", "pages/", "benchmarks/")) for n in names)
    # the files the screens read beside their modules (style rules, translating script)
    assert {"pmas/ui/aparencia.css", "pmas/ui/aparencia.js"} <= set(names)
    assert "pmas/ui/grafico_web/grafico.js" in names  # the overview's light chart
    # (Plotly's basic bundle lives in static/, beside dashboard.py and pages/, like them not
    # in the wheel)

    target = tmp_path / "instalado"
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stderr
    script = target / "bin" / "pmas"
    assert script.exists()
    # run the console script from outside the checkout, so the installed copy is what runs
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, str(script), "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "importar" in result.stdout
    imported = subprocess.run(
        [sys.executable, "-c", "import pmas, sys; print(pmas.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert imported.stdout.strip().startswith(str(target))
