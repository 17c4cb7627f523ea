"""Queries shared by the dashboard, the CLI and the report: which plan, which years, what figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pmas.analise import metrics
from pmas.dados.plano import Plano
from pmas.dados.store import Store
from pmas.textos import CONSULTA as T_CONSULTA
from pmas.textos import PLANO as T_PLANO


class SemDados(LookupError):
    """Nothing stored for what was asked; the message is Portuguese and says what to do."""


def _ano_atual() -> int:
    return dt.date.today().year


def _lista(plans: list[tuple[int, Plano]]) -> str:
    return "; ".join(p.titulo for _, p in plans) or "nenhum"


def comando_proximo(plano: Plano) -> str:
    """The command that starts the plan's next cycle (same length, the years after it)."""
    inicio = plano.ano_fim + 1
    fim = inicio + plano.ano_fim - plano.ano_inicio
    return (
        f'python -m pmas plano proximo --municipio "{plano.municipio}" '
        f"--inicio {inicio} --fim {fim}"
    )


def comando_criar(municipio: str, arquivo: str = "PLANILHA") -> str:
    ano = _ano_atual()
    return (
        f'python -m pmas plano criar --municipio "{municipio}" --uf UF --ibge CODIGO '
        f'--nome "PMAS {ano}-{ano + 3}" --inicio {ano} --fim {ano + 3} '
        f'--eixos-da-planilha "{arquivo}"'
    )


def fora_dos_planos(municipio: str, ano: int, plans: list[tuple[int, Plano]]) -> str:
    """A year no plan of the municipality covers: which plans exist and how to make the next."""
    msg = T_PLANO["fora_dos_planos"].format(municipio=municipio, ano=ano, planos=_lista(plans))
    if plans:
        ultimo = max(plans, key=lambda x: x[1].ano_fim)[1]
        if ano > ultimo.ano_fim:
            return msg + " " + T_PLANO["criar_proximo"].format(comando=comando_proximo(ultimo))
    return msg + " " + T_PLANO["criar_plano"].format(comando=comando_criar(municipio))


def _municipality_plans(store: Store, municipio: str | None) -> list[tuple[int, Plano]]:
    """The plans of the municipality asked for (or of the first one), real data's before the
    example's: an example plan is chosen only when the municipality has nothing else."""
    plans = store.plans(municipio)
    if not plans:
        if municipio:
            raise SemDados(T_PLANO["sem_plano_municipio"].format(municipio=municipio))
        raise SemDados(T_CONSULTA["banco_vazio"])
    if municipio is None:
        primeiro = next((p for _, p in plans if not p.exemplo), plans[0][1]).municipio
        plans = [x for x in plans if x[1].municipio == primeiro]
    return [x for x in plans if not x[1].exemplo] or plans


def plan_for(
    store: Store, municipio: str | None = None, nome: str | None = None, ano: int | None = None
) -> tuple[int, Plano]:
    """The plan a question is about: the one named; else the one in force in ``ano``; else the
    one in force this year if it holds data, else the latest with data, else the latest."""
    if nome is not None:
        for pid, p in store.plans(municipio):
            if p.nome == nome:
                return pid, p
        raise SemDados(
            T_PLANO["plano_nao_existe"].format(nome=nome, planos=_lista(store.plans(municipio)))
        )
    plans = _municipality_plans(store, municipio)
    if ano is not None:
        for x in plans:
            if x[1].vigente_em(ano):
                return x
        raise SemDados(fora_dos_planos(plans[0][1].municipio, ano, plans))
    com_dados = {v.plano_id for v in store.versions(current_only=True)}
    hoje = [x for x in plans if x[1].vigente_em(_ano_atual())]
    for x in hoje:
        if x[0] in com_dados:
            return x
    dados = [x for x in plans if x[0] in com_dados]
    if dados:
        return max(dados, key=lambda x: x[1].ano_inicio)
    return hoje[0] if hoje else max(plans, key=lambda x: x[1].ano_inicio)


def plan_to_import(
    store: Store,
    municipio: str | None = None,
    nome: str | None = None,
    anos: list[int] | None = None,
    arquivo: str = "PLANILHA",
) -> tuple[int, Plano]:
    """The stored plan an import goes to: the one named, or the one in force for the years of
    the data (all in one plan). SemDados, with the command to run, when there is none."""
    if nome is not None:
        return plan_for(store, municipio, nome)
    if not any(not p.exemplo for _, p in store.plans(municipio)):
        # the example data's plan never takes real data: the municipality's own plan first
        alvo = municipio or T_CONSULTA["nome_municipio"]
        raise SemDados(
            T_PLANO["sem_plano_municipio"].format(municipio=alvo)
            + " "
            + T_PLANO["criar_plano"].format(comando=comando_criar(alvo, arquivo))
        )
    plans = _municipality_plans(store, municipio)
    if not anos:
        return plan_for(store, municipio)
    found = {}
    for ano in anos:
        x = next((x for x in plans if x[1].vigente_em(ano)), None)
        if x is None:
            raise SemDados(fora_dos_planos(plans[0][1].municipio, ano, plans))
        found[x[0]] = x
    if len(found) > 1:
        raise SemDados(
            T_PLANO["anos_em_dois_planos"].format(
                anos=", ".join(map(str, anos)), planos=_lista(list(found.values()))
            )
        )
    return next(iter(found.values()))


def goal_years(metas: pd.DataFrame) -> list[int]:
    return sorted(int(a) for a in metas["ano"].dropna().unique()) if len(metas) else []


def _sem_metas_do_ano(ano: int, anos: list[int]) -> str:
    """No goals of ``ano``: the message, with the years there are (if any)."""
    disponiveis = ", ".join(map(str, anos))
    fim = T_CONSULTA["anos_disponiveis"].format(anos=disponiveis) if anos else "."
    return T_CONSULTA["sem_metas_ano"].format(ano=ano) + fim


def resumo(
    store: Store, ano: int | None = None, municipio: str | None = None, nome: str | None = None
) -> dict:
    """The resumo contract of ``python -m pmas resumo --formato json``: of the plan named, or
    the one in force in ``ano``."""
    plano_id, plano = plan_for(store, municipio, nome, ano)
    metas = store.load("metas", plano_id)
    anos = goal_years(metas)
    if ano is None:
        if not anos:
            raise SemDados(T_CONSULTA["sem_metas_plano"])
        ano = anos[-1]
    elif ano not in anos:
        raise SemDados(_sem_metas_do_ano(ano, anos))
    conf = store.load("conferencias", plano_id)
    return {
        "municipio": plano.municipio,
        "plano": plano.nome,
        "ano": ano,
        **metrics.summary(metas[metas["ano"] == ano], plano),
        "conferencias": metrics.conference_summary(conf),
    }


def sentido_texto(sentido: object) -> str | None:
    """A goal's direction as shown beside its score: a reduction goal says how it is scored."""
    from pmas import textos
    from pmas.dados import schema

    if sentido == schema.REDUZIR:
        return textos.UI["meta_reducao"]
    return sentido if isinstance(sentido, str) and sentido else None


def goal_detail(goal: pd.Series) -> pd.DataFrame:
    """One goal's fields as a two-column table (Campo, Valor), numbers the Brazilian way."""
    from pmas import fmt, textos

    def number(v) -> str:
        if v is None or pd.isna(v):
            return fmt.VAZIO
        return fmt.numero(v, 0 if float(v).is_integer() else 2)

    D = textos.DETALHE_META
    fields = {
        D["diretriz"]: goal.get("diretriz"),
        D["meta"]: goal.get("meta"),
        D["estrategia"]: goal.get("estrategia"),
        D["indicador"]: goal.get("indicador"),
        D["responsavel"]: goal.get("responsavel"),
        D["prazo"]: goal.get("prazo"),
        D["territorio"]: goal.get("territorio"),
        D["situacao"]: goal.get("situacao"),
        D["previsto"]: number(goal.get("previsto")),
        D["realizado"]: number(goal.get("realizado")),
        D["execucao_pct"]: fmt.pct(goal.get("execucao_pct")),
        D["sentido"]: sentido_texto(goal.get("sentido")),
        D["justificativa"]: goal.get("justificativa"),
    }
    return pd.DataFrame(
        {
            textos.DETALHE_META_COLUNAS[0]: list(fields),
            textos.DETALHE_META_COLUNAS[1]: [
                fmt.VAZIO if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
                for v in fields.values()
            ],
        }
    )


def metas_em_ciclos(store: Store, plano_id: int) -> tuple[list[tuple[int, Plano]], pd.DataFrame]:
    """The plan with the plans just before and after it (:func:`pmas.analise.ciclos.vizinhos`)
    and their goals in one frame (:func:`pmas.analise.ciclos.juntar`)."""
    from pmas.analise import ciclos

    plano = store.plan_by_id(plano_id)
    if plano is None:
        return [], pd.DataFrame()
    cadeia = ciclos.vizinhos(store.plans(plano.municipio), plano_id)
    metas = {pid: store.load("metas", pid) for pid, _ in cadeia}
    return cadeia, ciclos.juntar(cadeia, metas, plano_id)


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
    *,
    exemplo: bool | None = None,
) -> dict:
    """The contract of ``python -m pmas deliberacoes --formato json``: one edition's
    deliberations with their status in a plan year, the coverage and the rule.

    ``edicao`` defaults to the latest edition, ``ano`` to the latest year with goals in any plan
    of the municipality."""
    from pmas.analise import deliberacoes as D

    _, plano = plan_for(store, municipio)
    exemplo = plano.exemplo if exemplo is None else exemplo  # the example's or the real plans'
    delib = store.load_municipality("deliberacoes", plano.municipio, exemplo=exemplo)
    metas = store.load_municipality("metas", plano.municipio, exemplo=exemplo)
    edicoes = D.editions(delib)
    if not edicoes:
        raise SemDados(T_CONSULTA["sem_deliberacoes"].format(municipio=plano.municipio))
    if edicao is None:
        edicao = edicoes[-1]
    elif edicao not in edicoes:
        raise SemDados(
            T_CONSULTA["sem_edicao"].format(edicao=edicao, edicoes=", ".join(map(str, edicoes)))
        )
    anos = goal_years(metas)
    if ano is None:
        if not anos:
            raise SemDados(T_CONSULTA["sem_metas_municipio"])
        ano = anos[-1]
    elif ano not in anos:
        raise SemDados(_sem_metas_do_ano(ano, anos))
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
