"""Conference figures (pmas.analise.participacao). Expected values are worked out by hand from the rows."""

from __future__ import annotations

import pandas as pd
import pytest

from pmas.analise import participacao as par
from pmas.dados.schema import (
    CONFERENCIA_MUNICIPAL as CM,
)
from pmas.dados.schema import (
    ENTIDADES,
    GESTORES,
    TOTAL,
    TRABALHADORES,
    USUARIOS,
)
from pmas.dados.schema import (
    PRE_CONFERENCIA as PRE,
)

COLUMNS = [
    "ano",
    "tipo_evento",
    "regiao",
    "local",
    "publico",
    "segmento",
    "participantes",
    "delegados",
]
ROWS = [
    # 2023, regional: Norte's Total (15) agrees with its segments (10 + 5)
    (2023, PRE, "Norte", "CRAS Norte", "Comunidade", USUARIOS, 10, None),
    (2023, PRE, "Norte", "CRAS Norte", "Comunidade", TRABALHADORES, 5, None),
    (2023, PRE, "Norte", "CRAS Norte", "Comunidade", TOTAL, 15, None),
    # Rural's Total says 12, its segments add up to 8 + 2 = 10: a difference of 2
    (2023, PRE, "Rural", "Distrito de Warta", "Comunidade", USUARIOS, 8, None),
    (2023, PRE, "Rural", "Distrito de Warta", "Comunidade", GESTORES, 2, None),
    (2023, PRE, "Rural", "Distrito de Warta", "Comunidade", TOTAL, 12, None),
    # a pré-conferência for a public, not a region
    (2023, PRE, "Municipal", "Centro POP", "Usuários do Centro POP", USUARIOS, 6, None),
    (2023, CM, "Municipal", "Auditório", "Todos", USUARIOS, 3, 1),
    (2023, CM, "Municipal", "Auditório", "Todos", TRABALHADORES, 2, 1),
    (2023, CM, "Municipal", "Auditório", "Todos", ENTIDADES, 1, 0),
    (2023, CM, "Municipal", "Auditório", "Todos", GESTORES, 4, 2),
    # 2021, on-line: no region, no public, no segments: only Total rows
    (2021, PRE, None, "Sala virtual", None, TOTAL, 50, None),
    (2021, CM, None, "Sala virtual", None, TOTAL, 20, None),
]


@pytest.fixture
def conf() -> pd.DataFrame:
    f = pd.DataFrame(ROWS, columns=COLUMNS)
    f["ano"] = f["ano"].astype("Int64")
    f["participantes"] = f["participantes"].astype("Int64")
    f["delegados"] = f["delegados"].astype("Int64")
    return f


def test_editions_side_by_side(conf):
    t = par.editions(conf)
    assert list(t["ano"]) == [2021, 2023]
    # 2023: 3 pré-conferências, (10 + 5) + (8 + 2: the segments, not the Total 12) + 6 = 31;
    # Conferência Municipal 3 + 2 + 1 + 4 = 10, delegates 1 + 1 + 0 + 2 = 4
    r = t.set_index("ano").loc[2023]
    assert (
        r["pre_conferencias"],
        r["participantes_pre_conferencias"],
        r["participantes_conferencia_municipal"],
        r["delegados"],
    ) == (3, 31, 10, 4)
    r = t.set_index("ano").loc[2021]
    assert (
        r["pre_conferencias"],
        r["participantes_pre_conferencias"],
        r["participantes_conferencia_municipal"],
        r["delegados"],
    ) == (1, 50, 20, 0)
    long = par.editions_long(t)
    assert len(long) == 4 * 2
    assert long[(long["ano"] == 2023) & (long["medida"] == "Pré-conferências")]["valor"].item() == 3


def test_edition_breakdowns(conf):
    ed = par.edition(conf, 2023)
    assert ed["por_regiao"] == {"Norte": 15, "Rural": 10}
    assert ed["por_publico"] == {"Usuários do Centro POP": 6}
    assert ed["por_segmento"] == {USUARIOS: 24, TRABALHADORES: 5, GESTORES: 2}
    assert par.urban_rural(ed["por_regiao"]) == {par.URBANA: 15, par.RURAL: 10}
    assert par.civil_vs_governmental(ed["por_segmento"]) == {
        par.SOCIEDADE_CIVIL: 29,
        par.GOVERNAMENTAL: 2,
    }
    rep = par.representation(ed).set_index("etapa")
    assert rep.loc["Pré-conferências", "pct_sociedade_civil"] == pytest.approx(100 * 29 / 31)
    # Conferência Municipal: civil 3 + 2 + 1 = 6, governmental 4 → 60%
    assert rep.loc["Conferência Municipal", "sociedade_civil"] == 6
    assert rep.loc["Conferência Municipal", "pct_sociedade_civil"] == pytest.approx(60.0)
    assert par.without_region_or_public(ed) == 0
    seg = par.counts_frame(ed["por_segmento"], "segmento")
    assert list(seg["percentual"]) == pytest.approx([100 * 24 / 31, 100 * 5 / 31, 100 * 2 / 31])
    assert par.edition(conf, 1999) is None


def test_total_row_that_disagrees_is_reported(conf):
    ev = par.edition_events(conf, 2023)
    assert list(ev["tipo_evento"]) == [PRE, PRE, PRE, CM]
    d = par.divergences(ev)
    assert list(d["local"]) == ["Distrito de Warta"]
    row = d.iloc[0]
    assert (row["total_informado"], row["participantes"], row["diferenca"]) == (12, 10, 2)
    text = par.divergence_text(row)
    assert "informa 12 participantes" in text and "2 a mais" in text
    assert "usam a soma dos segmentos (10)" in text


def test_edition_without_regional_breakdown(conf):
    ed = par.edition(conf, 2021)
    assert ed["por_regiao"] == {} and ed["por_publico"] == {} and ed["por_segmento"] == {}
    assert par.without_region_or_public(ed) == 50
    assert par.urban_rural(ed["por_regiao"]) == {par.URBANA: 0, par.RURAL: 0}
    assert par.representation(ed).empty
    ev = par.edition_events(conf, 2021)
    assert par.divergences(ev).empty
    assert list(par.totals_only(ev)["participantes"]) == [50, 20]


def test_urban_rural_words():
    assert par.urban_rural(
        {"Zona Rural": 5, "Distritos rurais": 3, "Centro": 10, "Ruralópolis": 1}
    ) == {par.URBANA: 11, par.RURAL: 8}


def test_empty_conferences():
    empty = pd.DataFrame(columns=COLUMNS)
    assert par.editions(empty).empty
    assert par.edition_events(empty, 2023).empty
