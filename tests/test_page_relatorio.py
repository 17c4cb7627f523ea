"""The Relatório screen (AppTest): it renders, a manager saves the fields, the button builds the
report and offers it for download; a reader cannot save."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pmas.acesso import auth
from pmas.dados.store import Store
from pmas.saida import render
from pmas.ui import acesso
from tests.conftest import ROOT, database_url

SENHA = "senha-de-teste"
K_RESULTADO = "_pmas_relatorio"


@pytest.fixture(autouse=True)
def fresh(tmp_path, monkeypatch):
    """A new database file (the app loads the example data into it) and clean caches."""
    monkeypatch.setenv("PMAS_DATABASE_URL", database_url(tmp_path))
    monkeypatch.delenv("PMAS_EXEMPLO", raising=False)
    monkeypatch.setenv(auth.ENV_SENHA, SENHA)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def app(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "relatorio.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def as_manager(at: AppTest, nome: str = "Ana") -> None:
    """What a correct manager password leaves in the session (the sign-in itself is tested with
    pmas.acesso.auth)."""
    at.session_state[acesso.K_SENHA] = auth.password_fingerprint(SENHA)
    at.session_state[acesso.K_NOME] = nome


def widget(elements, label: str):
    return next(w for w in elements if w.label.startswith(label))


def stored_fields(ano: int) -> dict:
    store = Store()
    return store.report_fields(store.plan()[0], ano)


def test_renders_with_the_year_from_the_sidebar():
    at = app(ano="2022")
    assert not at.exception
    assert at.title[0].value == "Relatório"
    assert "Elaboração e aprovação do relatório de 2022" in [s.value for s in at.subheader]
    # the access box (log in as a manager) comes first, then the form and the report
    assert [b.label for b in at.button][-2:] == ["Salvar os dados do relatório", "Gerar relatório"]
    assert not at.get("download_button")


def test_manager_saves_fields_and_they_come_back_prefilled():
    at = app(ano="2022")
    as_manager(at)
    widget(at.text_input, "Elaborado por").set_value("a Diretoria de Gestão do SUAS/SMAS")
    widget(at.text_area, "Comissões").set_value("Comissão de Inscrição\nComissão de Fundo")
    widget(at.date_input, "Data da aprovação").set_value(dt.date(2023, 11, 8))
    widget(at.text_input, "Número da resolução").set_value("083/2022")
    widget(at.button, "Salvar").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Dados do relatório de 2022 salvos."]
    assert stored_fields(2022) == {
        "elaborado_por": "a Diretoria de Gestão do SUAS/SMAS",
        "comissoes": ["Comissão de Inscrição", "Comissão de Fundo"],
        "data_aprovacao": "08/11/2023",
        "resolucao": "083/2022",
    }
    assert stored_fields(2023) == {}  # kept per year

    again = app(ano="2022")
    assert widget(again.text_input, "Elaborado por").value == "a Diretoria de Gestão do SUAS/SMAS"
    assert widget(again.date_input, "Data da aprovação").value == dt.date(2023, 11, 8)
    assert widget(again.text_area, "Comissões").value == "Comissão de Inscrição\nComissão de Fundo"


def test_reader_cannot_save():
    at = app(ano="2022")
    assert any(b.label == "Entrar como gestor" for b in at.button)  # the way to log in
    widget(at.text_input, "Elaborado por").set_value("alguém")
    widget(at.button, "Salvar").click().run()
    assert any("Só um gestor" in e.value for e in at.error)
    assert stored_fields(2022) == {}


def test_button_builds_the_report_and_offers_the_download(monkeypatch):
    at = app(ano="2023")
    at.toggle(key="relatorio_graficos").set_value(False)
    widget(at.button, "Gerar relatório").click().run()
    assert not at.exception
    assert any(s.value.startswith("Relatório de 2023 pronto") for s in at.success)
    assert any("Gráficos omitidos" in w.value for w in at.warning)
    button = at.get("download_button")
    assert len(button) == 1 and button[0].label == "Baixar o relatório (.docx)"
    result = at.session_state[K_RESULTADO]["resultado"]
    assert result.nome_arquivo == "relatorio_monitoramento_pmas_londrina_2023.docx"
    document = docx.Document(io.BytesIO(result.conteudo))
    assert document.paragraphs[0].text.endswith("Ano 2023")


def test_without_a_browser_the_screen_says_why(monkeypatch):
    monkeypatch.setenv("PMAS_CHROMIUM", "/nao/existe/chromium")
    at = app(ano="2022")
    widget(at.button, "Gerar relatório").click().run()
    assert not at.exception
    assert any(
        "Gráficos omitidos" in w.value and "/nao/existe/chromium" in w.value for w in at.warning
    )
    assert len(at.get("download_button")) == 1


@pytest.mark.skipif(render.browser_path() is None, reason="sem navegador Chromium")
def test_with_the_browser_the_report_has_charts():
    at = app(ano="2022")
    widget(at.button, "Gerar relatório").click().run()
    assert not at.exception
    result = at.session_state[K_RESULTADO]["resultado"]
    assert result.graficos > 0 and result.sem_graficos is None
    assert not any("Gráficos omitidos" in w.value for w in at.warning)
