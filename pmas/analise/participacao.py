"""Conference figures for the Conferências screen, built on :func:`pmas.analise.metrics.conference_summary`
and :func:`pmas.analise.metrics.events`: editions side by side, one edition's breakdowns as frames,
sociedade civil against governamental, urban against rural, and the data check of Total rows.

Pure pandas, no Streamlit. How participants are counted (metrics): an event's participants are
the sum of its segment rows; an event with only a Total row counts that Total. When an event has
both and they disagree, the segment sum is used and the difference is reported
(:func:`divergences`).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from pmas import textos
from pmas.analise import metrics
from pmas.dados import schema
from pmas.text import key

# Figures of an edition compared side by side and columns of the events table (column → label on
# screen and in downloads; the texts live in pmas.textos).
EDICAO_ROTULOS: dict[str, str] = textos.COLUNAS_CONFERENCIAS["edicoes"]
EVENTO_ROTULOS: dict[str, str] = textos.COLUNAS_CONFERENCIAS["eventos"]
SOCIEDADE_CIVIL = "Sociedade civil"
GOVERNAMENTAL = "Governamental"
URBANA = "Urbana"
RURAL = "Rural"


def editions(conf: pd.DataFrame) -> pd.DataFrame:
    """One row per edition (year, oldest first) with the columns of :data:`EDICAO_ROTULOS`."""
    rows = [{k: ed[k] for k in EDICAO_ROTULOS} for ed in metrics.conference_summary(conf)]
    return pd.DataFrame(rows, columns=list(EDICAO_ROTULOS))


def editions_long(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`editions` in long form for a chart: ``medida`` (label), ``ano``, ``valor``."""
    rows = [
        {"medida": label, "ano": int(r["ano"]), "valor": r[col]}
        for col, label in EDICAO_ROTULOS.items()
        if col != "ano"
        for _, r in table.iterrows()
    ]
    return pd.DataFrame(rows, columns=["medida", "ano", "valor"])


def edition(conf: pd.DataFrame, ano: int) -> dict | None:
    """The :func:`metrics.conference_summary` entry of one edition, or None."""
    for ed in metrics.conference_summary(conf):
        if ed["ano"] == ano:
            return ed
    return None


def counts_frame(counts: dict[str, int], label: str) -> pd.DataFrame:
    """A ``{name: participants}`` dict as a frame: ``label``, ``participantes``, ``percentual``
    (share of the sum, 0–100)."""
    total = sum(counts.values())
    return pd.DataFrame(
        {
            label: list(counts),
            "participantes": list(counts.values()),
            "percentual": [100.0 * v / total if total else None for v in counts.values()],
        },
        columns=[label, "participantes", "percentual"],
    )


def civil_vs_governmental(por_segmento: dict[str, int]) -> dict[str, int]:
    """Sociedade civil (Usuários + Trabalhadores + Entidades/Prestadores: the segments of
    ``schema.SOCIEDADE_CIVIL``) against Gestores/Governamentais, from a per-segment dict."""
    civil = sum(v for s, v in por_segmento.items() if s in schema.SOCIEDADE_CIVIL)
    gov = sum(v for s, v in por_segmento.items() if s == schema.GESTORES)
    return {SOCIEDADE_CIVIL: civil, GOVERNAMENTAL: gov}


def representation(ed: dict) -> pd.DataFrame:
    """Sociedade civil × governamental in the pré-conferências and in the Conferência Municipal:
    ``etapa``, ``sociedade_civil``, ``governamental``, ``pct_sociedade_civil`` (of the two).
    Only the stages with participants by segment."""
    rows = []
    stages = (
        (textos.CONFERENCIAS["etapa_pre"], ed.get("por_segmento", {})),
        (textos.CONFERENCIAS["etapa_municipal"], ed.get("por_segmento_conferencia_municipal", {})),
    )
    for etapa, segs in stages:
        cg = civil_vs_governmental(segs)
        total = cg[SOCIEDADE_CIVIL] + cg[GOVERNAMENTAL]
        if total:
            rows.append(
                {
                    "etapa": etapa,
                    "sociedade_civil": cg[SOCIEDADE_CIVIL],
                    "governamental": cg[GOVERNAMENTAL],
                    "pct_sociedade_civil": 100.0 * cg[SOCIEDADE_CIVIL] / total,
                }
            )
    return pd.DataFrame(
        rows, columns=["etapa", "sociedade_civil", "governamental", "pct_sociedade_civil"]
    )


def urban_rural(por_regiao: dict[str, int]) -> dict[str, int]:
    """Participants of the regional pré-conferências in urban and rural regions: a region whose
    name has the word "rural" (Rural, Zona rural, Distritos rurais) is rural; the others urban."""
    rural = sum(
        v for r, v in por_regiao.items() if "rural" in key(r).split() or "rurais" in key(r).split()
    )
    return {URBANA: sum(por_regiao.values()) - rural, RURAL: rural}


def without_region_or_public(ed: dict) -> int:
    """Participants of pré-conferências that name neither a region nor a public (counted in the
    edition's total, in no regional or public chart)."""
    return max(
        ed["participantes_pre_conferencias"]
        - sum(ed["por_regiao"].values())
        - sum(ed["por_publico"].values()),
        0,
    )


def edition_events(conf: pd.DataFrame, ano: int) -> pd.DataFrame:
    """The events of one edition (:func:`metrics.events`), pré-conferências first."""
    ev = metrics.events(conf)
    if ev.empty:
        return ev
    ev = ev[ev["ano"] == ano]
    order = {t: i for i, t in enumerate(schema.EVENT_TYPES)}
    return ev.sort_values(
        "tipo_evento", key=lambda s: s.map(order).fillna(len(order)), kind="stable"
    ).reset_index(drop=True)


def divergences(events: pd.DataFrame) -> pd.DataFrame:
    """Events whose Total row disagrees with the sum of their segment rows (``diferenca`` ≠ 0),
    with ``total_informado``, ``participantes`` (the segment sum, the figure the charts use) and
    ``diferenca`` = total informado − soma dos segmentos."""
    if events.empty:
        return events
    d = pd.to_numeric(events["diferenca"], errors="coerce")
    return events[d.notna() & (d != 0)]


def totals_only(events: pd.DataFrame) -> pd.DataFrame:
    """Events with a Total row and no segment rows: their Total is used, and they are missing from
    the per-segment charts."""
    if events.empty:
        return events
    return events[events["total_informado"].notna() & events["diferenca"].isna()]


def divergence_text(row: pd.Series, escape: Callable[[str], str] = str) -> str:
    """One divergence as a Portuguese sentence (numbers formatted pt-BR); ``escape`` makes the
    event's texts (data) safe for where the sentence is shown (the screen passes Markdown's)."""
    from pmas import fmt

    onde = " – ".join(
        escape(str(x))
        for x in (row["tipo_evento"], row["regiao"], row["local"], row["publico"])
        if str(x or "").strip()
    )
    dif = float(row["diferenca"])
    t = textos.CONFERENCIAS
    return t["divergencia"].format(
        onde=onde,
        total=fmt.numero(row["total_informado"]),
        diferenca=fmt.numero(abs(dif)),
        sentido=t["a_mais"] if dif > 0 else t["a_menos"],
        soma=fmt.numero(row["participantes"]),
    )
