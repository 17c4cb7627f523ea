from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from pmas import fmt


@pytest.mark.parametrize(
    ("valor", "casas", "esperado"),
    [
        (2804, 0, "2.804"),
        (1234.5, 1, "1.234,5"),
        (1234567, 0, "1.234.567"),
        (0, 0, "0"),
        (-2804, 0, "-2.804"),
        (2.5, 0, "3"),  # half up, not half to even
        (0.125, 2, "0,13"),
        (2.675, 2, "2,68"),  # rounds the number as written, not its binary approximation
        (np.int64(43), 0, "43"),
        (np.float32(1.5), 1, "1,5"),
        (Decimal("1234.5"), 2, "1.234,50"),
    ],
)
def test_numero(valor, casas, esperado):
    assert fmt.numero(valor, casas) == esperado


@pytest.mark.parametrize("vazio", [None, float("nan"), np.nan, pd.NA, pd.NaT, float("inf")])
def test_missing_values_show_a_dash(vazio):
    for func in (fmt.numero, fmt.pct, fmt.pp, fmt.dinheiro, fmt.tamanho):
        assert func(vazio) == "—"


def test_missing_dates_show_a_dash():
    assert fmt.data(None) == "—"
    assert fmt.data(pd.NaT) == "—"
    assert fmt.data_hora(None) == "—"
    assert fmt.data_hora(pd.NaT) == "—"


@pytest.mark.parametrize(
    ("valor", "casas", "esperado"),
    [
        (45.3, 1, "45,3%"),
        (100, 1, "100,0%"),
        (0, 1, "0,0%"),
        (112.46, 1, "112,5%"),
        (45.3, 0, "45%"),
        (1234.5, 1, "1.234,5%"),
    ],
)
def test_pct(valor, casas, esperado):
    assert fmt.pct(valor, casas) == esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        (5.25, "+5,3 p.p."),
        (-2, "-2,0 p.p."),
        (0, "0,0 p.p."),
        (-0.04, "0,0 p.p."),
        (0.04, "0,0 p.p."),
        (12.0, "+12,0 p.p."),
    ],
)
def test_pp(valor, esperado):
    assert fmt.pp(valor) == esperado


def test_pp_uses_ascii_minus():
    assert fmt.pp(-2).startswith("-")
    assert "\u2212" not in fmt.pp(-2)


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        (1234.56, "R$ 1.234,56"),
        (0, "R$ 0,00"),
        (12000, "R$ 12.000,00"),
        (0.005, "R$ 0,01"),
        (-5, "-R$ 5,00"),
        (1_234_567.891, "R$ 1.234.567,89"),
    ],
)
def test_dinheiro(valor, esperado):
    assert fmt.dinheiro(valor) == esperado


def test_dinheiro_uses_an_ordinary_space():
    assert "\u00a0" not in fmt.dinheiro(1234.56)
    assert fmt.dinheiro(1234.56)[2] == " "


def test_data():
    assert fmt.data(date(2023, 11, 8)) == "08/11/2023"
    assert fmt.data(datetime(2023, 11, 8, 14, 5)) == "08/11/2023"
    assert fmt.data(pd.Timestamp("2023-11-08 14:05")) == "08/11/2023"


def test_data_hora():
    assert fmt.data_hora(datetime(2023, 11, 8, 14, 5)) == "08/11/2023 14:05"
    assert fmt.data_hora(datetime(2023, 1, 2, 3, 4, 59)) == "02/01/2023 03:04"
    assert fmt.data_hora(pd.Timestamp("2023-11-08 14:05")) == "08/11/2023 14:05"


@pytest.mark.parametrize(
    ("n", "esperado"),
    [
        (12_900_000, "12,3 MB"),
        (2048, "2 KB"),
        (512, "512 bytes"),
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1.023 bytes"),
        (1024, "1 KB"),
        (1536, "1,5 KB"),
        (1024**2 - 1, "1 MB"),
        (5 * 1024**3, "5 GB"),
        (10 * 1024**2, "10 MB"),
    ],
)
def test_tamanho(n, esperado):
    assert fmt.tamanho(n) == esperado


def test_plotly_separators_put_the_decimal_comma_first():
    assert fmt.PLOTLY_SEPARATORS == ",."
