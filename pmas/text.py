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
