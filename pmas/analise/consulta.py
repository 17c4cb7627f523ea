"""Queries shared by the dashboard, the CLI and the report: which plan, which years, what figures."""

from __future__ import annotations

import pandas as pd

from pmas.analise import metrics
from pmas.dados.plano import DEFAULT_PLANO, Plano
from pmas.dados.store import Store


class SemDados(LookupError):
    """Nothing stored for what was asked; the message is Portuguese and says what to do."""


def plan_for(
    store: Store, municipio: str | None = None, nome: str | None = None
) -> tuple[int, Plano]:
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
    return Plano(
        municipio=municipio or base.municipio,
        nome=nome or base.nome,
        ano_inicio=base.ano_inicio,
        ano_fim=base.ano_fim,
        eixos=base.eixos,
        uf=base.uf if not municipio else "",
    )


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
        raise SemDados(
            f"Não há metas de {ano} no banco de dados"
            + (f" (anos disponíveis: {', '.join(map(str, anos))})." if anos else ".")
        )
    conf = store.load("conferencias", plano_id)
    return {
        "municipio": plano.municipio,
        "plano": plano.nome,
        "ano": ano,
        **metrics.summary(metas[metas["ano"] == ano], plano),
        "conferencias": metrics.conference_summary(conf),
    }


def goal_detail(goal: pd.Series) -> pd.DataFrame:
    """One goal's fields as a two-column table (Campo, Valor), numbers the Brazilian way."""
    from pmas import fmt

    def number(v) -> str:
        if v is None or pd.isna(v):
            return fmt.VAZIO
        return fmt.numero(v, 0 if float(v).is_integer() else 2)

    fields = {
        "Diretriz": goal.get("diretriz"),
        "Meta": goal.get("meta"),
        "Estratégia": goal.get("estrategia"),
        "Indicador": goal.get("indicador"),
        "Responsável": goal.get("responsavel"),
        "Prazo": goal.get("prazo"),
        "Território": goal.get("territorio"),
        "Situação": goal.get("situacao"),
        "Previsto": number(goal.get("previsto")),
        "Realizado": number(goal.get("realizado")),
        "Execução": fmt.pct(goal.get("execucao_pct")),
        "Justificativa": goal.get("justificativa"),
    }
    return pd.DataFrame(
        {
            "Campo": list(fields),
            "Valor": [
                fmt.VAZIO if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
                for v in fields.values()
            ],
        }
    )


def goal_history(metas_todas: pd.DataFrame, goal: pd.Series) -> pd.DataFrame:
    """The same goal in every stored year (matched by código, or by ação and meta text)."""
    from pmas.entrada.validate import goal_key

    mine = goal_key(goal.to_frame().T).iloc[0]
    return metas_todas[goal_key(metas_todas) == mine].sort_values("ano")
