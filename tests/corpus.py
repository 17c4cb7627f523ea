"""Bad and tricky inputs for the reader, all built in code.

Real workbooks come from xlsxwriter (fast, writes cached formula values) or openpyxl (writes
formulas without a cached value); hostile ones are real workbooks with parts rewritten, or zips
assembled byte by byte when a lie has to be told (sizes, names, compression).
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable

import openpyxl
import xlsxwriter

SHEET1 = "xl/worksheets/sheet1.xml"
GOAL_HEADER = ["Eixo", "Ação", "Meta", "Situação", "Previsto", "Realizado"]


def goal_rows(n: int) -> list[list[object]]:
    statuses = ["Realizada", "Parcial", "Em andamento", "Não iniciada"]
    return [
        [f"Eixo {i % 5 + 1}", f"Ação {i}", f"Meta {i}", statuses[i % 4], 10 + i % 7, i % 11]
        for i in range(n)
    ]


def xlsx(
    sheets: dict[str, list[list[object]]] | None = None,
    *,
    hidden: tuple[str, ...] = (),
    very_hidden: tuple[str, ...] = (),
    merges: dict[str, list[tuple[str, object]]] | None = None,
    formulas: dict[str, list[tuple[str, str, object]]] | None = None,
) -> bytes:
    """A real .xlsx (xlsxwriter): sheets by name → rows (None leaves a cell empty), merged
    ranges by sheet as (range, value of its first cell), formulas by sheet as (cell, formula,
    cached value)."""
    sheets = sheets if sheets is not None else {"Metas": [GOAL_HEADER] + goal_rows(3)}
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
        for rng, value in (merges or {}).get(name, []):
            ws.merge_range(rng, value)
        for cell, formula, value in (formulas or {}).get(name, []):
            ws.write_formula(cell, formula, None, value)
        if name in hidden:
            ws.hide()
        if name in very_hidden:
            ws.very_hidden()
    if sheets and all(n in hidden + very_hidden for n in sheets):
        raise ValueError("a workbook needs one visible sheet")
    wb.close()
    return buf.getvalue()


def xlsx_openpyxl(rows: list[list[object]], title: str = "Metas") -> bytes:
    """A workbook written by openpyxl, which stores formulas without a cached value."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def part(data: bytes, name: str = SHEET1) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def rewrite(
    data: bytes,
    replace: dict[str, bytes | Callable[[bytes], bytes]] | None = None,
    add: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
) -> bytes:
    """The same zip with some members replaced (bytes, or a function of the old bytes), added or
    dropped."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename in drop:
                continue
            body = src.read(info)
            new = (replace or {}).get(info.filename)
            if new is not None:
                body = new(body) if callable(new) else new
            out.writestr(info.filename, body)
        for name, body in (add or {}).items():
            out.writestr(name, body)
    return buf.getvalue()


def sheet_xml(rows_xml: bytes, after: bytes = b"") -> bytes:
    """A worksheet part with the given <sheetData> content (and elements after it)."""
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + rows_xml + b"</sheetData>" + after + b"</worksheet>"
    )


def with_sheet(rows_xml: bytes, after: bytes = b"") -> bytes:
    """A one-sheet workbook ("Metas") whose sheet XML is exactly this."""
    return rewrite(xlsx({"Metas": [["x"]]}), {SHEET1: sheet_xml(rows_xml, after)})


def stored(data: bytes) -> bytes:
    """The same zip with every member stored uncompressed (a repetitive part then passes the
    expansion-ratio check and reaches the scans behind it)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info))
    return buf.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, body in members.items():
            out.writestr(name, body)
    return buf.getvalue()


# --- zips assembled byte by byte -----------------------------------------------------------------


def raw_zip(members: list[tuple[str, bytes, int, int, int]], gap: int = 0) -> bytes:
    """A zip from (name, stored bytes, method, declared uncompressed size, declared CRC) —
    whatever the sizes and CRCs say, true or not; ``gap`` junk bytes after each member."""
    out, central, offset = [], [], 0
    for name, body, method, size, crc in members:
        raw_name = name.encode("utf-8")
        local = (
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0x800,
                method,
                0,
                0x21,
                crc,
                len(body),
                size,
                len(raw_name),
                0,
            )
            + raw_name
        )
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0x800,
                method,
                0,
                0x21,
                crc,
                len(body),
                size,
                len(raw_name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + raw_name
        )
        out += [local, body, b"\x00" * gap]
        offset += len(local) + len(body) + gap
    directory = b"".join(central)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), offset, 0
    )
    return b"".join(out) + directory + end


def deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


@functools.cache
def zeros_deflated(megabytes: int) -> bytes:
    """A raw deflate stream of ``megabytes`` MiB of zeros, built in milliseconds: after a full
    flush each 1 MiB block compresses to the same bytes, so one block is repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"\0" * (1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(b"\0" * (1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert block == again
    return block * megabytes + compressor.flush()


def with_members(
    data: bytes, extra: list[tuple[str, bytes, int, int, int]] = (), gap: int = 0
) -> bytes:
    """A real workbook's members (deflated, honest) plus raw extra members."""
    src = zipfile.ZipFile(io.BytesIO(data))
    members = [
        (i.filename, deflated(src.read(i)), zipfile.ZIP_DEFLATED, i.file_size, i.CRC)
        for i in src.infolist()
    ]
    return raw_zip(members + list(extra), gap)


def zip_bomb(gigabytes: int = 1) -> bytes:
    """A ~1 MB workbook whose sheet honestly declares and inflates to ``gigabytes`` GiB."""
    body = zeros_deflated(1024 * gigabytes)
    crc = 0
    block = b"\0" * (1 << 20)
    for _ in range(1024 * gigabytes):
        crc = zlib.crc32(block, crc)
    book = xlsx()
    return with_members(
        rewrite(book, drop=(SHEET1,)),
        [(SHEET1, body, zipfile.ZIP_DEFLATED, 1024**3 * gigabytes, crc)],
    )


def lying_bomb() -> bytes:
    """A workbook whose sheet declares 2 kB but inflates to 1 GiB (CRC of the first 2 kB)."""
    body = zeros_deflated(1024)
    book = xlsx()
    return with_members(
        rewrite(book, drop=(SHEET1,)),
        [(SHEET1, body, zipfile.ZIP_DEFLATED, 2048, zlib.crc32(b"\0" * 2048))],
    )


# --- other formats -------------------------------------------------------------------------------


def ole(*streams: str) -> bytes:
    """An OLE2 compound file header with these directory names (UTF-16LE), as Excel writes a
    legacy .xls ("Workbook") or a password-protected .xlsx ("EncryptedPackage")."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    directory = b"".join(
        name.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64 for name in ("Root Entry", *streams)
    )
    return header + directory.ljust(1024, b"\0")


def docx() -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "_rels/.rels": b"<Relationships/>",
        }
    )


def ods() -> bytes:
    return zip_of(
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": b"<office:document-content/>",
        }
    )


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def junk(size: int = 4096, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(size)


def csv_text(lines: list[str], sep: str = ";") -> str:
    return "\r\n".join(lines) + "\r\n" if sep == ";" else "\n".join(lines) + "\n"
