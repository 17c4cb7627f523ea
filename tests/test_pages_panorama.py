"""The Panorama estadual (pages/panorama.py) under AppTest: every municipality of the database
ranked for the year, example plans and real plans never ranked together, the per-eixo view only
when the plans share their eixos; and the state-wide generator (pmas/sintetico.py) it is made
for. Figures are the hand-computed ones of tests/test_layouts.py (11 goals, 9 avaliáveis,
índice 560/9 = 62,2%)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pmas import sintetico
from pmas.dados.plano import LONDRINA, Eixo, eixos_em_comum
from pmas.dados.store import Store
from pmas.ui import nav
from tests.conftest import database_url, xlsx
from tests.paginas import ROOT, metrics, texts
from tests.test_layouts import HEADER, imported, plain_rows

REAIS = ("Cascavel", "Maringá")


def _plano(municipio: str):
    return replace(LONDRINA, municipio=municipio, uf="PR", exemplo=False)


@pytest.fixture
def estado(tmp_path, monkeypatch):
    """Two real municipalities with the same 2023 file, and four example (synthetic) ones."""
    url = database_url(tmp_path)
    store = Store(url)
    assert sintetico.generate(store, 4, 10) == 4 * 10 * len(LONDRINA.anos)
    for municipio in REAIS:
        plano = _plano(municipio)
        store.ensure_plan(plano)
        imported(store, plano, xlsx({"Metas 2023": [HEADER] + plain_rows()}))
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    return store


def _run(query: dict | None = None):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "panorama.py"), default_timeout=120)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def test_the_synthetic_state_is_what_its_generator_says(estado):
    plans = [p for _, p in estado.plans() if p.municipio.startswith("Município")]
    assert sorted(p.municipio for p in plans) == [
        sintetico.municipality_name(i) for i in (1, 2, 3, 4)
    ]
    assert all(p.exemplo and p.eixos == LONDRINA.eixos for p in plans)
    pid = estado.plan_in_force("Município 002", 2024)[0]
    metas = estado.load("metas", pid, [2024])
    assert len(metas) == 10 and set(metas["eixo_numero"]) == {e.numero for e in LONDRINA.eixos}


def test_real_plans_ranked_without_the_example_ones(estado):
    at = _run({"municipio": "Cascavel", "ano": "2023"})
    assert not at.exception
    assert at.title[0].value == nav.STATE_SCREEN.title
    m = metrics(at)
    assert m["Municípios"] == "2"
    assert m["Metas avaliáveis"] == "18"  # 9 + 9
    assert m["Índice de cumprimento (mediana)"] == "62,2%"
    table = at.dataframe[0].value
    assert sorted(table["Município"]) == list(REAIS)
    assert "exemplo" not in texts(at).lower()
    assert len(at.get("plotly_chart")) == 2  # the distribution and the boxes per eixo


def test_an_example_plan_on_screen_ranks_only_example_plans(estado):
    at = _run({"municipio": "Município 003", "ano": "2024"})
    assert not at.exception
    assert metrics(at)["Municípios"] == "4"
    assert sorted(at.dataframe[0].value["Município"]) == [
        sintetico.municipality_name(i) for i in (1, 2, 3, 4)
    ]
    assert "dados de exemplo" in texts(at)


def test_plans_with_different_eixos_are_not_compared_per_eixo(estado):
    pid, plano = estado.plan("Maringá", LONDRINA.nome)
    outro = replace(plano.eixos[0], nome="Vigilância Socioassistencial")
    estado.update_plan(pid, replace(plano, eixos=(outro, *plano.eixos[1:])), usuario="teste")
    at = _run({"municipio": "Cascavel", "ano": "2023"})
    assert not at.exception
    assert metrics(at)["Municípios"] == "2"  # the overall índice is still ranked
    assert len(at.get("plotly_chart")) == 1  # no boxes per eixo
    assert "não têm os mesmos eixos" in texts(at)
    assert not [c for c in at.dataframe[0].value.columns if c.startswith("Índice — eixo")]


def test_one_municipality_gets_the_empty_state(tmp_path, monkeypatch):
    url = database_url(tmp_path)
    store = Store(url)
    plano = _plano("Cascavel")
    store.ensure_plan(plano)
    imported(store, plano, xlsx({"Metas 2023": [HEADER] + plain_rows()}))
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    at = _run()
    assert not at.exception
    assert "mais de um município" in texts(at)
    assert not at.dataframe


def test_common_eixos():
    a = LONDRINA
    assert eixos_em_comum([a, replace(a, municipio="X")]) == a.eixos
    assert eixos_em_comum([a, replace(a, eixos=a.eixos[:3])]) is None
    assert eixos_em_comum([a, replace(a, eixos=(Eixo(1, "Outro"), *a.eixos[1:]))]) is None
    assert eixos_em_comum([]) is None


def test_the_boxes_sentence_gives_each_eixos_median():
    import pandas as pd

    from pmas.saida import resumos

    frame = pd.DataFrame({"a": [10.0, 20.0, 90.0], "b": [50.0, None, 70.0]})
    assert resumos.medians(frame, {"a": "1. Gestão", "b": "2. Controle"}, medida="Índice") == (
        "Índice, mediana nos municípios por eixo: 1. Gestão 20,0%; 2. Controle 60,0%."
    )


def test_the_boxes_data_table_gives_each_eixos_figures(estado):
    """The chart's text alternative ("Ver dados do gráfico"): one row per eixo with its
    municipalities' values (the boxes lie horizontally: their values are on x)."""
    at = _run({"municipio": "Cascavel", "ano": "2023"})
    tabela = at.table[-1].value
    assert len(tabela) == len(LONDRINA.eixos)
    assert set(tabela["Quantidade"]) == {"2"}  # two municipalities in every eixo
    assert "—" not in set(tabela["Mediana"])
