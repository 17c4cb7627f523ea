"""The hand-written XLSX writer against a golden file, and read back by LibreOffice.

The writer (pmas.saida.export.to_xlsx_bytes) produces SpreadsheetML itself, for speed; these
tests hold it to a reviewed output part by part, and prove that an independent spreadsheet
program opens it with the same values. Regenerate the golden parts after an intended change
with ``PMAS_GOLDEN_ATUALIZAR=1 python -m pytest tests/test_export_golden.py`` and review the diff.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pmas.saida.export import to_xlsx_bytes

GOLDEN = Path(__file__).parent / "golden" / "xlsx"
AGORA = datetime(2023, 11, 8, 14, 5)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "codigo": ["1.1", "-5", "=SOMA(A1)", "2.3"],
            "acao": ["Ampliar equipes do CRAS", "Reduzir filas & <espera>", "Texto", None],
            "ano": [2024, 2024, 2025, 2025],
            "previsto": [10, 0, 1234, 7],
            "percentual": [45.3, np.nan, 100.0, 12.5],
            "valor_previsto": [1234.56, 0.0, 12000.0, np.nan],
            "prazo": pd.to_datetime(["2023-11-08", "2024-01-31", None, "2025-12-31"]),
        }
    )


LABELS = {
    "codigo": "Código",
    "acao": "Ação",
    "ano": "Ano",
    "previsto": "Previsto",
    "percentual": "% de execução",
    "valor_previsto": "Valor previsto (R$)",
    "prazo": "Prazo",
}


def _workbook() -> bytes:
    return to_xlsx_bytes(
        _frame(), LABELS, filtros=[("Eixo", "Gestão")], titulo="Metas", agora=AGORA
    )


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n != "docProps/core.xml"}


def test_xlsx_parts_equal_the_golden_file():
    parts = _parts(_workbook())
    if os.environ.get("PMAS_GOLDEN_ATUALIZAR") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in parts.items():
            target = GOLDEN / name.replace("[", "_").replace("]", "_")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    golden = {
        p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
        for p in GOLDEN.rglob("*")
        if p.is_file()
    }
    assert golden, "no golden parts: run with PMAS_GOLDEN_ATUALIZAR=1 once"
    assert sorted(golden) == sorted(n.replace("[", "_").replace("]", "_") for n in parts)
    for name, text in parts.items():
        assert text == golden[name.replace("[", "_").replace("]", "_")], name
    # no other library's parts (a theme, say) ride along
    assert not any("theme" in n for n in parts)


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    message = "LibreOffice (soffice) não encontrado: apt-get install -y libreoffice-calc-nogui"
    if os.environ.get("PMAS_E2E_OBRIGATORIO") == "1":
        pytest.fail(message)
    pytest.skip(message)


def test_libreoffice_reads_the_same_values(tmp_path):
    soffice = _soffice()
    source = tmp_path / "dados.xlsx"
    source.write_bytes(_workbook())
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'perfil'}",
            "--headless",
            "--convert-to",
            # CSV, UTF-8, comma-separated, values as stored (not as formatted)
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "dados.csv").read_text("utf-8"))))
    assert rows[0] == list(LABELS.values())
    body = rows[1:]
    assert [r[0] for r in body] == ["1.1", "'-5", "'=SOMA(A1)", "2.3"]
    assert [r[1] for r in body] == [
        "Ampliar equipes do CRAS",
        "Reduzir filas & <espera>",
        "Texto",
        "",
    ]
    assert [r[2] for r in body] == ["2024", "2024", "2025", "2025"]
    assert [float(r[3]) for r in body] == [10, 0, 1234, 7]
    assert [r[4] for r in body] == ["45.3", "", "100", "12.5"]
    assert [r[5] for r in body] == ["1234.56", "0", "12000", ""]
    # dates are real date cells: LibreOffice shows them as dates (its en-US default, m/d/y)
    assert [r[6] for r in body] == ["11/08/2023", "01/31/2024", "", "12/31/2025"]
