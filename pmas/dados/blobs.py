"""One version's data table as one compressed blob (an Arrow IPC file, zstd), and back.

The store keeps each (version, table) as a single blob instead of one database row per record:
an import of 50.000 rows writes a few compressed megabytes instead of 50.000 rows, and a read
decodes whole columns at once. What goes in is a checked frame (pmas.entrada); what comes out is
the frame the row tables gave through ``pandas.read_sql`` before (same columns, dtypes, values,
nulls), so nothing above the store sees the change.

The blob is an uncompressed Arrow IPC file compressed as a whole with zstd, after 8 bytes
holding its uncompressed size (little-endian). Measured on the state-scale database's goal
tables (150 rows a version): one zstd frame for the whole file is 40% smaller than Arrow's own
per-buffer zstd and ten times faster to read (0,15-0,3 ms a blob instead of 1,3-4,5 ms: one
decompression instead of one per column buffer); Parquet (zstd) is a little smaller but 5-15x
slower to write and read. Figures in the README's Desempenho section.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc

from pmas.dados import schema

BOOLEAN = "booleano"  # a kind only the store uses (metas.situacao_derivada)
_ARROW = {
    schema.TEXT: pa.large_string(),  # what pandas' str dtype holds: no cast when reading
    schema.NUMBER: pa.float64(),
    schema.INTEGER: pa.int64(),
    BOOLEAN: pa.bool_(),
}
_CODEC = "zstd"
_SIZE = 8  # bytes of the uncompressed size before the zstd frame


@dataclass(frozen=True)
class DataTable:
    """A data table's stored columns (name and kind), in the order the frames have them."""

    name: str
    columns: tuple[tuple[str, str], ...]

    @property
    def names(self) -> list[str]:
        return [n for n, _ in self.columns]

    def kind(self, column: str) -> str:
        return dict(self.columns)[column]


def data_table(table: schema.Table, extra: tuple[tuple[str, str], ...] = ()) -> DataTable:
    cols = tuple((c.name, c.kind) for c in table.columns)
    return DataTable(table.name, (*cols, *extra, ("linha", schema.INTEGER), ("aba", schema.TEXT)))


def _texts(s: pd.Series) -> pa.Array:
    try:
        return pa.array(s, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers in a text column: as SQL stored them
        values = s.astype(object)
        return pa.array(
            [None if pd.isna(v) else str(v) for v in values],
            type=pa.large_string(),
            from_pandas=True,
        )


def _integers(s: pd.Series) -> pa.Array:
    numbers = pd.to_numeric(s, errors="coerce").astype("float64").to_numpy()
    missing = np.isnan(numbers)
    values = np.where(missing, 0, np.round(numbers)).astype("int64")
    return pa.array(values, type=pa.int64(), mask=missing)


def to_arrow(table: DataTable, frame: pd.DataFrame) -> pa.Table:
    """A checked frame (``_linha``/``_aba`` or ``linha``/``aba``) as the table's Arrow columns;
    a column the frame lacks is all null."""
    f = frame.rename(columns={"_linha": "linha", "_aba": "aba"})
    arrays = []
    for name, kind in table.columns:
        if name not in f.columns:
            arrays.append(pa.nulls(len(f), type=_ARROW[kind]))
            continue
        s = f[name]
        if kind == schema.TEXT:
            arrays.append(_texts(s))
        elif kind == schema.INTEGER:
            arrays.append(_integers(s))
        elif kind == schema.NUMBER:
            numbers = pd.to_numeric(s, errors="coerce").astype("float64")
            arrays.append(pa.array(numbers, type=pa.float64(), from_pandas=True))
        else:
            values = s.astype(object).where(s.notna(), None)
            arrays.append(pa.array(values, type=pa.bool_(), from_pandas=True))
    return pa.Table.from_arrays(arrays, names=table.names)


def encode(rows: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with ipc.new_file(sink, rows.schema) as writer:
        writer.write_table(rows)
    raw = sink.getvalue()
    return raw.size.to_bytes(_SIZE, "little") + pa.compress(raw, codec=_CODEC, asbytes=True)


def _ipc(blob: bytes) -> pa.Buffer:
    size = int.from_bytes(blob[:_SIZE], "little")
    return pa.decompress(memoryview(blob)[_SIZE:], decompressed_size=size, codec=_CODEC)


@lru_cache(maxsize=64)
def _schema(table: DataTable, columns: tuple[str, ...] | None) -> pa.Schema:
    wanted = columns if columns is not None else table.names
    kinds = dict(table.columns)
    return pa.schema([(c, _ARROW[kinds[c]]) for c in wanted])


def schema_of(table: DataTable, columns: list[str] | None = None) -> pa.Schema:
    return _schema(table, tuple(columns) if columns is not None else None)


def decode(blob: bytes, table: DataTable, columns: list[str] | None = None) -> pa.Table:
    """The blob's rows, with the table's columns (only ``columns`` when given) in its order; a
    column the blob lacks (added to the table after it was written) is all null."""
    target = schema_of(table, columns)
    raw = _ipc(blob)
    reader = ipc.open_file(pa.BufferReader(raw))
    if reader.schema.equals(target):  # written by this code with every column: as it is
        return reader.read_all()
    stored = reader.schema.names
    fields = [stored.index(c) for c in target.names if c in stored]
    got = ipc.open_file(
        pa.BufferReader(raw), options=ipc.IpcReadOptions(included_fields=fields)
    ).read_all()
    present = set(got.column_names)
    arrays = []
    for field in target:
        if field.name not in present:
            arrays.append(pa.nulls(got.num_rows, field.type))
        else:
            col = got.column(field.name)
            arrays.append(col if col.type == field.type else col.cast(field.type))
    return pa.Table.from_arrays(arrays, schema=target)


def rows_in(blob: bytes) -> int | None:
    """How many rows the blob holds, read from the blob itself; None when it cannot be read
    (cut short, corrupted, not a blob)."""
    try:
        reader = ipc.open_file(pa.BufferReader(_ipc(blob)))
        return sum(reader.get_batch(i).num_rows for i in range(reader.num_record_batches))
    except (pa.ArrowException, ValueError, OSError):
        return None


def concat(parts: list[pa.Table], table: DataTable, columns: list[str] | None = None) -> pa.Table:
    if parts:
        return pa.concat_tables(parts)
    return schema_of(table, columns).empty_table()


def to_frame(rows: pa.Table) -> pd.DataFrame:
    """The frame ``pandas.read_sql`` gave for these rows from the row tables: texts as ``str``,
    numbers as float64 (integers int64, float64 when some are missing), a column with no value
    at all (and every column of an empty result) as object holding None."""
    rows = rows.combine_chunks()  # one chunk per version otherwise: slow pandas operations
    if rows.num_rows == 0:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in rows.column_names})
    out = {}
    for name, col in zip(rows.column_names, rows.columns, strict=True):
        if col.null_count == len(col):
            out[name] = pd.Series(np.full(len(col), None, dtype=object))
        else:
            out[name] = col.to_pandas()
    return pd.DataFrame(out)
