"""The data rows of a sheet read column-wise (:class:`pmas.entrada.colunar.ColumnarSheet`),
normalised on columns: what :func:`pmas.entrada.normalize.normalize_sheet` does to them row by
row, for the plain layout only (one record per row, one type per column; no year blocks, year
columns marked X, segments, polarity headings, merged cells below the header or section rows).

:func:`finish` either fills the :class:`Normalized` exactly as the row path would (same frame,
same findings in the same order, same counts) or declines, having changed nothing, and the
row path runs on the sheet's rows. Rows the column tests cannot settle (a possible footer or
section row) are looked at one by one with the row path's own tests.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.arrays import ArrowStringArray

from pmas.dados.schema import INTEGER, NUMBER, Table
from pmas.entrada import normalize as nz
from pmas.entrada.colunar import CABECA, ColumnarSheet
from pmas.entrada.findings import Finding, finding

# The cell types the column path handles (what the column read itself accepts).
_TYPES = (pa.string(), pa.large_string(), pa.float64(), pa.bool_(), pa.null())
# Rows looked at one by one (possible footers and section rows; rows with no identifying
# value) beyond which the row path is cheaper.
MAX_LINHAS_AVULSAS = 5_000


def finish(
    sheet: ColumnarSheet,
    table: Table,
    ano: int | None,
    plano: Any,
    h: int,
    width: int,
    headers: list,
    plain: dict[str, int],
    blocks: dict,
    x_years: dict,
    segments: dict,
    polarity: dict,
    result: nz.Normalized,
) -> bool:
    """Normalise the data rows into ``result``; False (``result`` untouched) to decline."""
    if blocks or x_years or segments or polarity:
        return False
    if any(r1 > h for _r0, _c0, r1, _c1 in sheet.merged):
        return False  # merged cells below the header are filled down by the row path
    if h + 1 > CABECA:
        return False
    columns = _data_columns(sheet, h, width)
    if columns is None:
        return False
    n = sheet.altura - (h + 1)
    filled = [_filled(col) for col in columns]
    count = np.zeros(n, dtype=np.int32)
    for f in filled:
        count += f
    nonblank = count > 0

    metas = table.name == "metas"
    sections = metas and plano is not None
    plain = dict(plain)
    ident_cols = [plain[c] for c in nz._IDENTIFYING[table.name] if c in plain]
    if metas:
        for name in nz._SECTION_LEVELS:
            if name not in plain:
                plain[name] = width
                width += 1
                columns.append(pa.nulls(n))
                filled.append(np.zeros(n, dtype=bool))
    footer_cols = [c for c in ident_cols if c != 0]
    footer_filled = np.zeros(n, dtype=bool)
    for c in footer_cols:
        footer_filled |= filled[c]
    odd = nonblank & ~footer_filled
    if metas:
        odd |= nonblank & (count <= 2)
    odd_idx = np.flatnonzero(odd)
    if len(odd_idx) > MAX_LINHAS_AVULSAS:
        return False

    # The rows the column tests cannot settle, with the row path's own tests.
    findings: list[Finding] = []
    dropped = np.zeros(n, dtype=bool)
    code_col = plain.get("codigo", -1)
    for i, row in zip(odd_idx.tolist(), _rows(columns, odd_idx)):
        excel_row = h + 2 + i
        first: object = nz._NOTHING
        first_col = -1
        nfilled = 0
        for c, v in enumerate(row):
            if v is not None and (type(v) is not str or v.strip() != ""):
                nfilled += 1
                if first is nz._NOTHING:
                    first, first_col = v, c
                elif nfilled > 2:
                    break
        if type(first) is str and not footer_filled[i]:
            footer = nz._footer_text(first)
            if footer:
                dropped[i] = True
                findings.append(
                    finding("rodape_ignorado", aba=sheet.name, linha=excel_row, trecho=footer)
                )
                continue
        if metas:
            section = nz._section_row(row, first, first_col, nfilled, code_col)
            if section is None and sections and nfilled == 1 and plano.match_eixo(first):
                section = ("eixo", first, first)
            if section is not None:
                return False  # section rows set the rows below them: the row path

    contagem = {
        "lidas": n,
        "em_branco": int(n - nonblank.sum()),
        "rodape": int(dropped.sum()),
        "secao": 0,
        "sem_meta": 0,
        "sem_valores": 0,
    }
    kept_idx = np.flatnonzero(nonblank & ~dropped)
    if len(kept_idx) == n:
        kept, kept_filled = columns, filled
    else:
        kept = [pc.take(col, kept_idx) for col in columns]
        kept_filled = [f[kept_idx] for f in filled]

    # Fill eixo/diretriz… down over blank cells.
    for name in nz._FILL_DOWN[table.name]:
        fill_col = plain.get(name)
        if fill_col is None:
            continue
        col = kept[fill_col]
        mask = pa.array(kept_filled[fill_col], type=pa.bool_())
        col = pc.fill_null_forward(pc.if_else(mask, col, pa.scalar(None, col.type)))
        kept[fill_col] = col
        kept_filled[fill_col] = _valid(col)

    linhas_arr = kept_idx + (h + 2)
    if ident_cols:
        keep = np.zeros(len(kept_idx), dtype=bool)
        for c in ident_cols:
            keep |= kept_filled[c]
        if not keep.all():
            lost = np.flatnonzero(~keep)
            if len(lost) + len(odd_idx) > MAX_LINHAS_AVULSAS:
                return False
            for j, row in zip(lost.tolist(), _rows(kept, lost)):
                contagem["sem_meta"] += 1
                trecho = "; ".join(nz._cell_text(v) for v in row if nz._cell_text(v))[:80]
                findings.append(
                    finding(
                        "linha_sem_identificacao",
                        aba=sheet.name,
                        linha=int(linhas_arr[j]),
                        trecho=trecho,
                        colunas=", ".join(
                            f"“{headers[c].written}”" for c in ident_cols[:4] if c < len(headers)
                        ),
                    )
                )
            keep_idx = np.flatnonzero(keep)
            kept = [pc.take(col, keep_idx) for col in kept]
            linhas_arr = linhas_arr[keep_idx]

    rows_kept = len(linhas_arr)
    frame = None
    if metas and rows_kept and kept[plain["eixo"]].null_count == rows_kept:
        findings.append(
            finding(
                "coluna_obrigatoria_ausente",
                aba=sheet.name,
                linha=h + 1,
                rotulo="Eixo",
                aceitos=nz.EIXO_ACEITOS,
            )
        )
    elif not rows_kept:
        findings.append(finding("sem_linhas", aba=sheet.name))
    else:
        ref_year = nz.reference_year(sheet, h)
        linhas = linhas_arr.tolist()
        frame = _frame(table, linhas, kept, plain, headers, sheet.name, ref_year, ano, findings)
    # Done: only now is the result changed.
    result.contagem.update(contagem)
    result.findings.extend(findings)
    if frame is not None:
        result.frame = frame
    return True


def _data_columns(sheet: ColumnarSheet, h: int, width: int) -> list[pa.Array] | None:
    """Each column's values from the first data row down: the rows above :data:`CABECA` (read
    as lists) then the column read; None when their types differ."""
    top = sheet.topo[h + 1 :]
    body = sheet.corpo
    out: list[pa.Array] = []
    for c in range(width):
        try:
            upper = pa.array([r[c] if c < len(r) else None for r in top])
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None  # two types in the column's first rows
        if upper.type not in _TYPES:
            return None  # dates, times, integers between the header and the column read
        lower = body.column(c) if c < body.num_columns else pa.nulls(body.num_rows)
        if pa.types.is_large_string(lower.type):
            lower = lower.cast(pa.string())
        if upper.type != lower.type:
            if pa.types.is_null(upper.type):
                upper = pa.nulls(len(upper), lower.type)
            elif pa.types.is_null(lower.type):
                lower = pa.nulls(len(lower), upper.type)
            else:
                return None
        out.append(pa.concat_arrays([upper, lower]))
    return out


def _is_text(col: pa.Array) -> bool:
    return pa.types.is_string(col.type) or pa.types.is_large_string(col.type)


def _valid(col: pa.Array) -> np.ndarray:
    return np.asarray(pc.is_valid(col).to_numpy(zero_copy_only=False), dtype=bool)


def _filled(col: pa.Array) -> np.ndarray:
    """Cells that are neither missing nor blank text (blank as Python's ``str.strip`` sees
    it, tested once per distinct text)."""
    valid = _valid(col)
    if not _is_text(col) or col.null_count == len(col):
        return valid
    blanks = [u for u in pc.unique(col).to_pylist() if u is not None and u.strip() == ""]
    if not blanks:
        return valid
    blank = pc.is_in(col, value_set=pa.array(blanks, col.type))
    return valid & ~np.asarray(pc.fill_null(blank, False).to_numpy(zero_copy_only=False))


def _rows(columns: list[pa.Array], idx: np.ndarray) -> list[list[object]]:
    if not len(idx):
        return []
    taken = pa.array(idx, type=pa.int64())
    values = [pc.take(col, taken).to_pylist() for col in columns]
    return [list(r) for r in zip(*values)]


def _frame(
    table: Table,
    linhas: list[int],
    kept: list[pa.Array],
    plain: dict[str, int],
    headers: list,
    sheet_name: str,
    ref_year: int | None,
    ano: int | None,
    findings: list[Finding],
) -> pd.DataFrame:
    """What :func:`pmas.entrada.normalize._build_frame` makes of the plain layout."""
    label = {hd.col: hd.written for hd in headers}
    default_year = ref_year if ref_year is not None else ano
    n = len(linhas)
    columns: dict[str, Any] = {}
    for column in table.columns:
        name = column.name
        c = plain.get(name)
        if c is None:
            values: Any = [None] * n
        elif column.kind in (NUMBER, INTEGER):
            values = _numbers(
                kept[c], column.kind == INTEGER, name, linhas, c, label, sheet_name, findings
            )
        else:
            values = _texts(kept[c])
        columns[name] = values
    years = columns["ano"]
    if default_year is not None and None in years:
        columns["ano"] = [default_year if y is None else y for y in years]
    columns["_linha"] = linhas
    frame = pd.DataFrame(columns)
    frame["_aba"] = sheet_name
    return frame


def _texts(col: pa.Array) -> Any:
    if not (_is_text(col) or pa.types.is_null(col.type)):
        return nz._texts(col.to_pylist())
    arr = col.cast(pa.large_string())
    arr = pc.utf8_trim_whitespace(arr)
    blank = pc.equal(arr, "")
    if pc.any(blank).as_py():
        arr = pc.if_else(blank, nz._NO_TEXT, arr)
    return pd.Series(ArrowStringArray(arr, dtype=nz._STR), copy=False)


def _numbers(
    col: pa.Array,
    integer: bool,
    name: str,
    linhas: list[int],
    c: int,
    label: dict[int, str],
    sheet_name: str,
    findings: list[Finding],
) -> Any:
    n = len(col)
    if pa.types.is_floating(col.type) and not integer and col.null_count < n:
        return col.to_numpy(zero_copy_only=False)
    if pa.types.is_floating(col.type) and integer and col.null_count < n:
        # What the row loop does to a float: int() when whole, else parse_int's refusal
        values = col.to_numpy(zero_copy_only=False)
        present = values[~np.isnan(values)]
        if (np.floor(present) == present).all() and (np.abs(present) < 2**53).all():
            ints = pc.cast(col, pa.int64()).to_pylist()
            return ints
    if not _is_text(col) or col.null_count == n:
        return nz._parse_numbers(
            col.to_pylist(), integer, name, linhas, [c] * n, label, sheet_name, findings
        )
    # Brazilian numbers written as text: each distinct text parsed once.
    encoded = col.dictionary_encode()
    parsed: list[object] = []
    failed: dict[int, tuple[str, str]] = {}
    for k, v in enumerate(encoded.dictionary.to_pylist()):
        try:
            parsed.append(nz.parse_int(v) if integer else nz.parse_number(v))
        except nz._Placeholder:
            failed[k] = ("marcador_vazio", str(v).strip())
            parsed.append(None)
        except nz._NotNumber:
            codigo = "ano_invalido" if name == "ano" else "valor_nao_numerico"
            failed[k] = (codigo, nz._cell_text(v)[:60])
            parsed.append(None)
    indices = encoded.indices.to_pylist()
    if failed:
        coluna = label.get(c, name)
        for i, k in enumerate(indices):
            if k is not None and k in failed:
                codigo, valor = failed[k]
                findings.append(
                    finding(codigo, aba=sheet_name, linha=linhas[i], coluna=coluna, valor=valor)
                )
    return [None if k is None else parsed[k] for k in indices]
