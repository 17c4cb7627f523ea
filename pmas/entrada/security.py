"""Start-up checks of the defences the import relies on."""

from __future__ import annotations

from pmas import textos


def check_defusedxml() -> None:
    """openpyxl parses XML through defusedxml only when it is installed and not switched off
    (``OPENPYXL_DEFUSEDXML=False``). Raise with a Portuguese message when it is not in use."""
    try:
        import defusedxml  # noqa: F401
    except ImportError as exc:
        raise RuntimeError(textos.SEGURANCA["sem_defusedxml"]) from exc
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        raise RuntimeError(textos.SEGURANCA["defusedxml_desligado"])
