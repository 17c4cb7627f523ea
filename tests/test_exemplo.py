"""The example workbooks, read back with openpyxl and pandas (independently of the importer)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pmas.dados.plano import LONDRINA
from pmas.dados.schema import (
    CANCELADA,
    CONFERENCIA_MUNICIPAL,
    NAO_INICIADA,
    NAO_REALIZADA,
    PRE_CONFERENCIA,
    REALIZADA,
    SEGMENTS,
    STATUS_ORDER,
)
from tools import exemplo

ANOS = (2022, 2023, 2024)
HEADER_ROW = 5
METAS_HEADER = [
    "Código",
    "Eixo",
    "Diretriz",
    "Ação",
    "Meta",
    "Indicador",
    "Unidade de medida",
    "Sentido",
    "Previsto",
    "Realizado",
    "Situação",
    "Justificativa",
    "Responsável",
    "Prazo",
    "Território",
    "Nível de proteção",
    "Fonte de recurso",
    "Valor previsto (R$)",
    "Valor executado (R$)",
]


@pytest.fixture(scope="module")
def pasta(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exemplo")
    exemplo.gerar(folder)
    return folder


def workbook_path(pasta: Path, ano: int) -> Path:
    return pasta / f"pmas_londrina_{ano}.xlsx"


def read_metas(pasta: Path, ano: int) -> list[dict]:
    """Goal rows of a year as dicts keyed by header label, merged cells filled down."""
    wb = openpyxl.load_workbook(workbook_path(pasta, ano))
    ws = wb[f"Metas {ano}"]
    for rng in list(ws.merged_cells.ranges):
        value = ws.cell(rng.min_row, rng.min_col).value
        ws.unmerge_cells(str(rng))
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                ws.cell(row, col).value = value
    header = [c.value for c in ws[HEADER_ROW]]
    rows = []
    for values in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        if str(values[0]).startswith("Fonte:"):
            break
        rows.append(dict(zip(header, values)))
    return rows


def read_conferencias(pasta: Path, ano: int) -> pd.DataFrame:
    return pd.read_excel(
        workbook_path(pasta, ano), sheet_name="Conferências", header=2, engine="openpyxl"
    )


def all_values(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_writes_three_workbooks_and_readme(pasta: Path) -> None:
    files = sorted(p.name for p in pasta.iterdir())
    assert files == [
        "LEIA-ME.txt",
        "pmas_londrina_2022.xlsx",
        "pmas_londrina_2023.xlsx",
        "pmas_londrina_2024.xlsx",
    ]
    leia_me = (pasta / "LEIA-ME.txt").read_text(encoding="utf-8")
    assert "ilustrativos" in leia_me and "2.804" in leia_me and "33 pré-conferências" in leia_me


@pytest.mark.parametrize("ano", ANOS)
def test_sheets_title_block_header_and_footer(pasta: Path, ano: int) -> None:
    wb = openpyxl.load_workbook(workbook_path(pasta, ano))
    expected = (
        [f"Metas {ano}", "Conferências", "Deliberações", "Indicadores"]
        if ano != 2024
        else [f"Metas {ano}", "Indicadores"]
    )
    assert wb.sheetnames == expected
    ws = wb[f"Metas {ano}"]
    assert "Londrina" in ws["A1"].value
    assert ws["A2"].value.endswith(f"Ano {ano}")
    assert "fictícios" in ws["A3"].value
    assert all(c.value is None for c in ws[4])
    assert [c.value for c in ws[HEADER_ROW]] == METAS_HEADER
    assert ws.cell(ws.max_row, 1).value.startswith("Fonte: SMAS")


@pytest.mark.parametrize("ano", ANOS)
def test_at_least_64_goals_and_8_per_eixo(pasta: Path, ano: int) -> None:
    metas = read_metas(pasta, ano)
    assert len(metas) >= 64
    eixos = Counter(LONDRINA.match_eixo(m["Eixo"]).numero for m in metas)
    assert sorted(eixos) == [1, 2, 3, 4, 5]
    assert min(eixos.values()) >= 8
    for m in metas:
        assert m["Eixo"].startswith(f"Eixo {m['Código'].split('.')[0]} – ")
        assert m["Diretriz"]


def test_eixo_and_diretriz_cells_are_merged(pasta: Path) -> None:
    ws = openpyxl.load_workbook(workbook_path(pasta, 2023))["Metas 2023"]
    merged_cols = Counter(
        rng.min_col
        for rng in ws.merged_cells.ranges
        if rng.min_col == rng.max_col and rng.max_row > rng.min_row
    )
    assert merged_cols[2] == 5  # one range per eixo
    assert merged_cols[3] >= 10  # one per diretriz


def test_codes_identical_across_years(pasta: Path) -> None:
    codes = [[m["Código"] for m in read_metas(pasta, ano)] for ano in ANOS]
    assert codes[0] == codes[1] == codes[2]
    assert len(set(codes[0])) == len(codes[0])


@pytest.mark.parametrize("ano", ANOS)
def test_statuses_canonical_justified_and_consistent_with_numbers(pasta: Path, ano: int) -> None:
    for m in read_metas(pasta, ano):
        assert m["Situação"] in STATUS_ORDER
        if m["Situação"] != REALIZADA:
            assert m["Justificativa"], m["Código"]
        previsto, realizado = m["Previsto"], m["Realizado"]
        if previsto is None or realizado is None:
            assert previsto is None and realizado is None, m["Código"]
            continue
        assert isinstance(previsto, (int, float)) and isinstance(realizado, (int, float))
        assert m["Unidade de medida"], m["Código"]
        if m["Sentido"] == "Reduzir":
            achieved = realizado <= previsto
        else:
            achieved = realizado >= previsto
        assert (m["Situação"] == REALIZADA) == achieved, m["Código"]
        if not achieved and realizado == 0:
            assert m["Situação"] == NAO_REALIZADA, m["Código"]


def test_goal_mix(pasta: Path) -> None:
    metas = read_metas(pasta, 2023)
    numeric = [m for m in metas if m["Previsto"] is not None]
    assert len(numeric) >= len(metas) * 0.4
    assert sum(m["Sentido"] == "Reduzir" for m in numeric) >= 2
    for m in metas:
        for col in ("Valor previsto (R$)", "Valor executado (R$)"):
            assert m[col] is None or isinstance(m[col], (int, float))
    assert sum(m["Valor previsto (R$)"] is not None for m in metas) >= 3
    territorios = {
        "Centro A",
        "Centro B",
        "Leste",
        "Norte A",
        "Norte B",
        "Oeste A",
        "Oeste B",
        "Rural",
        "Sul A",
        "Sul B",
        "Municipal",
    }
    assert {m["Território"] for m in metas} <= territorios


def test_statuses_change_over_the_years(pasta: Path) -> None:
    by_year = {ano: {m["Código"]: m["Situação"] for m in read_metas(pasta, ano)} for ano in ANOS}
    counts = {ano: Counter(by_year[ano].values()) for ano in ANOS}
    assert counts[2022][REALIZADA] < counts[2023][REALIZADA] < counts[2024][REALIZADA]
    assert counts[2022][NAO_INICIADA] > counts[2023][NAO_INICIADA] >= counts[2024][NAO_INICIADA]
    codes = list(by_year[2022])
    regressed = [
        c for c in codes if by_year[2023][c] == REALIZADA and by_year[2024][c] == NAO_REALIZADA
    ]
    assert regressed
    stuck = [
        c for c in codes if by_year[2022][c] == NAO_INICIADA and by_year[2023][c] == NAO_INICIADA
    ]
    assert len(stuck) >= 2
    cancelled = [c for c in codes if by_year[2023][c] == CANCELADA]
    assert len(cancelled) == 1 and by_year[2022][cancelled[0]] != CANCELADA
    assert by_year[2024][cancelled[0]] == CANCELADA


def test_conference_2023_matches_the_seed(pasta: Path) -> None:
    conf = read_conferencias(pasta, 2023)
    assert set(conf["Ano"]) == {2023}
    assert set(conf["Segmento"]) == set(SEGMENTS)
    pre = conf[conf["Tipo de evento"] == PRE_CONFERENCIA]
    assert pre["Local"].nunique() == 33
    assert int(pre["Participantes"].sum()) == 2804
    assert (pre.groupby("Local")["Segmento"].nunique() == 4).all()
    assert {"Norte", "Sul", "Leste", "Oeste", "Centro", "Rural"} <= set(pre["Região"])
    municipal = conf[conf["Tipo de evento"] == CONFERENCIA_MUNICIPAL]
    assert int(municipal["Participantes"].sum()) == 43
    assert int(municipal["Delegados"].sum()) == 12
    assert len(pre) + len(municipal) == len(conf)


def test_conference_2021_in_the_2022_workbook(pasta: Path) -> None:
    conf = read_conferencias(pasta, 2022)
    assert set(conf["Ano"]) == {2021}
    pre = conf[conf["Tipo de evento"] == PRE_CONFERENCIA]
    assert pre["Local"].nunique() == 18
    assert int(pre["Participantes"].sum()) == 1000
    municipal = conf[conf["Tipo de evento"] == CONFERENCIA_MUNICIPAL]
    assert int(municipal["Participantes"].sum()) == 61


@pytest.mark.parametrize("ano", ANOS)
def test_indicators(pasta: Path, ano: int) -> None:
    ind = pd.read_excel(workbook_path(pasta, ano), sheet_name="Indicadores", engine="openpyxl")
    assert list(ind.columns) == [
        "Indicador",
        "Ano",
        "Mês",
        "Valor",
        "Unidade",
        "Território",
        "Fonte",
        "Eixo",
        "Meta",
    ]
    assert set(ind["Ano"]) == {ano} and set(ind["Mês"]) == {12}
    assert len(ind) >= 5
    cras = ind.loc[ind["Indicador"] == "CRAS em funcionamento"].iloc[0]
    assert cras["Valor"] == 10 and cras["Meta"] == 10
    assert {"RMA", "CadÚnico", "Censo SUAS"} <= set(ind["Fonte"])


def test_split_adds_up_exactly() -> None:
    for total in (0, 1, 7, 64, 138, 2804):
        assert sum(exemplo.split(total, (0.68, 0.14, 0.09, 0.09))) == total


def test_generation_is_deterministic(pasta: Path, tmp_path: Path) -> None:
    exemplo.gerar(tmp_path)
    for ano in ANOS:
        first, second = workbook_path(pasta, ano), workbook_path(tmp_path, ano)
        assert all_values(first) == all_values(second)
        assert first.read_bytes() == second.read_bytes()
    assert (pasta / "LEIA-ME.txt").read_text() == (tmp_path / "LEIA-ME.txt").read_text()


def test_committed_example_is_up_to_date(pasta: Path) -> None:
    """data/exemplo/ must be what ``python -m tools.exemplo`` writes now."""
    for ano in ANOS:
        committed = exemplo.DEFAULT_FOLDER / f"pmas_londrina_{ano}.xlsx"
        assert all_values(committed) == all_values(workbook_path(pasta, ano)), (
            "rode: python -m tools.exemplo"
        )
