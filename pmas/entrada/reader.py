"""Uploaded bytes → raw tables, with every safety check done before any parser sees the file.

``read(data, filename)`` tells the kind by content (never by the name, which is only echoed):

* **xlsx** (a zip): the zip directory is checked first (member count, member names, declared
  sizes and ratios, no macros, no external links, an ``xl/workbook.xml``); then every member is
  inflated by us, never past its declared size (a size that lies is refused), and every XML part
  is scanned with byte searches: no ``<!DOCTYPE``/``<!ENTITY``, the cells' positions within the
  row/column/area caps, formulas without a cached value. Only then does python-calamine read the
  file: the original bytes when the zip is laid out plainly (one end record, members end to end,
  local headers matching the directory, so every zip reader sees the same members), otherwise a
  repacked copy of exactly the parts that were scanned.
* **csv**: UTF-8 (with or without BOM), Windows-1252 or UTF-16 with BOM; separator ``;``, ``,`` or
  tab, told by consistent field counts; values stay text (the normaliser parses numbers).
* anything else (legacy ``.xls``, password-protected ``.xlsx``, PDF, images, other zips, binary
  junk) is refused with a finding that says what the file is and what to do.

Why the cell-position scan matters: calamine keeps a sheet as one dense block from its first to
its last cell, so a 1 kB sheet with one cell in ``A1`` and one in ``XFD1048576`` makes it allocate
half a terabyte and the Rust allocator *aborts the whole process* (no exception to catch). The scan
finds the furthest cell calamine would place, with numpy over the raw bytes, before calamine runs.

``read`` raises :class:`pmas.entrada.findings.Rejected` when the file cannot be read safely; warnings, and
content errors that do not stop reading (a formula without a value), come back in
``RawWorkbook.findings``. No other exception escapes.
"""

from __future__ import annotations

import csv
import html
import io
import re
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain
from posixpath import normpath
from typing import Any, cast

import numpy as np

from pmas import fmt
from pmas.entrada.bruto import DEFAULT_LIMITS, Limits, RawSheet, RawWorkbook
from pmas.entrada.findings import Finding, Rejected, finding
from pmas.fmt import numero
from pmas.text import CONTROL, clean_display, strip_controls
from pmas.textos import DETALHES_LEITOR as DETALHES

# The first characters after which pmas.saida.export puts its protective apostrophe (kept here:
# the reader must not import the export module).
GATILHOS = ("=", "+", "-", "@", "\t", "\r")


CSV_SHEET = "CSV"
# Findings of one kind listed one by one, per sheet; the rest are summed up in one finding.
MAX_LISTED = 20
# A member's expansion ratio only counts above this size (small parts compress a lot, harmlessly).
_RATIO_FLOOR = 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_BINARY_MAGICS = (
    b"%PDF",
    b"\x89PNG",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"II*\x00",
    b"MM\x00*",
    b"{\\rtf",
)
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26))
_DRIVE = re.compile(r"^[A-Za-z]:")
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_PART = (".xml", ".rels")


def read(data: bytes, filename: str, limits: Limits = DEFAULT_LIMITS) -> RawWorkbook:
    """Read an uploaded file into raw tables, or raise :class:`Rejected` saying why not."""
    kind = "desconhecido"
    try:
        if not data:
            raise Rejected(finding("arquivo_vazio"))
        if len(data) > limits.max_bytes:
            raise Rejected(
                finding(
                    "arquivo_grande", tamanho=tamanho(len(data)), limite=tamanho(limits.max_bytes)
                )
            )
        kind = _sniff(data)
        if kind == "xlsx":
            return _read_xlsx(data, filename, limits)
        try:
            return _read_csv(data, filename, limits)
        except Rejected as rejected:
            # Told by content, not by name: a CSV named .xlsx is read. But a text file named
            # .xlsx that is no readable CSV either is, for its owner, a broken Excel file: say
            # that, not something about CSV separators.
            extensao = _excel_extension(filename)
            if extensao and all(f.codigo in _TEXT_NOT_CSV for f in rejected.findings):
                raise Rejected(finding("xlsx_invalido", extensao=extensao)) from rejected
            raise
    except Rejected:
        raise
    except Exception as exc:  # any parser surprise is a refusal, never a traceback on screen
        if kind == "xlsx":
            raise Rejected(finding("arquivo_corrompido", detalhe=DETALHES["leitura"])) from exc
        raise Rejected(finding("formato_desconhecido")) from exc


# What _read_csv says when the text is no CSV at all (as opposed to a CSV with a problem).
_TEXT_NOT_CSV = frozenset({"csv_separador", "csv_codificacao", "csv_texto_corrompido"})


def _excel_extension(filename: str) -> str | None:
    """ ".xlsx" (or .xlsm, .xltx) when the name says Excel workbook, else None."""
    ext = "." + filename.rsplit(".", 1)[-1].strip().lower() if "." in filename else ""
    return ext if ext in (".xlsx", ".xlsm", ".xltx", ".xltm") else None


def _sniff(data: bytes) -> str:
    head = data[:8]
    if head.startswith(_ZIP_MAGICS):
        return "xlsx"
    if head == _OLE_MAGIC:
        # Excel saves a password-protected .xlsx as an OLE2 file holding an "EncryptedPackage".
        if _ENCRYPTED_STREAM in data:
            raise Rejected(finding("arquivo_criptografado"))
        raise Rejected(finding("xls_legado"))
    if head.startswith(_BINARY_MAGICS):
        raise Rejected(finding("formato_desconhecido"))
    return "csv"


# --- small helpers ------------------------------------------------------------------------------


def tamanho(n: int) -> str:
    """A byte count the Brazilian way (``12,3 MB``, ``10 MB``, ``12 bytes``): pmas.fmt's."""
    return fmt.tamanho(n)


def col_letter(index: int) -> str:
    """Excel column letters of a zero-based column index: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _ref(ref: str) -> tuple[int | None, str | None]:
    """``"B12"`` → (12, "B"); anything else → (None, None)."""
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})", ref.strip())
    if not m:
        return None, None
    return int(m.group(2)), m.group(1).upper()


# --- xlsx ---------------------------------------------------------------------------------------


def _read_xlsx(data: bytes, filename: str, limits: Limits) -> RawWorkbook:
    zf, infos = _open_zip(data, limits)
    early = _EarlyRead(data, infos)
    try:
        return _read_checked_zip(data, filename, limits, zf, infos, early)
    finally:
        early.cancel()


class _EarlyRead:
    """The column read of the largest sheet, started in another process just before that sheet
    is inflated and scanned (:mod:`pmas.entrada.antecipada`); used only once every check has
    passed."""

    def __init__(self, data: bytes, infos: list[zipfile.ZipInfo]) -> None:
        self.data = data
        self.sizes = {i.filename: i.file_size for i in infos}
        self.read: Any = None  # the Antecipada, when one was started

    def before_inflating(self, info: zipfile.ZipInfo, aba: str, sheets: dict[str, str]) -> None:
        from pmas.entrada import antecipada, colunar

        largest = max(self.sizes.get(path, 0) for path in sheets)
        if self.read is None and colunar.ATIVO and info.file_size >= largest:
            self.read = antecipada.iniciar(self.data, aba, colunar.OPCOES, info.file_size)

    def cancel(self) -> None:
        if self.read is not None:
            self.read.cancelar()


def _read_checked_zip(
    data: bytes,
    filename: str,
    limits: Limits,
    zf: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    early: _EarlyRead,
) -> RawWorkbook:
    parts, sheet_parts = _xml_parts(data, zf, infos, limits, early.before_inflating)
    findings: list[Finding] = []
    names = {path: name for name, path, _state in sheet_parts}
    sheets = {path for path, xml in parts.items() if b"sheetData" in xml}  # anything calamine
    # could read as a worksheet. Whether a sheet might hold a text longer than the cap: only then
    # are its cells measured.
    shared = [_longest_shared_string(xml) for path, xml in parts.items() if path not in sheets]
    longest_shared = None if None in shared else max([n for n in shared if n is not None] or [0])
    may_be_long: dict[str, bool] = {}
    tall: set[str] = set()  # sheets worth reading column-wise (pmas.entrada.colunar)
    for path, xml in parts.items():
        if path in sheets:
            aba = names.get(path, path)
            extent = _check_extent(xml, aba, limits)
            if extent.rows >= _COLUMNAR_ROWS and path in names:
                tall.add(path)
            may_be_long[aba] = (
                extent.longest_cell is None
                or longest_shared is None
                or _has(xml, b"<![CDATA[", 2)
                or max(extent.longest_cell, longest_shared) > limits.max_cell_chars
            )
            findings.extend(_formulas_without_value(xml, aba))
            findings.extend(_error_cells(xml, aba))
    findings.extend(_links_and_connections(parts, sheet_parts))
    renamed = any(i.filename != i.orig_filename for i in infos)
    plain = not renamed and _plain_layout(data, infos)
    source = io.BytesIO(data) if plain else _repacked(parts)
    mini, columnar = None, set()
    if tall:
        from pmas.entrada import colunar

        if colunar.ATIVO:
            mini, cut = colunar.mini_workbook(parts, tall)
            columnar = {names[p] for p in cut}
    del parts
    # Every check passed: the early read (of the original bytes) serves only when they are what
    # is read.
    ready = early.read if plain else None
    return _calamine_read(source, filename, limits, findings, may_be_long, mini, columnar, ready)


def _open_zip(data: bytes, limits: Limits) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The zip directory, checked: member count, names, declared sizes, no macros or links."""
    # Count central-directory records before zipfile builds an object for each one.
    records = data.count(b"PK\x01\x02")
    if records > limits.max_members:
        raise Rejected(finding("zip_membros", quantidade=numero(records)))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception as exc:
        raise Rejected(finding("arquivo_corrompido", detalhe=DETALHES["zip_invalido"])) from exc
    if len(infos) > limits.max_members:
        raise Rejected(finding("zip_membros", quantidade=numero(len(infos))))

    seen: set[str] = set()
    for info in infos:
        name = info.orig_filename
        if _bad_member_name(name):
            raise Rejected(finding("zip_caminho", nome=repr(name)[1:-1][:120]))
        # Backslashes as separators: the same part as with slashes (the file is then repacked
        # under the slashed names, so calamine finds its parts).
        info.filename = info.filename.replace("\\", "/")
        if info.filename in seen:
            raise Rejected(
                finding(
                    "zip_caminho", nome=DETALHES["nome_repetido"].format(nome=info.filename[:120])
                )
            )
        seen.add(info.filename)

    declared = sum(i.file_size for i in infos)
    if declared > limits.max_uncompressed or (
        declared > _RATIO_FLOOR and declared / len(data) > limits.max_ratio
    ):
        raise Rejected(
            finding(
                "zip_expansao",
                detalhe=DETALHES["expansao_total"].format(
                    descompactado=tamanho(declared), compactado=tamanho(len(data))
                ),
            )
        )
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            razao = numero(round(info.file_size / max(info.compress_size, 1)))
            raise Rejected(
                finding(
                    "zip_expansao",
                    detalhe=DETALHES["expansao_parte"].format(parte=info.filename, razao=razao),
                )
            )

    lower = {n.lower() for n in seen}
    if "xl/workbook.xml" not in seen:
        raise Rejected(finding("formato_desconhecido"))
    if any(n.endswith("vbaproject.bin") or n.startswith("xl/macrosheets/") for n in lower):
        raise Rejected(finding("macros"))
    # Links to other workbooks and data connections are read as last saved (never refreshed):
    # see _links_and_connections.
    if any(i.flag_bits & 0x1 for i in infos):
        raise Rejected(finding("arquivo_criptografado"))
    return zf, infos


def _xml_parts(
    data: bytes,
    zf: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    limits: Limits,
    before_inflating: Callable[[zipfile.ZipInfo, str, dict[str, str]], None] | None = None,
) -> tuple[dict[str, bytes], list[tuple[str, str, str]]]:
    """Every member inflated (never past its declared size); the XML ones, and any part the
    workbook points to, kept and scanned. Also the workbook's sheets. ``before_inflating`` is
    told of each sheet (its member and name, and every sheet's part and name) once its row
    count is known to be within the cap, before it is inflated."""
    parts: dict[str, bytes] = {}
    others = []
    # The workbook and its relationships first (small): then each large sheet can be refused by
    # its row count before it is inflated whole.
    book_first = sorted(infos, key=lambda i: i.filename not in _BOOK_PARTS)
    sheet_names: dict[str, str] | None = None
    for info in book_first:
        if info.filename.lower().endswith(_XML_PART):
            if sheet_names is None and info.filename not in _BOOK_PARTS:
                sheet_names = _sheet_names(parts)
            if sheet_names and info.filename in sheet_names:
                _too_many_rows(data, info, sheet_names[info.filename], limits)
                if before_inflating is not None:
                    before_inflating(info, sheet_names[info.filename], sheet_names)
            parts[info.filename] = _member(data, zf, info, scan=True)
        else:
            others.append(info)
    if b"macroenabled" in parts.get("[Content_Types].xml", b"").lower():
        raise Rejected(finding("macros"))
    sheet_parts, targets = _workbook_parts(parts)
    for info in others:  # media, printer settings…; or a part the workbook names oddly
        wanted = info.filename in targets
        xml = _member(data, zf, info, scan=wanted)
        if wanted:
            parts[info.filename] = xml
    # The byte scans only see ASCII-compatible text: a UTF-16 part is refused where calamine
    # would parse it, and otherwise (SharePoint's customXml, say) left out.
    needed = targets | {
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
    }
    for name in [n for n, xml in parts.items() if _utf16(xml)]:
        if name in needed:
            raise Rejected(
                finding(
                    "arquivo_corrompido", detalhe=DETALHES["parte_codificacao"].format(parte=name)
                )
            )
        del parts[name]
    return parts, sheet_parts


_BOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
_COLUMNAR_ROWS = 64  # sheets with fewer rows are read row-wise only
_EARLY_CHECK_BYTES = 4 * 1024 * 1024  # sheets smaller than this are scanned whole anyway
_STREAM_CHUNK = 1 << 20
_DIMENSION = re.compile(
    rb"<(?:[\w.-]++:)?dimension\s[^>]{0,200}?ref\s*+=\s*+[\"']([^\"']{1,40})[\"']"
)
_ROW_NUMBER = re.compile(rb"<(?:[\w.-]++:)?row\s[^>]{0,200}?\br\s*+=\s*+[\"'](\d{1,9})[\"']")


def _sheet_names(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet part path → sheet name, when the workbook parts are there and readable."""
    if "xl/workbook.xml" not in parts:
        return {}
    try:
        sheet_parts, _targets = _workbook_parts(parts)
    except Rejected:
        return {}
    return {path: name for name, path, _state in sheet_parts}


def _too_many_rows(data: bytes, info: zipfile.ZipInfo, aba: str, limits: Limits) -> None:
    """Refuse a large sheet past the row cap before inflating it whole (a 300.000-row sheet made
    the process reach hundreds of MB before the cells' scan could refuse it).

    The ``<dimension ref="A1:F300001">`` near the start says how far the sheet goes; when that is
    past the cap, the sheet is inflated a chunk at a time (memory bounded by the chunk) until a
    ``<row r="…">`` past the cap confirms it. A stale dimension never refuses by itself."""
    if info.file_size < _EARLY_CHECK_BYTES or info.compress_type not in (
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,
    ):
        return
    try:
        chunks = _chunks(data, info)
        head = next(chunks, b"")
        m = _DIMENSION.search(head[: 64 * 1024])
        if not m:
            return
        last = m.group(1).rsplit(b":", 1)[-1]
        digits = last.lstrip(b"$ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        if not digits.isdigit() or int(digits) <= limits.max_rows:
            return
        tail = b""
        for chunk in chain([head], chunks):
            window = tail + chunk
            if any(int(n) > limits.max_rows for n in _ROW_NUMBER.findall(window)):
                raise Rejected(finding("linhas_demais", aba=aba, limite=numero(limits.max_rows)))
            tail = window[-256:]
    except (ValueError, zlib.error):
        return  # the whole-member path reports a damaged part properly


def _chunks(data: bytes, info: zipfile.ZipInfo):
    """The member's bytes inflated a chunk (about 1 MB) at a time."""
    head = data[info.header_offset : info.header_offset + 30]
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise ValueError("local header")
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    start = info.header_offset + 30 + name_len + extra_len
    raw = memoryview(data)[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        for i in range(0, len(raw), _STREAM_CHUNK):
            yield bytes(raw[i : i + _STREAM_CHUNK])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pos = 0
    pending = b""
    while True:
        if not pending:
            if pos >= len(raw):
                break
            pending = bytes(raw[pos : pos + _STREAM_CHUNK])
            pos += _STREAM_CHUNK
        out = inflater.decompress(pending, _STREAM_CHUNK)
        pending = inflater.unconsumed_tail
        if out:
            yield out
        elif not pending and inflater.eof:
            break


def _plain_layout(data: bytes, infos: list[zipfile.ZipInfo]) -> bool:
    """Whether any zip reader must find what zipfile found: one end record, at the very end, the
    central directory right before it, the members laid end to end from offset 0, each local
    header naming the same file with the same method. Then calamine reads the original bytes;
    otherwise it gets a repacked copy of the checked parts, so no reader can see another file."""
    tail = max(0, len(data) - 22 - 65535)
    eocd = data.rfind(b"PK\x05\x06", tail)
    if eocd < 0 or data.find(b"PK\x05\x06", tail) != eocd or b"PK\x06\x06" in data[tail:]:
        return False
    total, cd_size, cd_offset, comment = struct.unpack("<HIIH", data[eocd + 10 : eocd + 22])
    if eocd + 22 + comment != len(data) or cd_offset + cd_size != eocd or total != len(infos):
        return False
    pos = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        head = data[pos : pos + 30]
        if info.header_offset != pos or len(head) < 30 or head[:4] != b"PK\x03\x04":
            return False
        (method,) = struct.unpack("<H", head[8:10])
        name_len, extra_len = struct.unpack("<HH", head[26:30])
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        if method != info.compress_type or data[
            pos + 30 : pos + 30 + name_len
        ] != info.orig_filename.encode(encoding):
            return False
        pos += 30 + name_len + extra_len + info.compress_size
        if info.flag_bits & 0x8:  # a data descriptor follows the data
            pos += 16 if data[pos : pos + 4] == b"PK\x07\x08" else 12
    return pos == cd_offset


def _repacked(parts: dict[str, bytes]) -> io.BytesIO:
    clean = io.BytesIO()
    with zipfile.ZipFile(clean, "w", zipfile.ZIP_STORED) as out:
        for path, xml in parts.items():
            out.writestr(path, xml)
    return clean


def _bad_member_name(name: str) -> bool:
    """A name that could point outside the package: empty, absolute, a drive, a ``..`` step
    (with either slash: some Windows tools write ``xl\\worksheets\\sheet1.xml``, which is
    fine), or control characters."""
    slashed = name.replace("\\", "/")
    return (
        not name
        or slashed.startswith("/")
        or bool(_DRIVE.match(name))
        or ".." in slashed.split("/")
        or any(ord(ch) < 32 for ch in name)
    )


def _member(data: bytes, zf: zipfile.ZipFile, info: zipfile.ZipInfo, scan: bool) -> bytes:
    """A member's bytes, never inflated past its declared size (a lie is refused); XML scanned."""
    try:
        if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            xml = _inflate(data, info)
        else:  # bzip2/lzma: rare; zipfile stops at the declared size and checks the CRC
            with zf.open(info) as stream:
                chunks, got = [], 0
                while chunk := stream.read(min(4 * 1024 * 1024, info.file_size - got + 1)):
                    got += len(chunk)
                    chunks.append(chunk)
            xml = b"".join(chunks)
    except Rejected:
        raise
    except Exception as exc:  # truncated data, unknown compression, zip encryption
        raise Rejected(
            finding(
                "arquivo_corrompido", detalhe=DETALHES["parte_ilegivel"].format(parte=info.filename)
            )
        ) from exc
    # (No CRC check here: calamine's zip reader checks it on these same compressed bytes, and a
    # repacked copy carries exactly the bytes scanned.)
    if len(xml) != info.file_size:
        raise Rejected(
            finding(
                "arquivo_corrompido", detalhe=DETALHES["parte_ilegivel"].format(parte=info.filename)
            )
        )
    if scan:
        _check_xml(xml, info.filename)
    return xml


def _inflate(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """Stored or deflated member data, inflated to at most its declared size plus one byte."""
    offset = info.header_offset
    head = data[offset : offset + 30]
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise ValueError("local header")
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    start = offset + 30 + name_len + extra_len
    raw = data[start : start + info.compress_size]
    if len(raw) != info.compress_size:
        raise ValueError("truncated")
    if info.compress_type == zipfile.ZIP_STORED:
        return raw
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    out = inflater.decompress(raw, info.file_size + 1)
    if len(out) > info.file_size:
        raise Rejected(
            finding(
                "zip_expansao", detalhe=DETALHES["tamanho_mentiroso"].format(parte=info.filename)
            )
        )
    return out


def _utf16(xml: bytes) -> bool:
    return b"\x00" in xml or xml.startswith((b"\xff\xfe", b"\xfe\xff"))


def _has(xml: bytes, needle: bytes, rare: int = 0) -> bool:
    """``needle in xml``, faster when the needle's byte at index ``rare`` is rare in the part ("!"
    in a sheet, "f" outside formulas): a one-byte search runs at memory speed, a longer one does
    not. After a few false starts it falls back to the plain search."""
    byte = needle[rare : rare + 1]
    pos = xml.find(byte, rare)
    for _ in range(32):
        if pos < 0:
            return False
        if xml.startswith(needle, pos - rare):
            return True
        pos = xml.find(byte, pos + 1)
    return xml.find(needle, pos - rare) >= 0


def _count(xml: bytes, needle: bytes, rare: int) -> int:
    """``xml.count(needle)`` for a needle that cannot overlap itself, found the same way as in
    :func:`_has`: by its rare byte, falling back to the plain count past a few hundred of them."""
    byte = needle[rare : rare + 1]
    found = 0
    pos = xml.find(byte, rare)
    for _ in range(512):
        if pos < 0:
            return found
        if xml.startswith(needle, pos - rare):
            found += 1
        pos = xml.find(byte, pos + 1)
    return xml.count(needle)


def _check_xml(xml: bytes, part: str) -> None:
    """No DTD or entity declaration, in any part, whatever its encoding."""
    if _utf16(xml):
        for encoding in ("utf-16", "utf-16-le", "utf-32"):
            try:
                text = xml.decode(encoding).encode("utf-8")
                break
            except UnicodeDecodeError:
                continue
        else:
            raise Rejected(
                finding(
                    "arquivo_corrompido", detalhe=DETALHES["parte_codificacao"].format(parte=part)
                )
            )
        xml = text
    if _has(xml, b"<!", 1) and _DTD.search(xml):
        raise Rejected(finding("xml_dtd", parte=part))


def _workbook_parts(parts: dict[str, bytes]) -> tuple[list[tuple[str, str, str]], set[str]]:
    """(name, part path, state) of each sheet in workbook order, and every part the workbook's
    relationships point to, from workbook.xml and its rels (already scanned; parsed defused)."""
    from defusedxml import ElementTree

    try:
        # Control characters in a sheet name (as "&#x1;", which calamine reads, or raw) are left
        # out here; _calamine_read strips them from the name too, with an aviso.
        book = ElementTree.fromstring(_without_controls(parts["xl/workbook.xml"]))
        rels_xml = parts.get("xl/_rels/workbook.xml.rels")
        rels = ElementTree.fromstring(rels_xml) if rels_xml else None
    except Exception as exc:
        raise Rejected(finding("arquivo_corrompido", detalhe=DETALHES["pasta_ilegivel"])) from exc
    targets: dict[str, str] = {}
    for rel in rels.iter() if rels is not None else ():
        if rel.tag.rsplit("}", 1)[-1] == "Relationship" and rel.get("Id") and rel.get("Target"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else normpath("xl/" + target)
            targets[rel.get("Id", "")] = path
    sheets = []
    for el in book.iter():
        if el.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "id"), "")
        sheets.append((el.get("name", ""), targets.get(rid, ""), el.get("state", "visible")))
    return sheets, set(targets.values())


# The control characters XML 1.0 cannot hold, raw or as character references ("&#x1;", "&#27;").
_XML_CONTROLS = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f]"
    rb"|&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));"
)


def _without_controls(xml: bytes) -> bytes:
    return _XML_CONTROLS.sub(b"", xml) if _XML_CONTROLS.search(xml) else xml


def _calamine_read(
    source: io.BytesIO,
    filename: str,
    limits: Limits,
    findings: list[Finding],
    may_be_long: dict[str, bool],
    mini: io.BytesIO | None = None,
    columnar: set[str] | frozenset[str] = frozenset(),
    early: Any = None,
) -> RawWorkbook:
    """python-calamine's read of the checked bytes. The sheets named in ``columnar`` are first
    tried column-wise (:mod:`pmas.entrada.colunar`, with ``mini``, the workbook cut after the
    first rows of each sheet, and ``early``, a column read of ``source`` already under way in
    another process); any sheet that path declines is read here, row by row."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    readers: list = []  # the column-wise readers (the cut copy's workbook has the metadata)
    book = None
    if mini is not None and columnar:
        from pmas.entrada import colunar

        readers = colunar.readers(source, mini, early)  # [] when the cut copy cannot be opened
    if readers:
        metadata = readers[1].sheets_metadata
    else:
        book = _calamine_book(source)
        metadata = book.sheets_metadata
    sheets: list[RawSheet] = []
    for meta in metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue  # chart and dialog sheets hold no table
        if meta.name in columnar and readers and not CONTROL.search(meta.name):
            hidden = meta.visible != SheetVisibleEnum.Visible
            long_ok = may_be_long.get(meta.name, True)
            fast = colunar.read_sheet(
                readers[0], readers[1], meta.name, hidden, limits, long_ok, _top_is_plain
            )
            if fast is not None:
                if hidden:
                    findings.append(finding("aba_oculta", aba=meta.name))
                sheets.append(fast)
                continue
        if book is None:
            book = _calamine_book(source)
        try:
            sheet = book.get_sheet_by_name(meta.name)
            rows = cast("list[list[object]]", sheet.to_python(skip_empty_area=False))
            merges = sheet.merged_cell_ranges or []
        except Exception as exc:
            raise Rejected(
                finding(
                    "arquivo_corrompido", detalhe=DETALHES["aba_ilegivel"].format(aba=meta.name)
                )
            ) from exc
        aba = meta.name
        if CONTROL.search(aba):
            aba = strip_controls(aba) or DETALHES["aba_n"].format(n=len(sheets) + 1)
            taken = {m.name for m in metadata} | {s.name for s in sheets}
            base, n = aba, 2
            while aba in taken:  # "Me\x01tas" beside "Metas": two sheets, two names
                aba, n = f"{base} ({n})", n + 1
            findings.append(finding("aba_caracteres_controle", aba=aba))
        hidden = meta.visible != SheetVisibleEnum.Visible
        if hidden:
            findings.append(finding("aba_oculta", aba=aba))
        rows = _clean_rows(rows, aba, limits, may_be_long.get(aba, True))
        findings.extend(_fix_texts(rows, aba))
        sheets.append(RawSheet(aba, rows, hidden, _clip_merges(merges, rows)))
    return RawWorkbook(filename=filename, kind="xlsx", sheets=sheets, findings=findings)


def _top_is_plain(rows: list[list[object]], aba: str, limits: Limits, may_be_long: bool) -> bool:
    """Whether the first rows of a sheet read column-wise pass the checks of
    :func:`_clean_rows` and need nothing :func:`_fix_texts` fixes (on copies)."""
    try:
        _clean_rows([list(r) for r in rows], aba, limits, may_be_long)
    except Rejected:
        return False
    return not _fix_texts([list(r) for r in rows], aba)


def _calamine_book(source: io.BytesIO):
    from python_calamine import CalamineWorkbook

    source.seek(0)
    try:
        return CalamineWorkbook.from_filelike(source)
    except Exception as exc:
        raise Rejected(finding("arquivo_corrompido", detalhe=DETALHES["pasta_ilegivel"])) from exc


def _texts(rows: list[list[object]]) -> Iterator[str]:
    """Every text cell of a sheet, by a C-level filter (no Python call per cell)."""
    return filter(str.__instancecheck__, chain.from_iterable(rows))  # type: ignore[arg-type]


def _clean_rows(
    rows: list[list[object]], aba: str, limits: Limits, may_be_long: bool = True
) -> list[list[object]]:
    """Empty text → None; the caps checked once more on what calamine returned.

    Whole-sheet passes with C-level built-ins where possible: a Python loop per cell would cost
    as much as calamine's own read. Cell lengths are measured only when the XML scan could not rule
    out a long text.
    """
    if len(rows) > limits.max_rows:
        raise Rejected(finding("linhas_demais", aba=aba, limite=numero(limits.max_rows)))
    if max(map(len, rows), default=0) > limits.max_cols:
        raise Rejected(finding("colunas_demais", aba=aba, limite=numero(limits.max_cols)))
    cap = limits.max_cell_chars
    if may_be_long and max(map(len, _texts(rows)), default=0) > cap:
        raise Rejected(
            _long_cell_findings(
                [
                    (r, c)
                    for r, row in enumerate(rows)
                    for c, v in enumerate(row)
                    if type(v) is str and len(v) > cap
                ],
                aba,
                cap,
            )
        )
    for row in rows:  # in place: new row lists kept alive would wake the garbage collector
        if "" in row:  # most rows have few empty cells: found by C-level searches
            i = row.index("")
            while True:
                row[i] = None
                try:
                    i = row.index("", i + 1)
                except ValueError:
                    break
    return rows


def _long_cell_findings(cells: list[tuple[int, int]], aba: str | None, cap: int) -> list[Finding]:
    found = [
        finding("celula_longa", aba=aba, linha=r + 1, coluna=col_letter(c), limite=numero(cap))
        for r, c in cells[:MAX_LISTED]
    ]
    return _listed(found, len(cells), aba, DETALHES["problema_celula_longa"])


def _listed(found: list[Finding], total: int, aba: str | None, problema: str) -> list[Finding]:
    """The first :data:`MAX_LISTED` findings of one kind (``found``), then, when there were
    ``total`` in all, one finding saying how many more there are."""
    if total <= MAX_LISTED:
        return found
    omitted = numero(total - MAX_LISTED)
    return [*found, finding("ocorrencias_omitidas", aba=aba, quantidade=omitted, problema=problema)]


def _clip_merges(merges, rows: list[list[object]]) -> list[tuple[int, int, int, int]]:
    """Merged ranges as (r0, c0, r1, c1), clipped to the cells the sheet really has."""
    if not rows:
        return []
    last_row, last_col = len(rows) - 1, max(map(len, rows)) - 1
    out = []
    for (r0, c0), (r1, c1) in merges:
        if r0 <= last_row and c0 <= last_col:
            out.append((r0, c0, min(r1, last_row), min(c1, last_col)))
    return out


# --- texts fixed on the way in ---------------------------------------------------------------

# The leading apostrophe pmas.saida.export adds to a text that starts like a formula.
_PROTECTED = re.compile("(?:^|\n)'[=+\\-@\t\r]")


def _fix_texts(rows: list[list[object]], aba: str) -> list[Finding]:
    """Remove, in place, the control characters XML cannot hold (they crashed the report) and
    the protective apostrophe this project's downloads add (``'-5`` → ``-5``), with an aviso for
    each naming the cells. One C-level pass over the sheet's texts when there is nothing to fix.
    """
    blob = "\n".join(_texts(rows))
    if not (CONTROL.search(blob) or _PROTECTED.search(blob)):
        return []
    controls: list[str] = []
    protected: list[str] = []
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if type(v) is not str:
                continue
            fixed = v
            if CONTROL.search(fixed):
                fixed = strip_controls(fixed)
                controls.append(f"{col_letter(c)}{r + 1}")
            if fixed[:1] == "'" and fixed[1:2] and fixed[1] in GATILHOS:
                fixed = fixed[1:]
                protected.append(f"{col_letter(c)}{r + 1}")
            if fixed is not v:
                row[c] = fixed if fixed else None
    found = []
    for codigo, cells in (("caracteres_controle", controls), ("apostrofo_protecao", protected)):
        if cells:
            listed = ", ".join(cells[:MAX_LISTED])
            if len(cells) > MAX_LISTED:
                listed += DETALHES["e_mais"].format(quantidade=numero(len(cells) - MAX_LISTED))
            found.append(finding(codigo, aba=aba, quantidade=numero(len(cells)), celulas=listed))
    return found


# --- where the cells are (before calamine allocates them) ----------------------------------------


def _table(values: bytes) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(values)] = True
    return table


_IS_TAG_END = _table(b" \t\r\n/>")
_WINDOW = 12  # room kept after the last "=": a reference's quote and 8 bytes
_EXACT_WALK_BYTES = 4 * 1024 * 1024  # about 1 s of the exact walk
_CELL_KEY = int.from_bytes(b"\0\0<c r=\0", "little")  # bytes 2-6 of the 8 around an "="
_CELL_MASK = int.from_bytes(b"\0\0\xff\xff\xff\xff\xff\0", "little")
_ROW_KEY = int.from_bytes(b"<row r=\0", "little")  # bytes 0-6
_ROW_MASK = int.from_bytes(b"\xff" * 7 + b"\0", "little")
_R_ATTR_KEY = int.from_bytes(b' r="', "little")  # bytes 4-7
_BIG = 1 << 40
_SCAN_BLOCK = 1 << 23  # bytes of a sheet scanned at a time
_MAX_ODD_EQUALS = 10_000  # "=" not in the plain ' r="' form beyond which the exact walk runs


@dataclass
class _Extent:
    rows: int  # last row holding a cell (1-based)
    cols: int  # last column holding a cell (1-based)
    merges: int  # merged ranges
    longest_cell: int | None  # bytes of the longest cell element; None when not measured


def _check_extent(xml: bytes, aba: str, limits: Limits) -> _Extent:
    """Refuse a sheet whose cells calamine would spread over too many rows, columns or cells.

    The vectorised scan covers sheets written the usual way; the exact walk (a Python loop over
    the tags) covers the rest and tells data from cells that only hold formatting, but only up to
    ``_EXACT_WALK_BYTES``, so no sheet can make the check itself slow.
    """
    extent = _fast_extent(xml)
    if extent is None or not _within(extent, limits):
        if len(xml) <= _EXACT_WALK_BYTES:
            extent = _exact_extent(xml, limits)
        elif extent is None:
            raise Rejected(finding("aba_incomum", aba=aba, tamanho=tamanho(len(xml))))
    if extent.rows > limits.max_rows:
        raise Rejected(finding("linhas_demais", aba=aba, limite=numero(limits.max_rows)))
    if extent.cols > limits.max_cols:
        raise Rejected(finding("colunas_demais", aba=aba, limite=numero(limits.max_cols)))
    if extent.rows * extent.cols > limits.max_cells:
        raise Rejected(
            finding(
                "celulas_demais",
                aba=aba,
                linhas=numero(extent.rows),
                colunas=numero(extent.cols),
                limite=numero(limits.max_cells),
            )
        )
    if extent.merges > limits.max_merges:
        raise Rejected(finding("mescladas_demais", aba=aba, limite=numero(limits.max_merges)))
    return extent


def _within(extent: _Extent, limits: Limits) -> bool:
    return (
        extent.rows <= limits.max_rows
        and extent.cols <= limits.max_cols
        and extent.rows * extent.cols <= limits.max_cells
        and extent.merges <= limits.max_merges
    )


def _words(arr: np.ndarray, at: np.ndarray, order: str) -> np.ndarray:
    """The 8 bytes starting at each offset in ``at`` (each at most ``arr.size - 8``) as one
    integer, little- (``"<"``) or big-endian (``">"``): one gather from an unaligned view."""
    view = np.ndarray(shape=(arr.size - 7,), dtype=order + "u8", buffer=arr, strides=(1,))
    return view[at]


def _positions(arr: np.ndarray, byte: int) -> np.ndarray:
    """Offsets (int32) of one byte value, found in blocks so the temporary masks stay small."""
    block = _SCAN_BLOCK
    found = [
        np.flatnonzero(arr[i : i + block] == byte).astype(np.int32) + i
        for i in range(0, arr.size, block)
    ]
    return np.concatenate(found) if found else np.empty(0, dtype=np.int32)


def _fast_extent(xml: bytes) -> _Extent | None:
    """The extent in a few vectorised passes over the bytes, for sheets written the plain way
    every spreadsheet program writes them: ``<c r="B2" …>`` with ``r`` first, ``<row r="2" …>``,
    no namespace prefix on cells, no other spelling of an ``r`` attribute. Anything else returns
    None and the exact walk runs instead.

    Counts every cell, even one holding only formatting, so it is an upper bound. The bytes are
    taken a block at a time (the counts and maxima carried over), so the temporary arrays stay a
    fraction of the sheet's size.
    """
    arr = np.frombuffer(xml, dtype=np.uint8)
    n = arr.size
    if n < 4 * _WINDOW or n >= 2**31 - 1:
        return None
    others: list[np.ndarray] = []  # "=" that may belong to an oddly spelled "r" attribute
    starts: list[np.ndarray] = []  # where each cell's reference starts (after the quote)
    n_others = refs = cells = 0
    longest = last_cell = -1
    for i in range(0, n, _SCAN_BLOCK):
        chunk = arr[i : i + _SCAN_BLOCK]
        eq = np.flatnonzero(chunk == 61).astype(np.int32)  # every "="
        eq += i
        if eq.size and (eq[0] < 6 or eq[-1] > n - _WINDOW - 3):
            return None
        # The 8 bytes around each "=", from 6 before to 1 after, as one little-endian integer.
        keys = _words(arr, eq - 6, "<")
        plain_r = (keys >> 32) == _R_ATTR_KEY  # ' r="'
        before, after = arr[eq - 1], arr[eq + 1]
        other_r = (before == 114) | _is_ws(after) | _is_ws(before)  # r='…', r =, tab before r…
        other_r &= ~plain_r
        if other_r.any():
            others.append(eq[other_r])
            n_others += others[-1].size
            if n_others > _MAX_ODD_EQUALS:
                return None
        keys = keys[plain_r]
        cell_ref = (keys & _CELL_MASK) == _CELL_KEY
        if not (cell_ref | ((keys & _ROW_MASK) == _ROW_KEY)).all():
            return None  # an "r" attribute elsewhere, or not first in its tag
        del keys, before, after
        starts.append(eq[plain_r][cell_ref] + 2)
        refs += starts[-1].size
        # Every cell start tag ("<c" then whitespace, "/" or ">") must be one with its own
        # reference.
        cs = np.flatnonzero(chunk == 99).astype(np.int32)  # every "c"
        cs += i
        cs = cs[(cs >= 1) & (cs <= n - 2)]
        lead = arr[cs - 1]
        cs = cs[(lead == 60) | (lead == 58)]
        cs = cs[_IS_TAG_END[arr[cs + 1]]]
        if not cs.size:
            continue
        if (arr[cs - 1] == 58).any():
            return None  # prefixed cells (<x:c>): calamine ignores namespaces
        cells += cs.size
        gaps = int(np.diff(cs).max(initial=0))
        longest = max(longest, gaps, int(cs[0]) - last_cell if last_cell >= 0 else 0)
        last_cell = int(cs[-1])
    if others and _spelled_r_attribute(xml, np.concatenate(others)):
        return None
    if cells != refs:
        return None  # a cell without a reference: calamine puts it after the previous one
    col_best = row_best = 0
    for at in starts:  # (only now: the checks above make sure these are cell references)
        best = _reference_maxima(arr, at)
        if best is None:
            return None
        col_best, row_best = max(col_best, best[0]), max(row_best, best[1])
    rows, cols = _decode_reference(col_best, row_best)
    if last_cell >= 0:
        longest = max(longest, xml.rfind(b"</c>") - last_cell)
    return _Extent(rows, cols, _count(xml, b"mergeCell", 3), longest if last_cell >= 0 else None)


def _is_ws(byte: np.ndarray) -> np.ndarray:
    return (byte == 32) | (byte == 9) | (byte == 10) | (byte == 13)


def _longest_shared_string(xml: bytes) -> int | None:
    """Bytes of the longest ``<si>`` element of a shared-strings part (a bound on the length of
    any of its strings); None when the part is not written plainly enough to tell."""
    if b":si" in xml or _has(xml, b"<![CDATA[", 2):
        return None
    arr = np.frombuffer(xml, dtype=np.uint8)
    i = _positions(arr, 105)  # "i"
    i = i[(i >= 2) & (i <= arr.size - 2)]
    i = i[(arr[i - 1] == 115) & (arr[i - 2] == 60) & _IS_TAG_END[arr[i + 1]]]  # "<si"
    if not i.size:
        return 0
    return int(max(np.diff(i).max(initial=0), xml.rfind(b"</si>") - int(i[-1])))


def _spelled_r_attribute(xml: bytes, eqs: np.ndarray) -> bool:
    """Whether any of these "=" (not in the plain ``␠r="`` form) belongs to an attribute named
    ``r``: r='…', r = "…", a tab or line break before r… (then the exact walk runs)."""
    if eqs.size > _MAX_ODD_EQUALS:
        return True
    for e in eqs.tolist():
        j = e - 1
        while j > 0 and xml[j] in b" \t\r\n":
            j -= 1
        if xml[j] == 0x72 and xml[j - 1] in b" \t\r\n":
            return True
    return False


def _last_reference(arr: np.ndarray, start: np.ndarray) -> tuple[int, int] | None:
    """Last row and last column (1-based) among the references starting at ``start`` (just after
    the quote), read as calamine reads them: letters in any case, then digits. (Anything else in
    a reference makes calamine refuse the sheet before it allocates, so it needs no check here.)
    None when a reference is longer than 7 characters (row 100.000 and beyond in column AA…).

    Each reference is read as one 8-byte big-endian integer; bit masks find where its letters and
    its closing quote are. A longer number is larger, and among equal lengths the bytes compare
    like the numbers, so each part is packed under its length and only the maxima are decoded.
    """
    best = _reference_maxima(arr, start)
    return None if best is None else _decode_reference(*best)


def _reference_maxima(arr: np.ndarray, start: np.ndarray) -> tuple[int, int] | None:
    """The packed maxima of :func:`_last_reference` (column key, row key), not yet decoded: the
    maxima of several groups of references combine by ``max``. None as there."""
    if not start.size:
        return 0, 0
    word = _words(arr, start, ">")
    letters = _LEADING_ONES[_byte_flags(word >> np.uint64(6))]  # bit 6: a letter
    zero_at_quote = word ^ np.uint64(0x2222222222222222)
    quote = (zero_at_quote - _ONES) & ~zero_at_quote & np.uint64(0x8080808080808080)
    end = _FIRST_SET[_byte_flags(quote >> np.uint64(7))]
    if (end == 8).any():
        return None
    digits = end - letters
    col_key = (word >> (64 - 8 * letters).astype(np.uint64)) & np.uint64(0xDFDFDF)
    col_best = int((col_key | (letters.astype(np.uint64) << np.uint64(32))).max())
    row_mask = (np.uint64(1) << (8 * digits).astype(np.uint64)) - np.uint64(1)
    row_key = (word >> (64 - 8 * end).astype(np.uint64)) & row_mask
    row_best = int((row_key | (digits.astype(np.uint64) << np.uint64(56))).max())
    return col_best, row_best


def _decode_reference(col_best: int, row_best: int) -> tuple[int, int]:
    """Last row and last column from the packed maxima of :func:`_reference_maxima`."""
    col = 0
    for ch in (col_best & 0xFFFFFF).to_bytes(3, "big").lstrip(b"\0"):
        col = col * 26 + ch - 64
    row_text = (row_best & ((1 << 56) - 1)).to_bytes(7, "big").lstrip(b"\0")
    return (int(row_text) if row_text else 0), col


_ONES = np.uint64(0x0101010101010101)


def _byte_flags(word: np.ndarray) -> np.ndarray:
    """Bit 0 of each of the 8 bytes gathered into one byte, first byte as the top bit."""
    return ((word & _ONES) * np.uint64(0x0102040810204080)) >> np.uint64(56)


def _leading_ones(b: int) -> int:
    return next((i for i in range(8) if not b >> (7 - i) & 1), 8)


_LEADING_ONES = np.array([_leading_ones(b) for b in range(256)], dtype=np.int64)
_FIRST_SET = np.array(
    [next((i for i in range(8) if b >> (7 - i) & 1), 8) for b in range(256)], dtype=np.int64
)


# One pass in C over the tags, the way calamine's XML parser meets them: a start tag ends at the
# first ">" outside quotes (a quoted value may hold ">" and "<"); comments, CDATA sections and
# processing instructions are skipped whole, so no text inside them can pass for a row or a cell.
# Linear in the sheet's size whatever it holds: every quantifier is possessive, and a construct
# left open (a tag without its ">", a quote without its pair, a comment without "-->") runs to the
# end of the part in one match instead of failing and being tried again at the next "<" (which
# made the old two-pass walk quadratic: a 78 kB sheet of "<c " took 23 s). Such a part is malformed
# to calamine too: nothing after the open construct can be a cell.
_ATTRS = rb"""(?:[^>"']++|"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z))*+"""
_TOKEN = re.compile(
    rb"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<\?.*?(?:\?>|\Z)"
    rb"|<(?:[^\s/>\"'!?:]++:)?(row|c|mergeCell)(?=[\s/>])(" + _ATTRS + rb")(>|\Z)"
    rb"|<" + _ATTRS + rb"(?:>|\Z)",
    re.S,
)
# An attribute's name starts where no other name character precedes it, so a long run of name
# characters is tried once, not once per character (that too was quadratic).
_ATTR = re.compile(rb"""(?<![^\s=/>"'])([^\s=/>"']++)\s*+=\s*+(?:"([^"]*+)"|'([^']*+)')""")


def _r_values(attrs: bytes) -> list[bytes]:
    """Values of the attributes named exactly ``r`` (calamine ignores a prefixed ``x:r``)."""
    return [
        m.group(2) if m.group(2) is not None else m.group(3)
        for m in _ATTR.finditer(attrs)
        if m.group(1) == b"r"
    ]


def _exact_extent(xml: bytes, limits: Limits) -> _Extent:
    """Walk the tags the way calamine places cells: by their ``r``, or, without one, right after
    the previous cell in the line of the current row. Ignores cells that are only formatting; a
    reference given twice counts at its furthest. Stops as soon as a cap is passed (the maxima
    only grow), so a hostile sheet costs no more than the part of it that is within the caps, and
    at a tag left open (the parser fails there). Time linear in the part's size."""
    max_row = max_col = merges = 0
    row = 0
    col = 0
    for m in _TOKEN.finditer(xml):
        name, attrs, end = m.groups()
        if name is None:
            continue
        if end != b">":
            break  # a tag left open runs to the end of the part: no cell after it
        if name == b"mergeCell":
            merges += 1
            if merges > limits.max_merges:
                break
        elif name == b"row":
            refs = _r_values(attrs)
            row = max(map(_ref_number, refs)) if refs else row + 1
            col = 0
        elif name == b"c":
            refs = _r_values(attrs)
            if refs:
                places = [_cell_position(r) for r in refs]
                cell_row, col = max(p[0] for p in places), max(p[1] for p in places)
            else:
                cell_row, col = row, col + 1
            if not attrs.rstrip().endswith(b"/"):  # <c r="…" s="1"/>: formatting only
                max_row, max_col = max(max_row, cell_row), max(max_col, col)
                if (
                    max_row > limits.max_rows
                    or max_col > limits.max_cols
                    or max_row * max_col > limits.max_cells
                ):
                    break
    return _Extent(max_row, max_col, merges, None)


def _ref_number(text: bytes) -> int:
    return int(text) if text.isdigit() and len(text) < 10 else _BIG


def _cell_position(text: bytes) -> tuple[int, int]:
    m = re.fullmatch(rb"([A-Za-z]*)([0-9]*)", text)
    if not m or len(m.group(1)) > 3 or len(m.group(2)) > 9:
        return _BIG, _BIG
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ch - 64
    return (int(m.group(2)) if m.group(2) else 0), col


# --- links to other workbooks, data connections: read as last saved ------------------------------

# A formula's reference to another workbook: "[1]Plan1!A1" (the link's index) or, in older files,
# "[receitas.xlsx]Plan1!A1".
_EXTERNAL_REF = re.compile(rb"\[(?:\d++|[^\]\[<>]{1,200}?\.xl\w{1,2})\]")
_FORMULA = re.compile(rb"<(?:[\w.-]++:)?f(?=[\s>/])[^>]*+>([^<]*+)</(?:[\w.-]++:)?f>")


def _links_and_connections(
    parts: dict[str, bytes], sheet_parts: list[tuple[str, str, str]]
) -> list[Finding]:
    """Avisos for values that came from elsewhere: the cells whose formulas point to another
    workbook (their values are as last saved, maybe stale), and the workbook's data connections
    (an internal Power Query or data model), which are never run. The reader evaluates no
    formula, link or query; a connection that reaches outside the file (ODBC, OLE DB to a server,
    a web query, a text file) is refused all the same: it points at a server or a file of the
    municipality's, and the spreadsheet is best sent as plain values."""
    found: list[Finding] = []
    links = sorted(
        p for p in parts if p.lower().startswith("xl/externallinks/") and p.lower().endswith(".xml")
    )
    if links:
        arquivos = _linked_files(parts)
        for name, path, _state in sheet_parts:
            cells = _external_cells(parts.get(path, b""))
            if cells:
                listed = ", ".join(cells[:MAX_LISTED])
                if len(cells) > MAX_LISTED:
                    listed += DETALHES["e_mais"].format(quantidade=numero(len(cells) - MAX_LISTED))
                found.append(
                    finding("vinculo_valores", aba=name, celulas=listed, arquivos=arquivos)
                )
        if not found:
            found.append(finding("vinculo_sem_celulas", arquivos=arquivos))
    if "xl/connections.xml" in parts:
        internas, externas = _connections(parts["xl/connections.xml"])
        if externas:
            raise Rejected(finding("conexao_externa", conexoes=_listed_names(externas)))
        found.append(finding("conexao_dados", conexoes=_listed_names(internas)))
    return found


def _linked_files(parts: dict[str, bytes]) -> str:
    """The other workbooks' file names (not their folders), from the links' relationships."""
    from urllib.parse import unquote

    from defusedxml import ElementTree

    names: list[str] = []
    for path, xml in parts.items():
        low = path.lower()
        if not (low.startswith("xl/externallinks/_rels/") and low.endswith(".rels")):
            continue
        try:
            root = ElementTree.fromstring(xml)
        except Exception:
            continue
        for rel in root.iter():
            target = rel.get("Target") if rel.tag.rsplit("}", 1)[-1] == "Relationship" else None
            if target:
                base = unquote(target).replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
                base = clean_display(base)[:80]
                if base and base not in names:
                    names.append(base)
    return ", ".join(f"“{n}”" for n in names[:5]) or DETALHES["outra_pasta"]


def _external_cells(xml: bytes) -> list[str]:
    """References (A1) of the cells whose formula points to another workbook, in sheet order."""
    if not _has(xml, b"f>"):
        return []
    cells = []
    for m in _FORMULA.finditer(xml):
        if not _EXTERNAL_REF.search(m.group(1)):
            continue
        c_start = xml.rfind(b"<", 0, m.start())
        while c_start >= 0 and _tag_at(xml, c_start) != (False, b"c"):
            c_start = xml.rfind(b"<", 0, c_start)
            if m.start() - c_start > 100_000:
                c_start = -1
        if c_start < 0:
            continue
        refs = _r_values(xml[c_start : xml.find(b">", c_start)])
        ref = refs[0].decode("ascii", "replace") if refs else "?"
        if ref not in cells:
            cells.append(ref)
    return cells


# A connection is internal when it reads only this workbook: Power Query's mashup over
# "Data Source=$Workbook$", or the workbook's own data model ("$Embedded$", "Data Model
# Connection"). Anything else (ODBC, OLE DB to a server, a web query, a text file, OLAP) reaches
# outside the file.
_INTERNAL_SOURCE = re.compile(
    r"data\s*source\s*=\s*\$(?:workbook|embedded)\$|^\s*data model connection\s*$", re.I
)


def _connections(xml: bytes) -> tuple[list[str], list[str]]:
    """The names of the workbook's data connections: (internal ones, external ones). A part that
    cannot be parsed counts as one external connection (nothing unread is let through)."""
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(xml)
    except Exception:
        return [], [DETALHES["conexao_sem_nome"]]
    internas: list[str] = []
    externas: list[str] = []
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] != "connection":
            continue
        name = clean_display(el.get("name") or "")[:80]
        shown = f"“{name}”" if name else DETALHES["conexao_sem_nome"]
        (internas if _internal(el) else externas).append(shown)
    return internas, externas


def _internal(connection) -> bool:
    """Whether a <connection> reads only this workbook: every source it names is internal, and
    it names one."""
    sources = []
    for child in connection.iter():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in ("webPr", "textPr"):  # a web query, a text file: always outside
            return False
        if tag == "dbPr":
            sources.append(child.get("connection") or "")
    if connection.get("odcFile") or connection.get("sourceFile"):
        return False
    return bool(sources) and all(_INTERNAL_SOURCE.search(src) for src in sources)


def _listed_names(names: list[str]) -> str:
    shown = ", ".join(names[:5]) or DETALHES["conexoes_sem_nome"]
    if len(names) > 5:
        shown += DETALHES["e_mais"].format(quantidade=numero(len(names) - 5))
    return shown


# --- formulas without a cached value ------------------------------------------------------------

# "</f>" or "<f …/>" followed by nothing but an empty <v> before "</c>": no cached value.
# (Possessive: a long run of whitespace is crossed once, not once per way to split it.)
_EMPTY_V = rb"(<(?:[\w.-]++:)?v\s*+/>|<(?:[\w.-]++:)?v>\s*+</(?:[\w.-]++:)?v>)?+\s*+"
_F_END = re.compile(rb"f>\s*+" + _EMPTY_V + rb"</(?:[\w.-]++:)?c>")
_F_SELF = re.compile(rb"/>\s*+" + _EMPTY_V + rb"</(?:[\w.-]++:)?c>")
_TAG_NAME = re.compile(rb"<(/?)(?:[\w.-]+:)?([\w.-]+)")


def _formulas_without_value(xml: bytes, aba: str) -> list[Finding]:
    if not _has(xml, b"f>"):  # every formula with a text ends with "</f>" (or "</x:f>")
        return []
    cells: list[tuple[int, int | None, str | None, str]] = []
    for pattern, self_closing in ((_F_END, False), (_F_SELF, True)):
        for m in pattern.finditer(xml):
            hit = _formula_cell(xml, m, self_closing)
            if hit:
                cells.append(hit)
    cells.sort()
    found = [
        finding("formula_sem_valor", aba=aba, linha=linha, coluna=coluna, formula=formula)
        for _pos, linha, coluna, formula in cells[:MAX_LISTED]
    ]
    return _listed(found, len(cells), aba, DETALHES["problema_formula"])


def _formula_cell(xml: bytes, m: re.Match, self_closing: bool):
    """(offset, row, column letter, formula text) of the cell around a match, or None."""
    end_tag = xml.rfind(b"<", 0, m.start())  # "</f" or "<f …/"
    closing, name = _tag_at(xml, end_tag)
    if name != b"f" or closing == self_closing:
        return None
    if self_closing:
        f_start, text = end_tag, DETALHES["formula_compartilhada"]
    else:
        f_start = xml.rfind(b"<", 0, end_tag)  # "<f …>"; formula text holds no "<"
        if _tag_at(xml, f_start) != (False, b"f"):
            return None
        gt = xml.find(b">", f_start)
        text = "=" + html.unescape(xml[gt + 1 : end_tag].decode("utf-8", "replace"))
        text = text if len(text) <= 80 else text[:79] + "…"
    c_start = xml.rfind(b"<", 0, f_start)
    if _tag_at(xml, c_start) != (False, b"c"):
        return None
    attrs = xml[c_start : xml.find(b">", c_start)]
    if m.group(1) and any(n == b"t" and (v or w) == b"str" for n, v, w in _ATTR.findall(attrs)):
        return None  # <v></v> on a text formula: the cached result is the empty text
    refs = _r_values(attrs)
    linha, coluna = _ref(refs[0].decode("ascii", "replace")) if refs else (None, None)
    return c_start, linha, coluna or "?", text


# --- error values (#N/A, #DIV/0!…) ----------------------------------------------------------------

# The cached value of a cell typed "e" (an error): calamine reads it as an empty cell, so each
# one is a finding (a figure that silently became empty would be a wrong figure).
_ERROR_V = re.compile(rb"<(?:[\w.-]++:)?v>\s*+(#[A-Za-z0-9/!?_]{1,20})\s*+</(?:[\w.-]++:)?v>")


def _error_cells(xml: bytes, aba: str) -> list[Finding]:
    if not _has(xml, b">#", 1):
        return []
    cells: list[tuple[int | None, str | None, str]] = []
    for m in _ERROR_V.finditer(xml):
        c_start = m.start()
        for _ in range(8):  # back over the cell's own children (<f>, <is>…) to its <c>
            c_start = xml.rfind(b"<", 0, c_start)
            closing, name = _tag_at(xml, c_start)
            if name is None or (name == b"c" and not closing) or name == b"row":
                break
        if _tag_at(xml, c_start) != (False, b"c"):
            continue
        attrs = xml[c_start : xml.find(b">", c_start)]
        if not any(n == b"t" and (v or w) == b"e" for n, v, w in _ATTR.findall(attrs)):
            continue  # a text that starts with "#" is read as written
        refs = _r_values(attrs)
        linha, coluna = _ref(refs[0].decode("ascii", "replace")) if refs else (None, None)
        cells.append((linha, coluna or "?", m.group(1).decode("ascii")))
    found = [
        finding("celula_com_erro", aba=aba, linha=linha, coluna=coluna, erro=erro)
        for linha, coluna, erro in cells[:MAX_LISTED]
    ]
    return _listed(found, len(cells), aba, DETALHES["problema_erro_excel"])


def _tag_at(xml: bytes, pos: int) -> tuple[bool, bytes] | tuple[None, None]:
    m = _TAG_NAME.match(xml, pos) if pos >= 0 else None
    return (bool(m.group(1)), m.group(2)) if m else (None, None)


# --- csv ----------------------------------------------------------------------------------------

_SEPARATORS = (";", ",", "\t")
_SNIFF_CHARS = 64 * 1024
_SNIFF_RECORDS = 200
# UTF-8 read as Windows-1252 (or Latin-1) and saved again: "Ã§", "Ã£", "Ã©", "Âº"…
_MOJIBAKE_FOLLOWERS = "".join(
    sorted(
        {bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0xC0)}
        | {chr(c) for c in range(0x80, 0xC0)}
    )
)
_MOJIBAKE = re.compile("[ÃÂ][" + re.escape(_MOJIBAKE_FOLLOWERS) + "]")
_NOT_CSV = ("<!doctype", "<html", "<?xml", "<table", "{\\rtf")


def _read_csv(data: bytes, filename: str, limits: Limits) -> RawWorkbook:
    text = _decode(data)
    if text.lstrip()[:20].lower().startswith(_NOT_CSV):
        raise Rejected(finding("formato_desconhecido"))
    sep = _separator(text)
    cap = limits.max_cell_chars
    rows: list[list[object]] = []
    long_cells: list[tuple[int, int]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        for record in reader:
            if len(rows) >= limits.max_rows:
                raise Rejected(
                    finding("linhas_demais", aba=CSV_SHEET, limite=numero(limits.max_rows))
                )
            if len(record) > limits.max_cols:
                raise Rejected(
                    finding("colunas_demais", aba=CSV_SHEET, limite=numero(limits.max_cols))
                )
            if max(map(len, record), default=0) > cap:
                long_cells += [(len(rows), c) for c, v in enumerate(record) if len(v) > cap]
            rows.append([v if v else None for v in record])
    except csv.Error as exc:  # a field beyond the csv module's own limit (128 kB)
        line = reader.line_num
        raise Rejected(
            _long_cell_findings([(line - 1, _long_field(text, line, sep))], CSV_SHEET, cap)
        ) from exc
    if long_cells:
        raise Rejected(_long_cell_findings(long_cells, CSV_SHEET, cap))
    findings = _mojibake(text) + _fix_texts(rows, CSV_SHEET)
    return RawWorkbook(
        filename=filename, kind="csv", sheets=[RawSheet(CSV_SHEET, rows)], findings=findings
    )


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Texto Unicode"
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise Rejected(finding("csv_codificacao")) from exc
        if "\x00" in text or _control_share(text.encode("utf-8", "replace")) > 0.01:
            raise Rejected(finding("formato_desconhecido"))
        return text
    if b"\x00" in data or _control_share(data) > 0.01:
        raise Rejected(finding("formato_desconhecido"))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Rejected(finding("csv_codificacao"))


def _control_share(data: bytes) -> float:
    sample = data[:_SNIFF_CHARS]
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / max(len(sample), 1)


def _separator(text: str) -> str:
    """The separator whose field counts agree best over the first lines.

    Lines with one field (a title, a note, a footer) say nothing and are skipped. Among the rest,
    the most common count (2 or more) sets the width; a line with fewer fields (trailing cells left
    out) fits, a line with more does not, and at least 80% must fit. Ties go to more lines with
    exactly that width, then more columns, then the order ``;``, ``,``, tab.
    """
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    best: tuple | None = None
    multi_seen = False
    for priority, sep in enumerate(_SEPARATORS):
        counts = []
        try:
            for i, record in enumerate(csv.reader(io.StringIO(sample, newline=""), delimiter=sep)):
                if i >= _SNIFF_RECORDS:
                    break
                if any(v.strip() for v in record):
                    counts.append(len(record))
        except csv.Error:
            continue
        multi = [c for c in counts if c >= 2]
        if not multi:
            continue
        multi_seen = True
        width, hits = max(Counter(multi).items(), key=lambda kv: (kv[1], kv[0]))
        share = sum(c <= width for c in multi) / len(multi)
        if share >= 0.8 and (hits >= 2 or len(multi) == 1):
            score = (share, hits, width, -priority)
            if best is None or score > best[0]:
                best = (score, sep)
    if best is None:
        detalhe = DETALHES["colunas_variam" if multi_seen else "sem_separador"]
        raise Rejected(finding("csv_separador", detalhe=detalhe))
    return best[1]


def _long_field(text: str, line: int, sep: str) -> int:
    lines = text.splitlines()
    fields = lines[line - 1].split(sep) if 0 < line <= len(lines) else []
    return max(range(len(fields)), key=lambda i: len(fields[i]), default=0)


def _mojibake(text: str) -> list[Finding]:
    lines: dict[int, str] = {}
    line, pos = 1, 0
    for m in _MOJIBAKE.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        if line not in lines:
            start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 12)
            lines[line] = text[start : m.end() + 12].split("\n")[0].strip()
    found = [
        finding("csv_texto_corrompido", aba=CSV_SHEET, linha=n, trecho=trecho)
        for n, trecho in list(lines.items())[:MAX_LISTED]
    ]
    return _listed(found, len(lines), CSV_SHEET, DETALHES["problema_texto_corrompido"])
