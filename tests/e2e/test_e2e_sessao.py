"""A manager's session cannot be taken over with its session id (issue #12, item 3), and local mode
refuses a page served from another port of the same machine (item 7).

Real server (``streamlit run dashboard.py``), real WebSocket connections speaking Streamlit's own
protocol (the protobuf BackMsg/ForwardMsg the browser speaks, as benchmarks/carga.py does): the
manager logs in with the password and saves the report's fields; then a second connection
presents the manager's session id (it shows in every upload URL, so in proxy logs), which makes
Streamlit hand it the manager's session, and tries to save them again.
"""

from __future__ import annotations

import asyncio

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from pmas import textos
from pmas.dados.store import Store
from tests.e2e.conftest import App

pytestmark = pytest.mark.e2e

SENHA = "senha-de-teste-bem-longa"
A = textos.ACESSO


def _run(coro):
    """asyncio.run in a thread of its own: Playwright's sync API (the browser tests of the same
    session) keeps an event loop running in the main thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result(timeout=300)


class Conexao:
    """One WebSocket connection to the app: reruns with widget values, and what each drew."""

    def __init__(self, url: str, origin: str | None = None, session_id: str | None = None):
        self.url, self.origin, self.session_id = url, origin or url, session_id
        self.ws = None
        self.pages: dict[str, str] = {}  # url path → page script hash
        self.widgets: dict[str, str] = {}  # label → widget id (the last run's)
        self.texts: list[str] = []
        self.closed = False

    async def __aenter__(self):
        protocols = ["streamlit"] + (["xsrf", self.session_id] if self.session_id else [])
        self.ws = await websockets.connect(
            self.url.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=protocols,
            origin=self.origin,
            max_size=None,
        )
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def run(self, page: str = "", values: dict[str, str] | None = None, click: str = ""):
        """Rerun ``page`` with text inputs (by label) set and the button ``click`` pressed."""
        msg = BackMsg()
        msg.rerun_script.page_script_hash = self.pages.get(page, "")
        msg.rerun_script.query_string = f"ano={ANO}"  # the report year the test checks
        for label, value in (values or {}).items():
            w = msg.rerun_script.widget_states.widgets.add()
            w.id, w.string_value = self.widgets[label], value
        if click:
            w = msg.rerun_script.widget_states.widgets.add()
            w.id, w.trigger_value = self.widgets[click], True
        await self.ws.send(msg.SerializeToString())
        self.texts, self.widgets = [], {}
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), timeout=60))
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._element(fwd.delta.new_element)
            elif kind == "script_finished" and fwd.script_finished in (
                ForwardMsg.FINISHED_SUCCESSFULLY,
                ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
            ):
                return self

    def _element(self, el) -> None:
        kind = el.WhichOneof("type")
        if kind in ("text_input", "button", "text_area"):
            w = getattr(el, kind)
            self.widgets[w.label] = w.id
        elif kind == "markdown":
            self.texts.append(el.markdown.body)
        elif kind == "alert":
            self.texts.append(el.alert.body)
        elif kind == "exception":
            raise AssertionError(f"exceção na página: {el.exception.message}")


@pytest.fixture(scope="module")
def app_senha(tmp_path_factory):
    running = App(
        tmp_path_factory.mktemp("e2e_sessao") / "pmas.db", env={"PMAS_SENHA_GESTOR": SENHA}
    )
    yield running
    running.stop()


# The report year the test saves (every rerun asks for it with ?ano=, see Conexao.run).
ANO = 2022


def _resolucao(app: App) -> str | None:
    store = Store(f"sqlite:///{app.db}")
    try:
        plano_id = store.plan()[0]
        return store.report_fields(plano_id, ANO).get("resolucao")
    finally:
        store.engine.dispose()


SALVAR = "Salvar os dados do relatório"
RESOLUCAO = "Número da resolução do CMAS"


async def _takeover(app: App) -> tuple[list[str], str, str]:
    async with Conexao(app.url) as gestora:
        await gestora.run()  # the app, then its Relatório screen
        await gestora.run("relatorio", {})
        await gestora.run(
            "relatorio",
            {A["nome_rotulo"]: "Maria", A["senha_rotulo"]: SENHA},
            click=A["senha_botao"],
        )
        await gestora.run("relatorio")
        assert A["senha_dentro"].format(nome="Maria") in gestora.texts
        await gestora.run("relatorio", {RESOLUCAO: "111/2022"}, click=SALVAR)
        assert f"Dados do relatório de {ANO} salvos." in gestora.texts, "\n".join(gestora.texts)
        dela = gestora.session_id
        async with Conexao(app.url, session_id=dela) as intrusa:
            await intrusa.run()
            tomada = intrusa.session_id  # Streamlit handed the newcomer the manager's session
            await intrusa.run("relatorio")
            await intrusa.run("relatorio", {RESOLUCAO: "666/2022"}, click=SALVAR)
            return intrusa.texts, dela, tomada


def test_a_second_connection_with_the_managers_session_id_cannot_write(app_senha):
    texts, dela, tomada = _run(_takeover(app_senha))
    assert tomada == dela  # the attack path is real: the session (and its state) was inherited
    assert any(t.startswith("Só um gestor pode importar") for t in texts), texts
    assert A["senha_convite"] in texts  # the login form again, not "Acesso de gestor: Maria"
    assert _resolucao(app_senha) == "111/2022"


@pytest.fixture(scope="module")
def app_local(tmp_path_factory):
    running = App(
        tmp_path_factory.mktemp("e2e_origem") / "pmas.db", env={"PMAS_SENHA_GESTOR": None}
    )
    yield running
    running.stop()


async def _save_from(app: App, origin: str, resolucao: str) -> list[str]:
    async with Conexao(app.url, origin=origin) as c:
        await c.run()
        await c.run("relatorio")
        await c.run("relatorio", {RESOLUCAO: resolucao}, click=SALVAR)
        return c.texts


def test_local_mode_refuses_a_page_from_another_port_of_this_machine(app_local):
    own = app_local.url
    other_port = own.rsplit(":", 1)[0] + ":9"
    # Streamlit itself lets any localhost page open the WebSocket; only the write is refused
    for origin in (other_port, other_port.replace("127.0.0.1", "localhost")):
        texts = _run(_save_from(app_local, origin, "666/2022"))
        assert any(t.startswith("Só um gestor pode importar") for t in texts), texts
    assert _resolucao(app_local) is None
    texts = _run(_save_from(app_local, own, "222/2022"))
    assert f"Dados do relatório de {ANO} salvos." in texts, texts
    assert _resolucao(app_local) == "222/2022"


def test_the_dashboard_refuses_to_be_framed(app_local, page):
    """Clickjacking (issue #12, item 7): inside another page's frame the app is replaced by a
    notice, so there is no button to trick a manager into clicking; opened directly it works."""
    page.set_content(f'<iframe src="{app_local.url}/relatorio" width="1200" height="900"></iframe>')
    frame = page.frame_locator("iframe")
    notice = frame.locator("[data-pmas='moldura-recusada']")
    notice.wait_for(timeout=60_000)
    assert notice.inner_text() == textos.UI["moldura_recusada"]
    page.wait_for_timeout(2_000)  # the app had every chance to draw again
    assert frame.locator("button:visible").count() == 0, frame.locator("body").inner_html()[:2000]
    assert frame.locator("[data-testid='stApp']").count() == 0
    page.goto(f"{app_local.url}/relatorio")
    page.get_by_role("button", name="Salvar os dados do relatório").wait_for(timeout=60_000)
    assert page.locator("[data-pmas='moldura-recusada']").count() == 0
