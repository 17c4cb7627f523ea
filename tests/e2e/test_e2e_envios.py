"""A reader's uploads are refused by the running server (issue #12, item 5), over real HTTP.

Streamlit's upload endpoint (``PUT /_stcore/upload_file/<session>/<file>``) takes a file for any
live session, uploader or not. Here a real server runs in password mode; a reader's session and a
manager's (logged in on Importar) are opened with WebSocket connections speaking Streamlit's
protocol (tests/e2e/test_e2e_sessao.py's ``Conexao``); then each gets PUTs of 9 MB, with a real
XSRF cookie and header, the way the browser sends them. The reader's bytes are dropped (one
"envio recusado" line each in the server's log, and the server's memory does not grow by what
was sent); the manager's upload is kept (no refusal).
"""

from __future__ import annotations

import http.client
import re
import uuid

import pytest

from tests.e2e.conftest import App
from tests.e2e.test_e2e_sessao import SENHA, A, Conexao, _run

pytestmark = pytest.mark.e2e

MB = 1024 * 1024
TAMANHO = 9 * MB  # under the server's 10 MB cap (.streamlit/config.toml)
VEZES = 20


@pytest.fixture(scope="module")
def app_senha(tmp_path_factory):
    running = App(
        tmp_path_factory.mktemp("e2e_envios") / "pmas.db", env={"PMAS_SENHA_GESTOR": SENHA}
    )
    yield running
    running.stop()


def _xsrf(app: App) -> str:
    """The XSRF cookie the server gives a browser (with its health check, as the page does)."""
    conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=30)
    try:
        conn.request("GET", "/_stcore/health")
        resp = conn.getresponse()
        resp.read()
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie" and value.startswith("_streamlit_xsrf="):
                return value.split(";", 1)[0].split("=", 1)[1]
    finally:
        conn.close()
    raise AssertionError("o servidor não mandou o cookie _streamlit_xsrf")


def _put(app: App, session_id: str, xsrf: str, data: bytes) -> int:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="metas.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=60)
    try:
        conn.request(
            "PUT",
            f"/_stcore/upload_file/{session_id}/{uuid.uuid4()}",
            body=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Cookie": f"_streamlit_xsrf={xsrf}",
                "X-Xsrftoken": xsrf,
            },
        )
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def _rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M).group(1)) * 1024


def _recusas(app: App) -> int:
    app.log.flush()
    return (app.db.parent / "streamlit.log").read_text(errors="replace").count("envio recusado")


async def _sessions_and_puts(app: App) -> dict:
    xsrf = _xsrf(app)
    data = bytes(range(256)) * (TAMANHO // 256)
    async with Conexao(app.url) as leitor, Conexao(app.url) as gestora:
        await leitor.run()  # a reader on the first screen: no uploader, no login
        await gestora.run()
        await gestora.run("importar")
        await gestora.run(
            "importar",
            {A["nome_rotulo"]: "Maria", A["senha_rotulo"]: SENHA},
            click=A["senha_botao"],
        )
        await gestora.run("importar")  # the manager's Importar: this session may upload
        assert A["senha_dentro"].format(nome="Maria") in gestora.texts, gestora.texts
        out = {"recusas_antes": _recusas(app), "rss_antes": _rss(app.proc.pid)}
        out["leitor"] = [_put(app, leitor.session_id, xsrf, data) for _ in range(VEZES)]
        out["rss_depois"] = _rss(app.proc.pid)
        out["recusas_leitor"] = _recusas(app)
        out["gestora"] = _put(app, gestora.session_id, xsrf, data)
        out["recusas_gestora"] = _recusas(app)
        out["sem_xsrf"] = _put(app, leitor.session_id, "", b"x")
    return out


def test_a_readers_uploads_are_dropped_and_a_managers_kept(app_senha):
    r = _run(_sessions_and_puts(app_senha))
    # Streamlit answers 204 either way (the guard drops the bytes after the endpoint took them)
    assert r["leitor"] == [204] * VEZES and r["gestora"] == 204
    assert r["recusas_leitor"] - r["recusas_antes"] == VEZES  # each one refused, in the log
    # 20 × 9 MB = 180 MB sent; kept, the server would hold all of it. Dropped: at most a few
    # requests' worth of buffers in the allocator.
    grew = r["rss_depois"] - r["rss_antes"]
    assert grew < 5 * TAMANHO, f"o servidor cresceu {grew / MB:.0f} MB"
    assert r["recusas_gestora"] == r["recusas_leitor"]  # the manager's upload was not refused
    assert r["sem_xsrf"] == 403  # and without the XSRF pair, nothing is taken at all
