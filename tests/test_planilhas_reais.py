"""Real spreadsheets (issue #17): the wordings and layouts municipalities, state templates and
government systems use, each class with fixtures of its own and figures computed by hand.

Figures per DOMAIN.md: % realizadas = Realizada ÷ avaliáveis; % realizadas ou parciais =
(Realizada + Parcialmente realizada) ÷ avaliáveis; índice = mean score of the avaliáveis, a goal
with numbers scoring min(realizado ÷ previsto, 1) (min(previsto ÷ realizado, 1) to reduce), a
percentage typed as the status scoring the percentage, others their status's default.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from pmas.analise import consulta, metrics
from pmas.dados import schema
from pmas.dados.schema import (
    CANCELADA,
    EM_ANDAMENTO,
    NAO_INICIADA,
    NAO_REALIZADA,
    NAO_SE_APLICA,
    PARCIAL,
    REALIZADA,
)
from pmas.entrada.pipeline import analyse, import_file
from tests.conftest import xlsx

E1 = "Política Municipal de Assistência Social"
E2 = "Serviços, Programas e Projetos de Enfrentamento à Pobreza"


def ok(plano, data, name="metas.xlsx", **kw):
    a = analyse(data, name, plano, **kw)
    assert a.ok, [f.mensagem for f in a.findings if f.nivel == "erro"]
    return a


def stored(store, plano, data, name="metas.xlsx"):
    r = import_file(store, data, name, plano, usuario="teste")
    assert r.situacao == "importado", [f.mensagem for f in r.analysis.findings if f.nivel == "erro"]
    return r


def codes(a, codigo):
    return [f for f in a.findings if f.codigo == codigo]


def by_code(frame, column):
    return dict(zip(frame["codigo"], frame[column]))


def check_figures(frame, metas, aval, pr, prp, ind):
    f = metrics.figures(frame)
    assert f["metas"] == metas
    assert f["avaliaveis"] == aval
    assert f["pct_realizadas"] == pytest.approx(pr)
    assert f["pct_realizadas_ou_parciais"] == pytest.approx(prp)
    assert f["indice_cumprimento"] == pytest.approx(ind)


# --- 1. Status wordings: families, not phrases ------------------------------------------------

FAMILIES = [
    ("Executada", REALIZADA),
    ("executado", REALIZADA),
    ("Alcançada", REALIZADA),
    ("ATINGIDO", REALIZADA),
    ("Cumprida", REALIZADA),
    ("Concluídas", REALIZADA),
    ("Meta alcançada", REALIZADA),
    ("Meta atingida", REALIZADA),
    ("Superada", REALIZADA),
    ("Meta superada", REALIZADA),
    ("Finalizada", REALIZADA),
    ("Parcialmente executada", PARCIAL),
    ("Executada parcialmente", PARCIAL),
    ("Realizado parcialmente", PARCIAL),
    ("Parcialmente alcançada", PARCIAL),
    ("parcialmente cumprido", PARCIAL),
    ("Atingida em parte", PARCIAL),
    ("Ação contínua", EM_ANDAMENTO),
    ("Contínua", EM_ANDAMENTO),
    ("Em execução", EM_ANDAMENTO),
    ("em curso", EM_ANDAMENTO),
    ("Iniciada", EM_ANDAMENTO),
    ("Não atingida", NAO_REALIZADA),
    ("Não executado", NAO_REALIZADA),
    ("Meta não alcançada", NAO_REALIZADA),
    ("Não concluída", NAO_REALIZADA),
    ("Não iniciado", NAO_INICIADA),
    ("Cancelado", CANCELADA),
    ("Suprimida", CANCELADA),
    ("Não se aplica", NAO_SE_APLICA),
    ("Não prevista para o ano", NAO_SE_APLICA),
]


@pytest.mark.parametrize("typed,expected", FAMILIES)
def test_status_word_families(typed, expected):
    assert schema.canonical_status(typed) == expected


@pytest.mark.parametrize("typed", ["Realizada e cancelada", "Em análise", "Executada em 2023 ?x"])
def test_words_of_no_family_or_of_two_are_not_guessed(typed):
    assert schema.canonical_status(typed) is None


def status_sheet(statuses, extra=None):
    head = ["Código", "Eixo", "Ação", "Situação"] + (extra or [])
    rows = [head]
    for i, s in enumerate(statuses, 1):
        rows.append([f"1.{i}", E1, f"Ação {i:02d} do eixo", s])
    return {"Metas 2023": rows}


def test_status_wordings_import_with_exact_figures(store, plano):
    # R R R | P P P | A A | NR | Cancelada: 9 avaliáveis, 3 R, 3 P;
    # índice = (3×1 + 3×0,5 + 2×0,5 + 0) ÷ 9 = 5,5 ÷ 9
    statuses = [
        "Executada",
        "Meta alcançada",
        "Superada",
        "Parcialmente executada",
        "Executada parcialmente",
        "Realizado parcialmente",
        "Ação contínua",
        "Contínua",
        "Não atingida",
        "Cancelada",
    ]
    r = stored(store, plano, xlsx(status_sheet(statuses)))
    data = consulta.resumo(store, 2023)
    t = data["total"]
    assert (t["metas"], t["avaliaveis"]) == (10, 9)
    assert t["pct_realizadas"] == pytest.approx(100 * 3 / 9)
    assert t["pct_realizadas_ou_parciais"] == pytest.approx(100 * 6 / 9)
    assert t["indice_cumprimento"] == pytest.approx(100 * 5.5 / 9)
    # every reinterpreted wording is said once, with its rows (Cancelada is canonical: no finding)
    said = {
        f.mensagem.split("“")[1].split("”")[0]: f for f in codes(r.analysis, "situacao_familia")
    }
    assert set(said) == set(statuses) - {"Cancelada"}
    f = said["Executada parcialmente"]
    assert (f.nivel, f.linha, f.coluna) == ("aviso", 6, "Situação")
    assert "Parcialmente realizada" in f.mensagem and "1 linha: 6" in f.mensagem


def test_percentage_typed_as_status_is_the_execution(plano):
    # DOMAIN.md: ≥ 100% Realizada, 0% Não realizada, between Parcialmente realizada; its score
    # is the percentage itself. 100% → 1; 60% → 0,60; 0% → 0; 45,5% → 0,455; 120% → 1 (capped)
    # índice = (1 + 0,6 + 0 + 0,455 + 1) ÷ 5 = 3,055 ÷ 5 = 61,1%
    a = ok(plano, xlsx(status_sheet(["100%", "60%", "0%", "45,5 %", "120%"])))
    m = a.frames["metas"]
    assert by_code(m, "situacao") == {
        "1.1": REALIZADA,
        "1.2": PARCIAL,
        "1.3": NAO_REALIZADA,
        "1.4": PARCIAL,
        "1.5": REALIZADA,
    }
    scores = dict(zip(m["codigo"], metrics.goal_scores(m)))
    assert scores == pytest.approx({"1.1": 1.0, "1.2": 0.6, "1.3": 0.0, "1.4": 0.455, "1.5": 1.0})
    check_figures(m, 5, 5, 40.0, 80.0, 100 * 3.055 / 5)
    f = codes(a, "situacao_percentual")
    assert [x.linha for x in f] == [2, 3, 4, 5, 6]
    assert "0,60 no índice" in f[1].mensagem and "Parcialmente realizada" in f[1].mensagem
    # the percentage is kept as the goal's % de execução
    assert by_code(m, "percentual")["1.2"] == 60.0


def test_percentage_beside_status_words_is_the_execution(plano):
    # "100% executada" → Realizada (1); "60% realizada" → Parcialmente (0,60); "Executada 100%"
    # → Realizada (1); "Parcialmente executada (40%)" → Parcialmente (0,40); "45,5% concluída" →
    # Parcialmente (0,455); "0% realizada" → the number decides: Não realizada (0), warned.
    # índice = (1 + 0,6 + 1 + 0,4 + 0,455 + 0) ÷ 6 = 3,455 ÷ 6; 2 R of 6; 5 R or P of 6
    typed = [
        "100% executada",
        "60% realizada",
        "Executada 100%",
        "Parcialmente executada (40%)",
        "45,5% concluída",
        "0% realizada",
    ]
    a = ok(plano, xlsx(status_sheet(typed)))
    m = a.frames["metas"]
    assert by_code(m, "situacao") == {
        "1.1": REALIZADA,
        "1.2": PARCIAL,
        "1.3": REALIZADA,
        "1.4": PARCIAL,
        "1.5": PARCIAL,
        "1.6": NAO_REALIZADA,
    }
    scores = dict(zip(m["codigo"], metrics.goal_scores(m)))
    assert scores == pytest.approx(
        {"1.1": 1.0, "1.2": 0.6, "1.3": 1.0, "1.4": 0.4, "1.5": 0.455, "1.6": 0.0}
    )
    check_figures(m, 6, 6, 100 * 2 / 6, 100 * 5 / 6, 100 * 3.455 / 6)
    # each is said, never offered for mapping
    assert [x.linha for x in codes(a, "situacao_percentual")] == [2, 3, 4, 5, 6, 7]
    assert not codes(a, "situacao_desconhecida")
    assert a.situacoes_desconhecidas == []
    (c,) = codes(a, "situacao_percentual_contradiz")
    assert (c.nivel, c.linha, c.coluna) == ("aviso", 7, "Situação")
    assert "“0% realizada”" in c.mensagem and "Não realizada" in c.mensagem


@pytest.mark.parametrize(
    "typed", ["100% Parcialmente realizada", "30% não iniciada", "50% cancelada"]
)
def test_percentage_against_its_words_is_decided_by_the_number(plano, typed):
    a = ok(plano, xlsx(status_sheet([typed])))
    expected = REALIZADA if typed.startswith("100") else PARCIAL
    assert a.frames["metas"]["situacao"].tolist() == [expected]
    (c,) = codes(a, "situacao_percentual_contradiz")
    assert f"valeu o número ({expected})" in c.mensagem


@pytest.mark.parametrize("typed", ["60% em análise", "Realizada em 2023 60%", "10% 20%"])
def test_a_percentage_beside_other_words_is_not_guessed(plano, typed):
    a = analyse(xlsx(status_sheet([typed])), "metas.xlsx", plano)
    assert codes(a, "situacao_desconhecida")
    assert not codes(a, "situacao_percentual")


def test_percentage_cell_formatted_as_percent(plano):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Metas 2023"
    ws.append(["Código", "Eixo", "Ação", "Situação"])
    for i, v in enumerate([0.6, 1, 0], 1):
        ws.append([f"1.{i}", E1, f"Ação {i}", v])
        ws.cell(row=i + 1, column=4).number_format = "0%"
    buf = io.BytesIO()
    wb.save(buf)
    m = ok(plano, buf.getvalue()).frames["metas"]
    assert by_code(m, "situacao") == {"1.1": PARCIAL, "1.2": REALIZADA, "1.3": NAO_REALIZADA}
    assert metrics.goal_scores(m).tolist() == pytest.approx([0.6, 1.0, 0.0])


# --- 2. Number columns whose heading starts with "Meta" ---------------------------------------


def test_meta_headings_read_by_wording_and_values(store, plano):
    head = [
        "Código",
        "Eixo",
        "Meta",
        "Meta Plano (2022-2025)",
        "Meta 2024",
        "Realizado 2024",
        "Situação 2024",
    ]
    rows = [
        head,
        ["1.1", E1, "Famílias acompanhadas pelo PAIF", 400, 100, 80, None],  # 0,8 P (derived)
        ["1.2", E1, "Vagas no SCFV", 200, 50, 50, None],  # 1 R
        ["1.3", E1, "Oficinas de geração de renda", "40", "10", 0, None],  # 0 NR
    ]
    r = stored(store, plano, xlsx({"Metas": rows}))
    a = r.analysis
    assert a.anos == [2024]
    m = a.frames["metas"]
    assert by_code(m, "meta")["1.1"] == "Famílias acompanhadas pelo PAIF"
    assert by_code(m, "previsto") == {"1.1": 100, "1.2": 50, "1.3": 10}
    assert by_code(m, "meta_plano") == {"1.1": 400, "1.2": 200, "1.3": 40}
    assert by_code(m, "situacao") == {"1.1": PARCIAL, "1.2": REALIZADA, "1.3": NAO_REALIZADA}
    check_figures(m, 3, 3, 100 / 3, 200 / 3, 100 * 1.8 / 3)
    read_as = {f.coluna: f.mensagem for f in codes(a, "coluna_interpretada")}
    assert "“Previsto de 2024” porque seus valores são números" in read_as["Meta 2024"]
    assert "“Meta do plano”" in read_as["Meta Plano (2022-2025)"]
    assert not codes(a, "coluna_duplicada")
    stored_metas = store.load("metas", store.plans()[0][0])
    assert sorted(stored_metas["meta_plano"]) == [40, 200, 400]


def test_meta_do_indicador_and_percent_of_meta(plano):
    # "Meta do indicador" over numbers is the year's target; "% meta alcançada" the execution:
    # 50% → P 0,5; 120% → R 1 (capped) → índice 75
    head = ["Eixo", "Ação", "Meta do indicador", "% meta alcançada", "Ano"]
    rows = [
        head,
        [E1, "Visitas domiciliares", 200, "50%", 2023],
        [E1, "Busca ativa", 10, 120, 2023],
    ]
    a = ok(plano, xlsx({"Planilha": rows}))
    m = a.frames["metas"]
    assert m["previsto"].tolist() == [200, 10]
    assert m["percentual"].tolist() == [50, 120]
    assert m["situacao"].tolist() == [PARCIAL, REALIZADA]
    check_figures(m, 2, 2, 50.0, 100.0, 75.0)


def test_meta_heading_over_text_is_the_goal(plano):
    head = ["Eixo", "Ação", "Meta para o quadriênio", "Meta anual", "Situação", "Ano"]
    rows = [head, [E1, "Capacitar equipes", "Todas as equipes capacitadas", 12, "Realizada", 2023]]
    a = ok(plano, xlsx({"Metas": rows}))
    m = a.frames["metas"]
    assert m["meta"].tolist() == ["Todas as equipes capacitadas"]
    assert m["previsto"].tolist() == [12]
    assert m["meta_plano"].isna().all()


def test_meta_over_numbers_beside_a_previsto_column_stays_the_goal(plano):
    head = ["Eixo", "Ação", "Meta", "Previsto", "Realizado", "Ano"]
    rows = [head, [E1, "Vagas no SCFV", 120, 100, 100, 2023]]
    a = ok(plano, xlsx({"Metas": rows}))
    m = a.frames["metas"]
    assert (m["meta"].iloc[0], m["previsto"].iloc[0]) == ("120", 100)
    assert not codes(a, "coluna_duplicada")


# --- 3. Hierarchy rows ------------------------------------------------------------------------


def test_section_rows_set_eixo_diretriz_objetivo_and_acao(store, plano):
    head = ["Código", "Descrição da meta", "Previsto", "Realizado", "Situação"]
    rows = [
        ["PLANO MUNICIPAL DE ASSISTÊNCIA SOCIAL – MONITORAMENTO 2023"],
        head,
        [f"EIXO Nº 1 – {E1}"],
        ["1.1", "DIRETRIZ Nº 1 – Fortalecer a gestão do SUAS"],
        ["OBJETIVO Nº 1 – Qualificar a vigilância socioassistencial"],
        ["1.1.1", "Diagnóstico publicado", None, None, "Realizada"],  # R 1
        ["Ação nº 2 – Capacitar as equipes"],
        ["1.1.2", "Equipes capacitadas", 10, 5, None],  # P 0,5
        ["Diretriz 2: Ampliar a participação"],
        ["1.2.1", "Conselhos locais criados", None, None, "Não iniciada"],  # 0
        [f"EIXO II – {E2}"],
        ["DIRETRIZ Nº 3 – Enfrentar a pobreza"],
        ["2.3.1", "Famílias no PAIF", 100, 100, None],  # R 1
    ]
    r = stored(store, plano, xlsx({"Metas": rows}))
    m = r.analysis.frames["metas"]
    assert list(m["codigo"]) == ["1.1.1", "1.1.2", "1.2.1", "2.3.1"]  # sections are no goals
    assert by_code(m, "eixo_numero") == {"1.1.1": 1, "1.1.2": 1, "1.2.1": 1, "2.3.1": 2}
    assert by_code(m, "diretriz") == {
        "1.1.1": "DIRETRIZ Nº 1 – Fortalecer a gestão do SUAS",
        "1.1.2": "DIRETRIZ Nº 1 – Fortalecer a gestão do SUAS",
        "1.2.1": "Diretriz 2: Ampliar a participação",
        "2.3.1": "DIRETRIZ Nº 3 – Enfrentar a pobreza",
    }
    # a new diretriz starts a new objetivo and ação: none carried over
    objetivo = by_code(m, "objetivo")
    assert (
        objetivo["1.1.1"]
        == objetivo["1.1.2"]
        == ("OBJETIVO Nº 1 – Qualificar a vigilância socioassistencial")
    )
    assert objetivo["1.2.1"] is None or objetivo["1.2.1"] != objetivo["1.1.1"]
    acao = by_code(m, "acao")
    assert acao["1.1.2"] == "Ação nº 2 – Capacitar as equipes"
    assert not isinstance(acao["1.1.1"], str) and not isinstance(acao["1.2.1"], str)
    secoes = codes(r.analysis, "linha_secao")
    assert [f.linha for f in secoes] == [3, 4, 5, 7, 9, 11, 12]
    assert "título de diretriz" in secoes[1].mensagem
    assert r.analysis.contagens["secao"] == 7
    # eixo 1: R, P(0,5), NI → 1,5 ÷ 3; eixo 2: R
    data = consulta.resumo(store, 2023)
    e1 = data["eixos"][0]
    assert (e1["metas"], e1["pct_realizadas"]) == (3, pytest.approx(100 / 3))
    assert e1["indice_cumprimento"] == pytest.approx(50.0)
    assert data["eixos"][1]["indice_cumprimento"] == pytest.approx(100.0)


def test_a_goal_that_starts_with_acao_is_not_a_section(plano):
    head = ["Eixo", "Ação", "Situação", "Ano"]
    rows = [head, [E1, "Ação continuada de busca ativa", "Realizada", 2023]]
    a = ok(plano, xlsx({"Metas": rows}))
    assert a.frames["metas"]["acao"].tolist() == ["Ação continuada de busca ativa"]
    assert not codes(a, "linha_secao")


# --- 4. Conference totals on one row ----------------------------------------------------------


@pytest.mark.parametrize(
    "heading", ["Nº de eventos", "Nº de pré-conferências", "Quantidade de encontros"]
)
def test_conference_totals_on_one_row(store, plano, heading):
    rows = [
        ["Ano", "Etapa", heading, "Participantes"],
        [2023, "Pré-conferências", 33, "2.804"],
        [2023, "Conferência Municipal", 1, 43],
    ]
    stored(store, plano, xlsx({"Conferências": rows}), name="conf.xlsx")
    conf = store.load("conferencias", store.plans()[0][0])
    (ed,) = metrics.conference_summary(conf)
    assert ed["pre_conferencias"] == 33  # not 1
    assert ed["participantes_pre_conferencias"] == 2804
    assert ed["participantes_conferencia_municipal"] == 43


@pytest.mark.parametrize("one_cell", [False, True])
def test_conference_totals_written_as_labels_and_numbers(store, plano, one_cell):
    rows = [["Processo conferencial de 2023"], [None]]
    if one_cell:
        rows += [
            ["Pré-conferências | Nº de eventos 33 | Participantes 2.804"],
            ["Conferência Municipal | Nº de eventos 1 | Participantes 43 | Delegados 12"],
        ]
    else:
        rows += [
            ["Pré-conferências", "Nº de eventos", 33, "Participantes", "2.804"],
            ["Conferência Municipal", "Participantes", 43, "Delegados", 12],
        ]
    rows += [["Fonte: SMAS"]]
    r = stored(store, plano, xlsx({"Conferências": rows}), name="conf.xlsx")
    (f,) = codes(r.analysis, "rotulos_e_numeros")
    assert f.linha == 3
    assert sorted(r.analysis.frames["conferencias"]["_linha"]) == [3, 4]
    assert [x.linha for x in codes(r.analysis, "rodape_ignorado")] == [5]
    (ed,) = metrics.conference_summary(store.load("conferencias", store.plans()[0][0]))
    assert (ed["ano"], ed["pre_conferencias"]) == (2023, 33)
    assert ed["participantes_pre_conferencias"] == 2804
    assert ed["participantes_conferencia_municipal"] == 43
    assert ed["delegados"] == 12


def test_conference_rows_without_a_count_are_one_event_each(store, plano):
    rows = [["Ano", "Etapa", "Região", "Participantes"]]
    rows += [[2023, "Pré-conferência", r, 100] for r in ("Norte", "Sul", "Rural")]
    stored(store, plano, xlsx({"Conferências": rows}), name="conf.xlsx")
    (ed,) = metrics.conference_summary(store.load("conferencias", store.plans()[0][0]))
    assert ed["pre_conferencias"] == 3


# --- 5. Goals named by an indicator, with a polarity column -----------------------------------


def test_indicator_goals_with_polarity(store, plano):
    # reduce 10 → 8: min(10/8, 1) = 1 R; increase 100 → 80: 0,8 P; "Negativa" 30 → 40:
    # min(30/40, 1) = 0,75 P. índice = 2,55 ÷ 3 = 85%. Read upward, the first would score 0,8
    # and the third 1 (Realizada): a wrong índice of 86,7% and 2 realizadas.
    head = ["Eixo", "Indicador", "Polaridade", "Meta 2023", "Resultado 2023"]
    rows = [
        head,
        [E1, "Famílias em descumprimento de condicionalidades", "Quanto menor, melhor", 10, 8],
        [E1, "Famílias acompanhadas pelo PAIF", "Quanto maior, melhor", 100, 80],
        [E1, "Tempo de espera por acolhimento (dias)", "Negativa", 30, 40],
    ]
    r = stored(
        store,
        plano,
        xlsx(
            {"Indicadores do plano": rows},
        ),
        name="metas.xlsx",
    )
    a = r.analysis
    m = a.frames["metas"]
    assert m["sentido"].tolist() == ["Reduzir", "Aumentar", "Reduzir"]
    assert m["situacao"].tolist() == [REALIZADA, PARCIAL, PARCIAL]
    assert metrics.goal_scores(m).tolist() == pytest.approx([1.0, 0.8, 0.75])
    t = consulta.resumo(store, 2023)["total"]
    assert t["indice_cumprimento"] == pytest.approx(85.0)
    assert t["pct_realizadas"] == pytest.approx(100 / 3)
    # the goals are named by their indicator, and the polarity applied is said
    assert m["meta"].tolist()[0] == "Famílias em descumprimento de condicionalidades"
    assert codes(a, "indicador_como_meta")
    (red,) = codes(a, "sentido_reducao")
    assert "2 metas de redução" in red.mensagem and "linhas 2, 4" in red.mensagem


def test_quanto_menor_melhor_as_a_marked_column(plano):
    head = ["Eixo", "Ação", "Quanto menor, melhor?", "Previsto", "Realizado", "Ano"]
    rows = [
        head,
        [E1, "Reduzir a fila do CadÚnico", "X", 20, 25],  # 20/25 = 0,8
        [E1, "Ampliar o SCFV", None, 50, 25],  # 0,5
        [E1, "Ampliar vagas", "Não", 10, 10],  # 1
    ]
    rows = [r if i == 0 else r + [2023] for i, r in enumerate(rows)]
    a = ok(plano, xlsx({"Metas": rows}))
    m = a.frames["metas"]
    assert [s if isinstance(s, str) else None for s in m["sentido"]] == [
        "Reduzir",
        None,
        "Aumentar",
    ]
    assert metrics.goal_scores(m).tolist() == pytest.approx([0.8, 0.5, 1.0])
    assert codes(a, "coluna_polaridade")


def test_a_reduction_text_without_a_direction_is_said_not_applied(plano):
    head = ["Eixo", "Ação", "Previsto", "Realizado", "Ano"]
    rows = [head, [E1, "Reduzir a fila do acolhimento", 20, 25, 2023], [E1, "Ampliar", 5, 5, 2023]]
    a = ok(plano, xlsx({"Metas": rows}))
    assert metrics.goal_scores(a.frames["metas"]).tolist() == pytest.approx([1.0, 1.0])
    (f,) = codes(a, "sentido_sugerido")
    assert f.linha == 2 and "(1 meta: linhas 2)" in f.mensagem


def test_a_reduction_text_is_applied_only_when_the_mapping_confirms_it(plano):
    from pmas.entrada.mapa import Mapa

    # "Reduzir a fila": previsto 20, realizado 25. Unconfirmed: realizado ÷ previsto = 25/20,
    # capped at 1. Confirmed: previsto ÷ realizado = 20/25 = 0,8. "Diminuir o tempo": 30 / 40:
    # as an increase 40/30 → 1; the answer "nao" keeps it so.
    head = ["Eixo", "Ação", "Previsto", "Realizado", "Ano"]
    rows = [
        head,
        [E1, "Reduzir a fila do acolhimento", 20, 25, 2023],
        [E1, "Diminuir o tempo de espera", 30, 40, 2023],
        [E1, "Ampliar vagas", 5, 5, 2023],
    ]
    a = ok(plano, xlsx({"Metas": rows}))
    assert a.reducoes_pendentes == ["Reduzir a fila do acolhimento", "Diminuir o tempo de espera"]
    assert metrics.goal_scores(a.frames["metas"]).tolist() == pytest.approx([1.0, 1.0, 1.0])
    (f,) = codes(a, "sentido_sugerido")
    assert "até você confirmar" in f.mensagem and "--reducao" in f.acao
    # the answers, written as the user saw them (compared without case and accents)
    mapa = Mapa(
        reducao={"REDUZIR a fila do acolhimento": "sim", "Diminuir o tempo de espera": "nao"}
    )
    b = ok(plano, xlsx({"Metas": rows}), mapa=mapa)
    m = b.frames["metas"]
    assert [x if isinstance(x, str) else None for x in m["sentido"]] == ["Reduzir", None, None]
    assert metrics.goal_scores(m).tolist() == pytest.approx([0.8, 1.0, 1.0])
    # índice = (0,8 + 1 + 1) ÷ 3
    check_figures(m, 3, 3, 100 * 2 / 3, 100 * 3 / 3, 100 * 2.8 / 3)
    assert b.reducoes_pendentes == [] and not codes(b, "sentido_sugerido")
    (sim,) = codes(b, "sentido_confirmado")
    (nao,) = codes(b, "sentido_recusado")
    assert (sim.linha, nao.linha) == (2, 3)
    assert "previsto ÷ realizado" in sim.mensagem and "(1 meta: linhas 2)" in sim.mensagem


def test_a_mapping_answer_must_be_sim_or_nao():
    from pmas.entrada.mapa import Mapa, MapaInvalido

    with pytest.raises(MapaInvalido, match="use “sim”"):
        Mapa.from_dict({"reducao": {"Reduzir a fila": "talvez"}})
    assert Mapa.from_json('{"reducao": {"Reduzir a fila": "sim"}}').reducao_de("reduzir a FILA")


def test_unknown_polarity_is_said(plano):
    head = ["Eixo", "Ação", "Sentido", "Previsto", "Realizado", "Ano"]
    rows = [head, [E1, "Ação A", "Estável", 10, 5, 2023]]
    a = ok(plano, xlsx({"Metas": rows}))
    (f,) = codes(a, "sentido_desconhecido")
    assert "“Estável”" in f.mensagem and f.linha == 2


# --- 6. A target of 0: not planned that year --------------------------------------------------


def test_zero_target_without_status_is_nao_se_aplica(store, plano):
    head = ["Código", "Eixo", "Ação"]
    head += ["Previsto 2023", "Realizado 2023", "Situação 2023"]
    head += ["Previsto 2024", "Realizado 2024", "Situação 2024"]
    rows = [
        head,
        ["1.1", E1, "Construir o CREAS", 0, None, None, 1, 0, None],  # 2023 NSA; 2024 NR
        ["1.2", E1, "Reformar o Centro POP", 0, 0, None, 1, 1, None],  # 2023 NSA; 2024 R
        ["1.3", E1, "Ampliar o SCFV", 100, 50, None, 0, 3, None],  # 2023 P; 2024 NSA
        ["1.4", E1, "Capacitar", 0, None, "Realizada", 10, 10, None],  # typed wins: R; R
    ]
    r = stored(store, plano, xlsx({"Metas": rows}))
    m = r.analysis.frames["metas"]
    y23 = m[m["ano"] == 2023]
    y24 = m[m["ano"] == 2024]
    assert by_code(y23, "situacao") == {
        "1.1": NAO_SE_APLICA,
        "1.2": NAO_SE_APLICA,
        "1.3": PARCIAL,
        "1.4": REALIZADA,
    }
    assert by_code(y24, "situacao") == {
        "1.1": NAO_REALIZADA,
        "1.2": REALIZADA,
        "1.3": NAO_SE_APLICA,
        "1.4": REALIZADA,
    }
    zero = codes(r.analysis, "previsto_zero")
    assert sorted((f.linha, f.nivel) for f in zero) == [(2, "aviso"), (3, "aviso"), (4, "aviso")]
    assert any("2024" in f.mensagem and "realizado seja 3" in f.mensagem for f in zero)
    # 2023: avaliáveis 1.3 (0,5) and 1.4 (1) → índice 75; 2024: 1.1 0, 1.2 1, 1.4 1 → 66,7
    assert consulta.resumo(store, 2023)["total"]["indice_cumprimento"] == pytest.approx(75.0)
    t24 = consulta.resumo(store, 2024)["total"]
    assert (t24["avaliaveis"], t24["indice_cumprimento"]) == (3, pytest.approx(200 / 3))


def test_zero_target_of_a_reduction_goal_is_a_target(plano):
    # "reduzir a zero": previsto 0 is the target, not "not planned"; realizado 0 → met
    head = ["Eixo", "Ação", "Sentido", "Previsto", "Realizado", "Ano"]
    rows = [
        head,
        [E1, "Zerar a fila", "Reduzir", 0, 0, 2023],
        [E1, "Zerar B", "Reduzir", 0, 4, 2023],
    ]
    m = ok(plano, xlsx({"Metas": rows})).frames["metas"]
    assert m["situacao"].tolist() == [REALIZADA, NAO_REALIZADA]


# --- 7. Two-row headers, the lower row holding only the sub-labels ----------------------------


@pytest.mark.parametrize("title", [False, True])
def test_two_row_header_sub_labels_below_a_group(store, plano, title):
    upper = ["Código", "Eixo", "Ação", "Responsável", "Execução 2024", None, None]
    lower = [None, None, None, None, "Previsto", "Realizado", "Situação"]
    rows = [upper, lower]
    rows += [
        ["1.1", E1, "Acompanhar famílias", "PSB", 100, 80, None],  # 0,8 P
        ["1.2", E1, "Capacitar", "Gestão", None, None, "Realizada"],  # 1 R
        ["2.1", E2, "Busca ativa", "PSB", 10, 0, None],  # 0 NR
    ]
    if title:
        rows = [["Prefeitura de Exemplo – PMAS"], [None]] + rows
    r = stored(store, plano, xlsx({"Plano de ação": rows}))
    a = r.analysis
    assert a.anos == [2024]
    m = a.frames["metas"]
    assert list(m["codigo"]) == ["1.1", "1.2", "2.1"]  # the sub-label row is no data
    assert by_code(m, "responsavel")["1.1"] == "PSB"
    assert a.sheets[0].header_row == (4 if title else 2)
    check_figures(m, 3, 3, 100 / 3, 200 / 3, 100 * 1.8 / 3)


def test_two_row_header_two_year_groups(plano):
    upper = ["Código", "Eixo", "Ação", "Execução 2023", None, "Execução 2024", None]
    lower = [None, None, None, "Previsto", "Realizado", "Previsto", "Realizado"]
    rows = [upper, lower, ["1.1", E1, "Ação", 10, 10, 20, 5]]
    m = ok(plano, xlsx({"Metas": rows})).frames["metas"]
    assert sorted(zip(m["ano"], m["previsto"], m["realizado"], m["situacao"])) == [
        (2023, 10, 10, REALIZADA),
        (2024, 20, 5, PARCIAL),
    ]


# --- 8. Plan-wide goals -----------------------------------------------------------------------


def test_yearly_realizado_against_a_plan_wide_target(store, plano):
    # "Meta para o quadriênio" 400 is the plan's target: never the year's previsto. With a
    # typed status the year scores that status (Em andamento 0,5), not 120/400 = 0,3.
    head = ["Código", "Eixo", "Ação", "Meta para o quadriênio", "Realizado 2023", "Situação 2023"]
    rows = [
        head,
        ["1.1", E1, "Famílias inseridas no CadÚnico", 400, 120, "Em andamento"],
        ["1.2", E1, "Vagas no SCFV", 80, 80, "Realizada"],
    ]
    r = stored(store, plano, xlsx({"Metas": rows}))
    m = r.analysis.frames["metas"]
    assert by_code(m, "meta_plano") == {"1.1": 400, "1.2": 80}
    assert m["previsto"].isna().all()
    assert metrics.goal_scores(m).tolist() == pytest.approx([0.5, 1.0])
    (f,) = codes(r.analysis, "meta_plano")
    assert "não entra no cumprimento do ano" in f.mensagem and "sem previsto do ano" in f.mensagem
    assert consulta.resumo(store, 2023)["total"]["indice_cumprimento"] == pytest.approx(75.0)


def test_plan_wide_target_with_no_status_nor_yearly_target_is_an_error(plano):
    head = ["Eixo", "Ação", "Meta cumulativa", "Realizado", "Ano"]
    a = analyse(xlsx({"Metas": [head, [E1, "A", 400, 120, 2023]]}), "m.xlsx", plano)
    assert not a.ok
    assert [f.codigo for f in a.findings if f.nivel == "erro"] == ["situacao_ausente"]


# --- never a silently wrong figure ------------------------------------------------------------


def test_ignored_columns_say_their_values_and_rows_add_up(plano):
    head = ["Código", "Eixo", "Ação", "Situação", "Secretaria parceira", None, "Execução (%)"]
    rows = [
        head,
        ["1.1", E1, "A", "Realizada", "SMS", "nota solta", 100],
        [None, None, None, None, None, None, None],
        ["", E1, None, None, "SMS", None, None],  # no código, ação nor situação: no goal
        ["Fonte: SMAS", None, None, None, None, None, None],
    ]
    a = ok(plano, xlsx({"Metas 2023": rows}))
    desconhecida = codes(a, "coluna_desconhecida")[0]
    assert desconhecida.coluna == "Secretaria parceira" and "“SMS”" in desconhecida.mensagem
    assert codes(a, "coluna_sem_titulo")[0].coluna == "F"
    assert codes(a, "coluna_calculada")[0].coluna == "Execução (%)"
    assert [f.linha for f in codes(a, "linha_sem_identificacao")] == [4]
    assert [f.linha for f in codes(a, "rodape_ignorado")] == [5]
    c = a.contagens
    assert (c["linhas_lidas"], c["linhas_guardadas"], c["em_branco"], c["sem_meta"]) == (4, 1, 1, 1)
    assert c["linhas_lidas"] == c["linhas_guardadas"] + c["linhas_puladas"]
    assert a.colunas_desconhecidas == ["Secretaria parceira"]


def test_findings_carry_the_goal_code_and_acao(plano):
    rows = [["Código", "Eixo", "Ação", "Situação", "Ano"], ["7.2", E1, "Ofertar SCFV", "60%", 2023]]
    a = ok(plano, xlsx({"Metas": rows}))
    (f,) = codes(a, "situacao_percentual")
    assert (f.codigo_meta, f.acao_meta) == ("7.2", "Ofertar SCFV")
