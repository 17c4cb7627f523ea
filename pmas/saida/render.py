"""Plotly figures → PNG bytes through Kaleido 1.x, driving the system's Chromium.

Which browser: ``PMAS_CHROMIUM`` when set (a path; a path that does not exist means "no browser",
which is also how a test hides it), else ``BROWSER_PATH`` (choreographer's own variable), else the
first of ``chromium``, ``chromium-browser``, ``google-chrome`` found on ``PATH``. The path is
passed to Kaleido explicitly, so choreographer's search (which prefers a browser it downloaded
itself) is never used, and nothing here ever downloads a browser (no ``kaleido.get_chrome()``).
MathJax is disabled and plotly.js comes from the installed plotly package, so rendering needs no
network either.

All figures of one call are rendered in one browser session. Failures never raise anything but
:class:`RenderUnavailable`, whose message is Portuguese and says why (no browser, timeout, error).
"""

from __future__ import annotations

import asyncio
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import plotly.graph_objects as go

from pmas import textos
from pmas.registro import logger, registrar_erro

_log = logger(__name__)

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DEFAULT_TIMEOUT = 90.0  # seconds for the whole batch (start-up included)
WIDTH = 800  # pixels at scale 1: placed 16 cm wide, a 13 px label prints at about 9 pt
SCALE = 2.5

# At most two browsers at once on a server where several people generate reports.
_SLOTS = threading.BoundedSemaphore(2)


class RenderUnavailable(RuntimeError):
    """The charts could not be rendered; ``str(exc)`` says why, in Portuguese."""


def browser_path() -> str | None:
    """The Chromium to use, or None (see the module docstring)."""
    explicit = os.environ.get("PMAS_CHROMIUM") or os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if _executable(explicit) else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found and _executable(found):
            return found
    return None


def _executable(path: str) -> bool:
    p = Path(path)
    return p.is_file() and os.access(p, os.X_OK)


def _missing_browser_reason() -> str:
    explicit = os.environ.get("PMAS_CHROMIUM") or os.environ.get("BROWSER_PATH")
    if explicit:
        return textos.RENDER["indicado_ausente"].format(caminho=explicit)
    return textos.RENDER["sem_navegador"]


def png_images(
    figures: Sequence[go.Figure],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    on_each: Callable[[int, int], object] | None = None,
) -> list[bytes]:
    """PNG bytes of each figure, in order, rendered in one browser session.

    ``on_each(done, total)`` is called in the caller's thread after each image (the rendering
    itself runs in a worker thread with its own event loop, so this works from Streamlit too).
    Raises :class:`RenderUnavailable` when there is no browser, on a timeout or on any error.
    """
    if not figures:
        return []
    path = browser_path()
    if path is None:
        raise RenderUnavailable(_missing_browser_reason())
    try:
        import kaleido  # noqa: F401  (an import error is a reason like any other)
    except ImportError as exc:  # pragma: no cover - kaleido is a pinned dependency
        raise RenderUnavailable(textos.RENDER["sem_kaleido"].format(erro=exc)) from exc

    events: queue.Queue = queue.Queue()
    specs = [
        (
            fig,
            {
                "format": "png",
                "width": WIDTH,
                "scale": SCALE,
                "height": int(fig.layout.height or 400),
            },
        )
        for fig in figures
    ]

    too_late = textos.RENDER["demorou"].format(segundos=f"{timeout:.0f}")

    def work() -> None:
        start = time.monotonic()
        try:
            images = asyncio.run(asyncio.wait_for(_render(path, specs, events, timeout), timeout))
            events.put(("ok", images))
        except Exception as exc:
            # a timeout while the browser starts surfaces as choreographer's BrowserFailedError
            if isinstance(exc, TimeoutError) or time.monotonic() - start >= timeout:
                events.put(("erro", too_late))
            else:
                codigo = registrar_erro(_log, "relatório: falha ao desenhar os gráficos", exc)
                events.put(
                    (
                        "erro",
                        textos.RENDER["falhou"].format(
                            erro=f"{type(exc).__name__}: {_first_line(exc)}"
                        )
                        + " "
                        + textos.CODIGO_ERRO.format(codigo=codigo),
                    )
                )

    with _SLOTS:
        worker = threading.Thread(target=work, name="pmas-kaleido", daemon=True)
        worker.start()
        while True:
            try:
                kind, value = events.get(timeout=timeout + 30)
            except queue.Empty:
                raise RenderUnavailable(too_late) from None
            if kind == "progresso":
                if on_each is not None:
                    on_each(value, len(specs))
            elif kind == "ok":
                return value
            else:
                raise RenderUnavailable(value)


def _first_line(exc: Exception) -> str:
    first = exc.args[0] if exc.args else exc
    return str(first).strip().splitlines()[0][:200] if str(first).strip() else "sem detalhes"


async def _render(path: str, specs, events: queue.Queue, timeout: float) -> list[bytes]:
    import kaleido

    images = []
    async with kaleido.Kaleido(path=path, n=1, timeout=timeout, mathjax=False) as k:
        for i, (fig, opts) in enumerate(specs, start=1):
            images.append(await k.calc_fig(fig, opts=opts))
            events.put(("progresso", i))
    return images
