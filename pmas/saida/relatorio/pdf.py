"""The report as PDF, through LibreOffice headless (``soffice``) when the machine has it.

PDF/A-2b (LibreOffice's writer_pdf_Export filter with ``SelectPdfVersion=2``); the .docx is
always produced, and without LibreOffice :func:`to_pdf` raises :class:`PdfIndisponivel` with a
Portuguese message saying why. ``PMAS_SOFFICE`` points at another soffice binary.

When a Python with LibreOffice's ``uno`` bridge is at hand (``PMAS_UNO_PYTHON``, LibreOffice's
own ``program/python``, or ``/usr/bin/python3`` with Debian's python3-uno), the conversion goes
through :mod:`pmas.saida.relatorio.pdf_uno`, which updates the sumário (a Word TOC field) before
exporting, so the PDF lists the headings with their page numbers. Otherwise (or if that fails)
``soffice --convert-to`` is used, which keeps the sumário's cached entries without page numbers;
:func:`sumario_atualizado` says which path will be taken.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from pmas import textos

TIMEOUT_S = 180
FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
UNO_SCRIPT = Path(__file__).with_name("pdf_uno.py")


class PdfIndisponivel(RuntimeError):
    """No PDF could be made (message in Portuguese)."""


def soffice_path() -> str | None:
    env = os.environ.get("PMAS_SOFFICE")
    if env:
        return env if Path(env).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice_path() is not None


@functools.cache
def _has_uno(python: str) -> bool:
    try:
        done = subprocess.run(
            [python, "-c", "import uno"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def uno_python(soffice: str | None = None) -> str | None:
    """A Python interpreter that can import LibreOffice's ``uno`` module, or None."""
    soffice = soffice or soffice_path()
    env = os.environ.get("PMAS_UNO_PYTHON")
    candidates = [env] if env else []
    if soffice and not env:
        program = Path(soffice).resolve().parent
        candidates += [str(program / "python"), str(program / "python.exe")]
        candidates += ["/usr/bin/python3", sys.executable]
    for c in candidates:
        if c and Path(c).is_file() and _has_uno(c):
            return c
    return None


def sumario_atualizado() -> bool:
    """True when :func:`to_pdf` fills the sumário's page numbers (the UNO path is available)."""
    soffice = soffice_path()
    return soffice is not None and uno_python(soffice) is not None


def _run(cmd: list[str], timeout: float) -> None:
    """Run ``cmd`` in its own process group; on timeout end that group (soffice included)."""
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
        proc.wait()
        raise


def to_pdf(docx: bytes, *, timeout: float = TIMEOUT_S) -> bytes:
    """The .docx converted to PDF/A by LibreOffice (a private profile, so that it never meets
    a running LibreOffice of the user), with the sumário updated when the UNO path exists."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfIndisponivel(textos.PDF["sem_soffice"])
    with tempfile.TemporaryDirectory(prefix="pmas_pdf_") as tmp:
        folder = Path(tmp)
        src = folder / "relatorio.docx"
        src.write_bytes(docx)
        out = folder / "relatorio.pdf"
        python = uno_python(soffice)
        try:
            if python is not None:
                try:
                    _run(
                        [python, str(UNO_SCRIPT), soffice, str(src), str(out), str(folder / "uno")],
                        timeout,
                    )
                except OSError:
                    pass
            if not out.is_file():
                _run(
                    [
                        soffice,
                        f"-env:UserInstallation=file://{folder / 'perfil'}",
                        "--headless",
                        "--norestore",
                        "--convert-to",
                        FILTER,
                        "--outdir",
                        str(folder),
                        str(src),
                    ],
                    timeout,
                )
        except subprocess.TimeoutExpired as exc:
            raise PdfIndisponivel(textos.PDF["demorou"].format(segundos=int(timeout))) from exc
        except OSError as exc:
            raise PdfIndisponivel(textos.PDF["nao_executou"].format(erro=exc)) from exc
        if not out.is_file():
            raise PdfIndisponivel(textos.PDF["nao_gerou"])
        return out.read_bytes()
