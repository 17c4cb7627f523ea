"""Browser: the Conferências and Comparativo anual screens draw their Plotly charts (example data).

Screenshots (artefatos/conferencias.png, artefatos/comparativo.png) show the whole screen: the
viewport is stretched to the height of the scrolling main area before the shot.
"""

from __future__ import annotations

from tests.e2e.conftest import screenshot, wait_ready

CHART = "[data-testid='stPlotlyChart'] .js-plotly-plot"


def _open(page, base: str, path: str, nav_title: str, charts: int) -> None:
    """Open a screen and wait until the app's navigation, the script and Plotly have settled.

    The entry page is opened first: until some session has run dashboard.py (which calls
    st.navigation), Streamlit serves a deep link such as /conferencias from the pages/ folder
    in its old multipage mode, without dashboard.py (see the report of issue #4).
    """
    page.goto(base)
    wait_ready(page)
    page.wait_for_selector(f"[data-testid='stSidebarNav'] >> text={nav_title}")
    page.goto(base + path)
    wait_ready(page)
    page.wait_for_selector(f"[data-testid='stSidebarNav'] >> text={nav_title}")
    page.wait_for_function(
        f"() => document.querySelectorAll(\"{CHART} .main-svg\").length >= {charts}")
    wait_ready(page)
    page.wait_for_timeout(1000)  # Plotly's transitions


def _full_height(page) -> None:
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], "
        "[data-testid=\"stAppViewContainer\"], section.main')].map(e => e.scrollHeight), 1000)")
    page.set_viewport_size({"width": 1400, "height": int(height) + 50})
    page.wait_for_timeout(1000)


def test_conferencias(app, page):
    _open(page, app.url, "/conferencias", "Conferências", 6)
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "Edições lado a lado" in main and "2.804" in main and "Traceback" not in main
    # Plotly drew the bars with Brazilian numbers
    assert page.locator(f"{CHART} text", has_text="2.804").count() >= 1
    _full_height(page)
    screenshot(page, "conferencias")


def test_comparativo(app, page):
    _open(page, app.url, "/comparativo", "Comparativo anual", 5)
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "Matriz de transição" in main and "p.p." in main and "Traceback" not in main
    assert page.locator("[data-testid='stPlotlyChart'] .sankey").count() == 1
    _full_height(page)
    screenshot(page, "comparativo")
