"""Every path between screens keeps the view: the sidebar menu from every screen to every other
one, for a shared link and for a plain session, keeps the year and the filters in the URL, in the
sidebar and in the figures; a link's values the data lacks are dropped with a notice."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from pmas.ui.nav import SCREENS
from tests.e2e.conftest import wait_ready
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
    page.wait_for_selector(".js-plotly-plot .barlayer .point")
    bar = page.locator(".js-plotly-plot").first.locator(".barlayer .trace").first
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
