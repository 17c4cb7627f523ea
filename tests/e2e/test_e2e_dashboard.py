"""The dashboard as a person sees it: real server, real browser, fresh database (example data)."""

from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd
import pytest

from tests.e2e.conftest import App, light_chart, screenshot, wait_ready

pytestmark = pytest.mark.e2e


def metric(page, label: str) -> str:
    card = page.locator("[data-testid='stMetric']", has_text=label).first
    return card.locator("[data-testid='stMetricValue']").inner_text().strip()


def selected(page, label: str) -> str:
    box = page.locator(
        "[data-testid='stSidebar'] [data-testid='stSelectbox']", has_text=label
    ).first
    return box.locator("input").input_value()


def choose(page, label: str, option: str, url_part: str) -> None:
    """Pick an option in a sidebar selectbox and wait until the URL carries it."""
    box = page.locator(
        "[data-testid='stSidebar'] [data-testid='stSelectbox']", has_text=label
    ).first
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_function(f"() => location.search.includes({url_part!r})")
    wait_ready(page)


def test_overview_shows_five_eixo_bars(app, page):
    page.goto(app.url)
    wait_ready(page)
    first_chart = light_chart(page)
    # each eixo's name is written above its bar (pmas.saida.charts._labels_above)
    labels = first_chart.locator(".annotation-text").evaluate_all(
        "els => els.map(e => e.textContent)"
    )
    # (the chart also writes the goals outside the calculation beside their bars: "1 Cancelada")
    eixos = [label for label in labels if label[:1].isdigit() and ". " in label[:4]]
    assert sorted(eixos) == [
        "1. Política Municipal",
        "2. Serviços, Programas e Projetos",
        "3. Transferência de Renda",
        "4. Controle Social",
        "5. Gestão",
    ]
    assert metric(page, "Metas") == "68"
    assert "Dados de exemplo" in page.inner_text("[data-testid='stSidebar']")
    screenshot(page, "visao_geral")


def test_filter_goes_to_url_and_url_restores_view(app, page, browser):
    page.goto(app.url)
    wait_ready(page)
    choose(page, "Ano", "2023", "ano=2023")
    choose(page, "Eixo", "2. Serviços, Programas e Projetos de Enfrentamento à Pobreza", "eixo=2")
    page.wait_for_selector("[data-testid='stMetric']")
    url = page.url
    assert "ano=2023" in url and "eixo=2" in url
    shown = {k: metric(page, k) for k in ("Metas", "% realizadas", "Índice de cumprimento")}

    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    other.goto(url)
    wait_ready(other)
    other.wait_for_selector("[data-testid='stMetric']")
    assert {k: metric(other, k) for k in shown} == shown
    screenshot(other, "visao_geral_filtrada")
    assert selected(other, "Ano") == "2023"
    assert selected(other, "Eixo").startswith("2. Serviços, Programas e Projetos")
    other.context.close()


def test_eixos_and_dados_screens_and_downloads(app, page):
    page.goto(f"{app.url}/eixos?ano=2024&eixo=3")
    wait_ready(page)
    page.wait_for_selector(".js-plotly-plot")
    assert metric(page, "Metas") == "12"
    screenshot(page, "eixos")

    page.goto(f"{app.url}/dados?ano=2024&situacao=Realizada")
    wait_ready(page)
    count_text = page.get_by_text(re.compile(r"^\d+ metas\.$")).inner_text()
    shown = int(count_text.split()[0])
    assert shown == 48
    screenshot(page, "dados")

    with page.expect_download() as d:
        page.get_by_role("button", name=re.compile("Baixar CSV")).click()
    csv = d.value
    content = open(csv.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig")
    assert len(table) == shown
    assert set(table["Situação"]) == {"Realizada"}

    with page.expect_download() as d:
        page.get_by_role("button", name=re.compile("Baixar Excel")).click()
    wb = openpyxl.load_workbook(io.BytesIO(open(d.value.path(), "rb").read()))
    ws = wb.worksheets[0]
    assert ws.max_row - 1 == shown
    filtros = {r[0].value: r[1].value for r in wb["Filtros"].iter_rows()}
    assert filtros.get("Situação") == "Realizada" and filtros.get("Ano") == "2024"


@pytest.mark.parametrize(
    "path,ready",
    [
        ("conferencias", ".js-plotly-plot .barlayer"),
        ("comparativo", ".js-plotly-plot .barlayer"),
        ("importar", "[data-testid='stFileUploader'], [data-testid='stTextInput']"),
        ("relatorio", "[data-testid='stForm']"),
    ],
)
def test_every_screen_opens_without_error(app, page, path, ready):
    page.goto(f"{app.url}/{path}")
    wait_ready(page)
    page.wait_for_selector(ready)
    wait_ready(page)
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, path)


def test_shared_link_opened_first_on_a_fresh_server(browser, tmp_path):
    """A link to a screen is the first request the server ever gets: it must still open that
    screen with the app's navigation (not a bare page file) and the filters of the link."""
    fresh = App(tmp_path / "novo.db")
    try:
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.goto(f"{fresh.url}/eixos?ano=2023&eixo=4")
        wait_ready(page)
        page.wait_for_selector("[data-testid='stMetric']")
        assert page.locator("h1").first.inner_text() == "Eixos"
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Visão geral" in nav and "Comparativo anual" in nav
        assert "4. Controle e Participação" in page.inner_text("body")
        page.context.close()
    finally:
        fresh.stop()


def test_clicking_an_eixo_bar_opens_that_eixo(app, page):
    page.goto(f"{app.url}/?ano=2024")
    wait_ready(page)
    chart = light_chart(page)
    # The "Realizada" segments, one per eixo, in DOM order eixo 1..5.
    bars = chart.locator(".barlayer .trace").first.locator(".point")
    assert bars.count() == 5
    bar = bars.nth(2)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()  # in the page's coordinates (Playwright adds the frame's offset)
    # hovering shows the eixo's full name and its figures, in Portuguese
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = chart.locator(".hovertext")
    hover.first.wait_for()
    text = hover.first.text_content()
    assert "3. Transferência de Renda e Benefícios" in text
    assert re.search(r"Realizada: \d+ de \d+ metas avaliáveis \(\d+,\d%\)", text), text
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => location.pathname.endsWith('/eixos')")
    wait_ready(page)
    page.wait_for_selector("[data-testid='stMetric']")
    assert "eixo=3" in page.url
    assert "3. Transferência de Renda e Benefícios" in page.inner_text("body")
