"""The publishable report (issue 14), read back with python-docx: the fields as entered (CLI,
campos.toml), the conference edition cited per year with words true to its timing, the budget and
indicator tables equal to the data, units and reduction marks, sentences whose parts add up,
variations equal to the difference of the printed values, the annex of every goal not met, the
official-document furniture, a custom template's wording, a second municipality, the approved
version after a later import, and the PDF."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal

import docx
import pytest

from pmas import cli, fmt, textos
from pmas.analise import metrics
from pmas.dados import aprovacao, schema
from pmas.dados.plano import LONDRINA, Eixo, Plano
from pmas.dados.store import Store
from pmas.entrada.pipeline import import_file, load_examples
from pmas.saida import report
from pmas.saida.relatorio import campos as campos_mod
from pmas.saida.relatorio import modelo, pdf, pdfa
from tests.conftest import database_url, xlsx
from tests.test_report import cells, data_rows, read, sections


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    s = Store(database_url(tmp_path_factory.mktemp("publicavel")))
    assert [r.situacao for r in load_examples(s, LONDRINA)] == ["importado"] * 3
    return s


@pytest.fixture(scope="module")
def plano_id(store) -> int:
    return store.plan()[0]


@pytest.fixture(scope="module")
def metas(store, plano_id):
    return store.load("metas", plano_id)


@pytest.fixture(scope="module")
def docs(store) -> dict:
    """The example years' reports, without charts (built once for the read-only tests)."""
    return {a: read(report.build_report(store, a, charts=False).conteudo) for a in (2022, 2024)}


def body_text(d) -> str:
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        parts.extend(c.text for r in t.rows for c in r.cells)
    return "\n".join(parts)


def number(text: str) -> int:
    return int(text.replace(".", ""))


# --- fields: CLI and campos.toml ----------------------------------------------------------------

CAMPOS_TOML = """
elaborado_por = "a Diretoria de Gestão do SUAS/SMAS"
prefeito = "Maria da Silva"
secretario = "João Souza"
equipe = ["Ana Lima", "Bruno Reis"]
comissoes = ["Comissão de Fundo", "Comissão de Legislação"]
data_aprovacao = "20/03/2024"
resolucao = "012/2024"
veiculo = "o Jornal Oficial do Município"
edicao = "5100"
pagina = "7"
data_publicacao = "25/03/2024"
link = "https://exemplo.gov.br/jom/5100.pdf"
acompanhamento = "nao"
acompanhamento_texto = "o CMAS decidiu acompanhar o Plano em plenária"
consideracoes = "Primeiro parágrafo das considerações.\\n\\nSegundo parágrafo."

[analise.2]
avancos = "Ampliação do PAIF."
dificuldades = "Equipes incompletas."
encaminhamentos = "Concurso público."
"""


def test_cli_campos_toml_fills_the_document_and_warns_of_blank_fields(tmp_path, capsys, banco_url):
    s = Store(banco_url)
    load_examples(s, LONDRINA)
    toml = tmp_path / "campos.toml"
    toml.write_text(CAMPOS_TOML, encoding="utf-8")
    saida = tmp_path / "r.docx"
    # first only some fields: the CLI warns of the required ones still blank
    parcial = tmp_path / "parcial.toml"
    parcial.write_text('prefeito = "Maria da Silva"\n', encoding="utf-8")
    assert (
        cli.main(["--banco", banco_url, "relatorio", "--ano", "2023", "--campos", str(parcial)])
        == 0
    )
    out, err = capsys.readouterr()
    assert "Campos do relatório de 2023 gravados (prefeito)" in out
    assert "campo obrigatório em branco: Secretário(a) Municipal" in err
    assert "Prefeito(a)" not in err
    code = cli.main(
        [
            "--banco",
            banco_url,
            "relatorio",
            "--ano",
            "2023",
            "--campos",
            str(toml),
            "--saida",
            str(saida),
            "--sem-graficos",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "campo obrigatório em branco" not in err
    d = read(saida.read_bytes())
    secs = sections(d)
    aprov = secs["Elaboração e aprovação do relatório"].text
    assert "elaborado pela Diretoria de Gestão do SUAS/SMAS" in aprov
    assert "sendo estas: Comissão de Fundo e Comissão de Legislação" in aprov
    assert "aprovado em 20/03/2024, por meio da Resolução 012/2024" in aprov
    assert "publicada no Jornal Oficial do Município, edição 5100, página 7, em 25/03/2024" in aprov
    assert "A publicação está disponível em https://exemplo.gov.br/jom/5100.pdf." in aprov
    ident = secs[""].text
    assert "Prefeito(a) Municipal: Maria da Silva" in ident
    assert "Secretário(a) Municipal de Assistência Social: João Souza" in ident
    assert "Equipe de elaboração: Ana Lima; Bruno Reis" in ident
    plano = secs["O Plano Municipal de Assistência Social e a sua avaliação"].text
    assert (
        "Em 2023, não foi formada a comissão de acompanhamento do Plano: o CMAS decidiu "
        "acompanhar o Plano em plenária." in plano
    )
    assert secs["Considerações finais"].paragraphs[:2] == [
        "Primeiro parágrafo das considerações.",
        "Segundo parágrafo.",
    ]
    eixo2 = secs[f"Eixo 2 – {LONDRINA.eixos[1].nome}"]
    assert "Análise qualitativa do Eixo 2" in eixo2.subheadings
    assert "Avanços: Ampliação do PAIF." in eixo2.paragraphs
    assert "Dificuldades: Equipes incompletas." in eixo2.paragraphs
    assert "Encaminhamentos: Concurso público." in eixo2.paragraphs
    assert "Avanços: ________" in secs[f"Eixo 1 – {LONDRINA.eixos[0].nome}"].paragraphs
    # the commissions are remembered for the next year
    campos, herdados = campos_mod.for_year(s, s.plan()[0], 2024)
    assert campos["comissoes"] == ["Comissão de Fundo", "Comissão de Legislação"]
    assert herdados == {"comissoes": 2023}
    s.engine.dispose()


def test_a_bad_campos_toml_stores_nothing(tmp_path, capsys, banco_url):
    s = Store(banco_url)
    load_examples(s, LONDRINA)
    toml = tmp_path / "campos.toml"
    toml.write_text('data_aprovacao = "2024-03-20"\nprefeitx = "X"\n', encoding="utf-8")
    assert (
        cli.main(["--banco", banco_url, "relatorio", "--ano", "2023", "--campos", str(toml)]) == 1
    )
    _, err = capsys.readouterr()
    assert "“2024-03-20” não é uma data" in err and "“prefeitx”" in err
    assert "Nada foi gravado." in err
    assert s.report_fields(s.plan()[0], 2023) == {}
    toml.write_text("prefeito = [", encoding="utf-8")
    assert (
        cli.main(["--banco", banco_url, "relatorio", "--ano", "2023", "--campos", str(toml)]) == 1
    )
    assert "não é um TOML válido" in capsys.readouterr().err
    s.engine.dispose()


# --- the conference edition cited ---------------------------------------------------------------


def participation(store, ano: int) -> str:
    d = read(report.build_report(store, ano, charts=False).conteudo)
    return sections(d)["Processo participativo"].text


@pytest.mark.parametrize(
    ("ano", "escolha", "expected"),
    [
        # the edition held during the report's preparation (A + 1)
        (2022, "", "O processo conferencial de 2023, realizado durante a elaboração deste "),
        # the edition of the year itself (A)
        (2023, "", "As ações do Plano em 2023 foram discutidas com a população no processo "),
        # the last edition held before the year (A − 1): never "discussed the year's actions"
        (2024, "", "Não houve conferência municipal de assistência social em 2024. A última "),
        # the manager's choice of another edition, with the words of its timing
        (2022, "2021", "Não houve conferência municipal de assistência social em 2022. A última "),
        # none
        (2023, "nenhuma", "Nenhuma edição do processo conferencial é citada neste relatório"),
    ],
)
def test_cited_edition_per_report_year(store, plano_id, ano, escolha, expected):
    store.save_report_fields(
        plano_id, ano, {"conferencia": escolha} if escolha else {}, usuario="t"
    )
    try:
        text = participation(store, ano)
    finally:
        store.save_report_fields(plano_id, ano, {}, usuario="t")
    assert text.startswith(expected)
    if escolha == "nenhuma":
        assert "2.804" not in text
    elif escolha == "2021":
        assert "foi a de 2021" in text
    else:
        assert "2.804 pessoas nas 33 pré-conferências realizadas" in text
    if ano == 2024:
        assert "foi a de 2023" in text and "ações do Plano em 2024" not in text


def test_conference_edition_choice():
    eds = [{"ano": 2021}, {"ano": 2023}]
    assert report.conference_edition(eds, 2024)["ano"] == 2023
    assert report.conference_edition(eds, 2024, "2021")["ano"] == 2021
    assert report.conference_edition(eds, 2024, "nenhuma") is None
    assert report.conference_edition(eds, 2024, "2019") is None
    assert [report.edition_timing(e, 2023) for e in (2024, 2023, 2022)] == [
        "durante",
        "no_ano",
        "antes",
    ]


# --- everything typed is used -------------------------------------------------------------------


def test_budget_table_equals_the_data(docs, metas):
    sec = sections(docs[2024])["Orçamento das metas em 2024"]
    table = sec.tables[0]
    assert cells(table.rows[0]) == ["Fonte de recurso", "Previsto", "Executado", "% executado"]
    year = metas[(metas["ano"] == 2024) & metas["valor_previsto"].notna()]
    por_fonte = year.groupby("fonte_recurso")[["valor_previsto", "valor_executado"]].sum()
    rows = {r.cells[0].text: cells(r)[1:] for r in table.rows[1:]}
    for fonte, r in por_fonte.iterrows():
        assert rows[fonte] == [
            fmt.dinheiro(r["valor_previsto"]),
            fmt.dinheiro(r["valor_executado"]),
            fmt.pct(100 * r["valor_executado"] / r["valor_previsto"]),
        ]
    prev, exe = year["valor_previsto"].sum(), year["valor_executado"].sum()
    assert rows["Total"] == [
        fmt.dinheiro(prev),
        fmt.dinheiro(exe),
        fmt.pct(100 * exe / prev),
    ]
    assert len(rows) == len(por_fonte) + 1
    assert f"somou {fmt.dinheiro(prev)}" in sec.text
    assert f"foram executados {fmt.dinheiro(exe)}" in sec.text


def test_indicator_table_equals_the_data(docs, store, plano_id):
    sec = sections(docs[2024])["Indicadores"]
    table = sec.tables[0]
    assert cells(table.rows[0]) == ["Indicador", "Unidade", "2022", "2023", "2024", "Meta"]
    ind = store.load("indicadores", plano_id)
    rows = {r.cells[0].text: cells(r)[1:] for r in table.rows[1:]}
    assert set(rows) == set(ind["indicador"])
    for nome, g in ind.groupby("indicador"):
        by_year = {int(r["ano"]): r["valor"] for _, r in g.iterrows()}
        meta = g["meta_valor"].dropna()
        assert rows[nome] == [
            g["unidade"].iloc[0],
            *[fmt.numero(by_year[a]) for a in (2022, 2023, 2024)],
            fmt.numero(meta.iloc[-1]) if len(meta) else fmt.VAZIO,
        ]
    assert sec.paragraphs[-1].startswith("Fonte: CadÚnico, Censo SUAS, RMA e VIS DATA")


def goal_row(d, codigo: str):
    for t in d.tables:
        if cells(t.rows[0])[:2] == ["Cód.", "Ação"]:
            for r in data_rows(t):
                if r.cells[0].text == codigo:
                    return cells(r)
    raise AssertionError(codigo)


def test_units_reduction_marks_and_goal_details(docs, metas):
    year = metas[metas["ano"] == 2022]
    pct_goal = year[(year["unidade"] == "%") & year["previsto"].notna()].iloc[0]
    row = goal_row(docs[2022], pct_goal["codigo"])
    assert (
        f"Previsto {fmt.pct(pct_goal['previsto'])}; realizado {fmt.pct(pct_goal['realizado'])}"
        in row[3]
    )
    reduz = year[(year["sentido"] == "Reduzir") & year["previsto"].notna()].iloc[0]
    row = goal_row(docs[2022], reduz["codigo"])
    assert (
        f"Previsto {fmt.numero(reduz['previsto'])} {reduz['unidade']}; realizado "
        f"{fmt.numero(reduz['realizado'])} {reduz['unidade']}" in row[3]
    )
    assert "Meta de redução: quanto menor, melhor" in row[3]
    plain = year[year["sentido"] != "Reduzir"].iloc[0]
    assert "Meta de redução" not in goal_row(docs[2022], plain["codigo"])[3]
    assert f"Responsável: {plain['responsavel']}" in goal_row(docs[2022], plain["codigo"])[1]
    assert f"Prazo: {plain['prazo']}" in goal_row(docs[2022], plain["codigo"])[1]
    assert f"Território: {plain['territorio']}" in goal_row(docs[2022], plain["codigo"])[1]


# --- figures that read right by hand -----------------------------------------------------------

_PART = re.compile(r"(\d[\d.]*) [^,;.]*?")


def parts(text: str) -> list[int]:
    return [number(n) for n in re.findall(r"(?:^|, | e )(\d[\d.]*) ", text)]


@pytest.mark.parametrize("ano", [2022, 2024])
def test_every_sentence_s_parts_sum_to_its_total(docs, ano):
    d = docs[ano]
    checked = 0
    for p in d.paragraphs:
        m = re.search(
            r"teve (\d[\d.]*) metas?(?:: (\d[\d.]*) avaliáve(?:l|is) e (\d[\d.]*) não avaliáve(?:l|is)"
            r"|, todas avaliáveis)\.(.*?)\.(?: |$)",
            p.text,
        )
        if not m:
            continue
        total = number(m.group(1))
        aval = number(m.group(2)) if m.group(2) else total
        nao = number(m.group(3)) if m.group(3) else 0
        assert aval + nao == total, p.text
        resto = m.group(4)
        a_txt, _, n_txt = resto.partition("; da")
        head = re.match(r" Das? (\d[\d.]*) avaliáve(?:l|is), (.*)", a_txt)
        assert head and number(head.group(1)) == aval, p.text
        assert sum(parts(", " + head.group(2))) == aval, p.text
        if nao:
            nm = re.match(r"s? (\d[\d.]*) não avaliáve(?:l|is), (.*)", n_txt)
            assert nm and number(nm.group(1)) == nao, p.text
            assert sum(parts(", " + nm.group(2))) == nao, p.text
        checked += 1
    assert checked == 1 + len(LONDRINA.eixos)  # the plan and each eixo
    annex = sections(d)[f"Anexo – Metas não cumpridas em {ano}"].paragraphs[0]
    m = re.search(
        r"reúne as (\d+) metas avaliáveis .*? – (\d+) não realizadas ou não iniciadas, (\d+) "
        r"parcialmente realizadas e (\d+) em andamento –",
        annex,
    )
    assert m and int(m.group(1)) == sum(int(m.group(i)) for i in (2, 3, 4))
    assert "cinco eixos" in body_text(d)


def test_every_printed_variation_is_the_difference_of_the_printed_values(store):
    d = read(report.build_report(store, 2023, charts=False).conteudo)
    table = sections(d)["Comparação com 2022"].tables[0]
    seen_negative = False
    for r in data_rows(table):
        _, de, para, var = cells(r)
        a = Decimal(de.rstrip("%").replace(",", "."))
        b = Decimal(para.rstrip("%").replace(",", "."))
        v = Decimal(var.removesuffix(" p.p.").replace(",", ".").replace("\u2212", "-"))
        assert b - a == v, cells(r)
        assert "-" not in var  # a true minus sign, never the hyphen
        seen_negative |= var.startswith("\u2212")
    assert seen_negative or all(not c.startswith("\u2212") for c in cells(table.rows[1]))
    assert report.pp_printed(50.05, 45.04) == "\u22125,1 p.p."  # 50,1% → 45,0%


# --- annex and comparison lists -------------------------------------------------------------


@pytest.mark.parametrize("ano", [2022, 2024])
def test_annex_holds_every_goal_not_met_and_the_cancelled_ones(docs, metas, ano):
    sec = sections(docs[ano])[f"Anexo – Metas não cumpridas em {ano}"]
    year = metas[metas["ano"] == ano]
    listed = {
        (r.cells[1].text, r.cells[3].text.split("\n")[0]) for t in sec.tables for r in data_rows(t)
    }
    expected = {
        (r["codigo"], r["situacao"])
        for _, r in year.iterrows()
        if r["situacao"] not in (schema.REALIZADA, schema.NAO_SE_APLICA)
    }
    assert listed == expected
    canceladas = year[year["situacao"] == schema.CANCELADA]
    if len(canceladas):
        t = sec.tables[-1]
        assert cells(t.rows[0])[-1] == textos.RELATORIO_PARTES["deliberacao_cancelou"]
        for _, g in canceladas.iterrows():
            row = next(r for r in data_rows(t) if r.cells[1].text == g["codigo"])
            assert row.cells[4].text == " ".join(g["justificativa"].split())


def test_comparison_lists_regressed_and_stalled_goals(docs, metas):
    from pmas.analise import comparacao

    sec = sections(docs[2024])["Comparação com 2023"]
    P = textos.RELATORIO_PARTES
    assert sec.subheadings == [P["regrediram"], P["sem_avanco"]]
    pares = comparacao.match_goals(metas[metas["ano"] == 2023], metas[metas["ano"] == 2024])
    reg = comparacao.regressions(pares)
    t = next(t for t in sec.tables if cells(t.rows[0])[0] == "Cód.")
    assert [r.cells[0].text for r in data_rows(t)] == list(reg["codigo"])
    for r, (_, g) in zip(data_rows(t), reg.iterrows()):
        assert r.cells[2].text == g["situacao_a"] and r.cells[3].text == g["situacao_b"]
        assert r.cells[4].text == (
            " ".join(g["justificativa_b"].split())
            if isinstance(g["justificativa_b"], str)
            else "Sem justificativa informada."
        )
    assert f"{len(reg)} metas regrediram" in sec.text


# --- furniture ----------------------------------------------------------------------------------


def test_official_document_furniture(docs):
    d = docs[2022]
    text = body_text(d)
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    # sumário: a Word TOC field over the heading styles, its cached entries the headings, and
    # Word asked to update fields when the document opens
    xml = d.element.body.xml
    i = next(i for i, p in enumerate(d.paragraphs) if p.text == "Sumário")
    assert 'TOC \\o "1-3" \\h \\z \\u' in d.paragraphs[i + 1]._p.xml
    assert xml.count("<w:instrText") and xml.count('w:fldCharType="begin"') >= 1
    levels = [p for p in d.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    entries = d.paragraphs[i + 1 : i + 1 + len(levels)]
    assert [p.text.rstrip("\t") for p in entries] == [p.text for p in levels]
    assert set(h1) <= {p.text for p in levels} and len(h1) >= 10
    assert 'w:fldCharType="end"' in entries[-1]._p.xml
    settings = d.settings.element.xml
    assert "<w:updateFields" in settings and 'w:val="true"' in settings
    # siglas: only those used, each one used outside the list itself
    siglas_t = next(t for t in d.tables if cells(t.rows[0]) == ["Sigla", "Significado"])
    listed = [r.cells[0].text for r in siglas_t.rows[1:]]
    outside = "\n".join(p.text for p in d.paragraphs) + "\n".join(
        c.text for t in d.tables if t is not siglas_t for r in t.rows for c in r.cells
    )
    for s in listed:
        assert re.search(rf"(?<![\w.]){re.escape(s)}(?![\w])", outside), s
    unused = [s for s in report.SIGLAS if s not in listed]
    assert unused and {"CMAS", "PMAS", "SUAS"} <= set(listed)
    for s in unused:
        assert not re.search(rf"(?<![\w.]){re.escape(s)}(?![\w])", outside), s
    # numbered tables, each with its "Fonte:"
    captions = [p.text for p in d.paragraphs if p.style.name == "Caption"]
    numbers = [
        int(re.match(r"Tabela (\d+) – ", c).group(1)) for c in captions if c.startswith("Tabela")
    ]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 15
    assert text.count("Fonte: ") >= len(numbers)
    # the software's note is in the properties, not on the cover
    assert "PMAS Monitor" not in text
    assert d.core_properties.comments.startswith("Documento gerado em ")
    assert "PMAS Monitor" in d.core_properties.comments
    # example data marked on every page (the header) and on the cover
    for sec in d.sections:
        assert "DADOS DE EXEMPLO" in sec.header.paragraphs[0].text
    assert "DADOS DE EXEMPLO" in text
    assert "Em 2022, a comissão de acompanhamento do Plano: ________" in text


# --- the template -------------------------------------------------------------------------------


def custom_template() -> bytes:
    d = docx.Document(io.BytesIO(modelo.default_bytes()))
    for p in d.paragraphs:
        if p.text.startswith("O Relatório foi elaborado"):
            p.runs[0].text = "Texto próprio do município de {{ municipio }} para o ano {{ ano }}."
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_default_template_shipped_matches_the_code():
    shipped = docx.Document(modelo.DEFAULT_PATH)
    built = docx.Document(io.BytesIO(modelo.build_default()))
    assert [p.text for p in shipped.paragraphs] == [p.text for p in built.paragraphs]


def test_a_custom_template_s_wording_is_used(tmp_path, store, plano_id):
    s = Store(database_url(tmp_path))
    load_examples(s, LONDRINA)
    pid = s.plan()[0]
    modelo.save(s, pid, "meu_modelo.docx", custom_template(), usuario="Ana", sample={})
    assert modelo.stored(s, pid)[0] == "meu_modelo.docx"
    d = read(report.build_report(s, 2023, charts=False).conteudo)
    text = sections(d)["Elaboração e aprovação do relatório"].text
    assert "Texto próprio do município de Londrina para o ano 2023." in text
    assert "O Relatório foi elaborado" not in text
    assert (s.audit()["acao"] == "modelo_relatorio").any()
    # back to the default
    modelo.save(s, pid, "", b"", usuario="Ana", sample={})
    d = read(report.build_report(s, 2023, charts=False).conteudo)
    assert "O Relatório foi elaborado" in sections(d)["Elaboração e aprovação do relatório"].text
    s.engine.dispose()


def reworded_template() -> bytes:
    """The default template with the computed sentences reworded by a municipality: the plan's
    and each eixo's composition, the comparison's count of regressions, the deliberations'
    coverage and the commissions."""
    d = docx.Document(io.BytesIO(modelo.default_bytes()))
    novos = {
        "Em {{ ano }}, o Plano teve": "No exercício de {{ ano }} o Plano somou "
        '{{ geral.n_metas|plural("compromisso", "compromissos") }}, com '
        "{{ geral.pct_realizadas }} de cumprimento integral ({{ geral.partes_avaliaveis }}).",
        "Em {{ ano }}, o eixo teve": "O eixo {{ e.numero }} somou "
        '{{ e.n_avaliaveis|plural("compromisso avaliável", "compromissos avaliáveis") }}.',
        "Comparando as metas presentes": "Regressões de {{ comparacao.ano_anterior }} para "
        "{{ ano }}: {{ comparacao.n_regrediram|numero }}.",
        "A conferência de {{ deliberacoes.edicao }} aprovou": "Cobertura das deliberações de "
        "{{ deliberacoes.edicao }}: {{ deliberacoes.com_meta|numero }} de "
        "{{ deliberacoes.municipais|numero }} com meta.",
        "O Relatório foi elaborado": "Comissões ouvidas: {{ comissoes|length }} "
        "({{ comissoes_texto }}).",
    }
    for p in d.paragraphs:
        for inicio, texto in novos.items():
            if p.text.startswith(inicio):
                for r in p.runs[1:]:
                    r._r.getparent().remove(r._r)
                p.runs[0].text = texto
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_a_custom_template_s_wording_of_the_computed_sentences_is_used(store):
    result = report.build_report(store, 2023, charts=False, template=reworded_template())
    d = read(result.conteudo)
    text = body_text(d)
    total = metrics.figures(store.load("metas", store.plan()[0]).query("ano == 2023"))
    assert (
        f"No exercício de 2023 o Plano somou {fmt.numero(total['metas'])} compromissos, com "
        f"{fmt.pct(total['pct_realizadas'])} de cumprimento integral (" in text
    )
    assert "o Plano teve" not in text and "o eixo teve" not in text
    for eixo in LONDRINA.eixos:
        assert re.search(rf"O eixo {eixo.numero} somou \d+ compromissos? avaliáve(l|is)\.", text)
    assert re.search(r"Regressões de 2022 para 2023: \d+\.", text)
    assert "Comparando as metas presentes" not in text
    assert re.search(r"Cobertura das deliberações de 2023: \d+ de \d+ com meta\.", text)
    assert "Comissões ouvidas: 0 (________)." in text
    # the computed tables still stand where their markers are
    assert sections(d)["Comparação com 2022"].tables
    assert sections(d)["Resultado geral do ano de 2023"].tables


def test_a_bad_template_is_refused_and_nothing_is_stored(tmp_path):
    s = Store(database_url(tmp_path))
    load_examples(s, LONDRINA)
    pid = s.plan()[0]
    with pytest.raises(modelo.ModeloInvalido, match="não é um modelo do Word"):
        modelo.save(s, pid, "x.docx", b"isto nao e um docx", usuario="Ana", sample={})
    d = docx.Document(io.BytesIO(modelo.default_bytes()))
    d.paragraphs[0].runs[0].text = "{{ municipio "
    buf = io.BytesIO()
    d.save(buf)
    with pytest.raises(modelo.ModeloInvalido, match="marcador malformado"):
        modelo.save(s, pid, "x.docx", buf.getvalue(), usuario="Ana", sample={})
    d.paragraphs[0].runs[0].text = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    buf = io.BytesIO()
    d.save(buf)
    with pytest.raises(modelo.ModeloInvalido):
        modelo.save(s, pid, "x.docx", buf.getvalue(), usuario="Ana", sample={})
    assert modelo.stored(s, pid) is None
    s.engine.dispose()


# --- a second municipality ---------------------------------------------------------------------

PATO_BRANCO = Plano(
    municipio="Pato Branco",
    uf="PR",
    nome="PMAS 2026-2029",
    ano_inicio=2026,
    ano_fim=2029,
    eixos=(
        Eixo(1, "Proteção Social Básica", "PSB"),
        Eixo(2, "Proteção Social Especial", "PSE"),
        Eixo(3, "Gestão do SUAS", "Gestão"),
    ),
)


def second_municipality(store: Store) -> None:
    sheet = [
        [
            "Eixo",
            "Código",
            "Ação",
            "Meta",
            "Ano",
            "Situação",
            "Previsto",
            "Realizado",
            "Unidade de medida",
            "Sentido",
            "Responsável",
        ],
        [
            "PSB",
            "1.1",
            "Ampliar o PAIF",
            "Acompanhar 500 famílias",
            2026,
            "Realizada",
            500,
            520,
            "famílias",
            "Aumentar",
            "CRAS Centro",
        ],
        [
            "PSB",
            "1.2",
            "Reduzir a fila do CadÚnico",
            "Fila de 40 dias",
            2026,
            "",
            40,
            50,
            "dias",
            "Reduzir",
            "Gestão do CadÚnico",
        ],
        [
            "PSE",
            "2.1",
            "Implantar o CREAS",
            "CREAS implantado",
            2026,
            "Não iniciada",
            None,
            None,
            None,
            None,
            "Diretoria de PSE",
        ],
        [
            "Gestão do SUAS",
            "3.1",
            "Vigilância socioassistencial",
            "Diagnóstico",
            2026,
            "Cancelada",
            None,
            None,
            None,
            None,
            None,
        ],
    ]
    r = import_file(
        store, xlsx({"Metas": sheet}), "pato_branco_2026.xlsx", PATO_BRANCO, usuario="Ana"
    )
    assert r.situacao == "importado", [f.mensagem for f in r.analysis.findings]


def test_a_second_municipality_s_report_speaks_of_its_own_plan(tmp_path):
    s = Store(database_url(tmp_path))
    second_municipality(s)
    result = report.build_report(s, 2026, "Pato Branco", charts=False)
    d = read(result.conteudo)
    text = body_text(d) + "\n".join(p.text for p in d.sections[0].header.paragraphs)
    assert "Londrina" not in text and "2022" not in text
    assert "Município de Pato Branco (PR)" in text
    assert (
        "cada um dos seus três eixos: Proteção Social Básica; Proteção Social Especial; e Gestão do SUAS"
        in text
    )
    assert "DADOS DE EXEMPLO" not in text
    assert sections(d)["Processo participativo"].text.startswith("Não houve conferência")
    assert "Meta de redução: quanto menor, melhor" in goal_row(d, "1.2")[3]
    assert result.nome_arquivo == "relatorio_monitoramento_pmas_pato_branco_2026.docx"
    s.engine.dispose()


# --- the approved version, after a later import --------------------------------------------------


def test_report_says_which_version_the_council_approved(tmp_path):
    s = Store(database_url(tmp_path))
    second_municipality(s)
    pid = s.plan()[0]
    aprovacao.mover(s, pid, 2026, "enviar", usuario="Ana")
    aprovacao.mover(
        s, pid, 2026, "aprovar", usuario="Ana", dados={"resolucao": "5/2027", "data": "10/03/2027"}
    )
    sheet = [["Eixo", "Ação", "Ano", "Situação"], ["PSB", "Ampliar o PAIF", 2026, "Parcial"]]
    r = import_file(s, xlsx({"Metas": sheet}), "nova.xlsx", PATO_BRANCO, usuario="Ana")
    assert any(f.codigo == "relatorio_aprovado" for f in r.analysis.findings)
    result = report.build_report(s, 2026, charts=False)
    text = sections(read(result.conteudo))["Elaboração e aprovação do relatório"].text
    assert (
        "O CMAS aprovou o relatório de 2026 (Resolução 5/2027, de 10/03/2027) com a versão 1 dos "
        "dados; a versão atual é a 2." in text
    )
    assert any("versão 1 dos dados" in n for n in result.notas)
    s.engine.dispose()


# --- PDF ----------------------------------------------------------------------------------------


def pdf_pages(content: bytes, tmp_path) -> list[str]:
    (tmp_path / "r.pdf").write_bytes(content)
    out = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True
    ).stdout
    return out.split("\f")


@pytest.mark.skipif(not pdf.available(), reason="sem LibreOffice (soffice)")
def test_pdf_through_libreoffice(docs, tmp_path):
    buf = io.BytesIO()
    docs[2022].save(buf)
    content = pdf.to_pdf(buf.getvalue())
    assert content.startswith(b"%PDF-")
    # PDF/A-2b as far as it can be checked without a validator (see pmas.saida.relatorio.pdfa)
    assert pdfa.problems(content) == []
    if not shutil.which("pdftotext"):
        return
    pages = pdf_pages(content, tmp_path)
    text = "\n".join(pages)
    assert "Relatório de Monitoramento" in text and "DADOS DE EXEMPLO" in text
    if not pdf.sumario_atualizado():
        return
    # the sumário lists every heading with the page it is on (LibreOffice updated the TOC)
    sumario = next(p for p in pages if re.search(r"^\s*Sumário\s*$", p, re.M))
    headings = [p.text for p in docs[2022].paragraphs if p.style.name == "Heading 1"]
    for h in headings:
        m = re.search(re.escape(h) + r"\s*\.+\s*(\d+)\s*$", sumario, re.M)
        assert m, (h, sumario)
        page = int(m.group(1))
        lines = [" ".join(x.split()) for x in pages[page - 1].splitlines() if x.strip()]
        assert pages[page - 1] is not sumario and h in " ".join(lines), (h, page)
        assert f"Página {page} de" in pages[page - 1]


@pytest.mark.skipif(not pdf.available(), reason="sem LibreOffice (soffice)")
def test_pdfa_check_finds_what_breaks_the_rules(tmp_path):
    """The structural PDF/A check is not a rubber stamp: a plain PDF and altered ones fail."""
    d = docx.Document(io.BytesIO(modelo.default_bytes()))
    (tmp_path / "m.docx").write_bytes(modelo.default_bytes())
    subprocess.run(
        [
            pdf.soffice_path(),
            f"-env:UserInstallation=file://{tmp_path / 'perfil'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "plain"),
            str(tmp_path / "m.docx"),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    plain = (tmp_path / "plain" / "m.pdf").read_bytes()
    found = pdfa.problems(plain)
    assert "os metadados XMP não declaram pdfaid:part 2" in found or any(
        "XMP" in f for f in found
    ), found
    assert any("OutputIntent" in f for f in found), found
    buf = io.BytesIO()
    d.save(buf)
    good = pdf.to_pdf(buf.getvalue())
    assert pdfa.problems(good) == []
    assert any(
        "não está incorporada" in f
        for f in pdfa.problems(good.replace(b"/FontFile2", b"/FontFileX"))
    )
    assert (
        pdfa.problems(good.replace(b"/Root", b"/Encrypt 1 0 R/Root"))[0]
        == "o PDF está criptografado"
    )
    js = good.replace(
        b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"
    )
    assert any("JavaScript" in f for f in pdfa.problems(js))


def test_pdf_without_libreoffice_says_why(monkeypatch):
    monkeypatch.setenv("PMAS_SOFFICE", "/nao/existe/soffice")
    with pytest.raises(pdf.PdfIndisponivel, match="LibreOffice não está instalado"):
        pdf.to_pdf(b"x")


def test_a_template_without_a_computed_part_s_marker_says_so(store):
    """An older or edited template that has no place for a computed part: the part is left out
    and the notes (screen and CLI) say which."""
    assert not any(
        "não tem lugar" in n for n in report.build_report(store, 2023, charts=False).notas
    )
    d = docx.Document(io.BytesIO(modelo.default_bytes()))
    for p in d.paragraphs:
        if p.text in ("{{ secao_resultado_geral }}", "{{ e.secao }}"):
            p._p.getparent().remove(p._p)
    buf = io.BytesIO()
    d.save(buf)
    result = report.build_report(store, 2023, charts=False, template=buf.getvalue())
    nota = next(n for n in result.notas if "não tem lugar" in n)
    assert "{{ secao_resultado_geral }}" in nota
    for eixo in LONDRINA.eixos:
        assert f"{{{{ e.secao }}}} (Eixo {eixo.numero})" in nota
    assert not sections(read(result.conteudo))["Resultado geral do ano de 2023"].tables


@pytest.mark.skipif(not pdf.available(), reason="sem LibreOffice (soffice)")
def test_pdf_without_the_uno_bridge_keeps_the_sumario_s_entries(docs, tmp_path, monkeypatch):
    """Without a Python that has LibreOffice's uno module, the plain conversion still gives a
    PDF/A whose sumário lists the headings (without page numbers), and says so."""
    import sys

    monkeypatch.setenv("PMAS_UNO_PYTHON", sys.executable)  # the venv's Python: no uno module
    assert pdf.uno_python() is None and not pdf.sumario_atualizado()
    buf = io.BytesIO()
    docs[2022].save(buf)
    content = pdf.to_pdf(buf.getvalue())
    assert pdfa.problems(content) == []
    if shutil.which("pdftotext"):
        text = "\n".join(pdf_pages(content, tmp_path))
        assert "Resultado geral do ano de 2022" in text.split("Lista de siglas")[0]
    assert "python3-uno" in textos.RELATORIO_DOC["pdf_sumario_sem_paginas"]


def test_every_placeholder_is_documented_and_sampled(store):
    """What the report gives its template is listed for the municipality (PLACEHOLDERS) and
    sampled when an uploaded template is checked (AMOSTRA), so a template using any of it is
    accepted; the same for the Devolutiva."""
    from pmas.analise import consulta
    from pmas.saida import devolutiva

    ctx = report.context(report._gather(store, 2023, None, None))
    assert set(ctx) <= set(modelo.PLACEHOLDERS)
    assert set(ctx) == set(modelo.AMOSTRA)
    for chave in ("geral", "orcamento", "comparacao", "deliberacoes", "anexo"):
        assert set(ctx[chave]) <= set(modelo.AMOSTRA[chave]), chave
    assert set(ctx["eixos"][0]) == set(modelo.AMOSTRA["eixos"][0])
    dctx = devolutiva.context(consulta.deliberacoes(store, 2023, 2024))
    assert set(dctx) == set(devolutiva.AMOSTRA) and set(dctx) <= set(devolutiva.PLACEHOLDERS)
    assert set(dctx["deliberacoes"][0]) == set(devolutiva.AMOSTRA["deliberacoes"][0])
