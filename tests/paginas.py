"""Helpers for the AppTest page tests: a page file run against a fresh database (a SQLite file,
or PostgreSQL with PMAS_TESTE_PG_URL: tests/conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import database_url

ROOT = Path(__file__).resolve().parent.parent


def page(
    monkeypatch, tmp_path, name: str, *, exemplo: bool = True, files: dict[str, bytes] | None = None
) -> AppTest:
    """``pages/<name>.py`` ready to run on a new database under ``tmp_path``.

    With ``exemplo`` the app loads the example data on its first run, as in production; without
    it the database holds only ``files`` (name → bytes), imported through the real pipeline.
    """
    url = database_url(tmp_path)
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.setenv("PMAS_EXEMPLO", "1" if exemplo else "0")
    st.cache_data.clear()
    st.cache_resource.clear()
    if files:
        from pmas.dados.plano import DEFAULT_PLANO
        from pmas.dados.store import Store
        from pmas.entrada.pipeline import import_file

        store = Store(url)
        for filename, data in files.items():
            result = import_file(store, data, filename, DEFAULT_PLANO, usuario="teste")
            assert result.situacao == "importado", result.as_dict()
    return AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=120)


def example_file(ano: int) -> dict[str, bytes]:
    path = ROOT / "data" / "exemplo" / f"pmas_londrina_{ano}.xlsx"
    return {path.name: path.read_bytes()}


def texts(at: AppTest) -> str:
    """Every text the page shows (markdown, captions, alerts, headers, metrics), joined."""
    parts = []
    for kind in (
        "markdown",
        "caption",
        "info",
        "warning",
        "success",
        "error",
        "header",
        "subheader",
        "title",
    ):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    return "\n".join(parts)


def links(at: AppTest) -> list[str]:
    """The pages the screen links to (AppTest renders ``st.page_link`` as a Markdown link)."""
    import re

    return [m.group(1) for e in at.markdown for m in re.finditer(r"\]\((/[^)]*)\)", e.value)]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def figures(at: AppTest) -> list[dict]:
    """The Plotly figures (as JSON) the page draws: those of ``st.plotly_chart``, then those of
    the light chart component (pmas.ui.grafico, the overview's), each kind in page order."""
    out = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    for c in at.get("bidi_component"):
        if c.proto.component_name == "pmas.grafico":
            out.append(json.loads(json.loads(c.proto.json)["figura"]))
    return out


def chart(at: AppTest, index: int) -> dict:
    """The Plotly figure (as JSON) of the page's ``index``-th chart."""
    return figures(at)[index]


def html_table(at: AppTest, caption: str):
    """The light HTML table (pmas.ui.tabela) captioned ``caption``, as a frame of its texts
    (columns from its header row, the row headers as a column)."""
    import pandas as pd

    from tests.test_tabela_html import parse

    for h in at.html:
        if not h.value.startswith('<div class="pmas-tabela"'):
            continue
        t = parse(h.value)
        if t.caption != caption:
            continue
        header = [c[2] for c in t.cells if c[1].get("scope") == "col"]
        body = [c[2] for c in t.cells if c[1].get("scope") != "col"]
        n = len(header)
        return pd.DataFrame([body[i : i + n] for i in range(0, len(body), n)], columns=header)
    raise AssertionError(f"no table captioned {caption!r}")
