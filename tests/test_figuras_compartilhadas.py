"""Figures built once and shared by every session (pmas.ui.state.shared hands out the very same
Plotly object, not a copy) must never be changed by whoever draws them: otherwise one visitor's
screen would alter what the next one sees. Every chart screen is drawn by one session, then all
the other screens, then the first screen again by a new session: each chart must be identical."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.paginas import ROOT, figures, page

SCREENS = ["visao-geral", "eixos", "conferencias", "comparativo", "deliberacoes", "panorama"]


def _charts(name: str) -> list[dict]:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    return figures(at)


def test_a_shared_figure_is_the_same_for_the_next_session(monkeypatch, tmp_path):
    page(monkeypatch, tmp_path, "visao-geral")  # a fresh database with the example data
    first = {name: _charts(name) for name in SCREENS}
    assert sum(map(len, first.values())) >= 8  # the screens do draw charts
    again = {name: _charts(name) for name in reversed(SCREENS)}
    for name in SCREENS:
        assert again[name] == first[name], name
