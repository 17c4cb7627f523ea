"""The dashboard's filters: a value, its URL form, what it keeps of a table and how it is described.

Pure: the sidebar (pmas.ui.sidebar) binds these to widgets and to the URL query parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

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
    out: list[tuple[str, str]] = []
    if plano is not None:
        out.append(("Município", plano.municipio))
        out.append(("Plano", plano.nome))
    out.append(("Ano", str(f.ano) if f.ano is not None else "Todos"))
    eixo = "Todos"
    if f.eixo is not None and plano is not None:
        try:
            eixo = plano.eixo(f.eixo).rotulo
        except KeyError:
            eixo = str(f.eixo)
    out.append(("Eixo", eixo))
    out.append(("Situação", ", ".join(f.situacoes) or "Todas"))
    out.append(("Território", ", ".join(f.territorios) or "Todos"))
    out.append(("Responsável", ", ".join(f.responsaveis) or "Todos"))
    return out
