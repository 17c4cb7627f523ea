"""AppTest of the everyday screens: Visão geral, Eixos and Dados.

Each page file is run on its own (it draws the shared sidebar through pmas.ui.page.start), against
a real SQLite file. Expected figures come from tests/test_layouts.py, computed there by hand.
"""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pmas import textos
from pmas.dados.plano import LONDRINA
from pmas.dados.store import Store
from pmas.entrada.pipeline import import_file
from pmas.ui.components import escape_md
from tests.conftest import ROOT, csv_bytes, database_url, xlsx
from tests.test_layouts import HEADER, plain_rows
from tests.test_tabela_html import parse

PAGES = ROOT / "pages"


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def small_db(tmp_path, monkeypatch):
    """The 11-goal plan year of test_layouts in 2023, and a 2022 where every goal is Realizada."""
    url = database_url(tmp_path)
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    store = Store(url)
    rows22 = [HEADER] + [r[:8] + ["Realizada"] for r in plain_rows()]
    rows22[4][6:8] = [100, 100]
    rows22[5][6:8] = [50, 50]
    rows22[11][6:8] = [20, 20]
    import_file(store, xlsx({"Metas 2022": rows22}), "m22.xlsx", LONDRINA, usuario="ana")
    import_file(
        store, xlsx({"Metas 2023": [HEADER] + plain_rows()}), "m23.xlsx", LONDRINA, usuario="bia"
    )
    return store


@pytest.fixture
def example_db(tmp_path, monkeypatch):
    monkeypatch.setenv("PMAS_DATABASE_URL", database_url(tmp_path))
    monkeypatch.delenv("PMAS_EXEMPLO", raising=False)


def app(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def metric_values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def sidebar_widget(at, key):
    return next(w for w in (*at.sidebar.selectbox, *at.sidebar.multiselect) if w.key == key)


@pytest.mark.parametrize("page", ["visao-geral.py", "eixos.py", "dados.py"])
def test_renders_on_example_data(example_db, page):
    at = app(page)
    assert not at.exception
    assert any(
        "Dados de exemplo" in (i.value or "") or "dados de exemplo" in (i.value or "")
        for i in at.info
    )
    assert sidebar_widget(at, "f_ano").value == 2024


def test_overview_example_figures_and_conference_card(example_db):
    at = app("visao-geral.py")
    assert metric_values(at)["Metas"] == "68"
    text = " ".join(m.value for m in at.markdown)
    assert "2.804 participantes" in text and "33 pré-conferências" in text
    assert "**43** na Conferência Municipal" in text


def test_overview_figures_by_hand_and_delta(small_db):
    at = app("visao-geral.py")
    m = metric_values(at)
    assert m == {
        "Metas": "11",
        "% realizadas": "33,3%",
        "% realizadas ou parciais": "66,7%",
        "Índice de cumprimento": "62,2%",
    }
    deltas = {x.label: x.delta for x in at.metric}
    # 2022: 9 avaliáveis all Realizada → 100%; 2023 → 33,3%: −66,7 p.p.
    assert deltas["% realizadas"] == "-66,7 p.p. vs. 2022"


def test_filter_changes_figures(small_db):
    at = app("visao-geral.py")
    sidebar_widget(at, "f_eixo").set_value(2).run()
    assert metric_values(at) == {
        "Metas": "3",
        "% realizadas": "50,0%",
        "% realizadas ou parciais": "100,0%",
        "Índice de cumprimento": "90,0%",
    }
    assert at.query_params["eixo"] == "2"
    sidebar_widget(at, "f_situacao").set_value(["Realizada", "Não realizada"]).run()
    assert metric_values(at)["Metas"] == "1"  # eixo 2 has one Realizada, no Não realizada
    sidebar_widget(at, "f_eixo").set_value(None).run()
    # All eixos, Realizada or Não realizada: 1.1, 1.3, 2.2, 4.1 → 3 of 4 realizadas
    assert metric_values(at)["Metas"] == "4"
    assert metric_values(at)["% realizadas"] == "75,0%"


def test_url_parameters_restore_filters(small_db):
    at = app("visao-geral.py", ano="2023", eixo="5", situacao="Parcialmente realizada")
    assert sidebar_widget(at, "f_ano").value == 2023
    assert sidebar_widget(at, "f_eixo").value == 5
    assert sidebar_widget(at, "f_situacao").value == ["Parcialmente realizada"]
    assert metric_values(at) == {
        "Metas": "1",
        "% realizadas": "0,0%",
        "% realizadas ou parciais": "100,0%",
        "Índice de cumprimento": "80,0%",
    }


def test_bad_url_parameters_are_ignored(small_db):
    at = app("visao-geral.py", ano="abc", eixo="99", situacao="Inventada")
    assert not at.exception
    assert sidebar_widget(at, "f_ano").value == 2023
    assert sidebar_widget(at, "f_eixo").value is None
    assert metric_values(at)["Metas"] == "11"


def test_year_filter(small_db):
    at = app("visao-geral.py")
    sidebar_widget(at, "f_ano").set_value(2022).run()
    assert metric_values(at)["% realizadas"] == "100,0%"
    assert at.query_params["ano"] == "2022"


def test_overview_draws_no_data_grid(small_db):
    """The overview's tables (its two and each chart's data) are light HTML tables, not
    st.dataframe/st.table (Streamlit's grid and Arrow code weigh on the first load)."""
    at = app("visao-geral.py")
    assert not at.exception
    assert len(at.dataframe) == 0 and len(at.table) == 0
    tables = {
        t.caption: t
        for t in (parse(h.value) for h in at.html if h.value.startswith('<div class="pmas-tabela"'))
    }
    V = textos.VISAO_GERAL
    dados = textos.GRAFICO["dados"]
    assert list(tables) == [
        dados.format(titulo=V["por_eixo"]),
        dados.format(titulo=V["indice"]),
        V["numeros"],
        V["atencao"],
    ]
    por_eixo = tables[V["numeros"]]
    header = [c[2] for c in por_eixo.cells if c[1].get("scope") == "col"]
    assert header[0] == textos.COLUNAS_METAS["eixo"]
    assert textos.FIGURAS["indice_cumprimento"] in header
    # one row per eixo with goals, its short name as the row's header, figures in Brazilian form
    rows = [c[2] for c in por_eixo.cells if c[1].get("scope") == "row"]
    assert len(rows) == 5 and rows[0].startswith("1.")
    assert any(c[2].endswith("%") and "," in c[2] for c in por_eixo.cells if c[0] == "td")
    situacoes = [c[2] for c in tables[V["atencao"]].cells if c[0] == "td"]
    assert {"Não realizada", "Não iniciada"} & set(situacoes)
    indice = tables[dados.format(titulo=V["indice"])]
    assert len([c for c in indice.cells if c[1].get("scope") == "row"]) == 5
    assert any(c[2].endswith("%") for c in indice.cells if c[0] == "td")
    # the downloads beside each table stay
    assert len(at.get("download_button")) == 4


def test_overview_attention_table_is_bounded_and_says_so(tmp_path, monkeypatch):
    """A plan year with many goals needing attention: the HTML table holds the first 100 and a
    caption says how many there are and where the rest is (the downloads hold them all)."""
    url = database_url(tmp_path)
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    eixos = [e.rotulo for e in LONDRINA.eixos]
    rows = [HEADER] + [
        [f"{i % 5 + 1}.{i}", eixos[i % 5], "D1", f"Ação {i}", f"Meta {i}", None, 10, 0, s]
        for i, s in enumerate(["Não realizada"] * 130 + ["Não iniciada"] * 20 + ["Realizada"] * 10)
    ]
    import_file(Store(url), xlsx({"Metas 2023": rows}), "m.xlsx", LONDRINA, usuario="ana")
    at = app("visao-geral.py", ano="2023")
    assert not at.exception
    V = textos.VISAO_GERAL
    atencao = next(
        t
        for t in (parse(h.value) for h in at.html if h.value.startswith('<div class="pmas-tabela"'))
        if t.caption == V["atencao"]
    )
    assert len([t for t, _ in atencao.tags if t == "tr"]) == 1 + 100  # the header's row too
    expected = V["atencao_primeiras"].format(mostradas="100", total="150")
    assert expected in [c.value for c in at.caption]


def test_eixos_page_kpis_and_goals_table(small_db):
    at = app("eixos.py", eixo="2")
    assert metric_values(at)["Índice de cumprimento"] == "90,0%"
    table = at.dataframe[0].value
    assert list(table["Código"]) == ["2.1", "2.2", "2.3"]
    assert list(table["Execução (%)"]) == ["80,0%", "120,0%", "—"]
    # the key columns first: long Diretriz/Ação texts never push them out of view
    assert list(table.columns)[:5] == [
        "Código",
        "Situação",
        "Previsto",
        "Realizado",
        "Execução (%)",
    ]


def test_eixos_page_without_eixo_offers_buttons(small_db):
    at = app("eixos.py")
    labels = [b.label for b in at.button]
    assert labels == [escape_md(e.rotulo) for e in LONDRINA.eixos]  # a label is Markdown
    at.button[2].click().run()
    assert sidebar_widget(at, "f_eixo").value == 3
    assert metric_values(at)["Metas"] == "2"


def test_dados_page_table_matches_filters(small_db):
    at = app("dados.py", territorio="Inexistente")
    assert not at.exception
    at = app("dados.py", situacao="Realizada")
    table = at.dataframe[0].value
    assert sorted(table["Código"]) == ["1.1", "2.2", "4.1"]
    assert set(table["Situação"]) == {"Realizada"}
    assert list(table.columns)[:3] == ["Ano", "Código", "Situação"]
    assert len(at.get("download_button")) == 2


def test_empty_database_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("PMAS_DATABASE_URL", database_url(tmp_path))
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    for page in ("visao-geral.py", "eixos.py", "dados.py"):
        at = app(page)
        assert not at.exception
        assert any("Importar" in i.value for i in at.info)


def test_hostile_text_is_shown_as_plain_text(tmp_path, monkeypatch):
    url = database_url(tmp_path)
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    rows = [HEADER + ["Ano"]] + [r + [2023] for r in plain_rows()]
    rows[1][3] = "<script>alert(1)</script>"
    rows[3][3] = '=HYPERLINK(""http://x"")'  # a CSV text cell, quoted
    rows[3][8] = "Não realizada"
    lines = [
        ";".join(
            f'"{v}"' if isinstance(v, str) and "HYPERLINK" in v else ("" if v is None else str(v))
            for v in r
        )
        for r in rows
    ]
    result = import_file(Store(url), csv_bytes(lines), "x.csv", LONDRINA, usuario="t")
    assert result.situacao == "importado"
    at = app("dados.py")
    acoes = list(at.dataframe[0].value["Ação"])
    assert "<script>alert(1)</script>" in acoes and '=HYPERLINK("http://x")' in acoes
    overview = app("visao-geral.py")
    rendered = " ".join(m.value for m in overview.markdown)
    assert "<script>" not in rendered and "HYPERLINK" not in rendered
    # the overview's attention table is HTML: the hostile text escaped, shown as written
    attention = [h.value for h in overview.html if h.value.startswith('<div class="pmas-tabela"')][
        -1
    ]
    assert "=HYPERLINK(&quot;http://x&quot;)" in attention
    assert "<script>" not in attention


def test_large_tables_show_the_first_rows_and_download_all(small_db, monkeypatch):
    from pmas.ui import components

    monkeypatch.setattr(components, "SHOWN_ROWS", 4)
    at = app("dados.py")
    assert len(at.dataframe[0].value) == 4
    assert any("primeiras 4 de 11 linhas" in c.value for c in at.caption)
    assert any(m.value == "11 metas." for m in at.markdown)


@pytest.fixture
def reducao_db(tmp_path, monkeypatch):
    """Eixo 1 with a reduction goal (previsto 20, realizado 25: execução 20 ÷ 25 = 80%) and an
    ordinary one (10 / 10)."""
    url = database_url(tmp_path)
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    store = Store(url)
    e1 = LONDRINA.eixos[0].nome
    rows = [
        ["Código", "Eixo", "Ação", "Sentido", "Previsto", "Realizado", "Ano"],
        ["1.1", e1, "Reduzir a fila do acolhimento", "Quanto menor, melhor", 20, 25, 2023],
        ["1.2", e1, "Ampliar o PAIF", None, 10, 10, 2023],
    ]
    r = import_file(store, xlsx({"Metas 2023": rows}), "m.xlsx", LONDRINA, usuario="ana")
    assert r.situacao == "importado"
    return store


def test_eixos_and_dados_say_which_goal_is_a_reduction(reducao_db):
    from pmas import textos

    at = app("eixos.py", eixo="1", meta="1.1")
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns)[:3] == ["Código", "Situação", "Sentido"]
    assert dict(zip(table["Código"], table["Sentido"])) == {"1.1": "Reduzir", "1.2": ""}
    assert dict(zip(table["Código"], table["Execução (%)"])) == {"1.1": "80,0%", "1.2": "100,0%"}
    detail = next(d.value for d in at.dataframe if list(d.value.columns) == ["Campo", "Valor"])
    campos = dict(zip(detail["Campo"], detail["Valor"]))
    assert campos["Sentido"] == textos.UI["meta_reducao"]
    assert "previsto ÷ realizado" in campos["Sentido"] and campos["Execução"] == "80,0%"

    dados = app("dados.py")
    assert not dados.exception
    t = next(d.value for d in dados.dataframe if "Código" in d.value.columns)
    sentido = next(c for c in t.columns if c.startswith("Sentido"))
    assert dict(zip(t["Código"], t[sentido]))["1.1"] == "Reduzir"
