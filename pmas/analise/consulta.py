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


def deliberacoes(
    store: Store,
    edicao: int | None = None,
    ano: int | None = None,
    municipio: str | None = None,
) -> dict:
    """The contract of ``python -m pmas deliberacoes --formato json``: one edition's
    deliberations with their status in a plan year, the coverage and the rule.

    ``edicao`` defaults to the latest edition, ``ano`` to the latest year with goals in any plan
    of the municipality."""
    from pmas.analise import deliberacoes as D

    _, plano = plan_for(store, municipio)
    delib = store.load_municipality("deliberacoes", plano.municipio)
    metas = store.load_municipality("metas", plano.municipio)
    edicoes = D.editions(delib)
    if not edicoes:
        raise SemDados(
            f"Não há deliberações de conferência de {plano.municipio} no banco de dados: "
            "importe uma planilha com a aba “Deliberações”."
        )
    if edicao is None:
        edicao = edicoes[-1]
    elif edicao not in edicoes:
        raise SemDados(
            f"Não há deliberações da conferência de {edicao} "
            f"(edições disponíveis: {', '.join(map(str, edicoes))})."
        )
    anos = goal_years(metas)
    if ano is None:
        if not anos:
            raise SemDados("Não há metas importadas para este município.")
        ano = anos[-1]
    elif ano not in anos:
        raise SemDados(
            f"Não há metas de {ano} no banco de dados"
            + (f" (anos disponíveis: {', '.join(map(str, anos))})." if anos else ".")
        )
    plano_do_ano = _plan_of_year(store, plano.municipio, ano) or plano
    mine = delib[delib["ano"] == edicao]
    st = D.status(mine, metas, ano, plano_do_ano)
    lig = D.links(mine, metas, ano)
    unknown = D.unknown_links(mine, metas)

    def text(v):
        return None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)

    itens = []
    for r in st.to_dict("records"):
        goals = lig[lig["numero"] == r["numero"]]
        itens.append(
            {
                "edicao": int(r["ano"]),
                "numero": r["numero"],
                "eixo_conferencia": text(r["eixo_conferencia"]),
                "ambito": r["ambito"],
                "texto": r["texto"],
                "prioridade": text(r["prioridade"]),
                "metas": D.split_codes(r["metas"]),
                "metas_inexistentes": D.split_codes(r["metas_inexistentes"]),
                "situacao": r["situacao"],
                "motivo": r["motivo"],
                "eixos_plano": list(r["eixos_lista"]),
                "metas_no_ano": [
                    {
                        "codigo": text(g["codigo"]),
                        "plano": text(g["plano"]),
                        "acao": text(g["acao"]) or text(g["meta"]),
                        "situacao": text(g["situacao"]),
                        "justificativa": text(g["justificativa"]),
                    }
                    for g in goals.to_dict("records")
                    if text(g["situacao"]) is not None
                ],
            }
        )
    return {
        "municipio": plano.municipio,
        "edicao": int(edicao),
        "ano": int(ano),
        "edicoes": edicoes,
        "regra": D.REGRA.replace("**", ""),
        "cobertura": D.coverage(st),
        "deliberacoes": itens,
        "metas_inexistentes": [
            {
                "numero": u["numero"],
                "codigo": u["codigo"],
                "aba": text(u["aba"]),
                "linha": None if pd.isna(u["linha"]) else int(u["linha"]),
            }
            for u in unknown.to_dict("records")
        ],
    }


def _plan_of_year(store: Store, municipio: str, ano: int) -> Plano | None:
    """The municipality's plan whose years include ``ano`` (the one in force), if any."""
    for _, p in store.plans():
        if p.municipio == municipio and p.ano_inicio <= ano <= p.ano_fim:
            return p
    return None
