"""Importing in a real browser: the file goes through the uploader's <input type=file>, the
report and the preview show, confirming stores a version and the overview changes; undo brings
the previous one back. Two servers of their own (fresh databases, no example data): one with a
manager password, one in local mode (the browser runs on the same machine, 127.0.0.1)."""

from __future__ import annotations

import pytest

from pmas import textos
from tests.conftest import xlsx
from tests.e2e.conftest import App, screenshot, wait_ready
from tests.test_layouts import HEADER, plain_rows

pytestmark = pytest.mark.e2e

SENHA = "senha-do-teste-e2e"
# No file watcher: an edit to the sources while the tests run would put a "source changed"
# prompt where wait_ready looks for the running indicator.
QUIET = {"PMAS_EXEMPLO": "0", "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
T = textos.IMPORTAR
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _com_plano(pasta) -> object:
    """A database holding Londrina's plan (the files below are its 2023 goals): a municipality
    without a plan is never imported into a guessed one."""
    from pmas.dados.plano import LONDRINA
    from pmas.dados.store import Store

    db = pasta / "pmas.db"
    Store(f"sqlite:///{db}").create_plan(LONDRINA, usuario="teste")
    return db


@pytest.fixture(scope="module")
def app_senha(tmp_path_factory, browser):
    running = App(
        _com_plano(tmp_path_factory.mktemp("e2e_senha")),
        env={**QUIET, "PMAS_SENHA_GESTOR": SENHA},
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def app_local(tmp_path_factory, browser):
    running = App(
        _com_plano(tmp_path_factory.mktemp("e2e_local")), env={**QUIET, "PMAS_SENHA_GESTOR": None}
    )
    yield running
    running.stop()


def _metric(page, label: str) -> str:
    card = page.locator("[data-testid='stMetric']", has_text=label).first
    try:
        return card.locator("[data-testid='stMetricValue']").inner_text().strip()
    except Exception as exc:  # say what the screen showed instead (CI keeps only the output)
        raise AssertionError(f"no metric {label!r}; the screen shows:\n{_main(page)}") from exc


def _upload(page, name: str, data: bytes) -> None:
    """Choose the file in the uploader's <input type=file>, as a person's file dialog would."""
    uploader = page.locator("[data-testid='stFileUploader']")
    for attempt in range(2):  # a choice made while the widget was being redrawn can be lost
        uploader.locator("input[type='file']").set_input_files(
            {"name": name, "mimeType": XLSX, "buffer": data}
        )
        try:
            uploader.locator(f"[data-testid='stFileChipName'][title='{name}']").wait_for(
                timeout=10_000
            )
            break
        except Exception:
            if attempt:
                raise
    page.wait_for_selector(f"text={T['relatorio']}")
    wait_ready(page)


def _open(page, url: str, selector: str = "[data-testid='stTabs']") -> None:
    """A fresh page load (a new Streamlit session), waiting for the script to have drawn."""
    page.goto(url)
    page.wait_for_selector(selector)
    wait_ready(page)


def _go(page, title: str) -> None:
    """Change screens through the menu, keeping the session (and so the manager login)."""
    page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
    page.wait_for_selector(f"h1:has-text('{title}')")
    wait_ready(page)


def _shot(page, name: str) -> None:
    """A screenshot of the whole screen: the viewport grows to the main area's height (Streamlit
    scrolls inside it, so a full-page screenshot alone would stop at the fold)."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 600), 6000)})
    page.wait_for_timeout(400)
    screenshot(page, name)
    page.set_viewport_size(size)


def _main(page) -> str:
    return page.inner_text("[data-testid='stMain']")


def _rows(situacao_12: str = "Parcialmente realizada", erro: bool = False) -> bytes:
    rows = [HEADER] + plain_rows()
    rows[2][8] = situacao_12
    if erro:
        rows[3][8] = "Talvez"
    return xlsx({"Metas 2023": rows})


def test_manager_imports_a_file_and_the_overview_changes(app_senha, page):
    _open(page, f"{app_senha.url}/importar")
    assert page.locator("[data-testid='stFileUploader']").count() == 0  # a reader, so far
    page.get_by_label(textos.ACESSO["nome_rotulo"]).fill("Maria")
    page.get_by_label(textos.ACESSO["senha_rotulo"]).fill(SENHA)
    page.get_by_role("button", name=textos.ACESSO["senha_botao"]).click()
    page.wait_for_selector("[data-testid='stFileUploader']")
    wait_ready(page)
    _shot(page, "importar_gestor")

    # a file with an error: the report, no confirm button
    _upload(page, "metas com erro.xlsx", _rows(erro=True))
    assert _metric(page, T["erros"]) == "1"
    assert "nada foi gravado" in _main(page)
    assert page.get_by_role("button", name=T["confirmar"]).count() == 0
    _shot(page, "importar_erros")

    # the good file: preview, confirm, summary, overview
    _upload(page, "metas 2023.xlsx", _rows())
    assert _metric(page, T["novas"]) == "11"
    assert "ainda não há dados deste ano" in _main(page)
    _shot(page, "importar_previa")
    page.get_by_role("button", name=T["confirmar"]).click()
    page.wait_for_selector("text=Importação concluída")
    wait_ready(page)
    _shot(page, "importar_concluido")
    page.get_by_role("link", name=T["ver_visao_geral"]).click()
    page.wait_for_selector("[data-testid='stMetric']")
    wait_ready(page)
    assert _metric(page, "Metas") == "11"
    assert _metric(page, "% realizadas") == "33,3%"

    # a second version: the preview shows the changed goal; the overview changes again
    _go(page, "Importar")
    _upload(page, "metas 2023 revisada.xlsx", _rows("Realizada"))
    assert _metric(page, T["alteradas"]) == "1"
    text = _main(page)
    assert "hoje vale a versão 1" in text
    _shot(page, "importar_previa_alterada")
    page.get_by_role("button", name=T["confirmar"]).click()
    page.wait_for_selector("text=Importação concluída")
    page.get_by_role("link", name=T["ver_visao_geral"]).click()
    page.wait_for_selector("[data-testid='stMetric']")
    wait_ready(page)
    assert _metric(page, "% realizadas") == "44,4%"
    assert "metas 2023 revisada.xlsx" in page.inner_text("[data-testid='stSidebar']")
    _shot(page, "visao_geral_depois_da_importacao")

    # undo, from the versions tab, with its confirmation
    _go(page, "Importar")
    page.get_by_role("tab", name=T["aba_versoes"]).click()
    wait_ready(page)
    page.get_by_text("Confirmo que quero desfazer a versão 2 de 2023").click()
    wait_ready(page)
    page.get_by_role("button", name=T["desfazer_botao"]).click()
    page.wait_for_selector("text=a versão 1 voltou a ser a atual")
    wait_ready(page)
    page.get_by_role("tab", name=T["aba_versoes"]).click()
    _shot(page, "importar_versoes")
    page.get_by_role("tab", name=T["aba_registro"]).click()
    wait_ready(page)
    _shot(page, "importar_registro")
    _open(page, f"{app_senha.url}/visao-geral", "[data-testid='stMetric']")
    assert _metric(page, "% realizadas") == "33,3%"


def test_wrong_password_keeps_the_uploader_away(app_senha, page):
    _open(page, f"{app_senha.url}/importar")
    page.get_by_label(textos.ACESSO["nome_rotulo"]).fill("Intrusa")
    page.get_by_label(textos.ACESSO["senha_rotulo"]).fill("chute")
    page.get_by_role("button", name=textos.ACESSO["senha_botao"]).click()
    page.wait_for_selector("text=Senha incorreta")
    wait_ready(page)
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    page.get_by_role("tab", name=T["aba_modelo"]).click()
    assert page.get_by_role("button", name=T["baixar_modelo"]).count() == 1
    _shot(page, "importar_leitor")


def test_local_mode_lets_this_machine_import(app_local, page):
    """The browser reaches the server on 127.0.0.1, so local mode allows writing: this checks
    that the session's peer address is read right in a real server."""
    _open(page, f"{app_local.url}/importar")
    assert "Modo local" in _main(page)
    _upload(page, "local.xlsx", _rows())
    page.get_by_role("button", name=T["confirmar"]).click()
    page.wait_for_selector("text=Importação concluída")
    wait_ready(page)
    assert "por acesso local" in page.inner_text("[data-testid='stSidebar']")
    page.get_by_role("tab", name=T["aba_versoes"]).click()
    _shot(page, "importar_local")


def test_template_downloads_as_xlsx(app_local, page):
    _open(page, f"{app_local.url}/importar")
    page.get_by_role("tab", name=T["aba_modelo"]).click()
    with page.expect_download() as info:
        page.get_by_role("button", name=T["baixar_modelo"]).click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as f:
        assert f.read(2) == b"PK"
