"""The server's hardening settings and the start-up check of the XML defences."""

from __future__ import annotations

import tomllib

import pytest

from tests.conftest import ROOT

CONFIG = ROOT / ".streamlit" / "config.toml"

# option → value this project requires, and why
REQUIRED = {
    # uploads stop at 10 MB in Streamlit too (pmas.entrada.pipeline.analyse checks the size again)
    ("server", "maxUploadSize"): 10,
    # uploads need the XSRF token of the session's cookie
    ("server", "enableXsrfProtection"): True,
    # true = CORS protection on: other origins cannot call the server
    ("server", "enableCORS"): True,
    # no tracebacks (paths, code, values) shown to visitors
    ("client", "showErrorDetails"): "none",
    # visitors get no developer menu (rerun, settings, clear cache), nor the viewer's English
    # items (Print, Record screen): no menu at all
    ("client", "toolbarMode"): "minimal",
    # only the app's own downloads, which neutralise formulas, are offered
    ("client", "disableDataExport"): True,
    # no telemetry from a public administration's server
    ("browser", "gatherUsageStats"): False,
}


@pytest.fixture(scope="module")
def config() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


@pytest.mark.parametrize("section, option", sorted(REQUIRED))
def test_hardening_option(config, section, option):
    assert config[section][option] == REQUIRED[section, option]


def test_every_option_is_one_streamlit_knows(config):
    """A misspelt or removed option is silently ignored by Streamlit: check the names."""
    from streamlit import config as st_config

    known = st_config.get_config_options()
    for section, options in config.items():
        for option in options:
            name = f"{section}.{option}"
            assert name in known, f"{name} não é uma opção do Streamlit"
            assert not known[name].deprecated, f"{name} está obsoleta"


def test_upload_limit_agrees_with_the_reader(config):
    from pmas.entrada.reader import DEFAULT_LIMITS

    assert config["server"]["maxUploadSize"] * 1024 * 1024 == DEFAULT_LIMITS.max_bytes


def test_show_error_details_value_is_valid_in_this_streamlit(config):
    from streamlit.config import ShowErrorDetailsConfigOptions as Options

    assert config["client"]["showErrorDetails"] in {o.value for o in Options}
    assert config["client"]["showErrorDetails"] == Options.NONE.value


def test_defusedxml_check_passes_here():
    from pmas.entrada.security import check_defusedxml

    check_defusedxml()


def test_defusedxml_switched_off_stops_the_app_with_a_portuguese_message(monkeypatch):
    import openpyxl.xml

    from pmas.entrada.security import check_defusedxml

    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError, match="proteção contra XML malicioso está desligada"):
        check_defusedxml()


def test_defusedxml_missing_stops_the_app_with_a_portuguese_message(monkeypatch):
    import sys

    from pmas.entrada.security import check_defusedxml

    monkeypatch.setitem(sys.modules, "defusedxml", None)  # import defusedxml → ImportError
    with pytest.raises(RuntimeError, match="defusedxml não está instalado"):
        check_defusedxml()
