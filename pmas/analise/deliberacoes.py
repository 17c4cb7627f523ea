"""Conference deliberations and the plan's goals that answer them: status and coverage.

Pure pandas, no I/O. A deliberation's status is derived, never typed: for a year of the plan it
comes from the Situação of the linked goals in that year (the goals of any plan of the
municipality, matched by código):

- **Atendida**: every linked goal that counts in that year (not Cancelada nor Não se aplica) is
  Realizada;
- **Em atendimento**: some progress: at least one linked goal Realizada, Parcialmente realizada
  or Em andamento, but not all Realizada;
- **Não atendida**: every linked goal that counts is Não iniciada or Não realizada;
- **Sem meta no PMAS**: no goal of the municipality answers it (no código, or only códigos that
  exist in no plan): the gap the council most needs to see;
- **Sem avaliação no ano**: it has goals, but none of them counts in that year (not in that
  year's data, or Cancelada / Não se aplica);
- **Encaminhada**: an estadual or nacional deliberation: forwarded to the state or the Union, not
  answered by the municipal plan, and shown apart.

The rule is :data:`REGRA`; each row also carries ``motivo``, the counts behind its status, so
that every figure can be checked by hand.
"""

from __future__ import annotations

import re

import pandas as pd

from pmas import textos
from pmas.dados import schema
from pmas.text import key

ATENDIDA = schema.DELIBERACAO_ATENDIDA
EM_ATENDIMENTO = schema.DELIBERACAO_EM_ATENDIMENTO
NAO_ATENDIDA = schema.DELIBERACAO_NAO_ATENDIDA
SEM_META = schema.DELIBERACAO_SEM_META
SEM_AVALIACAO = schema.DELIBERACAO_SEM_AVALIACAO
ENCAMINHADA = schema.DELIBERACAO_ENCAMINHADA
# Display order: the municipal statuses, then the forwarded ones.
STATUSES = (ATENDIDA, EM_ATENDIMENTO, NAO_ATENDIDA, SEM_AVALIACAO, SEM_META, ENCAMINHADA)

M = textos.DELIBERACOES_SITUACAO
_PROGRESS = frozenset({schema.REALIZADA, schema.PARCIAL, schema.EM_ANDAMENTO})

REGRA = textos.DELIBERACOES_SITUACAO["regra"]

# Separators between the códigos typed in one cell: ; , | new line, or the word "e".
_SPLIT = re.compile(r"\s*(?:[;,|\n\r]+|\s+e\s+)\s*")
_NONE_WORDS = frozenset(key(w) for w in (*schema.PLACEHOLDERS, *schema.SEM_METAS_VINCULADAS))

COLUMNS = (
    "ano",
    "numero",
    "eixo_conferencia",
    "ambito",
    "texto",
    "prioridade",
    "metas",
    "situacao",
    "motivo",
    "metas_no_ano",
    "eixos_plano",
    "eixos_lista",
    "metas_inexistentes",
)


def split_codes(value: object) -> list[str]:
    """The goal códigos typed in one cell, in order, without repeats ("1.2.1; 2.3.4")."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    text = str(value).strip()
    if key(text) in _NONE_WORDS:
        return []
    codes: list[str] = []
    for part in _SPLIT.split(text):
        part = part.strip().strip(".").strip()
        if part and key(part) not in _NONE_WORDS and part not in codes:
            codes.append(part)
    return codes


def join_codes(codes: list[str]) -> str | None:
    """How linked códigos are stored and shown: "1.2.1; 2.3.4" (None for no code)."""
    return "; ".join(codes) if codes else None


def code_key(code: object) -> str:
    """How a typed código is compared with a goal's: no punctuation, case or spaces."""
    return key(code)


def known_codes(metas: pd.DataFrame) -> set[str]:
    """Keys of every goal código in ``metas`` (any year, any plan)."""
    if metas is None or metas.empty or "codigo" not in metas:
        return set()
    return {code_key(c) for c in metas["codigo"].dropna().unique() if code_key(c)}


def _sort_key(numero: object) -> tuple:
    """Deliberation numbers in natural order: 2 before 10, "3.1" after "3"."""
    parts = re.split(r"(\d+)", str(numero or ""))
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def ordered(delib: pd.DataFrame) -> pd.DataFrame:
    """Deliberations by edition, then number in natural order."""
    if delib.empty:
        return delib
    order = sorted(
        range(len(delib)),
        key=lambda i: (int(delib["ano"].iloc[i]), _sort_key(delib["numero"].iloc[i])),
    )
    return delib.iloc[order].reset_index(drop=True)


def editions(delib: pd.DataFrame) -> list[int]:
    if delib is None or delib.empty:
        return []
    return sorted(int(a) for a in delib["ano"].dropna().unique())


def edition_for(edicoes: list[int], ano: int | None) -> int | None:
    """The edition a plan year looks back to: the latest held up to that year (or the first
    one, when all are later)."""
    if not edicoes:
        return None
    held = [e for e in edicoes if ano is None or e <= ano]
    return held[-1] if held else edicoes[0]


def status(
    delib: pd.DataFrame,
    metas: pd.DataFrame,
    ano: int | None,
    plano=None,
) -> pd.DataFrame:
    """One row per deliberation with its derived ``situacao`` in ``ano`` and why (``motivo``).

    ``metas`` are the goals of every plan of the municipality (every year); ``ano`` is the plan
    year the status refers to. ``plano`` (optional) names the plan eixos of the linked goals.
    Also: ``metas_no_ano`` (each linked goal's código and Situação in ``ano``), ``eixos_plano``
    and ``metas_inexistentes`` (códigos that match no goal of the municipality).
    """
    if delib is None or delib.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    d = ordered(delib)
    known = known_codes(metas)
    year_goals = _year_goals(metas, ano)
    rows = []
    for r in d.itertuples(index=False):
        codes = split_codes(r.metas)
        found = [c for c in codes if code_key(c) in known]
        missing = [c for c in codes if code_key(c) not in known]
        situacao, motivo, no_ano, eixos = _one(r.ambito, found, missing, year_goals, ano, plano)
        rows.append(
            {
                "ano": int(r.ano),
                "numero": r.numero,
                "eixo_conferencia": r.eixo_conferencia,
                "ambito": r.ambito,
                "texto": r.texto,
                "prioridade": r.prioridade,
                "metas": join_codes(codes),
                "situacao": situacao,
                "motivo": motivo,
                "metas_no_ano": no_ano,
                "eixos_plano": "; ".join(eixos) or None,
                "eixos_lista": tuple(eixos),
                "metas_inexistentes": join_codes(missing),
            }
        )
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    out["ano"] = out["ano"].astype("Int64")
    return out


def _year_goals(metas: pd.DataFrame, ano: int | None) -> dict[str, list[dict]]:
    """Código key → that goal's rows in ``ano`` (one per plan holding it)."""
    if metas is None or metas.empty or ano is None:
        return {}
    sub = metas[(metas["ano"] == ano) & metas["codigo"].notna()]
    out: dict[str, list[dict]] = {}
    for row in sub.to_dict("records"):
        out.setdefault(code_key(row["codigo"]), []).append(row)
    return out


def _plan_eixos(rows: list[dict], plano) -> list[str]:
    """Labels of the plan eixos of the linked goals ("1. Política Municipal…"), in order."""
    labels: dict[tuple, str] = {}
    for g in rows:
        n = g.get("eixo_numero")
        if n is not None and pd.notna(n) and plano is not None:
            try:
                labels[(int(n), "")] = plano.eixo(int(n)).rotulo
                continue
            except KeyError:
                pass
        if g.get("eixo"):
            labels[(99, str(g["eixo"]))] = str(g["eixo"])
    return [labels[k] for k in sorted(labels)]


def _one(ambito, found, missing, year_goals, ano, plano):
    if ambito in (schema.ESTADUAL, schema.NACIONAL):
        return (
            ENCAMINHADA,
            M["encaminhada"].format(ambito=str(ambito).lower()),
            None,
            [],
        )
    if not found:
        motivo = M["nenhuma_meta"]
        if missing:
            motivo = M["codigos_inexistentes"].format(codigos=join_codes(missing))
        return SEM_META, motivo, None, []
    rows = [g for c in found for g in year_goals.get(code_key(c), [])]
    no_ano = join_codes([f"{g['codigo']}: {g['situacao'] or '—'}" for g in rows])
    eixos = _plan_eixos(rows, plano)
    counted = [g["situacao"] for g in rows if schema.STATUS_COUNTED.get(g["situacao"], False)]
    if not counted:
        return (
            SEM_AVALIACAO,
            M["nenhuma_avaliavel"].format(n=len(found), ano=ano),
            no_ano,
            eixos,
        )
    n = len(counted)
    por_situacao = ", ".join(
        f"{sum(s == name for s in counted)} {name}"
        for name in schema.STATUS_ORDER
        if name in counted
    )
    motivo = M["avaliaveis"].format(n=n, ano=ano, situacoes=por_situacao)
    if all(s == schema.REALIZADA for s in counted):
        return ATENDIDA, motivo, no_ano, eixos
    if any(s in _PROGRESS for s in counted):
        return EM_ATENDIMENTO, motivo, no_ano, eixos
    return NAO_ATENDIDA, motivo, no_ano, eixos


# --- coverage -------------------------------------------------------------------------------

COBERTURA_ROTULOS: dict[str, str] = textos.COBERTURA_ROTULOS


def coverage(st: pd.DataFrame) -> dict:
    """Counts of a :func:`status` frame. Percentages are over the municipal deliberations."""
    sit = st["situacao"] if len(st) else pd.Series([], dtype=object)
    municipais = int((sit != ENCAMINHADA).sum())
    sem_meta = int((sit == SEM_META).sum())
    atendidas = int((sit == ATENDIDA).sum())
    com_meta = municipais - sem_meta
    return {
        "total": int(len(st)),
        "municipais": municipais,
        "encaminhadas": int((sit == ENCAMINHADA).sum()),
        "com_meta": com_meta,
        "sem_meta": sem_meta,
        "atendidas": atendidas,
        "em_atendimento": int((sit == EM_ATENDIMENTO).sum()),
        "nao_atendidas": int((sit == NAO_ATENDIDA).sum()),
        "sem_avaliacao": int((sit == SEM_AVALIACAO).sum()),
        "pct_com_meta": 100 * com_meta / municipais if municipais else None,
        "pct_atendidas": 100 * atendidas / municipais if municipais else None,
    }


def coverage_by(st: pd.DataFrame, column: str) -> pd.DataFrame:
    """:func:`coverage` per value of ``column`` of the municipal deliberations.

    For ``eixos_plano`` a deliberation is counted in every plan eixo its goals belong to (so the
    rows add up to more than the total); those without a goal are in "(sem meta no PMAS)".
    """
    mun = st[st["situacao"] != ENCAMINHADA]
    cols = [column, *COBERTURA_ROTULOS]
    if mun.empty:
        return pd.DataFrame(columns=cols)
    if column == "eixos_plano":
        values = mun["eixos_lista"].map(lambda v: list(v) or [M["grupo_sem_meta"]])
        mun = mun.assign(**{column: values}).explode(column)
    else:
        mun = mun.assign(**{column: mun[column].fillna(M["grupo_sem_eixo"])})
    rows = []
    for value, group in mun.groupby(column, sort=False):
        rows.append({column: value, **coverage(group)})
    rows.sort(key=lambda r: (str(r[column]).startswith("("), _sort_key(r[column])))
    return pd.DataFrame(rows, columns=cols)


# --- the goals' side ------------------------------------------------------------------------

LIGACOES_COLUNAS = (
    "ano",
    "numero",
    "situacao_deliberacao",
    "codigo",
    "plano",
    "acao",
    "meta",
    "situacao",
    "justificativa",
)


def links(delib: pd.DataFrame, metas: pd.DataFrame, ano: int | None) -> pd.DataFrame:
    """One row per (deliberation, linked goal row in ``ano``): the goal's details and
    justificativa, for the list and the Devolutiva. A código that matches nothing in ``ano`` has
    one row with no goal details."""
    st = status(delib, metas, ano)
    year_goals = _year_goals(metas, ano)
    rows = []
    for r in st.itertuples(index=False):
        for c in split_codes(r.metas):
            goals = year_goals.get(code_key(c)) or [{"codigo": c}]
            for g in goals:
                rows.append(
                    {
                        "ano": r.ano,
                        "numero": r.numero,
                        "situacao_deliberacao": r.situacao,
                        "codigo": g.get("codigo", c),
                        "plano": g.get("plano"),
                        "acao": g.get("acao"),
                        "meta": g.get("meta"),
                        "situacao": g.get("situacao"),
                        "justificativa": g.get("justificativa"),
                    }
                )
    return pd.DataFrame(rows, columns=list(LIGACOES_COLUNAS))


def answered_by(delib: pd.DataFrame, codigo: object) -> pd.DataFrame:
    """The deliberations (of every edition) that a goal's código answers."""
    if delib is None or delib.empty or not code_key(codigo):
        return pd.DataFrame(columns=list(delib.columns) if delib is not None else [])
    k = code_key(codigo)
    hit = delib["metas"].map(lambda v: any(code_key(c) == k for c in split_codes(v)))
    return ordered(delib[hit])


def unknown_links(delib: pd.DataFrame, metas: pd.DataFrame) -> pd.DataFrame:
    """Links to a código that no goal of the municipality has: edition, number, código and where
    the deliberation came from (sheet and row)."""
    known = known_codes(metas)
    rows = []
    for r in ordered(delib).to_dict("records") if delib is not None and len(delib) else []:
        for c in split_codes(r.get("metas")):
            if code_key(c) not in known:
                rows.append(
                    {
                        "ano": r["ano"],
                        "numero": r["numero"],
                        "codigo": c,
                        "aba": r.get("aba"),
                        "linha": r.get("linha"),
                    }
                )
    return pd.DataFrame(rows, columns=["ano", "numero", "codigo", "aba", "linha"])
