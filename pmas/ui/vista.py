"""The view a person is looking at (year, filters, a screen's own choices): kept for the whole
session, so that every path between screens keeps it, and mirrored in the URL, so that a link
reproduces it.

Each value has a widget key and a URL parameter. Its one true copy lives in
``st.session_state[_VISTA]``. Before a widget is drawn that copy is put in the widget's key:
Streamlit gives a widget on another screen a new identity and would otherwise start it from its
first option (the sidebar's year fell back to the first year on every menu click). The widget's
``on_change`` callback copies a person's choice back. On a session's first run the URL decides;
a value the data does not offer (a year not stored, an eixo the plan lacks, a misspelt measure)
is dropped with a Portuguese notice, never silently.

Use::

    ano = st.selectbox("Ano", anos, **vista.bind("f_ano", "ano", anos, default=anos[-1]))
    vista.to_url("ano", ano)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from pmas import textos
from pmas.ui.components import escape_md

_VISTA = "_pmas_vista"  # widget key -> the kept value
_URL = "_pmas_vista_url"  # the first run's URL parameters, each removed once used
_AVISOS = "_pmas_vista_avisos"  # notices about dropped link values, not shown yet


def start() -> None:
    """Call before any :func:`bind` of a run: on the session's first run, take the URL."""
    ss = st.session_state
    if _VISTA not in ss:
        ss[_VISTA] = {}
        ss[_URL] = {k: list(st.query_params.get_all(k)) for k in st.query_params.keys()}
        ss[_AVISOS] = []


def get(key: str, default: Any = None) -> Any:
    """The kept value of ``key`` (``default`` when there is none)."""
    return st.session_state.get(_VISTA, {}).get(key, default)


def put(key: str, value: Any) -> None:
    """Choose a value from code (a click on a chart, a button); the widget shows it next run."""
    st.session_state.setdefault(_VISTA, {})[key] = value


def from_link(param: str) -> list[str] | None:
    """The link's raw values of ``param``, taken once (None when the link has none)."""
    return st.session_state.get(_URL, {}).pop(param, None)


def notice(text: str) -> None:
    """Queue a notice for :func:`show_notices`."""
    st.session_state.setdefault(_AVISOS, []).append(text)


def dropped(param: str, values: Sequence[str], rotulo: str) -> None:
    """Queue the notice that a link's ``param=values`` matched nothing and was ignored."""
    notice(
        textos.UI["link_valor_ignorado"].format(
            rotulo=rotulo, valor=", ".join(f"“{escape_md(v)}”" for v in values)
        )
    )


def show_notices() -> None:
    """Show (in the main area) and forget the queued notices."""
    for text in st.session_state.get(_AVISOS, []):
        st.warning(text, icon=":material/link_off:")
    st.session_state[_AVISOS] = []


def _changed(key: str) -> None:
    st.session_state[_VISTA][key] = st.session_state[key]


def bind(
    key: str,
    param: str | None,
    options: Sequence,
    *,
    default: Any = None,
    multi: bool = False,
    parse: Callable[[str], Any] = str,
    rotulo: str = "",
) -> dict[str, Any]:
    """Get widget ``key`` ready to draw with the kept value (the link's on the session's first
    run) and return the keyword arguments that bind it (``key``, ``on_change``, ``args``).

    ``options`` are what the widget offers now; a kept value it does not offer becomes
    ``default`` (for ``multi``, the values it offers are kept). ``parse`` turns the link's text
    into an option; a link value that fails to parse or is not offered is dropped with a notice
    naming ``rotulo``.
    """
    start()
    kept = st.session_state[_VISTA]
    raw = from_link(param) if param else None
    if raw is not None:
        parsed = [(text, _parse(text, parse, options)) for text in raw]
        values = [v for _, v in parsed if v is not _BAD]
        bad = [text for text, v in parsed if v is _BAD]
        if bad and param:
            dropped(param, bad, rotulo or param)
        if multi:
            kept[key] = values
        elif values:
            kept[key] = values[0]
    current = kept.get(key, [] if multi else default)
    if multi:
        current = [v for v in current if v in options]
    elif current not in options:
        current = default
    kept[key] = current
    st.session_state[key] = list(current) if multi else current
    return {"key": key, "on_change": _changed, "args": (key,)}


_BAD = object()


def _parse(text: str, parse: Callable[[str], Any], options: Sequence) -> Any:
    """``parse(text)`` when it is one of ``options``, else ``_BAD``."""
    try:
        value = parse(text)
    except (TypeError, ValueError):
        return _BAD
    return value if value in options else _BAD


def to_url(param: str, value: Any) -> None:
    """Mirror a value in the URL (``None`` or an empty list removes the parameter)."""
    qp = st.query_params
    if value is None or (isinstance(value, list | tuple) and not value):
        if param in qp:
            del qp[param]
        return
    if isinstance(value, list | tuple):
        wanted = [str(v) for v in value]
        if qp.get_all(param) != wanted:
            qp[param] = wanted
    elif qp.get(param) != str(value):
        qp[param] = str(value)
