"""The annual Relatório de Monitoramento: built from the example data, read back with python-docx.

Every expected figure is computed here with pmas.analise.metrics from the stored goals and formatted with
pmas.fmt, so the document must say exactly what the dashboard says.
"""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import dataclass, field

import docx
import pytest

from pmas import cli, fmt, textos
from pmas.analise import comparacao, consulta, metrics
from pmas.dados import schema
from pmas.dados.plano import LONDRINA
from pmas.dados.store import Store
from pmas.entrada.pipeline import import_file, load_examples
from pmas.saida import render, report
from tests.conftest import ROOT, database_url

EXEMPLO = ROOT / "data" / "exemplo"
TITLE = "Relatório de Monitoramento do Plano Municipal de Assistência Social"
CAMPOS = {
    "elaborado_por": "a Diretoria de Gestão do SUAS/SMAS/PML",
    "comissoes": [
        "Comissão de Inscrição",
        "Comissão de Acompanhamento de Serviços, Programas e Projetos",
        "Comissão de Fundo",
        "Comissão de Capacitação",
        "Comissão de Legislação",
    ],
    "data_aprovacao": "08/11/2023",
    "resolucao": "083/2022",
    "publicacao": "o J.O.M. 5041, pág. 12",
    "data_publicacao": "09/11/2023",
}
HAS_BROWSER = render.browser_path() is not None


# --- reading a document back -----------------------------------------------------------------


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list = field(default_factory=list)
    subheadings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def read(content: bytes):
    return docx.Document(io.BytesIO(content))


def sections(document) -> dict[str, Section]:
    """Heading 1 → what follows it up to the next Heading 1, in document order."""
    out: dict[str, Section] = {}
    current = Section("")
    out[""] = current
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            current.tables.append(block)
            continue
        style = block.style.name
        if style == "Heading 1":
            current = out[block.text] = Section(block.text)
        elif style == "Heading 2":
            current.subheadings.append(block.text)
        else:
            current.paragraphs.append(block.text)
    return out


def cells(row) -> list[str]:
    return [c.text for c in row.cells]


def is_group_row(row) -> bool:
    """A diretriz (or eixo) row: one cell merged across the whole width."""
    return len({id(c._tc) for c in row.cells}) == 1


def data_rows(table) -> list:
    return [r for r in table.rows[1:] if not is_group_row(r)]


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    s = Store(database_url(tmp_path_factory.mktemp("relatorio")))
    results = load_examples(s, LONDRINA)
    assert [r.situacao for r in results] == ["importado"] * 3
    s.save_report_fields(s.plan()[0], 2022, CAMPOS, usuario="teste")
    return s


@pytest.fixture(scope="module")
def metas(store):
    return store.load("metas", store.plan()[0])


@pytest.fixture(scope="module")
def r2022(store) -> report.ReportResult:
    """The 2022 report, with charts when this machine has a browser."""
    return report.build_report(store, 2022, charts=HAS_BROWSER)


@pytest.fixture(scope="module")
def r2023(store) -> report.ReportResult:
    return report.build_report(store, 2023, "Londrina", charts=False)


# --- structure --------------------------------------------------------------------------------


def test_title_municipality_and_plan(r2022):
    d = read(r2022.conteudo)
    title = next(p for p in d.paragraphs if p.style.name == "Title")
    assert title.text == f"{TITLE}\nAno 2022"
    subtitle = next(p for p in d.paragraphs if p.style.name == "Subtitle")
    assert "Município de Londrina (PR)" in subtitle.text
    assert "PMAS 2022-2025" in subtitle.text
    titulo = textos.RELATORIO_PARTES["titulo_documento"].format(municipio="Londrina", ano=2022)
    assert d.core_properties.title == titulo
    assert r2022.nome_arquivo == "relatorio_monitoramento_pmas_londrina_2022.docx"


def test_plan_text_names_municipality_years_and_eixos(r2022):
    intro = sections(read(r2022.conteudo))[
        "O Plano Municipal de Assistência Social e a sua avaliação"
    ].text
    assert "Plano Municipal de Assistência Social (PMAS) de Londrina" in intro
    assert "de 2022 a 2025" in intro
    assert "ao final de cada exercício" in intro
    assert "; e Gestão." in intro
    for eixo in LONDRINA.eixos:
        assert eixo.nome in intro


def test_one_heading_per_eixo_in_plan_order(r2022, r2023):
    expected = [f"Eixo {e.numero} – {e.nome}" for e in LONDRINA.eixos]
    for result, ano in ((r2022, 2022), (r2023, 2023)):
        d = read(result.conteudo)
        h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
        assert [h for h in h1 if h.startswith("Eixo ")] == expected
        first_eixo = h1.index(expected[0])
        assert h1[:first_eixo] == [
            "O Plano Municipal de Assistência Social e a sua avaliação",
            "Processo participativo",
            "Deliberações da conferência de 2023",  # the edition cited by 2022's and 2023's
            "Elaboração e aprovação do relatório",
            f"Resultado geral do ano de {ano}",
            f"Orçamento das metas em {ano}",
            "Indicadores",
        ]
        assert h1[-2] == "Considerações finais"
        assert h1[-1] == f"Anexo – Metas não cumpridas em {ano}"
    # 2021 has no goals stored, so 2022 has nothing to compare with; 2023 compares with 2022
    assert not any(
        h.startswith("Comparação") for h in (p.text for p in read(r2022.conteudo).paragraphs)
    )
    assert "Comparação com 2022" in sections(read(r2023.conteudo))


# --- figures ----------------------------------------------------------------------------------


def figure_cells(f: dict) -> list[str]:
    return [
        fmt.numero(f["metas"]),
        fmt.numero(f["avaliaveis"]),
        fmt.pct(f["pct_realizadas"]),
        fmt.pct(f["pct_realizadas_ou_parciais"]),
        fmt.pct(f["indice_cumprimento"]),
    ]


@pytest.mark.parametrize("ano", [2022, 2023])
def test_every_figure_equals_metrics(ano, r2022, r2023, metas):
    d = read((r2022 if ano == 2022 else r2023).conteudo)
    secs = sections(d)
    year = metas[metas["ano"] == ano]
    for eixo in LONDRINA.eixos:
        sec = secs[f"Eixo {eixo.numero} – {eixo.nome}"]
        f = metrics.figures(year[year["eixo_numero"] == eixo.numero])
        table = sec.tables[0]
        assert cells(table.rows[0]) == [
            "Metas",
            "Avaliáveis",
            "% realizadas",
            "% realizadas ou parciais",
            "Índice de cumprimento",
        ]
        assert cells(table.rows[1]) == figure_cells(f)
        assert f"o eixo teve {fmt.numero(f['metas'])} metas" in sec.text
    geral = secs[f"Resultado geral do ano de {ano}"]
    total = metrics.figures(year)
    rows = [cells(r) for r in geral.tables[0].rows[1:]]
    assert rows[-1] == [textos.RELATORIO_PARTES["total_plano"], *figure_cells(total)]
    assert rows[:-1] == [
        [
            f"{e.numero}. {e.nome}",
            *figure_cells(metrics.figures(year[year["eixo_numero"] == e.numero])),
        ]
        for e in LONDRINA.eixos
    ]
    assert f"Foram realizadas {fmt.pct(total['pct_realizadas'])} das metas avaliáveis" in geral.text
    assert f"foi de {fmt.pct(total['indice_cumprimento'])}" in geral.text


def test_each_eixo_table_has_a_row_per_goal_grouped_by_diretriz(r2022, metas):
    secs = sections(read(r2022.conteudo))
    year = metas[metas["ano"] == 2022]
    for eixo in LONDRINA.eixos:
        goals = year[year["eixo_numero"] == eixo.numero]
        table = secs[f"Eixo {eixo.numero} – {eixo.nome}"].tables[1]
        assert cells(table.rows[0]) == ["Cód.", "Ação", "Meta", "Situação", "Justificativa"]
        rows = data_rows(table)
        assert len(rows) == len(goals)
        assert [r.cells[0].text for r in rows] == list(goals["codigo"])
        assert [r.cells[3].text.split("\n")[0] for r in rows] == list(goals["situacao"])
        groups = [r.cells[0].text for r in table.rows[1:] if is_group_row(r)]
        diretrizes = list(dict.fromkeys(goals["diretriz"]))
        assert groups == [f"Diretriz {i} – {d}" for i, d in enumerate(diretrizes, start=1)]


def test_numbers_of_a_numeric_goal_are_shown(r2022, metas):
    goal = metas[
        (metas["ano"] == 2022) & metas["previsto"].notna() & metas["realizado"].notna()
    ].iloc[0]
    text = "\n".join(c.text for t in read(r2022.conteudo).tables for r in t.rows for c in r.cells)
    execucao = metrics.with_execution(goal.to_frame().T)["execucao_pct"].iloc[0]
    assert f"({fmt.pct(execucao)})" in text


def test_comparison_with_previous_year(r2023, metas):
    sec = sections(read(r2023.conteudo))["Comparação com 2022"]
    table = sec.tables[0]
    assert cells(table.rows[0]) == ["Eixo e indicador", "2022", "2023", "Variação"]
    m22, m23 = metas[metas["ano"] == 2022], metas[metas["ano"] == 2023]
    f22, f23 = metrics.figures(m22), metrics.figures(m23)
    rows = [cells(r)[:4] for r in table.rows]
    total_at = next(
        i
        for i, r in enumerate(table.rows)
        if r.cells[0].text == textos.RELATORIO_PARTES["total_plano"]
    )
    assert rows[total_at + 3] == [
        "Índice de cumprimento",
        fmt.pct(f22["indice_cumprimento"]),
        fmt.pct(f23["indice_cumprimento"]),
        report.pp_printed(f22["indice_cumprimento"], f23["indice_cumprimento"]),
    ]
    eixo1 = comparacao.eixo_changes(m22, m23, LONDRINA)[0]["pct_realizadas"]
    assert rows[2] == [
        "% realizadas",
        fmt.pct(eixo1["de"]),
        fmt.pct(eixo1["para"]),
        report.pp_printed(eixo1["de"], eixo1["para"]),
    ]
    assert len(data_rows(table)) == 3 * (len(LONDRINA.eixos) + 1)


def test_annex_lists_goals_not_met_with_justificativa(r2022, metas):
    sec = sections(read(r2022.conteudo))["Anexo – Metas não cumpridas em 2022"]
    assert sec.subheadings == [
        "Metas não realizadas ou não iniciadas",
        "Metas parcialmente realizadas",
        "Metas em andamento",
        "Metas canceladas",
    ]
    year = metas[metas["ano"] == 2022]
    nao = year[year["situacao"].isin([schema.NAO_REALIZADA, schema.NAO_INICIADA])]
    parciais = year[year["situacao"] == schema.PARCIAL]
    andamento = year[year["situacao"] == schema.EM_ANDAMENTO]
    t_nao, t_parc, t_and = sec.tables  # 2022 has no cancelled goal: a sentence says so
    assert "Nenhuma meta foi cancelada." in sec.text
    assert len(data_rows(t_nao)) == len(nao)
    assert len(data_rows(t_parc)) == len(parciais)
    assert len(data_rows(t_and)) == len(andamento)
    assert {r.cells[3].text.split("\n")[0] for r in data_rows(t_nao)} <= {
        schema.NAO_REALIZADA,
        schema.NAO_INICIADA,
    }
    by_code = {r.cells[1].text: r.cells[4].text for r in data_rows(t_nao)}
    for _, goal in nao.iterrows():
        expected = (
            goal["justificativa"]
            if isinstance(goal["justificativa"], str)
            else "Sem justificativa informada."
        )
        assert by_code[goal["codigo"]] == " ".join(expected.split())


# --- participation ----------------------------------------------------------------------------


@pytest.mark.parametrize("ano", [2022, 2023])
def test_participation_cites_the_2023_conference(ano, r2022, r2023):
    sec = sections(read((r2022 if ano == 2022 else r2023).conteudo))["Processo participativo"]
    assert "2.804 pessoas" in sec.text
    assert "33 pré-conferências realizadas" in sec.text
    assert "43 pessoas na Conferência Municipal" in sec.text
    assert "processo conferencial" in sec.text and "2023" in sec.text
    assert (
        "representantes de usuários, trabalhadores, entidades prestadoras de serviços e gestores"
    ) in sec.text
    table = sec.tables[0]
    assert cells(table.rows[0]) == ["Segmento", "Pré-conferências", "Conferência Municipal"]
    assert cells(table.rows[-1]) == ["Total", "2.804", "43"]
    assert [r.cells[0].text for r in table.rows[1:-1]] == list(schema.SEGMENTS)


def test_conference_edition_rule():
    eds = [{"ano": 2021}, {"ano": 2023}]
    pick = lambda ano: (report.conference_edition(eds, ano) or {}).get("ano")  # noqa: E731
    # the latest edition from ano − 1 to ano + 1: the 2022 report cites the 2023 conference
    assert [pick(a) for a in (2020, 2021, 2022, 2023, 2024, 2025, 2019)] == [
        2021,
        2021,
        2023,
        2023,
        2023,
        None,
        None,
    ]


def test_year_without_conference_data(tmp_path):
    s = Store(database_url(tmp_path))
    path = EXEMPLO / "pmas_londrina_2024.xlsx"  # goals and indicators, no Conferências sheet
    assert (
        import_file(s, path.read_bytes(), path.name, LONDRINA, usuario="teste").situacao
        == "importado"
    )
    result = report.build_report(s, 2024, charts=False)
    secs = sections(read(result.conteudo))
    assert secs["Processo participativo"].text == (
        "Não houve conferência municipal de assistência social entre 2023 e 2025 registrada "
        "nos dados de Conferências."
    )
    assert not any("pré-conferência" in p for sec in secs.values() for p in sec.paragraphs)
    assert "Eixo 5 – Gestão" in secs
    assert not any(h.startswith("Comparação") for h in secs)


# --- approval fields --------------------------------------------------------------------------


def test_approval_fields_as_entered(r2022):
    text = sections(read(r2022.conteudo))["Elaboração e aprovação do relatório"].text
    assert "elaborado pela Diretoria de Gestão do SUAS/SMAS/PML" in text
    assert (
        "Comissão de Inscrição; Comissão de Acompanhamento de Serviços, Programas e "
        "Projetos; Comissão de Fundo; Comissão de Capacitação e Comissão de Legislação" in text
    )
    assert "aprovado em 08/11/2023, por meio da Resolução 083/2022" in text
    assert "publicada no J.O.M. 5041, pág. 12, em 09/11/2023" in text
    assert report.BLANK not in text


def test_fields_not_known_yet_are_blank_lines(r2023):
    text = sections(read(r2023.conteudo))["Elaboração e aprovação do relatório"].text
    assert f"elaborado por {report.BLANK}" in text
    assert f"aprovado em {report.BLANK}, por meio da Resolução {report.BLANK}" in text
    # the commissions are remembered from 2022; elaborado por, aprovação, resolução,
    # publicação and data da publicação are still blank
    assert "Comissão de Inscrição; Comissão de Acompanhamento" in text
    assert text.count(report.BLANK) == 5


def test_clean_fields():
    import datetime as dt

    campos, erros = report.clean_fields(
        {
            "elaborado_por": "  a Diretoria   de Gestão ",
            "comissoes": "Comissão A\n\n Comissão B ;C",
            "data_aprovacao": dt.date(2023, 11, 8),
            "data_publicacao": "31/02/2023",
            "resolucao": "",
            "publicacao": None,
            "inventado": "x",
        }
    )
    assert campos == {
        "elaborado_por": "a Diretoria de Gestão",
        "comissoes": ["Comissão A", "Comissão B", "C"],
        "data_aprovacao": "08/11/2023",
    }
    assert len(erros) == 2 and "“inventado”" in erros[0]  # a typo in a campos.toml is named
    assert "31/02/2023" in erros[1] and "dd/mm/aaaa" in erros[1]
    assert report.parse_date("08/11/2023") == dt.date(2023, 11, 8)
    assert report.parse_date("2023-11-08") is None


# --- charts -----------------------------------------------------------------------------------


@pytest.mark.skipif(not HAS_BROWSER, reason="sem navegador Chromium: instale 'chromium'")
def test_charts_are_inline_images(r2022, metas):
    # two for the whole plan, one per eixo (no previous year to compare with in 2022)
    assert r2022.graficos == 2 + len(LONDRINA.eixos)
    shapes = read(r2022.conteudo).inline_shapes
    assert len(shapes) == r2022.graficos
    # alt text on every image: what it shows and its figures, as the table prints them
    for shape in shapes:
        descr = shape._inline.docPr.get("descr")
        assert descr and descr.startswith("Gráfico de barras"), descr
    first = shapes[0]._inline.docPr.get("descr")
    eixo1 = metrics.figures(metas[(metas["ano"] == 2022) & (metas["eixo_numero"] == 1)])
    assert (
        f"1. Política Municipal de Assistência Social: {fmt.pct(eixo1['pct_realizadas'])}" in first
    )
    assert r2022.sem_graficos is None
    assert not any(n.startswith("Gráficos omitidos") for n in r2022.notas)


def test_no_browser_gives_tables_and_says_why(store, monkeypatch):
    def no_download(*_a, **_k):
        raise AssertionError("nunca baixar um navegador")

    import kaleido

    monkeypatch.setattr(kaleido, "get_chrome_sync", no_download)
    monkeypatch.setattr(kaleido, "get_chrome", no_download)
    monkeypatch.setenv("PMAS_CHROMIUM", "/nao/existe/chromium")
    result = report.build_report(store, 2022, charts=True)
    d = read(result.conteudo)
    assert len(d.inline_shapes) == 0 and result.graficos == 0
    assert "/nao/existe/chromium" in result.sem_graficos
    assert result.notas[0].startswith("Gráficos omitidos: o navegador indicado")
    secs = sections(d)
    assert all(len(secs[f"Eixo {e.numero} – {e.nome}"].tables) == 2 for e in LONDRINA.eixos)


def test_charts_false_needs_no_browser(r2023):
    assert r2023.graficos == 0 and len(read(r2023.conteudo).inline_shapes) == 0
    assert r2023.notas[0] == "Gráficos omitidos: o relatório foi gerado sem gráficos, como pedido."


def test_progress_is_reported(store):
    seen = []
    report.build_report(store, 2024, charts=False, progress=lambda f, t: seen.append((f, t)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(isinstance(t, str) and t for _, t in seen)


def test_year_without_goals_is_a_portuguese_error(store):
    with pytest.raises(consulta.SemDados, match="Não há metas de 2019"):
        report.build_report(store, 2019)


# --- CLI --------------------------------------------------------------------------------------


def test_cli_writes_the_report(store, tmp_path, capsys):
    saida = tmp_path / "relatorio.docx"
    code = cli.main(
        [
            "relatorio",
            "--ano",
            "2023",
            "--saida",
            str(saida),
            "--sem-graficos",
            "--banco",
            store.url,
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "gravado em" in out and "Gráficos omitidos" in err
    assert read(saida.read_bytes()).paragraphs[0].text == f"{TITLE}\nAno 2023"


def test_cli_year_without_data_exits_1(store, tmp_path, capsys):
    saida = tmp_path / "r.docx"
    code = cli.main(["--banco", store.url, "relatorio", "--ano", "2019", "--saida", str(saida)])
    _, err = capsys.readouterr()
    assert code == 1
    assert "Não há metas de 2019" in err and "anos com metas: 2022, 2023, 2024" in err
    assert not saida.exists()


def test_cli_wrong_usage_exits_2(store, tmp_path, capsys):
    assert (
        cli.main(
            ["relatorio", "--ano", "2022", "--saida", str(tmp_path / "r.pdf"), "--banco", store.url]
        )
        == 2
    )
    assert "deve terminar em .docx" in capsys.readouterr().err
    proc = subprocess.run(
        [sys.executable, "-m", "pmas", "relatorio", "--saida", "r.docx"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Erro de uso" in proc.stderr
