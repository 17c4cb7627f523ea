"""The Plano screen in a real browser: a manager (local mode) creates Maringá's plan from an
uploaded spreadsheet (eixos proposed), imports the same file on Importar, and every screen and
the blank template say Maringá, never Londrina. A brand-new municipality on Importar: a file
without a Plano sheet leads to the Plano screen with that file's eixos proposed; a file with the
sheet creates its plan on import (said before confirming)."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import urlparse

import pytest

from pmas import textos
from tests.e2e.conftest import App, screenshot, wait_ready
from tests.plano_maringa import planilha, sem_aba_plano
from tests.test_page_plano import ARQUIVO

pytestmark = pytest.mark.e2e

T = textos.PLANO_TELA
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def app(tmp_path_factory, browser):
    env = {
        "PMAS_EXEMPLO": "0",
        "PMAS_SENHA_GESTOR": None,  # unset: local mode
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    }
    running = App(tmp_path_factory.mktemp("e2e_plano") / "pmas.db", env=env)
    yield running
    running.stop()


def _main(page) -> str:
    return page.inner_text("[data-testid='stMain']")


def _type(page, label: str, value: str) -> None:
    field = page.locator(f"input[aria-label='{label}']").first
    field.fill(value)
    field.press("Tab")
    wait_ready(page)


def _upload(page, name: str, data: bytes = ARQUIVO) -> None:
    uploader = page.locator("[data-testid='stFileUploader']").first
    uploader.locator("input[type='file']").set_input_files(
        {"name": name, "mimeType": XLSX, "buffer": data}
    )
    uploader.locator(f"[data-testid='stFileChipName'][title='{name}']").wait_for(timeout=30_000)
    wait_ready(page)


def test_create_a_plan_from_a_file_import_into_it_and_see_the_name(app, page):
    page.goto(f"{app.url}/plano")
    page.wait_for_selector("h1:has-text('Plano')")
    wait_ready(page)
    assert T["nenhum"] in _main(page)
    _upload(page, "maringa.xlsx")
    page.wait_for_selector("text=6 eixos encontrados")
    eixos = page.get_by_role("textbox", name=T["eixos"]).input_value()
    assert eixos.splitlines()[0] == "1 = Proteção Social Básica"
    _type(page, T["municipio"], "Maringá")
    page.get_by_role("combobox", name=T["uf"]).click()
    page.keyboard.type("PR")
    page.keyboard.press("Enter")
    wait_ready(page)
    _type(page, T["ibge"], "4115200")
    _type(page, T["nome"], "PMAS 2022-2025")
    _type(page, T["inicio"], "2022")
    _type(page, T["fim"], "2025")
    screenshot(page, "plano_criar")
    page.get_by_role("button", name=T["criar"]).click()
    page.wait_for_selector("text=de Maringá criado (2022-2025, 6 eixos)")
    wait_ready(page)
    assert "Maringá/PR · PMAS 2022-2025" in page.inner_text("[data-testid='stSidebar']")
    screenshot(page, "plano_criado")

    # import the same file on Importar (same session: the local mode may write)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Importar").first.click()
    page.wait_for_selector("h1:has-text('Importar')")
    wait_ready(page)
    assert "Maringá" in _main(page)
    _upload(page, "maringa.xlsx")
    page.get_by_role("button", name=textos.IMPORTAR["confirmar"]).click()
    page.wait_for_selector("text=Importação concluída")
    wait_ready(page)

    # the blank template is the plan's
    page.get_by_role("tab", name=textos.IMPORTAR["aba_modelo"]).click()
    with page.expect_download() as info:
        page.get_by_role("button", name=textos.IMPORTAR["baixar_modelo"]).click()
    with open(info.value.path(), "rb") as f:
        pacote = zipfile.ZipFile(io.BytesIO(f.read()))
    xml = "".join(pacote.read(n).decode() for n in pacote.namelist() if n.endswith(".xml"))
    assert "Vigilância Socioassistencial" in xml and "Londrina" not in xml

    # the overview: Maringá's figures, nowhere Londrina
    page.locator("[data-testid='stSidebarNav'] a", has_text="Visão geral").first.click()
    page.wait_for_selector("[data-testid='stMetric']")
    wait_ready(page)
    texto = _main(page) + page.inner_text("[data-testid='stSidebar']")
    assert "Maringá" in texto and "Londrina" not in texto
    screenshot(page, "plano_visao_geral_maringa")
    _every_screen_says(page, "Maringá")


def _every_screen_says(page, municipio: str) -> None:
    """Open every screen of the navigation: each shows the municipality's name (the sidebar
    names it) and none says Londrina."""
    nav = page.locator("[data-testid='stSidebarNav'] a")
    hrefs = [nav.nth(i).get_attribute("href") for i in range(nav.count())]
    assert len(hrefs) >= 9, hrefs
    for href in hrefs:
        page.locator(f"[data-testid='stSidebarNav'] a[href='{href}']").first.click()
        caminho = urlparse(href).path or "/"
        page.wait_for_function(f"location.pathname === {caminho!r}")
        page.wait_for_selector("h1")
        wait_ready(page)
        texto = _main(page) + page.inner_text("[data-testid='stSidebar']")
        assert municipio in texto, href
        assert "Londrina" not in texto, (href, texto[:1500])
        assert "Traceback" not in texto, href


@pytest.fixture(scope="module")
def app_novo(tmp_path_factory, browser):
    env = {
        "PMAS_EXEMPLO": "0",
        "PMAS_SENHA_GESTOR": None,  # unset: local mode
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    }
    running = App(tmp_path_factory.mktemp("e2e_plano_novo") / "pmas.db", env=env)
    yield running
    running.stop()


def test_a_new_municipality_on_importar_goes_to_the_plano_screen_then_imports(app_novo, page):
    page.goto(f"{app_novo.url}/importar")
    page.wait_for_selector("h1:has-text('Importar')")
    wait_ready(page)
    assert "Ainda não há plano cadastrado" in _main(page)
    _upload(page, "maringa_2026.xlsx", sem_aba_plano())
    page.wait_for_selector("text=não tem a aba “Plano”")
    assert page.get_by_role("button", name=textos.IMPORTAR["confirmar"]).count() == 0
    screenshot(page, "importar_sem_plano")
    page.get_by_role("link", name=textos.IMPORTAR["criar_plano_do_arquivo"]).click()
    page.wait_for_selector("h1:has-text('Plano')")
    page.wait_for_selector("text=6 eixos encontrados em maringa_2026.xlsx")
    wait_ready(page)
    assert "enviado na tela Importar" in _main(page)
    eixos = page.get_by_role("textbox", name=T["eixos"]).input_value().splitlines()
    assert eixos[0] == "1 = Proteção Social Básica"
    assert eixos[5] == "6 = Vigilância Socioassistencial"
    _type(page, T["municipio"], "Maringá")
    _type(page, T["nome"], "PMAS 2026-2029")
    page.get_by_role("button", name=T["criar"]).click()
    page.wait_for_selector("text=de Maringá criado (2026-2029, 6 eixos)")
    wait_ready(page)
    page.get_by_role("link", name=T["voltar_importar"]).click()
    page.wait_for_selector("h1:has-text('Importar')")
    wait_ready(page)
    _upload(page, "maringa_2026.xlsx", sem_aba_plano())
    page.get_by_role("button", name=textos.IMPORTAR["confirmar"]).click()
    page.wait_for_selector("text=Importação concluída")
    wait_ready(page)
    _every_screen_says(page, "Maringá")


@pytest.fixture(scope="module")
def app_aba(tmp_path_factory, browser):
    env = {
        "PMAS_EXEMPLO": "0",
        "PMAS_SENHA_GESTOR": None,  # unset: local mode
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    }
    running = App(tmp_path_factory.mktemp("e2e_plano_aba") / "pmas.db", env=env)
    yield running
    running.stop()


def test_a_file_with_a_plano_sheet_creates_its_plan_on_import(app_aba, page):
    page.goto(f"{app_aba.url}/importar")
    page.wait_for_selector("h1:has-text('Importar')")
    wait_ready(page)
    _upload(page, "maringa_2026.xlsx", planilha())
    page.wait_for_selector(
        "text=O plano PMAS 2026-2029 de Maringá (2026-2029, 6 eixos) será criado."
    )
    screenshot(page, "importar_plano_sera_criado")
    page.get_by_role("button", name=textos.IMPORTAR["confirmar"]).click()
    page.wait_for_selector("text=Importação concluída")
    page.wait_for_selector("text=(2026-2029, 6 eixos) foi criado")
    wait_ready(page)
    assert "Maringá/PR · PMAS 2026-2029" in page.inner_text("[data-testid='stSidebar']")
    _every_screen_says(page, "Maringá")

    # the plan's workbook, downloaded on the Plano screen, goes back into the same plan
    page.goto(f"{app_aba.url}/plano")
    page.wait_for_selector("h1:has-text('Plano')")
    wait_ready(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=T["baixar_plano"]).click()
    with open(info.value.path(), "rb") as f:
        exportado = f.read()
    page.goto(f"{app_aba.url}/importar")
    page.wait_for_selector("h1:has-text('Importar')")
    wait_ready(page)
    _upload(page, "plano_exportado.xlsx", exportado)
    page.wait_for_selector("text=confere com o plano PMAS 2026-2029 de Maringá")
    page.wait_for_selector("text=As metas deste ano ficam iguais às da versão atual.")
