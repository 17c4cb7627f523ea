"""The dashboard's filters: a value, its URL form, what it keeps of a table and how it is described.

Pure: the sidebar (pmas.ui.sidebar) binds these to widgets and to the URL query parameters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from pmas import textos
from pmas.dados.plano import Plano

# URL query parameter names (short, Portuguese, stable: links are shared).
Q_MUNICIPIO = "municipio"
Q_ANO = "ano"
Q_EIXO = "eixo"
Q_SITUACAO = "situacao"
Q_TERRITORIO = "territorio"
Q_RESPONSAVEL = "responsavel"
QUERY_KEYS = (Q_MUNICIPIO, Q_ANO, Q_EIXO, Q_SITUACAO, Q_TERRITORIO, Q_RESPONSAVEL)


@dataclass(frozen=True)
class Filtros:
    municipio: str | None = None
    ano: int | None = None
    eixo: int | None = None
    situacoes: tuple[str, ...] = field(default=())
    territorios: tuple[str, ...] = field(default=())
    responsaveis: tuple[str, ...] = field(default=())

    def to_query(self) -> dict[str, str | list[str]]:
        q: dict[str, str | list[str]] = {}
        if self.municipio:
            q[Q_MUNICIPIO] = self.municipio
        if self.ano is not None:
            q[Q_ANO] = str(self.ano)
        if self.eixo is not None:
            q[Q_EIXO] = str(self.eixo)
        if self.situacoes:
            q[Q_SITUACAO] = list(self.situacoes)
        if self.territorios:
            q[Q_TERRITORIO] = list(self.territorios)
        if self.responsaveis:
            q[Q_RESPONSAVEL] = list(self.responsaveis)
        return q


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except ValueError:
        return None


def from_query(get_all) -> Filtros:
    """Filters from URL parameters; ``get_all(name)`` returns the list of values for a name.

    Bad values (text where a year belongs) are dropped, never an error: a link is user input.
    """
    first = lambda name: (get_all(name) or [None])[0]  # noqa: E731
    return Filtros(
        municipio=first(Q_MUNICIPIO) or None,
        ano=_int(first(Q_ANO)),
        eixo=_int(first(Q_EIXO)),
        situacoes=tuple(get_all(Q_SITUACAO) or ()),
        territorios=tuple(get_all(Q_TERRITORIO) or ()),
        responsaveis=tuple(get_all(Q_RESPONSAVEL) or ()),
    )


def apply(metas: pd.DataFrame, f: Filtros, *, ano: bool = True, eixo: bool = True) -> pd.DataFrame:
    """The goals the filters keep (``ano``/``eixo`` False: keep every year / eixo)."""
    if metas.empty:
        return metas
    mask = pd.Series(True, index=metas.index)
    if ano and f.ano is not None:
        mask &= metas["ano"] == f.ano
    if eixo and f.eixo is not None:
        mask &= metas["eixo_numero"] == f.eixo
    if f.situacoes:
        mask &= metas["situacao"].isin(f.situacoes)
    if f.territorios:
        mask &= metas["territorio"].isin(f.territorios)
    if f.responsaveis:
        mask &= metas["responsavel"].isin(f.responsaveis)
    return metas[mask.fillna(False).astype(bool)]


def describe(f: Filtros, plano: Plano | None) -> list[tuple[str, str]]:
    """(label, value) pairs listing the filters, for downloads and reports."""
    B = textos.BARRA_LATERAL
    out: list[tuple[str, str]] = []
    if plano is not None:
        out.append((B["municipio"], plano.municipio))
        out.append((B["plano"], plano.nome))
    out.append((B["ano"], str(f.ano) if f.ano is not None else B["todos"]))
    eixo = B["todos"]
    if f.eixo is not None and plano is not None:
        try:
            eixo = plano.eixo(f.eixo).rotulo
        except KeyError:
            eixo = str(f.eixo)
    out.append((B["eixo"], eixo))
    out.append((B["situacao"], ", ".join(f.situacoes) or B["todas"]))
    out.append((B["territorio"], ", ".join(f.territorios) or B["todos"]))
    out.append((B["responsavel"], ", ".join(f.responsaveis) or B["todos"]))
    return out


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def file_suffix(f: Filtros | None, nome: str = "", *, limite: int = 100) -> str:
    """The filters as a file-name suffix, so that a download says what it holds:
    ``_eixo-2_territorio-centro-a_situacao-realizada`` (the year only when ``nome`` lacks it;
    empty without filters; at most ``limite`` characters)."""
    if f is None:
        return ""
    parts: list[str] = []
    if f.municipio:
        parts.append(_slug(f.municipio))
    if f.ano is not None and str(f.ano) not in nome:
        parts.append(str(f.ano))
    if f.eixo is not None and f"eixo_{f.eixo}" not in nome:
        parts.append(f"eixo-{f.eixo}")
    for rotulo, values in (
        ("situacao", f.situacoes),
        ("territorio", f.territorios),
        ("responsavel", f.responsaveis),
    ):
        if values:
            parts.append(f"{rotulo}-" + "-".join(_slug(v) for v in values))
    suffix = "".join(f"_{p}" for p in parts if p)
    return suffix[:limite].rstrip("-_")
