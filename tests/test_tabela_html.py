"""The overview's light HTML tables (pmas.ui.tabela): accessible markup, escaped cells, the
status palette (the overview drawing them: tests/test_pages_dashboard.py)."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd

from pmas import textos
from pmas.saida.charts import STATUS_COLORS
from pmas.ui.tabela import markup

C = textos.COLUNAS_METAS


class _Tree(HTMLParser):
    """Tags with their attributes and the text inside each cell, in order."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.cells: list[tuple[str, dict, str]] = []
        self._cell: list | None = None
        self.caption = ""
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("td", "th"):
            self._cell = [tag, dict(attrs), ""]
        self._in_caption = tag == "caption"

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append(tuple(self._cell))
            self._cell = None
        if tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data
        if self._in_caption:
            self.caption += data


def parse(text: str) -> _Tree:
    t = _Tree()
    t.feed(text)
    t.close()
    return t


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            C["codigo"]: ["1.1", "2.3"],
            C["situacao"]: ["Não realizada", "Não iniciada"],
            C["acao"]: ['<script>alert("x")</script> & <b>', None],
            "Previsto": ["2.804", "45,3%"],
        }
    )


def test_markup_is_a_named_focusable_region_with_a_real_table():
    t = parse(markup(frame(), titulo="Metas que exigem atenção", long=(C["acao"],)))
    tag, attrs = t.tags[0]
    assert tag == "div"
    assert attrs["role"] == "region" and attrs["tabindex"] == "0"
    assert attrs["aria-label"] == "Tabela: Metas que exigem atenção"
    names = [tag for tag, _ in t.tags]
    assert names[1:5] == ["table", "caption", "thead", "tr"]
    assert t.caption == "Metas que exigem atenção"
    headers = [(c[2], c[1].get("scope")) for c in t.cells if c[0] == "th"]
    assert headers == [(h, "col") for h in frame().columns]
    assert len([n for n in names if n == "tr"]) == 3  # header + two rows


def test_cells_are_escaped_and_keep_their_text():
    text = markup(frame(), titulo="x")
    assert "<script>" not in text and "<b>" not in text
    cells = [c[2] for c in parse(text).cells if c[0] == "td"]
    # the hostile text is shown exactly as written, a missing one as an empty cell
    assert cells == [
        "1.1",
        "Não realizada",
        '<script>alert("x")</script> & <b>',
        "2.804",
        "2.3",
        "Não iniciada",
        "",
        "45,3%",
    ]


def test_hostile_caption_and_headers_are_escaped():
    f = pd.DataFrame({'"><img src=x onerror=alert(1)>': ["a"]})
    text = markup(f, titulo='"><script>')
    assert "<img" not in text and "<script>" not in text
    t = parse(text)
    assert t.tags[0][1]["aria-label"] == 'Tabela: "><script>'


def test_status_cells_are_painted_and_long_texts_marked():
    t = parse(markup(frame(), titulo="x", long=(C["acao"],)))
    by_text = {c[2]: c[1] for c in t.cells}
    assert STATUS_COLORS["Não realizada"].lower() in by_text["Não realizada"]["style"].lower()
    assert STATUS_COLORS["Não iniciada"].lower() in by_text["Não iniciada"]["style"].lower()
    assert "style" not in by_text["1.1"]
    assert by_text[C["acao"]].get("class") == "pmas-longo"  # its header
    assert by_text['<script>alert("x")</script> & <b>'].get("class") == "pmas-longo"


def test_row_header_cells_are_row_headers():
    t = parse(markup(frame(), titulo="x", row_header=C["codigo"]))
    rows = [c for c in t.cells if c[1].get("scope") == "row"]
    assert [c[2] for c in rows] == ["1.1", "2.3"]
