"""Text keys: how headers, sheet names and values are compared."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)
def _key_text(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", text).strip()


def key(value: object) -> str:
    """Comparison key: no accents, lower case, punctuation and any spaces folded to one space.

    >>> key("  Ações\\u00a0Estratégicas ")
    'acoes estrategicas'
    """
    if value is None:
        return ""
    return _key_text(value if isinstance(value, str) else str(value))


_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_filename(name: object, default: str = "arquivo", limit: int = 120) -> str:
    """A name the user gave a file, made safe to offer as a download name (never a path).

    Path separators, control and reserved characters become "_", leading dots and spaces go,
    and the result is cut to ``limit`` characters keeping the extension.
    """
    text = unicodedata.normalize("NFC", str(name or ""))
    text = _UNSAFE_NAME.sub("_", text).strip().lstrip(". ")
    if not text:
        return default
    stem, dot, ext = text.rpartition(".")
    if dot and 0 < len(ext) <= 10 and stem:
        return stem[: max(1, limit - len(ext) - 1)].rstrip() + "." + ext
    return text[:limit]


# Characters XML 1.0 forbids (every C0 control but tab, line feed and carriage return; U+FFFE,
# U+FFFF): a document that holds one cannot be written (the report crashed on them).
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
CONTROL = re.compile(f"[{_CONTROLS}]")
# Bidirectional formatting characters: a right-to-left override makes "relatorio‮xslx.exe"
# display as "relatorioexe.xlsx". Left out of every name shown.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_BIDI_RE = re.compile(f"[{_BIDI}]+")
_BLANKS = re.compile(f"[{_CONTROLS}\t\n\r\x7f]+")


def strip_controls(text: str) -> str:
    """``text`` without the control characters XML cannot hold (tab and line breaks stay)."""
    return CONTROL.sub("", text)


def strip_controls_deep(value):
    """:func:`strip_controls` on every text inside lists, tuples and dicts (keys included)."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, dict):
        return {strip_controls_deep(k): strip_controls_deep(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(strip_controls_deep(v) for v in value)
    return value


def clean_display(name: object) -> str:
    """A name as it may be shown (a file name, a sheet name): no control or bidirectional
    characters, blanks folded to one space."""
    return " ".join(_BLANKS.sub(" ", _BIDI_RE.sub("", str(name or ""))).split())
