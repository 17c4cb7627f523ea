"""Every path between screens keeps the view: the sidebar menu from every screen to every other
one, for a shared link and for a plain session, keeps the year and the filters in the URL, in the
sidebar and in the figures; a link's values the data lacks are dropped with a notice."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from pmas.ui.nav import SCREENS
from tests.e2e.conftest import light_chart, wait_ready
from tests.e2e.test_e2e_dashboard import choose, metric, selected

pytestmark = pytest.mark.e2e

TITLES = [s.title for s in SCREENS]
PATHS = {s.title: s.url_path for s in SCREENS}


def every_pair_tour(nodes: list[str]) -> list[str]:
    """A walk that goes from every node to every other node exactly once (an Eulerian circuit of
    the complete directed graph), starting and ending at ``nodes[0]``."""
    left = {a: [b for b in nodes if b != a] for a in nodes}
    stack, tour = [nodes[0]], []
    while stack:
        here = stack[-1]
        if left[here]:
            stack.append(left[here].pop())
        else:
            tour.append(stack.pop())
    return tour[::-1]


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def open_from_menu(page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
    path = PATHS[title]
    page.wait_for_function(
        f"() => location.pathname.replace(/\\/$/, '').endsWith({'/' + path!r})"
        f" || ({title!r} === 'Visão geral' && location.pathname.replace(/\\/$/, '') === '')"
    )
    wait_ready(page)
    page.wait_for_selector("h1")
    wait_ready(page)


def figure(page, title: str) -> str | None:
    """The screen's goal count under the filters (None where the screen shows none)."""
    if title in ("Visão geral", "Eixos"):
        page.wait_for_selector("[data-testid='stMetric']")
        return metric(page, "Metas")
    if title == "Dados":
        return page.get_by_text(re.compile(r"^\d+ metas\.$")).first.inner_text()
    return None


def assert_view_kept(page, title: str, expected: dict[str, list[str]], figures: dict) -> None:
    q = query(page)
    for k, v in expected.items():
        assert q.get(k) == v, f"{title}: {k}={q.get(k)} (esperado {v}) em {page.url}"
    assert selected(page, "Ano") == expected["ano"][0], title
    assert selected(page, "Eixo").startswith(f"{expected['eixo'][0]}."), title
    if "territorio" in expected:
        sidebar = page.locator("[data-testid='stSidebar']").inner_text()
        for t in expected["territorio"]:
            assert t in sidebar, title
    assert page.locator("[data-testid='stException']").count() == 0, title
    shown = figure(page, title)
    if shown is not None:
        figures.setdefault(title, shown)
        assert shown == figures[title], f"{title}: {shown} != {figures[title]}"


def test_menu_from_every_screen_to_every_screen_keeps_a_shared_links_view(app, page):
    expected = {"ano": ["2023"], "eixo": ["2"], "territorio": ["Centro A"]}
    page.goto(f"{app.url}/?ano=2023&eixo=2&territorio=Centro+A")
    wait_ready(page)
    figures: dict[str, str] = {}
    tour = every_pair_tour(TITLES)
    assert len(tour) == len(TITLES) * (len(TITLES) - 1) + 1
    assert_view_kept(page, tour[0], expected, figures)
    for title in tour[1:]:
        open_from_menu(page, title)
        assert_view_kept(page, title, expected, figures)
    # the figures are those of the filters, not of another year's or eixo's goals
    assert figures["Visão geral"] == figures["Eixos"]
    assert figures["Dados"] == f"{figures['Eixos']} metas."


def test_menu_keeps_a_plain_sessions_choices(app, page):
    page.goto(app.url)
    wait_ready(page)
    choose(page, "Ano", "2022", "ano=2022")
    choose(page, "Eixo", "4. Controle e Participação", "eixo=4")
    expected = {"ano": ["2022"], "eixo": ["4"]}
    figures: dict[str, str] = {}
    assert_view_kept(page, "Visão geral", expected, figures)
    for title in [*TITLES[1:], TITLES[0]]:
        open_from_menu(page, title)
        assert_view_kept(page, title, expected, figures)
    # a link inside a screen (the overview's "Ver as conferências") keeps it too
    page.get_by_role("link", name="Ver as conferências").click()
    page.wait_for_function("() => location.pathname.endsWith('/conferencias')")
    wait_ready(page)
    assert query(page)["ano"] == ["2022"] and query(page)["eixo"] == ["4"]


def test_chart_click_keeps_year_and_filters(app, page):
    page.goto(f"{app.url}/?ano=2022&situacao=Realizada&situacao=Cancelada")
    wait_ready(page)
    bar = light_chart(page).locator(".barlayer .trace").first
    point = bar.locator(".point").nth(1)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => location.pathname.endsWith('/eixos')")
    wait_ready(page)
    q = query(page)
    assert q["ano"] == ["2022"] and q["eixo"] == ["2"]
    assert q["situacao"] == ["Realizada", "Cancelada"]


def test_a_link_value_the_data_lacks_is_dropped_with_a_notice(app, page):
    page.goto(f"{app.url}/eixos?ano=1999&eixo=2&territorio=Atlantida")
    wait_ready(page)
    alerts = page.locator("[data-testid='stAlert']").all_inner_texts()
    text = "\n".join(alerts)
    assert "o ano “1999”" in text and "o território “Atlantida”" in text
    q = query(page)
    assert q["ano"] == ["2024"] and q["eixo"] == ["2"] and "territorio" not in q
    assert selected(page, "Ano") == "2024"


# --- item 7: a shared link of each screen restores it ----------------------------------------


def pick(page, box, option: str) -> None:
    """Choose ``option`` in a selectbox of the main area by typing it, as a keyboard user does."""
    box.scroll_into_view_if_needed()
    field = box.locator("input")
    field.click()
    field.fill(option)
    page.keyboard.press("Enter")


def reopen(browser, url: str):
    """The link opened by someone else: a new browser context, a new session."""
    other = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="pt-BR")
    pg = other.new_page()
    pg.set_default_timeout(60_000)
    pg.goto(url)
    wait_ready(pg)
    pg.wait_for_selector("h1")
    wait_ready(pg)
    return pg


def test_shared_link_restores_eixos_with_the_chosen_goal(app, page, browser):
    page.goto(f"{app.url}/eixos?ano=2023&eixo=3")
    wait_ready(page)
    page.wait_for_selector("[data-testid='stDataFrame']")
    wait_ready(page)
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # the row marker of the table's 4th row (header ~35 px, rows ~35 px)
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 35 * 3 + 17)
    page.wait_for_function("() => location.search.includes('meta=')")
    wait_ready(page)
    heading = page.locator("h4").first.inner_text()
    assert heading.startswith(query(page)["meta"][0])
    url = page.url

    other = reopen(browser, url)
    other.wait_for_selector("h4")
    assert other.locator("h4").first.inner_text() == heading
    assert query(other) == query(page)
    assert selected(other, "Ano") == "2023" and selected(other, "Eixo").startswith("3.")
    # the goal stays open when the person goes elsewhere and comes back
    open_from_menu(other, "Dados")
    open_from_menu(other, "Eixos")
    assert other.locator("h4").first.inner_text() == heading
    other.context.close()


def test_shared_link_restores_comparativo_measure_and_years(app, page, browser):
    page.goto(f"{app.url}/comparativo?ano=2023")
    wait_ready(page)
    page.wait_for_selector(".js-plotly-plot")
    wait_ready(page)
    page.get_by_role("radio", name="Índice de cumprimento").first.click()
    page.wait_for_function("() => location.search.includes('medida=indice_cumprimento')")
    wait_ready(page)
    box = page.locator("[data-testid='stSelectbox']", has_text="Ano inicial").first
    pick(page, box, "2022")
    page.wait_for_function("() => location.search.includes('de=2022')")
    wait_ready(page)
    url = page.url
    q = query(page)
    assert q["medida"] == ["indice_cumprimento"] and q["de"] == ["2022"]

    other = reopen(browser, url)
    assert query(other) == q
    other.wait_for_selector("[data-testid='stButtonGroup']")
    pressed = other.locator("[data-testid='stButtonGroup'] [role='radio'][aria-checked='true']")
    assert pressed.first.inner_text().strip() == "Índice de cumprimento"
    ano_inicial = other.locator("[data-testid='stSelectbox']", has_text="Ano inicial").first
    assert ano_inicial.locator("input").input_value() == "2022"
    other.context.close()


def test_shared_link_restores_the_conference_edition(app, page, browser):
    page.goto(f"{app.url}/conferencias")
    wait_ready(page)
    page.wait_for_selector(".js-plotly-plot")
    wait_ready(page)
    box = page.locator("[data-testid='stSelectbox']", has_text="Edição").first
    pick(page, box, "2021")
    page.wait_for_function("() => location.search.includes('edicao=2021')")
    wait_ready(page)
    cards = page.locator("[data-testid='stMetric']").all_inner_texts()
    url = page.url

    other = reopen(browser, url)
    other.wait_for_selector(".js-plotly-plot")
    wait_ready(other)
    edicao = other.locator("[data-testid='stSelectbox']", has_text="Edição").first
    assert edicao.locator("input").input_value() == "2021"
    assert other.locator("[data-testid='stMetric']").all_inner_texts() == cards
    other.context.close()


@pytest.mark.parametrize("path", ["", "dados", "deliberacoes", "importar", "plano", "relatorio"])
def test_shared_link_restores_the_filters_of_every_other_screen(app, page, browser, path):
    page.goto(f"{app.url}/{path}?ano=2022&eixo=5&situacao=Realizada")
    wait_ready(page)
    url = page.url
    other = reopen(browser, url)
    q = query(other)
    own = {"deliberacoes": {"edicao"}}.get(path, set())  # the screen's own view, also kept
    assert set(q) - own == {"ano", "eixo", "situacao"}, q
    assert {k: q[k] for k in ("ano", "eixo", "situacao")} == {
        "ano": ["2022"],
        "eixo": ["5"],
        "situacao": ["Realizada"],
    }
    assert selected(other, "Ano") == "2022" and selected(other, "Eixo").startswith("5.")
    other.context.close()


def test_unknown_screen_values_in_a_link_are_dropped_with_a_notice(app, page):
    page.goto(f"{app.url}/comparativo?medida=velocidade&de=1990")
    wait_ready(page)
    text = "\n".join(page.locator("[data-testid='stAlert']").all_inner_texts())
    assert "a medida “velocidade”" in text and "o ano inicial “1990”" in text
    q = query(page)
    assert q["medida"] == ["pct_realizadas"] and q["de"] == ["2023"]

    page.goto(f"{app.url}/conferencias?edicao=1900")
    wait_ready(page)
    assert "a edição “1900”" in page.locator("[data-testid='stAlert']").first.inner_text()

    page.goto(f"{app.url}/eixos?ano=2024&eixo=1&meta=9.9.9")
    wait_ready(page)
    text = "\n".join(page.locator("[data-testid='stAlert']").all_inner_texts())
    assert "a meta “9.9.9”" in text
    assert "meta" not in query(page)


def test_page_icon_is_served_by_the_app_itself(app, page):
    """The browser tab's icon comes from the dashboard, never from the internet."""
    page.goto(app.url)
    wait_ready(page)
    hrefs = page.locator("link[rel~='icon']").evaluate_all("els => els.map(e => e.href)")
    assert hrefs and all(h.startswith(app.url) for h in hrefs), hrefs
    icon = page.request.get(hrefs[0])
    assert icon.ok and icon.body().startswith(b"\x89PNG")
