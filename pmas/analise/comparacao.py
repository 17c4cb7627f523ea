"""Year-over-year comparisons: completion per eixo per year, changes in percentage points, goals
matched across years, status transitions, regressions, stalls and the pace of numeric targets.

Pure pandas, no I/O and no Streamlit: the Comparativo anual screen, the CLI (``python -m pmas
comparar``) and the tests call the same functions.

**Matching goals across years** (:func:`match_goals`), in three passes, each on the goals the
previous passes left unmatched:

1. by código (compared as :func:`pmas.text.key`: "1.1" = " 1.1 ");
2. by the normalised ação and meta text (:func:`pmas.entrada.validate.goal_key` of a goal without código);
   a goal that has a código in one year and none in the other is matched this way too;
3. two goals whose códigos differ but whose normalised ação + meta text is exactly the same are the
   same goal whose código was changed ("código alterado").

Goals that match nothing are kept as rows "só em A" / "só em B", never dropped.

**Regressed and stalled** (:func:`regressions`, :func:`stalls`): statuses are ordered by their
default score (DOMAIN.md), ``Realizada`` (1) > ``Parcialmente realizada`` = ``Em andamento`` (0,5)
> ``Não iniciada`` = ``Não realizada`` (0). A goal *regressed* when it is avaliável in both years
and its rank fell (Realizada → Parcialmente realizada, Em andamento → Não iniciada, …); moving
into or out of Cancelada / Não se aplica is not a regression (it is shown in the transitions). A
goal *stalled* when it is Não iniciada in both years.

**Pace** (:func:`pace`): see its docstring.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from pmas import textos
from pmas.analise import metrics
from pmas.dados import schema
from pmas.dados.schema import STATUS_ORDER
from pmas.text import key

FIGURAS = ("pct_realizadas", "pct_realizadas_ou_parciais", "indice_cumprimento")

# Rank of each status for "regressed" (higher is further along); None: not avaliável.
STATUS_RANK: dict[str, int | None] = {
    schema.REALIZADA: 2,
    schema.PARCIAL: 1,
    schema.EM_ANDAMENTO: 1,
    schema.NAO_INICIADA: 0,
    schema.NAO_REALIZADA: 0,
    schema.CANCELADA: None,
    schema.NAO_SE_APLICA: None,
}

# How a goal of year A was found in year B (the ``correspondencia`` column).
POR_CODIGO = textos.CORRESPONDENCIA["por_codigo"]
POR_TEXTO = textos.CORRESPONDENCIA["por_texto"]
CODIGO_ALTERADO = textos.CORRESPONDENCIA["codigo_alterado"]
SO_EM_A = textos.CORRESPONDENCIA["so_em_a"]
SO_EM_B = textos.CORRESPONDENCIA["so_em_b"]

ARROW_UP, ARROW_DOWN, ARROW_SAME = "▲", "▼", "▬"

_T = textos.COMPARATIVO
NO_RITMO = _T["no_ritmo"]
ABAIXO = _T["abaixo"]
ACIMA = _T["acima"]
ANO_BASE = _T["ano_base"]  # the ritmo of the year whose value is the baseline
TOLERANCIA_PP = 5.0

# Labels of the pace tables on the Comparativo anual screen and in their downloads (pmas.textos).
RITMO_ROTULOS = textos.COLUNAS_COMPARATIVO["ritmo"]

# Goal columns carried to both sides of a match (suffixed _a / _b).
_SIDE_COLUMNS = ("codigo", "situacao", "justificativa", "previsto", "realizado")


# --- completion per eixo per year -------------------------------------------------------------


def completion_by_year(
    metas: pd.DataFrame, plano, anos: list[int] | None = None, *, total: bool = True
) -> pd.DataFrame:
    """One row per (year, eixo) with the figures of :mod:`pmas.analise.metrics`, eixos in plan order.

    Columns: ``ano``, ``numero``, ``nome``, ``rotulo`` ("2. Serviços, …"), ``curto`` (the short
    label, "2. Serviços, Programas e Projetos"), ``metas``, ``avaliaveis`` and the three figures
    (0–100, NaN without avaliável goals). With ``total`` each year also gets a row for the whole
    plan (``numero`` 0, ``rotulo`` and ``curto`` "Total do plano"). ``anos`` defaults to every
    year in ``metas``.
    """
    if anos is None:
        anos = sorted(int(a) for a in metas["ano"].dropna().unique()) if len(metas) else []
    curto = {e.numero: f"{e.numero}. {e.curto or e.nome}" for e in plano.eixos}
    rows = []
    for ano in anos:
        year = metas[metas["ano"] == ano] if len(metas) else metas
        by_eixo = metrics.completion_by_eixo(year, plano)
        for r in by_eixo.itertuples(index=False):
            rows.append(
                {
                    "ano": int(ano),
                    "numero": int(r.numero),
                    "nome": r.nome,
                    "rotulo": r.rotulo,
                    "curto": curto[int(r.numero)],
                    "metas": int(r.metas),
                    "avaliaveis": int(r.avaliaveis),
                    **{f: getattr(r, f) for f in FIGURAS},
                }
            )
        if total:
            f = metrics.figures(year)
            rows.append(
                {
                    "ano": int(ano),
                    "numero": 0,
                    "nome": _T["total_plano"],
                    "rotulo": _T["total_plano"],
                    "curto": _T["total_plano"],
                    "metas": f["metas"],
                    "avaliaveis": f["avaliaveis"],
                    **{k: f[k] for k in FIGURAS},
                }
            )
    columns = ["ano", "numero", "nome", "rotulo", "curto", "metas", "avaliaveis", *FIGURAS]
    out = pd.DataFrame(rows, columns=columns)
    for fig in FIGURAS:
        out[fig] = pd.to_numeric(out[fig], errors="coerce").astype("float64")
    return out


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def pp_change(de: float | None, para: float | None) -> float | None:
    """``para − de`` in percentage points, or None when either is missing."""
    if de is None or para is None or _missing(de) or _missing(para):
        return None
    return float(para) - float(de)


def arrow(change: float | None, casas: int = 1) -> str:
    """▲ up, ▼ down, ▬ no change (a change that rounds to 0,0 p.p.), "" when unknown."""
    if change is None or _missing(change):
        return ""
    if round(abs(change), casas) == 0:
        return ARROW_SAME
    return ARROW_UP if change > 0 else ARROW_DOWN


def pp_changes(por_ano: pd.DataFrame, figura: str = "pct_realizadas") -> pd.DataFrame:
    """Change of ``figura`` between consecutive stored years, per eixo (and total).

    ``por_ano`` is :func:`completion_by_year`. One row per eixo and pair of consecutive years:
    ``numero``, ``rotulo``, ``de``, ``para`` (the years), ``valor_de``, ``valor_para``,
    ``variacao_pp`` (None when a year has no avaliável goal) and ``tendencia`` (:func:`arrow`).
    """
    anos = sorted(por_ano["ano"].unique())
    rows = []
    pares = list(zip(anos, anos[1:]))
    for numero, g in por_ano.groupby("numero", sort=False):
        values = {int(r.ano): getattr(r, figura) for r in g.itertuples(index=False)}
        rotulo = g["rotulo"].iloc[0]
        for a, b in pares:
            va, vb = values.get(int(a)), values.get(int(b))
            va = None if va is None or _missing(va) else float(va)
            vb = None if vb is None or _missing(vb) else float(vb)
            d = pp_change(va, vb)
            rows.append(
                {
                    "numero": int(numero),
                    "rotulo": rotulo,
                    "de": int(a),
                    "para": int(b),
                    "valor_de": va,
                    "valor_para": vb,
                    "variacao_pp": d,
                    "tendencia": arrow(d),
                }
            )
    out = pd.DataFrame(
        rows,
        columns=[
            "numero",
            "rotulo",
            "de",
            "para",
            "valor_de",
            "valor_para",
            "variacao_pp",
            "tendencia",
        ],
    )
    for c in ("valor_de", "valor_para", "variacao_pp"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    return out


def eixo_changes(metas_a: pd.DataFrame, metas_b: pd.DataFrame, plano) -> list[dict]:
    """Per eixo (plan order): ``numero``, ``nome`` and, for each of the three figures,
    ``{"de": value in A, "para": value in B, "variacao_pp": B − A}`` (None when unknown)."""
    fa = metrics.completion_by_eixo(metas_a, plano)
    fb = metrics.completion_by_eixo(metas_b, plano)
    out = []
    for ra, rb in zip(fa.itertuples(index=False), fb.itertuples(index=False)):
        item: dict = {"numero": int(ra.numero), "nome": ra.nome}
        for fig in FIGURAS:
            item[fig] = _triple(getattr(ra, fig), getattr(rb, fig))
        out.append(item)
    return out


def total_changes(metas_a: pd.DataFrame, metas_b: pd.DataFrame) -> dict:
    """The three figures of the whole plan in A and B and their change (as :func:`eixo_changes`)."""
    fa, fb = metrics.figures(metas_a), metrics.figures(metas_b)
    return {fig: _triple(fa[fig], fb[fig]) for fig in FIGURAS}


def _triple(a, b) -> dict:
    a = None if _missing(a) else float(a)
    b = None if _missing(b) else float(b)
    return {"de": a, "para": b, "variacao_pp": pp_change(a, b)}


# --- matching goals across years --------------------------------------------------------------


def _code_key(v: object) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    k = key(v)
    return k or None


def _text_key(acao: object, meta: object) -> str | None:
    a = "" if acao is None or (isinstance(acao, float) and math.isnan(acao)) else key(acao)
    m = "" if meta is None or (isinstance(meta, float) and math.isnan(meta)) else key(meta)
    return f"{a}|{m}" if (a or m) else None


def _greedy(
    free_a: list[int], free_b: list[int], keys_a: list, keys_b: list, ok=lambda ia, ib: True
) -> list[tuple[int, int]]:
    """Pairs (position in A, position in B) of free goals sharing a key, taken in A's order; each
    goal of B is used once (so duplicated keys pair first with first)."""
    by_b: dict[str, list[int]] = {}
    for ib in free_b:
        if keys_b[ib] is not None:
            by_b.setdefault(keys_b[ib], []).append(ib)
    pairs, used = [], set()
    for ia in free_a:
        for ib in by_b.get(keys_a[ia], []) if keys_a[ia] is not None else []:
            if ib not in used and ok(ia, ib):
                pairs.append((ia, ib))
                used.add(ib)
                break
    return pairs


def match_goals(metas_a: pd.DataFrame, metas_b: pd.DataFrame) -> pd.DataFrame:
    """Goals of year A side by side with the same goals in year B (see the module docstring).

    One row per matched pair, then one per goal found in a single year. Columns: ``codigo``,
    ``eixo_numero``, ``eixo``, ``acao``, ``meta`` (from B when matched and known there, the year
    where it exists otherwise),
    ``codigo_a``, ``situacao_a``, ``justificativa_a``, ``previsto_a``, ``realizado_a`` and the
    same with ``_b`` (empty on the missing side), and ``correspondencia``: ``código``, ``texto``,
    ``código alterado``, ``só em A`` or ``só em B``.
    """
    a = metas_a.reset_index(drop=True)
    b = metas_b.reset_index(drop=True)
    code_a = [_code_key(v) for v in a["codigo"]] if len(a) else []
    code_b = [_code_key(v) for v in b["codigo"]] if len(b) else []
    text_a = [_text_key(x, y) for x, y in zip(a["acao"], a["meta"])] if len(a) else []
    text_b = [_text_key(x, y) for x, y in zip(b["acao"], b["meta"])] if len(b) else []

    free_a, free_b = list(range(len(a))), list(range(len(b)))
    matched: list[tuple[int, int, str]] = []

    def take(pairs: list[tuple[int, int]], how: str) -> None:
        nonlocal free_a, free_b
        matched.extend((ia, ib, how) for ia, ib in pairs)
        used_a, used_b = {ia for ia, _ in pairs}, {ib for _, ib in pairs}
        free_a = [i for i in free_a if i not in used_a]
        free_b = [i for i in free_b if i not in used_b]

    # 1. the same código
    take(_greedy(free_a, free_b, code_a, code_b), POR_CODIGO)
    # 2. the same text, where one of the two has no código
    take(
        _greedy(
            free_a, free_b, text_a, text_b, lambda ia, ib: code_a[ia] is None or code_b[ib] is None
        ),
        POR_TEXTO,
    )
    # 3. the same text, different códigos: the código was changed
    take(_greedy(free_a, free_b, text_a, text_b), CODIGO_ALTERADO)

    rows = []
    for ia, ib, how in sorted(matched, key=lambda t: t[0]):
        rows.append(_row(a.iloc[ia], b.iloc[ib], how))
    for ia in free_a:
        rows.append(_row(a.iloc[ia], None, SO_EM_A))
    for ib in free_b:
        rows.append(_row(None, b.iloc[ib], SO_EM_B))
    columns = [
        "codigo",
        "eixo_numero",
        "eixo",
        "acao",
        "meta",
        *[f"{c}_a" for c in _SIDE_COLUMNS],
        *[f"{c}_b" for c in _SIDE_COLUMNS],
        "correspondencia",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["eixo_numero"] = out["eixo_numero"].astype("Int64")
    for c in ("previsto_a", "realizado_a", "previsto_b", "realizado_b"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    return out


def _clean(v: object) -> object:
    return None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v


def _row(ga: pd.Series | None, gb: pd.Series | None, how: str) -> dict:
    base = gb if gb is not None else ga
    if base is None:
        raise ValueError("a row needs the goal of one year at least")
    codes = [_clean(g.get("codigo")) for g in (gb, ga) if g is not None]
    row = {
        "codigo": next((c for c in codes if c is not None), None),
        "eixo_numero": _clean(base.get("eixo_numero")),
        "eixo": _clean(base.get("eixo")),
        "acao": _clean(base.get("acao")),
        "meta": _clean(base.get("meta")),
        "correspondencia": how,
    }
    for side, g in (("a", ga), ("b", gb)):
        for c in _SIDE_COLUMNS:
            row[f"{c}_{side}"] = _clean(g.get(c)) if g is not None else None
    return row


def matching_counts(pares: pd.DataFrame) -> dict[str, int]:
    """How many goals were matched and how: ``pareadas`` (all matched pairs), ``por_codigo``,
    ``por_texto``, ``codigo_alterado``, ``so_em_de`` (only in A), ``so_em_para`` (only in B)."""
    c = pares["correspondencia"].value_counts() if len(pares) else pd.Series(dtype="int64")
    get = lambda k: int(c.get(k, 0))  # noqa: E731
    return {
        "pareadas": get(POR_CODIGO) + get(POR_TEXTO) + get(CODIGO_ALTERADO),
        "por_codigo": get(POR_CODIGO),
        "por_texto": get(POR_TEXTO),
        "codigo_alterado": get(CODIGO_ALTERADO),
        "so_em_de": get(SO_EM_A),
        "so_em_para": get(SO_EM_B),
    }


def matched(pares: pd.DataFrame) -> pd.DataFrame:
    """Only the goals found in both years."""
    return pares[~pares["correspondencia"].isin([SO_EM_A, SO_EM_B])]


# --- transitions ------------------------------------------------------------------------------


def transition_matrix(pares: pd.DataFrame, *, compact: bool = False) -> pd.DataFrame:
    """Counts of matched goals: rows = situação in A, columns = situação in B (status order).

    Every status is a row and a column unless ``compact``, which keeps only the rows and columns
    with at least one goal.
    """
    m = matched(pares)
    matrix = pd.DataFrame(0, index=list(STATUS_ORDER), columns=list(STATUS_ORDER), dtype="int64")
    for sa, sb in zip(m["situacao_a"], m["situacao_b"]):
        if sa in matrix.index and sb in matrix.columns:
            matrix.loc[sa, sb] += 1
    matrix.index.name = "situacao_a"
    matrix.columns.name = "situacao_b"
    if compact:
        matrix = matrix.loc[matrix.sum(axis=1) > 0, matrix.sum(axis=0) > 0]
    return matrix


def transitions(pares: pd.DataFrame) -> dict[str, dict[str, int]]:
    """The non-zero cells of :func:`transition_matrix`: ``{"Realizada": {"Não realizada": 2}}``."""
    matrix = transition_matrix(pares)
    out: dict[str, dict[str, int]] = {}
    for sa in matrix.index:
        cells = {sb: int(n) for sb, n in matrix.loc[sa].items() if n}
        if cells:
            out[sa] = cells
    return out


def regressed(situacao_a: object, situacao_b: object) -> bool:
    """True when both statuses are avaliáveis and B ranks below A (:data:`STATUS_RANK`)."""
    ra, rb = STATUS_RANK.get(str(situacao_a)), STATUS_RANK.get(str(situacao_b))
    return ra is not None and rb is not None and rb < ra


def regressions(pares: pd.DataFrame) -> pd.DataFrame:
    """Matched goals whose status fell from A to B (see :func:`regressed`)."""
    m = matched(pares)
    mask = [regressed(a, b) for a, b in zip(m["situacao_a"], m["situacao_b"])]
    return m[pd.Series(mask, index=m.index, dtype=bool)]


def stalls(pares: pd.DataFrame) -> pd.DataFrame:
    """Matched goals that are Não iniciada in both years."""
    m = matched(pares)
    return m[(m["situacao_a"] == schema.NAO_INICIADA) & (m["situacao_b"] == schema.NAO_INICIADA)]


# --- pace of numeric targets ------------------------------------------------------------------


@dataclass(frozen=True)
class Ritmo:
    """Where a value stands against the straight path from its baseline to its target."""

    esperado: float
    desvio_pp: float
    rotulo: str  # NO_RITMO | ABAIXO | ACIMA


def elapsed_share(ano: int, ano_base: int, ano_fim: int) -> float:
    """Share of the way from the end of ``ano_base`` to the end of ``ano_fim`` at the end of
    ``ano``, in [0, 1]: (ano − ano_base) ÷ (ano_fim − ano_base)."""
    if ano_fim <= ano_base:
        return 1.0
    return min(max((ano - ano_base) / (ano_fim - ano_base), 0.0), 1.0)


def pace(
    realizado: float,
    *,
    base: float,
    meta: float,
    ano: int,
    ano_base: int,
    ano_fim: int,
    sentido: str | None = None,
    tolerancia_pp: float = TOLERANCIA_PP,
) -> Ritmo | None:
    """Is ``realizado`` (the value at the end of ``ano``) on the way to ``meta`` by ``ano_fim``?

    Definition:

    * share elapsed ``s`` = :func:`elapsed_share` (``ano``, ``ano_base``, ``ano_fim``), where
      ``base`` is the value at the end of ``ano_base`` (a goal's linha de base is the situation
      before the plan, ``ano_base`` = first year − 1; an indicator without one uses its first
      stored year);
    * expected value ``esperado`` = base + (meta − base) × s;
    * deviation ``desvio_pp`` = d × (realizado − esperado) ÷ escala × 100, in percentage points
      of the whole way from base to target: ``escala`` = |meta − base|, or |meta| when the target
      equals the baseline (a goal to keep a value), or 1 when both are 0; ``d`` is the direction,
      −1 for Reduzir (a lower value is ahead), +1 for Aumentar, Manter and Implantar, and the sign
      of meta − base when the direction is not known (+1 when they are equal);
    * label: ``no ritmo`` when |desvio_pp| ≤ ``tolerancia_pp`` (5 p.p.), ``abaixo do ritmo``
      below it, ``acima do ritmo`` above it.

    Example: base 2.140 (2022), meta 3.000 (2025), 2.905 in 2023: s = 1/3, esperado = 2.426,7,
    desvio = (2.905 − 2.426,7) ÷ 860 × 100 = +55,6 p.p. → acima do ritmo.

    None when ``realizado``, ``base`` or ``meta`` is missing.
    """
    if _missing(realizado) or _missing(base) or _missing(meta):
        return None
    realizado, base, meta = float(realizado), float(base), float(meta)
    s = elapsed_share(ano, ano_base, ano_fim)
    esperado = base + (meta - base) * s
    if sentido == "Reduzir":
        d = -1.0
    elif sentido in ("Aumentar", "Manter", "Implantar"):
        d = 1.0
    else:
        d = -1.0 if meta < base else 1.0
    escala = abs(meta - base) or abs(meta) or 1.0
    desvio = d * (realizado - esperado) / escala * 100.0
    if abs(desvio) <= tolerancia_pp + 1e-9:
        label = NO_RITMO
    else:
        label = ACIMA if desvio > 0 else ABAIXO
    return Ritmo(esperado=esperado, desvio_pp=desvio, rotulo=label)


_WHOLE_MUNICIPALITY = frozenset({"", "municipal", "municipio", "total", "geral", "todos"})
_PACE_COLUMNS = [
    "ano",
    "realizado",
    "previsto",
    "execucao_pct",
    "meta",
    "esperado",
    "diferenca",
    "desvio_pp",
    "ritmo",
]


def indicator_series(
    indicadores: pd.DataFrame, indicador: str, plano, territorio: str | None = None
) -> pd.DataFrame:
    """One indicator per year with its pace towards ``meta_valor`` (the plan's target).

    The value of a year is the one of its latest month (a December figure, when monthly values
    are stored). Without ``territorio``, it is that year's municipality row (território empty,
    "Municipal", "Município", "Total", "Geral") when there is one, otherwise the sum over the
    territories. The baseline is the
    first stored year (``ano_base``) and its value; that year's ``ritmo`` is "ano base". The
    target year is the plan's last year. Columns: ``ano``, ``realizado`` (the value),
    ``previsto`` (empty), ``execucao_pct`` (value ÷ meta × 100), ``meta``, ``esperado``,
    ``diferenca`` (value − esperado, in the indicator's units), ``desvio_pp``, ``ritmo``.
    """
    rows = indicadores[indicadores["indicador"] == indicador]
    if territorio is not None:
        rows = rows[rows["territorio"] == territorio]

    if rows.empty:
        return pd.DataFrame(columns=_PACE_COLUMNS)
    rows = rows.assign(
        _mes=pd.to_numeric(rows["mes"], errors="coerce").fillna(0),
        _valor=pd.to_numeric(rows["valor"], errors="coerce"),
        _meta=pd.to_numeric(rows["meta_valor"], errors="coerce"),
    )
    values, metas = {}, {}
    for ano, g in rows.groupby("ano", sort=True):
        last = g[g["_mes"] == g["_mes"].max()]
        whole = last["territorio"].map(lambda t: key(t) in _WHOLE_MUNICIPALITY).astype(bool)
        if territorio is None and whole.any():
            last = last[whole]
        values[int(ano)] = last["_valor"].sum(min_count=1)
        metas[int(ano)] = last["_meta"].dropna().iloc[-1] if last["_meta"].notna().any() else None
    known = [m for m in metas.values() if not _missing(m)]
    meta = float(known[-1]) if known and known[-1] is not None else None  # latest target
    anos = sorted(values)
    ano_base = anos[0]
    return _pace_frame(
        anos, values, {a: None for a in anos}, meta, values[ano_base], ano_base, plano.ano_fim, None
    )


def numeric_goals(metas: pd.DataFrame) -> pd.DataFrame:
    """Goals with previsto and realizado in at least one year: one row per goal key with the
    latest ``codigo``, ``acao``, ``meta``, ``unidade`` and ``chave`` (``validate.goal_key``)."""
    from pmas.entrada.validate import goal_key

    if metas.empty:
        return pd.DataFrame(columns=["chave", "codigo", "acao", "meta", "unidade", "sentido"])
    prev = pd.to_numeric(metas["previsto"], errors="coerce")
    real = pd.to_numeric(metas["realizado"], errors="coerce")
    num = metas[prev.notna() & real.notna()].assign(chave=lambda f: goal_key(f))
    first_seen = list(dict.fromkeys(num["chave"]))  # keep the spreadsheet's order
    latest = num.sort_values("ano", kind="stable").drop_duplicates("chave", keep="last")
    latest = latest.set_index("chave").loc[first_seen].reset_index()
    return latest[["chave", "codigo", "acao", "meta", "unidade", "sentido"]]


def goal_series(metas: pd.DataFrame, chave: str, plano) -> pd.DataFrame:
    """One numeric goal per year: realizado against previsto, and its pace.

    The goal's target is its previsto in the plan's last year when stored, otherwise its latest
    stored previsto (an annual target stands for the plan's). The baseline is its ``linha de
    base`` at the end of the year before the plan starts; without one, its first stored
    realizado (that year's ``ritmo`` is then "ano base"). Direction from ``sentido``
    (:func:`pace`). Same columns as :func:`indicator_series`, ``execucao_pct`` being
    realizado ÷ previsto × 100 (previsto ÷ realizado for Reduzir, as on the Eixos screen).
    """
    from pmas.entrada.validate import goal_key

    rows = metas[goal_key(metas) == chave].sort_values("ano") if len(metas) else metas
    if rows.empty:
        return pd.DataFrame(columns=_PACE_COLUMNS)
    exec_pct = metrics.execution_ratio(rows) * 100.0
    values, previstos, execs = {}, {}, {}
    for (_, r), e in zip(rows.iterrows(), exec_pct):
        a = int(r["ano"])
        values[a] = None if _missing(_clean(r["realizado"])) else float(r["realizado"])
        previstos[a] = None if _missing(_clean(r["previsto"])) else float(r["previsto"])
        execs[a] = None if _missing(e) else float(e)
    anos = sorted(values)
    stated = {a: p for a, p in previstos.items() if p is not None}
    meta = stated.get(plano.ano_fim, stated[max(stated)] if stated else None)
    sentido = _clean(rows["sentido"].dropna().iloc[-1]) if rows["sentido"].notna().any() else None
    bases = (
        pd.to_numeric(rows.get("linha_de_base"), errors="coerce").dropna()
        if "linha_de_base" in rows
        else pd.Series(dtype="float64")
    )
    if len(bases):
        base: float | None = float(bases.iloc[0])
        ano_base = plano.ano_inicio - 1
    else:
        first = next((a for a in anos if values[a] is not None), None)
        base, ano_base = (values[first], first) if first is not None else (None, anos[0])
    out = _pace_frame(anos, values, previstos, meta, base, ano_base, plano.ano_fim, sentido)
    out["execucao_pct"] = [execs[a] for a in anos]
    return out


def _pace_frame(anos, values, previstos, meta, base, ano_base, ano_fim, sentido) -> pd.DataFrame:
    rows = []
    for a in anos:
        v = values[a]
        r = (
            None
            if a <= ano_base
            else pace(
                v, base=base, meta=meta, ano=a, ano_base=ano_base, ano_fim=ano_fim, sentido=sentido
            )
        )
        execucao = None if _missing(v) or _missing(meta) or not meta else 100.0 * v / meta
        rows.append(
            {
                "ano": a,
                "realizado": v,
                "previsto": previstos.get(a),
                "execucao_pct": execucao,
                "meta": meta,
                "esperado": r.esperado if r else None,
                # in the value's own units (families, CRAS…): what a reader compares
                "diferenca": v - r.esperado if r else None,
                "desvio_pp": r.desvio_pp if r else None,
                "ritmo": ANO_BASE if a == ano_base else (r.rotulo if r else ""),
            }
        )
    out = pd.DataFrame(rows, columns=_PACE_COLUMNS)
    for c in (
        "realizado",
        "previsto",
        "execucao_pct",
        "meta",
        "esperado",
        "diferenca",
        "desvio_pp",
    ):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    return out


def indicators_pace(indicadores: pd.DataFrame, plano) -> pd.DataFrame:
    """The latest year of every indicator that has a target: ``indicador``, ``unidade``, ``ano``,
    ``realizado``, ``meta``, ``esperado``, ``diferenca``, ``desvio_pp``, ``ritmo``
    (:func:`indicator_series`)."""
    cols = [
        "indicador",
        "unidade",
        "ano",
        "realizado",
        "meta",
        "esperado",
        "diferenca",
        "desvio_pp",
        "ritmo",
    ]
    if indicadores.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for nome in indicadores["indicador"].dropna().unique():
        s = indicator_series(indicadores, nome, plano)
        if s.empty or s["meta"].isna().all():
            continue
        last = s.iloc[-1]
        unidade = indicadores.loc[indicadores["indicador"] == nome, "unidade"].dropna()
        rows.append(
            {
                "indicador": nome,
                "unidade": unidade.iloc[-1] if len(unidade) else None,
                "ano": int(last["ano"]),
                "realizado": last["realizado"],
                "meta": last["meta"],
                "esperado": last["esperado"],
                "diferenca": last["diferenca"],
                "desvio_pp": last["desvio_pp"],
                "ritmo": last["ritmo"],
            }
        )
    return pd.DataFrame(rows, columns=cols)


def indicators_of_eixo(indicadores: pd.DataFrame, plano, numero: int | None) -> pd.DataFrame:
    """The indicators whose ``eixo`` names the plan's eixo ``numero`` (all when None)."""
    if numero is None or indicadores.empty:
        return indicadores
    cache = {v: plano.match_eixo(v) for v in indicadores["eixo"].dropna().unique()}
    keep = [cache.get(v) is not None and cache[v].numero == numero for v in indicadores["eixo"]]
    return indicadores[pd.Series(keep, index=indicadores.index, dtype=bool)]


# --- the CLI contract -------------------------------------------------------------------------


def compare(metas: pd.DataFrame, plano, de: int, para: int) -> dict:
    """The ``python -m pmas comparar --formato json`` contract for years ``de`` → ``para``:

    ``{"de", "para", "eixos": [{numero, nome, <figura>: {de, para, variacao_pp}}], "total": {…},
    "transicoes": {situação em de: {situação em para: n}}, "pareamento": matching_counts,
    "regrediram": n, "estagnadas": n}``
    """
    ma, mb = metas[metas["ano"] == de], metas[metas["ano"] == para]
    pares = match_goals(ma, mb)
    return {
        "de": int(de),
        "para": int(para),
        "eixos": eixo_changes(ma, mb, plano),
        "total": total_changes(ma, mb),
        "transicoes": transitions(pares),
        "pareamento": matching_counts(pares),
        "regrediram": int(len(regressions(pares))),
        "estagnadas": int(len(stalls(pares))),
    }
