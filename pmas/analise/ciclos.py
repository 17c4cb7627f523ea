"""Comparisons across two consecutive plans of a municipality (plan cycles).

A municipality's plans follow one another: PMAS 2022-2025, then PMAS 2026-2029. Plan B is the
*next* of plan A when both are of the same municipality, of the same kind (real, or the example
data's: never one of each) and B starts the year after A ends. The Comparativo anual, the goal
history and ``python -m pmas comparar`` then work across the boundary:

- goals are followed by their código (a goal carried over keeps it), as inside a plan
  (:func:`pmas.analise.comparacao.match_goals`);
- eixos are matched by their number; where the two plans name an eixo differently both names
  are shown (:func:`eixos_diferentes`), and an eixo only one plan has keeps its figures on its
  side only;
- whatever crosses the boundary says so, naming both plans (:func:`aviso_fronteira`).

Pure functions of plans and frames: no I/O, no Streamlit.
"""

from __future__ import annotations

import pandas as pd

from pmas import textos
from pmas.analise import comparacao, metrics
from pmas.dados.plano import Plano

_T = textos.CICLOS


def _mesma_serie(a: Plano, b: Plano) -> bool:
    return a.municipio == b.municipio and a.exemplo == b.exemplo


def vizinhos(plans: list[tuple[int, Plano]], plano_id: int) -> list[tuple[int, Plano]]:
    """The plan ``plano_id`` with the plan just before it and the one just after it, when they
    exist (same municipality and kind, no gap between the periods), oldest first."""
    atual = next((p for pid, p in plans if pid == plano_id), None)
    if atual is None:
        return []
    antes = next(
        (
            (pid, p)
            for pid, p in plans
            if _mesma_serie(p, atual) and p.ano_fim + 1 == atual.ano_inicio
        ),
        None,
    )
    depois = next(
        (
            (pid, p)
            for pid, p in plans
            if _mesma_serie(p, atual) and p.ano_inicio == atual.ano_fim + 1
        ),
        None,
    )
    return [x for x in (antes, (plano_id, atual), depois) if x is not None]


def juntar(
    cadeia: list[tuple[int, Plano]], metas: dict[int, pd.DataFrame], plano_id: int
) -> pd.DataFrame:
    """The goals of a chain of consecutive plans in one frame, with ``plano`` (the plan's name)
    and ``plano_id``: every row of plan ``plano_id``, and the other plans' rows of the years of
    their own period that plan ``plano_id`` does not hold (a year is never counted twice)."""
    proprio = metas.get(plano_id)
    anos_proprios = set(proprio["ano"].dropna().astype(int)) if proprio is not None else set()
    partes = []
    for pid, p in cadeia:
        frame = metas.get(pid)
        if frame is None or frame.empty:
            continue
        if pid != plano_id:
            anos = frame["ano"]
            frame = frame[anos.between(p.ano_inicio, p.ano_fim) & ~anos.isin(anos_proprios)].copy()
        partes.append(frame.assign(plano=p.nome, plano_id=pid))
    if not partes:
        return proprio if proprio is not None else pd.DataFrame()
    out = pd.concat(partes, ignore_index=True)
    return out.sort_values("ano", kind="stable").reset_index(drop=True)


def plano_do_ano(cadeia: list[tuple[int, Plano]], ano: int) -> Plano | None:
    """The plan of the chain whose period holds ``ano``."""
    return next((p for _, p in cadeia if p.vigente_em(ano)), None)


def fronteira(cadeia: list[tuple[int, Plano]], de: int, para: int) -> tuple[Plano, Plano] | None:
    """The two plans when years ``de`` and ``para`` belong to different plans, else None."""
    a, b = plano_do_ano(cadeia, de), plano_do_ano(cadeia, para)
    if a is None or b is None or a == b:
        return None
    return a, b


def eixos_diferentes(a: Plano, b: Plano) -> list[dict]:
    """Eixos by number where the plans differ: ``numero``, ``nome_de`` (plan ``a``'s name, None
    if it has no such eixo) and ``nome_para`` (plan ``b``'s), in number order."""
    na = {e.numero: e.nome for e in a.eixos}
    nb = {e.numero: e.nome for e in b.eixos}
    return [
        {"numero": n, "nome_de": na.get(n), "nome_para": nb.get(n)}
        for n in sorted(na.keys() | nb.keys())
        if na.get(n) != nb.get(n)
    ]


def aviso_fronteira(a: Plano, b: Plano, de: int, para: int) -> str:
    """The notice of a comparison that crosses from plan ``a`` (year ``de``) to plan ``b``."""
    texto = _T["cruza"].format(de=de, plano_de=a.titulo, para=para, plano_para=b.titulo)
    diferentes = eixos_diferentes(a, b)
    if not diferentes:
        return texto + " " + _T["eixos_iguais"]
    partes = [
        _T["eixo_nomes"].format(
            numero=d["numero"],
            nome_de=d["nome_de"] or _T["sem_eixo"],
            nome_para=d["nome_para"] or _T["sem_eixo"],
        )
        for d in diferentes
    ]
    return texto + " " + _T["eixos_diferentes"].format(lista="; ".join(partes))


def eixo_changes(
    metas_a: pd.DataFrame, plano_a: Plano, metas_b: pd.DataFrame, plano_b: Plano
) -> list[dict]:
    """Like :func:`pmas.analise.comparacao.eixo_changes` across two plans, eixos matched by
    number (plan ``b``'s order, then the numbers only ``a`` has): ``numero``, ``nome`` (``b``'s
    name, else ``a``'s), ``nome_de`` / ``nome_para`` (each plan's name, None where it lacks the
    eixo) and the three figures ``{de, para, variacao_pp}``."""
    fa = {int(r.numero): r for r in metrics.completion_by_eixo(metas_a, plano_a).itertuples()}
    fb = {int(r.numero): r for r in metrics.completion_by_eixo(metas_b, plano_b).itertuples()}
    numeros = [e.numero for e in plano_b.eixos] + [
        e.numero for e in plano_a.eixos if e.numero not in fb
    ]
    nomes_a = {e.numero: e.nome for e in plano_a.eixos}
    nomes_b = {e.numero: e.nome for e in plano_b.eixos}
    out = []
    for n in numeros:
        ra, rb = fa.get(n), fb.get(n)
        item: dict = {
            "numero": n,
            "nome": nomes_b.get(n) or nomes_a.get(n),
            "nome_de": nomes_a.get(n),
            "nome_para": nomes_b.get(n),
        }
        for fig in comparacao.FIGURAS:
            item[fig] = comparacao._triple(
                getattr(ra, fig) if ra is not None else None,
                getattr(rb, fig) if rb is not None else None,
            )
        out.append(item)
    return out


def compare(metas: pd.DataFrame, cadeia: list[tuple[int, Plano]], de: int, para: int) -> dict:
    """The ``comparar`` contract (:func:`pmas.analise.comparacao.compare`) on a chain's goals
    (:func:`juntar`), plus ``plano_de`` / ``plano_para`` (the plans of the two years) and
    ``cruza_planos``; across the boundary ``eixos`` matches them by number
    (:func:`eixo_changes`), and ``eixos_diferentes`` lists the names that differ."""
    a, b = plano_do_ano(cadeia, de), plano_do_ano(cadeia, para)
    base = b or a or cadeia[-1][1]
    out = comparacao.compare(metas, base, de, para)
    cruza = a is not None and b is not None and a != b
    out["plano_de"] = (a or base).nome
    out["plano_para"] = base.nome
    out["cruza_planos"] = cruza
    if a is not None and b is not None and cruza:
        ma, mb = metas[metas["ano"] == de], metas[metas["ano"] == para]
        out["eixos"] = eixo_changes(ma, a, mb, b)
        out["eixos_diferentes"] = eixos_diferentes(a, b)
        out["aviso"] = aviso_fronteira(a, b, de, para)
    return out


def historico(metas: pd.DataFrame, goal: pd.Series) -> tuple[pd.DataFrame, list[str]]:
    """The goal in every year of a chain's goals (:func:`juntar`): matched by código (or by
    ação and meta text, as :func:`pmas.analise.consulta.goal_history`), oldest first, and the
    names of the plans it runs through (more than one: the history crosses a boundary)."""
    from pmas.entrada.validate import goal_key

    if metas.empty:
        return metas, []
    mine = goal_key(goal.to_frame().T).iloc[0]
    rows = metas[goal_key(metas) == mine].sort_values("ano", kind="stable")
    planos = list(dict.fromkeys(rows["plano"])) if "plano" in rows else []
    return rows, planos
