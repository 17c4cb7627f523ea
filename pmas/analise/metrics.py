"""Completion and participation figures: pure pandas, no I/O.

Every figure is reproducible by hand from the rows behind it (DOMAIN.md):

* a goal is *avaliável* when its Situação counts in the denominator (not Cancelada, not
  Não se aplica);
* **% realizadas** = Realizada ÷ avaliáveis × 100;
* **% realizadas ou parciais** = (Realizada + Parcialmente realizada) ÷ avaliáveis × 100;
* **índice de cumprimento** = mean score of the avaliáveis × 100, where a goal with numbers scores
  ``min(realizado ÷ previsto, 1)`` (``min(previsto ÷ realizado, 1)`` when it is meant to reduce),
  and a goal without numbers scores its Situação's default (1, 0,5, 0,5, 0, 0).

Percentages are numbers from 0 to 100 (``None`` when there is no avaliável goal).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pmas.dados import schema
from pmas.dados.schema import STATUS_ORDER

FIGURE_KEYS = (
    "metas",
    "avaliaveis",
    "situacoes",
    "pct_realizadas",
    "pct_realizadas_ou_parciais",
    "indice_cumprimento",
)


def execution_ratio(metas: pd.DataFrame) -> pd.Series:
    """realizado ÷ previsto (previsto ÷ realizado for Reduzir), uncapped; NaN without numbers.

    A goal with only a typed percentual uses it. A reduction goal that reached 0 scores 1.
    """
    prev = pd.to_numeric(metas.get("previsto"), errors="coerce") if "previsto" in metas else None
    real = pd.to_numeric(metas.get("realizado"), errors="coerce") if "realizado" in metas else None
    n = len(metas)
    ratio = pd.Series(np.nan, index=metas.index, dtype="float64")
    if prev is not None and real is not None:
        reduce = (
            (metas["sentido"] == "Reduzir")
            if "sentido" in metas
            else pd.Series(False, index=metas.index)
        )
        reduce = reduce.fillna(False).astype(bool)
        with np.errstate(divide="ignore", invalid="ignore"):
            up = real / prev.where(prev > 0)
            down = prev / real.where(real > 0)
        down = down.where(~((real == 0) & prev.notna()), 1.0)
        ratio = up.where(~reduce, down).astype("float64")
    if "percentual" in metas and n:
        pct = pd.to_numeric(metas["percentual"], errors="coerce") / 100.0
        ratio = ratio.where(ratio.notna(), pct)
    return ratio


def goal_scores(metas: pd.DataFrame) -> pd.Series:
    """Each goal's score in [0, 1]; NaN for goals that do not count (Cancelada, Não se aplica)."""
    status = metas["situacao"]
    counted = status.map(schema.STATUS_COUNTED).fillna(False).astype(bool)
    default = status.map(schema.STATUS_SCORE).astype("float64")
    ratio = execution_ratio(metas).clip(upper=1.0)
    score = ratio.where(ratio.notna(), default)
    return score.where(counted)


def figures(metas: pd.DataFrame) -> dict:
    """The figures F of one group of goals (see the module docstring)."""
    status = metas["situacao"] if len(metas) else pd.Series(dtype="object")
    counts = status.value_counts()
    situacoes = {s: int(counts.get(s, 0)) for s in STATUS_ORDER}
    avaliaveis = sum(n for s, n in situacoes.items() if schema.STATUS_COUNTED[s])
    scores = goal_scores(metas) if len(metas) else pd.Series(dtype="float64")
    pct_r: float | None
    pct_rp: float | None
    indice: float | None
    if avaliaveis:
        pct_r = 100.0 * situacoes[schema.REALIZADA] / avaliaveis
        pct_rp = 100.0 * (situacoes[schema.REALIZADA] + situacoes[schema.PARCIAL]) / avaliaveis
        indice = 100.0 * float(scores.sum()) / avaliaveis
    else:
        pct_r = pct_rp = indice = None
    return {
        "metas": int(len(metas)),
        "avaliaveis": int(avaliaveis),
        "situacoes": situacoes,
        "pct_realizadas": pct_r,
        "pct_realizadas_ou_parciais": pct_rp,
        "indice_cumprimento": indice,
    }


def completion_by(metas: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per value of ``by`` with the figures flattened (counts per Situação as columns)."""
    rows = []
    for value, group in metas.groupby(by, sort=False, dropna=False):
        f = figures(group)
        rows.append(
            {
                by: value,
                "metas": f["metas"],
                "avaliaveis": f["avaliaveis"],
                **f["situacoes"],
                "pct_realizadas": f["pct_realizadas"],
                "pct_realizadas_ou_parciais": f["pct_realizadas_ou_parciais"],
                "indice_cumprimento": f["indice_cumprimento"],
            }
        )
    columns = [
        by,
        "metas",
        "avaliaveis",
        *STATUS_ORDER,
        "pct_realizadas",
        "pct_realizadas_ou_parciais",
        "indice_cumprimento",
    ]
    return pd.DataFrame(rows, columns=columns)


def completion_by_eixo(metas: pd.DataFrame, plano) -> pd.DataFrame:
    """Figures per eixo in plan order, every eixo of the plan present (0 goals when empty)."""
    rows = []
    for eixo in plano.eixos:
        group = metas[metas["eixo_numero"] == eixo.numero] if len(metas) else metas
        f = figures(group)
        rows.append(
            {
                "numero": eixo.numero,
                "nome": eixo.nome,
                "rotulo": eixo.rotulo,
                "rotulo_curto": eixo.rotulo_curto,
                "metas": f["metas"],
                "avaliaveis": f["avaliaveis"],
                **f["situacoes"],
                "pct_realizadas": f["pct_realizadas"],
                "pct_realizadas_ou_parciais": f["pct_realizadas_ou_parciais"],
                "indice_cumprimento": f["indice_cumprimento"],
            }
        )
    return pd.DataFrame(rows)


def summary(metas: pd.DataFrame, plano) -> dict:
    """``total`` and ``eixos`` of the resumo contract: {"total": F, "eixos": [{numero, nome, ...F}]}."""
    eixos = []
    for eixo in plano.eixos:
        group = metas[metas["eixo_numero"] == eixo.numero] if len(metas) else metas
        eixos.append({"numero": eixo.numero, "nome": eixo.nome, **figures(group)})
    return {"total": figures(metas), "eixos": eixos}


def derive_status(ratio: float) -> str | None:
    """Situação from the execution ratio: ≥ 100% Realizada; between, Parcialmente; 0 Não realizada."""
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return None
    if ratio >= 1.0:
        return schema.REALIZADA
    if ratio > 0:
        return schema.PARCIAL
    return schema.NAO_REALIZADA


def contradictions(statuses: list, ratios: np.ndarray) -> np.ndarray:
    """:func:`contradicts` of each (status, ratio) pair at once (a missing status or ratio
    contradicts nothing)."""
    s = np.asarray(statuses, dtype=object)
    r = np.asarray(ratios, dtype="float64")
    with np.errstate(invalid="ignore"):
        full = r >= 1.0
        out = ((s == schema.REALIZADA) & (r < 1.0)) | (
            ((s == schema.NAO_REALIZADA) | (s == schema.NAO_INICIADA)) & full
        )
        out |= (s == schema.PARCIAL) & (full | (r == 0))
    return out & ~np.isnan(r)


def contradicts(status: str, ratio: float) -> bool:
    """A typed Situação that the numbers clearly contradict (kept, but warned about)."""
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return False
    if status == schema.REALIZADA:
        return ratio < 1.0
    if status in (schema.NAO_REALIZADA, schema.NAO_INICIADA):
        return ratio >= 1.0
    if status == schema.PARCIAL:
        return ratio >= 1.0 or ratio == 0
    return False


# --- conferences ----------------------------------------------------------------------------

EVENT_KEY = ["ano", "tipo_evento", "regiao", "local", "publico"]


def _events(conf: pd.DataFrame) -> pd.DataFrame:
    """One row per event: participants from its segment rows (or its Total row when it has none),
    the Total row as typed, and the difference between them."""
    if conf.empty:
        return pd.DataFrame(
            columns=[
                *EVENT_KEY,
                "participantes",
                "total_informado",
                "diferenca",
                "delegados",
                "eventos",
            ]
        )
    c = conf.copy()
    for k in EVENT_KEY:
        c[k] = c[k].astype("object").where(c[k].notna(), "")
    c["participantes"] = pd.to_numeric(c["participantes"], errors="coerce")
    c["delegados"] = pd.to_numeric(c["delegados"], errors="coerce")
    # How many events a row stands for ("Nº de eventos": 33 pré-conferências on one row).
    c["eventos"] = pd.to_numeric(c["eventos"], errors="coerce") if "eventos" in c else np.nan
    n_eventos = c.groupby(EVENT_KEY, sort=False)["eventos"].max()
    is_total = c["segmento"] == schema.TOTAL
    seg = (
        c[~is_total]
        .groupby(EVENT_KEY, sort=False)
        .agg(
            seg_part=("participantes", lambda s: s.sum(min_count=1)),
            seg_del=("delegados", lambda s: s.sum(min_count=1)),
        )
    )
    tot = (
        c[is_total]
        .groupby(EVENT_KEY, sort=False)
        .agg(
            total_informado=("participantes", lambda s: s.sum(min_count=1)),
            tot_del=("delegados", lambda s: s.sum(min_count=1)),
        )
    )
    ev = seg.join(tot, how="outer").join(n_eventos).reset_index()
    ev["eventos"] = ev["eventos"].fillna(1).astype("int64")
    ev["participantes"] = ev["seg_part"].where(ev["seg_part"].notna(), ev["total_informado"])
    ev["delegados"] = ev["seg_del"].where(ev["seg_del"].notna(), ev["tot_del"])
    ev["diferenca"] = (ev["total_informado"] - ev["seg_part"]).where(
        ev["total_informado"].notna() & ev["seg_part"].notna()
    )
    order = {k: i for i, k in enumerate(c[EVENT_KEY].drop_duplicates().itertuples(index=False))}
    ev["_ordem"] = [order.get(tuple(r), 0) for r in ev[EVENT_KEY].itertuples(index=False)]
    ev = ev.sort_values("_ordem").drop(columns=["_ordem", "seg_part", "seg_del", "tot_del"])
    return ev.reset_index(drop=True)


def events(conf: pd.DataFrame) -> pd.DataFrame:
    return _events(conf)


def _num(v) -> int:
    return 0 if v is None or (isinstance(v, float) and math.isnan(v)) else int(round(v))


def conference_summary(conf: pd.DataFrame) -> list[dict]:
    """Per edition (year): pré-conferências, their participants, the Conferência Municipal's
    participants, delegates; the pré-conferências' participants by segment, by region (the
    regional ones) and by public (those organised for one public, e.g. Centro POP users)."""
    out: list[dict] = []
    if conf.empty:
        return out
    ev = _events(conf)
    segs = conf[conf["segmento"] != schema.TOTAL]
    for ano in sorted(ev["ano"].unique()):
        e = ev[ev["ano"] == ano]
        pre = e[e["tipo_evento"] == schema.PRE_CONFERENCIA]
        mun = e[e["tipo_evento"] == schema.CONFERENCIA_MUNICIPAL]
        s = segs[segs["ano"] == ano]
        by_public = pre["regiao"].map(_not_a_region).astype(bool)
        out.append(
            {
                "ano": int(ano),
                "pre_conferencias": int(pre["eventos"].sum()),
                "participantes_pre_conferencias": _num(pre["participantes"].sum()),
                "participantes_conferencia_municipal": _num(mun["participantes"].sum()),
                "delegados": _num(e["delegados"].sum()),
                "por_segmento": _by_segment(s[s["tipo_evento"] == schema.PRE_CONFERENCIA]),
                "por_segmento_conferencia_municipal": _by_segment(
                    s[s["tipo_evento"] == schema.CONFERENCIA_MUNICIPAL]
                ),
                "por_regiao": _sum_by(pre[~by_public], "regiao"),
                "por_publico": _sum_by(pre[by_public], "publico"),
            }
        )
    return out


_NOT_REGIONS = frozenset(
    {"", "municipal", "municipio", "todas", "todos", "geral", "todo o municipio", "cidade"}
)


def _not_a_region(value: object) -> bool:
    """A pré-conferência with no region (or "Municipal") was organised for a public, not a
    territory (Centro POP users, shelter users, managers)."""
    from pmas.text import key

    return key(value) in _NOT_REGIONS


def _by_segment(rows: pd.DataFrame) -> dict[str, int]:
    """Participants per segment, in the canonical order, for the segments present."""
    out = {}
    for seg in schema.SEGMENTS:
        mask = rows["segmento"] == seg
        if mask.any():
            out[seg] = _num(pd.to_numeric(rows.loc[mask, "participantes"], errors="coerce").sum())
    return out


def _sum_by(events: pd.DataFrame, column: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for value, g in events.groupby(column, sort=False):
        if str(value).strip():
            out[str(value)] = _num(g["participantes"].sum())
    return out


def with_execution(metas: pd.DataFrame) -> pd.DataFrame:
    """The goals with ``execucao_pct``: realizado as a % of previsto, uncapped (112% shows)."""
    out = metas.copy()
    out["execucao_pct"] = execution_ratio(metas) * 100.0
    return out


def previous_year(anos: list[int], ano: int | None) -> int | None:
    earlier = [a for a in anos if ano is not None and a < ano]
    return earlier[-1] if earlier else None


# --- many municipalities at once -------------------------------------------------------------


# The columns the ranking reads (besides ``municipio``): the situação and the numbers of the score.
RANKING_COLUMNS = ("eixo_numero", "situacao", "previsto", "realizado", "sentido", "percentual")


def ranking(metas: pd.DataFrame, eixos: list[int]) -> pd.DataFrame:
    """Per municipality (``municipio`` column): the figures and the índice per eixo, ranked by
    índice de cumprimento (1 = highest). Vectorised: one pass for hundreds of plans."""
    columns = [
        "posicao",
        "municipio",
        "metas",
        "avaliaveis",
        "pct_realizadas",
        "pct_realizadas_ou_parciais",
        "indice_cumprimento",
        *[f"indice_eixo_{n}" for n in eixos],
    ]
    if metas.empty:
        return pd.DataFrame(columns=columns)
    status = metas["situacao"]
    df = pd.DataFrame(
        {
            "municipio": metas["municipio"],
            "eixo_numero": metas["eixo_numero"],
            "aval": status.map(schema.STATUS_COUNTED).fillna(False).astype(bool),
            "real": status == schema.REALIZADA,
            "rp": status.isin([schema.REALIZADA, schema.PARCIAL]),
            "score": goal_scores(metas).fillna(0.0),
        }
    )
    g = df.groupby("municipio", sort=False).agg(
        metas=("aval", "size"),
        avaliaveis=("aval", "sum"),
        real=("real", "sum"),
        rp=("rp", "sum"),
        score=("score", "sum"),
    )
    aval = g["avaliaveis"].where(g["avaliaveis"] > 0)
    out = pd.DataFrame(
        {
            "metas": g["metas"],
            "avaliaveis": g["avaliaveis"],
            "pct_realizadas": 100.0 * g["real"] / aval,
            "pct_realizadas_ou_parciais": 100.0 * g["rp"] / aval,
            "indice_cumprimento": 100.0 * g["score"] / aval,
        }
    )
    ge = df.groupby(["municipio", "eixo_numero"], sort=False).agg(
        avaliaveis=("aval", "sum"), score=("score", "sum")
    )
    per_eixo = (100.0 * ge["score"] / ge["avaliaveis"].where(ge["avaliaveis"] > 0)).unstack()
    for n in eixos:
        out[f"indice_eixo_{n}"] = per_eixo[n] if n in per_eixo.columns else float("nan")
    out = out.reset_index().sort_values(
        ["indice_cumprimento", "municipio"], ascending=[False, True], na_position="last"
    )
    out.insert(0, "posicao", range(1, len(out) + 1))
    return out[columns].reset_index(drop=True)
