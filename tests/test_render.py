"""The report's chart renderer when the browser misbehaves: a browser that never answers is
stopped at the timeout, one that crashes at start is reported with an error code, both as
:class:`RenderUnavailable` with a Portuguese reason; the report is then written without its
charts and says why. Real processes stand in for the broken browser (executable scripts named
by ``PMAS_CHROMIUM``), no mocks."""

from __future__ import annotations

import stat
import time

import plotly.graph_objects as go
import pytest

from pmas.saida import render


def _browser(tmp_path, body: str):
    script = tmp_path / "chromium-quebrado"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def _fig() -> go.Figure:
    return go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))


def test_a_browser_that_never_answers_is_stopped_at_the_timeout(tmp_path, monkeypatch):
    monkeypatch.setenv("PMAS_CHROMIUM", str(_browser(tmp_path, "exec sleep 600")))
    start = time.monotonic()
    with pytest.raises(render.RenderUnavailable) as exc:
        render.png_images([_fig()], timeout=3)
    assert "não terminou os gráficos em 3 s" in str(exc.value)
    assert time.monotonic() - start < 60  # stopped, not left waiting for the sleep's 600 s


def test_a_browser_that_crashes_at_start_is_reported_with_an_error_code(tmp_path, monkeypatch):
    monkeypatch.setenv("PMAS_CHROMIUM", str(_browser(tmp_path, "echo quebrou >&2; exit 1")))
    with pytest.raises(render.RenderUnavailable) as exc:
        render.png_images([_fig()], timeout=30)
    message = str(exc.value)
    assert message.startswith("falha ao desenhar os gráficos no navegador"), message
    assert "código do erro" in message


def test_a_named_browser_that_does_not_exist_says_which(tmp_path, monkeypatch):
    monkeypatch.setenv("PMAS_CHROMIUM", str(tmp_path / "nao-existe"))
    with pytest.raises(render.RenderUnavailable) as exc:
        render.png_images([_fig()])
    assert str(tmp_path / "nao-existe") in str(exc.value)


def test_the_report_is_written_without_charts_and_says_why(tmp_path, monkeypatch, store):
    import io

    from docx import Document

    from pmas.dados.plano import LONDRINA
    from pmas.saida.report import build_report
    from tests.conftest import xlsx
    from tests.test_layouts import HEADER, imported, plain_rows

    store.ensure_plan(LONDRINA)
    imported(store, LONDRINA, xlsx({"Metas 2023": [HEADER] + plain_rows()}))
    monkeypatch.setenv("PMAS_CHROMIUM", str(_browser(tmp_path, "echo quebrou >&2; exit 1")))
    result = build_report(store, 2023, LONDRINA.municipio, charts=True)
    # the note shown beside the download says why, with the error code
    assert result.notas[0].startswith("Gráficos omitidos: falha ao desenhar os gráficos")
    assert "código do erro" in result.notas[0]
    Document(io.BytesIO(result.conteudo))  # a document Word opens
    assert result.graficos == 0 and result.sem_graficos
    assert b"word/media/" not in result.conteudo  # no image in the package
