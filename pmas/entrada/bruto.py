"""The raw tables a file is read into (:mod:`pmas.entrada.reader`), and the reader's limits."""

from __future__ import annotations

from dataclasses import dataclass, field

from pmas.entrada.findings import Finding


@dataclass
class RawSheet:
    name: str  # sheet name as in the file; for a CSV: "CSV"
    rows: list[list[object]]  # row 0 = Excel row 1; str, int, float, bool, date/datetime,
    #                                time/timedelta (cells formatted as hours) or None for empty
    hidden: bool = False
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 (incl.)

    def inicio(self, n: int) -> list[list[object]]:
        """The first ``n`` rows (a sheet read column-wise gives them without building the
        others)."""
        return self.rows[:n]


@dataclass
class RawWorkbook:
    filename: str  # display only, never used as a path
    kind: str  # "xlsx" or "csv"
    sheets: list[RawSheet]
    findings: list[Finding]  # warnings met while reading (hidden sheet, mojibake...)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * 1024 * 1024
    max_members: int = 1000
    max_uncompressed: int = 200 * 1024 * 1024  # sum of declared sizes
    max_ratio: float = 100.0  # per member and overall
    max_rows: int = 100_000
    max_cols: int = 200
    max_cell_chars: int = 10_000
    max_cells: int = 2_000_000  # rows × columns of a sheet's used area
    max_merges: int = 100_000  # merged ranges per sheet


DEFAULT_LIMITS = Limits()
