"""The layouts municipalities really use import without editing, with exactly the same figures.

One small plan year (11 goals) is written in many layouts. Its figures, computed by hand:

| eixo | metas | avaliáveis | realizadas | real.+parc. | scores                     | índice |
|------|-------|------------|------------|-------------|----------------------------|--------|
| 1    | 3     | 3          | 1          | 2           | 1 + 0,5 + 0                | 50     |
| 2    | 3     | 2          | 1          | 2           | 80/100=0,8 + min(60/50,1)=1 | 90     |
| 3    | 2     | 2          | 0          | 0           | 0,5 + 0                    | 25     |
| 4    | 1     | 1          | 1          | 1           | 1                          | 100    |
| 5    | 2     | 1          | 0          | 1           | reduzir: 20/25 = 0,8       | 80     |
| all  | 11    | 9          | 3          | 6           | 5,6                        | 62,2…  |
"""

from __future__ import annotations

import pytest

from pmas.analise import consulta, metrics
from pmas.entrada.pipeline import analyse, import_file
from tests.conftest import csv_bytes, xlsx

GOALS = [
    # codigo, eixo, diretriz, acao, meta, sentido, previsto, realizado, situacao
    (
        "1.1",
        1,
        "D1",
        "Revisar a lei do SUAS municipal",
        "Lei aprovada",
        None,
        None,
        None,
        "Realizada",
    ),
    (
        "1.2",
        1,
        "D1",
        "Implantar vigilância socioassistencial",
        "Setor implantado",
        None,
        None,
        None,
        "Parcialmente realizada",
    ),
    (
        "1.3",
        1,
        "D2",
        "Publicar diagnóstico",
        "Diagnóstico publicado",
        None,
        None,
        None,
        "Não realizada",
    ),
    (
        "2.1",
        2,
        "D3",
        "Acompanhar famílias no PAIF",
        "Famílias acompanhadas",
        "Aumentar",
        100,
        80,
        "Parcialmente realizada",
    ),
    ("2.2", 2, "D3", "Ampliar vagas no SCFV", "Vagas ofertadas", "Aumentar", 50, 60, "Realizada"),
    ("2.3", 2, "D4", "Construir CRAS Norte C", "CRAS construído", None, None, None, "Cancelada"),
    (
        "3.1",
        3,
        "D5",
        "Busca ativa para o BPC",
        "Beneficiários incluídos",
        None,
        None,
        None,
        "Em andamento",
    ),
    (
        "3.2",
        3,
        "D5",
        "Revisar benefícios eventuais",
        "Decreto revisado",
        None,
        None,
        None,
        "Não iniciada",
    ),
    (
        "4.1",
        4,
        "D6",
        "Capacitar conselheiros do CMAS",
        "Conselheiros capacitados",
        None,
        None,
        None,
        "Realizada",
    ),
    (
        "5.1",
        5,
        "D7",
        "Implantar prontuário eletrônico",
        "Sistema implantado",
        None,
        None,
        None,
        "Não se aplica",
    ),
    (
        "5.2",
        5,
        "D7",
        "Reduzir fila do acolhimento",
        "Pessoas na fila",
        "Reduzir",
        20,
        25,
        "Parcialmente realizada",
    ),
]
EIXO_NAMES = {
    1: "Política Municipal de Assistência Social",
    2: "Serviços, Programas e Projetos de Enfrentamento à Pobreza",
    3: "Transferência de Renda e Benefícios",
    4: "Controle e Participação",
    5: "Gestão",
}
EXPECTED = {  # eixo → (metas, avaliáveis, % realizadas, % real.+parc., índice)
    1: (3, 3, 100 / 3, 200 / 3, 50.0),
    2: (3, 2, 50.0, 100.0, 90.0),
    3: (2, 2, 0.0, 0.0, 25.0),
    4: (1, 1, 100.0, 100.0, 100.0),
    5: (2, 1, 0.0, 100.0, 80.0),
    "total": (11, 9, 100 / 3, 200 / 3, 560 / 9),
}


def assert_figures(store, ano=2023, expected=EXPECTED):
    data = consulta.resumo(store, ano)
    for e in data["eixos"]:
        _check(e, expected[e["numero"]])
    _check(data["total"], expected["total"])
    return data


def _check(f, exp):
    metas, aval, pr, prp, ind = exp
    assert f["metas"] == metas
    assert f["avaliaveis"] == aval
    assert f["pct_realizadas"] == pytest.approx(pr)
    assert f["pct_realizadas_ou_parciais"] == pytest.approx(prp)
    assert f["indice_cumprimento"] == pytest.approx(ind)


def imported(store, plano, data, name="metas.xlsx", ano=None):
    result = import_file(store, data, name, plano, usuario="teste", ano=ano)
    errors = [f for f in result.analysis.findings if f.nivel == "erro"]
    assert result.situacao == "importado", errors
    return result


HEADER = [
    "Código",
    "Eixo",
    "Diretriz",
    "Ação",
    "Meta",
    "Sentido",
    "Previsto",
    "Realizado",
    "Situação",
]


def plain_rows(eixo=lambda n: EIXO_NAMES[n]):
    return [[c, eixo(e), d, a, m, s, p, r, st] for c, e, d, a, m, s, p, r, st in GOALS]


def test_canonical_header_with_year_column(store, plano):
    rows = [HEADER + ["Ano"]] + [r + [2023] for r in plain_rows()]
    imported(store, plano, xlsx({"Metas": rows}))
    assert_figures(store)


def test_title_block_and_year_in_sheet_name(store, plano):
    rows = [
        ["Prefeitura Municipal de Londrina"],
        ["Monitoramento do PMAS 2022-2025"],
        [],
        HEADER,
    ] + plain_rows()
    result = imported(store, plano, xlsx({"Metas 2023": rows}))
    assert result.analysis.sheets[0].header_row == 4
    assert_figures(store)


def test_year_from_title_block(store, plano):
    rows = [["Relatório de monitoramento — Ano de referência 2023"], HEADER] + plain_rows()
    imported(store, plano, xlsx({"Plano de ação": rows}))
    assert_figures(store)


def test_year_given_at_import(store, plano):
    rows = [HEADER] + plain_rows()
    imported(store, plano, xlsx({"Metas": rows}), ano=2023)
    assert_figures(store)


def test_year_missing_is_an_error(store, plano):
    result = import_file(
        store, xlsx({"Metas": [HEADER] + plain_rows()}), "m.xlsx", plano, usuario="t"
    )
    assert result.situacao == "rejeitado"
    assert "ano_ausente" in {f.codigo for f in result.analysis.findings}
    assert store.is_empty()


def test_merged_and_blank_eixo_and_diretriz_cells_are_filled_down(store, plano):
    rows = [HEADER]
    merges = []
    previous = None
    start = None
    for i, r in enumerate(plain_rows(), start=2):
        if r[1] != previous:
            if start and i - 1 > start:
                merges.append(f"B{start}:B{i - 1}")
            start, previous = i, r[1]
        else:
            r[1] = None  # merged cells read as blank below the first
            r[2] = None if r[2] == rows[-1][2] or rows[-1][2] is None else r[2]
        rows.append(r)
    merges.append(f"B{start}:B{len(rows)}")
    # Diretriz: blank where it repeats the row above (as typed when merged by hand)
    imported(store, plano, xlsx({"Metas 2023": rows}, merges={"Metas 2023": merges}))
    data = consulta.resumo(store, 2023)
    assert [e["metas"] for e in data["eixos"]] == [3, 3, 2, 1, 2]
    assert_figures(store)


def test_header_aliases_accents_case_and_spaces(store, plano):
    header = [
        "Nº",
        "  EIXO\u00a0TEMÁTICO ",
        "prioridades deliberadas",
        "Ações Estratégicas",
        "Descrição da meta",
        "sentido",
        "Meta prevista",
        "Alcançado",
        "STATUS",
        "Observações",
        "Setor responsável",
        "Região",
    ]
    rows = [header] + [r + ["-", "DGSUAS", "Municipal"] for r in plain_rows()]
    result = imported(store, plano, xlsx({"Metas 2023": rows}))
    mapped = result.analysis.sheets[0].mapped
    assert mapped["EIXO\u00a0TEMÁTICO"] == "eixo"  # the label as written, trimmed
    assert set(mapped.values()) >= {
        "codigo",
        "eixo",
        "diretriz",
        "acao",
        "meta",
        "previsto",
        "realizado",
        "situacao",
        "justificativa",
        "responsavel",
        "territorio",
    }
    assert_figures(store)


def test_status_aliases(store, plano):
    alias = {
        "Realizada": "cumprida",
        "Parcialmente realizada": "Parcial",
        "Não realizada": "NÃO CUMPRIDA",
        "Cancelada": "suprimida",
        "Em andamento": "em execução",
        "Não iniciada": "a iniciar",
        "Não se aplica": "n/a",
    }
    rows = [HEADER] + [r[:8] + [alias[r[8]]] for r in plain_rows()]
    imported(store, plano, xlsx({"Metas 2023": rows}))
    assert_figures(store)


@pytest.mark.parametrize(
    "form",
    [
        lambda n: EIXO_NAMES[n],
        lambda n: [
            "Política Municipal",
            "Serviços, Programas e Projetos",
            "Transferência de Renda",
            "Controle Social",
            "Gestão",
        ][n - 1],
        lambda n: "Eixo " + ["I", "II", "III", "IV", "V"][n - 1],
        lambda n: f"EIXO {n} – {EIXO_NAMES[n].upper()}",
        lambda n: n,
        lambda n: ["I", "II", "III", "IV", "V"][n - 1],
    ],
    ids=["nome", "curto", "eixo-romano", "eixo-numero-nome", "numero", "romano"],
)
def test_eixo_forms(store, plano, form):
    rows = [HEADER] + plain_rows(form)
    imported(store, plano, xlsx({"Metas 2023": rows}))
    assert_figures(store)


def test_unknown_eixo_is_an_error_naming_row_and_column(store, plano):
    rows = [HEADER] + plain_rows()
    rows[3][1] = "Eixo 9 – Inexistente"
    result = import_file(store, xlsx({"Metas 2023": rows}), "m.xlsx", plano, usuario="t")
    f = next(f for f in result.analysis.findings if f.codigo == "eixo_desconhecido")
    assert (f.linha, f.coluna, f.nivel) == (4, "Eixo", "erro")
    assert "Eixo 9" in f.mensagem
    assert store.is_empty()


def test_two_row_header_with_group_cell(store, plano):
    top = [None] * 6 + ["Execução 2023", None, None]
    sub = HEADER[:6] + ["Previsto", "Realizado", "Situação"]
    rows = [["Monitoramento do PMAS"], top, sub] + plain_rows()
    result = imported(store, plano, xlsx({"Metas": rows}, merges={"Metas": ["G2:I2"]}))
    assert result.analysis.anos == [2023]
    assert_figures(store)


def test_year_blocks_are_melted(store, plano):
    head = HEADER[:6] + [
        "Previsto 2022",
        "Realizado 2022",
        "Situação 2022",
        "Previsto 2023",
        "Realizado 2023",
        "Situação 2023",
    ]
    rows = [head]
    for r in plain_rows():
        # 2022: every goal not started (numbers realizado 0); 2023: the reference figures
        y22 = [
            r[6],
            0 if r[6] is not None else None,
            "Não iniciada" if r[6] is None else "Não realizada",
        ]
        rows.append(r[:6] + y22 + r[6:9])
    result = imported(store, plano, xlsx({"Metas": rows}))
    assert result.analysis.anos == [2022, 2023]
    assert len(result.versions) == 2
    assert_figures(store, 2023)
    d22 = consulta.resumo(store, 2022)
    assert d22["total"]["metas"] == 11
    assert d22["total"]["pct_realizadas"] == 0
    assert d22["total"]["situacoes"]["Não realizada"] == 3  # the three numeric goals at 0


def test_two_row_header_year_blocks(store, plano):
    top = [None] * 6 + ["2022", None, None, "2023", None, None]
    sub = HEADER[:6] + ["Previsto", "Realizado", "Situação"] * 2
    rows = [top, sub]
    for r in plain_rows():
        rows.append(r[:6] + [None, None, "Em andamento"] + r[6:9])
    imported(store, plano, xlsx({"Metas": rows}, merges={"Metas": ["G1:I1", "J1:L1"]}))
    assert_figures(store, 2023)
    assert consulta.resumo(store, 2022)["total"]["situacoes"]["Em andamento"] == 11


def test_year_columns_marked_x(store, plano):
    head = HEADER + ["2022", "2023", "2024", "2025"]
    rows = [head]
    for r in plain_rows():
        rows.append(r + ["X", "X", None, None])
    # A goal due only in 2025, with no status yet: does not apply to 2023.
    rows.append(
        [
            "5.3",
            EIXO_NAMES[5],
            "D7",
            "Nova sede",
            "Sede",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "x",
        ]
    )
    result = imported(store, plano, xlsx({"Metas 2023": rows}))
    assert result.analysis.anos == [2023]
    metas = store.load("metas", store.plan()[0])
    assert metas.loc[metas["codigo"] == "1.1", "prazo"].iloc[0] == "2022, 2023"
    assert metas.loc[metas["codigo"] == "5.3", "situacao"].iloc[0] == "Não se aplica"
    expected = dict(EXPECTED)
    expected[5] = (3, 1, 0.0, 100.0, 80.0)
    expected["total"] = (12, 9, 100 / 3, 200 / 3, 560 / 9)
    assert_figures(store, 2023, expected)


def test_brazilian_numbers_and_placeholders(store, plano):
    head = HEADER + ["Valor previsto (R$)", "Valor executado (R$)"]
    rows = [head]
    for r in plain_rows():
        rows.append(r + [None, None])
    rows[4][6:8] = ["1.000", "800"]  # 2.1: 80%
    rows[5][6:8] = ["50,0", "60"]  # 2.2
    rows[11][6:8] = ["20", "25"]
    rows[1][9:11] = ["R$ 12.000,00", "R$ 1.234,56"]
    rows[2][9:11] = ["—", "s/d"]
    result = imported(store, plano, xlsx({"Metas 2023": rows}))
    codes = [f.codigo for f in result.analysis.findings]
    assert codes.count("marcador_vazio") == 2
    metas = store.load("metas", store.plan()[0])
    row = metas[metas["codigo"] == "1.1"].iloc[0]
    assert (row["valor_previsto"], row["valor_executado"]) == (12000.0, 1234.56)
    assert metas.loc[metas["codigo"] == "2.1", "previsto"].iloc[0] == 1000.0
    assert_figures(store)


def test_percent_text_and_non_number(store, plano):
    head = HEADER + ["% de execução"]
    rows = [head] + [r + [None] for r in plain_rows()]
    rows[1][9] = "85,5%"
    result = imported(store, plano, xlsx({"Metas 2023": rows}))
    metas = store.load("metas", store.plan()[0])
    assert metas.loc[metas["codigo"] == "1.1", "percentual"].iloc[0] == 85.5
    # 1.1 is Realizada at 85,5%: kept as typed, with a warning
    assert "situacao_contradiz" in {f.codigo for f in result.analysis.findings}

    rows[2][6] = "cem"
    bad = import_file(store, xlsx({"Metas 2023": rows}), "b.xlsx", plano, usuario="t")
    f = next(f for f in bad.analysis.findings if f.codigo == "valor_nao_numerico")
    assert (f.linha, f.coluna) == (3, "Previsto") and "cem" in f.mensagem
    assert bad.situacao == "rejeitado"


def test_footer_and_trailing_blank_rows_dropped(store, plano):
    rows = (
        [HEADER]
        + plain_rows()
        + [
            ["TOTAL", None, None, None, None, None, 170, 165, None],
            ["Fonte: SMAS/DGSUAS, 2023"],
            [],
            [],
            [None] * 9,
        ]
    )
    result = imported(store, plano, xlsx({"Metas 2023": rows}))
    assert [f.linha for f in result.analysis.findings if f.codigo == "rodape_ignorado"] == [13, 14]
    assert_figures(store)


def test_blank_status_derived_and_contradiction_warned(store, plano):
    rows = [HEADER] + plain_rows()
    rows[4][8] = None  # 2.1: 80/100 → Parcialmente realizada
    rows[5][8] = None  # 2.2: 60/50 → Realizada
    rows[11][8] = None  # 5.2: reduzir 20/25 → Parcialmente realizada
    result = imported(store, plano, xlsx({"Metas 2023": rows}))
    derived = [f for f in result.analysis.findings if f.codigo == "situacao_derivada"]
    assert [f.linha for f in derived] == [5, 6, 12]
    assert_figures(store)


def test_unknown_status_blocks_and_names_value(store, plano):
    rows = [HEADER] + plain_rows()
    rows[2][8] = "Quase lá"
    result = import_file(store, xlsx({"Metas 2023": rows}), "m.xlsx", plano, usuario="t")
    f = next(f for f in result.analysis.findings if f.codigo == "situacao_desconhecida")
    assert (f.linha, f.coluna) == (3, "Situação") and "Quase lá" in f.mensagem
    assert result.situacao == "rejeitado" and store.is_empty()


def test_csv_cp1252_semicolon_decimal_comma(store, plano):
    lines = [";".join(HEADER + ["Ano"])]
    for r in plain_rows():
        cells = [
            "" if v is None else str(v).replace(".", ",") if isinstance(v, float) else str(v)
            for v in r
        ]
        lines.append(";".join(cells + ["2023"]))
    imported(store, plano, csv_bytes(lines, encoding="cp1252"), name="metas.csv")
    assert_figures(store)


def test_csv_utf8_bom_comma(store, plano):
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER + ["Ano"])
    for r in plain_rows():
        w.writerow(["" if v is None else v for v in r] + [2023])
    imported(store, plano, ("\ufeff" + buf.getvalue()).encode("utf-8"), name="metas.csv")
    assert_figures(store)


def test_section_rows_for_eixos(store, plano):
    head = ["Código", "Diretriz", "Ação", "Meta", "Sentido", "Previsto", "Realizado", "Situação"]
    rows = [head]
    current = None
    for r in plain_rows():
        if r[1] != current:
            current = r[1]
            rows.append([f"EIXO {list(EIXO_NAMES.values()).index(current) + 1} – {current}"])
        rows.append([r[0]] + r[2:])
    imported(store, plano, xlsx({"Metas 2023": rows}))
    assert_figures(store)


def test_analyse_stores_nothing(store, plano):
    rows = [HEADER + ["Ano"]] + [r + [2023] for r in plain_rows()]
    a = analyse(xlsx({"Metas": rows}), "m.xlsx", plano)
    assert a.ok and a.linhas == 11
    assert store.is_empty()


def test_execution_ratio_and_scores_by_hand():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "situacao": ["Realizada", "Parcialmente realizada", "Cancelada", "Realizada"],
            "previsto": [50, 100, None, 20],
            "realizado": [60, 80, None, 0],
            "sentido": ["Aumentar", "Aumentar", None, "Reduzir"],
            "percentual": [None] * 4,
        }
    )
    ratio = metrics.execution_ratio(frame)
    assert list(ratio[:2]) == [pytest.approx(1.2), pytest.approx(0.8)]
    assert ratio.iloc[3] == 1.0  # reduced to zero
    scores = metrics.goal_scores(frame)
    assert list(scores.fillna(-1)) == [1.0, 0.8, -1, 1.0]
