"""Every screen as people meet it, at three widths (1280 and 1440 px computers, a 390x844 phone),
in a real browser on the example data:

- no app text cut off: no element of the app's own with an ellipsis whose text does not fit, KPI
  card labels fully visible, every text of every chart (bar labels, axis labels, legends, panel
  titles) inside its chart and panel titles not on top of each other;
- no English left on screen: visible text and screen-reader labels (aria-label, title,
  placeholder) checked against ``ENGLISH``, a list of the words Streamlit and Plotly show;
- accessibility: axe-core (installed by npm into tests/e2e/node_modules, see package.json;
  .ci/run installs it) finds no critical and no serious violation of WCAG 2.1 A/AA;
- the phone starts with the sidebar closed;
- a keyboard-only path through the sidebar menu and the import flow.

Screenshots of every screen at 1440 and 390 px go to artefatos/telas_<screen>_<width>.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from pmas import textos
from tests.e2e.conftest import ARTEFATOS, App, light_chart, wait_ready

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"

# (name, path): every screen of a one-municipality database, Eixos with an eixo open.
SCREENS = [
    ("visao_geral", "/"),
    ("eixos", "/eixos?eixo=2"),
    ("conferencias", "/conferencias"),
    ("comparativo", "/comparativo"),
    ("dados", "/dados"),
    ("deliberacoes", "/deliberacoes"),
    ("importar", "/importar"),
    ("plano", "/plano"),
    ("relatorio", "/relatorio"),
]
WIDTHS = {"computador_1280": (1280, 800), "computador_1440": (1440, 900), "celular": (390, 844)}

# English that Streamlit or Plotly show, matched as whole words (case-sensitive: Material icon
# names such as "download" or "upload_file" are part of the text but never shown as words).
ENGLISH = [
    "Upload",
    "Skip to main content",
    "file upload",
    "per file",
    "Browse files",
    "Drag and drop",
    "Page not found",
    "Running the app",
    "Print",
    "Record screen",
    "Made with Streamlit",
    "Download plot",
    "Download as CSV",
    "Zoom",
    "Pan",
    "Autoscale",
    "Reset axes",
    "Box Select",
    "Lasso Select",
    "Search",
    "Show/hide columns",
    "yyyy",
    "Choose an option",
    "Choose date",
    "Help for",
    "Collapse sidebar",
    "Expand sidebar",
    "Sidebar",
    "Main menu",
    "App pages",
    "Link to heading",
    "Fullscreen",
    "Close fullscreen",
    "Open",
    "Close",
    "Clear all",
    "No results",
    "Running...",
    "Stop",
    "Deploy",
    "Rerun",
    "Settings",
    "Clear cache",
    "Produced with Plotly",
    "icon",
]
_ENGLISH_RE = re.compile(r"(?<![\w/])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w])")

_TRUNCATED_JS = """
() => {
  const out = [];
  const app = document.querySelector("[data-testid='stApp']");
  for (const el of app.querySelectorAll("*")) {
    if (el.closest("[data-testid='stDataFrame'], [data-testid='stIconMaterial'], .js-plotly-plot"))
      continue;
    const cs = getComputedStyle(el);
    if (cs.textOverflow !== "ellipsis" && !el.matches("[data-testid='stMetricLabel'] *")) continue;
    const text = (el.innerText || "").trim();
    const r = el.getBoundingClientRect();
    if (!text || el.offsetParent === null || r.width === 0 || r.right <= 0) continue;
    if (el.scrollWidth > el.clientWidth + 1) out.push(text.slice(0, 80));
  }
  return out;
}
"""

_CHART_TEXT_JS = """
() => {
  const out = [];
  const inside = (r, box) => r.left >= box.left - 2 && r.right <= box.right + 2
      && r.top >= box.top - 2 && r.bottom <= box.bottom + 2;
  const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
      && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  document.querySelectorAll(".js-plotly-plot").forEach((plot, i) => {
    const box = plot.getBoundingClientRect();
    const texts = [...plot.querySelectorAll("svg text")].filter(t => {
      const cs = getComputedStyle(t);
      const r = t.getBoundingClientRect();
      return t.textContent.trim() && cs.display !== "none" && cs.visibility !== "hidden"
        && cs.opacity !== "0" && r.width > 0;
    });
    for (const t of texts) {
      if (!inside(t.getBoundingClientRect(), box)) out.push(`chart ${i}: "${t.textContent}" cut`);
    }
    // a legend entry's text inside the legend's box (Plotly clips what does not fit)
    plot.querySelectorAll(".legend").forEach(legend => {
      const bg = legend.querySelector("rect.bg");
      if (!bg) return;
      const lbox = bg.getBoundingClientRect();
      legend.querySelectorAll(".legendtext").forEach(t => {
        if (t.textContent.trim() && !inside(t.getBoundingClientRect(), lbox))
          out.push(`chart ${i}: legend "${t.textContent}" cut`);
      });
    });
    for (const sel of [".annotation-text", ".xtick text", ".legendtext"]) {
      const els = [...plot.querySelectorAll(sel)].filter(t => t.textContent.trim());
      for (let a = 0; a < els.length; a++) for (let b = a + 1; b < els.length; b++) {
        if (overlap(els[a].getBoundingClientRect(), els[b].getBoundingClientRect()))
          out.push(`chart ${i}: "${els[a].textContent}" over "${els[b].textContent}"`);
      }
    }
  });
  return out;
}
"""

_ENGLISH_SOURCES_JS = """
() => {
  const parts = [document.body.innerText];
  for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
    if (el.closest("[data-testid='stIconMaterial']")) continue;
    for (const a of ["aria-label", "title", "placeholder", "alt"]) {
      const v = el.getAttribute(a);
      if (v) parts.push(v);
    }
  }
  return parts.join("\\n");
}
"""


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    wait_ready(page)
    page.wait_for_timeout(500)


def _shot(page, name: str) -> None:
    """The whole screen (the viewport grows to the main area's height: Streamlit scrolls inside
    it, so a full-page screenshot alone would stop at the fold)."""
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 600), 8000)})
    page.wait_for_timeout(400)
    ARTEFATOS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFATOS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)
    page.wait_for_timeout(300)


def english_on(page) -> list[str]:
    return sorted(set(_ENGLISH_RE.findall(page.evaluate(_ENGLISH_SOURCES_JS))))


def axe_violations(page) -> list[str]:
    """axe-core's critical and serious violations of WCAG 2.1 A/AA on the page."""
    if not AXE.exists():
        pytest.fail(f"{AXE} não encontrado: rode 'npm ci --prefix tests/e2e' (veja o README)")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
          const r = await axe.run(document, {runOnly: {type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
          return r.violations.filter(v => v.impact === "critical" || v.impact === "serious")
            .map(v => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map(n =>
              n.target.join(" ") + " — " + (n.failureSummary || "").split("\\n")[1]).join(" | ")}`);
        }"""
    )
    return found


@pytest.fixture
def sized_page(browser, request):
    width, height = WIDTHS[request.param]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="pt-BR",
        is_mobile=width < 500,
        has_touch=width < 500,
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield request.param, width, page
    context.close()


@pytest.fixture(scope="module")
def app_estado(tmp_path_factory, browser):
    """A state secretariat's database: 30 synthetic municipalities (example plans), for the
    Panorama estadual."""
    from pmas import sintetico
    from pmas.dados.store import Store

    db = tmp_path_factory.mktemp("e2e_estado") / "pmas.db"
    sintetico.generate(Store(f"sqlite:///{db}"), 30, 40)
    running = App(db, env={"PMAS_EXEMPLO": "0", "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"})
    yield running
    running.stop()


def _problems(page, app_url: str, screens, width: int) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for name, path in screens:
        _open(page, app_url + path)
        if width < 500:
            # the phone opens with the sidebar closed, over nothing
            box = page.locator("[data-testid='stSidebar']").bounding_box()
            assert box is None or box["x"] + box["width"] <= 1, f"{name}: barra lateral aberta"
        if width != 1280:
            _shot(page, f"telas_{name}_{width}")
        found = [f"cortado: {t}" for t in page.evaluate(_TRUNCATED_JS)]
        found += [f"gráfico: {t}" for t in page.evaluate(_CHART_TEXT_JS)]
        found += [f"inglês: {w}" for w in english_on(page)]
        found += [f"axe: {v}" for v in axe_violations(page)]
        if found:
            problems[name] = found
    return problems


def _say(kind: str, problems: dict[str, list[str]]) -> str:
    return f"{kind}: " + "\n".join(f"{name}: {p}" for name, ps in problems.items() for p in ps)


@pytest.mark.parametrize("sized_page", list(WIDTHS), indirect=True)
def test_every_screen_fits_speaks_portuguese_and_passes_axe(app, sized_page):
    kind, width, page = sized_page
    problems = _problems(page, app.url, SCREENS, width)
    assert not problems, _say(kind, problems)


@pytest.mark.parametrize("sized_page", list(WIDTHS), indirect=True)
def test_state_panorama_fits_speaks_portuguese_and_passes_axe(app_estado, sized_page):
    kind, width, page = sized_page
    problems = _problems(page, app_estado.url, [("panorama", "/panorama?ano=2024")], width)
    assert not problems, _say(kind, problems)
    # the ranking is there, not an empty state
    assert page.locator("[data-testid='stMetricValue']").first.inner_text() == "30"


def test_overview_own_path_opens_it_in_portuguese(app, page):
    """/visao-geral (the overview's name in links) opens the overview, with the link's
    parameters, and never Streamlit's English "Page not found"."""
    _open(page, f"{app.url}/visao-geral?ano=2023")
    assert page.locator("h1").first.inner_text() == "Visão geral"
    page.wait_for_function("() => new URLSearchParams(location.search).get('ano') === '2023'")
    assert "Page not found" not in page.inner_text("body")
    assert english_on(page) == []


@pytest.mark.parametrize("sized_page", ["celular"], indirect=True)
def test_overview_tables_are_light_and_reachable_by_keyboard(app, sized_page):
    """The overview's tables are plain HTML (no data grid loaded) in named scroll areas: on a
    phone the attention table is wider than the screen, and the keyboard reaches its area and
    scrolls it sideways."""
    _, _, page = sized_page
    _open(page, app.url)
    assert page.locator("[data-testid='stDataFrame'], [data-testid='stTable']").count() == 0
    regions = page.locator("div.pmas-tabela[role='region']")
    names = [regions.nth(i).get_attribute("aria-label") for i in range(regions.count())]
    V = textos.VISAO_GERAL
    assert "Tabela: " + V["numeros"] in names and "Tabela: " + V["atencao"] in names
    region = page.locator(f"div.pmas-tabela[aria-label='Tabela: {V['atencao']}']")
    assert region.get_attribute("tabindex") == "0"
    assert region.locator("caption").inner_text() == V["atencao"]
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")
    # no word broken letter by letter: the status column is as wide as its longest word
    cell = region.locator("td").nth(1)
    assert cell.evaluate("c => c.scrollWidth <= c.clientWidth + 1")
    region.focus()
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "region"
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector(\"div.pmas-tabela[aria-label$='"
        + V["atencao"]
        + "']\").scrollLeft > 0"
    )
    # the data grid's chunk (DataFrame.<hash>.js, with Glide's grid) is not among the scripts
    scripts = page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.js'))"
    )
    assert scripts and not [s for s in scripts if "/DataFrame." in s]


def test_chart_has_summary_and_data_table(app, page):
    """Every chart is followed by a sentence and, on demand, its data as a real table; the
    overview's charts (the light chart component, pmas.ui.grafico) are named in Portuguese for
    screen readers and keep Plotly's Portuguese locale and its single Portuguese button."""
    _open(page, app.url)
    charts = page.locator(".js-plotly-plot").count()
    expanders = page.get_by_text(textos.GRAFICO["ver_dados"], exact=True)
    assert charts >= 2 and expanders.count() == charts
    names = [light_chart(page, i).get_attribute("aria-label") for i in range(2)]
    assert names == [
        "Gráfico: " + textos.VISAO_GERAL["por_eixo"],
        "Gráfico: " + textos.VISAO_GERAL["indice"],
    ]
    expanders.first.click()
    table = page.locator("[data-testid='stExpander'] table").first
    table.wait_for()
    text = table.inner_text()
    assert "Realizada" in text and "%" in text
    # only the one chart button Plotly shows, in Portuguese
    chart = light_chart(page)
    chart.hover()
    buttons = chart.locator(".modebar-btn")
    assert buttons.count() == 1
    assert buttons.first.get_attribute("data-title") == textos.PLOTLY["Download plot as a PNG"]
    locale = chart.evaluate("g => [g._context.locale, g._context.locales['pt-BR'].format.decimal]")
    assert locale == ["pt-BR", ","]


# --- the keyboard --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_local(tmp_path_factory, browser):
    """No example data, no manager password: the import screen is open (local mode); the
    plan the file goes to is stored (Londrina's: the file is its 2023 goals)."""
    from tests.e2e.test_e2e_importar import _com_plano

    running = App(
        _com_plano(tmp_path_factory.mktemp("e2e_teclado")),
        env={
            "PMAS_EXEMPLO": "0",
            "PMAS_SENHA_GESTOR": None,  # unset: local mode
            "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
        },
    )
    yield running
    running.stop()


def _tab_to(page, predicate_js: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies ``predicate_js`` (a JS function of it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"Tab nunca chegou a {predicate_js}")


def _enter_opens_file_chooser(page, tries: int = 3):
    """Enter on the focused upload button opens the file chooser. About one run in ten,
    Streamlit's dropzone swallows the very first press after the page settles (the button is
    focused, connected and enabled, and a second press opens it, as a person would press again);
    the focus must still be on the button for each new press."""
    for attempt in range(tries):
        try:
            with page.expect_file_chooser(timeout=5_000) as chooser:
                page.keyboard.press("Enter")
            return chooser.value
        except PlaywrightTimeout:
            assert page.evaluate("() => document.activeElement.tagName") == "BUTTON"
            if attempt == tries - 1:
                raise


def test_keyboard_through_sidebar_menu(app, page):
    _open(page, app.url)
    # Tab from the top: the skip link, then the menu (icon ligature + title as text)
    _tab_to(page, "el => el.tagName === 'A' && el.innerText.trim().endsWith('Dados')")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Dados')")
    wait_ready(page)
    # the sidebar's filters are reached with Tab too, and a select opens with the keyboard
    _tab_to(
        page,
        "el => el.getAttribute('aria-label') && el.closest('[data-testid=\"stSidebar\"]')"
        " && el.closest('[data-testid=\"stSelectbox\"]')",
    )


def test_keyboard_through_the_import_flow(app_local, page):
    from tests.e2e.test_e2e_importar import _rows

    T = textos.IMPORTAR
    _open(page, f"{app_local.url}/importar")
    page.wait_for_selector("[data-testid='stFileUploader']")
    upload = textos.INTERFACE["Upload"]
    _tab_to(page, f"el => el.tagName === 'BUTTON' && el.innerText.includes({upload!r})")
    chooser = _enter_opens_file_chooser(page)
    chooser.set_files(
        {
            "name": "metas.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": _rows(),
        }
    )
    page.wait_for_selector(f"text={T['relatorio']}")
    wait_ready(page)
    assert english_on(page) == []
    name = T["confirmar"]
    _tab_to(page, f"el => el.tagName === 'BUTTON' && el.innerText.includes({name!r})", limit=200)
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Importação concluída", timeout=60_000)
