"""metrics: figures, conference summary and the state ranking, against values computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pmas.analise import metrics
from pmas.dados import schema


def conf(rows):
    cols = [
        "ano",
        "tipo_evento",
        "regiao",
        "local",
        "publico",
        "segmento",
        "participantes",
        "delegados",
    ]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


def test_conference_summary_by_hand():
    c = conf(
        [
            (2023, "Pré-conferência", "Norte", "CRAS A", None, "Usuários", 30, None),
            (2023, "Pré-conferência", "Norte", "CRAS A", None, "Trabalhadores", 10, None),
            (2023, "Pré-conferência", "Sul", "CRAS B", None, "Usuários", 20, None),
            # an event given only as a Total row
            (2023, "Pré-conferência", "Rural", "Escola C", None, "Total", 15, None),
            # organised for a public, not a region
            (
                2023,
                "Pré-conferência",
                "Municipal",
                "Centro POP",
                "Usuários do Centro POP",
                "Usuários",
                7,
                None,
            ),
            (2023, "Conferência Municipal", None, "Teatro", None, "Usuários", 12, 2),
            (2023, "Conferência Municipal", None, "Teatro", None, "Gestores/Governamentais", 8, 1),
        ]
    )
    (ed,) = metrics.conference_summary(c)
    assert ed["pre_conferencias"] == 4
    assert ed["participantes_pre_conferencias"] == 30 + 10 + 20 + 15 + 7
    assert ed["participantes_conferencia_municipal"] == 20
    assert ed["delegados"] == 3
    assert ed["por_regiao"] == {"Norte": 40, "Sul": 20, "Rural": 15}
    assert ed["por_publico"] == {"Usuários do Centro POP": 7}
    assert ed["por_segmento"] == {"Usuários": 57, "Trabalhadores": 10}
    assert ed["por_segmento_conferencia_municipal"] == {
        "Usuários": 12,
        "Gestores/Governamentais": 8,
    }


def test_segments_win_over_a_disagreeing_total_row():
    c = conf(
        [
            (2023, "Pré-conferência", "Leste", "CRAS L", None, "Usuários", 30, None),
            (2023, "Pré-conferência", "Leste", "CRAS L", None, "Trabalhadores", 12, None),
            (2023, "Pré-conferência", "Leste", "CRAS L", None, "Total", 45, None),
        ]
    )
    ev = metrics.events(c)
    assert list(ev["participantes"]) == [42]
    assert list(ev["total_informado"]) == [45]
    assert list(ev["diferenca"]) == [3]
    assert metrics.conference_summary(c)[0]["participantes_pre_conferencias"] == 42


def test_edition_without_pre_conferences():
    c = conf(
        [
            (2025, "Conferência Municipal", None, "Teatro", None, "Usuários", 10, None),
            (2025, "Conferência Municipal", None, "Teatro", None, "Trabalhadores", 5, None),
        ]
    )
    (ed,) = metrics.conference_summary(c)
    assert (ed["pre_conferencias"], ed["participantes_pre_conferencias"]) == (0, 0)
    assert ed["participantes_conferencia_municipal"] == 15
    assert ed["por_regiao"] == {} and ed["por_segmento"] == {}


def test_no_avaliavel_goal_gives_no_percentages():
    f = metrics.figures(pd.DataFrame({"situacao": ["Cancelada", "Não se aplica"]}))
    assert (f["metas"], f["avaliaveis"]) == (2, 0)
    assert f["pct_realizadas"] is None and f["indice_cumprimento"] is None


def test_ranking_by_hand():
    metas = pd.DataFrame(
        {
            "municipio": ["A", "A", "B", "B", "B"],
            "eixo_numero": pd.array([1, 2, 1, 1, 2], dtype="Int64"),
            "situacao": [
                "Realizada",
                "Não realizada",
                "Realizada",
                "Parcialmente realizada",
                "Cancelada",
            ],
            "previsto": [None] * 5,
            "realizado": [None] * 5,
            "sentido": [None] * 5,
            "percentual": [None] * 5,
        }
    )
    r = metrics.ranking(metas, [1, 2])
    assert list(r["municipio"]) == ["B", "A"]  # B: (1 + 0,5) / 2 = 75%; A: 1 / 2 = 50%
    assert list(r["posicao"]) == [1, 2]
    assert list(r["indice_cumprimento"]) == [pytest.approx(75.0), pytest.approx(50.0)]
    assert list(r["pct_realizadas"]) == [pytest.approx(50.0), pytest.approx(50.0)]
    b = r.iloc[0]
    assert b["indice_eixo_1"] == pytest.approx(75.0) and pd.isna(b["indice_eixo_2"])
    assert r.iloc[1]["indice_eixo_2"] == pytest.approx(0.0)


def test_contradictions_of_many_rows_say_what_contradicts_says_of_each():
    statuses = [*schema.STATUS_ORDER, None, "Outra coisa"]
    ratios = [0.0, 0.4, 0.999, 1.0, 1.5, float("nan")]
    pairs = [(s, r) for s in statuses for r in ratios]
    got = metrics.contradictions([s for s, _ in pairs], np.array([r for _, r in pairs]))
    want = [s is not None and metrics.contradicts(s, r) for s, r in pairs]
    assert got.tolist() == want
    assert any(want)  # the cases include contradictions
