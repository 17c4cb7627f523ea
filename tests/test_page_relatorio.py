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
from pmas.dados import aprovacao
from pmas.dados.store import Store
from pmas.saida import render
from pmas.saida.relatorio import pdf
from pmas.ui.components import escape_md
from tests.conftest import ROOT, database_url, logged_in_with_password

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
    logged_in_with_password(at.session_state, nome, SENHA)


def widget(elements, label: str):
    return next(w for w in elements if w.label.startswith(label))


def stored_fields(ano: int) -> dict:
    store = Store()
    return store.report_fields(store.plan()[0], ano)


def test_renders_with_the_year_from_the_sidebar():
    at = app(ano="2022")
    assert not at.exception
    assert at.title[0].value == "Relatório"
    subheaders = [s.value for s in at.subheader]
    assert subheaders[:4] == [
        "Gerar o relatório",
        "Aprovação do relatório de 2022 no CMAS",
        "Elaboração e aprovação do relatório de 2022",
        "Modelos dos documentos (Word)",
    ]
    labels = [b.label for b in at.button]
    assert "Gerar relatório" in labels and "Salvar os dados do relatório" in labels
    assert "Enviar ao CMAS" in labels  # the only step possible from Rascunho
    assert "Registrar a aprovação" not in labels
    assert [b.label for b in at.get("download_button")] == [
        "Baixar o modelo do relatório (.docx)",
        "Baixar o modelo da Devolutiva (.docx)",
    ]
    assert any("Campos obrigatórios em branco" in w.value for w in at.warning)


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


def test_control_characters_typed_in_fields_are_removed_with_a_note():
    at = app(ano="2022")
    as_manager(at)
    widget(at.text_input, "Elaborado por").set_value("a Diretoria\x01 de Gestão")
    widget(at.text_area, "Comissões").set_value("Comissão\x1b de Fundo")
    widget(at.text_input, "Número da resolução").set_value("083/2022")
    widget(at.button, "Salvar").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Dados do relatório de 2022 salvos."]
    assert [i.value for i in at.info if "Caracteres de controle" in i.value] == [
        "Caracteres de controle invisíveis foram removidos de: Elaborado por, Comissões do "
        "CMAS que discutiram o relatório (o documento não pode contê-los)."
    ]
    assert stored_fields(2022) == {
        "elaborado_por": "a Diretoria de Gestão",
        "comissoes": ["Comissão de Fundo"],
        "resolucao": "083/2022",
    }


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
    button = [b for b in at.get("download_button") if b.label == "Baixar o relatório (.docx)"]
    assert len(button) == 1
    result = at.session_state[K_RESULTADO]["resultado"]
    assert result.nome_arquivo == "relatorio_monitoramento_pmas_londrina_2023.docx"
    document = docx.Document(io.BytesIO(result.conteudo))
    assert document.paragraphs[0].text.endswith("Ano 2023")
    if pdf.available():
        assert any(b.label == "Gerar o PDF (PDF/A)" for b in at.button)


def test_without_a_browser_the_screen_says_why(monkeypatch):
    monkeypatch.setenv("PMAS_CHROMIUM", "/nao/existe/chromium")
    at = app(ano="2022")
    widget(at.button, "Gerar relatório").click().run()
    assert not at.exception
    assert any(
        "Gráficos omitidos" in w.value and "/nao/existe/chromium" in w.value for w in at.warning
    )
    assert any(b.label == "Baixar o relatório (.docx)" for b in at.get("download_button"))


@pytest.mark.skipif(render.browser_path() is None, reason="sem navegador Chromium")
def test_with_the_browser_the_report_has_charts():
    at = app(ano="2022")
    widget(at.button, "Gerar relatório").click().run()
    assert not at.exception
    result = at.session_state[K_RESULTADO]["resultado"]
    assert result.graficos > 0 and result.sem_graficos is None
    assert not any("Gráficos omitidos" in w.value for w in at.warning)


# --- the approval workflow on the screen ---------------------------------------------------------


def step(at: AppTest, label: str) -> AppTest:
    return widget(at.button, label).click().run()


def test_manager_moves_the_report_through_every_state():
    at = app(ano="2023")
    as_manager(at, "Ana")
    at.toggle(key="relatorio_graficos").set_value(False)
    step(at, "Enviar ao CMAS")
    assert not at.exception
    assert any(
        m.value.startswith(":material/send: Situação: **Enviado ao CMAS**") for m in at.markdown
    )
    step(at, "Registrar a análise nas comissões")
    assert "Em análise nas comissões" in "".join(m.value for m in at.markdown)
    step(at, "Registrar a devolução")  # no recommendations typed: refused
    assert any("Preencha “Recomendações do CMAS”" in e.value for e in at.error)
    widget(at.text_area, "Recomendações do CMAS").set_value("Incluir o orçamento.")
    step(at, "Registrar a devolução")
    assert "Devolvido com recomendações" in "".join(m.value for m in at.markdown)
    step(at, "Enviar ao CMAS")
    widget(at.text_input, "Número da resolução").set_value("012/2024")
    at.date_input(key="et_data_2023").set_value(dt.date(2024, 3, 20))
    step(at, "Registrar a aprovação")
    assert not at.exception
    texto = "".join(m.value for m in at.markdown)
    assert "Situação: **Aprovado**" in texto
    assert any("Aprovação congelada: dados na versão 1" in c.value for c in at.caption)
    assert any(b.label == "Baixar o documento aprovado (.docx)" for b in at.get("download_button"))
    widget(at.text_input, "Veículo de publicação").set_value("o J.O.M.")
    widget(at.text_input, "Edição").set_value("5100")
    at.date_input(key="et_pub_2023").set_value(dt.date(2024, 3, 25))
    step(at, "Registrar a publicação")
    texto = "".join(m.value for m in at.markdown)
    assert "Situação: **Publicado**" in texto
    store = Store()
    s = aprovacao.situacao(store, store.plan()[0], 2023)
    assert [e.estado for e in s.etapas] == [
        "enviado",
        "em_analise",
        "devolvido",
        "enviado",
        "aprovado",
        "publicado",
    ]
    assert {e.usuario for e in s.etapas} == {"Ana (senha de gestor)"} or all(
        "Ana" in e.usuario for e in s.etapas
    )
    assert stored_fields(2023)["resolucao"] == "012/2024"
    assert aprovacao.documento_aprovado(store, store.plan()[0], 2023)[0][:2] == b"PK"


def test_a_reader_cannot_move_the_report():
    at = app(ano="2023")
    step(at, "Enviar ao CMAS")
    assert any("Só um gestor" in e.value or "gestor" in e.value for e in at.error)
    store = Store()
    assert aprovacao.situacao(store, store.plan()[0], 2023).etapas == []


def test_overview_shows_the_year_s_report_status():
    store_app = app(ano="2023")  # creates the database with the example data
    assert not store_app.exception
    store = Store()
    from pmas.acesso import gestao
    from pmas.acesso.actor import SENHA as MODO_SENHA
    from pmas.acesso.actor import Actor

    gestao.mover_relatorio(store, store.plan()[0], 2023, "enviar", actor=Actor("Ana", MODO_SENHA))
    at = AppTest.from_file(str(ROOT / "pages" / "visao-geral.py"), default_timeout=120)
    at.query_params["ano"] = "2023"
    at.run()
    assert not at.exception
    assert any("relatório do ano: Enviado ao CMAS" in c.value for c in at.caption)


def test_fields_typed_on_the_screen_reach_the_document():
    at = app(ano="2023")
    as_manager(at)
    at.toggle(key="relatorio_graficos").set_value(False)
    widget(at.text_input, "Prefeito(a) Municipal").set_value("Maria da Silva")
    widget(at.text_input, "Secretário(a) Municipal").set_value("João Souza")
    widget(at.text_area, "Equipe de elaboração").set_value("Ana Lima\nBruno Reis")
    widget(at.text_input, "Veículo de publicação").set_value("o J.O.M.")
    widget(at.text_input, "Edição").set_value("5100")
    widget(at.selectbox, "Edição da conferência citada").set_value("nenhuma")
    widget(at.radio, "Comissão de acompanhamento").set_value("sim")
    widget(at.text_area, "Avanços (Eixo 1)").set_value("Lei do SUAS revisada.")
    widget(at.text_area, "Considerações finais").set_value("Um ano de avanços.")
    widget(at.button, "Salvar").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Dados do relatório de 2023 salvos."]
    widget(at.button, "Gerar relatório").click().run()
    result = at.session_state[K_RESULTADO]["resultado"]
    document = docx.Document(io.BytesIO(result.conteudo))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Prefeito(a) Municipal: Maria da Silva" in text
    assert "Secretário(a) Municipal de Assistência Social: João Souza" in text
    assert "Equipe de elaboração: Ana Lima; Bruno Reis" in text
    assert "publicada no J.O.M., edição 5100, em ________" in text
    assert "Nenhuma edição do processo conferencial é citada" in text
    assert "Em 2023, o acompanhamento do Plano contou com a comissão de acompanhamento" in text
    assert "Avanços: Lei do SUAS revisada." in text
    assert "Um ano de avanços." in text


# --- the Word templates: upload, use, refusal, readers, back to the default ---------------------

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report_template(texto: str) -> bytes:
    """The default report template with the approval paragraph in the municipality's words."""
    from pmas.saida.relatorio import modelo

    d = docx.Document(io.BytesIO(modelo.default_bytes()))
    for p in d.paragraphs:
        if p.text.startswith("O Relatório foi elaborado"):
            for r in p.runs[1:]:
                r._r.getparent().remove(r._r)
            p.runs[0].text = texto
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _upload(at: AppTest, indice: int, nome: str, conteudo: bytes, tipo: str) -> AppTest:
    at.get("file_uploader")[indice].set_value((nome, conteudo, DOCX_MIME))
    at.run()
    at.button(key=f"{tipo}_modelo_usar").click()
    return at.run()


def _stored(tipo: str):
    from pmas.saida.relatorio import modelo

    store = Store()
    return modelo.stored(store, store.plan()[0], tipo)


def test_manager_uploads_a_template_and_the_report_uses_it():
    at = app(ano="2023")
    as_manager(at)
    at.run()
    assert len(at.get("file_uploader")) == 2  # the report's and the Devolutiva's
    proprio = _report_template("Texto próprio de {{ municipio }} sobre o relatório de {{ ano }}.")
    at = _upload(at, 0, "modelo_londrina.docx", proprio, "relatorio")
    assert not at.exception
    nome_md = escape_md("modelo_londrina.docx")
    assert [s.value for s in at.success] == [f"Modelo “{nome_md}” guardado para este plano."]
    assert _stored("relatorio") == ("modelo_londrina.docx", proprio)
    assert any(f"modelo em uso: **{nome_md}**" in m.value for m in at.markdown)

    # the report generated on the screen uses it
    at.toggle(key="relatorio_graficos").set_value(False)
    widget(at.button, "Gerar relatório").click().run()
    assert not at.exception
    d = docx.Document(io.BytesIO(at.session_state[K_RESULTADO]["resultado"].conteudo))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Texto próprio de Londrina sobre o relatório de 2023." in text
    assert "O Relatório foi elaborado" not in text

    # a file that is not a .docx, then a template with broken Jinja: a Portuguese message, and
    # the template in use stays
    at = _upload(at, 0, "planilha.docx", b"isto nao e um docx", "relatorio")
    erros = [e.value for e in at.error]
    assert any(
        e.startswith("Modelo não aceito: ")
        and escape_md("O arquivo não é um modelo do Word (.docx) válido") in e
        and e.endswith("Nada foi gravado.")
        for e in erros
    ), erros
    quebrado = _report_template("Texto de {{ municipio sem fechar.")
    at = _upload(at, 0, "quebrado.docx", quebrado, "relatorio")
    erros = [e.value for e in at.error]
    assert any(
        e.startswith("Modelo não aceito: O modelo tem um marcador malformado") for e in erros
    )
    assert _stored("relatorio") == ("modelo_londrina.docx", proprio)

    # back to the default
    at.button(key="relatorio_modelo_padrao").click()
    at.run()
    assert not at.exception
    assert "O modelo padrão voltou a valer." in [s.value for s in at.success]
    assert _stored("relatorio") is None
    audit = Store().audit()
    assert sorted(audit[audit["acao"] == "modelo_relatorio"]["detalhe"]) == [
        "modelo do relatório: modelo_londrina.docx",
        "modelo do relatório: padrão restaurado",
    ]


def test_manager_uploads_a_devolutiva_template():
    from pmas.saida import devolutiva

    d = docx.Document(io.BytesIO(devolutiva.default_bytes()))
    d.paragraphs[0].runs[0].text = "O que fizemos com as deliberações de {{ edicao }}"
    buf = io.BytesIO()
    d.save(buf)
    at = app(ano="2024")
    as_manager(at)
    at.run()
    at = _upload(at, 1, "devolutiva.docx", buf.getvalue(), "devolutiva")
    assert not at.exception
    assert _stored("devolutiva")[0] == "devolutiva.docx"
    assert _stored("relatorio") is None
    from pmas.analise import consulta

    store = Store()
    doc = docx.Document(io.BytesIO(devolutiva.gerar(store, consulta.deliberacoes(store, 2023))))
    assert doc.paragraphs[0].text == "O que fizemos com as deliberações de 2023"


def test_a_reader_cannot_upload_a_template():
    at = app(ano="2023")
    assert not at.get("file_uploader")
    assert not [b for b in at.button if b.label == "Usar este modelo"]
    assert any("Só um gestor conectado envia um modelo" in c.value for c in at.caption)
    assert _stored("relatorio") is None and _stored("devolutiva") is None
