"""What an import would change, before anything is stored: pure pandas, no I/O.

For each year the file holds, the goals are matched with the current version of that year by
:func:`pmas.entrada.validate.goal_key` (the código, or else the ação and meta text) and sorted into added,
removed and changed (any compared field differs; the old and new Situação are shown), and the
per-eixo figures are computed before and after (:func:`pmas.analise.metrics.completion_by_eixo`).

Tables the file does not hold for a year are carried over from the current version when it is
stored (:meth:`pmas.dados.store.Store.save_import`); the preview says so instead of showing them as
removed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from pmas.analise import metrics
from pmas.dados import schema
from pmas.entrada.validate import goal_key

# Goal fields whose change makes a goal "changed" (ano is the same by construction).
COMPARED = tuple(n for n in schema.METAS.names if n != "ano")
FIGURE_COLUMNS = (
    "metas",
    "avaliaveis",
    "pct_realizadas",
    "pct_realizadas_ou_parciais",
    "indice_cumprimento",
)
GOAL_COLUMNS = ["codigo", "eixo", "descricao"]


@dataclass
class TabelaAno:
    """Row counts of one table of one year, before and after the import."""

    antes: int
    depois: int
    mantida: bool  # the file does not hold it: the current rows are carried over


@dataclass
class PreviaAno:
    """What importing the file changes in one year."""

    ano: int
    versao_atual: int | None  # número of the current version; None when the year is new
    adicionadas: pd.DataFrame  # codigo, eixo, descricao, situacao
    removidas: pd.DataFrame  # codigo, eixo, descricao, situacao
    alteradas: pd.DataFrame  # codigo, eixo, descricao, situacao_antes, situacao_depois, campos
    iguais: int
    por_eixo: pd.DataFrame  # numero, rotulo, then <figure>_antes and <figure>_depois; last: total
    tabelas: dict[str, TabelaAno]

    @property
    def muda_metas(self) -> bool:
        return bool(len(self.adicionadas) or len(self.removidas) or len(self.alteradas))


def _value(v: object) -> object:
    """A cell made comparable: missing → None, numbers → float rounded, text stripped."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        f = float(v)
        return None if math.isnan(f) else round(f, 9)
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` indexed by goal key; a key seen twice gets "#2", "#3"… (so nothing is lost)."""
    if frame.empty:
        return frame.set_index(pd.Index([], dtype="object", name="_chave"))
    k = goal_key(frame)
    n = k.groupby(k).cumcount()
    k = k.where(n == 0, k + "#" + (n + 1).astype(str))
    return frame.set_index(pd.Index(k.to_numpy(), dtype="object", name="_chave"))


def _descricao(frame: pd.DataFrame) -> pd.Series:
    acao = frame["acao"].astype("object")
    return acao.where(acao.notna(), frame["meta"].astype("object"))


def _goals(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "codigo": frame["codigo"].astype("object").to_numpy(),
            "eixo": frame["eixo"].astype("object").to_numpy(),
            "descricao": _descricao(frame).to_numpy(),
            "situacao": frame["situacao"].astype("object").to_numpy(),
        }
    )


def diff_goals(
    antes: pd.DataFrame, depois: pd.DataFrame, labels: dict[str, str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    """(added, removed, changed, unchanged count) between two goal frames of one year.

    ``changed`` has the old and new Situação and ``campos``: the Portuguese labels of the fields
    that differ, comma-separated.
    """
    labels = labels or schema.METAS.labels()
    a, d = _keyed(antes), _keyed(depois)
    novas = [k for k in d.index if k not in a.index]
    saiu = [k for k in a.index if k not in d.index]
    rows, iguais = [], 0
    columns = [c for c in COMPARED if c in a.columns and c in d.columns]
    for k in (k for k in d.index if k in a.index):
        old, new = a.loc[k], d.loc[k]
        changed = [c for c in columns if _value(old[c]) != _value(new[c])]
        if not changed:
            iguais += 1
            continue
        desc = new["acao"] if _value(new["acao"]) is not None else new["meta"]
        rows.append(
            {
                "codigo": new["codigo"],
                "eixo": new["eixo"],
                "descricao": desc,
                "situacao_antes": old["situacao"],
                "situacao_depois": new["situacao"],
                "campos": ", ".join(labels.get(c, c) for c in changed),
            }
        )
    alteradas = pd.DataFrame(
        rows, columns=[*GOAL_COLUMNS, "situacao_antes", "situacao_depois", "campos"]
    )
    return _goals(d.loc[novas]), _goals(a.loc[saiu]), alteradas, iguais


def figures_before_after(antes: pd.DataFrame, depois: pd.DataFrame, plano) -> pd.DataFrame:
    """Per-eixo figures before and after, in plan order, with a last row for the whole plan."""

    def table(metas: pd.DataFrame) -> pd.DataFrame:
        by_eixo = metrics.completion_by_eixo(metas, plano)[["numero", "rotulo", *FIGURE_COLUMNS]]
        total = metrics.figures(metas)
        row = {"numero": None, "rotulo": "Total", **{c: total[c] for c in FIGURE_COLUMNS}}
        return pd.concat([by_eixo, pd.DataFrame([row])], ignore_index=True)

    before, after = table(antes), table(depois)
    out = before[["numero", "rotulo"]].copy()
    for c in FIGURE_COLUMNS:
        out[f"{c}_antes"] = before[c]
        out[f"{c}_depois"] = after[c]
    return out


def _year(frame: pd.DataFrame | None, ano: int) -> pd.DataFrame | None:
    if frame is None or not len(frame) or "ano" not in frame:
        return None
    part = frame[pd.to_numeric(frame["ano"], errors="coerce") == ano]
    return part if len(part) else None


def preview(
    frames: dict[str, pd.DataFrame],
    atuais: dict[str, pd.DataFrame],
    plano,
    versoes: dict[int, int] | None = None,
) -> list[PreviaAno]:
    """The change, year by year, of importing ``frames`` (table → checked frame) over ``atuais``
    (table → rows of the current versions of the plan; any years). ``versoes`` maps a year to
    the número of its current version."""
    versoes = versoes or {}
    years: set[int] = set()
    for frame in frames.values():
        if frame is not None and len(frame):
            years.update(int(a) for a in pd.to_numeric(frame["ano"], errors="coerce").dropna())
    empty_goals = pd.DataFrame(columns=[*schema.METAS.names, "eixo_numero"])
    result = []
    for ano in sorted(years):
        tabelas = {}
        for name in ("metas", "conferencias", "indicadores", "deliberacoes"):
            new, old = _year(frames.get(name), ano), _year(atuais.get(name), ano)
            n_old = 0 if old is None else len(old)
            tabelas[name] = TabelaAno(
                antes=n_old,
                depois=n_old if new is None else len(new),
                mantida=new is None and n_old > 0,
            )
        antes = _year(atuais.get("metas"), ano)
        depois = _year(frames.get("metas"), ano)
        antes = empty_goals if antes is None else antes
        depois = antes if depois is None else depois
        added, removed, changed, same = diff_goals(antes, depois)
        result.append(
            PreviaAno(
                ano=ano,
                versao_atual=versoes.get(ano),
                adicionadas=added,
                removidas=removed,
                alteradas=changed,
                iguais=same,
                por_eixo=figures_before_after(antes, depois, plano),
                tabelas=tabelas,
            )
        )
    return result
