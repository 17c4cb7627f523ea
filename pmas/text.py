"""Text keys: how headers, sheet names and values are compared."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def key(value: object) -> str:
    """Comparison key: no accents, lower case, punctuation and any spaces folded to one space.

    >>> key("  Ações\\u00a0Estratégicas ")
    'acoes estrategicas'
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", text).strip()
