"""AppTest: example data and real data side by side on the screens, and "Remover dados de
exemplo" on the Plano screen (issue #11).

The app loads the example data on its first run (into "Londrina · PMAS 2022-2025 (exemplo)");
Londrina's real PMAS 2022-2025 is then created and takes a small real 2023. Each screen shows
one plan's figures: the real plan's 4 goals, or the example's 68, never a mix; the example
banner shows exactly when the example plan is on screen. A manager removes the example data
after a confirmation step; a reader cannot; it is not loaded again on the next start."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pmas import textos
from pmas.acesso import auth
from pmas.acesso.actor import linha_de_comando
from pmas.acesso.gestao import criar_plano
from pmas.dados.plano import LONDRINA
from pmas.dados.store import Store
from pmas.entrada.pipeline import import_file
from tests.conftest import ROOT, database_url
from tests.paginas import links, metrics, texts
from tests.test_exemplo_separado import ARQUIVO_REAL

SENHA = "senha-de-teste-bem-longa"
T = textos.PLANO_TELA
EXEMPLO = "PMAS 2022-2025 (exemplo)"


@pytest.fixture
def url(tmp_path, monkeypatch) -> str:
    url = database_url(tmp_path)
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.setenv("PMAS_EXEMPLO", "1")  # as in production: examples on the first run
    monkeypatch.delenv(auth.ENV_GESTORES, raising=False)
    monkeypatch.setattr(auth, "_sleep", lambda _s: None)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url
    st.cache_data.clear()
    st.cache_resource.clear()


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [(e.value, e.stack_trace) for e in at.exception]
    return at


def _page(name: str) -> AppTest:
    return _run(AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=120))


def _choose_plan(at: AppTest, nome: str) -> AppTest:
    next(s for s in at.sidebar.selectbox if s.key == "f_plano").set_value(nome)
    return _run(at)


def _banner(at: AppTest) -> bool:
    return any(textos.UI["banner_exemplo"] == i.value for i in at.info)


def _badge(at: AppTest) -> bool:
    return any(textos.UI["badge_exemplo"] in m.value for m in at.sidebar.markdown)


def _real_beside_example(url: str) -> Store:
    _page("visao-geral")  # the first run loads the example data
    store = Store(url)
    assert [p.nome for _, p in store.plans()] == [EXEMPLO]
    criar_plano(store, LONDRINA, actor=linha_de_comando())
    result = import_file(store, ARQUIVO_REAL, "londrina_2023.xlsx", LONDRINA, usuario="Ana")
    assert result.situacao == "importado"
    st.cache_data.clear()
    return store


def test_each_screen_shows_one_plan_and_the_banner_only_on_the_example(url, monkeypatch):
    monkeypatch.setenv(auth.ENV_SENHA, SENHA)
    _real_beside_example(url)

    at = _page("visao-geral")  # the real plan is the default (real data before the example's)
    assert at.sidebar.caption[0].value == "Londrina/PR · PMAS 2022\\-2025"  # escaped
    assert metrics(at) == {
        "Metas": "4",
        "% realizadas": "50,0%",
        "% realizadas ou parciais": "75,0%",
        "Índice de cumprimento": "62,5%",
    }
    assert not _banner(at) and not _badge(at)
    assert "2.804" not in texts(at)  # the example's conference is not the real plan's
    at = _choose_plan(at, EXEMPLO)
    assert metrics(at)["Metas"] == "68"
    assert _banner(at) and _badge(at)
    assert "2.804 participantes" in texts(at)
    # a reader (password mode, not logged in) gets no removal link
    assert "/plano" not in links(at)

    cmp = _page("comparativo")  # the real plan has one year: nothing borrowed from the example
    assert textos.COMPARATIVO["um_ano"].format(ano=2023) in texts(cmp)
    assert not _banner(cmp)
    cmp = _choose_plan(cmp, EXEMPLO)
    assert textos.COMPARATIVO["um_ano"].format(ano=2023) not in texts(cmp)
    assert _banner(cmp)
    assert next(s for s in cmp.selectbox if s.key == "cmp_para").options == [
        "2022",
        "2023",
        "2024",
    ]

    dados = _page("dados")
    assert not _banner(dados)
    assert "4" in texts(dados) or dados.dataframe  # the table is the real plan's
    assert len(dados.dataframe[0].value) == 4


def test_manager_removes_the_example_data_after_confirming(url, monkeypatch):
    monkeypatch.setenv(auth.ENV_SENHA, SENHA)
    _page("visao-geral")
    store = Store(url)
    assert store.example_plans()

    reader = _page("plano")
    assert T["exemplo_titulo"] in [h.value for h in reader.subheader]
    assert T["exemplo_remover"] not in {b.label for b in reader.button}

    at = _page("plano")
    at.text_input(key="acesso_nome").input("Maria")
    at.text_input(key="acesso_senha_valor").input(SENHA)
    next(b for b in at.button if b.label == textos.ACESSO["senha_botao"]).click()
    at = _run(at)
    at.button(key="exemplo_remover").click()
    at = _run(at)
    assert T["exemplo_confirmar_texto"].split("{")[0] in texts(at)
    assert store.example_plans()  # nothing removed before the confirmation
    at.button(key="exemplo_cancelar").click()
    at = _run(at)
    assert store.example_plans() and "exemplo_confirmar" not in {b.key for b in at.button}
    at.button(key="exemplo_remover").click()
    at = _run(at)
    at.button(key="exemplo_confirmar").click()
    at = _run(at)
    shown = re.sub(r"\\(.)", r"\1", texts(at))  # names typed by people are escaped
    assert "Dados de exemplo removidos: Londrina · PMAS 2022-2025 (exemplo) (4 versões" in shown
    assert store.plans() == [] and store.is_empty()
    log = store.audit()
    assert log["acao"].iloc[0] == "exemplo_removido"
    assert log["usuario"].iloc[0].startswith("Maria")

    # the next start does not load the example again (PMAS_EXEMPLO=1, an empty database)
    st.cache_resource.clear()
    again = _page("visao-geral")
    assert Store(url).plans() == []
    assert textos.UI["vazio"] in texts(again) or again.info


def test_banner_links_managers_to_the_removal(url, monkeypatch):
    monkeypatch.setenv(auth.ENV_SENHA, SENHA)
    reader = _page("visao-geral")
    assert _banner(reader) and "/plano" not in links(reader)  # a reader: no removal link
    # local mode (no password) from this very machine: the session may write
    monkeypatch.delenv(auth.ENV_SENHA)
    monkeypatch.setattr(auth, "is_local_request", lambda *_a: True)
    at = _page("visao-geral")
    assert _banner(at)
    assert "/plano" in links(at)


def test_importar_on_the_example_plan_says_so_and_stores_nothing(url, monkeypatch):
    monkeypatch.setenv(auth.ENV_SENHA, SENHA)
    _page("visao-geral")  # the example data, the only plan
    store = Store(url)
    antes = [v.id for v in store.versions()]
    at = _page("importar")
    at.text_input(key="acesso_nome").input("Maria")
    at.text_input(key="acesso_senha_valor").input(SENHA)
    next(b for b in at.button if b.label == textos.ACESSO["senha_botao"]).click()
    at = _run(at)
    assert textos.PLANO["exemplo_mistura"] in [w.value for w in at.warning]
    xlsx_mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at.get("file_uploader")[0].set_value(("londrina_2023.xlsx", ARQUIVO_REAL, xlsx_mime))
    at = _run(at)
    # the file is not checked against the example's plan: without a Plano sheet it is led to
    # the Plano screen (the municipality's own plan first), and nothing can be confirmed
    avisos = re.sub(r"\\(.)", r"\1", "\n".join(w.value for w in at.warning))
    assert textos.IMPORTAR["sem_plano"] in avisos
    assert "/plano" in links(at)
    assert textos.IMPORTAR["confirmar"] not in {b.label for b in at.button}
    assert [v.id for v in store.versions()] == antes  # nothing stored
    assert [p.nome for _, p in store.plans()] == [EXEMPLO]
