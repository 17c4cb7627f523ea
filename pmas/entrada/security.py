"""Start-up checks of the defences the import relies on."""

from __future__ import annotations


def check_defusedxml() -> None:
    """openpyxl parses XML through defusedxml only when it is installed and not switched off
    (``OPENPYXL_DEFUSEDXML=False``). Raise with a Portuguese message when it is not in use."""
    try:
        import defusedxml  # noqa: F401
    except ImportError as exc:
        raise RuntimeError(
            "O pacote de segurança defusedxml não está instalado: rode "
            "“pip install -r requirements.txt”."
        ) from exc
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        raise RuntimeError(
            "A proteção contra XML malicioso está desligada "
            "(OPENPYXL_DEFUSEDXML=False): remova essa variável de ambiente."
        )
