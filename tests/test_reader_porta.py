"""Ordinary workbooks that were refused "for safety" where nothing unsafe happens (issue #17),
and texts fixed on the way in (issue #12, items 9-11): links to another workbook, data
connections, member names with backslashes, control characters, the protective apostrophe of
this project's downloads, bidirectional characters in file names.

Every file is built in code; the hostile cases next to each (real traversal) stay refused.
"""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from pmas.entrada import reader
from pmas.entrada.findings import Rejected
from pmas.entrada.reader import read
from pmas.saida import export
from tests import corpus as C

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = b"http://schemas.openxmlformats.org/package/2006/relationships"


def _codes(workbook) -> list[str]:
    return [f.codigo for f in workbook.findings]


def _one(workbook, codigo: str):
    found = [f for f in workbook.findings if f.codigo == codigo]
    assert len(found) == 1, _codes(workbook)
    return found[0]


# --- a link to another workbook ------------------------------------------------------------------


def _linked(formulas, target: bytes = b"file:///C:/Or%C3%A7amento/receitas%202024.xlsx") -> bytes:
    """A workbook whose formulas point to another one, the way Excel saves it: an
    externalLink part with the other file's cached values, its relationship to the file, the
    workbook's <externalReferences>, and each formula's cached value in its cell."""
    rows = [["Código", "Previsto", "Realizado"], ["1.1", 10, None], ["1.2", 20, None]]
    book = C.xlsx({"Metas": rows}, formulas={"Metas": formulas})
    link = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<externalLink xmlns="' + MAIN + b'" xmlns:r="' + REL + b'">'
        b'<externalBook r:id="rId1"><sheetNames><sheetName val="Receitas"/></sheetNames>'
        b'<sheetDataSet><sheetData sheetId="0"><row r="4"><cell r="B4"><v>33</v></cell></row>'
        b"</sheetData></sheetDataSet></externalBook></externalLink>"
    )
    link_rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="' + PKG + b'"><Relationship Id="rId1" Type="' + REL + b"/"
        b'externalLinkPath" Target="' + target + b'" TargetMode="External"/></Relationships>'
    )

    def workbook(xml: bytes) -> bytes:
        return xml.replace(
            b"</sheets>",
            b'</sheets><externalReferences><externalReference r:id="rId99"/></externalReferences>',
        )

    def workbook_rels(xml: bytes) -> bytes:
        return xml.replace(
            b"</Relationships>",
            b'<Relationship Id="rId99" Type="' + REL + b'/externalLink" '
            b'Target="externalLinks/externalLink1.xml"/></Relationships>',
        )

    def content_types(xml: bytes) -> bytes:
        return xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
        )

    return C.rewrite(
        book,
        {
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": workbook_rels,
            "[Content_Types].xml": content_types,
        },
        add={
            "xl/externalLinks/externalLink1.xml": link,
            "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels,
        },
    )


def test_a_link_to_another_workbook_is_read_as_last_saved_naming_the_cells():
    book = _linked([("C2", "[1]Receitas!B4", 33), ("C3", "'[1]Plano 2024'!C9*2", 12)])
    wb = read(book, "plano.xlsx")
    assert wb.sheets[0].rows == [
        ["Código", "Previsto", "Realizado"],
        ["1.1", 10, 33],
        ["1.2", 20, 12],
    ]
    aviso = _one(wb, "vinculo_valores")
    assert aviso.nivel == "aviso" and aviso.aba == "Metas"
    assert "C2, C3" in aviso.mensagem
    assert "“receitas 2024.xlsx”" in aviso.mensagem  # the file's name, not its folder
    assert "C:" not in aviso.mensagem and "Orçamento" not in aviso.mensagem
    assert "desatualizados" in aviso.mensagem


def test_a_link_whose_cells_are_not_found_still_says_values_are_as_saved():
    book = _linked([])  # the link part is there, no formula uses it any more
    wb = read(book, "plano.xlsx")
    aviso = _one(wb, "vinculo_sem_celulas")
    assert "“receitas 2024.xlsx”" in aviso.mensagem


def test_formulas_inside_the_workbook_are_not_mistaken_for_links():
    book = _linked([("C2", "B2*2", 20), ("C3", "SUM(Tabela1[Previsto])", 30)])
    wb = read(book, "plano.xlsx")
    assert "vinculo_valores" not in _codes(wb)


def test_many_linked_cells_are_listed_then_counted():
    formulas = [(f"D{r}", f"[1]Receitas!B{r}", r) for r in range(1, 31)]
    wb = read(_linked(formulas), "plano.xlsx")
    aviso = _one(wb, "vinculo_valores")
    assert "D1, D2" in aviso.mensagem and "D20" in aviso.mensagem and "D21," not in aviso.mensagem
    assert "e mais 10" in aviso.mensagem


def test_the_linked_file_name_is_shown_without_bidi_or_control_characters():
    book = _linked([("C2", "[1]Receitas!B4", 33)], target=b"receitas%E2%80%AExslx.exe")
    aviso = _one(read(book, "plano.xlsx"), "vinculo_valores")
    assert "“receitasxslx.exe”" in aviso.mensagem and "\u202e" not in aviso.mensagem


# --- data connections -----------------------------------------------------------------------------

POWER_QUERY = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<connections xmlns="' + MAIN + b'"><connection id="1" keepAlive="1" '
    b'name="Consulta - Metas 2024" description="Conex\xc3\xa3o com a consulta" type="5" '
    b'refreshedVersion="8" background="1" saveData="1"><dbPr connection="Provider=Microsoft.'
    b"Mashup.OleDb.1;Data Source=$Workbook$;Location=&quot;Metas 2024&quot;;Extended "
    b'Properties=&quot;&quot;" command="SELECT * FROM [Metas 2024]"/></connection>'
    b"</connections>"
)


def test_an_internal_power_query_connection_is_accepted_with_an_aviso():
    book = C.rewrite(C.xlsx(), add={"xl/connections.xml": POWER_QUERY})
    wb = read(book, "plano.xlsx")
    assert wb.sheets[0].rows == read(C.xlsx(), "plano.xlsx").sheets[0].rows
    aviso = _one(wb, "conexao_dados")
    assert aviso.nivel == "aviso"
    assert "“Consulta - Metas 2024”" in aviso.mensagem
    assert "não são executadas" in aviso.mensagem


def _connections(*connections: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><connections xmlns="'
        + MAIN
        + b'">'
        + b"".join(connections)
        + b"</connections>"
    )


DATA_MODEL = (
    b'<connection id="2" name="ThisWorkbookDataModel" description="Modelo de dados" type="5" '
    b'refreshedVersion="8" background="1"><dbPr connection="Data Model Connection" '
    b'command="Model" commandType="1"/><olapPr sendLocale="1" rowDrillCount="1000"/>'
    b"</connection>"
)
ODBC = (
    b'<connection id="3" name="Cadastro (ODBC)" type="1" refreshedVersion="8" saveData="1">'
    b'<dbPr connection="DSN=CadUnico;UID=leitura;" command="SELECT * FROM familias"/>'
    b"</connection>"
)
OLEDB_SERVER = (
    b'<connection id="4" name="SQL Server SMAS" type="5" refreshedVersion="8" saveData="1">'
    b'<dbPr connection="Provider=SQLOLEDB.1;Integrated Security=SSPI;Data Source=10.0.0.5;'
    b'Initial Catalog=suas" command="metas" commandType="3"/></connection>'
)
WEB_QUERY = (
    b'<connection id="5" name="Consulta web" type="4" refreshedVersion="8" saveData="1">'
    b'<webPr sourceData="1" parsePre="1" url="https://exemplo.gov.br/metas.html"/>'
    b"</connection>"
)
TEXT_FILE = (
    b'<connection id="6" name="metas.csv" type="6" refreshedVersion="8">'
    b'<textPr sourceFile="C:\\Dados\\metas.csv" delimited="1" semicolon="1"/></connection>'
)
# Power Query over an outside source is still an OLE DB mashup, but its source is not the workbook
MASHUP_OUTSIDE = (
    b'<connection id="7" name="Consulta - Banco" type="5" refreshedVersion="8">'
    b'<dbPr connection="Provider=Microsoft.Mashup.OleDb.1;Data Source=\\\\srv\\x.accdb"'
    b' command="SELECT 1"/></connection>'
)


def test_the_workbooks_own_data_model_is_internal_too():
    connection = POWER_QUERY.split(b'">', 1)[1].replace(b"</connections>", b"")
    book = C.rewrite(C.xlsx(), add={"xl/connections.xml": _connections(connection, DATA_MODEL)})
    aviso = _one(read(book, "plano.xlsx"), "conexao_dados")
    assert "“Consulta - Metas 2024”, “ThisWorkbookDataModel”" in aviso.mensagem


@pytest.mark.parametrize(
    "connection,name",
    [
        (ODBC, "Cadastro (ODBC)"),
        (OLEDB_SERVER, "SQL Server SMAS"),
        (WEB_QUERY, "Consulta web"),
        (TEXT_FILE, "metas.csv"),
        (MASHUP_OUTSIDE, "Consulta - Banco"),
    ],
)
def test_an_external_data_connection_is_refused_with_its_name(connection, name):
    # beside an internal one, which alone would be accepted
    book = C.rewrite(C.xlsx(), add={"xl/connections.xml": _connections(DATA_MODEL, connection)})
    with pytest.raises(Rejected) as exc:
        read(book, "plano.xlsx")
    (f,) = exc.value.findings
    assert (f.codigo, f.nivel) == ("conexao_externa", "erro")
    assert f"“{name}”" in f.mensagem and "ThisWorkbookDataModel" not in f.mensagem
    assert "fora dele" in f.mensagem and "cole como valores" in f.acao


def test_an_unreadable_connection_part_is_refused():
    book = C.rewrite(C.xlsx(), add={"xl/connections.xml": b"<connections><connection"})
    with pytest.raises(Rejected) as exc:
        read(book, "plano.xlsx")
    assert exc.value.findings[0].codigo in ("conexao_externa", "xml_invalido", "arquivo_corrompido")


def test_a_connection_part_with_a_dtd_is_still_refused():
    hostile = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><connections/>'
    book = C.rewrite(C.xlsx(), add={"xl/connections.xml": hostile})
    with pytest.raises(Rejected) as exc:
        read(book, "plano.xlsx")
    assert exc.value.findings[0].codigo == "xml_dtd"


# --- member names with backslashes ----------------------------------------------------------------


def _backslashed(data: bytes, rename=lambda n: n.replace("/", "\\")) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    members = [
        (rename(i.filename), C.deflated(src.read(i)), zipfile.ZIP_DEFLATED, i.file_size, i.CRC)
        for i in src.infolist()
    ]
    return C.raw_zip(members)


def test_member_names_with_backslashes_are_read():
    book = C.xlsx({"Metas": [C.GOAL_HEADER] + C.goal_rows(5)})
    odd = _backslashed(book)
    assert any("\\" in n for n in zipfile.ZipFile(io.BytesIO(odd)).namelist())
    assert read(odd, "plano.xlsx").sheets[0].rows == read(book, "plano.xlsx").sheets[0].rows


@pytest.mark.parametrize(
    "name",
    ["xl\\..\\..\\x.xml", "..\\x.xml", "\\etc\\passwd", "C:\\Windows\\win.ini", "xl\\a\\..\\..\\b"],
)
def test_backslashes_do_not_let_a_name_leave_the_package(name):
    book = _backslashed(C.xlsx(), rename=lambda n: name if n == C.SHEET1 else n)
    with pytest.raises(Rejected) as exc:
        read(book, "plano.xlsx")
    assert exc.value.findings[0].codigo == "zip_caminho"


def test_the_same_part_under_both_slashes_is_refused():
    book = C.xlsx()
    src = zipfile.ZipFile(io.BytesIO(book))
    members = [
        (i.filename, C.deflated(src.read(i)), zipfile.ZIP_DEFLATED, i.file_size, i.CRC)
        for i in src.infolist()
    ]
    sheet = next(m for m in members if m[0] == C.SHEET1)
    twin = (sheet[0].replace("/", "\\"),) + sheet[1:]
    with pytest.raises(Rejected) as exc:
        read(C.raw_zip(members + [twin]), "plano.xlsx")
    assert exc.value.findings[0].codigo == "zip_caminho"


# --- control characters ---------------------------------------------------------------------------


def test_control_characters_are_removed_with_an_aviso_naming_the_cells():
    rows = [
        ["Código", "Ação", "Meta"],
        ["1.1", "Ampliar\x01 o CRAS", "Meta\x1b A"],
        ["1.2", "Texto\tcom tabulação\ne quebra", "ok"],
    ]
    wb = read(C.xlsx({"Metas": rows}), "plano.xlsx")
    assert wb.sheets[0].rows[1] == ["1.1", "Ampliar o CRAS", "Meta A"]
    assert wb.sheets[0].rows[2] == rows[2]  # tab and line break stay
    aviso = _one(wb, "caracteres_controle")
    assert aviso.nivel == "aviso" and "B2, C2" in aviso.mensagem and "2 célula" in aviso.mensagem


def test_control_characters_in_a_csv_are_removed_too():
    # (one control character among many ordinary ones: a file mostly of them is binary junk)
    text = "Código;Ação\r\n1.1;Ampliar\x02 o CRAS\r\n" + "1.2;Manter o serviço\r\n" * 20
    wb = read(text.encode("utf-8"), "plano.csv")
    assert wb.sheets[0].rows[1] == ["1.1", "Ampliar o CRAS"]
    assert "B2" in _one(wb, "caracteres_controle").mensagem


def test_a_cell_of_only_control_characters_becomes_empty():
    wb = read(C.xlsx({"Metas": [["a", "\x01\x02"]]}), "plano.xlsx")
    assert wb.sheets[0].rows == [["a", None]]


def test_clean_texts_make_no_aviso():
    wb = read(C.xlsx({"Metas": [C.GOAL_HEADER] + C.goal_rows(20)}), "plano.xlsx")
    assert not {"caracteres_controle", "apostrofo_protecao"} & set(_codes(wb))


def _sheet_named(name: bytes, *others: str) -> bytes:
    """A workbook whose first sheet's name in workbook.xml is ``name`` (bytes as written)."""
    sheets = {"Metas": [C.GOAL_HEADER] + C.goal_rows(3), **{o: [["a"]] for o in others}}
    return C.rewrite(
        C.xlsx(sheets),
        replace={"xl/workbook.xml": lambda x: x.replace(b'name="Metas"', b'name="' + name + b'"')},
    )


@pytest.mark.parametrize(
    "written", [b"Metas&#x1;&#27; 2023", b"Metas\x02 2023", b"Metas&#31; 2023"]
)
def test_control_characters_in_a_sheet_name_are_removed_with_an_aviso_naming_it(written):
    wb = read(_sheet_named(written), "plano.xlsx")
    assert [s.name for s in wb.sheets] == ["Metas 2023"]
    assert wb.sheets[0].rows[0] == C.GOAL_HEADER
    aviso = _one(wb, "aba_caracteres_controle")
    assert aviso.nivel == "aviso" and aviso.aba == "Metas 2023"
    assert "“Metas 2023”" in aviso.mensagem and "removidos" in aviso.mensagem


def test_a_sheet_name_of_control_characters_only_or_clashing_gets_a_name_of_its_own():
    assert [s.name for s in read(_sheet_named(b"&#x1;&#x2;"), "p.xlsx").sheets] == ["Aba 1"]
    wb = read(_sheet_named(b"Dados&#x7;", "Dados"), "p.xlsx")
    assert [s.name for s in wb.sheets] == ["Dados (2)", "Dados"]


def test_a_sheet_name_with_control_characters_imports_with_the_finding(store, plano):
    from pmas.entrada.pipeline import import_file

    rows = [["Código", "Eixo", "Ação", "Situação", "Ano"]] + [
        [f"1.{i}", plano.eixos[0].nome, f"Ação {i}", "Realizada", 2023] for i in range(1, 4)
    ]
    book = C.rewrite(
        C.xlsx({"Metas": rows}),
        replace={"xl/workbook.xml": lambda x: x.replace(b'"Metas"', b'"Me&#x1b;tas"')},
    )
    r = import_file(store, book, "metas.xlsx", plano, usuario="teste")
    assert r.situacao == "importado", [f.mensagem for f in r.analysis.findings]
    (f,) = [f for f in r.analysis.findings if f.codigo == "aba_caracteres_controle"]
    assert f.aba == "Metas"
    assert all("\x1b" not in (x.aba or "") + x.mensagem for x in r.analysis.findings)


# --- the protective apostrophe of this project's downloads ----------------------------------------


def test_the_protective_apostrophe_round_trips_through_the_csv_download():
    frame = pd.DataFrame({"codigo": ["-5", "1.2", "=SOMA(A1)"], "descricao": ["a", "+b", "c"]})
    data = export.to_csv_bytes(frame)
    assert "'-5" in data.decode("utf-8-sig")  # the download protects it
    wb = read(data, "baixado.csv")
    values = wb.sheets[0].rows[1:]
    assert [r[0] for r in values] == ["-5", "1.2", "=SOMA(A1)"]
    assert [r[1] for r in values] == ["a", "+b", "c"]
    aviso = _one(wb, "apostrofo_protecao")
    assert "3 célula" in aviso.mensagem and "A2" in aviso.mensagem and "B3" in aviso.mensagem


def test_the_protective_apostrophe_round_trips_through_the_xlsx_download():
    frame = pd.DataFrame({"codigo": ["-5", "7"], "meta": ["@x", "y"]})
    wb = read(export.to_xlsx_bytes(frame), "baixado.xlsx")
    rows = wb.sheets[0].rows
    assert [r[0] for r in rows[1:3]] == ["-5", "7"] and rows[1][1] == "@x"
    aviso = _one(wb, "apostrofo_protecao")
    assert aviso.aba == wb.sheets[0].name and "A2" in aviso.mensagem and "B2" in aviso.mensagem


def test_an_apostrophe_before_ordinary_text_is_kept():
    wb = read(C.xlsx({"Metas": [["'Bolsa' família", "'5"]]}), "plano.xlsx")
    assert wb.sheets[0].rows == [["'Bolsa' família", "'5"]]
    assert "apostrofo_protecao" not in _codes(wb)


def test_the_reader_knows_the_same_triggers_as_the_export():
    assert reader.GATILHOS == export.GATILHOS


# --- file names shown -------------------------------------------------------------------------------


def test_bidi_and_control_characters_leave_the_file_name_shown_and_stored(store, plano):
    from pmas.entrada import pipeline

    name = "metas\u202exslx.exe\x07"
    book = C.xlsx({"Metas": [C.GOAL_HEADER] + C.goal_rows(3)})
    analysis = pipeline.analyse(book, name, plano, 2024)
    assert analysis.filename == "metasxslx.exe"


# --- a sheet past the row cap, refused before it is inflated whole ---------------------------------


def _long_sheet(rows: int, dimension: bytes) -> bytes:
    body = b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r) for r in range(1, rows)
    )
    xml = C.sheet_xml(body).replace(b"<sheetData>", b'<dimension ref="%s"/><sheetData>' % dimension)
    return C.rewrite(C.xlsx({"Metas": [["x"]]}), {C.SHEET1: xml})


def test_a_300_000_row_sheet_is_refused_by_its_row_count_before_it_is_inflated_whole():
    import tracemalloc

    book = _long_sheet(300_001, b"A1:A300000")
    inflated = zipfile.ZipFile(io.BytesIO(book)).getinfo(C.SHEET1).file_size
    assert inflated > 12 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(Rejected) as exc:
            read(book, "grande.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    f = exc.value.findings[0]
    assert (f.codigo, f.aba) == ("linhas_demais", "Metas") and "100.000" in f.mensagem
    # never the whole sheet in memory (before, the sheet plus the scan's arrays: several times
    # its size), only a few chunks of it
    assert peak < inflated * 0.6, (peak, inflated)


def test_a_stale_dimension_past_the_cap_does_not_refuse_a_short_sheet():
    book = _long_sheet(90_000, b"A1:A900000")  # says 900.000 rows, holds 90.000
    assert len(read(book, "p.xlsx").sheets[0].rows) == 89_999
