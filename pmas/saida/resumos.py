"""One Portuguese sentence per chart, saying what it shows: the chart's text alternative for who
cannot see it (with the chart's data as a table, :func:`pmas.saida.charts.figure_table`).

Pure functions of the same frames the charts are built from; the words live in
:data:`pmas.textos.RESUMOS`.
"""

from __future__ import annotations

import pandas as pd

from pmas import fmt, textos
from pmas.dados.schema import REALIZADA, STATUS_COUNTED, STATUS_ORDER

R = textos.RESUMOS


def completion(frame: pd.DataFrame, label: str, *, grupos: str = "eixos") -> str:
    """Stacked completion bars: how many goals, and where the largest and the smallest share of
    the avaliáveis was done (DOMAIN.md's % realizadas, as the bars show it), as counts, "n de m"."""
    frame = frame[frame["metas"] > 0]
    total = int(frame["metas"].sum())
    zero = pd.Series(0, index=frame.index)
    done = frame[REALIZADA] if REALIZADA in frame else zero
    avaliaveis = sum((frame[s] if s in frame else zero) for s in STATUS_ORDER if STATUS_COUNTED[s])
    if len(frame) < 2:
        return R["situacao_um"].format(
            total=fmt.numero(total), realizadas=fmt.numero(int(done.sum()))
        )
    share = (done / avaliaveis.where(avaliaveis > 0)).fillna(0)
    hi, lo = share.idxmax(), share.idxmin()
    return R["situacao"].format(
        total=fmt.numero(total),
        n=fmt.numero(len(frame)),
        grupos=grupos,
        maior=frame.at[hi, label],
        r_maior=fmt.numero(int(done[hi])),
        m_maior=fmt.numero(int(avaliaveis[hi])),
        menor=frame.at[lo, label],
        r_menor=fmt.numero(int(done[lo])),
        m_menor=fmt.numero(int(avaliaveis[lo])),
    )


def extremes(names, values, *, medida: str, formato=fmt.pct) -> str:
    """Where a figure is highest and lowest (or its one value)."""
    pairs = [(str(n), float(v)) for n, v in zip(names, values) if v is not None and not pd.isna(v)]
    if not pairs:
        return ""
    if len(pairs) == 1:
        return R["um_valor"].format(medida=medida, nome=pairs[0][0], valor=formato(pairs[0][1]))
    hi = max(pairs, key=lambda p: p[1])
    lo = min(pairs, key=lambda p: p[1])
    return R["extremos"].format(
        medida=medida, maior=hi[0], v_maior=formato(hi[1]), menor=lo[0], v_menor=formato(lo[1])
    )


def by_year(por_ano: pd.DataFrame, figura: str, *, medida: str) -> str:
    """A figure per eixo over the years (Comparativo): the span and the last year's extremes."""
    anos = sorted(int(a) for a in por_ano["ano"].unique())
    if not anos:
        return ""
    last = por_ano[por_ano["ano"] == anos[-1]]
    ext = extremes(last["curto"], last[figura], medida=medida)
    ext = ext[len(medida) + 2 :] if ext.startswith(f"{medida}: ") else ext
    return R["por_ano"].format(medida=medida, de=anos[0], para=anos[-1], extremos=ext)


def counts(counts_by_name: dict, *, medida: str = "Participantes") -> str:
    return extremes(
        list(counts_by_name), list(counts_by_name.values()), medida=medida, formato=fmt.numero
    )


def editions(long: pd.DataFrame) -> str:
    """Conference editions side by side: each measure's value in each edition."""
    anos = sorted(int(a) for a in long["ano"].unique())
    partes = []
    for medida, g in long.groupby("medida", sort=False):
        valores = ", ".join(
            f"{fmt.numero(v)} em {int(a)}" for a, v in zip(g["ano"], g["valor"]) if not pd.isna(v)
        )
        partes.append(R["edicao_valor"].format(medida=medida.lower(), valores=valores))
    anos_txt = " e ".join(str(a) for a in anos)
    return R["edicoes"].format(anos=anos_txt, valores="; ".join(partes))


def representation(frame: pd.DataFrame) -> str:
    partes = [
        R["representacao_parte"].format(etapa=r.etapa, pct=fmt.pct(r.pct_sociedade_civil))
        for r in frame.itertuples(index=False)
    ]
    return R["representacao"].format(partes="; ".join(partes))


def transitions(matrix: pd.DataFrame, de: int, para: int) -> str:
    n = int(matrix.to_numpy().sum())
    iguais = int(sum(matrix.loc[s, s] for s in matrix.index if s in matrix.columns))
    return R["transicao"].format(n=fmt.numero(n), de=de, para=para, iguais=fmt.numero(iguais))


def target(serie: pd.DataFrame, *, nome: str, unidade: str = "") -> str:
    """A goal or indicator over the years: the last value achieved and the plan's target."""
    suf = f" {unidade}" if unidade and unidade != "%" else ("%" if unidade == "%" else "")
    real = serie.dropna(subset=["realizado"])
    if real.empty:
        return R["alvo_vazio"].format(nome=nome)
    last = real.iloc[-1]
    meta = serie["meta"].dropna()
    meta_txt = R["alvo_meta"].format(meta=f"{_num(meta.iloc[-1])}{suf}") if len(meta) else ""
    return R["alvo"].format(
        nome=nome, valor=f"{_num(last['realizado'])}{suf}", ano=int(last["ano"]), meta=meta_txt
    )


def distribution(values: pd.Series, *, medida: str) -> str:
    vals = pd.to_numeric(values, errors="coerce").dropna()
    if vals.empty:
        return ""
    return R["distribuicao"].format(
        medida=medida,
        n=fmt.numero(len(vals)),
        mediana=fmt.pct(vals.median()),
        minimo=fmt.pct(vals.min()),
        maximo=fmt.pct(vals.max()),
    )


def medians(frame: pd.DataFrame, columns: dict[str, str], *, medida: str) -> str:
    """One sentence for a box per column: each column's median, in the boxes' order."""
    partes = []
    for col, nome in columns.items():
        vals = pd.to_numeric(frame[col], errors="coerce").dropna()
        if len(vals):
            partes.append(f"{nome} {fmt.pct(vals.median())}")
    return R["medianas"].format(medida=medida, lista="; ".join(partes)) if partes else ""


def _num(v) -> str:
    return fmt.numero(v, 0 if float(v).is_integer() else 1)
