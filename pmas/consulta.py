"""Queries shared by the dashboard, the CLI and the report: which plan, which years, what figures."""

from __future__ import annotations

import pandas as pd

from pmas import metrics
from pmas.plano import DEFAULT_PLANO, Plano
from pmas.store import Store


class SemDados(LookupError):
    """Nothing stored for what was asked; the message is Portuguese and says what to do."""


def plan_for(store: Store, municipio: str | None = None, nome: str | None = None) -> tuple[int, Plano]:
    found = store.plan(municipio, nome)
    if found is None:
        if municipio:
            raise SemDados(f"Não há plano do município “{municipio}” no banco de dados.")
        raise SemDados("O banco de dados está vazio: importe uma planilha primeiro.")
    return found


def plan_to_import(store: Store, municipio: str | None = None, nome: str | None = None) -> Plano:
    """The plan an import goes to: the stored one, or a new one with the default eixos."""
    found = store.plan(municipio, nome)
    if found is not None:
        return found[1]
    base = DEFAULT_PLANO
    return Plano(municipio=municipio or base.municipio, nome=nome or base.nome,
                 ano_inicio=base.ano_inicio, ano_fim=base.ano_fim, eixos=base.eixos,
                 uf=base.uf if not municipio else "")


def goal_years(metas: pd.DataFrame) -> list[int]:
    return sorted(int(a) for a in metas["ano"].dropna().unique()) if len(metas) else []


def resumo(store: Store, ano: int | None = None, municipio: str | None = None) -> dict:
    """The resumo contract of ``python -m pmas resumo --formato json``."""
    plano_id, plano = plan_for(store, municipio)
    metas = store.load("metas", plano_id)
    anos = goal_years(metas)
    if ano is None:
        if not anos:
            raise SemDados("Não há metas importadas para este plano.")
        ano = anos[-1]
    elif ano not in anos:
        raise SemDados(f"Não há metas de {ano} no banco de dados"
                       + (f" (anos disponíveis: {', '.join(map(str, anos))})." if anos else "."))
    conf = store.load("conferencias", plano_id)
    return {"municipio": plano.municipio, "plano": plano.nome, "ano": ano,
            **metrics.summary(metas[metas["ano"] == ano], plano),
            "conferencias": metrics.conference_summary(conf)}
