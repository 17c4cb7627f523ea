"""Imported text is shown as text, never as markup (issue #12, item 4).

A hostile corpus (links, images, HTML, Markdown emphasis, Streamlit's colour and icon directives,
``javascript:`` URLs) is put into every free-text column of the example workbooks and into the
plan's names (municipality, plan, eixos); every screen is then run (AppTest) and:

* every element Streamlit renders as Markdown (markdown, captions, alerts, headers, metric and
  widget labels, expanders, tabs, radio options) must not hold any corpus text verbatim: each
  of them carries characters Markdown would act on, so a verbatim copy is an unescaped one;
* every string of every Plotly figure (labels, hovers, tick texts, legend names, titles) must not
  hold any HTML tag a corpus text brought (Plotly renders ``<a href>``, ``<b>``, ``<span>``…).
"""

from __future__ import annotations

import dataclasses
import io
import re
import zlib

import openpyxl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pmas.dados.plano import LONDRINA
from pmas.dados.store import Store
from pmas.entrada.pipeline import import_file
from pmas.saida import charts
from pmas.ui.components import escape_md
from tests import paginas
from tests.conftest import ROOT

HOSTIS = (
    "[ZQX01 clique aqui](http://phish.example/login)",
    "![ZQX02](http://img.example/rastreio.png)",
    "<b>ZQX03</b> <i>x</i>",
    "**ZQX04 ALERTA** _urgente_",
    ":red[ZQX05 ALERTA VERMELHO]",
    '<a href="javascript:alert(1)">ZQX06</a>',
    "~~ZQX07~~ `codigo`",
    "<img src=x onerror=alert(1)>ZQX08",
    ":material/warning: ZQX09",
    "ZQX10 https://phish.example/x <span style='color:red'>y</span>",
    "# ZQX11 título falso",
    "[ZQX12]: http://ref.example",
)

# Free-text columns of the example workbooks (by header), each cell given a corpus text
# (chosen by the original text, so the same value gets the same suffix in every year).
FREE_TEXT = {
    "Diretriz",
    "Ação",
    "Meta",
    "Indicador",
    "Justificativa",
    "Responsável",
    "Território",
    "Fonte de recurso",
    "Região",
    "Local",
    "Público",
    "Fonte",
}


def _hostil(original: object) -> str:
    return HOSTIS[zlib.crc32(str(original).encode()) % len(HOSTIS)]


def _hostile_workbook(path) -> bytes:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        header_row, columns = None, set()
        for row in ws.iter_rows():
            values = [c.value for c in row]
            if header_row is None:
                if sum(v in FREE_TEXT for v in values) >= 2 or "Indicador" in values:
                    header_row = row[0].row
                    columns = {i for i, v in enumerate(values) if v in FREE_TEXT}
                continue
            for i in columns:
                cell = row[i]
                if isinstance(cell.value, str) and cell.value.strip():
                    cell.value = f"{cell.value} {_hostil(cell.value)}"
    if "Conferências" in wb.sheetnames:  # a Total row that disagrees: the divergence warning
        ws = wb["Conferências"]
        head = [c.value for c in ws[3]]
        first = [c.value for c in ws[4]]
        seg, part = head.index("Segmento"), head.index("Participantes")
        total = list(first)
        total[seg], total[part] = "Total", (first[part] or 0) + 1000
        ws.append(total)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


PLANO = dataclasses.replace(
    LONDRINA,
    municipio="Londrina [ZQX20](http://phish.example)",
    nome="PMAS **ZQX21** <b>2022-2025</b>",
    eixos=tuple(
        dataclasses.replace(
            e, nome=f"{e.nome} {HOSTIS[i % len(HOSTIS)]}", curto=f"{e.curto} :red[ZQX22]"
        )
        for i, e in enumerate(LONDRINA.eixos)
    ),
)


@pytest.fixture(scope="module")
def banco(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('marcacao') / 'pmas.db'}"
    store = Store(url)
    for path in sorted((ROOT / "data" / "exemplo").glob("*.xlsx")):
        result = import_file(store, _hostile_workbook(path), path.name, PLANO, usuario="**ZQX30**")
        erros = [a for a in result.as_dict()["achados"] if a["nivel"] == "erro"]
        assert result.situacao == "importado", erros[:3]
    store.engine.dispose()
    return url


MARKDOWN_KINDS = (
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "header",
    "subheader",
    "title",
)


def _markdown_texts(at: AppTest) -> list[str]:
    """What this run drew that Streamlit renders as Markdown."""
    out = []
    for kind in MARKDOWN_KINDS:
        out += [str(e.value) for e in getattr(at, kind)]
    out += [m.label for m in at.metric]
    out += [e.label for e in at.expander]
    out += [t.label for t in at.tabs]
    for kind in ("selectbox", "multiselect", "radio", "checkbox", "toggle", "text_input", "button"):
        out += [str(w.label) for w in at.get(kind) if hasattr(w, "label")]
    for r in at.radio:
        out += [str(o) for o in r.options]
    return out


def _figure_strings(at: AppTest) -> list[str]:
    found: list[str] = []

    def walk(v):
        if isinstance(v, str):
            found.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for fig in paginas.figures(at):
        walk(fig)
    return found


# any tag of a corpus text, as Plotly would render it
HOSTILE_TAG = re.compile(r"<(a|img|span|i|s|u|em|sup|sub|font)\b|<b>\s*ZQX", re.IGNORECASE)

SCREENS = [p.stem for p in sorted((ROOT / "pages").glob("*.py"))]


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("query", [{}, {"eixo": "1"}], ids=["sem_filtro", "eixo_1"])
def test_no_imported_text_becomes_markup_on_any_screen(banco, monkeypatch, screen, query):
    monkeypatch.setenv("PMAS_DATABASE_URL", banco)
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "pages" / f"{screen}.py"), default_timeout=180)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    markdown = _markdown_texts(at)
    leaks = [(h, t[:200]) for t in markdown for h in HOSTIS if h in t]
    assert leaks == []
    # the plan's names and the importer's name, shown only escaped if at all
    for t in markdown:
        assert "[ZQX20](" not in t and "**ZQX21**" not in t and "**ZQX30**" not in t, t
    tags = [s[:200] for s in _figure_strings(at) if HOSTILE_TAG.search(s)]
    assert tags == []


def test_the_corpus_does_reach_the_screens(banco, monkeypatch):
    """The test above would pass on empty screens: the corpus is really shown (escaped)."""
    monkeypatch.setenv("PMAS_DATABASE_URL", banco)
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    st.cache_data.clear()
    st.cache_resource.clear()
    seen = {}
    for screen in ("visao-geral", "eixos", "conferencias"):
        at = AppTest.from_file(str(ROOT / "pages" / f"{screen}.py"), default_timeout=180).run()
        seen[screen] = "\n".join(_markdown_texts(at) + _figure_strings(at))
    assert escape_md(PLANO.municipio) in seen["visao-geral"]
    assert "ZQX" in seen["eixos"] and "ZQX" in seen["conferencias"]
    assert "a linha Total informa" in seen["conferencias"]  # the divergence warning is shown
    assert charts.escape_html("<b>ZQX03</b>") in seen["eixos"] + seen["visao-geral"]


def test_the_escaping_helpers():
    assert escape_md("[a](http://x.y) **b** :red[c] <b>") == (
        r"\[a\]\(http\://x\.y\) \*\*b\*\* \:red\[c\] \<b\>"
    )
    assert charts.escape_html('<a href="x">&amp;</a>') == '&lt;a href="x"&gt;&amp;amp;&lt;/a&gt;'
    assert charts.escape_html(None) == ""


# --- the Importar screen: a hostile file's report, questions and preview -------------------------

SHEET_HOSTIL = "**ZQX40** <b>x</b> :red[ZQX41]"  # no Excel would save it: written into the XML
ARQUIVO_HOSTIL = "[ZQX42](http://phish.example) **x** <img src=y>.xlsx"
COLUNA_HOSTIL = "[ZQX43](http://phish.example/col)"
SITUACAO_HOSTIL = "**ZQX44** :red[quase]"
REDUCAO_HOSTIL = "Reduzir a fila [ZQX45](http://phish.example/meta) <b>já</b>"
IMPORTAR_HOSTIS = (SHEET_HOSTIL, ARQUIVO_HOSTIL, COLUNA_HOSTIL, SITUACAO_HOSTIL, REDUCAO_HOSTIL)


def _importar_hostil() -> bytes:
    from tests import corpus as C

    e1 = LONDRINA.eixos[0].nome
    rows = [
        ["Código", "Eixo", "Ação", "Previsto", "Realizado", "Situação", COLUNA_HOSTIL, "Ano"],
        ["1.1", e1, REDUCAO_HOSTIL, 20, 25, None, "x", 2023],
        ["1.2", e1, f"Ampliar {HOSTIS[0]}", 10, 5, SITUACAO_HOSTIL, "y", 2023],
        ["1.3", e1, f"Manter {HOSTIS[1]}", 10, 10, "Realizada", "z", 2023],
    ]
    escrito = SHEET_HOSTIL.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return C.rewrite(
        C.xlsx({"Metas": rows}),
        replace={
            "xl/workbook.xml": lambda x: x.replace(
                b'name="Metas"', b'name="' + escrito.encode() + b'"'
            )
        },
    )


def test_the_importar_preview_of_a_hostile_file_shows_no_markup(tmp_path, monkeypatch):
    from pmas.acesso import auth
    from tests import test_page_importar as pagina

    url = f"sqlite:///{tmp_path / 'pmas.db'}"
    Store(url).create_plan(LONDRINA, usuario="teste")
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    monkeypatch.setenv(auth.ENV_SENHA, pagina.SENHA)
    monkeypatch.delenv(auth.ENV_GESTORES, raising=False)
    monkeypatch.setattr(auth, "_sleep", lambda _s: None)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = pagina._login(pagina._app())
    at = pagina._upload(at, ARQUIVO_HOSTIL, _importar_hostil())
    _no_markup(at)
    shown = _markdown_texts(at)
    everything = "\n".join(shown + [d.value.to_string() for d in at.dataframe])
    # the file really was read, its questions asked and its report shown
    assert "ZQX40" in everything and "ZQX43" in everything and "ZQX44" in everything
    assert any("ZQX45" in t for t in shown)  # the reduction question's label
    assert any("ZQX43" in t for t in shown)  # the unknown column's question
    assert pagina.T["confirmar"] not in pagina._buttons(at)  # the unknown status: an error
    # the status taught, the reduction confirmed: the file is fine and its preview is shown
    status = next(b for b in at.selectbox if "ZQX44" in b.label)
    status.select("Parcialmente realizada")
    at = pagina._run(at)
    reducao = next(b for b in at.selectbox if "ZQX45" in b.label)
    reducao.select("sim")
    at = pagina._run(at)
    assert pagina.T["confirmar"] in pagina._buttons(at)
    assert pagina.T["previa"] in [h.value for h in at.subheader]
    previa = "\n".join(d.value.to_string() for d in at.dataframe)
    assert "ZQX45" in previa and "ZQX01" in previa  # the goals' texts, as table cells
    _no_markup(at)


def _no_markup(at: AppTest) -> None:
    shown = _markdown_texts(at)
    leaks = [(h, t[:200]) for t in shown for h in (*HOSTIS, *IMPORTAR_HOSTIS) if h in t]
    assert leaks == []
    for t in shown:
        assert "](http" not in t.replace("\\]\\(http", ""), t
    tags = [s[:200] for s in _figure_strings(at) if HOSTILE_TAG.search(s)]
    assert tags == []
