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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.arrays import ArrowStringArray

from pmas.dados import schema
from pmas.dados.plano import Plano
from pmas.dados.schema import INTEGER, NUMBER, Table
from pmas.entrada.findings import Finding, finding
from pmas.entrada.reader import RawSheet, RawWorkbook
from pmas.text import key

HEADER_SEARCH_ROWS = 20
_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2}|19[89][0-9])(?![0-9])")
_REF_YEAR = re.compile(r"(?:ano|exercicio|referencia)\s+(?:de\s+)?(?:referencia\s+)?(20[0-9]{2})")
_MARKS = frozenset({"x", "sim", "s", "ok", "v", "1"})
_REQUIRED_ANY = {
    "metas": (("eixo",), ("acao", "meta")),
    "conferencias": (("participantes",),),
    "indicadores": (("indicador",), ("valor",)),
    "deliberacoes": (("texto",),),
}
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
    "metas": ("acao", "meta", "codigo"),
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
    # "Situação (Realizada/Parcial/...)" or "Meta prevista para o ano": longest alias prefix.
    best = None
    for alias, canonical in aliases.items():
        if len(alias) >= 4 and base.startswith(alias + " "):
            if best is None or len(alias) > len(best[0]):
                best = (alias, canonical)
    if best:
        return best[1], year
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
    for r0, c0, r1, c1 in spans:
        for c in range(max(c0, 0), min(c1, width - 1) + 1):
            group[c] = texts[c0] if c0 < width else ""
    if not spans:  # "centre across selection": a group label covers the blanks to its right
        current = ""
        for c in range(filled[0], width):
            current = group[c] or current
            group[c] = current
    return group


def _headers(rows: list[list[object]], h: int, table: Table, merged, width: int) -> list[_Header]:
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
        segment = None
        if canonical == "_seg":
            segment = _SEGMENT_HEADERS[re.sub(r"\s+", " ", _YEAR.sub(" ", key(text))).strip()]
        out.append(_Header(c, written, canonical, year, segment))
    return out


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
    r"^(%s)\b" % "|".join(re.escape(p) for p in schema.FOOTER_PREFIXES if p != "*")
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
    title = " ".join(_cell_text(v) for row in sheet.rows[:header_row] for v in row if v is not None)
    k = key(title)
    m = _REF_YEAR.search(k)
    if m:
        return int(m.group(1))
    years = set(_YEAR.findall(k))
    if len(years) == 1:
        return int(years.pop())
    return None


def normalize_sheet(
    sheet: RawSheet, table: Table, ano: int | None = None, plano: Plano | None = None
) -> Normalized:
    """One sheet → canonical frame of ``table`` (values parsed, layout undone)."""
    rows = sheet.rows
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
    width = max((len(r) for r in rows[h : h + 2000]), default=0)
    headers = _headers(rows, h, table, sheet.merged, width)
    findings: list[Finding] = []
    result = Normalized(table, sheet.name, pd.DataFrame(), h + 1, findings=findings)

    # Which columns feed what.
    plain: dict[str, int] = {}  # canonical → column index (no year)
    blocks: dict[int, dict[str, int]] = {}  # year → canonical → column index
    x_years: dict[int, int] = {}  # year → column index
    segments: dict[str, int] = {}
    for hd in headers:
        if hd.canonical is None:
            if hd.written:
                result.ignored.append(hd.written)
                findings.append(
                    finding("coluna_desconhecida", aba=sheet.name, linha=h + 1, coluna=hd.written)
                )
            continue
        if hd.canonical == "_calculada":
            continue  # computed by the dashboard itself (a downloaded table imported again)
        result.mapped[hd.written] = hd.canonical
        if hd.canonical == "_ano_x":
            x_years[hd.year] = hd.col
            continue
        if hd.canonical == "_seg":
            target = segments
            name = hd.segment
        elif hd.year is not None and hd.canonical in _BLOCK_COLUMNS:
            target = blocks.setdefault(hd.year, {})
            name = hd.canonical
        else:
            target = plain
            name = hd.canonical
        if name in target:
            first = headers[target[name]].written
            findings.append(
                finding(
                    "coluna_duplicada", aba=sheet.name, linha=h + 1, coluna=hd.written, rotulo=first
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

    # Data rows: fill vertical merges, drop footers and blank rows.
    data = rows[h + 1 :]  # the raw rows are this function's scratch space
    for i, r in enumerate(data):
        if len(r) < width:
            data[i] = list(r) + [None] * (width - len(r))
    _fill_merges(data, sheet.merged, h + 1, width)
    if table.name == "metas" and "eixo" not in plain:
        # No eixo column: eixos may come as section rows ("EIXO 1 – ...") above their goals.
        plain["eixo"] = width
        width += 1
        for row in data:
            row.append(None)
    ident_cols = [plain[c] for c in _IDENTIFYING[table.name] if c in plain]
    ident_cols += list(segments.values()) + [c for b in blocks.values() for c in b.values()]
    # One pass over the rows, with the cell tests written out: a function call per cell would cost
    # more than reading the file. A filled cell is one that is not None nor blank text.
    footer_cols = [c for c in ident_cols if c != 0]
    sections = table.name == "metas" and plano is not None
    linhas: list[int] = []  # Excel row of each kept row
    kept: list[list[object]] = []
    excel_row = h + 1
    for row in data:
        excel_row += 1
        first = _NOTHING
        for v in row:  # the first filled cell, and whether there is another
            if v is not None and (type(v) is not str or v.strip() != ""):
                if first is _NOTHING:
                    first = v
                    single = True
                else:
                    single = False
                    break
        if first is _NOTHING:
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
                    findings.append(
                        finding("rodape_ignorado", aba=sheet.name, linha=excel_row, trecho=footer)
                    )
                    continue
        if sections and single and plano.match_eixo(first) is not None:
            # A section row: its eixo fills the rows below it.
            row = [None] * width
            row[plain["eixo"]] = first
        linhas.append(excel_row)
        kept.append(row)

    # Fill eixo/diretriz down over blank cells, then drop heading-only rows.
    for name in _FILL_DOWN[table.name]:
        c = plain.get(name)
        if c is None:
            continue
        last = None
        for row in kept:
            v = row[c]
            if v is not None and (type(v) is not str or v.strip() != ""):
                last = v
            else:
                row[c] = last
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
            linhas = [r for r, k in zip(linhas, keep) if k]
            kept = [row for row, k in zip(kept, keep) if k]
    if table.name == "metas" and kept:
        eixo = plain["eixo"]
        if all(row[eixo] is None for row in kept):
            findings.append(
                finding(
                    "coluna_obrigatoria_ausente",
                    aba=sheet.name,
                    linha=h + 1,
                    rotulo="Eixo",
                    aceitos="“Eixo”, “Eixo temático”, “Área”",
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
    )
    result.frame = frame
    return result


def _fill_merges(data: list[list[object]], merged, first_data_row: int, width: int) -> None:
    """Copy the value of a vertically merged range into the rows it covers (first column only)."""
    n = len(data)
    for r0, c0, r1, c1 in merged:
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
                for seg, c in segments.items():
                    if _cell_text(row[c]) != "":
                        records.append(
                            (excel_row, row, {"participantes": c}, default_year, {"segmento": seg})
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
            values = [None] * n
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
    raw: RawWorkbook, ano: int | None = None, plano: Plano | None = None
) -> tuple[list[Normalized], list[Finding]]:
    """Every recognised sheet of a workbook (or the one table of a CSV), normalised."""
    findings: list[Finding] = list(raw.findings)
    results: list[Normalized] = []
    for sheet in raw.sheets:
        if key(sheet.name) in _AUXILIARY_SHEETS:
            continue  # the template's instructions and dropdown lists
        table = table_for_sheet(sheet.name) if raw.kind == "xlsx" else None
        if table is None:
            table = guess_table(sheet.rows)
        if table is None:
            if raw.kind == "xlsx" and any(
                any(v not in (None, "") for v in r) for r in sheet.rows[:50]
            ):
                findings.append(finding("aba_ignorada", aba=sheet.name))
            continue
        results.append(normalize_sheet(sheet, table, ano, plano))
    if not results:
        findings.append(
            finding(
                "nenhuma_tabela", abas=", ".join(f"“{s.name}”" for s in raw.sheets) or "nenhuma"
            )
        )
    return results, findings
