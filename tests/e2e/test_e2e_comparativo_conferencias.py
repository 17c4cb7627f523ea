"""Browser: the Conferências and Comparativo anual screens draw their Plotly charts (example data)."""

from __future__ import annotations

from tests.e2e.conftest import screenshot, wait_ready

CHART = "[data-testid='stPlotlyChart'] .js-plotly-plot"


def _charts(page, minimum: int) -> int:
    page.wait_for_function(f"() => document.querySelectorAll(\"{CHART}\").length >= {minimum}")
    page.wait_for_timeout(800)  # let Plotly finish laying out
    return page.locator(CHART).count()


def test_conferencias(app, page):
    page.goto(f"{app.url}/conferencias")
    wait_ready(page)
    assert _charts(page, 6) >= 6
    main = page.locator("[data-testid='stMain']")
    assert "2.804" in main.inner_text()
    assert "Edições lado a lado" in main.inner_text()
    # Plotly drew the bars with Brazilian numbers
    assert page.locator(f"{CHART} text", has_text="2.804").count() >= 1
    assert page.get_by_text("Traceback").count() == 0
    screenshot(page, "conferencias")


def test_comparativo(app, page):
    page.goto(f"{app.url}/comparativo")
    wait_ready(page)
    assert _charts(page, 5) >= 5
    main = page.locator("[data-testid='stMain']")
    text = main.inner_text()
    assert "Matriz de transição" in text and "p.p." in text
    assert page.locator("[data-testid='stPlotlyChart'] .sankey").count() == 1
    assert page.get_by_text("Traceback").count() == 0
    screenshot(page, "comparativo")
