"""The Plano screen in a real browser: a manager (local mode) creates Maringá's plan from an
uploaded spreadsheet (eixos proposed), imports the same file on Importar, and the sidebar, the
overview and the blank template say Maringá, never Londrina."""

from __future__ import annotations

import io
import zipfile

import pytest

from pmas import textos
from tests.e2e.conftest import App, screenshot, wait_ready
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


def _upload(page, name: str) -> None:
    uploader = page.locator("[data-testid='stFileUploader']").first
    uploader.locator("input[type='file']").set_input_files(
        {"name": name, "mimeType": XLSX, "buffer": ARQUIVO}
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
