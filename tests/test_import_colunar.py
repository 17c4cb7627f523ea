"""The column-wise read and normalisation (pmas.entrada.colunar; the column path of normalize)
give exactly what the row-wise path gives, or decline; and they are taken for the ordinary
Metas workbook.

Equivalence (tests/equivalencia.py): the same raw cells, findings, frames (columns, dtypes,
values) and counts, on every workbook of the repository's data, on the suite's builders, and on
a seeded generator of workbooks with the layouts and the mistakes users make.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import pytest

from pmas.dados.plano import LONDRINA
from pmas.entrada import colunar, reader
from pmas.entrada.findings import Rejected
from pmas.entrada.pipeline import analyse
from tests import corpus, equivalencia, plano_maringa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import goals_workbook  # noqa: E402

EIXOS = [e.rotulo for e in LONDRINA.eixos]
STATUSES = ["Realizada", "Parcialmente realizada", "Não realizada", "Em andamento", "Cancelada"]


def test_the_ordinary_metas_workbook_takes_the_column_path():
    data = goals_workbook(300)
    raw = reader.read(data, "metas.xlsx")
    assert [type(s) for s in raw.sheets] == [colunar.ColumnarSheet]
    assert not raw.sheets[0].materializada
    with equivalencia.spy() as taken:
        a = analyse(data, "metas.xlsx", LONDRINA)
    assert taken == [True]
    assert a.ok and a.linhas == 300
    assert equivalencia.both(data, "metas.xlsx", LONDRINA)


def test_a_short_sheet_is_read_row_wise():
    data = goals_workbook(20)
    raw = reader.read(data, "metas.xlsx")
    assert type(raw.sheets[0]) is reader.RawSheet


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "data").rglob("*.xlsx")),
    ids=lambda p: p.name,
)
def test_the_repository_workbooks_agree(path):
    equivalencia.both(path.read_bytes(), path.name, LONDRINA)


def test_the_suite_builders_agree():
    equivalencia.both(plano_maringa.planilha(), "maringa.xlsx", None)
    equivalencia.both(plano_maringa.planilha(), "maringa.xlsx", LONDRINA, plano_do_arquivo=True)
    rows = [corpus.GOAL_HEADER] + corpus.goal_rows(200)
    equivalencia.both(corpus.xlsx({"Metas": rows}), "corpus.xlsx", LONDRINA)
    hidden = corpus.xlsx({"Metas": rows, "Capa": [["PMAS"]]}, hidden=("Metas",))
    assert equivalencia.both(hidden, "oculta.xlsx", LONDRINA)
    equivalencia.both(corpus.xlsx_openpyxl(rows), "openpyxl.xlsx", LONDRINA)
    for n in (5_000,):
        assert equivalencia.both(goals_workbook(n), "grande.xlsx", LONDRINA)


def _metas(n: int, changes: dict[tuple[int, int], object] | None = None) -> list[list[object]]:
    rows = [corpus.GOAL_HEADER] + corpus.goal_rows(n)
    for (r, c), v in (changes or {}).items():
        rows[r][c] = v
    return rows


@pytest.mark.parametrize(
    "rows, limits, codigo",
    [
        (_metas(120, {(100, 1): "x" * 200}), reader.Limits(max_cell_chars=100), "celula_longa"),
        (_metas(120), reader.Limits(max_rows=100), "linhas_demais"),
        (_metas(120, {(90, 2): "Meta\x07 com sino"}), reader.DEFAULT_LIMITS, None),
        (_metas(120, {(90, 2): "'=1+1"}), reader.DEFAULT_LIMITS, None),
    ],
    ids=["celula-longa", "linhas-demais", "controle", "apostrofo"],
)
def test_what_the_reader_refuses_or_fixes_is_refused_or_fixed_alike(rows, limits, codigo):
    """A long cell or too many rows below the header: refused with the same findings; a
    control character or a protective apostrophe: fixed and said alike (the row path does it)."""
    data = corpus.xlsx({"Metas": rows})
    assert not equivalencia.both(data, "m.xlsx", LONDRINA, limits=limits)
    if codigo is not None:
        with pytest.raises(Rejected) as refused:
            reader.read(data, "m.xlsx", limits)
        assert refused.value.findings[0].codigo == codigo


def test_excel_error_values_are_read_and_said_alike():
    """An error value (#N/A) in a figure column is empty on both paths, with the same finding."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Metas"
    for row in _metas(150):
        ws.append(row)
    for ref in ("F90", "E120"):
        ws[ref].value, ws[ref].data_type = "#N/A", "e"
    buf = io.BytesIO()
    wb.save(buf)
    equivalencia.both(buf.getvalue(), "erros.xlsx", LONDRINA)
    a = analyse(buf.getvalue(), "erros.xlsx", LONDRINA)
    found = [f for f in a.findings if f.codigo == "celula_com_erro"]
    assert [(f.linha, f.coluna) for f in found] == [(90, "F"), (120, "E")]


# --- a seeded generator of workbooks ----------------------------------------------------------

HEADINGS = {
    "codigo": "Código",
    "eixo": "Eixo",
    "diretriz": "Diretriz",
    "acao": "Ação",
    "meta": "Meta",
    "ano": "Ano",
    "previsto": "Previsto",
    "realizado": "Realizado",
    "situacao": "Situação",
    "justificativa": "Justificativa",
    "outra": "Observações internas",
}


def _number(rnd: random.Random, odd: bool):
    if not odd:
        return rnd.choice([None, rnd.randint(0, 500), round(rnd.uniform(0, 999), 2)])
    return rnd.choice(["1.234,5", "12%", "-", "n/a", "abc", "  ", "R$ 1.000,00", "2.804", "0,5"])


def _value(rnd: random.Random, col: str, i: int, odd: dict[str, bool]):
    if col == "codigo":
        return f"{i // 3 + 1}.{i % 3}" if not odd["codigo"] else float(i + 1)
    if col == "eixo":
        if odd["eixo_blank"] and i % 4:
            return rnd.choice([None, "  "])
        return EIXOS[i % len(EIXOS)]
    if col == "diretriz":
        return f"Diretriz {i % 7}" if i % 5 else None
    if col == "acao":
        return rnd.choice([f"Ação {i}", f"  Ação {i}  ", None]) if odd["acao"] else f"Ação {i}"
    if col == "meta":
        return f"Meta {i}" if i % 9 else None
    if col == "ano":
        if odd["ano"]:
            return rnd.choice(["2023", "2024", "20x3", None, "2023,0"])
        return float(2022 + i % 4)
    if col in ("previsto", "realizado"):
        return _number(rnd, odd[col])
    if col == "situacao":
        return rnd.choice(STATUSES + [None, "Situação desconhecida"])
    if col == "justificativa":
        return rnd.choice([None, "Sem recursos", "Ver processo nº 123"])
    return rnd.choice([None, "nota", "x"])


def generated(seed: int, plain: bool = False) -> tuple[bytes, str]:
    """A Metas workbook of the kinds users send, with what users get wrong; some of its
    twists (dates, mixed columns, section rows, merged cells, texts to fix) make the column
    path decline. ``plain``: eixo first, a situação column and no twist (what the column path
    must take: footers, blank rows, fill-down, numbers as text and all)."""
    rnd = random.Random(seed)
    n = rnd.randint(70, 400)
    optional = ["codigo", "diretriz", "meta", "ano", "previsto", "realizado", "justificativa"]
    cols = ["eixo", "acao", "situacao"] if plain else ["eixo", "acao"]
    cols += rnd.sample(optional if plain else optional + ["situacao"], k=rnd.randint(2, 7))
    if rnd.random() < 0.3:
        cols.append("outra")
    rnd.shuffle(cols)
    if plain:
        cols.remove("eixo")
        cols.insert(0, "eixo")
    odd = {
        k: rnd.random() < 0.35
        for k in ("codigo", "eixo_blank", "acao", "ano", "previsto", "realizado")
    }
    rows: list[list[object]] = []
    for _ in range(rnd.choice([0, 0, 1, 2, 4])):
        rows.append([rnd.choice(["Prefeitura — PMAS", "Ano de referência 2024", None])])
    header: list[object] = [HEADINGS[c] for c in cols]
    if rnd.random() < 0.2:
        header.append(None)  # values under no heading
    rows.append(header)
    for i in range(n):
        row = [_value(rnd, c, i, odd) for c in cols]
        if len(header) > len(cols):
            row.append(rnd.choice([None, "solto"]))
        roll = rnd.random()
        if roll < 0.03:
            row = [None] * len(row)  # blank row
        elif roll < 0.05:
            others = [k for k, c in enumerate(cols) if c in ("diretriz", "situacao")]
            if others:  # no identifying value (an eixo alone would be a section row)
                row = [None] * len(row)
                row[cols.index("eixo")] = EIXOS[2]
                row[others[0]] = "Realizada" if cols[others[0]] == "situacao" else "Diretriz 9"
        rows.append(row)
    twists = ["date", "date_top", "mixed", "section", "merge", "control", "apos"]
    twist = "none" if plain else rnd.choice(["none"] * 6 + twists)
    body = len(rows) - n
    if twist == "date":
        rows[body + 40][0] = dt.datetime(2024, 3, 1)
    elif twist == "date_top":  # between the header and the rows read column-wise
        rows[body + 1][cols.index("acao")] = dt.datetime(2024, 3, 1)
    elif twist == "mixed":
        rows[body + 50][cols.index("acao")] = 12.0
    elif twist == "section":
        rows.insert(body + 45, ["EIXO 2 – Gestão do SUAS"])
    elif twist == "control":
        rows[body + 60][cols.index("acao")] = "Ação\x01 com controle"
    elif twist == "apos":
        rows[body + 60][cols.index("acao")] = "'-5"
    if rnd.random() < 0.5:
        rows.append(["Fonte: Secretaria de Assistência Social"])
    if rnd.random() < 0.2:
        rows.append(["TOTAL"] if plain else ["TOTAL", None, 10])
    merges = {}
    if twist == "merge":
        c = cols.index("eixo")
        letter = reader.col_letter(c)
        first = body + 31
        merges = {"Metas": [(f"{letter}{first}:{letter}{first + 3}", EIXOS[1])]}
    return corpus.xlsx({"Metas": rows}, merges=merges), twist


@pytest.mark.parametrize("seed", range(80))
def test_generated_workbooks_agree(seed):
    data, twist = generated(seed)
    taken = equivalencia.both(data, f"gerado{seed}.xlsx", LONDRINA)
    if twist != "none":
        assert not taken, twist


def test_the_generator_mostly_takes_the_column_path():
    """So that the equivalence below is not vacuous: most plain generated workbooks go the
    column way."""
    outcomes = []
    for seed in range(20):
        data, _twist = generated(seed, plain=True)
        with equivalencia.spy() as taken:
            analyse(data, "g.xlsx", LONDRINA)
        outcomes.append(taken == [True])
    # (a few of them name one column twice, or mix a number into a text column: row path)
    assert sum(outcomes) >= 0.7 * len(outcomes), outcomes


@pytest.mark.parametrize("seed", range(20))
def test_plain_generated_workbooks_agree(seed):
    data, _twist = generated(seed, plain=True)
    equivalencia.both(data, f"simples{seed}.xlsx", LONDRINA)
