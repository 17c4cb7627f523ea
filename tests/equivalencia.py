"""The column-wise read (pmas.entrada.colunar) against the row-wise one: what each gives.

:func:`both` analyses one file both ways and asserts that they agree: the same raw findings,
the same sheets with the same cells, and, per table, the same frame (columns, dtypes, values),
the same findings in the same order and the same counts. It returns whether the column-wise
normalisation was taken for any sheet (it may decline: then the row path ran, and they agree
trivially on the normalisation but the raw read is still compared).

With ``PMAS_TESTE_COLUNAR=1`` tests/conftest.py runs every analysis of the suite both ways, with
every sheet long enough tried column-wise (not only those of 64 rows or more).
"""

from __future__ import annotations

import contextlib
import dataclasses

import pandas as pd

from pmas.entrada import colunar, normalize_colunar, pipeline, reader
from pmas.entrada.findings import Rejected


@contextlib.contextmanager
def columnar(on: bool, any_size: bool = True):
    before = colunar.ATIVO, reader._COLUMNAR_ROWS
    colunar.ATIVO = on
    if any_size:
        reader._COLUMNAR_ROWS = 0
    try:
        yield
    finally:
        colunar.ATIVO, reader._COLUMNAR_ROWS = before


@contextlib.contextmanager
def spy():
    """Yields the list of what :func:`normalize_colunar.finish` answered, call by call."""
    taken: list[bool] = []
    real = normalize_colunar.finish

    def recording(*args, **kwargs):
        answer = real(*args, **kwargs)
        taken.append(answer)
        return answer

    normalize_colunar.finish = recording
    try:
        yield taken
    finally:
        normalize_colunar.finish = real


def raw_rows(sheet: reader.RawSheet) -> list[list[object]]:
    """A sheet's rows without leaving a column-wise sheet materialised."""
    if isinstance(sheet, colunar.ColumnarSheet) and not sheet.materializada:
        return [list(r) for r in sheet.topo] + colunar._as_rows(sheet.corpo, sheet.largura)
    return sheet.rows


def same_raw(fast: reader.RawWorkbook, slow: reader.RawWorkbook) -> None:
    assert fast.kind == slow.kind
    assert fast.findings == slow.findings
    assert [s.name for s in fast.sheets] == [s.name for s in slow.sheets]
    for a, b in zip(fast.sheets, slow.sheets):
        assert (a.hidden, a.merged) == (b.hidden, b.merged), a.name
        rows_a, rows_b = raw_rows(a), raw_rows(b)
        assert len(rows_a) == len(rows_b), a.name
        for r, (x, y) in enumerate(zip(rows_a, rows_b)):
            assert [(type(v), v) for v in x] == [(type(v), v) for v in y], (a.name, r + 1)


def same_analysis(fast: pipeline.Analysis, slow: pipeline.Analysis) -> None:
    assert fast.findings == slow.findings
    assert sorted(fast.frames) == sorted(slow.frames)
    for name in slow.frames:
        pd.testing.assert_frame_equal(fast.frames[name], slow.frames[name], check_exact=True)
    assert len(fast.sheets) == len(slow.sheets)
    for a, b in zip(fast.sheets, slow.sheets):
        same_normalized(a, b)


def same_normalized(a, b) -> None:
    """Two :class:`pmas.entrada.normalize.Normalized`: every field, the frame exactly."""
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    for f in dataclasses.fields(a):
        if f.name != "frame":
            assert getattr(a, f.name) == getattr(b, f.name), (a.sheet, f.name)


def both(data: bytes, filename: str, plano, **kwargs) -> bool:
    """Analyse ``data`` both ways, assert they agree, and say whether the column-wise
    normalisation was taken for any sheet."""
    limits = kwargs.get("limits", reader.DEFAULT_LIMITS)
    with columnar(False):
        try:
            slow_raw = reader.read(data, filename, limits)
        except Rejected as exc:
            slow_raw = exc
        slow = pipeline.analyse(data, filename, plano, **kwargs)
    with columnar(True):
        try:
            fast_raw = reader.read(data, filename, limits)
        except Rejected as exc:
            fast_raw = exc
        with spy() as taken:
            fast = pipeline.analyse(data, filename, plano, **kwargs)
    if isinstance(slow_raw, Rejected) or isinstance(fast_raw, Rejected):
        assert isinstance(fast_raw, Rejected) and isinstance(slow_raw, Rejected)
        assert fast_raw.findings == slow_raw.findings
    else:
        same_raw(fast_raw, slow_raw)
    same_analysis(fast, slow)
    return any(taken)
