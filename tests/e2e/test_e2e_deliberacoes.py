"""Browser: the Deliberações screen on the example data: the cards, the rule, the gap, the charts,
a shared link (?edicao=2021) and a filter that goes into the URL."""

from __future__ import annotations

import re

from tests.e2e.conftest import screenshot, wait_ready

CHART = "[data-testid='stPlotlyChart'] .js-plotly-plot"


def _open(page, base: str, path: str) -> str:
    page.goto(base)  # the entry page first: it registers the navigation (see issue #4)
    wait_ready(page)
    page.wait_for_selector("[data-testid='stSidebarNav'] >> text=Deliberações")
    page.goto(base + path)
    wait_ready(page)
    page.wait_for_function(f'() => document.querySelectorAll("{CHART} .main-svg").length >= 2')
    wait_ready(page)
    return page.locator("[data-testid='stMain']").inner_text()


def test_deliberacoes_screen(app, page):
    main = _open(page, app.url, "/deliberacoes")
    assert "Traceback" not in main
    assert "deliberações da conferência de 2023" in main
    assert "Como a situação é calculada" in main
    assert "Deliberações sem meta no PMAS" in main
    assert "85,7% de 28 municipais" in main  # com meta no PMAS, as the CLI computes it
    assert "Baixar a Devolutiva da conferência de 2023" in main
    screenshot(page, "deliberacoes")

    # a shared link opens another edition
    main = _open(page, app.url, "/deliberacoes?edicao=2021")
    assert "deliberações da conferência de 2021" in main
    assert "Garantir transporte para que os usuários" in main or "Sem meta no PMAS" in main

    # a status filter goes into the URL
    page.get_by_label("Situação da deliberação").click()
    page.get_by_role("option", name="Sem meta no PMAS").click()
    page.keyboard.press("Escape")
    wait_ready(page)
    page.wait_for_function("() => location.search.includes('sit_delib=')")
    assert re.search(r"sit_delib=Sem(\+|%20)meta", page.url)
    assert "edicao=2021" in page.url
