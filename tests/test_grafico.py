"""The light chart component of the overview (pmas.ui.grafico): its vendored Plotly bundle, its
script, what the overview hands it, and what the overview does with a click (the browser side is
proved in tests/e2e/test_e2e_grafico.py, tests/e2e/test_e2e_dashboard.py and
tests/e2e/test_e2e_telas.py)."""

from __future__ import annotations

import json
import re
import tomllib
from importlib import resources

from pmas import textos
from pmas.ui import components, grafico
from tests import paginas


def _first_line_version(text: str) -> str:
    return re.search(r"plotly\.js.*? v(\d+\.\d+\.\d+)", text[:300]).group(1)


def test_the_vendored_basic_bundle_is_the_plotly_js_of_the_installed_plotly_py():
    """Figures are built by plotly.py for its own plotly.js: the component must draw them with
    the same version (an upgrade of plotly.py without a new bundle fails here)."""
    bundle = grafico.BUNDLE.read_text(encoding="utf-8")
    full = resources.files("plotly") / "package_data" / "plotly.min.js"
    with full.open(encoding="utf-8") as f:
        full_head = f.read(300)
    assert "(basic - minified)" in bundle[:200]
    assert _first_line_version(bundle) == _first_line_version(full_head)
    licence = grafico.BUNDLE.with_name("LICENSE-plotly.js.txt").read_text(encoding="utf-8")
    assert "MIT License" in licence
    # served by Streamlit's static route (the app's static/ folder), which must be on
    assert grafico.bundle_url() == "/app/static/plotly-basic.min.js"
    config = tomllib.loads((grafico.BUNDLE.parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True


def test_the_component_script_sketches_the_chart_before_plotly_draws_it():
    """One module: the bundle's loader and the sketch (plain functions) before the component's
    default export, which draws the sketch and removes it once Plotly has drawn."""
    js = grafico._JS
    loader, sketch, chart = (
        js.index("function plotly(url)"),
        js.index("function esbocar(div, fig)"),
        js.index("export default function"),
    )
    assert loader < sketch < chart
    assert js.count("export ") == 1
    body = js[chart:]
    assert body.index("esbocarSePuder(st.div, fig)") < body.index("P.react(")
    assert body.index("P.react(") < body.rindex("esboco.remove()")


def _components(at) -> list[dict]:
    return [
        json.loads(c.proto.json)
        for c in at.get("bidi_component")
        if c.proto.component_name == "pmas.grafico"
    ]


def test_the_overview_draws_both_charts_with_the_component(monkeypatch, tmp_path):
    at = paginas.page(monkeypatch, tmp_path, "visao-geral")
    at.query_params["ano"] = "2024"
    at.run()
    assert not at.exception
    assert not at.get("plotly_chart")  # Streamlit's full Plotly bundle is not loaded here
    args = _components(at)
    assert [a["titulo"] for a in args] == [
        "Gráfico: " + textos.VISAO_GERAL["por_eixo"],
        "Gráfico: " + textos.VISAO_GERAL["indice"],
    ]
    assert [a["clicavel"] for a in args] == [True, False]
    assert {a["plotly"] for a in args} == {grafico.bundle_url()}
    for a in args:
        assert a["config"] == json.loads(json.dumps(components.PLOTLY_CONFIG))
        assert a["config"]["locale"] == "pt-BR"
    bars = json.loads(args[0]["figura"])
    # every bar of the completion chart carries its eixo's number, which a click sends back
    assert all(t["customdata"] == [1, 2, 3, 4, 5] for t in bars["data"] if t["type"] == "bar")
    # the text alternative stays under each chart
    assert [e.label for e in at.expander].count(textos.GRAFICO["ver_dados"]) == 2


def _clicked_once(monkeypatch, value):
    real = grafico.grafico
    sent = []

    def fake(fig, *, key, **kwargs):
        real(fig, key=key, **kwargs)
        if key == "visao_barras" and not sent:
            sent.append(key)
            return value
        return None

    monkeypatch.setattr(grafico, "grafico", fake)


def test_a_click_on_an_eixo_bar_chooses_that_eixo(monkeypatch, tmp_path):
    at = paginas.page(monkeypatch, tmp_path, "visao-geral")
    _clicked_once(monkeypatch, [3])
    at.query_params["ano"] = "2024"
    at.run()
    assert not at.exception
    assert at.query_params.get("eixo") == "3"


def test_a_value_that_is_no_eixo_of_the_chart_is_ignored(monkeypatch, tmp_path):
    """The value comes from the browser: anything but an eixo on the chart changes nothing."""
    for value in ("3; drop", 99, {"x": 1}, [None], []):
        at = paginas.page(monkeypatch, tmp_path / str(abs(hash(str(value)))), "visao-geral")
        _clicked_once(monkeypatch, value)
        at.run()
        assert not at.exception, value
        assert "eixo" not in at.query_params, value
