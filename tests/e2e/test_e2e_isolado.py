"""A real ``streamlit run``: an upload whose analysis loops forever, and one that allocates
without end, are stopped by the child process's limits and reported in Portuguese on the
Importar screen, while the server keeps answering its health endpoint the whole time; an
ordinary file afterwards is analysed by the same warm worker (issue #12, item 1)."""

from __future__ import annotations

import threading
import time
import urllib.request

import pytest

from pmas import textos
from tests.conftest import xlsx
from tests.e2e.conftest import App, wait_ready
from tests.test_layouts import HEADER, plain_rows

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
T = textos.IMPORTAR


@pytest.fixture(scope="module")
def app_limitado(tmp_path_factory, browser):
    running = App(
        tmp_path_factory.mktemp("e2e_isolado") / "pmas.db",
        env={
            "PMAS_EXEMPLO": "0",
            "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
            "PMAS_SENHA_GESTOR": None,  # local mode: this browser may import
            "PMAS_ANALISE_ALVO": "tests.hostis:por_nome",
            "PMAS_ANALISE_CPU_S": "3",
            "PMAS_ANALISE_TEMPO_S": "20",
            "PMAS_ANALISE_MEMORIA_MB": "300",
        },
    )
    yield running
    running.stop()


class Health:
    """Polls /_stcore/health from a thread, keeping the slowest answer (or failure)."""

    def __init__(self, url: str):
        self.url = f"{url}/_stcore/health"
        self.slowest = 0.0
        self.failures: list[str] = []
        self.answers = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            start = time.monotonic()
            try:
                with urllib.request.urlopen(self.url, timeout=10) as r:
                    assert r.status == 200
                self.answers += 1
            except Exception as exc:
                self.failures.append(repr(exc))
            self.slowest = max(self.slowest, time.monotonic() - start)
            self._stop.wait(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(15)


def _choose(page, name: str, data: bytes) -> None:
    uploader = page.locator("[data-testid='stFileUploader']")
    uploader.locator("input[type='file']").set_input_files(
        {"name": name, "mimeType": XLSX, "buffer": data}
    )


@pytest.mark.parametrize(
    ("nome", "mensagem"),
    [("laco.xlsx", "limite de tempo"), ("aloca.xlsx", "limite de memória")],
)
def test_a_runaway_analysis_is_stopped_and_the_server_stays_responsive(
    app_limitado, page, nome, mensagem
):
    page.goto(f"{app_limitado.url}/importar")
    page.wait_for_selector("[data-testid='stFileUploader']")
    wait_ready(page)
    book = xlsx({"Metas 2023": [HEADER] + plain_rows()})
    with Health(app_limitado.url) as health:
        _choose(page, nome, book)
        page.wait_for_selector(f"text={mensagem}", timeout=120_000)
    assert not health.failures, health.failures
    assert health.answers >= 5  # it was asked all along, not once at the end
    assert health.slowest < 5.0, health.slowest  # the analysis never held the server
    assert "nada foi gravado" in page.inner_text("[data-testid='stMain']")
    # the next, ordinary upload is analysed by the worker that survived
    page.goto(f"{app_limitado.url}/importar")
    page.wait_for_selector("[data-testid='stFileUploader']")
    wait_ready(page)
    _choose(page, "metas.xlsx", book)
    page.wait_for_selector(f"text={T['relatorio']}", timeout=120_000)
    wait_ready(page)
    assert mensagem not in page.inner_text("[data-testid='stMain']")
