"""Streamlit's internal APIs used by the app exist in the installed Streamlit.

pmas/ui/interno.py is the only module that touches them; its functions turn a failure into
"unknown" at run time (never into "allowed"), so an upgrade that moved one would weaken the
session binding or the shared links silently. This test makes such an upgrade fail loudly.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from pmas.ui import interno

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("modulo", "caminho"), interno.USADOS)
def test_each_internal_name_still_exists(modulo, caminho):
    obj = importlib.import_module(modulo)
    for parte in caminho.split("."):
        assert hasattr(obj, parte), f"{modulo}.{caminho}: mudou na versão instalada do Streamlit"
        obj = getattr(obj, parte)


def test_the_session_context_still_carries_the_session_id():
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

    assert "session_id" in ScriptRunContext.__dataclass_fields__


def test_no_other_module_reaches_into_streamlit_internals():
    internal = re.compile(r"^\s*(from|import)\s+streamlit\.(runtime|web|proto|elements)\b", re.M)
    offenders = [
        str(p.relative_to(ROOT))
        for folder in ("pmas", "pages")
        for p in (ROOT / folder).rglob("*.py")
        if p.name != "interno.py" and internal.search(p.read_text(encoding="utf-8"))
    ]
    offenders += ["dashboard.py"] if internal.search((ROOT / "dashboard.py").read_text()) else []
    assert offenders == []


def test_outside_a_running_server_the_connection_is_unknown():
    assert interno.conexao_da_sessao() is None
    assert interno.ip_da_conexao(None) is None
