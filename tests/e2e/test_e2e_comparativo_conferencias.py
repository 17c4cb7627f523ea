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
        f'() => document.querySelectorAll("{CHART} .main-svg").length >= {charts}'
    )
    wait_ready(page)
    page.wait_for_timeout(1000)  # Plotly's transitions


def _full_height(page) -> None:
    height = page.evaluate(
        '() => Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], '
        '[data-testid="stAppViewContainer"], section.main\')].map(e => e.scrollHeight), 1000)'
    )
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


def test_comparativo_years_in_the_link(app, page):
    """A shared link reproduces the two compared years; choosing a year updates the link; the
    choice is still there after a visit to another screen."""
    _open(page, app.url, "/comparativo?de=2022&para=2024", "Comparativo anual", 5)
    main = page.locator("[data-testid='stMain']")
    text = main.inner_text()
    assert "Só em 2022" in text and "Só em 2024" in text and "Traceback" not in text
    assert "de=2022" in page.url and "para=2024" in page.url and "ano=2024" in page.url

    box = main.locator("[data-testid='stSelectbox']", has_text="Ano final").first
    box.locator("input").click()
    page.keyboard.type("2023")  # the first click may only focus the box: typing opens the list
    page.get_by_role("option", name="2023", exact=True).click()
    page.wait_for_function("() => location.search.includes('para=2023')")
    wait_ready(page)
    assert "Só em 2023" in main.inner_text() and "de=2022" in page.url

    page.locator("[data-testid='stSidebarNav'] a", has_text="Visão geral").click()
    page.wait_for_function("() => !location.search.includes('para=')")
    wait_ready(page)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Comparativo anual").click()
    page.wait_for_function("() => location.search.includes('para=2023')")
    wait_ready(page)
    assert "de=2022" in page.url
    assert "Linhas: situação em 2022; colunas: situação em 2023" in main.inner_text()
