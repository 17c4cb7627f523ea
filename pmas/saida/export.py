"""Downloads that are safe to open in Excel or LibreOffice (the blank template is in
:mod:`pmas.saida.modelo`).

- :func:`to_csv_bytes`: a CSV that a Brazilian Excel opens right with a double click (UTF-8 with
  BOM, ``;`` separator, decimal comma, dates dd/mm/aaaa, Portuguese headers).
- :func:`to_xlsx_bytes`: a typed workbook (numbers as numbers, dates as dates) with the applied
  filters on a second sheet, its XML written a column at a time (see "XLSX" below).

Both writers neutralise formula injection (OWASP "CSV injection"): a text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (see
:func:`neutralize`), in the data, the headers and the filter values. Real numbers are never
touched, so -5 stays a number. No written cell holds a formula: the export's cells are shared
strings or numbers, with no way to write anything else.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from math import isnan
from typing import Any, cast

import numpy as np
import pandas as pd
from xlsxwriter.utility import quote_sheetname, xl_col_to_name

from pmas import fmt, relogio
from pmas import textos as _textos
from pmas.dados import schema
from pmas.text import key

# First characters that make a spreadsheet read a text cell as a formula (OWASP).
GATILHOS = ("=", "+", "-", "@", "\t", "\r")

# Sheets of the template that hold no data; an importer can skip them by name.
ABAS_AUXILIARES = schema.AUXILIARY_SHEETS
FUSO = relogio.FUSO_PADRAO  # the default; PMAS_FUSO_HORARIO chooses another (pmas.relogio)

MAX_LINHAS_XLSX = 1_048_575  # Excel's 1.048.576 rows, minus the header
LARGURA_MAX = 60
LARGURA_MIN = 8
_AMOSTRA = 200  # rows looked at to size a column

# Integer columns shown without a thousands separator ("2024", not "2.024"), by name or label key.
_SEM_SEPARADOR = frozenset({"ano", "mes"})

_FMT_DATA = "dd/mm/yyyy"
_FMT_DATA_HORA = "dd/mm/yyyy hh:mm"


def neutralize(text: str) -> str:
    """``text`` with a leading ``'`` when it starts like a formula (``=``, ``+``, ``-``, ``@``,
    tab, CR), so that no spreadsheet evaluates it: ``=HYPERLINK(...)`` → ``'=HYPERLINK(...)``."""
    return "'" + text if text.startswith(GATILHOS) else text


def _neutralizar_textos(s: pd.Series) -> pd.Series:
    """:func:`neutralize` on a text column, vectorised."""
    gatilho = s.str.startswith(GATILHOS).fillna(False).astype(bool)
    return s.mask(gatilho, "'" + s)


# --- columns --------------------------------------------------------------------------------

_TEXTO, _INTEIRO, _DECIMAL = "texto", "inteiro", "decimal"
_DATA, _LOGICO, _MISTO = "data", "logico", "misto"


def _tipo(s: pd.Series) -> str:
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return _LOGICO
    if pd.api.types.is_integer_dtype(dtype):
        return _INTEIRO
    if pd.api.types.is_float_dtype(dtype):
        return _DECIMAL
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return _DATA
    if isinstance(dtype, pd.StringDtype):
        return _TEXTO
    return _MISTO  # object, category…: decided cell by cell


def _cabecalho(nome: object, labels: dict[str, str] | None) -> str:
    texto = str(nome)
    return neutralize((labels or {}).get(texto, texto))


def _datas(s: pd.Series) -> tuple[pd.Series, bool]:
    """Naive datetimes (wall-clock time kept) and whether any of them has a time of day."""
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    validas = s.dropna()
    com_hora = bool((validas != validas.dt.normalize()).any())
    return s, com_hora


def _sim_nao(v: bool) -> str:
    return _textos.EXPORTACAO["sim" if v else "nao"]


def _decimal_str(v: float | np.floating | Decimal) -> str:
    return str(v).replace(".", ",")


def _csv_celula(v: Any) -> Any:
    """A cell of an object column as CSV text; numbers stay as written (unquoted)."""
    if isinstance(v, str):
        return neutralize(v)
    if isinstance(v, (bool, np.bool_)):
        return _sim_nao(bool(v))
    if isinstance(v, (int, np.integer)):
        return v
    if isinstance(v, (float, np.floating, Decimal)):
        return _decimal_str(v) if np.isfinite(float(v)) else None
    if isinstance(v, datetime):
        return fmt.data_hora(v) if (v.hour, v.minute, v.second) != (0, 0, 0) else fmt.data(v)
    if isinstance(v, date):
        return fmt.data(v)
    return neutralize(str(v))


def _is_percent(column: str) -> bool:
    return (
        column.startswith("pct_")
        or column.endswith("_pct")
        or column in ("indice_cumprimento", "percentual")
    )


def as_on_screen(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the numbers a download should carry, as the screen shows them: a float
    column holding only whole numbers becomes integers ("12", not "12,0"), and percentages
    (``pct_*``, ``*_pct``, ``indice_cumprimento``, ``percentual``) are rounded to one place,
    as :func:`pmas.fmt.pct` shows them (66,7, not 66,66666666666667). Other numbers are kept."""
    out = {}
    for i, name in enumerate(df.columns):
        s = df.iloc[:, i]
        if pd.api.types.is_float_dtype(s.dtype):
            finite = s[np.isfinite(s.astype(float))]
            if _is_percent(str(name)):
                s = s.round(1)
                finite = finite.round(1)
            if (
                len(finite)
                and bool((finite == finite.round(0)).all())
                and finite.abs().max() < 2**53
            ):
                s = s.where(np.isfinite(s.astype(float))).round(0).astype("Int64")
        out[i] = s
    result = pd.DataFrame(out, index=df.index)
    result.columns = df.columns
    return result


def to_csv_bytes(df: pd.DataFrame, labels: dict[str, str] | None = None) -> bytes:
    """``df`` as a CSV for a Brazilian Excel: UTF-8 with BOM, ``;``, decimal comma without
    thousands separator, dates dd/mm/aaaa (dd/mm/aaaa hh:mm when a time is present), booleans
    Sim/Não, headers renamed by ``labels`` (column → label), formula-like text neutralised.

    Reads back with ``pd.read_csv(io.BytesIO(b), sep=";", decimal=",", encoding="utf-8-sig")``.
    """
    colunas: dict[int, pd.Series] = {}
    for i in range(df.shape[1]):
        s = df.iloc[:, i]
        tipo = _tipo(s)
        if tipo == _TEXTO:
            s = _neutralizar_textos(s)
        elif tipo == _DECIMAL:
            s = s.where(np.isfinite(s.astype(float)))
        elif tipo == _LOGICO:
            s = s.map(_sim_nao, na_action="ignore")
        elif tipo == _DATA:
            s, com_hora = _datas(s)
            s = s.dt.strftime("%d/%m/%Y %H:%M" if com_hora else "%d/%m/%Y")
        elif tipo == _MISTO:
            s = s.astype(object).where(s.notna(), None).map(_csv_celula, na_action="ignore")
        colunas[i] = s
    saida = pd.DataFrame(colunas, index=df.index)
    texto = saida.to_csv(
        sep=";",
        decimal=",",
        index=False,
        lineterminator="\r\n",
        header=[_cabecalho(c, labels) for c in df.columns],
    )
    return texto.encode("utf-8-sig")


# --- XLSX -----------------------------------------------------------------------------------
#
# The export workbook is written as SpreadsheetML directly (the XML parts of an .xlsx, in a
# zip), a column at a time with pandas and numpy, instead of a cell at a time through
# xlsxwriter, which spends several microseconds of Python on every cell (a cell tuple, the
# dimension checks, the attribute escaping): most of the 4,2-4,3 s that 50.000 × 15 cells took.
# The parts say what xlsxwriter wrote for the same workbook: the same styles, shared strings,
# column widths, frozen header, autofilter (and its hidden defined name) and document
# properties, numbers as ``%.16G`` and dates as xlsxwriter's serial numbers. Rows carry no
# ``spans`` (an optional hint). A cell is either a shared string (``t="s"``) or a number: no
# code path here can write a formula (``<f>``), and every text is escaped (xlsxwriter copied a
# text shaped like its rich-string markup, "<r>…</r>", into the file as XML, so that
# "<r>Fulano & Cia</r>" made the whole workbook unreadable).

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS = (
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_MAX_TEXTO = 32_767  # characters Excel keeps in a cell; xlsxwriter cut longer texts there too
_BLOCO = 5_000  # rows turned into XML at a time; the sheet is compressed as it is produced
_DATA_ZIP = (1980, 1, 1, 0, 0, 0)  # the zip entries' date, as xlsxwriter writes it
_EPOCA = datetime(1899, 12, 31)  # day 0 of Excel's 1900 date system
_1900 = datetime(1900, 1, 1)
_RE_ESCAPE_LITERAL = re.compile("(_x[0-9a-fA-F]{4}_)")
_RE_CONTROLE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_RE_ESPACO_NAS_PONTAS = re.compile(r"<t>(?=\s|[^<]*\s</t>)")

_TIPOS_CONTEUDO = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/worksheets/sheet2.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_RELS = (
    _XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_RELS_WORKBOOK = (
    _XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}worksheet" Target="worksheets/sheet2.xml"/>'
    f'<Relationship Id="rId4" Type="{_REL}styles" Target="styles.xml"/>'
    f'<Relationship Id="rId5" Type="{_REL}sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
# A theme part is optional in SpreadsheetML: the font names its colour and family itself, so the
# workbook needs no theme (and no other library's theme XML).
_FONTE = '<sz val="11"/><color rgb="FF000000"/><name val="Calibri"/><family val="2"/>'


def _esc(texto: str) -> str:
    """``texto`` escaped for an XML attribute or element."""
    return (
        texto.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


class _Estilos:
    """The workbook's cell formats (``cellXfs`` of styles.xml), numbered as first asked for;
    0 is Excel's default."""

    def __init__(self) -> None:
        self._indices: dict[tuple[str, bool], int] = {("", False): 0}
        self._codigos: dict[str, int] = {}  # custom number format → numFmtId

    def indice(self, formato: str = "", negrito: bool = False) -> int:
        chave = (formato, negrito)
        if chave not in self._indices:
            if formato not in ("", "0"):
                self._codigos.setdefault(formato, 164 + len(self._codigos))
            self._indices[chave] = len(self._indices)
        return self._indices[chave]

    def xml(self) -> str:
        formatos = "".join(
            f'<numFmt numFmtId="{i}" formatCode="{_esc(f)}"/>' for f, i in self._codigos.items()
        )
        xfs = []
        for formato, negrito in self._indices:
            numero = {"": 0, "0": 1}.get(formato, self._codigos.get(formato, 0))
            xfs.append(
                f'<xf numFmtId="{numero}" fontId="{int(negrito)}" fillId="0" borderId="0" '
                'xfId="0"'
                + (' applyNumberFormat="1"' if numero else "")
                + (' applyFont="1"' if negrito else "")
                + "/>"
            )
        return (
            _XML
            + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + (f'<numFmts count="{len(self._codigos)}">{formatos}</numFmts>' if formatos else "")
            + f'<fonts count="2"><font>{_FONTE}</font><font><b/>{_FONTE}</font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
            f'borderId="0"/></cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
            'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
        )


class _Textos:
    """The shared-string table: each distinct text once, cells refer to it by number."""

    def __init__(self) -> None:
        self._indices: dict[str, int] = {}
        self._referencias = 0

    def indice(self, texto: str) -> int:
        """The number of ``texto`` (one cell refers to it)."""
        self._referencias += 1
        return self._indices.setdefault(texto[:_MAX_TEXTO], len(self._indices))

    def indices(self, codigos: np.ndarray, unicos: list[str]) -> list[int]:
        """The table numbers of a column's distinct texts ``unicos``; ``codigos`` (as from
        :func:`pandas.factorize`, -1 where missing) says which cells refer to them."""
        self._referencias += int(np.count_nonzero(codigos >= 0))
        indices = self._indices
        return [indices.setdefault(t[:_MAX_TEXTO], len(indices)) for t in unicos]

    def xml(self) -> str:
        textos = list(self._indices)  # in number order
        todos = "".join(textos)
        if "_x" in todos or _RE_CONTROLE.search(todos):
            textos = [_escapar_controle(t) for t in textos]
        # No text holds a control character now: "\x00" separates them while the XML specials
        # are escaped in one pass over the whole table.
        corpo = "\x00".join(textos).replace("&", "&amp;").replace("<", "&lt;")
        corpo = corpo.replace(">", "&gt;").replace("\x00", "</t></si><si><t>")
        corpo = f"<si><t>{corpo}</t></si>" if textos else ""
        # leading or trailing whitespace survives only when marked (after the escapes, the only
        # "<" are the tags')
        corpo = _RE_ESPACO_NAS_PONTAS.sub('<t xml:space="preserve">', corpo)
        return (
            _XML + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{self._referencias}" uniqueCount="{len(textos)}">{corpo}</sst>'
        )


def _escapar_controle(texto: str) -> str:
    """Excel's escapes: a control character (and U+FFFE, U+FFFF) as ``_xHHHH_``, and the
    underscore of a literal ``_xHHHH_`` as ``_x005F_``, as xlsxwriter does."""
    texto = _RE_ESCAPE_LITERAL.sub(r"_x005F\1", texto)
    return _RE_CONTROLE.sub(lambda m: f"_x{ord(m.group()):04X}_", texto)


def _serial(v: date) -> float:
    """Excel's serial number of a naive date or datetime, computed as xlsxwriter's
    ``write_datetime`` does (days since 31/12/1899 plus the fraction of the day; one more from
    1/3/1900 on, for Excel's 29/02/1900)."""
    eh_data_hora = isinstance(v, datetime)
    delta: timedelta = (v if eh_data_hora else datetime.fromordinal(v.toordinal())) - _EPOCA
    serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / 86400
    if eh_data_hora and (v.year, v.month, v.day) == (1900, 1, 1):
        serial -= 1
    return serial + 1 if serial > 59 else serial


def _seriais(s: pd.Series) -> np.ndarray:
    """:func:`_serial` of a column of naive datetimes, vectorised; NaN where missing."""
    delta = s - _EPOCA
    dias = delta.dt.days.to_numpy(dtype=float, na_value=np.nan)
    segundos = delta.dt.seconds.to_numpy(dtype=float, na_value=np.nan)
    micro = delta.dt.microseconds.to_numpy(dtype=float, na_value=np.nan)
    serial = dias + (segundos + micro / 1e6) / 86400
    serial = serial - (s.dt.normalize() == _1900).to_numpy(dtype=bool, na_value=False)
    return np.where(serial > 59, serial + 1, serial)


# A column's cells: rows [inicio, fim) → for each row, the cell's XML after its reference
# ('" s="3"><v>1234</v></c>' follows '<c r="C17'), or None for an empty cell.
_Caudas = Callable[[int, int], list]


def _atributos(estilo: int, texto: bool = False) -> str:
    return '"' + (f' s="{estilo}"' if estilo else "") + (' t="s"' if texto else "") + "><v>"


def _caudas_numeros(a: np.ndarray, formato: str, estilos: _Estilos) -> _Caudas:
    """Cells of a float array (NaN, ±inf: empty) in number format ``formato``, written as
    xlsxwriter does (``%.16G``)."""
    finitos = np.isfinite(a)
    a = np.where(finitos, a, np.nan)
    abre = _atributos(estilos.indice(formato) if finitos.any() else 0)  # no cell, no format

    def caudas(inicio: int, fim: int) -> list:
        return [None if isnan(v) else f"{abre}{v:.16G}</v></c>" for v in a[inicio:fim].tolist()]

    return caudas


def _caudas_textos(codigos: np.ndarray, unicos: list[str], textos: _Textos) -> _Caudas:
    """Cells of a text column, factorised (code -1: empty cell): shared strings."""
    numeros = textos.indices(codigos, unicos)
    abre = _atributos(0, texto=True)
    por_codigo = np.array([f"{abre}{n}</v></c>" for n in numeros] + [None], dtype=object)
    caudas = por_codigo[codigos]  # code -1 (missing) takes the None at the end
    return lambda inicio, fim: caudas[inicio:fim].tolist()


def _caudas_mistas(valores: list[Any], textos: _Textos, estilos: _Estilos) -> _Caudas:
    """Cells of an object column, decided cell by cell: text (neutralised), Sim/Não, number,
    date or date and time."""
    numero = _atributos(0)
    texto = _atributos(0, texto=True)

    def cauda(v: Any) -> str | None:
        if v is None:
            return None
        if isinstance(v, str):
            return f"{texto}{textos.indice(neutralize(v))}</v></c>"
        if isinstance(v, (bool, np.bool_)):
            return f"{texto}{textos.indice(_sim_nao(bool(v)))}</v></c>"
        if isinstance(v, (int, float, Decimal, np.integer, np.floating)):
            x = float(v)
            return f"{numero}{x:.16G}</v></c>" if np.isfinite(x) else None
        if isinstance(v, datetime):
            data_hora = _atributos(estilos.indice(_FMT_DATA_HORA))
            return f"{data_hora}{_serial(v.replace(tzinfo=None)):.16G}</v></c>"
        if isinstance(v, date):
            return f"{_atributos(estilos.indice(_FMT_DATA))}{_serial(v):.16G}</v></c>"
        return f"{texto}{textos.indice(neutralize(str(v)))}</v></c>"

    caudas = [cauda(v) for v in valores]
    return lambda inicio, fim: caudas[inicio:fim]


@dataclass
class _ColunaXlsx:
    cabecalho: str
    caudas: _Caudas | None  # None only while a text column waits for its numbers
    largura: float


def _casas(a: np.ndarray) -> int:
    """Decimal places a float column needs on screen: 0, 1 or 2."""
    a = a[np.isfinite(a)]
    for casas in (0, 1):
        escala = a * 10**casas
        if np.all(np.abs(escala - np.round(escala)) < 1e-6):
            return casas
    return 2


def _largura(cabecalho: str, amostra: list[str]) -> float:
    maior = max([len(cabecalho) + 3, *map(len, amostra)])  # +3: the autofilter arrow
    return float(min(max(maior + 1, LARGURA_MIN), LARGURA_MAX))


def _extremos(a: np.ndarray) -> list[float]:
    """The smallest and the largest finite value among the first :data:`_AMOSTRA`: written
    with a fixed number of places, no number of the sample is longer than both."""
    amostra = a[:_AMOSTRA][np.isfinite(a[:_AMOSTRA])]
    return [amostra.min(), amostra.max()] if amostra.size else []


def _largura_xml(largura: float) -> str:
    """A column width in characters as Excel stores it (xlsxwriter's conversion: whole pixels
    of a 7-pixel digit plus 5 pixels of padding, in 1/256 of a character)."""
    pixels = int(largura * 7 + 0.5) + 5 if largura >= 1 else int(largura * 12 + 0.5)
    return f"{(pixels * 256 // 7) / 256.0:.16g}"


def _preparar(
    df: pd.DataFrame, cabecalhos: list[str], estilos: _Estilos, textos: _Textos
) -> list[_ColunaXlsx]:
    """One cell writer and width per column, chosen once from the dtype; the texts go into
    the shared-string table now."""
    colunas = []
    fatorados: dict[int, tuple[np.ndarray, list[str]]] = {}  # text columns
    for i, nome in enumerate(df.columns):
        s = df.iloc[:, i]
        cabecalho = cabecalhos[i]
        tipo = _tipo(s)
        if tipo == _MISTO and pd.api.types.infer_dtype(s, skipna=True) == "string":
            tipo, s = _TEXTO, s.astype("str")  # an object column holding only texts
        if tipo == _INTEIRO:
            sem_sep = key(nome) in _SEM_SEPARADOR or key(cabecalho) in _SEM_SEPARADOR
            a = s.to_numpy(dtype=float, na_value=np.nan)
            caudas = _caudas_numeros(a, "0" if sem_sep else "#,##0", estilos)
            amostra = [str(int(v)) if sem_sep else fmt.numero(int(v)) for v in _extremos(a)]
        elif tipo == _DECIMAL:
            a = s.to_numpy(dtype=float, na_value=np.nan)
            casas = 2 if "R$" in cabecalho else _casas(a)
            caudas = _caudas_numeros(a, "#,##0" + ("." + "0" * casas if casas else ""), estilos)
            amostra = [fmt.numero(v, casas) for v in _extremos(a)]
        elif tipo == _DATA:
            s, com_hora = _datas(s)
            caudas = _caudas_numeros(
                _seriais(s), _FMT_DATA_HORA if com_hora else _FMT_DATA, estilos
            )
            amostra = ["00/00/0000 00:00" if com_hora else "00/00/0000"]
        elif tipo in (_TEXTO, _LOGICO):
            if tipo == _TEXTO:
                s = _neutralizar_textos(s)
            else:
                s = s.map({True: _sim_nao(True), False: _sim_nao(False)}).astype("str")
            codigos, unicos = pd.factorize(s, use_na_sentinel=True)
            fatorados[i] = codigos, unicos.tolist()
            caudas = None  # below
            amostra = s.iloc[:_AMOSTRA].dropna().tolist()
        else:  # _MISTO: cell by cell
            valores = s.astype(object).where(s.notna(), None).tolist()
            caudas = _caudas_mistas(valores, textos, estilos)
            amostra = [str(_csv_celula(v)) for v in valores[:_AMOSTRA] if v is not None]
        colunas.append(_ColunaXlsx(cabecalho, caudas, _largura(cabecalho, amostra)))
    # The texts of the columns with fewest distinct values first: their cells, the most
    # repeated, get the shortest numbers (for the benchmark's table, 4 % less XML than
    # numbering the texts column by column).
    for i in sorted(fatorados, key=lambda i: len(fatorados[i][1])):
        colunas[i].caudas = _caudas_textos(*fatorados[i], textos)
    return colunas


def _nome_aba(titulo: str) -> str:
    """A valid sheet name: no []:*?/\\, at most 31 characters, not blank, not "Filtros"."""
    nome = re.sub(r"[\[\]:*?/\\]", " ", titulo).strip().strip("'")[:31].strip()
    return nome if nome and nome.lower() != "filtros" else "Dados"


def _agora() -> datetime:
    return relogio.agora()


def to_xlsx_bytes(
    df: pd.DataFrame,
    labels: dict[str, str] | None = None,
    filtros: list[tuple[str, str]] | None = None,
    titulo: str = "Dados",
    agora: datetime | None = None,
) -> bytes:
    """``df`` as an .xlsx: sheet ``titulo`` with typed cells and a bold, frozen, filterable
    header; sheet "Filtros" with the applied ``filtros`` (label, value), the export time
    (``agora``, by default now in the app's time zone, pmas.relogio) and the row count.

    Integers use ``#,##0`` (``0`` for year and month columns); floats ``#,##0``, ``#,##0.0`` or
    ``#,##0.00`` by the places the column needs (always two when the header has "R$"); Excel
    shows them with the reader's separators. Dates are real dates (dd/mm/yyyy). Missing values
    are empty cells. No cell holds a formula.
    """
    if len(df) > MAX_LINHAS_XLSX:
        raise ValueError(
            _textos.EXPORTACAO["linhas_demais"].format(
                n=fmt.numero(len(df)), maximo=fmt.numero(MAX_LINHAS_XLSX)
            )
        )
    estilos, textos = _Estilos(), _Textos()
    cabecalhos = [_cabecalho(nome, labels) for nome in df.columns]
    negrito = estilos.indice(negrito=True)
    cabecalho_xml = "".join(
        f'<c r="{xl_col_to_name(c)}1{_atributos(negrito, texto=True)}{textos.indice(h)}</v></c>'
        for c, h in enumerate(cabecalhos)
    )
    colunas = _preparar(df, cabecalhos, estilos, textos)
    nome = _nome_aba(titulo)
    agora = (agora or _agora()).replace(second=0, microsecond=0, tzinfo=None)

    saida = io.BytesIO()
    with zipfile.ZipFile(saida, "w", zipfile.ZIP_DEFLATED) as zf:
        _parte(zf, "[Content_Types].xml", _TIPOS_CONTEUDO)
        _parte(zf, "_rels/.rels", _RELS)
        _parte(zf, "xl/_rels/workbook.xml.rels", _RELS_WORKBOOK)
        with zf.open(_entrada("xl/worksheets/sheet1.xml"), "w") as f:
            for pedaco in _aba_dados(colunas, cabecalho_xml, len(df)):
                f.write(pedaco.encode("utf-8"))
        _parte(
            zf,
            "xl/worksheets/sheet2.xml",
            _aba_filtros(estilos, textos, filtros or [], agora, len(df)),
        )
        _parte(zf, "xl/workbook.xml", _workbook_xml(nome, len(colunas), len(df)))
        _parte(zf, "xl/sharedStrings.xml", textos.xml())
        _parte(zf, "xl/styles.xml", estilos.xml())
        _parte(zf, "docProps/core.xml", _core_xml())
        _parte(zf, "docProps/app.xml", _app_xml([nome, "Filtros"]))
    return saida.getvalue()


def _entrada(nome: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(nome, date_time=_DATA_ZIP)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _parte(zf: zipfile.ZipFile, nome: str, xml: str) -> None:
    zf.writestr(_entrada(nome), xml.encode("utf-8"))


def _inicio_aba(dimensao: str, larguras: Sequence[float], selecionada: bool) -> str:
    grupos: list[list] = []  # [first, last, width]: neighbours of the same width go together
    for c, largura in enumerate(map(_largura_xml, larguras), start=1):
        if grupos and grupos[-1][2] == largura:
            grupos[-1][1] = c
        else:
            grupos.append([c, c, largura])
    cols = "".join(f'<col min="{a}" max="{b}" width="{w}" customWidth="1"/>' for a, b, w in grupos)
    return (
        f'{_XML}<worksheet {_NS}><dimension ref="{dimensao}"/><sheetViews><sheetView'
        + (' tabSelected="1"' if selecionada else "")
        + ' workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
    )


def _fim_aba(autofiltro: str | None = None) -> str:
    return (
        "</sheetData>"
        + (f'<autoFilter ref="{autofiltro}"/>' if autofiltro else "")
        + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
        'footer="0.3"/></worksheet>'
    )


def _aba_dados(colunas: list[_ColunaXlsx], cabecalho_xml: str, n_linhas: int) -> Iterator[str]:
    """The data sheet's XML, in pieces of :data:`_BLOCO` rows."""
    ultima = f"{xl_col_to_name(len(colunas) - 1)}{n_linhas + 1}" if colunas else ""
    yield _inicio_aba(f"A1:{ultima}" if colunas else "A1", [c.largura for c in colunas], True)
    if colunas:
        yield f'<row r="1">{cabecalho_xml}</row>'
    aberturas = [f'<c r="{xl_col_to_name(c)}' for c in range(len(colunas))]
    for inicio in range(0, n_linhas if colunas else 0, _BLOCO):
        fim = min(inicio + _BLOCO, n_linhas)
        numeros = [str(r) for r in range(inicio + 2, fim + 2)]
        celulas = [
            [
                f"{abre}{r}{cauda}" if cauda is not None else ""
                for r, cauda in zip(numeros, cast(_Caudas, coluna.caudas)(inicio, fim))
            ]
            for abre, coluna in zip(aberturas, colunas)
        ]
        yield "".join(
            [
                f'<row r="{r}">{linha}</row>'
                for r, linha in zip(numeros, map("".join, zip(*celulas)))
                if linha
            ]
        )
    yield _fim_aba(f"A1:{ultima}" if colunas else None)


def _aba_filtros(
    estilos: _Estilos,
    textos: _Textos,
    filtros: list[tuple[str, str]],
    agora: datetime,
    n_linhas: int,
) -> str:
    negrito = estilos.indice(negrito=True)

    def texto(ref: str, valor: str, estilo: int = 0) -> str:
        return f'<c r="{ref}{_atributos(estilo, texto=True)}{textos.indice(valor)}</v></c>'

    def numero(ref: str, valor: float, estilo: int) -> str:
        return f'<c r="{ref}{_atributos(estilo)}{valor:.16G}</v></c>'

    T = _textos.EXPORTACAO
    linhas = [[texto("A1", T["filtro"], negrito), texto("B1", T["valor"], negrito)]]
    if not filtros:
        linhas.append([texto("A2", T["nenhum_filtro"])])
    for rotulo, valor in filtros:
        r = len(linhas) + 1
        linhas.append(
            [texto(f"A{r}", neutralize(str(rotulo))), texto(f"B{r}", neutralize(str(valor)))]
        )
    linhas.append([])
    r = len(linhas) + 1
    linhas.append(
        [
            texto(f"A{r}", T["exportado_em"], negrito),
            numero(f"B{r}", _serial(agora), estilos.indice(_FMT_DATA_HORA)),
        ]
    )
    # the export time is the app's clock (pmas.relogio): say which zone it is
    linhas.append([texto(f"A{r + 1}", T["fuso"], negrito), texto(f"B{r + 1}", relogio.rotulo())])
    linhas.append(
        [
            texto(f"A{r + 2}", T["linhas"], negrito),
            numero(f"B{r + 2}", n_linhas, estilos.indice("#,##0")),
        ]
    )
    larguras = [
        min(max([len(str(r)) for r, _ in filtros] + [22]) + 2, LARGURA_MAX),
        min(max([len(str(v)) for _, v in filtros] + [16]) + 2, LARGURA_MAX),
    ]
    return (
        _inicio_aba(f"A1:B{len(linhas)}", larguras, False)
        + "".join(f'<row r="{r}">{"".join(cs)}</row>' for r, cs in enumerate(linhas, start=1) if cs)
        + _fim_aba()
    )


def _workbook_xml(aba: str, n_colunas: int, n_linhas: int) -> str:
    filtro = ""
    if n_colunas:  # Excel keeps an autofilter's range in this hidden name
        faixa = f"$A$1:${xl_col_to_name(n_colunas - 1)}${n_linhas + 1}"
        filtro = (
            '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" '
            f'hidden="1">{_esc(quote_sheetname(aba))}!{faixa}</definedName></definedNames>'
        )
    return (
        f'{_XML}<workbook {_NS}><fileVersion appName="xl" lastEdited="4" lowestEdited="4" '
        'rupBuild="4505"/><workbookPr defaultThemeVersion="124226"/><bookViews><workbookView '
        'xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews>'
        f'<sheets><sheet name="{_esc(aba)}" sheetId="1" r:id="rId1"/>'
        f'<sheet name="Filtros" sheetId="2" r:id="rId2"/></sheets>{filtro}'
        '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


def _core_xml() -> str:
    agora = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        _XML + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator></dc:creator>'
        "<cp:lastModifiedBy></cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{agora}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{agora}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _app_xml(abas: list[str]) -> str:
    nomes = "".join(f"<vt:lpstr>{_esc(a)}</vt:lpstr>" for a in abas)
    return (
        _XML + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>'
        '<ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant">'
        "<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant>"
        f"<vt:i4>{len(abas)}</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts>"
        f'<vt:vector size="{len(abas)}" baseType="lpstr">{nomes}</vt:vector></TitlesOfParts>'
        "<Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion>"
        "</Properties>"
    )
