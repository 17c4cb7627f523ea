"""Shared fixtures: a real SQLite database file per test and spreadsheets built in code."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from pmas.plano import LONDRINA
from pmas.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'pmas.db'}")


@pytest.fixture
def plano():
    return LONDRINA


def xlsx(sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None,
         hidden: tuple[str, ...] = ()) -> bytes:
    """A real .xlsx with the given sheets (name → rows) and merged ranges (name → ["A2:A5"])."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        if name in hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(lines: list[str], encoding: str = "utf-8", sep: str = ";") -> bytes:
    return ("\r\n".join(sep.join(cells) if isinstance(cells, list) else cells
                        for cells in lines) + "\r\n").encode(encoding)
