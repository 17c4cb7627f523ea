"""The report as PDF, through LibreOffice headless (``soffice``) when the machine has it.

PDF/A-2b where LibreOffice can (its writer_pdf_Export filter with ``SelectPdfVersion=2``); the
.docx is always produced, and without LibreOffice :func:`to_pdf` raises :class:`PdfIndisponivel`
with a Portuguese message saying why. ``PMAS_SOFFICE`` points at another soffice binary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_S = 180
FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


class PdfIndisponivel(RuntimeError):
    """No PDF could be made (message in Portuguese)."""


def soffice_path() -> str | None:
    env = os.environ.get("PMAS_SOFFICE")
    if env:
        return env if Path(env).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice_path() is not None


def to_pdf(docx: bytes, *, timeout: float = TIMEOUT_S) -> bytes:
    """The .docx converted to PDF/A by LibreOffice (a private profile, so that it never meets
    a running LibreOffice of the user)."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfIndisponivel(
            "o LibreOffice não está instalado neste servidor (programa soffice); baixe o .docx "
            "e exporte o PDF no Word ou no LibreOffice"
        )
    with tempfile.TemporaryDirectory(prefix="pmas_pdf_") as tmp:
        folder = Path(tmp)
        src = folder / "relatorio.docx"
        src.write_bytes(docx)
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{folder / 'perfil'}",
            "--headless",
            "--norestore",
            "--convert-to",
            FILTER,
            "--outdir",
            str(folder),
            str(src),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfIndisponivel(
                f"o LibreOffice não terminou a conversão em {int(timeout)} segundos"
            ) from exc
        except OSError as exc:
            raise PdfIndisponivel(f"o LibreOffice não pôde ser executado ({exc})") from exc
        out = folder / "relatorio.pdf"
        if not out.is_file():
            raise PdfIndisponivel("o LibreOffice não gerou o PDF")
        return out.read_bytes()
