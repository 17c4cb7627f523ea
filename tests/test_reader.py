"""The reader: every bad or tricky file gets its exact finding code and a Portuguese message that
names the problem; bombs stay bounded in time and memory; good files arrive whole.

Every input is built in code (tests/corpus.py).
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile

import pytest

from pmas.entrada import reader
from pmas.entrada.findings import ERRO, Rejected
from pmas.entrada.reader import Limits, read
from tests import corpus as C

SMALL = Limits(max_rows=100, max_cols=20, max_merges=10, max_cell_chars=50)
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def rejected(data: bytes, limits: Limits = reader.DEFAULT_LIMITS, filename: str = "plano.xlsx"):
    with pytest.raises(Rejected) as exc:
        read(data, filename, limits)
    return exc.value.findings


def _members(count: int) -> bytes:
    return C.rewrite(C.xlsx(), add={f"xl/media/image{i}.png": b"x" for i in range(count)})


def _member_named(name: str) -> bytes:
    book = C.xlsx()
    src = zipfile.ZipFile(io.BytesIO(book))
    honest = [
        (i.filename, C.deflated(src.read(i)), zipfile.ZIP_DEFLATED, i.file_size, i.CRC)
        for i in src.infolist()
    ]
    return C.raw_zip(honest + [(name, b"x", zipfile.ZIP_STORED, 1, 0x8CDC1683)])


def _part_ratio() -> bytes:
    """One 4 MiB part of zeros (ratio ~1000) in a file whose overall ratio stays low."""
    zeros = C.zeros_deflated(4)
    noise = random.Random(5).randbytes(100_000)
    return C.with_members(
        C.xlsx(),
        [
            ("xl/media/ruido.bin", noise, zipfile.ZIP_STORED, len(noise), reader.zlib.crc32(noise)),
            (
                "xl/media/zeros.bin",
                zeros,
                zipfile.ZIP_DEFLATED,
                4 << 20,
                reader.zlib.crc32(b"\0" * (4 << 20)),
            ),
        ],
    )


def _damaged() -> bytes:
    book = C.xlsx()
    src = zipfile.ZipFile(io.BytesIO(book))
    members = []
    for i in src.infolist():
        body = C.deflated(src.read(i))
        if i.filename == C.SHEET1:
            body = b"\xff\xfe\xfd" + body[3:]  # not a deflate stream any more
        members.append((i.filename, body, zipfile.ZIP_DEFLATED, i.file_size, i.CRC))
    return C.raw_zip(members)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]><worksheet "
    + NS
    + b'><sheetData><row r="1"><c r="A1" t="inlineStr">'
    b"<is><t>&lol9;</t></is></c></row></sheetData></worksheet>"
)
XXE_BOOK = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<workbook " + NS + b'><sheets><sheet name="&xxe;" sheetId="1" r:id="rId1" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
    b"</sheets></workbook>"
)


def _cells(*refs: str) -> bytes:
    return b"".join(b'<row><c r="%s" t="n"><v>1</v></c></row>' % r.encode() for r in refs)


# id → (builder, code, a word the message must contain, limits)
REJECTED = {
    # the file as a whole
    "vazio": (lambda: b"", "arquivo_vazio", "vazio", None),
    "grande_demais": (
        lambda: b"Eixo;A\xe7\xe3o\r\n" * 1_100_000,
        "arquivo_grande",
        "11,5 MB",
        None,
    ),
    "docx_renomeado": (C.docx, "formato_desconhecido", "planilha", None),
    "ods_renomeado": (C.ods, "formato_desconhecido", "planilha", None),
    "zip_qualquer": (
        lambda: C.zip_of({"leia-me.txt": b"oi"}),
        "formato_desconhecido",
        "planilha",
        None,
    ),
    "pdf_renomeado": (lambda: C.PDF, "formato_desconhecido", "planilha", None),
    "png_renomeado": (lambda: C.PNG, "formato_desconhecido", "planilha", None),
    "lixo_binario": (C.junk, "formato_desconhecido", "planilha", None),
    "lixo_sem_nul": (
        lambda: C.junk(8000).replace(b"\0", b"\x01"),
        "formato_desconhecido",
        "planilha",
        None,
    ),
    "html_como_xls": (
        lambda: (
            b"<html><body><table><tr><td>Eixo</td><td>A\xe7\xe3o</td></tr></table></body></html>"
        ),
        "formato_desconhecido",
        "planilha",
        None,
    ),
    "xls_legado": (lambda: C.ole("Workbook"), "xls_legado", ".xls", None),
    "criptografado": (
        lambda: C.ole("EncryptionInfo", "EncryptedPackage"),
        "arquivo_criptografado",
        "senha",
        None,
    ),
    "truncado": (lambda: C.xlsx()[: len(C.xlsx()) // 2], "arquivo_corrompido", "corrompido", None),
    "parte_danificada": (_damaged, "arquivo_corrompido", "xl/worksheets/sheet1.xml", None),
    "parte_em_utf16": (
        lambda: C.rewrite(C.xlsx(), {C.SHEET1: lambda b: b.decode().encode("utf-16")}),
        "arquivo_corrompido",
        "UTF-8",
        None,
    ),
    # the zip directory
    "membros_demais": (lambda: _members(1000), "zip_membros", "partes internas demais", None),
    "caminho_pai": (
        lambda: _member_named("../../etc/cron.d/pmas"),
        "zip_caminho",
        "../../etc/cron.d/pmas",
        None,
    ),
    "caminho_absoluto": (lambda: _member_named("/etc/passwd"), "zip_caminho", "/etc/passwd", None),
    "barra_invertida": (
        lambda: _member_named("xl\\..\\..\\x.xml"),
        "zip_caminho",
        "inválido",
        None,
    ),
    "barra_invertida_absoluta": (
        lambda: _member_named("\\etc\\passwd"),
        "zip_caminho",
        "inválido",
        None,
    ),
    "unidade_com_barra_invertida": (
        lambda: _member_named("C:\\Windows\\win.ini"),
        "zip_caminho",
        "inválido",
        None,
    ),
    "letra_de_unidade": (
        lambda: _member_named("C:/Windows/win.ini"),
        "zip_caminho",
        "C:/Windows",
        None,
    ),
    "nome_repetido": (lambda: _member_named("xl/workbook.xml"), "zip_caminho", "repetido", None),
    "bomba_declarada": (lambda: C.zip_bomb(), "zip_expansao", "1 GB", None),
    "bomba_mentirosa": (C.lying_bomb, "zip_expansao", "tamanho declarado", None),
    "parte_que_cresce": (_part_ratio, "zip_expansao", "cresce", None),
    "descompactado_demais": (
        lambda: C.xlsx({"Metas": C.goal_rows(20_000)}),
        "zip_expansao",
        "descompactados",
        Limits(max_uncompressed=1 << 20),
    ),
    # XML that is never parsed
    "billion_laughs_na_aba": (
        lambda: C.rewrite(C.xlsx(), {C.SHEET1: BILLION_LAUGHS}),
        "xml_dtd",
        "xl/worksheets/sheet1.xml",
        None,
    ),
    "xxe_na_pasta": (
        lambda: C.rewrite(C.xlsx(), {"xl/workbook.xml": XXE_BOOK}),
        "xml_dtd",
        "xl/workbook.xml",
        None,
    ),
    "entidade_nos_textos": (
        lambda: C.rewrite(
            C.xlsx(),
            {
                "xl/sharedStrings.xml": lambda b: b.replace(
                    b"?>", b'?><!DOCTYPE sst [<!ENTITY e "x">]>', 1
                )
            },
        ),
        "xml_dtd",
        "xl/sharedStrings.xml",
        None,
    ),
    "dtd_em_parte_utf16": (
        lambda: C.rewrite(
            C.xlsx(),
            add={
                "customXml/item1.xml": (
                    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>'.encode(
                        "utf-16"
                    )
                )
            },
        ),
        "xml_dtd",
        "customXml/item1.xml",
        None,
    ),
    "doctype_minusculo": (
        lambda: C.rewrite(
            C.xlsx(), {C.SHEET1: lambda b: b.replace(b"?>", b"?><!doctype worksheet>", 1)}
        ),
        "xml_dtd",
        "DTD",
        None,
    ),
    # content that is not accepted
    "macros_vba": (
        lambda: C.rewrite(C.xlsx(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
        "macros",
        "macros",
        None,
    ),
    "xlsm_tipo_de_conteudo": (
        lambda: C.rewrite(
            C.xlsx(),
            {
                "[Content_Types].xml": lambda b: b.replace(
                    b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
                )
            },
        ),
        "macros",
        "VBA",
        None,
    ),
    "folha_de_macro": (
        lambda: C.rewrite(C.xlsx(), add={"xl/macrosheets/sheet1.xml": b"<x/>"}),
        "macros",
        "macros",
        None,
    ),
    # where the cells are (calamine would allocate the whole area, or abort the process)
    "linhas_demais": (lambda: C.xlsx({"Metas": C.goal_rows(150)}), "linhas_demais", "100", SMALL),
    "linha_distante": (
        lambda: C.with_sheet(_cells("A1", "A100001")),
        "linhas_demais",
        "100.000",
        None,
    ),
    "colunas_demais": (lambda: C.with_sheet(_cells("A1", "GS1")), "colunas_demais", "200", None),
    "celula_em_XFD1": (
        lambda: C.with_sheet(_cells("A1", "XFD1")),
        "colunas_demais",
        "colunas",
        None,
    ),
    "celula_no_fim_da_planilha": (
        lambda: C.with_sheet(_cells("A1", "XFD1048576")),
        "linhas_demais",
        "linhas",
        None,
    ),
    "referencia_com_espacos_e_aspas": (
        lambda: C.with_sheet(b"<row><c r = 'XFD1' t='n'><v>1</v></c></row>"),
        "colunas_demais",
        "colunas",
        None,
    ),
    "referencia_minuscula": (
        lambda: C.with_sheet(_cells("a1", "xfd1")),
        "colunas_demais",
        "colunas",
        None,
    ),
    "referencia_nao_primeira": (
        lambda: C.with_sheet(b'<row r="1"><c t="n" r="XFD1"><v>1</v></c></row>'),
        "colunas_demais",
        "colunas",
        None,
    ),
    "maior_que_dentro_de_atributo": (
        lambda: C.with_sheet(b'<row r="1"><c foo=">" r="XFD1048576"><v>1</v></c></row>'),
        "linhas_demais",
        "linhas",
        None,
    ),
    "referencia_repetida": (
        lambda: C.with_sheet(b'<row r="1"><c r="A1" r="XFD1"><v>1</v></c></row>'),
        "colunas_demais",
        "colunas",
        None,
    ),
    "referencia_falsa_dentro_de_valor": (
        lambda: C.with_sheet(b'<row r="1"><c foo=\' r="A1"\' r="XFD1"><v>1</v></c></row>'),
        "colunas_demais",
        "colunas",
        None,
    ),
    "linha_falsa_em_comentario": (
        lambda: C.with_sheet(
            b'<row r="1"><c r="A1"><v>1</v></c></row><row r="100001"><c s="1"/></row>'
            b'<!-- <row r="1"> --><c t="n"><v>2</v></c>'
        ),
        "linhas_demais",
        "linhas",
        None,
    ),
    "linha_falsa_em_atributo": (
        lambda: C.with_sheet(
            b'<row r="1"><c r="A1"><v>1</v></c></row><row r="100001"><c s="1"/></row>'
            b'<x foo=\'<row r="1">\'/><c t="n"><v>2</v></c>'
        ),
        "linhas_demais",
        "linhas",
        None,
    ),
    "linha_falsa_em_valor_com_maior_que": (
        lambda: C.with_sheet(
            b'<row r="1"><c r="A1"><v>1</v></c></row><row r="100001"><c s="1"/></row>'
            b'<x foo="><row r=\'1\'>"/><c t="n"><v>2</v></c>'
        ),
        "linhas_demais",
        "linhas",
        None,
    ),
    "aspas_abertas_em_outro_elemento": (
        lambda: C.with_sheet(
            b'<row r="1"><c r="A1"><v>1</v></c><c foo="<x a=\'" r="XFD1"><v>1</v></c></row>'
        ),
        "colunas_demais",
        "colunas",
        None,
    ),
    "celula_com_prefixo": (
        lambda: C.with_sheet(
            b'<row r="1"><c r="A1"><v>1</v></c><y:c xmlns:y="urn:y" r="XFD1"><y:v>1</y:v></y:c>'
            b"</row>"
        ),
        "colunas_demais",
        "colunas",
        None,
    ),
    "celulas_sem_referencia": (
        lambda: C.with_sheet(b'<row r="1">' + b'<c t="n"><v>1</v></c>' * 300 + b"</row>"),
        "colunas_demais",
        "colunas",
        None,
    ),
    "linhas_sem_referencia": (
        lambda: C.with_sheet(b'<row><c t="n"><v>1</v></c></row>' * 150),
        "linhas_demais",
        "linhas",
        SMALL,
    ),
    "area_grande": (
        lambda: C.with_sheet(_cells("A1", "GR100000")),
        "celulas_demais",
        "100.000 linhas × 200 colunas",
        None,
    ),
    "mescladas_demais": (
        lambda: C.xlsx(
            {"Metas": [["x"] * 2] * 30},
            merges={"Metas": [(f"A{r}:B{r}", "x") for r in range(1, 12)]},
        ),
        "mescladas_demais",
        "mescladas",
        SMALL,
    ),
    "celula_longa": (
        lambda: C.xlsx({"Metas": [["x"]] * 11 + [["a", "b", "z" * 51]]}),
        "celula_longa",
        "coluna C",
        SMALL,
    ),
    # csv
    "csv_codificacao": (
        lambda: b"Eixo;A\xc3\xa7\xc3\x81\x8d\r\n",
        "csv_codificacao",
        "codificação",
        None,
    ),
    "csv_separador_barra": (
        lambda: b"Eixo|Acao|Situacao\nGestao|Capacitar|Realizada\n",
        "csv_separador",
        "separador",
        None,
    ),
    "csv_colunas_variam": (
        lambda: b"a;b;c\n1;2\n1;2;3;4\n1\n1;2;3;4;5\n1;2\n",
        "csv_separador",
        "varia",
        None,
    ),
    "csv_linhas_demais": (lambda: b"a;b\n" * 101, "linhas_demais", "100", SMALL),
    "csv_colunas_demais": (
        lambda: (";".join(["x"] * 21) + "\n").encode() * 2,
        "colunas_demais",
        "20",
        SMALL,
    ),
    "csv_celula_longa": (
        lambda: b"a;b;c\n1;2;" + b"z" * 51 + b"\n",
        "celula_longa",
        "linha 2",
        SMALL,
    ),
    "csv_celula_gigante": (
        lambda: b"a;b\n1;" + b"z" * 200_000 + b"\n",
        "celula_longa",
        "coluna B",
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_bad_input_is_rejected_with_the_exact_code(case):
    build, code, word, limits = REJECTED[case]
    # a CSV problem is told of a file named .csv: named .xlsx, text that is no CSV is "not a
    # valid Excel file" (tests/test_miudezas.py)
    filename = "plano.csv" if code.startswith("csv_") else "plano.xlsx"
    findings = rejected(build(), limits or reader.DEFAULT_LIMITS, filename)
    first = findings[0]
    assert first.codigo == code, [f"{f.codigo}: {f.mensagem}" for f in findings]
    assert first.nivel == ERRO
    assert word in first.mensagem, first.mensagem
    assert first.acao  # says what to do


def test_there_are_at_least_forty_bad_inputs():
    assert len(REJECTED) >= 40


# --- bombs: bounded time and memory ---------------------------------------------------------------


@pytest.fixture(scope="module")
def limitado():
    """The reader in the analysis child (pmas.entrada.isolado) under a memory limit of 300 MB
    over the warm worker, calamine's allocations included (the process's address space, which
    tracemalloc cannot see), and a CPU limit a hang cannot pass. How fast each bomb is refused
    is measured by benchmarks/bench_hostis.py, not here."""
    from pmas.entrada.isolado import Analisador, Limites

    a = Analisador(Limites(cpu_s=20, parede_s=60.0, memoria_mb=300), alvo="tests.hostis:le")
    yield a
    a.parar()


def _bounded(limitado, data: bytes) -> list:
    from pmas.entrada.isolado import Interrompida

    findings = limitado.analisar(data, "plano.xlsx")
    assert not isinstance(findings, Interrompida), findings.achado.mensagem
    assert findings, "the file was read, not refused"
    return findings


def test_zip_bomb_is_refused_without_inflating_it(limitado):
    bomb = C.zip_bomb()
    assert 0.9e6 < len(bomb) < 1.3e6
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) > 1024**3
    findings = _bounded(limitado, bomb)
    assert findings[0].codigo == "zip_expansao"
    assert "1 GB" in findings[0].mensagem and "1 MB" in findings[0].mensagem


def test_a_part_that_lies_about_its_size_stops_at_the_declared_size(limitado):
    findings = _bounded(limitado, C.lying_bomb())
    assert findings[0].codigo == "zip_expansao"
    assert "xl/worksheets/sheet1.xml" in findings[0].mensagem


def test_a_cell_at_the_end_of_the_sheet_is_refused_before_calamine_allocates(limitado):
    # calamine would allocate 17 billion cells and abort the whole process
    findings = _bounded(limitado, C.with_sheet(_cells("A1", "XFD1048576")))
    assert findings[0].codigo == "linhas_demais"


def test_billion_laughs_is_refused_without_expanding_entities(limitado):
    findings = _bounded(limitado, C.rewrite(C.xlsx(), {C.SHEET1: BILLION_LAUGHS}))
    assert findings[0].codigo == "xml_dtd"


# --- layout and caps --------------------------------------------------------------------------------


def test_stale_dimension_does_not_truncate_rows():
    rows = [["Eixo", "Ação"]] + [[f"Eixo {i % 5}", f"Ação {i}"] for i in range(1, 5000)]
    book = C.rewrite(
        C.xlsx({"Metas": rows}),
        {
            C.SHEET1: lambda b: b.replace(
                b'<dimension ref="A1:B5000"/>', b'<dimension ref="A1:B2"/>'
            )
        },
    )
    assert b'<dimension ref="A1:B2"/>' in C.part(book)
    sheet = read(book, "plano.xlsx").sheets[0]
    assert len(sheet.rows) == 5000
    assert sheet.rows[-1] == ["Eixo 4", "Ação 4999"]


def test_whole_sheet_merge_passes_through_clipped_and_fast():
    book = C.rewrite(
        C.xlsx({"Metas": [["Eixo", "Ação"], ["Gestão", "x"], [None, "y"]]}),
        {
            C.SHEET1: lambda b: b.replace(
                b"</sheetData>",
                b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
            )
        },
    )
    sheet = read(book, "plano.xlsx").sheets[0]  # clipped, never expanded to 17 billion cells
    assert sheet.merged == [(0, 0, 2, 1)]


def test_merges_are_zero_based_and_inclusive():
    book = C.xlsx(
        {"Metas": [["Eixo", "Ação"], ["Gestão", "a"], [None, "b"], [None, "c"]]},
        merges={"Metas": [("A2:A4", "Gestão")]},
    )
    assert read(book, "p.xlsx").sheets[0].merged == [(1, 0, 3, 0)]


def test_a_cell_that_only_has_formatting_far_away_is_not_data():
    book = C.with_sheet(
        b'<row r="1"><c r="A1" t="n"><v>7</v></c></row><row r="5"><c r="XFD5" s="1"/></row>'
    )
    assert read(book, "p.xlsx").sheets[0].rows == [[7]]


def test_long_cell_names_row_and_column():
    rows = [["x"]] * 11 + [["a", "b", "z" * 51]]
    f = rejected(C.xlsx({"Metas": rows}), SMALL)[0]
    assert (f.codigo, f.aba, f.linha, f.coluna) == ("celula_longa", "Metas", 12, "C")
    assert "linha 12, coluna C" in f.mensagem and "50 caracteres" in f.mensagem


def test_long_cells_in_many_rows_are_listed_then_summed_up():
    rows = [["z" * 51] for _ in range(25)]
    findings = rejected(C.xlsx({"Metas": rows}), SMALL)
    assert [f.codigo for f in findings] == ["celula_longa"] * 20 + ["ocorrencias_omitidas"]
    assert "5 ocorrências" in findings[-1].mensagem


def test_long_text_in_an_inline_string_is_found():
    book = C.with_sheet(
        b'<row r="1"><c r="B1" t="inlineStr"><is><t>' + b"z" * 60 + b"</t></is></c></row>"
    )
    f = rejected(book, SMALL)[0]
    assert (f.codigo, f.linha, f.coluna) == ("celula_longa", 1, "B")


# --- formulas -------------------------------------------------------------------------------------


def test_formula_without_cached_value_is_named():
    book = C.xlsx_openpyxl(
        [["Previsto", "Realizado", "%"], [10, 5, "=B2/A2"], [4, 4, '=IF(A3>0,B3/A3,"-")']]
    )
    workbook = read(book, "p.xlsx")
    found = [f for f in workbook.findings if f.codigo == "formula_sem_valor"]
    assert [(f.aba, f.linha, f.coluna) for f in found] == [("Metas", 2, "C"), ("Metas", 3, "C")]
    assert found[0].nivel == ERRO
    assert "=B2/A2" in found[0].mensagem and "linha 2, coluna C" in found[0].mensagem
    assert '=IF(A3>0,B3/A3,"-")' in found[1].mensagem
    assert workbook.sheets[0].rows[1] == [10, 5, None]  # missing, not made up


def _with_errors(rows, errors: dict[str, str]) -> bytes:
    """A workbook (openpyxl) whose cells in ``errors`` (reference → "#N/A"…) are Excel error
    values, as a VLOOKUP or a division by zero leaves them."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Metas"
    for row in rows:
        ws.append(row)
    for ref, erro in errors.items():
        ws[ref].value, ws[ref].data_type = erro, "e"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_excel_error_values_are_named_not_silently_emptied():
    book = _with_errors(
        [["Previsto", "Realizado", "Obs."], [10, 5, "#1 da lista"], [4, 4, None]],
        {"B2": "#N/A", "B3": "#DIV/0!"},
    )
    workbook = read(book, "p.xlsx")
    found = [f for f in workbook.findings if f.codigo == "celula_com_erro"]
    assert [(f.aba, f.linha, f.coluna) for f in found] == [("Metas", 2, "B"), ("Metas", 3, "B")]
    assert "#N/A" in found[0].mensagem and "linha 2, coluna B" in found[0].mensagem
    assert "#DIV/0!" in found[1].mensagem and "vazia" in found[1].mensagem
    # the cell is empty (calamine's reading), and a text starting with "#" is not an error
    assert workbook.sheets[0].rows[1] == [10, None, "#1 da lista"]


def test_many_excel_error_values_are_counted_past_the_listed_ones():
    rows = [["Previsto"]] + [[i] for i in range(60)]
    book = _with_errors(rows, {f"A{r}": "#REF!" for r in range(2, 52)})
    found = read(book, "p.xlsx").findings
    assert [f.codigo for f in found].count("celula_com_erro") == reader.MAX_LISTED
    assert found[-1].codigo == "ocorrencias_omitidas" and "30" in found[-1].mensagem


def test_formula_with_cached_value_reads_its_value():
    book = C.xlsx(
        {"Metas": [["Previsto", "Realizado", "%"], [10, 5]]},
        formulas={"Metas": [("C2", "=B2/A2", 0.5), ("D2", '="ok"', "ok")]},
    )
    workbook = read(book, "p.xlsx")
    assert workbook.findings == []
    assert workbook.sheets[0].rows[1] == [10, 5, 0.5, "ok"]


def test_text_formula_whose_cached_result_is_empty_is_fine():
    book = C.with_sheet(
        b'<row r="1"><c r="A1" t="n"><v>1</v></c>'
        b'<c r="B1" t="str"><f>IF(A1&gt;0,"","x")</f><v></v></c></row>'
    )
    assert read(book, "p.xlsx").findings == []


def test_shared_formula_child_without_value_is_named():
    book = C.with_sheet(
        b'<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">1+1</f>'
        b'<v>2</v></c></row><row r="2"><c r="A2"><f t="shared" si="0"/></c></row>'
    )
    found = [f for f in read(book, "p.xlsx").findings if f.codigo == "formula_sem_valor"]
    assert [(f.linha, f.coluna) for f in found] == [(2, "A")]
    assert "fórmula compartilhada" in found[0].mensagem


def test_many_formulas_without_value_are_summed_up():
    book = C.xlsx_openpyxl([[1]] + [[f"=A{i}+1"] for i in range(1, 26)])
    codes = [f.codigo for f in read(book, "p.xlsx").findings]
    assert codes == ["formula_sem_valor"] * 20 + ["ocorrencias_omitidas"]


# --- sheets ----------------------------------------------------------------------------------------


def test_hidden_sheets_are_read_with_a_warning():
    book = C.xlsx(
        {"Metas": [["a"]], "Rascunho": [["b"]], "Config": [["c"]]},
        hidden=("Rascunho",),
        very_hidden=("Config",),
    )
    workbook = read(book, "p.xlsx")
    assert [(s.name, s.hidden, s.rows) for s in workbook.sheets] == [
        ("Metas", False, [["a"]]),
        ("Rascunho", True, [["b"]]),
        ("Config", True, [["c"]]),
    ]
    warnings = [(f.codigo, f.nivel, f.aba) for f in workbook.findings]
    assert warnings == [("aba_oculta", "aviso", "Rascunho"), ("aba_oculta", "aviso", "Config")]
    assert "oculta" in workbook.findings[0].mensagem


def test_values_keep_their_types_and_empty_cells_are_none():
    day = dt.datetime(2023, 11, 8)
    buf = io.BytesIO()
    import xlsxwriter

    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Metas")
    ws.write_row(2, 0, ["Eixo", 2023, 45.3, True])
    ws.write_datetime(3, 0, day, wb.add_format({"num_format": "dd/mm/yyyy"}))
    ws.write_string(3, 2, "")
    wb.close()
    workbook = read(buf.getvalue(), "p.xlsx")
    assert (workbook.kind, workbook.filename) == ("xlsx", "p.xlsx")
    rows = workbook.sheets[0].rows
    assert rows[:2] == [[None] * 4, [None] * 4]  # row 0 is Excel row 1, blank rows kept
    assert rows[2] == ["Eixo", 2023, 45.3, True]
    assert rows[3][0] in (day, day.date()) and rows[3][1:] == [None, None, None]


def test_sheet_written_with_a_namespace_prefix_is_read():
    book = C.rewrite(
        C.xlsx({"Metas": [["x"]]}),
        {
            C.SHEET1: (
                b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Eixo</x:t></x:is>'
                b'</x:c><x:c r="B1"><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>'
            )
        },
    )
    assert read(book, "p.xlsx").sheets[0].rows == [["Eixo", 3]]


def test_a_large_sheet_written_oddly_is_refused_rather_than_walked_slowly(monkeypatch):
    monkeypatch.setattr(reader, "_EXACT_WALK_BYTES", 10_000)
    odd = b"".join(
        b'<row r="%d"><c t="n" r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 400)
    )
    f = rejected(C.with_sheet(odd))[0]
    assert (f.codigo, f.aba) == ("aba_incomum", "Metas")
    assert "salve de novo" in f.acao
    # the same rows written plainly are read
    plain = odd.replace(b'<c t="n" r=', b"<c r=")
    assert len(read(C.with_sheet(plain), "p.xlsx").sheets[0].rows) == 399


def test_fast_scan_agrees_with_the_exact_walk():
    rnd = random.Random(11)
    for _ in range(40):
        cells = sorted(
            {(rnd.randint(1, 3000), rnd.randint(1, 300)) for _ in range(rnd.randint(1, 60))}
        )
        body = b"".join(
            b'<row r="%d"><c r="%s%d" t="n"><v>1</v></c></row>'
            % (r, reader.col_letter(c - 1).encode(), r)
            for r, c in cells
        )
        xml = C.sheet_xml(body)
        fast = reader._fast_extent(xml)
        exact = reader._exact_extent(xml, Limits(max_rows=10**6, max_cols=10**4, max_cells=10**12))
        assert fast is not None
        assert (
            (fast.rows, fast.cols)
            == (exact.rows, exact.cols)
            == (max(r for r, _ in cells), max(c for _, c in cells))
        )


def test_a_zip_laid_out_oddly_is_repacked_and_still_read():
    book = C.xlsx()
    infos = zipfile.ZipFile(io.BytesIO(book)).infolist()
    assert reader._plain_layout(book, infos)
    odd = C.with_members(book, gap=7)  # junk between members: readers may disagree
    assert not reader._plain_layout(odd, zipfile.ZipFile(io.BytesIO(odd)).infolist())
    assert read(odd, "p.xlsx").sheets[0].rows == read(book, "p.xlsx").sheets[0].rows


def test_utf16_part_that_calamine_never_reads_is_accepted():
    book = C.rewrite(
        C.xlsx({"Metas": [["ok"]]}),
        add={
            "customXml/item1.xml": (
                '<?xml version="1.0" encoding="UTF-16"?><p:properties xmlns:p="urn:x"/>'.encode(
                    "utf-16"
                )
            )
        },
    )
    assert read(book, "p.xlsx").sheets[0].rows == [["ok"]]


def test_filename_is_only_echoed():
    for name in ("../../etc/passwd", "C:\\Windows\\plano.xlsx", "plano.csv"):
        assert read(C.xlsx(), name).filename == name
    assert read(b"a;b\n1;2\n", "../x.xlsx").kind == "csv"  # told by content, not by name


def test_unexpected_errors_become_findings(monkeypatch):
    def boom(*_args, **_kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(reader, "_fast_extent", boom)
    assert rejected(C.xlsx())[0].codigo == "arquivo_corrompido"
    monkeypatch.setattr(reader, "_separator", boom)
    assert rejected(b"a;b\n1;2\n")[0].codigo == "formato_desconhecido"


# --- csv ------------------------------------------------------------------------------------------


def _csv(data: bytes) -> list[list[object]]:
    workbook = read(data, "dados.csv")
    assert workbook.kind == "csv" and [s.name for s in workbook.sheets] == ["CSV"]
    return workbook.sheets[0].rows


def test_csv_in_windows_1252():
    rows = _csv("Eixo;Ação;Situação\r\nGestão;Capacitação;Não iniciada\r\n".encode("cp1252"))
    assert rows == [["Eixo", "Ação", "Situação"], ["Gestão", "Capacitação", "Não iniciada"]]


def test_csv_in_utf8_with_bom():
    assert _csv("\ufeffEixo;Ação\r\nGestão;x\r\n".encode())[0] == ["Eixo", "Ação"]


def test_csv_in_utf16_as_excel_saves_unicode_text():
    assert _csv("Eixo\tAção\r\nGestão\t1,5\r\n".encode("utf-16")) == [
        ["Eixo", "Ação"],
        ["Gestão", "1,5"],
    ]


def test_semicolon_wins_over_decimal_commas():
    rows = _csv(b"Indicador;Valor;Meta\nCRAS;1,5;2,0\nCREAS;10,25;12\n")
    assert rows[1] == ["CRAS", "1,5", "2,0"]


def test_comma_separated_with_quoted_decimals():
    rows = _csv(
        b'Codigo,Unidade Territorial,UF,Valor\n411370,Londrina,PR,"1.234,5"\n'
        b'411370,Londrina,PR,"12,0"\n'
    )
    assert rows[1] == ["411370", "Londrina", "PR", "1.234,5"]


def test_tab_separated():
    assert _csv(b"Eixo\tAcao\nGestao\tx\n") == [["Eixo", "Acao"], ["Gestao", "x"]]


def test_title_line_above_the_header_and_ragged_rows():
    rows = _csv("Monitoramento 2023\nEixo;Ação;Situação\nGestão;x;Realizada\nGestão;y\n".encode())
    assert rows[0] == ["Monitoramento 2023"] and rows[3] == ["Gestão", "y"]


def test_empty_csv_fields_are_none_and_values_stay_text():
    assert _csv(b"a;b;c\n1;;3,5\n")[1] == ["1", None, "3,5"]


def test_mojibake_is_a_warning_with_the_line():
    text = "Eixo;Ação\nGestão;ok\nGestÃ£o;CapacitaÃ§Ã£o\n"
    workbook = read(text.encode("utf-8"), "dados.csv")
    found = [f for f in workbook.findings if f.codigo == "csv_texto_corrompido"]
    assert [(f.linha, f.nivel) for f in found] == [(3, "aviso")]
    assert "GestÃ£o" in found[0].mensagem and "linha 3" in found[0].mensagem
    assert workbook.sheets[0].rows[2] == ["GestÃ£o", "CapacitaÃ§Ã£o"]


def test_clean_text_has_no_mojibake_warning():
    text = "Eixo;Ação;Observação\nGestão;Âmbito municipal;SÃO PAULO – São José\n"
    assert read(text.encode(), "d.csv").findings == []


# --- small helpers and speed --------------------------------------------------------------------


def test_sizes_the_brazilian_way():
    assert [reader.tamanho(n) for n in (12, 2048, 12_897_485, 10 * 1024 * 1024, 3 * 1024**3)] == [
        "12 bytes",
        "2 KB",
        "12,3 MB",
        "10 MB",
        "3 GB",
    ]


def test_column_letters():
    assert [reader.col_letter(i) for i in (0, 25, 26, 27, 199, 16383)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "GR",
        "XFD",
    ]
