"""Converts a .docx to PDF/A through LibreOffice's UNO bridge, updating the document's indexes
(the sumário, a Word TOC field) and fields first, so that the PDF lists every heading with its
page number. LibreOffice's plain ``--convert-to`` keeps a TOC field's cached text instead.

Run by :mod:`pmas.saida.relatorio.pdf` with a Python that has the ``uno`` module (Debian's
python3-uno, or LibreOffice's own python); it imports nothing from pmas:

    python3 pdf_uno.py SOFFICE ENTRADA.docx SAIDA.pdf PERFIL

It starts a private, headless soffice on a named pipe (its own profile, so it never meets a
LibreOffice the user has open) and ends it when done. Exit status 0 and the PDF written, or
another status with the reason on stderr.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid

import uno  # only in a Python with LibreOffice's bridge
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_S = 60
PDF_VERSION_A2B = 2


def _prop(name: str, value) -> PropertyValue:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def convert(soffice: str, src: str, dst: str, profile: str) -> None:
    pipe = "pmas_" + uuid.uuid4().hex
    proc = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        ctx = None
        deadline = time.monotonic() + CONNECT_S
        while ctx is None:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            except NoConnectException:
                if proc.poll() is not None or time.monotonic() > deadline:
                    sys.exit("soffice did not accept the connection")
                time.sleep(0.1)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(src), "_blank", 0, (_prop("Hidden", True),)
        )
        if doc is None:
            sys.exit("soffice could not open the document")
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.getTextFields().refresh()
        data = uno.Any(
            "[]com.sun.star.beans.PropertyValue", (_prop("SelectPdfVersion", PDF_VERSION_A2B),)
        )
        doc.storeToURL(
            uno.systemPathToFileUrl(dst),
            (_prop("FilterName", "writer_pdf_Export"), _prop("FilterData", data)),
        )
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge goes away as soffice ends
            pass
    finally:
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    convert(*sys.argv[1:5])
