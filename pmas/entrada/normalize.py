"""Raw sheet → canonical frame.

Finds the header row (anywhere in the first rows, after a title block; one or two rows), maps the
header aliases, fills merged and blank eixo/diretriz cells down, melts wide layouts (year columns
marked X, year blocks), parses Brazilian numbers, drops footers and blank rows and finds the
reference year. What it cannot understand becomes a finding; it never guesses silently.

The frame it returns has the table's canonical columns (values still as typed: eixo and situação
are mapped by :mod:`pmas.entrada.validate`), plus ``_linha`` (the row number the user sees in Excel) and
``_aba`` (the sheet name).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.arrays import ArrowStringArray

from pmas import textos
from pmas.dados import schema
from pmas.dados.schema import INTEGER, NUMBER, Table
from pmas.entrada.aba_plano import is_plan_sheet
from pmas.entrada.colunar import ColumnarSheet
from pmas.entrada.findings import Finding, finding
from pmas.entrada.mapa import IGNORAR, Mapa
from pmas.entrada.reader import RawSheet, RawWorkbook
from pmas.text import key


class ReconheceEixo(Protocol):
    """What normalising needs of a plan: to tell whether a cell names one of its eixos (a
    section row). A :class:`pmas.dados.plano.Plano`, or a stand-in that knows no plan yet."""

    def match_eixo(self, value: object) -> object | None: ...


HEADER_SEARCH_ROWS = 20
_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2}|19[89][0-9])(?![0-9])")
_REF_YEAR = re.compile(r"(?:ano|exercicio|referencia)\s+(?:de\s+)?(?:referencia\s+)?(20[0-9]{2})")
_MARKS = frozenset({"x", "sim", "s", "ok", "v", "1"})
_REQUIRED_ANY = {
    "metas": (("eixo",), ("acao", "meta", "indicador")),
    "conferencias": (("participantes",),),
    "indicadores": (("indicador",), ("valor",)),
    "deliberacoes": (("texto",),),
}
# What the finding of a missing eixo column names as accepted headings.
EIXO_ACEITOS = "“Eixo”, “Eixo temático”, “Área”"
# Columns filled down when blank (they are usually merged over the rows below them).
_FILL_DOWN = {
    "metas": ("eixo", "diretriz", "objetivo"),
    "conferencias": ("ano", "tipo_evento"),
    "indicadores": ("indicador",),
    "deliberacoes": ("ano", "eixo_conferencia"),
}
# Columns that carry a year block (Previsto 2023 | Realizado 2023 | Situação 2023 ...).
_BLOCK_COLUMNS = frozenset(
    {
        "previsto",
        "realizado",
        "percentual",
        "situacao",
        "justificativa",
        "valor_previsto",
        "valor_executado",
        "valor",
        "meta_valor",
    }
)
# Columns that identify a data row: a row with none of them is not a data row.
_IDENTIFYING = {
    "metas": ("acao", "meta", "indicador", "codigo"),
    "conferencias": ("participantes", "local", "regiao", "publico", "segmento"),
    "indicadores": ("indicador",),
    "deliberacoes": ("texto", "numero"),
}


@dataclass
class Normalized:
    """One recognised table of one sheet."""

    table: Table
    sheet: str
    frame: pd.DataFrame
    header_row: int  # Excel row number of the (lower) header row
    mapped: dict[str, str] = field(default_factory=dict)  # column label as written → canonical
    ignored: list[str] = field(default_factory=list)  # column labels not recognised
    findings: list[Finding] = field(default_factory=list)
    # Data rows below the header: how many were read and why the ones not stored were skipped
    # ("em_branco", "rodape", "secao", "sem_meta", "sem_valores").
    contagem: dict[str, int] = field(default_factory=dict)
    desconhecidas: list[str] = field(default_factory=list)  # headings the user may map
    situacoes_desconhecidas: list[str] = field(default_factory=list)  # statuses the user may map
    # Goal texts that start with Reduzir/Diminuir, with numbers and no direction, that the user
    # has not answered for: is the goal a reduction goal? (DOMAIN.md: confirmed by the user)
    reducoes_pendentes: list[str] = field(default_factory=list)
    # Every column whose values are not read (unknown, ignored by the mapping, computed by the
    # dashboard, duplicated, or with no heading): each has a finding naming it.
    colunas_ignoradas: list[str] = field(default_factory=list)

    @property
    def linhas_puladas(self) -> int:
        return sum(v for k, v in self.contagem.items() if k != "lidas")


# --- finding the table ----------------------------------------------------------------------


def table_for_sheet(name: str) -> Table | None:
    """The table a sheet holds, told by its name ("Metas 2024" counts as Metas)."""
    k = _YEAR.sub(" ", key(name)).strip()
    k = re.sub(r"\s+", " ", k)
    for table in schema.TABLES.values():
        for alias in table.sheet_aliases:
            if k == alias or k.startswith(alias + " ") or k.endswith(" " + alias):
                return table
    return None


def _alias_index(table: Table) -> dict[str, str]:
    index: dict[str, str] = {}
    for col in table.columns:
        for alias in (col.name.replace("_", " "), col.label, *col.aliases):
            index.setdefault(key(alias), col.name)
    return index


_ALIASES = {name: _alias_index(t) for name, t in schema.TABLES.items()}
_AUXILIARY_SHEETS = frozenset(key(n) for n in schema.AUXILIARY_SHEETS)
_COMPUTED = frozenset(key(label) for label in schema.COMPUTED_COLUMNS.values())
# Wide conference layouts: one column per segment.
_SEGMENT_HEADERS = {key(s): s for s in (*schema.SEGMENTS, schema.TOTAL)}
_SEGMENT_HEADERS.update(
    {
        "usuarios": schema.USUARIOS,
        "trabalhadores": schema.TRABALHADORES,
        "entidades": schema.ENTIDADES,
        "prestadores": schema.ENTIDADES,
        "entidades prestadores de servicos": schema.ENTIDADES,
        "gestores": schema.GESTORES,
        "governamentais": schema.GESTORES,
        "total de participantes": schema.TOTAL,
    }
)


@dataclass(frozen=True)
class _Header:
    col: int
    written: str  # the label as written (with the group above it, if any)
    canonical: str | None  # canonical column, "_ano_x" for a year marked X, "_seg" for a segment
    year: int | None = None
    segment: str | None = None
    nota: str | None = (
        None  # how the heading was read from its wording and values, if reinterpreted
    )
    origem: str | None = None  # "mapa" when the user's mapping decided it


def _match_label(text: str, table: Table) -> tuple[str | None, int | None]:
    """(canonical column, year) for one header text."""
    raw = str(text).strip()
    if raw == "%":
        return ("percentual" if "percentual" in table.names else None), None
    k = key(raw)
    if not k:
        return None, None
    if k in _COMPUTED:
        return "_calculada", None
    years = _YEAR.findall(k)
    if len(years) == 1 and k == years[0]:
        # A bare year over a column: when a goal is due (marked X). Only goals have that.
        return ("_ano_x", int(years[0])) if table.name == "metas" else (None, None)
    year = int(years[0]) if len(set(years)) == 1 else None
    base = re.sub(r"\s+", " ", _YEAR.sub(" ", k)).strip() if year else k
    aliases = _ALIASES[table.name]
    if base in aliases:
        return aliases[base], year
    if table.name == "conferencias" and base in _SEGMENT_HEADERS:
        return "_seg", year
    # "Situação (Realizada/Parcial/...)" or "Meta prevista para o ano": longest alias prefix
    # (of 4 characters or more) followed by a space; looked up at each space, longest first.
    end = base.rfind(" ")
    while end >= 4:
        canonical = aliases.get(base[:end])
        if canonical is not None:
            return canonical, year
        end = base.rfind(" ", 0, end)
    return None, year


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _score_header_row(row: list[object], table: Table) -> int:
    seen = set()
    for v in row:
        t = _cell_text(v)
        if t and len(t) <= 80:
            canonical, _ = _match_label(t, table)
            if canonical and canonical not in ("_ano_x", "_calculada"):
                seen.add(canonical)
    return len(seen)


def find_header(rows: list[list[object]], table: Table) -> int | None:
    """Index of the header row in the first rows: the one naming most canonical columns."""
    best, best_score = None, 1
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = _score_header_row(row, table)
        if score > best_score:
            best, best_score = i, score
    return best


def guess_table(rows: list[list[object]]) -> Table | None:
    """For a CSV or an unnamed sheet: the table whose headers the first rows name best."""
    best, best_score = None, 1
    for table in schema.TABLES.values():
        for row in rows[:HEADER_SEARCH_ROWS]:
            score = _score_header_row(row, table)
            if score < 2:  # one recognised word is not a header row
                continue
            names = {(_match_label(_cell_text(v), table)[0]) for v in row if _cell_text(v)}
            bonus = sum(1 for s in table.signature if s in names)
            if score + bonus > best_score:
                best, best_score = table, score + bonus
    return best


def _group_row(
    rows: list[list[object]], h: int, merged: list[tuple[int, int, int, int]], width: int
) -> list[str] | None:
    """The group labels above the header row ("Execução 2023" over Previsto | Realizado), if any."""
    if h == 0:
        return None
    upper = rows[h - 1]
    texts = [_cell_text(upper[c]) if c < len(upper) else "" for c in range(width)]
    filled = [c for c, t in enumerate(texts) if t]
    if not filled:
        return None
    spans = [m for m in merged if m[0] <= h - 1 <= m[2] and m[3] > m[1]]
    if len(filled) < 2 and not spans:
        return None
    group = list(texts)
    for _r0, c0, _r1, c1 in spans:
        for c in range(max(c0, 0), min(c1, width - 1) + 1):
            group[c] = texts[c0] if c0 < width else ""
    if not spans:  # "centre across selection": a group label covers the blanks to its right
        current = ""
        for c in range(filled[0], width):
            current = group[c] or current
            group[c] = current
    return group


def _headers(
    rows: list[list[object]], h: int, table: Table, merged, width: int, mapa: Mapa | None = None
) -> list[_Header]:
    lower = rows[h]
    group = _group_row(rows, h, merged, width)
    out: list[_Header] = []
    for c in range(width):
        text = _cell_text(lower[c]) if c < len(lower) else ""
        above = group[c] if group else ""
        canonical, year = _match_label(text, table) if text else (None, None)
        if not text and above:
            canonical, year = _match_label(above, table)
            text = above
        elif above and year is None and canonical:
            years = set(_YEAR.findall(key(above)))
            if len(years) == 1:
                year = int(years.pop())
        written = f"{above} › {text}" if above and above != text else text
        nota = origem = None
        taught = mapa.coluna(written) or mapa.coluna(text) if mapa and text else None
        if taught is not None:
            if taught == IGNORAR:
                canonical, origem = "_ignorar", "mapa"
            elif taught in table.names:
                canonical, origem = taught, "mapa"
        elif table.name == "metas" and text:
            canonical, year, nota = _by_wording_and_values(
                text, canonical, year, lambda c=c: _numeric_column(rows, h, c)
            )
        segment = None
        if canonical == "_seg":
            segment = _SEGMENT_HEADERS[re.sub(r"\s+", " ", _YEAR.sub(" ", key(text))).strip()]
        out.append(_Header(c, written, canonical, year, segment, nota, origem))
    return out


def _refined_only_where_free(headers: list[_Header]) -> list[_Header]:
    """A "Meta …" heading read as a number column by its values gives way to a column named so
    plainly ("Meta" over numbers beside a "Previsto" column stays the goal's text column)."""
    plain = {(hd.canonical, hd.year) for hd in headers if hd.nota is None and hd.canonical}
    out = []
    for hd in headers:
        if hd.nota in ("numeros", "textos", "percentual") and (hd.canonical, hd.year) in plain:
            hd = _Header(hd.col, hd.written, "meta", None, None, None, hd.origem)
        out.append(hd)
    return out


# Words after "Meta" that make it a target of the whole plan, not of one year.
_PLAN_WIDE = frozenset(
    {
        "quadrienio",
        "quadrienal",
        "cumulativa",
        "cumulativo",
        "acumulada",
        "acumulado",
        "plano",
        "pmas",
        "final",
        "total",
        "periodo",
        "global",
        "vigencia",
    }
)
_DONE_WORD = re.compile(r"^(alcanc|ating|realiz|execut|cumpr)[a-z]*(ad|id)[ao]s?$")
_POLARITY_HEADINGS = {
    "quanto menor melhor": "Reduzir",
    "menor melhor": "Reduzir",
    "quanto menor o valor melhor": "Reduzir",
    "quanto maior melhor": "Aumentar",
    "maior melhor": "Aumentar",
    "quanto maior o valor melhor": "Aumentar",
}


def _by_wording_and_values(
    text: str, canonical, year, numeric
) -> tuple[str | None, int | None, str | None]:
    """A goal heading's meaning from its whole wording and its values, not from its first word:
    "Meta" over text is the goal; "Meta 2024" or "Meta do indicador" over numbers is that year's
    target (Previsto); "Meta para o quadriênio" or "Meta cumulativa" over numbers is the plan's
    target; "% meta alcançada" is the execution percentage; "Meta alcançada" over numbers is the
    Realizado. Returns (canonical, year, note) where the note says why, for the findings."""
    k = key(text)
    words = k.split()
    if k in _POLARITY_HEADINGS:
        return "_polaridade", None, _POLARITY_HEADINGS[k]
    if "meta" not in words[:3] or canonical not in (None, "meta", "meta_plano", "percentual"):
        return canonical, year, None
    if "%" in text or words[0] in ("percentual", "porcentagem", "pct"):
        if words[0] in ("meta", "percentual", "porcentagem", "pct") or "%" in text:
            return "percentual", year, "percentual"
    if words[0] != "meta":
        return canonical, year, None
    years = set(_YEAR.findall(k))
    rest = [
        w
        for w in words[1:]
        if not _YEAR.fullmatch(w) and w not in ("do", "da", "de", "o", "a", "para", "no", "na")
    ]
    values = numeric()
    if values is None:  # no values under it: its wording alone decides (an empty template)
        return canonical, year, None
    if rest and _DONE_WORD.match(rest[0]):
        return ("realizado", year, "numeros") if values else ("situacao", year, "textos")
    if len(years) > 1 or any(w in _PLAN_WIDE for w in rest):
        return ("meta_plano", None, "numeros") if values else ("meta", None, None)
    if values:
        return "previsto", year, "numeros"
    return "meta", year, None


def _numeric_column(rows: list[list[object]], h: int, c: int, sample: int = 200) -> bool | None:
    """Whether the values under a heading are numbers (at least four in five of those filled,
    placeholders aside); None when there is no value at all."""
    numbers = texts = 0
    for row in rows[h + 1 : h + 1 + sample]:
        v = row[c] if c < len(row) else None
        if v is None or isinstance(v, bool):
            continue
        if isinstance(v, (int, float)):
            numbers += 1
            continue
        t = str(v).strip()
        if not t or is_placeholder(t):
            continue
        try:
            parse_number(t)
        except (_NotNumber, _Placeholder):
            texts += 1
        else:
            numbers += 1
    if not numbers and not texts:
        return None
    return numbers > 0 and numbers >= 4 * texts


def _sub_label_row(rows: list[list[object]], h: int, table: Table) -> bool:
    """Whether the row under the header holds only sub-labels of a two-row header (Previsto |
    Realizado | Situação under a group "Execução 2024"), the other cells blank and not merged."""
    if h + 1 >= len(rows):
        return False
    upper, below = rows[h], rows[h + 1]
    filled = [(c, v) for c, v in enumerate(below) if _cell_text(v)]
    if len(filled) < 2:
        return False
    under_blank = False
    for c, v in filled:
        if not isinstance(v, str):
            return False
        canonical, _ = _match_label(v, table)
        if canonical is None or canonical in ("_ano_x", "_calculada"):
            return False
        if c >= len(upper) or not _cell_text(upper[c]):
            under_blank = True
    return under_blank


# --- values ---------------------------------------------------------------------------------

_NUM_CLEAN = re.compile(r"[R$\s\u00a0%]")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_PLACEHOLDER_KEYS = frozenset(key(p) for p in schema.PLACEHOLDERS) | {""}


class _NotNumber(ValueError):
    pass


def is_placeholder(v: object) -> bool:
    return isinstance(v, str) and (
        v.strip().lower() in schema.PLACEHOLDERS
        or (key(v) in _PLACEHOLDER_KEYS and v.strip() != "")
    )


def parse_number(v: object) -> float | None:
    """A Brazilian-written number: 1.234 / 1.234,56 / 85,5% / R$ 12.000,00 / -3; None if blank.

    Raises ``_NotNumber`` for text that is not a number, and returns the placeholder marker
    ``_PLACEHOLDER`` for placeholders (-, —, s/d, n/a).
    """
    if v is None:
        return None
    if isinstance(v, bool):
        raise _NotNumber(v)
    if isinstance(v, (int, float)):
        return None if isinstance(v, float) and math.isnan(v) else float(v)
    if isinstance(v, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        raise _NotNumber(v)
    s = str(v).strip()
    if not s:
        return None
    if is_placeholder(s):
        raise _Placeholder(s)
    t = _NUM_CLEAN.sub("", s)
    if t.startswith("(") and t.endswith(")"):
        t = "-" + t[1:-1]
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(t):
        t = t.replace(".", "")
    try:
        return float(t)
    except ValueError:
        raise _NotNumber(v) from None


class _Placeholder(ValueError):
    pass


def parse_int(v: object) -> int | None:
    n = parse_number(v)
    if n is None:
        return None
    if not float(n).is_integer():
        raise _NotNumber(v)
    return int(n)


# --- footers --------------------------------------------------------------------------------

_FOOTER = re.compile(
    r"^({})\b".format("|".join(re.escape(p) for p in schema.FOOTER_PREFIXES if p != "*"))
)


# "No filled cell yet" in the row scan (None is a cell value).
_NOTHING = object()


def _footer_text(first: object) -> str | None:
    """The row's text when its first filled cell reads as a footer (Fonte:, TOTAL, Nota…)."""
    if type(first) is not str:
        return None
    text = first.strip()
    if text.startswith("*") or _FOOTER.match(key(text)):
        return text[:60]
    return None


# --- the sheet ------------------------------------------------------------------------------


def reference_year(sheet: RawSheet, header_row: int) -> int | None:
    """The year named by the sheet name, or else by the title block above the header."""
    years = set(_YEAR.findall(key(sheet.name)))
    if len(years) == 1:
        return int(years.pop())
    title = " ".join(
        _cell_text(v) for row in sheet.inicio(header_row) for v in row if v is not None
    )
    k = key(title)
    m = _REF_YEAR.search(k)
    if m:
        return int(m.group(1))
    years = set(_YEAR.findall(k))
    if len(years) == 1:
        return int(years.pop())
    return None


# Section rows ("EIXO Nº 1 – …", "DIRETRIZ 2: …", "OBJETIVO Nº 3 – …", "Ação nº 4") set the
# eixo, diretriz, objetivo or ação of the rows below them; they are never goals. The keyword must
# be followed by a number or by a separator, so a goal written "Ação continuada de …" is not one.
_SECTION = re.compile(
    r"^\s*(eixo|diretriz|objetivo|a[çc][ãa]o)(?:\s*(?:n\.?\s*[º°o]\.?|n[úu]mero)?\s*"
    r"([0-9]+(?:\.[0-9]+)*|[IVXivx]{1,5})(?![0-9A-Za-z]))?\s*([:–—\-.)]?)\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_SECTION_LEVELS = ("eixo", "diretriz", "objetivo", "acao")


def section_of(value: object) -> tuple[str, str] | None:
    """(canonical column, value for the rows below) when a cell reads as a section heading."""
    if type(value) is not str or len(value) > 300:
        return None
    m = _SECTION.match(value)
    if not m:
        return None
    word, numero, sep, rest = m.groups()
    if not numero and not sep:
        return None
    level = key(word)
    rest = rest.strip()
    if level == "eixo":
        return "eixo", (f"Eixo {numero} – {rest}" if numero and rest else value.strip())
    return level, value.strip()


def normalize_sheet(
    sheet: RawSheet,
    table: Table,
    ano: int | None = None,
    plano: ReconheceEixo | None = None,
    mapa: Mapa | None = None,
) -> Normalized:
    """One sheet → canonical frame of ``table`` (values parsed, layout undone).

    A sheet read column-wise (:class:`pmas.entrada.colunar.ColumnarSheet`) has its header
    found in its first rows and its data rows normalised on columns
    (:mod:`pmas.entrada.normalize_colunar`) when their layout allows; otherwise, and for every
    other sheet, row by row here."""
    columnar = (
        isinstance(sheet, ColumnarSheet)
        and not sheet.materializada
        and table.name != "conferencias"
    )
    rows = sheet.cabeca if isinstance(sheet, ColumnarSheet) and columnar else sheet.rows
    if table.name == "conferencias":
        laid = _label_value_rows(rows, table)
        if laid is not None:
            return _normalize_label_value(sheet, table, laid, ano, plano, mapa)
    h = find_header(rows, table)
    if h is None:
        return Normalized(
            table,
            sheet.name,
            pd.DataFrame(),
            0,
            findings=[
                finding("cabecalho_nao_encontrado", aba=sheet.name, limite=HEADER_SEARCH_ROWS)
            ],
        )
    if _sub_label_row(rows, h, table):
        h += 1  # a two-row header: single names above, sub-labels below the group
    width = max((len(r) for r in rows[h : h + 2000]), default=0)
    headers = _refined_only_where_free(_headers(rows, h, table, sheet.merged, width, mapa))
    findings: list[Finding] = []
    result = Normalized(table, sheet.name, pd.DataFrame(), h + 1, findings=findings)

    # Which columns feed what.
    plain: dict[str, int] = {}  # canonical → column index (no year)
    blocks: dict[int, dict[str, int]] = {}  # year → canonical → column index
    x_years: dict[int, int] = {}  # year → column index
    segments: dict[str, int] = {}
    polarity: dict[
        int, str | None
    ] = {}  # "Quanto menor, melhor" columns: index → direction when marked
    for hd in headers:
        if hd.canonical is None or hd.canonical == "_ignorar":
            if not hd.written:
                amostra = _sample(rows, h, hd.col, blank=None)
                if amostra is not None:  # values under no heading: dropped, so said
                    letra = column_letter(hd.col)
                    result.colunas_ignoradas.append(letra)
                    findings.append(
                        finding(
                            "coluna_sem_titulo",
                            aba=sheet.name,
                            linha=h + 1,
                            coluna=letra,
                            amostra=amostra,
                        )
                    )
            if hd.written:
                amostra = _sample(rows, h, hd.col)
                result.colunas_ignoradas.append(hd.written)
                if hd.canonical is None:
                    result.ignored.append(hd.written)
                    result.desconhecidas.append(hd.written)
                findings.append(
                    finding(
                        "coluna_ignorada_mapa" if hd.origem == "mapa" else "coluna_desconhecida",
                        aba=sheet.name,
                        linha=h + 1,
                        coluna=hd.written,
                        amostra=amostra,
                    )
                )
            continue
        if hd.canonical == "_calculada":
            # computed by the dashboard itself (a downloaded table imported again)
            result.colunas_ignoradas.append(hd.written)
            findings.append(
                finding("coluna_calculada", aba=sheet.name, linha=h + 1, coluna=hd.written)
            )
            continue
        result.mapped[hd.written] = hd.canonical
        if hd.origem == "mapa":
            findings.append(
                finding(
                    "coluna_do_mapa",
                    aba=sheet.name,
                    linha=h + 1,
                    coluna=hd.written,
                    rotulo=table.column(hd.canonical).label,
                )
            )
        if hd.canonical == "_ano_x":
            if hd.year is not None:  # (always: _match_label gives "_ano_x" with its year)
                x_years[hd.year] = hd.col
            continue
        if hd.canonical == "_polaridade":
            findings.append(
                finding(
                    "coluna_polaridade",
                    aba=sheet.name,
                    linha=h + 1,
                    coluna=hd.written,
                    sentido=hd.nota,
                )
            )
            if "sentido" in plain:
                result.colunas_ignoradas.append(hd.written)
                findings.append(
                    finding(
                        "coluna_duplicada",
                        aba=sheet.name,
                        linha=h + 1,
                        coluna=hd.written,
                        rotulo=headers[plain["sentido"]].written,
                    )
                )
                continue
            result.mapped[hd.written] = "sentido"
            plain["sentido"] = hd.col
            polarity[hd.col] = hd.nota
            continue
        if hd.nota in ("numeros", "textos", "percentual"):
            rotulo = table.column(hd.canonical).label
            findings.append(
                finding(
                    "coluna_interpretada",
                    aba=sheet.name,
                    linha=h + 1,
                    coluna=hd.written,
                    rotulo=rotulo + (f" de {hd.year}" if hd.year else ""),
                    motivo=textos.MOTIVO_COLUNA[hd.nota],
                )
            )
        if hd.canonical == "_seg":
            target = segments
            name = hd.segment
        elif hd.year is not None and hd.canonical in _BLOCK_COLUMNS:
            target = blocks.setdefault(hd.year, {})
            name = hd.canonical
        else:
            target = plain
            name = hd.canonical
        if name is None:  # unknown headings were reported and skipped above
            raise ValueError(f"heading {hd.written!r} reached the mapping without a column")
        if name in target:
            first_heading = headers[target[name]].written
            result.colunas_ignoradas.append(hd.written)
            findings.append(
                finding(
                    "coluna_duplicada",
                    aba=sheet.name,
                    linha=h + 1,
                    coluna=hd.written,
                    rotulo=first_heading,
                )
            )
            continue
        target[name] = hd.col

    # Required columns.
    present = set(plain) | {c for b in blocks.values() for c in b}
    if segments:
        present.add("participantes")
    for options in _REQUIRED_ANY[table.name]:
        if options == ("eixo",):
            continue  # eixos may also come as section rows; checked below
        if not any(o in present for o in options):
            col = table.column(options[0])
            findings.append(
                finding(
                    "coluna_obrigatoria_ausente",
                    aba=sheet.name,
                    linha=h + 1,
                    rotulo=" ou ".join(table.column(o).label for o in options),
                    aceitos=", ".join(f"“{a}”" for a in (col.label, *col.aliases[:4])),
                )
            )
    if table.name == "metas" and not (
        {"situacao", "previsto", "realizado", "percentual"} & present
    ):
        findings.append(
            finding(
                "coluna_obrigatoria_ausente",
                aba=sheet.name,
                linha=h + 1,
                rotulo="Situação",
                aceitos="“Situação”, “Status”, “Avaliação”, “Cumprimento”, ou "
                "“Previsto” e “Realizado”",
            )
        )
    if any(f.nivel == "erro" for f in findings):
        return result
    if isinstance(sheet, ColumnarSheet) and columnar:
        from pmas.entrada import normalize_colunar

        args = (h, width, headers, plain, blocks, x_years, segments, polarity, result)
        if normalize_colunar.finish(sheet, table, ano, plano, *args):
            return result
        rows = sheet.rows  # declined: the rows, built from the columns

    # Data rows: fill vertical merges, drop footers and blank rows.
    data = rows[h + 1 :]  # the raw rows are this function's scratch space
    contagem = result.contagem
    contagem.update(lidas=len(data), em_branco=0, rodape=0, secao=0, sem_meta=0, sem_valores=0)
    for i, r in enumerate(data):
        if len(r) < width:
            data[i] = list(r) + [None] * (width - len(r))
    _fill_merges(data, sheet.merged, h + 1, width)
    ident_cols = [plain[c] for c in _IDENTIFYING[table.name] if c in plain]
    ident_cols += list(segments.values()) + [c for b in blocks.values() for c in b.values()]
    if table.name == "metas":
        # Section rows may set eixo, diretriz, objetivo or ação where there is no such column:
        # each gets a column of its own (after the identifying columns are known).
        for name in _SECTION_LEVELS:
            if name not in plain:
                plain[name] = width
                width += 1
                for row in data:
                    row.append(None)
    # One pass over the rows, with the cell tests written out: a function call per cell would cost
    # more than reading the file. A filled cell is one that is not None nor blank text.
    footer_cols = [c for c in ident_cols if c != 0]
    metas = table.name == "metas"
    sections = metas and plano is not None
    code_col = plain.get("codigo", -1)
    context: dict[int, object] = {}  # column → value set by the section rows above
    resets: dict[int, set[int]] = {}  # kept index → columns whose fill-down a section ended
    linhas: list[int] = []  # Excel row of each kept row
    kept: list[list[object]] = []
    excel_row = h + 1
    for row in data:
        excel_row += 1
        first: object = _NOTHING
        first_col = -1
        filled = 0
        for c, v in enumerate(row):  # the first filled cell, and how many others (up to 2)
            if v is not None and (type(v) is not str or v.strip() != ""):
                filled += 1
                if first is _NOTHING:
                    first, first_col = v, c
                elif filled > 2:
                    break
        if first is _NOTHING:
            contagem["em_branco"] += 1
            continue  # blank row
        if type(first) is str:
            # A footer (Fonte:, TOTAL, Nota…) is dropped unless the row identifies a record.
            for c in footer_cols:
                v = row[c]
                if v is not None and (type(v) is not str or v.strip() != ""):
                    break
            else:
                footer = _footer_text(first)
                if footer:
                    contagem["rodape"] += 1
                    findings.append(
                        finding("rodape_ignorado", aba=sheet.name, linha=excel_row, trecho=footer)
                    )
                    continue
        if metas:
            section = _section_row(row, first, first_col, filled, code_col)
            if (
                section is None
                and sections
                and filled == 1
                and plano is not None
                and plano.match_eixo(first) is not None
            ):
                section = ("eixo", first, first)
            if section is not None:
                level, value, text = section
                section_col = plain[level]
                depth = _SECTION_LEVELS.index(level)
                for lower in _SECTION_LEVELS[depth:]:
                    context.pop(plain[lower], None)
                resets.setdefault(len(kept), set()).update(
                    plain[lower] for lower in _SECTION_LEVELS[depth:]
                )
                context[section_col] = value
                contagem["secao"] += 1
                findings.append(
                    finding(
                        "linha_secao",
                        aba=sheet.name,
                        linha=excel_row,
                        trecho=str(text).strip()[:80],
                        nivel_secao=textos.NIVEL_SECAO[level],
                    )
                )
                continue
            if context:
                for c, value in context.items():
                    v = row[c]
                    if v is None or (type(v) is str and v.strip() == ""):
                        row[c] = value
        linhas.append(excel_row)
        kept.append(row)
    if polarity:
        for row in kept:
            for c, direction in polarity.items():
                row[c] = _polarity_value(row[c], direction)

    # Fill eixo/diretriz down over blank cells, then drop heading-only rows.
    for name in _FILL_DOWN[table.name]:
        fill_col = plain.get(name)
        if fill_col is None:
            continue
        last = None
        for i, row in enumerate(kept):
            if resets and fill_col in resets.get(i, ()):
                last = None  # a section row above this one started a new eixo/diretriz/…
            v = row[fill_col]
            if v is not None and (type(v) is not str or v.strip() != ""):
                last = v
            else:
                row[fill_col] = last
    if ident_cols:
        keep = []
        for row in kept:
            for c in ident_cols:
                v = row[c]
                if v is not None and (type(v) is not str or v.strip() != ""):
                    keep.append(True)
                    break
            else:
                keep.append(False)
        if not all(keep):
            for linha, row, k in zip(linhas, kept, keep):
                if not k:
                    contagem["sem_meta"] += 1
                    trecho = "; ".join(_cell_text(v) for v in row if _cell_text(v))[:80]
                    findings.append(
                        finding(
                            "linha_sem_identificacao",
                            aba=sheet.name,
                            linha=linha,
                            trecho=trecho,
                            colunas=", ".join(
                                f"“{headers[c].written}”"
                                for c in ident_cols[:4]
                                if c < len(headers)
                            ),
                        )
                    )
            linhas = [r for r, k in zip(linhas, keep) if k]
            kept = [row for row, k in zip(kept, keep) if k]
    if metas and kept:
        eixo = plain["eixo"]
        if all(row[eixo] is None for row in kept):
            findings.append(
                finding(
                    "coluna_obrigatoria_ausente",
                    aba=sheet.name,
                    linha=h + 1,
                    rotulo="Eixo",
                    aceitos=EIXO_ACEITOS,
                )
            )
            return result

    if not kept:
        findings.append(finding("sem_linhas", aba=sheet.name))
        return result

    ref_year = reference_year(sheet, h)
    frame = _build_frame(
        table,
        linhas,
        kept,
        plain,
        blocks,
        x_years,
        segments,
        headers,
        sheet.name,
        ref_year,
        ano,
        findings,
        contagem,
    )
    result.frame = frame
    return result


# --- conference totals written as labels and numbers on each row ------------------------------

# "Pré-conferências | Nº de eventos | 33 | Participantes | 2.804", or in one cell:
# "Pré-conferências | Nº de eventos 33 | Participantes 2.804".
_LABEL_NUMBER = re.compile(r"^(.*?[^\d\s.,:])\s*:?\s*([0-9][0-9.,]*)$")
_COUNTS = ("eventos", "participantes", "delegados")


def _pairs(row: list[object], table: Table):
    """(event name, {canonical: value}) when a row is an event followed by label/number pairs."""
    flat: list[object] = []
    for v in row:
        if not _cell_text(v):
            continue
        if isinstance(v, str) and "|" in v:
            flat += [x.strip() for x in v.split("|") if x.strip()]
        else:
            flat.append(v)
    items: list[object] = []
    for v in flat:
        if isinstance(v, str):
            m = _LABEL_NUMBER.match(v.strip())
            if m and _match_label(m.group(1), table)[0] in _COUNTS:
                items += [m.group(1).strip(), m.group(2)]
                continue
        items.append(v)
    name = None
    if items and (not isinstance(items[0], str) or _match_label(items[0], table)[0] is None):
        name = items.pop(0)
    if len(items) < 2 or len(items) % 2:
        return None
    out: dict[str, object] = {}
    for label, value in zip(items[::2], items[1::2], strict=True):
        canonical = _match_label(label, table)[0] if isinstance(label, str) else None
        if canonical not in _COUNTS or canonical in out:
            return None
        try:
            if parse_number(value) is None:
                return None
        except (_NotNumber, _Placeholder):
            return None
        out[canonical] = value
    return name, out


def _label_value_rows(rows: list[list[object]], table: Table):
    """(first event row, the parsed rows) when, below a title block, every row is an event with
    label/number pairs (or a footer); else None."""
    first = None
    parsed: list[tuple[int, object]] = []
    for i, row in enumerate(rows):
        if not any(_cell_text(v) for v in row):
            continue
        pairs = _pairs(row, table)
        if pairs is None:
            if first is None:
                continue  # the title block
            text = next(_cell_text(v) for v in row if _cell_text(v))
            if _footer_text(text):
                parsed.append((i, ("rodape", text)))
                continue
            return None
        if first is None:
            first = i
        parsed.append((i, pairs))
    if first is None:
        return None
    return first, parsed


def _normalize_label_value(sheet: RawSheet, table: Table, laid, ano, plano, mapa) -> Normalized:
    """Label/number rows rewritten as a table under a header of their labels, then normalised as
    any sheet; row numbers are those of the file (the header written here has none)."""
    first, parsed = laid
    order: list[str] = []
    for _, item in parsed:
        if item[0] != "rodape":
            order += [c for c in item[1] if c not in order]
    header: list[object] = [table.column("tipo_evento").label]
    header += [table.column(c).label for c in order]
    body: list[list[object]] = []
    last = first
    for i, item in parsed:
        body += [[None] * len(header) for _ in range(i - last - 1)] if body else []
        last = i
        if item[0] == "rodape":
            body.append([item[1]] + [None] * len(order))
        else:
            name, values = item
            body.append([name] + [values.get(c) for c in order])
    rows: list[list[object]] = [list(r) for r in sheet.rows[:first]] + [header] + body
    rewritten = RawSheet(sheet.name, rows, sheet.hidden, [])
    norm = normalize_sheet(rewritten, table, ano, plano, mapa)

    def real(linha: int | None) -> int | None:
        return linha - 1 if linha is not None and linha > first + 1 else linha

    norm.findings[:] = [
        f if real(f.linha) == f.linha else replace(f, linha=real(f.linha)) for f in norm.findings
    ]
    if len(norm.frame):
        norm.frame["_linha"] = [real(x) for x in norm.frame["_linha"].tolist()]
    norm.header_row = first + 1
    example = " | ".join(_cell_text(v) for v in sheet.rows[first] if _cell_text(v))[:80]
    norm.findings.insert(
        0,
        finding(
            "rotulos_e_numeros",
            aba=sheet.name,
            linha=first + 1,
            exemplo=example,
            n_linhas=textos.plural(
                sum(1 for _, it in parsed if it[0] != "rodape"), "linha", "linhas"
            ),
        ),
    )
    return norm


def _section_row(row, first, first_col: int, filled: int, code_col: int):
    """(level, value, text) when the row is a section heading: a cell that reads as one, and
    nothing else filled but a code in the code column ("1.1 | DIRETRIZ Nº 1 – …")."""
    if filled > 2:
        return None
    if filled == 2:
        if first_col != code_col:
            return None
        for c in range(first_col + 1, len(row)):
            v = row[c]
            if v is not None and (type(v) is not str or v.strip() != ""):
                text = v
                break
        else:  # pragma: no cover - filled == 2 means there is one
            return None
    else:
        text = first
    found = section_of(text)
    if found is None:
        return None
    return found[0], found[1], text


_MARKED = frozenset({"x", "sim", "s", "ok", "v", "1", "verdadeiro"})
_UNMARKED = frozenset({"nao", "n", "0", "falso"})


def _polarity_value(v: object, direction: str | None) -> object:
    """A "Quanto menor, melhor" column's cell as a Sentido: marked → its direction, "Não" → the
    other one; any other value is kept (and reported by the checks if it names no direction)."""
    k = key(v)
    if not k:
        return None
    if k in _MARKED:
        return direction
    if k in _UNMARKED:
        return "Aumentar" if direction == "Reduzir" else "Reduzir"
    return v


def column_letter(c: int) -> str:
    """Excel's letter of a 0-based column index (0 → A, 27 → AB)."""
    out = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        out = chr(65 + r) + out
    return out


def _sample(
    rows: list[list[object]], h: int, c: int, n: int = 3, blank: str | None = ""
) -> str | None:
    """Up to ``n`` distinct values under a heading, for the finding of an ignored column
    (``blank`` when there is none: "nenhum valor" by default)."""
    seen: list[str] = []
    for row in rows[h + 1 : h + 501]:
        t = _cell_text(row[c]) if c < len(row) else ""
        if t and t not in seen:
            seen.append(t[:40])
            if len(seen) == n:
                break
    if not seen:
        return textos.SEM_VALORES if blank == "" else blank
    return ", ".join(f"“{t}”" for t in seen)


def _fill_merges(data: list[list[object]], merged, first_data_row: int, width: int) -> None:
    """Copy the value of a vertically merged range into the rows it covers (first column only)."""
    n = len(data)
    for r0, c0, r1, _c1 in merged:
        if r1 <= r0 or c0 >= width:
            continue
        top = r0 - first_data_row
        bottom = min(r1 - first_data_row, n - 1)
        if top < 0 or top >= n:
            continue
        value = data[top][c0]
        for i in range(top + 1, bottom + 1):
            if data[i][c0] is None or data[i][c0] == "":
                data[i][c0] = value


def _build_frame(
    table: Table,
    linhas: list[int],
    rows: list[list[object]],
    plain,
    blocks,
    x_years,
    segments,
    headers,
    sheet_name,
    ref_year,
    ano,
    findings,
    contagem: dict[str, int] | None = None,
) -> pd.DataFrame:
    """Undo the layout (one record per goal and year, per segment…) then parse column by
    column: the values of one column go through one parser, which keeps large sheets fast."""
    label = {hd.col: hd.written for hd in headers}
    default_year = ref_year if ref_year is not None else ano

    # 1. Records: (excel row, the row, column overrides, year, values set by the layout). The
    # plain layout (one record per row, the common case) needs none: its columns are the rows
    # transposed.
    block_years = sorted(blocks)
    records: list[tuple[int, list, dict, int | None, dict | None]] | None = None
    extras: list[dict | None] | None = None
    by_column: list[tuple] = []
    if block_years or segments:
        records = []
        for excel_row, row in zip(linhas, rows):
            if block_years:
                emitted = False
                for y in block_years:
                    cols = blocks[y]
                    if all(_cell_text(row[c]) == "" for c in cols.values()):
                        continue
                    records.append((excel_row, row, cols, y, None))
                    emitted = True
                if not emitted:
                    records.append((excel_row, row, _NO_OVERRIDES, default_year, None))
            else:
                emitted = False
                for seg, c in segments.items():
                    if _cell_text(row[c]) != "":
                        records.append(
                            (excel_row, row, {"participantes": c}, default_year, {"segmento": seg})
                        )
                        emitted = True
                if not emitted:
                    if contagem is not None:
                        contagem["sem_valores"] = contagem.get("sem_valores", 0) + 1
                    findings.append(
                        finding(
                            "linha_sem_valores",
                            aba=sheet_name,
                            linha=excel_row,
                            colunas=", ".join(f"“{label[c]}”" for c in segments.values()),
                        )
                    )
        linhas = [r[0] for r in records]
        extras = [r[4] for r in records]
    else:
        if x_years:
            extras = [_due_years(row, x_years, plain, default_year) for row in rows]
        by_column = list(zip(*rows))
    n = len(linhas)

    # 2. Columns.
    columns: dict[str, list | pd.Series] = {}
    for column in table.columns:
        name = column.name
        if records is None:
            c = plain.get(name)
            raw = by_column[c] if c is not None else None
            cols = [c] * n
        else:
            cols = [r[2].get(name, plain.get(name)) for r in records]
            raw = [r[1][c] if c is not None else None for r, c in zip(records, cols)]
        if raw is None:
            values: list[Any] | np.ndarray = [None] * n
        elif column.kind in (NUMBER, INTEGER):
            values = _parse_numbers(
                raw, column.kind == INTEGER, name, linhas, cols, label, sheet_name, findings
            )
        else:
            values = _texts(raw)
        columns[name] = values
    del by_column
    years = columns["ano"]
    if records is None:
        if default_year is not None and None in years:
            columns["ano"] = years = [default_year if y is None else y for y in years]
    else:
        for i, r in enumerate(records):
            if years[i] is None and r[3] is not None:
                years[i] = r[3]
    if extras is not None:
        for i, extra in enumerate(extras):
            if extra:
                for name, value in extra.items():
                    columns[name][i] = value
    columns["_linha"] = linhas
    frame = pd.DataFrame(columns)
    frame["_aba"] = sheet_name
    return frame


_NO_OVERRIDES: dict[str, int] = {}
_STR = pd.StringDtype("pyarrow", na_value=float("nan"))  # pandas' default "str" dtype
_NO_TEXT = pa.scalar(None, pa.large_string())
_TEXT_OR_NONE = frozenset({str, type(None)})


def _texts(raw) -> list | pd.Series:
    """A text column: trimmed, blank → missing. All-text columns go through Arrow at once.

    Arrow's buffers come from the C allocator here, not from Arrow's own pool: that pool keeps
    what the conversion frees, while the C allocator reuses the memory calamine gave back."""
    if set(map(type, raw)) <= _TEXT_OR_NONE:  # all text (or None): straight into Arrow
        pool = pa.system_memory_pool()
        arr = pa.array(raw, type=pa.large_string(), memory_pool=pool)
        arr = pc.utf8_trim_whitespace(arr, memory_pool=pool)
        blank = pc.equal(arr, "", memory_pool=pool)
        if pc.any(blank).as_py():
            arr = pc.if_else(blank, _NO_TEXT, arr, memory_pool=pool)
        return pd.Series(ArrowStringArray(arr, dtype=_STR), copy=False)
    if pd.api.types.infer_dtype(raw, skipna=True) in ("string", "empty"):
        series = pd.Series(raw, dtype="str").str.strip()
        return series.where(series != "")
    return [_as_text(v) for v in raw]


def _as_text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        return v.strip() or None
    if isinstance(v, (dt.datetime, dt.date)):
        return v.strftime("%d/%m/%Y")
    return _cell_text(v) or None


_PLAIN_NUMBERS = frozenset({float, int, type(None)})


def _parse_numbers(
    raw: list,
    integer: bool,
    name: str,
    linhas: list[int],
    cols: list,
    label: dict[int, str],
    sheet_name: str,
    findings: list[Finding],
) -> list | np.ndarray:
    if not integer and set(map(type, raw)) <= _PLAIN_NUMBERS:
        # Only numbers typed as numbers (the usual case): converted at once, missing as NaN.
        try:
            arr = pa.array(raw, type=pa.float64(), from_pandas=True)
        except (TypeError, ValueError):  # an integer too large for a float: the loop below
            pass
        else:
            if arr.null_count < len(arr):  # (a column with no value at all stays a list)
                return arr.to_numpy(zero_copy_only=False)
    out: list = []
    append = out.append
    for v, linha, c in zip(raw, linhas, cols):
        t = type(v)
        if v is None:
            append(None)
        elif (t is float or t is int) and not integer:
            append(None if v != v else float(v))
        elif t is float and integer and v.is_integer():  # what parse_int does, without the calls
            append(int(v))
        else:
            try:
                append(parse_int(v) if integer else parse_number(v))
            except _Placeholder:
                findings.append(
                    finding(
                        "marcador_vazio",
                        aba=sheet_name,
                        linha=linha,
                        coluna=label.get(c, name),
                        valor=str(v).strip(),
                    )
                )
                append(None)
            except _NotNumber:
                findings.append(
                    finding(
                        "ano_invalido" if name == "ano" else "valor_nao_numerico",
                        aba=sheet_name,
                        linha=linha,
                        coluna=label.get(c, name),
                        valor=_cell_text(v)[:60],
                    )
                )
                append(None)
    return out


def _due_years(
    row: list[object], x_years: dict[int, int], plain: dict[str, int], year: int | None
) -> dict[str, object]:
    """Year columns marked X say when an action is due: kept as its prazo; a goal not due in the
    reference year and with no typed situação does not apply that year."""
    due = [y for y, c in sorted(x_years.items()) if key(row[c]) in _MARKS]
    extra: dict[str, object] = {}
    if due and "prazo" not in plain:
        extra["prazo"] = ", ".join(str(y) for y in due)
    typed = _cell_text(row[plain["situacao"]]) if "situacao" in plain else ""
    if year in x_years and year not in due and not typed:
        extra["situacao"] = schema.NAO_SE_APLICA
    return extra


# --- the workbook ---------------------------------------------------------------------------


def normalize_workbook(
    raw: RawWorkbook,
    ano: int | None = None,
    plano: ReconheceEixo | None = None,
    mapa: Mapa | None = None,
) -> tuple[list[Normalized], list[Finding]]:
    """Every recognised sheet of a workbook (or the one table of a CSV), normalised."""
    # the template's own hidden sheet (Listas, the dropdowns' source) is never read as data:
    # "hidden and read anyway" would be untrue of it
    findings: list[Finding] = [
        f
        for f in raw.findings
        if not (f.codigo == "aba_oculta" and key(f.aba or "") in _AUXILIARY_SHEETS)
    ]
    results: list[Normalized] = []
    for sheet in raw.sheets:
        if key(sheet.name) in _AUXILIARY_SHEETS:
            continue  # the template's instructions and dropdown lists
        if raw.kind == "xlsx" and is_plan_sheet(sheet):
            continue  # the plan itself: read by pmas.entrada.aba_plano
        table = table_for_sheet(sheet.name) if raw.kind == "xlsx" else None
        if table is None:
            table = guess_table(sheet.inicio(HEADER_SEARCH_ROWS))
        if table is None:
            if raw.kind == "xlsx" and any(
                any(v not in (None, "") for v in r) for r in sheet.inicio(50)
            ):
                findings.append(finding("aba_ignorada", aba=sheet.name))
            continue
        results.append(normalize_sheet(sheet, table, ano, plano, mapa))
    if any(len(norm.frame) for norm in results):
        # A sheet of the template left with its header only, beside sheets with data: the user
        # did not need it ("use só as abas de que precisar"), so it is skipped with an aviso.
        for norm in results:
            if norm.frame.empty and any(f.codigo == "sem_linhas" for f in norm.findings):
                norm.findings[:] = [
                    finding("aba_sem_linhas_ignorada", aba=norm.sheet)
                    if f.codigo == "sem_linhas"
                    else f
                    for f in norm.findings
                ]
    if not results:
        findings.append(
            finding(
                "nenhuma_tabela", abas=", ".join(f"“{s.name}”" for s in raw.sheets) or "nenhuma"
            )
        )
    return results, findings
