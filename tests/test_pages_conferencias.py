"""The Conferências screen, run with AppTest against a real SQLite database."""

from __future__ import annotations

from tests.conftest import xlsx
from tests.paginas import chart, example_file, links, metrics, page, texts

HEADER = [
    "Ano",
    "Tipo de evento",
    "Região",
    "Local",
    "Público",
    "Segmento",
    "Participantes",
    "Delegados",
]
# 2023: Norte 10 + 5 (its Total 15 agrees); Rural 8 + 2 = 10 but its Total says 12 (2 more);
# Conferência Municipal 3 + 4. 2025: no region, no public, only Total rows (50 and 20).
CONFERENCIAS = [
    HEADER,
    [2023, "Pré-conferência", "Norte", "CRAS Norte A", "Comunidade", "Usuários", 10, None],
    [2023, "Pré-conferência", "Norte", "CRAS Norte A", "Comunidade", "Trabalhadores", 5, None],
    [2023, "Pré-conferência", "Norte", "CRAS Norte A", "Comunidade", "Total", 15, None],
    [2023, "Pré-conferência", "Rural", "Distrito de Warta", "Comunidade", "Usuários", 8, None],
    [2023, "Pré-conferência", "Rural", "Distrito de Warta", "Comunidade", "Gestores", 2, None],
    [2023, "Pré-conferência", "Rural", "Distrito de Warta", "Comunidade", "Total", 12, None],
    [2023, "Conferência Municipal", "Municipal", "Auditório", "Todos", "Usuários", 3, 1],
    [2023, "Conferência Municipal", "Municipal", "Auditório", "Todos", "Gestores", 4, 1],
    [2025, "Pré-conferência", None, "Sala virtual", None, "Total", 50, None],
    [2025, "Conferência Municipal", None, "Sala virtual", None, "Total", 20, None],
]


def test_example_data_renders(monkeypatch, tmp_path):
    at = page(monkeypatch, tmp_path, "conferencias")
    at.run()
    assert not at.exception
    assert metrics(at) == {
        "Pré-conferências": "33",
        "Participantes nas pré-conferências": "2.804",
        "Participantes na Conferência Municipal": "43",
        "Delegados eleitos": "12",
    }
    edicoes = at.dataframe[0].value.set_index("Edição")
    assert edicoes.loc[2021, "Participantes nas pré-conferências"] == "1.000"
    assert edicoes.loc[2023, "Pré-conferências"] == "33"
    shown = texts(at)
    assert "Os números conferem" in shown
    assert "2.285 nas regiões urbanas e 196 na rural" in shown  # Norte+Sul+Leste+Oeste+Centro
    # editions chart: the 2023 bar of the first panel is 33 pré-conferências
    bars = chart(at, 0)["data"]
    assert [b["y"][0] for b in bars if b["name"] == "2023"] == [33, 2804, 43, 12]
    assert len(at.get("plotly_chart")) == 6  # editions, region, public, 2 × segment, civil/gov


def test_choosing_an_edition_changes_the_figures(monkeypatch, tmp_path):
    at = page(monkeypatch, tmp_path, "conferencias")
    at.run()
    regions = chart(at, 1)["data"][0]["x"]
    at.selectbox(key="conf_edicao").set_value(2021).run()
    assert not at.exception
    assert metrics(at)["Pré-conferências"] == "18"
    assert metrics(at)["Participantes nas pré-conferências"] == "1.000"
    assert metrics(at)["Participantes na Conferência Municipal"] == "61"
    assert chart(at, 1)["data"][0]["x"] != regions
    assert "Eventos da edição de 2021" in texts(at)


def test_total_that_disagrees_and_edition_without_regions(monkeypatch, tmp_path):
    at = page(
        monkeypatch,
        tmp_path,
        "conferencias",
        exemplo=False,
        files={"conferencias.xlsx": xlsx({"Conferências": CONFERENCIAS})},
    )
    at.run()
    assert not at.exception
    # the latest edition (2025) has no regional breakdown: it still renders
    assert metrics(at)["Participantes nas pré-conferências"] == "50"
    shown = texts(at)
    assert "não tem pré-conferências por região" in shown
    assert "50 participantes de pré-conferências sem região nem público" in shown
    assert "só a linha “Total”" in shown

    at.selectbox(key="conf_edicao").set_value(2023).run()
    assert not at.exception
    assert metrics(at)["Participantes nas pré-conferências"] == "25"  # 15 + 10, not 15 + 12
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1
    assert "Distrito de Warta" in warnings[0] and "informa 12 participantes" in warnings[0]
    assert "2 a mais" in warnings[0] and "usam a soma dos segmentos (10)" in warnings[0]
    eventos = at.dataframe[-1].value
    assert list(eventos["Diferença (total − segmentos)"])[:2] == ["0", "2"]


def test_no_conference_sheet(monkeypatch, tmp_path):
    at = page(monkeypatch, tmp_path, "conferencias", exemplo=False, files=example_file(2024))
    at.run()
    assert not at.exception
    assert "Ainda não há dados de conferências" in texts(at)
    assert "modelo em branco" in texts(at)
    assert "/importar" in links(at)
    assert not at.get("plotly_chart")


def test_empty_database(monkeypatch, tmp_path):
    at = page(monkeypatch, tmp_path, "conferencias", exemplo=False)
    at.run()
    assert not at.exception
    assert "Ainda não há dados de conferências" in texts(at)
