"""Browser tests: the real app (``streamlit run dashboard.py``) on a free port against a fresh
database, driven by Python Playwright in Debian's chromium (never a downloaded browser).

Without /usr/bin/chromium these tests are skipped, and say so; CI sets PMAS_E2E_OBRIGATORIO=1,
which turns that skip into a failure. Screenshots go to artefatos/ (gitignored).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTEFATOS = ROOT / "artefatos"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require_browser() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"{CHROMIUM} não encontrado: instale com 'apt-get install -y chromium'"
    if os.environ.get("PMAS_E2E_OBRIGATORIO") == "1":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """``streamlit run`` of the dashboard (or of another ``script``) on a free loopback port."""

    def __init__(self, db: Path, env: dict | None = None, script: str = "dashboard.py"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = db
        full_env = {**os.environ, "PMAS_DATABASE_URL": f"sqlite:///{db}", **(env or {})}
        full_env = {k: v for k, v in full_env.items() if v is not None}  # None: unset it
        self.log = open(db.parent / "streamlit.log", "w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                script,
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit não respondeu em 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    _require_browser()
    running = App(tmp_path_factory.mktemp("e2e") / "pmas.db")
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="pt-BR", accept_downloads=True
    )
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def wait_ready(page) -> None:
    """Wait until Streamlit has finished running the script: no 'running' indicator and no
    placeholder skeletons left (elements still being drawn)."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-testid=\"stSkeleton\"]')",
        timeout=60_000,
    )
    page.wait_for_timeout(300)


# The overview draws its charts with the light chart component (pmas.ui.grafico): in the page,
# Plotly's basic bundle, each chart in a div of this class.
LIGHT_CHART = ".pmas-grafico"


def light_chart(page, n: int = 0):
    """The ``n``-th chart of the light chart component on the page (Plotly's own chart element),
    once its bars are drawn."""
    chart = page.locator(LIGHT_CHART).nth(n)
    chart.locator(".barlayer .point").first.wait_for(timeout=60_000)
    return chart


def screenshot(page, name: str) -> Path:
    ARTEFATOS.mkdir(exist_ok=True)
    path = ARTEFATOS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
