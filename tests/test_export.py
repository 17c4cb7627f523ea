import io
import re
import zipfile
from datetime import date, datetime
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from pmas.dados import schema
from pmas.dados.plano import LONDRINA, Eixo, Plano
from pmas.saida import export
from pmas.saida.export import neutralize, to_csv_bytes, to_xlsx_bytes
from pmas.saida.modelo import MODELO_PATH, template_xlsx_bytes, write_template

ATAQUES = [
    '=HYPERLINK("http://x","clique")',
    "@SUM(A1)",
    "+55 43 3372-0000",
    "-1+1",
    "\t=1+1",
    "\r=1+1",
]
AGORA = datetime(2023, 11, 8, 14, 5)


def _df() -> pd.DataFrame:
    n = len(ATAQUES) + 2
    return pd.DataFrame(
        {
            "acao": [*ATAQUES, "Capacitar trabalhadores", None],
            "ano": [2024] * n,
            "previsto": [-5, 0, 12, 1234, 7, 8, 9, 10],
            "percentual": [45.3, -2.5, np.nan, 100.0, 1234.5, 0.1, 3.0, 4.0],
            "valor_previsto": [1234.56, 0, 12000, np.nan, 1, 2, 3, 4],
            "prazo": pd.to_datetime(["2023-11-08"] * (n - 1) + [None]),
        }
    )


LABELS = {
    "acao": "Ação",
    "ano": "Ano",
    "previsto": "Previsto",
    "percentual": "% de execução",
    "valor_previsto": "Valor previsto (R$)",
}


def _ler_xlsx(dados: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(dados))


def _sheet_xml(dados: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(dados)) as z:
        return {
            n: z.read(n).decode("utf-8")
            for n in z.namelist()
            if n.startswith("xl/worksheets/") and n.endswith(".xml")
        }


def _sem_formulas(dados: bytes) -> None:
    xmls = _sheet_xml(dados)
    assert xmls
    for nome, xml in xmls.items():
        assert not re.search(r"<f[\s>/]", xml), nome
        assert 't="str"' not in xml, nome  # formula string results
        assert "<hyperlink" not in xml, nome


# --- neutralize -----------------------------------------------------------------------------


@pytest.mark.parametrize("texto", ATAQUES + ["=1", "+", "-", "@", "\t", "\r"])
def test_neutralize_prefixes_a_quote(texto):
    assert neutralize(texto) == "'" + texto


@pytest.mark.parametrize("texto", ["Realizada", "", "1.234", " =1", "'=1", "R$ 12,00", "5"])
def test_neutralize_leaves_harmless_text_alone(texto):
    assert neutralize(texto) == texto


# --- CSV --------------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_semicolon_and_portuguese_headers():
    dados = to_csv_bytes(_df(), LABELS | {"prazo": "Prazo"})
    assert dados.startswith(b"\xef\xbb\xbf")
    primeira = dados.decode("utf-8-sig").splitlines()[0]
    assert primeira == "Ação;Ano;Previsto;% de execução;Valor previsto (R$);Prazo"


def test_csv_columns_without_label_keep_their_names():
    cabecalho = to_csv_bytes(_df(), {"acao": "Ação"}).decode("utf-8-sig").splitlines()[0]
    assert cabecalho == "Ação;ano;previsto;percentual;valor_previsto;prazo"


def test_csv_numbers_use_decimal_comma_without_thousands_separator_and_dates_are_brazilian():
    linhas = to_csv_bytes(_df()).decode("utf-8-sig").split("\r\n")
    assert linhas[7] == "Capacitar trabalhadores;2024;9;3,0;3,0;08/11/2023"
    assert linhas[4] == "'-1+1;2024;1234;100,0;;08/11/2023"
    assert linhas[5].endswith(";2024;7;1234,5;1,0;08/11/2023")
    assert linhas[8] == ";2024;10;4,0;4,0;"  # missing text, date → empty


def test_csv_neutralises_every_trigger_but_not_real_numbers():
    texto = to_csv_bytes(_df()).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(texto), sep=";", decimal=",", keep_default_na=False)
    assert back["acao"].tolist()[: len(ATAQUES)] == ["'" + a for a in ATAQUES]
    assert back["previsto"].tolist()[0] == -5
    assert '"\'=HYPERLINK(""http://x"",""clique"")"' in texto
    assert ";-5;" in texto  # a real negative number is written as a number, unquoted
    assert "-2,5" in texto


def test_csv_round_trips_with_pandas():
    df = _df()
    back = pd.read_csv(
        io.BytesIO(to_csv_bytes(df, LABELS)), sep=";", decimal=",", encoding="utf-8-sig"
    )
    assert list(back.columns) == [LABELS.get(c, c) for c in df.columns]
    assert back["Ano"].tolist() == df["ano"].tolist()
    assert back["Previsto"].tolist() == df["previsto"].tolist()
    pd.testing.assert_series_equal(back["% de execução"], df["percentual"], check_names=False)
    pd.testing.assert_series_equal(
        back["Valor previsto (R$)"], df["valor_previsto"], check_names=False
    )
    assert back["prazo"].tolist()[:2] == ["08/11/2023", "08/11/2023"]
    assert back["Ação"].iloc[len(ATAQUES)] == "Capacitar trabalhadores"


def test_csv_object_columns_are_decided_cell_by_cell():
    df = pd.DataFrame(
        {
            "misto": pd.Series(
                ["=x", -5, 2.5, date(2023, 1, 2), True, None, datetime(2023, 1, 2, 14, 5)],
                dtype=object,
            ),
            "logico": [True, False, True, False, True, False, True],
        }
    )
    linhas = to_csv_bytes(df).decode("utf-8-sig").split("\r\n")
    assert linhas[1:8] == [
        "'=x;Sim",
        "-5;Não",
        "2,5;Sim",
        "02/01/2023;Não",
        "Sim;Sim",
        ";Não",
        "02/01/2023 14:05;Sim",
    ]


def test_csv_datetimes_keep_the_time_when_there_is_one():
    df = pd.DataFrame({"quando": pd.to_datetime(["2023-11-08 14:05", "2023-11-09 00:00"])})
    assert to_csv_bytes(df).decode("utf-8-sig").split("\r\n")[1:3] == [
        "08/11/2023 14:05",
        "09/11/2023 00:00",
    ]


def test_csv_of_an_empty_table_has_the_header():
    df = pd.DataFrame({"acao": pd.Series([], dtype="str"), "ano": pd.Series([], dtype="int64")})
    assert to_csv_bytes(df, LABELS) == "\ufeffAção;Ano\r\n".encode("utf-8")


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_neutralises_every_trigger_and_holds_no_formula():
    dados = to_xlsx_bytes(_df(), LABELS, filtros=[("Busca", "=cmd|' /C calc'!A0")], agora=AGORA)
    ws = _ler_xlsx(dados)["Dados"]
    valores = [ws.cell(row=r, column=1).value for r in range(2, 2 + len(ATAQUES))]
    for valor, ataque in zip(valores, ATAQUES):
        assert valor.startswith("'")
        # openpyxl leaves xlsx's escape of a carriage return as is
        assert valor.replace("_x000D_", "\r") == "'" + ataque
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(2, 2 + len(ATAQUES)))
    _sem_formulas(dados)


def test_xlsx_numbers_stay_numeric_and_negative_numbers_are_not_quoted():
    ws = _ler_xlsx(to_xlsx_bytes(_df(), LABELS, agora=AGORA))["Dados"]
    previsto = [ws.cell(row=r, column=3) for r in range(2, 10)]
    assert [c.value for c in previsto] == [-5, 0, 12, 1234, 7, 8, 9, 10]
    assert all(c.data_type == "n" and isinstance(c.value, int) for c in previsto)
    assert ws["D3"].value == -2.5 and ws["D3"].data_type == "n"
    assert ws["D4"].value is None  # NaN → empty cell
    assert ws["E5"].value is None


def test_xlsx_number_and_date_formats():
    ws = _ler_xlsx(to_xlsx_bytes(_df(), LABELS, agora=AGORA))["Dados"]
    assert ws["B2"].value == 2024 and ws["B2"].number_format == "0"  # a year: no separator
    assert ws["C2"].number_format == "#,##0"
    assert ws["D2"].number_format == "#,##0.0"  # the column needs one decimal place
    assert ws["E2"].number_format == "#,##0.00"  # money: always two
    assert ws["F2"].value == datetime(2023, 11, 8)
    assert ws["F2"].number_format == "dd/mm/yyyy"
    assert ws["F9"].value is None


def test_xlsx_float_places_follow_the_column():
    df = pd.DataFrame({"inteiro": [1.0, 2.0], "um": [1.5, 2.0], "dois": [1.25, 2.0]})
    ws = _ler_xlsx(to_xlsx_bytes(df, agora=AGORA))["Dados"]
    assert [ws[c].number_format for c in ("A2", "B2", "C2")] == ["#,##0", "#,##0.0", "#,##0.00"]


def test_xlsx_header_is_bold_frozen_and_filterable():
    ws = _ler_xlsx(to_xlsx_bytes(_df(), LABELS, agora=AGORA))["Dados"]
    assert [c.value for c in ws[1]] == [LABELS.get(c, c) for c in _df().columns]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:F9"


def test_xlsx_column_widths_are_sized_and_capped():
    df = pd.DataFrame(
        {
            "curta": ["a"] * 3,
            "longa": ["x" * 500] * 3,
            "acao": ["Capacitar trabalhadores do SUAS"] * 3,
        }
    )
    ws = _ler_xlsx(to_xlsx_bytes(df, agora=AGORA))["Dados"]
    larguras = {k: round(v.width) for k, v in ws.column_dimensions.items()}
    assert larguras["B"] <= export.LARGURA_MAX + 1
    assert larguras["B"] >= export.LARGURA_MAX
    assert larguras["A"] < 15
    assert 30 <= larguras["C"] < 40


def test_xlsx_object_columns_are_written_cell_by_cell():
    df = pd.DataFrame(
        {"misto": pd.Series(["=x", -5, 2.5, date(2023, 1, 2), True, None], dtype=object)}
    )
    dados = to_xlsx_bytes(df, agora=AGORA)
    ws = _ler_xlsx(dados)["Dados"]
    assert [ws.cell(row=r, column=1).value for r in range(2, 8)] == [
        "'=x",
        -5,
        2.5,
        datetime(2023, 1, 2),
        "Sim",
        None,
    ]
    assert ws["A4"].data_type == "n"
    _sem_formulas(dados)


def test_xlsx_urls_and_numeric_text_stay_plain_text():
    df = pd.DataFrame({"t": ["http://exemplo.gov.br", "1.234", "00123"]})
    dados = to_xlsx_bytes(df, agora=AGORA)
    ws = _ler_xlsx(dados)["Dados"]
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == [
        "http://exemplo.gov.br",
        "1.234",
        "00123",
    ]
    _sem_formulas(dados)


def test_xlsx_filtros_sheet_lists_filters_and_export_time():
    filtros = [
        ("Eixo", "1. Política Municipal de Assistência Social"),
        ("Ano", "2024"),
        ("Busca", "=2+2"),
    ]
    wb = _ler_xlsx(to_xlsx_bytes(_df(), LABELS, filtros=filtros, titulo="Metas", agora=AGORA))
    assert wb.sheetnames == ["Metas", "Filtros"]
    linhas = [r for r in wb["Filtros"].iter_rows(values_only=True) if any(r)]
    assert linhas[0] == ("Filtro", "Valor")
    assert linhas[1:4] == [
        ("Eixo", "1. Política Municipal de Assistência Social"),
        ("Ano", "2024"),
        ("Busca", "'=2+2"),
    ]
    assert linhas[4] == ("Exportado em", AGORA)
    assert linhas[5] == ("Fuso horário", "horário de Brasília")
    assert linhas[6] == ("Linhas exportadas", 8)
    celula = next(c for c in wb["Filtros"]["B"] if c.value == AGORA)
    assert celula.number_format == "dd/mm/yyyy hh:mm"


def test_xlsx_without_filters_says_so():
    wb = _ler_xlsx(to_xlsx_bytes(_df(), agora=AGORA))
    assert wb["Filtros"]["A2"].value == "Nenhum filtro aplicado"


def test_xlsx_sheet_title_is_made_valid():
    wb = _ler_xlsx(
        to_xlsx_bytes(_df(), titulo="Metas [2024]: eixo 1/2 e mais um título longo", agora=AGORA)
    )
    assert wb.sheetnames[0] == "Metas  2024   eixo 1 2 e mais u"
    assert _ler_xlsx(to_xlsx_bytes(_df(), titulo="filtros", agora=AGORA)).sheetnames == [
        "Dados",
        "Filtros",
    ]


def test_xlsx_of_an_empty_table_has_the_header():
    df = pd.DataFrame({"acao": pd.Series([], dtype="str"), "ano": pd.Series([], dtype="int64")})
    ws = _ler_xlsx(to_xlsx_bytes(df, LABELS, agora=AGORA))["Dados"]
    assert [c.value for c in ws[1]] == ["Ação", "Ano"]
    assert ws.max_row == 1


def test_xlsx_refuses_more_rows_than_excel_holds(monkeypatch):
    monkeypatch.setattr(export, "MAX_LINHAS_XLSX", 3)
    with pytest.raises(ValueError, match="mais do que o Excel aceita"):
        to_xlsx_bytes(pd.DataFrame({"a": range(4)}))


def test_xlsx_nullable_and_timezone_aware_columns():
    df = pd.DataFrame(
        {
            "n": pd.array([1, None], dtype="Int64"),
            "f": pd.array([1.5, None], dtype="Float64"),
            "quando": pd.to_datetime(["2023-11-08 14:05", None]).tz_localize("America/Sao_Paulo"),
        }
    )
    ws = _ler_xlsx(to_xlsx_bytes(df, agora=AGORA))["Dados"]
    assert [ws["A2"].value, ws["A3"].value, ws["B2"].value, ws["B3"].value] == [1, None, 1.5, None]
    assert ws["C2"].value == datetime(2023, 11, 8, 14, 5)
    assert ws["C2"].number_format == "dd/mm/yyyy hh:mm"


def _partes(dados: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(dados)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist()}


def _valores_v(xml: str, coluna: str) -> list[str]:
    """The ``<v>`` texts of a column's cells below the header, in row order."""
    return re.findall(rf'<c r="{coluna}(?:[2-9]|\d\d+)"[^>]*><v>([^<]*)</v>', xml)


def test_xlsx_is_a_well_formed_package():
    dados = to_xlsx_bytes(
        _df(), LABELS, filtros=[("Ano", "2024")], titulo="Metas 2024", agora=AGORA
    )
    with zipfile.ZipFile(io.BytesIO(dados)) as z:
        nomes = z.namelist()
    assert nomes[0] == "[Content_Types].xml"
    partes = _partes(dados)
    for xml in partes.values():
        ElementTree.fromstring(xml.encode("utf-8"))  # raises on malformed XML
    for alvo in re.findall(r'PartName="/([^"]+)"', partes["[Content_Types].xml"]):
        assert alvo in partes
    for alvo in re.findall(r'Target="([^"]+)"', partes["xl/_rels/workbook.xml.rels"]):
        assert "xl/" + alvo in partes
    # the hidden name Excel keeps for an autofilter, with the sheet name quoted
    assert ">'Metas 2024'!$A$1:$F$9</definedName>" in partes["xl/workbook.xml"]


def test_xlsx_texts_are_escaped_never_read_as_markup():
    textos = [
        "<r>Fulano & Cia</r>",
        " espaço antes",
        "espaço depois ",
        "_x000D_ literal",
        "a\x01b",
        "x" * 40_000,
        "Ação <b>&amp;</b>",
    ]
    dados = to_xlsx_bytes(pd.DataFrame({"t": textos}), agora=AGORA)
    ws = _ler_xlsx(dados)["Dados"]
    lidos = [ws.cell(row=r, column=1).value for r in range(2, 2 + len(textos))]
    assert lidos[0] == "<r>Fulano & Cia</r>"  # xlsxwriter wrote this as raw XML: a broken file
    assert lidos[1:3] == [" espaço antes", "espaço depois "]
    assert len(lidos[5]) == 32_767  # Excel's limit for a cell, as xlsxwriter cut it
    assert lidos[6] == "Ação <b>&amp;</b>"
    sst = _partes(dados)["xl/sharedStrings.xml"]
    assert "<t>_x005F_x000D_ literal</t>" in sst  # a literal escape is not read as a CR
    assert "<t>a_x0001_b</t>" in sst
    assert '<t xml:space="preserve"> espaço antes</t>' in sst
    _sem_formulas(dados)


def test_xlsx_dates_are_the_serial_numbers_xlsxwriter_writes():
    rnd = np.random.default_rng(1)
    quando = pd.Series(
        pd.to_datetime("1899-12-01")
        + pd.to_timedelta(rnd.integers(0, 130 * 365 * 86_400_000_000, 300), unit="us")
    )
    quando = pd.concat(
        [
            quando,
            pd.Series(
                pd.to_datetime(
                    [
                        "1900-01-01 00:00",
                        "1900-01-01 12:00",
                        "1900-02-28 00:00",
                        "1900-03-01 00:00",
                        "2023-11-08 14:05",
                    ]
                )
            ),
        ],
        ignore_index=True,
    )
    ref = io.BytesIO()
    wb = xlsxwriter.Workbook(ref, {"in_memory": True})
    ws = wb.add_worksheet()
    for r, v in enumerate(quando, start=1):
        ws.write_datetime(r, 0, v.to_pydatetime())
    wb.close()
    esperado = _valores_v(_sheet_xml(ref.getvalue())["xl/worksheets/sheet1.xml"], "A")
    df = pd.DataFrame({"coluna": quando, "objetos": quando.astype(object)})
    xml = _sheet_xml(to_xlsx_bytes(df, agora=AGORA))["xl/worksheets/sheet1.xml"]
    assert _valores_v(xml, "A") == esperado  # vectorised, from a datetime column
    assert _valores_v(xml, "B") == esperado  # cell by cell, from an object column
    # (xlsxwriter takes a datetime on 01/01/1900 for a time of day: 0 and 0,5)
    assert esperado[-5:] == ["0", "0.5", "59", "61", "45238.58680555555"]


def test_xlsx_written_in_blocks_is_the_same_sheet(monkeypatch):
    df = _df()
    inteiro = _sheet_xml(to_xlsx_bytes(df, LABELS, agora=AGORA))
    monkeypatch.setattr(export, "_BLOCO", 3)
    assert _sheet_xml(to_xlsx_bytes(df, LABELS, agora=AGORA)) == inteiro


def test_xlsx_object_column_of_texts_is_written_as_a_text_column():
    textos = ["=x", None, "Capacitar", "Capacitar "]
    como_str = to_xlsx_bytes(pd.DataFrame({"t": pd.Series(textos, dtype="str")}), agora=AGORA)
    como_obj = to_xlsx_bytes(pd.DataFrame({"t": pd.Series(textos, dtype=object)}), agora=AGORA)
    assert _sheet_xml(como_obj) == _sheet_xml(como_str)
    assert _partes(como_obj)["xl/sharedStrings.xml"] == _partes(como_str)["xl/sharedStrings.xml"]


def test_xlsx_number_columns_are_as_wide_as_their_longest_number():
    df = pd.DataFrame({"n": [5, -1_234_567, 12], "v": [0.5, 12_345.25, -3.0]})
    ws = _ler_xlsx(to_xlsx_bytes(df, agora=AGORA))["Dados"]
    # "-1.234.567" and "12.345,25": the text plus one, plus Excel's padding
    assert ws.column_dimensions["A"].width == pytest.approx(11.71, abs=0.01)
    assert ws.column_dimensions["B"].width == pytest.approx(10.71, abs=0.01)


def test_xlsx_of_a_frame_without_columns():
    wb = _ler_xlsx(to_xlsx_bytes(pd.DataFrame(index=range(3)), agora=AGORA))
    assert wb.sheetnames == ["Dados", "Filtros"]
    assert wb["Dados"].max_row == 1 and wb["Dados"]["A1"].value is None
    assert wb["Filtros"]["B6"].value == 3  # Linhas exportadas


# --- the blank template ---------------------------------------------------------------------


def _lista(wb: openpyxl.Workbook, referencia: str) -> list[str]:
    aba, faixa = referencia.lstrip("=").split("!")
    return [c.value for linha in wb[aba][faixa.replace("$", "")] for c in linha]


def _validacoes(wb: openpyxl.Workbook, aba: str) -> dict[str, tuple[str, list[str]]]:
    """Header of the validated column → (cell range, allowed values)."""
    ws = wb[aba]
    resultado = {}
    for dv in ws.data_validations.dataValidation:
        faixa = str(dv.sqref)
        coluna = openpyxl.utils.cell.coordinate_from_string(faixa.split(":")[0])[0]
        assert dv.type == "list"
        resultado[ws[f"{coluna}1"].value] = (faixa, _lista(wb, dv.formula1))
    return resultado


@pytest.fixture(scope="module")
def modelo() -> bytes:
    return template_xlsx_bytes(LONDRINA)  # a plan's template (the example data's plan)


def test_template_sheets(modelo):
    wb = _ler_xlsx(modelo)
    assert wb.sheetnames == [
        "Instruções",
        "Plano",
        "Metas",
        "Conferências",
        "Indicadores",
        "Deliberações",
        "Listas",
    ]
    assert wb["Listas"].sheet_state == "hidden"
    assert wb.active.title == "Instruções"
    assert set(export.ABAS_AUXILIARES) >= {"Instruções", "Listas"}


@pytest.mark.parametrize(
    "tabela", [schema.METAS, schema.CONFERENCIAS, schema.INDICADORES, schema.DELIBERACOES]
)
def test_template_headers_are_the_schema_labels_and_the_sheets_are_empty(modelo, tabela):
    ws = _ler_xlsx(modelo)[tabela.label]
    assert [c.value for c in ws[1]] == [c.label for c in tabela.columns]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 1
    assert all(
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width >= 12
        for i in range(1, len(tabela.columns) + 1)
    )


def test_template_dropdowns(modelo):
    wb = _ler_xlsx(modelo)
    eixos = [e.rotulo for e in LONDRINA.eixos]
    assert eixos[0] == "1. Política Municipal de Assistência Social"
    assert _validacoes(wb, "Metas") == {
        "Eixo": ("B2:B1000", eixos),
        "Situação": ("P2:P1000", schema.STATUS_ORDER),
        "Sentido": ("J2:J1000", ["Aumentar", "Manter", "Reduzir", "Implantar"]),
    }
    assert _validacoes(wb, "Conferências") == {
        "Tipo de evento": ("B2:B1000", ["Pré-conferência", "Conferência Municipal"]),
        "Segmento": (
            "F2:F1000",
            [
                "Usuários",
                "Trabalhadores",
                "Entidades/Prestadores",
                "Gestores/Governamentais",
                "Total",
            ],
        ),
    }
    assert _validacoes(wb, "Indicadores") == {"Eixo": ("H2:H1000", eixos)}
    assert _validacoes(wb, "Deliberações") == {
        "Âmbito": ("D2:D1000", ["Municipal", "Estadual", "Nacional"])
    }


def test_template_dropdowns_follow_the_plan():
    plano = Plano(
        "Cidade",
        "PMAS 2026-2029",
        2026,
        2029,
        (Eixo(1, "Proteção Social Básica"), Eixo(2, "Gestão do SUAS")),
    )
    wb = _ler_xlsx(template_xlsx_bytes(plano))
    assert _validacoes(wb, "Metas")["Eixo"][1] == ["1. Proteção Social Básica", "2. Gestão do SUAS"]
    instrucoes = _textos(wb["Instruções"])
    assert "de 2026 a 2029" in instrucoes
    assert "1. Proteção Social Básica" in instrucoes


def _textos(ws) -> str:
    return "\n".join(str(v) for linha in ws.iter_rows(values_only=True) for v in linha if v)


def test_template_has_no_formula_in_any_cell(modelo):
    _sem_formulas(modelo)
    for ws in _ler_xlsx(modelo):
        for linha in ws.iter_rows():
            for c in linha:
                assert c.data_type != "f", (ws.title, c.coordinate)


def test_template_instructions_explain_every_column_and_the_rules(modelo):
    ws = _ler_xlsx(modelo)["Instruções"]
    linhas = [r for r in ws.iter_rows(values_only=True)]
    texto = _textos(ws)
    for tabela in (schema.METAS, schema.CONFERENCIAS, schema.INDICADORES):
        assert f"Colunas da aba {tabela.label}" in texto
        inicio = next(i for i, r in enumerate(linhas) if r[0] == f"Colunas da aba {tabela.label}")
        cabecalho = next(i for i in range(inicio, len(linhas)) if linhas[i][0] == "Coluna")
        assert linhas[cabecalho] == (
            "Coluna",
            "Obrigatória",
            "O que significa",
            "Como preencher",
            "Exemplo",
        )
        bloco = linhas[cabecalho + 1 : cabecalho + 1 + len(tabela.columns)]
        assert [r[0] for r in bloco] == [c.label for c in tabela.columns]
        assert all(all(r[1:5]) for r in bloco)  # required?, meaning, accepted, example
    for status in schema.STATUS_ORDER:
        assert status in texto
    for sentido in schema.SENTIDOS:
        assert sentido in texto
    for trecho in (
        "Metas 2024",
        "informado na tela de importação",
        "1.234",
        "85,5%",
        "R$ 12.000,00",
    ):
        assert trecho in texto


def test_template_example_row_is_on_the_instructions_sheet(modelo):
    linhas = list(_ler_xlsx(modelo)["Instruções"].iter_rows(values_only=True))
    inicio = linhas.index(("Colunas da aba Metas", None, None, None, None))
    exemplo = {r[0]: r[4] for r in linhas[inicio + 3 : inicio + 3 + len(schema.METAS.columns)]}
    assert list(exemplo) == [c.label for c in schema.METAS.columns]
    assert exemplo["Eixo"] == "1. Política Municipal de Assistência Social"
    assert exemplo["Situação"] in schema.STATUS_ORDER
    assert exemplo["Sentido"] in schema.SENTIDOS
    assert exemplo["Ano"] == "2022"  # a year of the plan


def test_write_template(tmp_path):
    destino = write_template(tmp_path / "sub" / "modelo.xlsx")
    assert destino.read_bytes() == template_xlsx_bytes(None)  # any municipality's template


def test_blank_template_assumes_no_municipality_and_reads_its_eixos_from_the_plano_sheet():
    """Without a plan the template has a Plano sheet to fill; the eixo dropdowns read the
    eixo names typed there; nothing in it names Londrina or a fixed period."""
    wb = _ler_xlsx(template_xlsx_bytes(None))
    assert wb.sheetnames[:3] == ["Instruções", "Plano", "Metas"]
    tudo = "\n".join(_textos(ws) for ws in wb)
    assert "Londrina" not in tudo and "2022-2025" not in tudo
    assert "Lista de eixos" not in _textos(wb["Listas"])
    plano = wb["Plano"]
    rotulos = {plano.cell(r, 1).value: plano.cell(r, 2).value for r in range(4, 10)}
    assert rotulos == dict.fromkeys(
        ["Município", "UF", "Código IBGE", "Nome do plano", "Primeiro ano", "Último ano"]
    )
    for aba, coluna in (("Metas", "B"), ("Indicadores", "H")):
        dv = next(
            d for d in wb[aba].data_validations.dataValidation if str(d.sqref).startswith(coluna)
        )
        assert dv.formula1 == "'Plano'!$B$13:$B$42", aba
    assert plano["A12"].value == "Número" and plano["B12"].value == "Nome do eixo"


def test_plan_template_carries_the_plan_in_its_plano_sheet():
    plano = Plano(
        "Maringá",
        "PMAS 2026-2029",
        2026,
        2029,
        (Eixo(1, "Proteção Social Básica", "PSB", ("básica", "PSB I")), Eixo(2, "Gestão do SUAS")),
        uf="PR",
        ibge="4115200",
    )
    ws = _ler_xlsx(template_xlsx_bytes(plano))["Plano"]
    valores = [tuple(r) for r in ws.iter_rows(min_row=4, max_row=9, max_col=2, values_only=True)]
    assert valores == [
        ("Município", "Maringá"),
        ("UF", "PR"),
        ("Código IBGE", "4115200"),
        ("Nome do plano", "PMAS 2026-2029"),
        ("Primeiro ano", 2026),
        ("Último ano", 2029),
    ]
    eixos = [tuple(r) for r in ws.iter_rows(min_row=13, max_row=14, max_col=4, values_only=True)]
    assert eixos == [
        (1, "Proteção Social Básica", "PSB", "básica; PSB I"),
        (2, "Gestão do SUAS", None, None),
    ]


def _conteudo(wb: openpyxl.Workbook) -> dict:
    return {
        ws.title: (
            [tuple(r) for r in ws.iter_rows(values_only=True)],
            sorted((str(dv.sqref), dv.formula1) for dv in ws.data_validations.dataValidation),
        )
        for ws in wb
    }


def test_shipped_template_is_up_to_date():
    """data/modelo_pmas.xlsx is what ``python -m pmas.saida.modelo`` writes (any municipality's
    template, with a Plano sheet to fill); regenerate it if not."""
    enviado = _ler_xlsx(MODELO_PATH.read_bytes())
    assert _conteudo(enviado) == _conteudo(_ler_xlsx(template_xlsx_bytes(None)))


def test_instructions_sheet_is_not_taken_for_a_table(modelo):
    normalize = pytest.importorskip("pmas.entrada.normalize")
    linhas = [list(r) for r in _ler_xlsx(modelo)["Instruções"].iter_rows(values_only=True)]
    assert normalize.table_for_sheet("Instruções") is None
    assert normalize.guess_table(linhas) is None
