"""Brazilian formatting of numbers, percentages, money, dates and sizes (locale pt_BR).

Every function is pure and returns ``VAZIO`` ("—") for a missing value (None, NaN, NaT, pd.NA)
and for an infinite number. Rounding is "half up" on the decimal value as written
(5,25 → 5,3; 2,675 → 2,68), which is what a reader checking a figure by hand expects; Babel's
default would round half to even.

Conventions chosen here and fixed by tests:

- the minus sign is the ASCII hyphen-minus ("-2,0 p.p."), as Babel's pt_BR writes it, so a copied
  figure pastes as a number into Excel or LibreOffice;
- the space in "R$ 1.234,56" is an ordinary space (U+0020), not Babel's no-break space, so text
  searches and tests match what a user types.

Plotly charts format numbers with d3-format, not with this module. Set
``fig.update_layout(separators=PLOTLY_SEPARATORS)`` and the ``,`` and ``.`` of a d3 format become
pt-BR separators: the hovertemplate ``"%{y:,.0f}"`` shows 2.804, ``"%{y:,.1f}%"`` shows 45,3% for
a value already on the 0–100 scale, and ``"R$ %{y:,.2f}"`` shows R$ 1.234,56. Dates on hover use
``"%{x|%d/%m/%Y}"``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import numpy as np
import pandas as pd
from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

LOCALE = "pt_BR"
VAZIO = "—"
# layout.separators for Plotly: decimal mark first, then the thousands separator.
PLOTLY_SEPARATORS = ",."

_UNIDADES = ("KB", "MB", "GB", "TB")


def _vazio(v: object) -> bool:
    """True for None, NaN, NaT and pd.NA (a scalar; a sequence is never "missing")."""
    if v is None:
        return True
    missing = pd.isna(v)
    return isinstance(missing, (bool, np.bool_)) and bool(missing)


def _decimal(v: object, casas: int) -> Decimal | None:
    """``v`` rounded half up to ``casas`` places, or None when missing or infinite."""
    if _vazio(v):
        return None
    d = v if isinstance(v, Decimal) else Decimal(str(v))
    if not d.is_finite():
        return None
    d = d.quantize(Decimal(1).scaleb(-casas), rounding=ROUND_HALF_UP)
    return d if d else abs(d)  # no "-0,0"


def _padrao(casas: int) -> str:
    return "#,##0" + ("." + "0" * casas if casas > 0 else "")


def numero(v: object, casas: int = 0) -> str:
    """2804 → "2.804"; 1234.5 with ``casas=1`` → "1.234,5"."""
    d = _decimal(v, casas)
    if d is None:
        return VAZIO
    return _pattern(casas).apply(d, _LOCALE)


_LOCALE = Locale.parse(LOCALE)


@lru_cache(maxsize=8)
def _pattern(casas: int) -> NumberPattern:
    """Babel's pt_BR pattern for ``casas`` decimal places, parsed once (tables format
    thousands of cells per rerun)."""
    return parse_pattern(_padrao(casas))


def pct(v: object, casas: int = 1) -> str:
    """A value already on the 0–100 scale: 45.3 → "45,3%"; 100 → "100,0%"."""
    texto = numero(v, casas)
    return texto if texto == VAZIO else texto + "%"


def pp(v: object, casas: int = 1) -> str:
    """A change in percentage points, always signed: 5.25 → "+5,3 p.p."; -2 → "-2,0 p.p."."""
    d = _decimal(v, casas)
    if d is None:
        return VAZIO
    sinal = "+" if d > 0 else ""
    return f"{sinal}{_pattern(casas).apply(d, _LOCALE)} p.p."


def dinheiro(v: object) -> str:
    """1234.56 → "R$ 1.234,56" (ordinary space); -5 → "-R$ 5,00"."""
    d = _decimal(v, 2)
    if d is None:
        return VAZIO
    texto = _pattern(2).apply(abs(d), _LOCALE)
    return f"{'-' if d < 0 else ''}R$ {texto}"


def data(d: date | datetime | None) -> str:
    """A date or datetime → "08/11/2023"."""
    if d is None or _vazio(d):
        return VAZIO
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def diferenca(v: object, unidade: str | None = None) -> str:
    """A signed difference in a value's own units: (478, "famílias") → "+478 famílias";
    (-1.5, "CRAS") → "-1,5 CRAS"; for a percentage unit, points: (2.3, "%") → "+2,3 p.p."."""
    d = _decimal(v, 1)
    if d is None:
        return VAZIO
    if d == 0:
        texto = "0"
    else:
        casas = 0 if d == d.to_integral_value() else 1
        texto = ("+" if d > 0 else "") + numero(d, casas)
    u = (unidade or "").strip()
    if u in ("%", "percentual", "porcentagem") or u.startswith("% "):
        return f"{texto} p.p."
    return f"{texto} {u}".strip()


def data_hora(dt: datetime | None) -> str:
    """A datetime → "08/11/2023 14:05" (as given: no time-zone conversion)."""
    if dt is None or _vazio(dt):
        return VAZIO
    return f"{data(dt)} {dt.hour:02d}:{dt.minute:02d}"


def tamanho(n_bytes: int | float | None) -> str:
    """A file size in binary units: 512 → "512 bytes"; 2048 → "2 KB"; 12_900_000 → "12,3 MB";
    10 MiB → "10 MB" (a whole figure shows no ",0"). The one byte-size format of the project."""
    if n_bytes is None or _decimal(n_bytes, 0) is None:
        return VAZIO
    n = float(n_bytes)
    if abs(n) < 1024:
        inteiro = int(n)
        return f"{numero(inteiro)} {'byte' if abs(inteiro) == 1 else 'bytes'}"
    valor, unidade = n, _UNIDADES[0]
    for unidade in _UNIDADES:
        valor /= 1024
        # move up when the rounded figure would read "1.024,0 KB"
        arredondado = _decimal(valor, 1)
        if (arredondado is not None and abs(arredondado) < 1024) or unidade == _UNIDADES[-1]:
            break
    return f"{numero(valor, 1).removesuffix(',0')} {unidade}"
