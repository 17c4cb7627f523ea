"""Column-wise read of a large worksheet: the reader's fast path.

python-calamine turns a sheet into one Python list per row, which costs as much as parsing the
file, and the normaliser then turns those rows back into columns. For the common layout (one
record per row, one type per column) this module reads the sheet as Arrow columns instead:

* the first :data:`CABECA` rows (title block and header, where types mix) by python-calamine,
  from a copy of the workbook whose sheets are cut after those rows (so only they are parsed);
* every row below them by fastexcel, eagerly into Arrow, in strict mode (a column holding two
  types raises instead of being coerced) with every row used to type the columns
  (``schema_sample_rows=None``: with a sample, strict mode silently nulls the cells past it).

The sheet comes back as a :class:`ColumnarSheet`: a :class:`RawSheet` whose ``rows`` are built
from the columns only when something asks for them (the normaliser's row path, the Plano sheet),
and are then exactly the rows the row-wise read gives. Whenever anything is unusual (a cell type
other than text, number or true/false; a sheet not starting at A1; a text that the reader would
fix or refuse; the two reads not lining up) :func:`read_sheet` returns None and the reader reads
the sheet as before. The safety scan of the bytes is the reader's, done before either read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pmas.entrada.bruto import Limits, RawSheet

# Rows read row-wise at the top of a sheet: the header is searched in the first 20, may have a
# sub-label row below it, and its first data row is checked against the column read.
CABECA = 24
# Rows read both ways (the first rows of the column read), to check that the two line up.
SOBREPOSTAS = 4
# Rows below the top given to the header logic as lists (its samples look up to 2.000 rows down).
AMOSTRA = 2100
# Off: every sheet is read row-wise (the equivalence tests compare the two reads).
ATIVO = True
# fastexcel's read of the rows below the top (the early read in another process,
# pmas.entrada.antecipada, makes the very same one).
OPCOES: dict[str, Any] = {
    "header_row": None,
    "skip_rows": CABECA,
    "dtype_coercion": "strict",
    "schema_sample_rows": None,
}
_TYPES = (pa.string(), pa.large_string(), pa.float64(), pa.bool_(), pa.null())
_ROW_END = b"</row>"


def mini_workbook(parts: dict[str, bytes], tall: set[str]) -> tuple[io.BytesIO, set[str]]:
    """A copy of the scanned parts with each sheet of ``tall`` cut after its first rows (its
    merged ranges and everything after ``</sheetData>`` kept), and the sheets so cut."""
    buf = io.BytesIO()
    done: set[str] = set()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for path, xml in parts.items():
            if path in tall:
                cut = _cut(xml, CABECA + SOBREPOSTAS)
                if cut is not None:
                    xml = cut
                    done.add(path)
            out.writestr(path, xml)
    return buf, done


def readers(source: io.BytesIO, mini: io.BytesIO, antecipada: Any = None) -> list[Any]:
    """The column reads of the whole file (:class:`_Leitor`) and python-calamine's reader of
    the cut copy (whose metadata is the file's); none when the cut copy cannot be opened (the
    row-wise read then says what is wrong). ``antecipada``: a
    :class:`pmas.entrada.antecipada.Antecipada` reading a sheet of these very bytes."""
    try:
        from python_calamine import CalamineWorkbook

        mini.seek(0)
        return [_Leitor(source, antecipada), CalamineWorkbook.from_filelike(mini)]
    except Exception:
        return []


class _Leitor:
    """fastexcel's column reads of the file: the one the early read made in another process
    (:mod:`pmas.entrada.antecipada`), when that is the one asked for; else fastexcel's own, its
    reader opened on first use (a file it cannot open raises there, and that sheet is read
    row-wise)."""

    def __init__(self, source: io.BytesIO, antecipada: Any) -> None:
        self._source = source
        self._antecipada = antecipada
        self._excel: Any = None

    def load_sheet_eager(self, name: str, **opcoes: Any) -> pa.RecordBatch:
        if self._antecipada is not None:
            batch = self._antecipada.lote(name, opcoes)
            if batch is not None:
                return batch
        if self._excel is None:
            import fastexcel

            self._excel = fastexcel.read_excel(self._source.getvalue())
        return self._excel.load_sheet_eager(name, **opcoes)


def _cut(xml: bytes, rows: int) -> bytes | None:
    pos = 0
    for _ in range(rows):
        j = xml.find(_ROW_END, pos)
        if j < 0:
            return None  # a short sheet (or rows written unusually): read row-wise
        pos = j + len(_ROW_END)
    end = xml.rfind(b"</sheetData>")
    if end < pos or b"<!" in xml[:pos]:  # CDATA or a comment could hide a "</row>"
        return None
    return xml[:pos] + xml[end:]


class ColumnarSheet(RawSheet):
    """A sheet read as columns: ``cabeca`` (the first rows as lists, padded to the sheet's
    width), ``corpo`` (every row from :data:`CABECA` on, one Arrow column per sheet column, empty
    text as missing). ``rows`` is built on first use."""

    def __init__(
        self,
        name: str,
        hidden: bool,
        merged: list[tuple[int, int, int, int]],
        topo: list[list[object]],
        corpo: pa.RecordBatch,
        largura: int,
    ) -> None:
        self._rows: list[list[object]] | None = None
        super().__init__(name, [], hidden, merged)
        self._rows = None
        self.topo = topo
        self.corpo = corpo
        self.largura = largura
        self.altura = len(topo) + corpo.num_rows
        self.cabeca = topo + _as_rows(corpo.slice(0, AMOSTRA), largura)

    @property
    def rows(self) -> list[list[object]]:
        if self._rows is None:
            self._rows = [list(r) for r in self.topo] + _as_rows(self.corpo, self.largura)
        return self._rows

    @rows.setter
    def rows(self, value: list[list[object]]) -> None:
        # RawSheet's __init__ sets an empty list: the rows are built from the columns instead
        self._rows = value if value else None

    @property
    def materializada(self) -> bool:
        return self._rows is not None

    def inicio(self, n: int) -> list[list[object]]:
        return self.cabeca[:n] if n <= len(self.cabeca) else self.rows[:n]


def _as_rows(batch: pa.RecordBatch, largura: int) -> list[list[object]]:
    columns: list[Any] = [c.to_pylist() for c in batch.columns]
    columns += [[None] * batch.num_rows] * (largura - batch.num_columns)
    return [list(r) for r in zip(*columns)] if columns else [[] for _ in range(batch.num_rows)]


def read_sheet(
    excel: Any,
    mini: Any,
    name: str,
    hidden: bool,
    limits: Limits,
    may_be_long: bool,
    top_is_plain: Callable[[list[list[object]], str, Limits, bool], bool],
) -> ColumnarSheet | None:
    """The sheet ``name`` read column-wise, or None when it must be read row-wise (see the
    module's docstring). ``excel`` is a fastexcel reader of the file, ``mini`` a python-calamine
    workbook of :func:`mini_workbook`; ``top_is_plain`` the reader's checks of the rows read
    row-wise (caps, and no text it would fix)."""
    try:
        return _read_sheet(excel, mini, name, hidden, limits, may_be_long, top_is_plain)
    except Exception:  # fastexcel's strict mode refusing a mixed column, among others
        return None


def _read_sheet(
    excel, mini, name, hidden, limits, may_be_long, top_is_plain
) -> ColumnarSheet | None:
    top = mini.get_sheet_by_name(name)
    if tuple(top.start or (0, 0)) != (0, 0):
        return None  # the row-wise read pads from A1; the column read starts at the first cell
    head: list[list[object]] = top.to_python(skip_empty_area=False)
    if len(head) < CABECA + SOBREPOSTAS:
        return None  # a short sheet: nothing to gain
    merges = top.merged_cell_ranges or []
    batch = excel.load_sheet_eager(name, **OPCOES)
    if any(f.type not in _TYPES for f in batch.schema):
        return None  # dates, durations, integers: the row-wise read
    batch = pa.RecordBatch.from_arrays(
        [_blank_as_null(c) for c in batch.columns],
        names=[f"c{i}" for i in range(batch.num_columns)],
    )
    width = max(max(map(len, head)), batch.num_columns)
    height = CABECA + batch.num_rows
    if height > limits.max_rows or width > limits.max_cols or height < len(head):
        return None  # the row-wise read refuses it with the right finding
    head = [r + [None] * (width - len(r)) for r in head]
    for row in head:
        for i, v in enumerate(row):
            if v == "" and type(v) is str:
                row[i] = None
    overlap = _as_rows(batch.slice(0, len(head) - CABECA), width)
    if overlap != head[CABECA:]:
        return None  # the two reads do not line up
    topo = head[:CABECA]
    if not top_is_plain(topo, name, limits, may_be_long) or _texts_to_fix(batch):
        return None  # the row-wise read fixes them and says where
    if may_be_long and _longest_text(batch) > limits.max_cell_chars:
        return None
    merged = [
        (r0, c0, min(r1, height - 1), min(c1, width - 1))
        for (r0, c0), (r1, c1) in merges
        if r0 <= height - 1 and c0 <= width - 1
    ]
    return ColumnarSheet(name, hidden, merged, topo, batch, width)


def _blank_as_null(column: pa.Array) -> pa.Array:
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        empty = pc.equal(column, "")
        if pc.any(empty).as_py():
            return pc.if_else(empty, pa.scalar(None, column.type), column)
    return column


def _string_columns(batch: pa.RecordBatch) -> list[pa.Array]:
    return [
        c for c in batch.columns if pa.types.is_string(c.type) or pa.types.is_large_string(c.type)
    ]


def _texts_to_fix(batch: pa.RecordBatch) -> bool:
    """Whether any text may hold a character XML forbids or this project's protective
    apostrophe (what :func:`pmas.entrada.reader._fix_texts` fixes). A test of the bytes of each
    column's text buffer, conservative: a false alarm only means the row-wise read, which looks
    cell by cell."""
    for column in _string_columns(batch):
        if column.null_count == len(column):
            continue
        if pc.any(pc.starts_with(column, "'")).as_py():
            return True
        data = column.buffers()[2]
        if data is None:
            continue
        raw = np.frombuffer(data, dtype=np.uint8)
        low = raw[raw < 32]
        if len(low) and not np.isin(low, _ALLOWED_LOW).all():
            return True
        if (raw == 0xEF).any():  # U+FFFE / U+FFFF start with this byte
            blob = data.to_pybytes()
            if b"\xef\xbf\xbe" in blob or b"\xef\xbf\xbf" in blob:
                return True
        quotes = np.flatnonzero(raw[1:] == _QUOTE)
        if len(quotes) and (raw[quotes] == _NEWLINE).any():
            return True  # a line starting with an apostrophe inside a cell
    return False


_ALLOWED_LOW = np.array([9, 10, 13], dtype=np.uint8)
_QUOTE = ord("'")
_NEWLINE = ord("\n")


def _longest_text(batch: pa.RecordBatch) -> int:
    longest = 0
    for column in _string_columns(batch):
        n = pc.max(pc.utf8_length(column)).as_py()
        longest = max(longest, n or 0)
    return longest
