"""One version's data table as one compressed blob (Arrow IPC file, zstd), and back.

The store keeps each (version, table) as a single blob instead of one database row per record:
an import of 50.000 rows writes a few compressed megabytes instead of 50.000 rows, and a read
decodes whole columns at once. What goes in is a checked frame (pmas.entrada); what comes out is
the frame the row tables gave through ``pandas.read_sql`` before (same columns, dtypes, values,
nulls), so nothing above the store sees the change.

Why Arrow IPC with zstd and not Parquet: on the 50.000-row benchmark both compress to about the
same size, but IPC writes and reads faster (no page encoding) and can still read only some
columns (``goal_codes`` reads one). Figures in the README's Desempenho section.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc

from pmas.dados import schema

BOOLEAN = "booleano"  # a kind only the store uses (metas.situacao_derivada)
_ARROW = {
    schema.TEXT: pa.string(),
    schema.NUMBER: pa.float64(),
    schema.INTEGER: pa.int64(),
    BOOLEAN: pa.bool_(),
}
_WRITE = ipc.IpcWriteOptions(compression="zstd")


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
        return pa.array(s, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers in a text column: as SQL stored them
        values = s.astype(object)
        return pa.array(
            [None if pd.isna(v) else str(v) for v in values], type=pa.string(), from_pandas=True
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
    with ipc.new_file(sink, rows.schema, options=_WRITE) as writer:
        writer.write_table(rows)
    return sink.getvalue().to_pybytes()


def decode(blob: bytes, table: DataTable, columns: list[str] | None = None) -> pa.Table:
    """The blob's rows, with the table's columns (only ``columns`` when given) in its order; a
    column the blob lacks (added to the table after it was written) is all null."""
    wanted = columns if columns is not None else table.names
    reader = ipc.open_file(pa.BufferReader(blob))
    stored = reader.schema.names
    fields = [stored.index(c) for c in wanted if c in stored]
    reader = ipc.open_file(
        pa.BufferReader(blob), options=ipc.IpcReadOptions(included_fields=fields)
    )
    got = reader.read_all()
    arrays = []
    for c in wanted:
        kind = _ARROW[table.kind(c)]
        if c not in got.column_names:
            arrays.append(pa.nulls(got.num_rows, kind))
        else:
            col = got.column(c)
            arrays.append(col if col.type == kind else col.cast(kind))
    return pa.Table.from_arrays(arrays, names=wanted)


def concat(parts: list[pa.Table], table: DataTable, columns: list[str] | None = None) -> pa.Table:
    if parts:
        return pa.concat_tables(parts)
    wanted = columns if columns is not None else table.names
    return pa.table({c: pa.array([], type=_ARROW[table.kind(c)]) for c in wanted})


def to_frame(rows: pa.Table) -> pd.DataFrame:
    """The frame ``pandas.read_sql`` gave for these rows from the row tables: texts as ``str``,
    numbers as float64 (integers int64, float64 when some are missing), a column with no value
    at all (and every column of an empty result) as object holding None."""
    if rows.num_rows == 0:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in rows.column_names})
    out = {}
    for name, col in zip(rows.column_names, rows.columns, strict=True):
        if col.null_count == len(col):
            out[name] = pd.Series(np.full(len(col), None, dtype=object))
        else:
            out[name] = col.to_pandas()
    return pd.DataFrame(out)
