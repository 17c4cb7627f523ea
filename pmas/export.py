"""Downloads that are safe to open in Excel or LibreOffice, and the blank template.

- :func:`to_csv_bytes`: a CSV that a Brazilian Excel opens right with a double click (UTF-8 with
  BOM, ``;`` separator, decimal comma, dates dd/mm/aaaa, Portuguese headers).
- :func:`to_xlsx_bytes`: a typed workbook (numbers as numbers, dates as dates) with the applied
  filters on a second sheet.
- :func:`template_xlsx_bytes` / :func:`write_template`: the blank template ``data/modelo_pmas.xlsx``
  (``python -m pmas.export`` regenerates it).

Both writers neutralise formula injection (OWASP "CSV injection"): a text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (see
:func:`neutralize`), in the data, the headers and the filter values. Real numbers are never
touched, so -5 stays a number. No written cell holds a formula: every text goes through
``write_string`` and the workbooks are opened with ``strings_to_formulas=False``. The template's
dropdowns refer to ranges of a hidden sheet "Listas": a data-validation source, not a cell formula.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_range_abs

from pmas import fmt, schema
from pmas.plano import DEFAULT_PLANO, Plano
from pmas.text import key

# First characters that make a spreadsheet read a text cell as a formula (OWASP).
GATILHOS = ("=", "+", "-", "@", "\t", "\r")

MODELO_PATH = Path(__file__).resolve().parent.parent / "data" / "modelo_pmas.xlsx"
# Sheets of the template that hold no data; an importer can skip them by name.
ABAS_AUXILIARES = schema.AUXILIARY_SHEETS
FUSO = "America/Sao_Paulo"

MAX_LINHAS_XLSX = 1_048_575  # Excel's 1.048.576 rows, minus the header
LARGURA_MAX = 60
LARGURA_MIN = 8
_AMOSTRA = 200  # rows looked at to size a column

# Integer columns shown without a thousands separator ("2024", not "2.024"), by name or label key.
_SEM_SEPARADOR = frozenset({"ano", "mes"})

_WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
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
    return neutralize(str((labels or {}).get(nome, nome)))


def _datas(s: pd.Series) -> tuple[pd.Series, bool]:
    """Naive datetimes (wall-clock time kept) and whether any of them has a time of day."""
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    validas = s.dropna()
    com_hora = bool((validas != validas.dt.normalize()).any())
    return s, com_hora


def _sim_nao(v: bool) -> str:
    return "Sim" if v else "Não"


def _decimal_str(v: float | Decimal) -> str:
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


def to_csv_bytes(df: pd.DataFrame, labels: dict[str, str] | None = None) -> bytes:
    """``df`` as a CSV for a Brazilian Excel: UTF-8 with BOM, ``;``, decimal comma without
    thousands separator, dates dd/mm/aaaa (dd/mm/aaaa hh:mm when a time is present), booleans
    Sim/Não, headers renamed by ``labels`` (column → label), formula-like text neutralised.

    Reads back with ``pd.read_csv(io.BytesIO(b), sep=";", decimal=",", encoding="utf-8-sig")``.
    """
    colunas: dict[int, pd.Series] = {}
    for i, nome in enumerate(df.columns):
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
        sep=";", decimal=",", index=False, lineterminator="\r\n",
        header=[_cabecalho(c, labels) for c in df.columns],
    )
    return texto.encode("utf-8-sig")


# --- XLSX -----------------------------------------------------------------------------------

@dataclass
class _ColunaXlsx:
    cabecalho: str
    valores: list[Any]  # None where the cell stays empty
    escrever: Callable[[int, int, Any, Any], Any]
    formato: Any  # an xlsxwriter Format, or None
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


class _Formatos:
    """The workbook's cell formats, created once."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self.negrito = wb.add_format({"bold": True})
        self.data = wb.add_format({"num_format": _FMT_DATA})
        self.data_hora = wb.add_format({"num_format": _FMT_DATA_HORA})
        self._numeros: dict[str, Any] = {}

    def numero(self, padrao: str) -> Any:
        if padrao not in self._numeros:
            self._numeros[padrao] = self.wb.add_format({"num_format": padrao})
        return self._numeros[padrao]


def _preparar(df: pd.DataFrame, labels: dict[str, str] | None, ws: Any,
              formatos: _Formatos) -> list[_ColunaXlsx]:
    """One writer, format and list of values per column, chosen once from the dtype."""
    colunas = []
    for i, nome in enumerate(df.columns):
        s = df.iloc[:, i]
        cabecalho = _cabecalho(nome, labels)
        tipo = _tipo(s)
        formato = None
        if tipo == _INTEIRO:
            valores = s.to_numpy(dtype=object, na_value=None).tolist()
            sem_sep = key(nome) in _SEM_SEPARADOR or key(cabecalho) in _SEM_SEPARADOR
            formato = formatos.numero("0" if sem_sep else "#,##0")
            amostra = [str(v) if sem_sep else fmt.numero(v) for v in valores[:_AMOSTRA]]
            escrever = ws.write_number
        elif tipo == _DECIMAL:
            a = s.to_numpy(dtype=float, na_value=np.nan)
            casas = 2 if "R$" in cabecalho else _casas(a)
            valores = np.where(np.isfinite(a), a, None).tolist()
            formato = formatos.numero("#,##0" + ("." + "0" * casas if casas else ""))
            amostra = [fmt.numero(v, casas) for v in valores[:_AMOSTRA]]
            escrever = ws.write_number
        elif tipo == _DATA:
            s, com_hora = _datas(s)
            valores = s.astype(object).where(s.notna(), None).tolist()
            formato = formatos.data_hora if com_hora else formatos.data
            amostra = ["00/00/0000 00:00" if com_hora else "00/00/0000"]
            escrever = ws.write_datetime
        elif tipo == _TEXTO:
            valores = _neutralizar_textos(s).astype(object).where(s.notna(), None).tolist()
            amostra = [v for v in valores[:_AMOSTRA] if v is not None]
            escrever = ws.write_string
        else:  # _LOGICO or _MISTO: cell by cell
            valores = s.astype(object).where(s.notna(), None).tolist()
            amostra = [str(_csv_celula(v)) for v in valores[:_AMOSTRA] if v is not None]
            escrever = _escritor_misto(ws, formatos)
        colunas.append(_ColunaXlsx(cabecalho, valores, escrever, formato,
                                   _largura(cabecalho, amostra)))
    return colunas


def _escritor_misto(ws: Any, formatos: _Formatos) -> Callable[[int, int, Any, Any], Any]:
    def escrever(linha: int, coluna: int, v: Any, _formato: Any) -> Any:
        if isinstance(v, str):
            return ws.write_string(linha, coluna, neutralize(v))
        if isinstance(v, (bool, np.bool_)):
            return ws.write_string(linha, coluna, _sim_nao(bool(v)))
        if isinstance(v, (int, float, Decimal, np.integer, np.floating)):
            numero = float(v)
            return ws.write_number(linha, coluna, numero) if np.isfinite(numero) else None
        if isinstance(v, datetime):
            return ws.write_datetime(linha, coluna, v.replace(tzinfo=None), formatos.data_hora)
        if isinstance(v, date):
            return ws.write_datetime(linha, coluna, v, formatos.data)
        return ws.write_string(linha, coluna, neutralize(str(v)))

    return escrever


def _nome_aba(titulo: str) -> str:
    """A valid sheet name: no []:*?/\\, at most 31 characters, not blank, not "Filtros"."""
    nome = re.sub(r"[\[\]:*?/\\]", " ", titulo).strip().strip("'")[:31].strip()
    return nome if nome and nome.lower() != "filtros" else "Dados"


def _agora() -> datetime:
    try:
        return datetime.now(ZoneInfo(FUSO)).replace(tzinfo=None)
    except ZoneInfoNotFoundError:  # no time-zone database on this machine: server time
        return datetime.now()


def to_xlsx_bytes(
    df: pd.DataFrame,
    labels: dict[str, str] | None = None,
    filtros: list[tuple[str, str]] | None = None,
    titulo: str = "Dados",
    agora: datetime | None = None,
) -> bytes:
    """``df`` as an .xlsx: sheet ``titulo`` with typed cells and a bold, frozen, filterable
    header; sheet "Filtros" with the applied ``filtros`` (label, value), the export time
    (``agora``, by default now in Brasília time) and the row count.

    Integers use ``#,##0`` (``0`` for year and month columns); floats ``#,##0``, ``#,##0.0`` or
    ``#,##0.00`` by the places the column needs (always two when the header has "R$"); Excel
    shows them with the reader's separators. Dates are real dates (dd/mm/yyyy). Missing values
    are empty cells. No cell holds a formula.
    """
    if len(df) > MAX_LINHAS_XLSX:
        raise ValueError(
            f"A tabela tem {fmt.numero(len(df))} linhas, mais do que o Excel aceita "
            f"({fmt.numero(MAX_LINHAS_XLSX)}). Filtre os dados ou baixe em CSV."
        )
    saida = io.BytesIO()
    wb = xlsxwriter.Workbook(saida, _WORKBOOK_OPTIONS)
    formatos = _Formatos(wb)
    ws = wb.add_worksheet(_nome_aba(titulo))
    colunas = _preparar(df, labels, ws, formatos)

    for c, col in enumerate(colunas):
        ws.write_string(0, c, col.cabecalho, formatos.negrito)
        ws.set_column(c, c, col.largura)
    pares = [(col.escrever, col.formato) for col in colunas]
    for linha, valores in enumerate(zip(*(col.valores for col in colunas)), start=1):
        for c, v in enumerate(valores):
            if v is not None:
                escrever, formato = pares[c]
                escrever(linha, c, v, formato)
    ws.freeze_panes(1, 0)
    if colunas:
        ws.autofilter(0, 0, len(df), len(colunas) - 1)

    agora = (agora or _agora()).replace(second=0, microsecond=0, tzinfo=None)
    _aba_filtros(wb, formatos, filtros or [], agora, len(df))
    wb.close()
    return saida.getvalue()


def _aba_filtros(wb: xlsxwriter.Workbook, formatos: _Formatos, filtros: list[tuple[str, str]],
                 agora: datetime, n_linhas: int) -> None:
    ws = wb.add_worksheet("Filtros")
    ws.write_string(0, 0, "Filtro", formatos.negrito)
    ws.write_string(0, 1, "Valor", formatos.negrito)
    linha = 1
    if not filtros:
        ws.write_string(linha, 0, "Nenhum filtro aplicado")
        linha += 1
    for rotulo, valor in filtros:
        ws.write_string(linha, 0, neutralize(str(rotulo)))
        ws.write_string(linha, 1, neutralize(str(valor)))
        linha += 1
    linha += 1
    ws.write_string(linha, 0, "Exportado em", formatos.negrito)
    ws.write_datetime(linha, 1, agora, formatos.data_hora)
    ws.write_string(linha + 1, 0, "Linhas exportadas", formatos.negrito)
    ws.write_number(linha + 1, 1, n_linhas, formatos.numero("#,##0"))
    largura_valor = max([len(str(v)) for _, v in filtros] + [16])
    ws.set_column(0, 0, min(max([len(str(r)) for r, _ in filtros] + [22]) + 2, LARGURA_MAX))
    ws.set_column(1, 1, min(largura_valor + 2, LARGURA_MAX))
    ws.freeze_panes(1, 0)


# --- the blank template ---------------------------------------------------------------------

# Per column: (required?, what it means, accepted values, example). The example values of a
# table form its one example row, shown on the Instruções sheet (never on the data sheets).
_AJUDA: dict[str, dict[str, tuple[str, str, str, str]]] = {
    "metas": {
        "codigo": ("Não", "Código ou número da meta no plano. Deve ser único no ano.",
                   "Texto livre, por exemplo 1.1.1 (a coluna está formatada como texto).",
                   "1.1.1"),
        "eixo": ("Sim", "Eixo do plano ao qual a meta pertence.",
                 "Um dos eixos do plano (lista na célula): {eixos}. Também são aceitos "
                 "“Eixo 1”, “I” ou “1”.", "{eixo1}"),
        "diretriz": ("Não", "Diretriz ou prioridade deliberada a que a ação responde.",
                     "Texto livre.", "Fortalecer a gestão do trabalho no SUAS"),
        "objetivo": ("Não", "Objetivo que a ação busca alcançar.", "Texto livre.",
                     "Qualificar o atendimento à população"),
        "acao": ("Sim, ou a Meta", "Ação prevista no plano.",
                 "Texto livre. Preencha a Ação, a Meta ou as duas.",
                 "Realizar capacitação continuada dos trabalhadores do SUAS"),
        "estrategia": ("Não", "Como a ação será executada.", "Texto livre.",
                       "Cursos semestrais em parceria com universidades"),
        "meta": ("Sim, ou a Ação", "O que se pretende alcançar, de preferência com quantidade.",
                 "Texto livre.", "Capacitar 200 trabalhadores por ano"),
        "indicador": ("Não", "Como o resultado é medido.", "Texto livre.",
                      "Trabalhadores capacitados"),
        "unidade": ("Não", "Unidade dos números previsto e realizado.",
                    "Texto livre: pessoas, famílias, unidades, %, R$…", "pessoas"),
        "sentido": ("Não", "O que a meta pretende fazer com o indicador; define como o "
                           "cumprimento é calculado.",
                    "{sentidos} (lista na célula). Veja “Os sentidos possíveis” acima.", "Aumentar"),
        "linha_de_base": ("Não", "Valor do indicador no início do plano.",
                          "Número: 1.234 ou 85,5%.", "150"),
        "ano": ("Sim*", "Ano de referência da avaliação.",
                "Ano com quatro dígitos, de {inicio} a {fim}. *Pode faltar se o ano estiver "
                "no nome da aba ou for informado na importação.", "2024"),
        "previsto": ("Não*", "Quantidade prevista para o ano.",
                     "Número: 1.234 / 85,5% / R$ 12.000,00. *Com o Realizado, permite calcular "
                     "a situação quando ela está em branco.", "200"),
        "realizado": ("Não*", "Quantidade alcançada no ano.", "Número, como no Previsto.",
                      "180"),
        "percentual": ("Não", "Percentual de execução (realizado ÷ previsto).",
                       "Porcentagem: 90% ou 85,5%.", "90%"),
        "situacao": ("Sim*", "Situação da meta no ano.",
                     "Uma destas (lista na célula): {situacoes}. *Se ficar em branco, é "
                     "calculada pelo Previsto e pelo Realizado.", "Parcialmente realizada"),
        "justificativa": ("Não", "Análise do resultado: o que foi feito, dificuldades, motivo "
                                 "de não cumprimento.", "Texto livre.",
                          "Duas turmas adiadas por falta de instrutores"),
        "prazo": ("Não", "Período de execução previsto.",
                  "Texto livre: 2022-2025, 1º semestre de 2024…", "2022-2025"),
        "responsavel": ("Não", "Setor responsável pela execução.", "Texto livre.",
                        "Diretoria de Gestão do SUAS"),
        "parceiros": ("Não", "Órgãos ou entidades parceiras.", "Texto livre.",
                      "Universidades; CMAS"),
        "fonte_recurso": ("Não", "De onde vem o recurso.",
                          "Texto livre: FMAS, FEAS, FNAS, Tesouro municipal…", "FMAS"),
        "valor_previsto": ("Não", "Valor previsto, em reais.",
                           "Valor: 12.000,00 ou R$ 12.000,00.", "R$ 12.000,00"),
        "valor_executado": ("Não", "Valor executado, em reais.",
                            "Valor: 12.000,00 ou R$ 12.000,00.", "R$ 10.800,00"),
        "territorio": ("Não", "Região, CRAS ou território da ação.",
                       "Texto livre: Norte, CRAS Leste, Todo o município…", "Todo o município"),
        "nivel_protecao": ("Não", "Nível de proteção social da ação.",
                           "Texto livre: Proteção Social Básica, Proteção Social Especial de "
                           "Média ou de Alta Complexidade, Gestão.", "Gestão"),
    },
    "conferencias": {
        "ano": ("Sim", "Ano em que o evento aconteceu.", "Ano com quatro dígitos.", "2023"),
        "tipo_evento": ("Sim", "Etapa do processo conferencial.",
                        "{tipos} (lista na célula).", "Pré-conferência"),
        "regiao": ("Não", "Região da pré-conferência.",
                   "Texto livre: Norte, Sul, Leste, Oeste, Centro, Rural…", "Norte"),
        "local": ("Não", "Onde o evento aconteceu.", "Texto livre.", "CRAS Norte A"),
        "publico": ("Não", "Público específico do evento, quando houver.",
                    "Texto livre: usuários de acolhimento, Centro POP, trabalhadores…",
                    "Comunidade da região"),
        "segmento": ("Não", "Segmento dos participantes contados na linha.",
                     "{segmentos} (lista na célula). Use uma linha por segmento, ou “Total” "
                     "quando não há divisão.", "Usuários"),
        "participantes": ("Sim", "Número de participantes do segmento no evento.",
                          "Número inteiro.", "85"),
        "delegados": ("Não", "Delegados eleitos no evento.", "Número inteiro.", "4"),
    },
    "indicadores": {
        "indicador": ("Sim", "Nome do indicador.", "Texto livre.",
                      "Famílias acompanhadas pelo PAIF"),
        "ano": ("Sim", "Ano de referência do valor.", "Ano com quatro dígitos.", "2024"),
        "mes": ("Não", "Mês de referência, em séries mensais.",
                "Número de 1 a 12; em branco para valor anual.", "6"),
        "valor": ("Sim", "Valor do indicador no período.",
                  "Número: 1.234 / 85,5% / R$ 12.000,00.", "1.234"),
        "unidade": ("Não", "Unidade do valor.", "Texto livre: famílias, pessoas, unidades, R$…",
                    "famílias"),
        "territorio": ("Não", "Território do valor: município, região ou CRAS.", "Texto livre.",
                       "CRAS Norte A"),
        "fonte": ("Não", "Origem do dado.", "Texto livre: RMA, CadÚnico, VIS DATA, Censo SUAS…",
                  "RMA, campo A.1"),
        "eixo": ("Não", "Eixo do plano a que o indicador se relaciona.",
                 "Um dos eixos do plano (lista na célula).", "{eixo2}"),
        "meta_valor": ("Não", "Valor que o plano pretende alcançar.", "Número.", "1.500"),
    },
}

_SIGNIFICADO_STATUS = {
    schema.REALIZADA: "A meta do ano foi cumprida.",
    schema.PARCIAL: "Cumprida em parte.",
    schema.EM_ANDAMENTO: "Em execução, ainda sem resultado final (ações contínuas).",
    schema.NAO_INICIADA: "Prevista para o ano, mas ainda não começou.",
    schema.NAO_REALIZADA: "Prevista para o ano e não cumprida.",
    schema.CANCELADA: "Retirada do plano; não entra no cálculo.",
    schema.NAO_SE_APLICA: "Não prevista para este ano; não entra no cálculo.",
}
_SIGNIFICADO_SENTIDO = {
    "Aumentar": "Quanto maior o realizado, melhor: cumprimento = realizado ÷ previsto.",
    "Manter": "Manter o valor previsto: cumprimento = realizado ÷ previsto.",
    "Reduzir": "Quanto menor o realizado, melhor: cumprimento = previsto ÷ realizado.",
    "Implantar": "Criar algo que ainda não existe (serviço, unidade, lei); a situação diz "
                 "se foi implantado.",
}

# Dropdowns: table → column → list name on the hidden sheet "Listas".
_LISTAS_POR_COLUNA = {
    "metas": {"eixo": "eixos", "situacao": "situacoes", "sentido": "sentidos"},
    "conferencias": {"tipo_evento": "tipos", "segmento": "segmentos"},
    "indicadores": {"eixo": "eixos"},
}
ULTIMA_LINHA_VALIDADA = 1000  # dropdowns on rows 2..1000


def _listas(plano: Plano) -> dict[str, tuple[str, list[str]]]:
    """List name → (header on the Listas sheet, values)."""
    return {
        "eixos": ("Lista de eixos", [e.rotulo for e in plano.eixos]),
        "situacoes": ("Lista de situações", list(schema.STATUS_ORDER)),
        "sentidos": ("Lista de sentidos", list(schema.SENTIDOS)),
        "tipos": ("Lista de tipos de evento", list(schema.EVENT_TYPES)),
        "segmentos": ("Lista de segmentos", [*schema.SEGMENTS, schema.TOTAL]),
    }


def _ajuda(plano: Plano, tabela: str, coluna: str) -> tuple[str, str, str, str]:
    eixos = [e.rotulo for e in plano.eixos]
    campos = {
        "eixos": "; ".join(eixos),
        "eixo1": eixos[0] if eixos else "",
        "eixo2": eixos[1] if len(eixos) > 1 else (eixos[0] if eixos else ""),
        "inicio": plano.ano_inicio, "fim": plano.ano_fim,
        "situacoes": "; ".join(schema.STATUS_ORDER),
        "sentidos": ", ".join(schema.SENTIDOS),
        "tipos": " ou ".join(schema.EVENT_TYPES),
        "segmentos": "; ".join([*schema.SEGMENTS, schema.TOTAL]),
    }
    return tuple(t.format(**campos) for t in _AJUDA[tabela][coluna])  # type: ignore[return-value]


def _instrucoes(wb: xlsxwriter.Workbook, plano: Plano) -> None:
    # Headings and table headers avoid starting with a column name or alias ("Situação…",
    # "Valor…"), so that an importer guessing tables by their headers does not take this sheet
    # for data.
    ws = wb.add_worksheet("Instruções")
    titulo = wb.add_format({"bold": True, "font_size": 14})
    secao = wb.add_format({"bold": True, "font_size": 12})
    cabecalho = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1,
                               "text_wrap": True, "valign": "top"})
    celula = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 2, 50)
    ws.set_column(3, 3, 60)
    ws.set_column(4, 4, 40)

    linha = 0

    def texto(t: str, formato: Any = None) -> None:
        nonlocal linha
        ws.write_string(linha, 0, t, formato)
        linha += 1

    def tabela(cabecalhos: list[str], linhas: list[list[str]]) -> None:
        nonlocal linha
        for c, h in enumerate(cabecalhos):
            ws.write_string(linha, c, h, cabecalho)
        linha += 1
        for valores in linhas:
            for c, v in enumerate(valores):
                ws.write_string(linha, c, v, celula)
            linha += 1
        linha += 1

    local = f"{plano.municipio}/{plano.uf}" if plano.uf else plano.municipio
    texto(f"Modelo de planilha do {plano.nome} – {local}", titulo)
    texto("Preencha as abas “Metas”, “Conferências” e “Indicadores” e envie o arquivo na tela "
          "Importar do PMAS Monitor. Use só as abas de que precisar.")
    linha += 1
    texto("Como preencher", secao)
    for item in (
        "• Aba Metas: uma linha por meta (ou ação) e por ano avaliado.",
        "• Aba Conferências: uma linha por evento (pré-conferência ou conferência municipal) "
        "e por segmento de participantes.",
        "• Aba Indicadores: uma linha por indicador, período e território.",
        "• Não mude os títulos das colunas. Colunas opcionais podem ficar em branco ou ser "
        "apagadas; colunas a mais são ignoradas, com aviso.",
        "• Se várias linhas têm o mesmo eixo ou diretriz, as células podem ser mescladas.",
        "• Células sem dado: deixe em branco (“-”, “s/d” e “n/a” também são lidos como sem "
        "dado).",
        "• As listas nas células de Eixo, Situação, Sentido, Tipo de evento e Segmento mostram "
        "os valores aceitos.",
    ):
        texto(item)
    linha += 1
    texto("Como o ano das metas é encontrado", secao)
    texto("O ano é lido, nesta ordem: da coluna “Ano”; do nome da aba (por exemplo "
          "“Metas 2024”); ou do ano informado na tela de importação.")
    linha += 1
    texto("Números", secao)
    texto("Escreva os números como de costume no Brasil: 1.234 (milhar com ponto), 85,5% "
          "(vírgula decimal), R$ 12.000,00. Números digitados como número no Excel também "
          "são aceitos.")
    linha += 1
    texto("As situações possíveis de uma meta", secao)
    tabela(["Opção", "Entra no cálculo", "O que significa", "Pontuação no índice"],
           [[nome, "Sim" if conta else "Não", _SIGNIFICADO_STATUS[nome],
             fmt.numero(nota, 1) if nota is not None else "—"]
            for nome, conta, nota in schema.STATUSES])
    texto("Os sentidos possíveis de uma meta", secao)
    tabela(["Opção", "O que significa"],
           [[s, _SIGNIFICADO_SENTIDO[s]] for s in schema.SENTIDOS])

    for tab in (schema.METAS, schema.CONFERENCIAS, schema.INDICADORES):
        texto(f"Colunas da aba {tab.label}", secao)
        texto("A coluna “Exemplo” mostra uma linha preenchida, como ficaria na aba "
              f"{tab.label}.")
        tabela(["Coluna", "Obrigatória", "O que significa", "Como preencher", "Exemplo"],
               [[col.label, *_ajuda(plano, tab.name, col.name)] for col in tab.columns])


def template_xlsx_bytes(plano: Plano = DEFAULT_PLANO) -> bytes:
    """The blank template for ``plano``: "Instruções", then empty "Metas", "Conferências" and
    "Indicadores" sheets (bold frozen header of schema labels, dropdowns on rows 2..1000 for
    the columns with a closed list), and the hidden "Listas" sheet the dropdowns read from."""
    saida = io.BytesIO()
    wb = xlsxwriter.Workbook(saida, _WORKBOOK_OPTIONS)
    # a fixed creation date keeps the generated file identical from one run to the next
    wb.set_properties({"title": f"Modelo de planilha do {plano.nome}", "subject": plano.municipio,
                       "author": "PMAS Monitor", "created": datetime(2025, 1, 1)})
    negrito = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    como_texto = wb.add_format({"num_format": "@"})

    _instrucoes(wb, plano)

    listas = _listas(plano)
    fontes: dict[str, str] = {}
    for c, (nome, (_, valores)) in enumerate(listas.items()):
        fontes[nome] = "=Listas!" + xl_range_abs(1, c, len(valores), c)

    for tab in (schema.METAS, schema.CONFERENCIAS, schema.INDICADORES):
        ws = wb.add_worksheet(tab.label)
        validadas = _LISTAS_POR_COLUNA[tab.name]
        for c, col in enumerate(tab.columns):
            ws.write_string(0, c, col.label, negrito)
            exemplo = _ajuda(plano, tab.name, col.name)[3]
            largura = min(max(len(col.label) + 4, len(exemplo) + 2, 12), LARGURA_MAX)
            ws.set_column(c, c, largura, como_texto if col.name == "codigo" else None)
            if col.name in validadas:
                ws.data_validation(1, c, ULTIMA_LINHA_VALIDADA - 1, c, {
                    "validate": "list",
                    "source": fontes[validadas[col.name]],
                    "error_type": "warning",
                    "error_title": "Valor fora da lista",
                    "error_message": f"Escolha um valor da lista de “{col.label}”. Outros "
                                     "textos podem não ser reconhecidos na importação.",
                })
        ws.freeze_panes(1, 0)

    ws = wb.add_worksheet("Listas")
    for c, (cabecalho, valores) in enumerate(listas.values()):
        ws.write_string(0, c, cabecalho, negrito)
        for r, v in enumerate(valores, start=1):
            ws.write_string(r, c, v)
        ws.set_column(c, c, min(max(map(len, [cabecalho, *valores])) + 2, LARGURA_MAX))
    ws.hide()

    wb.close()
    return saida.getvalue()


def write_template(path: str | Path = MODELO_PATH, plano: Plano = DEFAULT_PLANO) -> Path:
    """Write the blank template for ``plano`` to ``path`` (by default data/modelo_pmas.xlsx)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(template_xlsx_bytes(plano))
    return path


if __name__ == "__main__":
    destino = write_template()
    print(f"Modelo gravado em {destino} ({fmt.tamanho(destino.stat().st_size)}).")
