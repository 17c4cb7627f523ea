"""Year-over-year comparisons (pmas.analise.comparacao) and ``python -m pmas comparar``.

Every expected value is worked out by hand in the test from the small frames built here.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pmas import cli
from pmas.analise import comparacao as cmp
from pmas.dados.plano import Eixo, Plano
from pmas.dados.schema import (
    CANCELADA,
    EM_ANDAMENTO,
    NAO_INICIADA,
    NAO_REALIZADA,
    NAO_SE_APLICA,
    PARCIAL,
    REALIZADA,
)
from tests.conftest import database_url

PLANO = Plano(
    municipio="Teste",
    nome="PMAS 2022-2025",
    ano_inicio=2022,
    ano_fim=2025,
    eixos=(Eixo(1, "Gestão do SUAS", "Gestão"), Eixo(2, "Proteção Social", "Proteção")),
)
COLUMNS = [
    "codigo",
    "eixo_numero",
    "eixo",
    "acao",
    "meta",
    "ano",
    "situacao",
    "justificativa",
    "previsto",
    "realizado",
    "sentido",
    "linha_de_base",
    "unidade",
]


def goal(
    codigo,
    eixo,
    acao,
    ano,
    situacao,
    *,
    meta="",
    justificativa=None,
    previsto=None,
    realizado=None,
    sentido=None,
    base=None,
    unidade=None,
) -> dict:
    return {
        "codigo": codigo,
        "eixo_numero": eixo,
        "eixo": PLANO.eixo(eixo).nome,
        "acao": acao,
        "meta": meta,
        "ano": ano,
        "situacao": situacao,
        "justificativa": justificativa,
        "previsto": previsto,
        "realizado": realizado,
        "sentido": sentido,
        "linha_de_base": base,
        "unidade": unidade,
    }


def frame(*goals: dict) -> pd.DataFrame:
    f = pd.DataFrame(list(goals), columns=COLUMNS)
    f["eixo_numero"] = f["eixo_numero"].astype("Int64")
    f["ano"] = f["ano"].astype("Int64")
    for c in ("previsto", "realizado", "linha_de_base"):
        f[c] = pd.to_numeric(f[c]).astype("float64")
    return f


# --- completion per eixo per year and the changes in p.p. ---------------------------------------

# 2022: eixo 1 = Realizada, Não realizada → 1/2 = 50%; eixo 2 = Parcial, Cancelada → 0/1 = 0%
#       total: 1 realizada / 3 avaliáveis = 33,33…%
# 2023: eixo 1 = Realizada, Realizada → 100%;      eixo 2 = Parcial → 0%
#       total: 2 / 3 = 66,66…%
YEARS = frame(
    goal("1.1", 1, "Lei do SUAS", 2022, REALIZADA),
    goal("1.2", 1, "Diagnóstico", 2022, NAO_REALIZADA),
    goal("2.1", 2, "PAIF", 2022, PARCIAL),
    goal("2.2", 2, "Casa de passagem", 2022, CANCELADA),
    goal("1.1", 1, "Lei do SUAS", 2023, REALIZADA),
    goal("1.2", 1, "Diagnóstico", 2023, REALIZADA),
    goal("2.1", 2, "PAIF", 2023, PARCIAL),
)


def test_completion_by_year_per_eixo_and_total():
    t = cmp.completion_by_year(YEARS, PLANO)
    got = {(r.ano, r.numero): r.pct_realizadas for r in t.itertuples()}
    assert got[(2022, 1)] == pytest.approx(50.0)
    assert got[(2022, 2)] == pytest.approx(0.0)
    assert got[(2022, 0)] == pytest.approx(100 / 3)
    assert got[(2023, 1)] == pytest.approx(100.0)
    assert got[(2023, 0)] == pytest.approx(200 / 3)
    # eixo 2 in 2022: Parcial scores 0,5 over 1 avaliável → índice 50; real. ou parciais 100
    row = t[(t["ano"] == 2022) & (t["numero"] == 2)].iloc[0]
    assert (row["metas"], row["avaliaveis"]) == (2, 1)
    assert row["indice_cumprimento"] == pytest.approx(50.0)
    assert row["pct_realizadas_ou_parciais"] == pytest.approx(100.0)
    assert list(t[t["ano"] == 2022]["curto"]) == ["1. Gestão", "2. Proteção", "Total do plano"]


def test_pp_changes_and_arrows():
    v = cmp.pp_changes(cmp.completion_by_year(YEARS, PLANO), "pct_realizadas")
    by = {r.numero: r for r in v.itertuples()}
    assert (by[1].de, by[1].para) == (2022, 2023)
    assert by[1].variacao_pp == pytest.approx(50.0) and by[1].tendencia == "▲"
    assert by[2].variacao_pp == pytest.approx(0.0) and by[2].tendencia == "▬"
    assert by[0].variacao_pp == pytest.approx(100 / 3) and by[0].tendencia == "▲"
    assert cmp.arrow(-0.04) == "▬"  # rounds to 0,0 p.p.
    assert cmp.arrow(-0.06) == "▼"
    assert cmp.arrow(None) == ""
    assert cmp.pp_change(None, 50.0) is None


def test_pp_change_unknown_when_a_year_has_no_avaliavel_goal():
    f = frame(goal("1", 1, "A", 2022, NAO_SE_APLICA), goal("1", 1, "A", 2023, REALIZADA))
    v = cmp.pp_changes(cmp.completion_by_year(f, PLANO, total=False))
    row = v[v["numero"] == 1].iloc[0]
    assert pd.isna(row["valor_de"]) and row["valor_para"] == 100.0
    assert pd.isna(row["variacao_pp"]) and row["tendencia"] == ""


# --- matching goals across years ----------------------------------------------------------------

A = frame(
    goal("1.1", 1, "Revisar a lei", 2022, REALIZADA, meta="Lei aprovada"),
    goal("1.2", 1, "Publicar boletim", 2022, PARCIAL, meta="2 boletins"),
    goal("1.3", 1, "Capacitar conselheiros", 2022, EM_ANDAMENTO, meta="40 conselheiros"),
    goal(None, 2, "Ampliar o SCFV", 2022, NAO_INICIADA, meta="Vagas"),
    goal("2.9", 2, "Implantar república", 2022, NAO_INICIADA, justificativa="Sem recurso"),
    goal("2.5", 2, "Busca ativa", 2022, REALIZADA, meta="20 ações"),
)
B = frame(
    goal(
        " 1.1 ",
        1,
        "Revisar a lei",
        2023,
        NAO_REALIZADA,
        meta="Lei aprovada",
        justificativa="Câmara não votou",
    ),
    goal("1.2", 1, "Publicar boletim", 2023, EM_ANDAMENTO, meta="2 boletins"),
    # código changed from 1.3 to 1.4; text identical up to accents, case and spaces
    goal("1.4", 1, "CAPACITAR  conselheiros", 2023, REALIZADA, meta="40 Conselheiros"),
    goal(
        None,
        2,
        "Ampliar o SCFV",
        2023,
        NAO_INICIADA,
        meta="vagas",
        justificativa="Chamamento não publicado",
    ),
    goal("2.9", 2, "Implantar república", 2023, CANCELADA),
    goal(None, 2, "Busca ativa", 2023, PARCIAL, meta="20 ações"),  # código dropped in 2023
    goal("2.7", 2, "Horta comunitária", 2023, REALIZADA),  # new in 2023
)


def test_match_goals_by_code_text_changed_code_and_single_year():
    p = cmp.match_goals(A, B)
    how = dict(
        zip(p["codigo_a"].fillna("-") + ">" + p["codigo_b"].fillna("-"), p["correspondencia"])
    )
    assert how == {
        "1.1> 1.1 ": cmp.POR_CODIGO,  # " 1.1 " is the same código
        "1.2>1.2": cmp.POR_CODIGO,
        "1.3>1.4": cmp.CODIGO_ALTERADO,
        "->-": cmp.POR_TEXTO,  # no código in either year: by text
        "2.9>2.9": cmp.POR_CODIGO,
        "2.5>-": cmp.POR_TEXTO,  # código only in 2022: by text
        "->2.7": cmp.SO_EM_B,  # only in 2023: listed, not dropped
    }
    # the código shown: the one of 2023, or of 2022 when 2023 has none
    assert list(p["codigo"].fillna("-")) == [" 1.1 ", "1.2", "1.4", "-", "2.9", "2.5", "2.7"]
    assert cmp.matching_counts(p) == {
        "pareadas": 6,
        "por_codigo": 3,
        "por_texto": 2,
        "codigo_alterado": 1,
        "so_em_de": 0,
        "so_em_para": 1,
    }


def test_goal_only_in_first_year_is_listed():
    p = cmp.match_goals(A, B.iloc[:5])
    only = p[p["correspondencia"] == cmp.SO_EM_A]
    assert list(only["codigo_a"]) == ["2.5"]
    assert only["situacao_b"].isna().all()
    assert len(p) == 6  # 5 pairs + 1 unmatched: every goal of A is there


def test_same_code_wins_over_same_text():
    # 2023 has a goal with code 1 (other text) and one with code 9 (the text of 2022's code 1):
    # code 1 pairs with code 1; code 9 is a new goal, not a "código alterado"
    a = frame(goal("1", 1, "Texto antigo", 2022, REALIZADA))
    b = frame(
        goal("1", 1, "Texto novo", 2023, REALIZADA), goal("9", 1, "Texto antigo", 2023, REALIZADA)
    )
    p = cmp.match_goals(a, b)
    assert list(p["correspondencia"]) == [cmp.POR_CODIGO, cmp.SO_EM_B]


# --- transitions, regressions, stalls -------------------------------------------------------------


def test_transition_matrix_and_dict():
    p = cmp.match_goals(A, B)
    m = cmp.transition_matrix(p)
    # pairs: Realizada→Não realizada, Parcial→Em andamento, Em andamento→Realizada,
    # Não iniciada→Não iniciada, Não iniciada→Cancelada, Realizada→Parcial
    assert m.loc[REALIZADA, NAO_REALIZADA] == 1
    assert m.loc[REALIZADA, PARCIAL] == 1
    assert m.loc[PARCIAL, EM_ANDAMENTO] == 1
    assert m.loc[EM_ANDAMENTO, REALIZADA] == 1
    assert m.loc[NAO_INICIADA, NAO_INICIADA] == 1
    assert m.loc[NAO_INICIADA, CANCELADA] == 1
    assert int(m.values.sum()) == 6  # the goal only in 2023 is not a transition
    assert cmp.transitions(p) == {
        REALIZADA: {PARCIAL: 1, NAO_REALIZADA: 1},
        PARCIAL: {EM_ANDAMENTO: 1},
        EM_ANDAMENTO: {REALIZADA: 1},
        NAO_INICIADA: {NAO_INICIADA: 1, CANCELADA: 1},
    }
    compact = cmp.transition_matrix(p, compact=True)
    assert list(compact.index) == [REALIZADA, PARCIAL, EM_ANDAMENTO, NAO_INICIADA]
    assert NAO_SE_APLICA not in compact.columns


def test_regressions_and_stalls():
    p = cmp.match_goals(A, B)
    reg = cmp.regressions(p)
    # Realizada→Não realizada and Realizada→Parcial fell; Parcial→Em andamento is the same
    # rank (0,5); Não iniciada→Cancelada leaves the denominator, not a regression
    assert sorted(reg["acao"]) == ["Busca ativa", "Revisar a lei"]
    assert list(reg.loc[reg["acao"] == "Revisar a lei", "justificativa_b"]) == ["Câmara não votou"]
    stall = cmp.stalls(p)
    assert list(stall["acao"]) == ["Ampliar o SCFV"]
    assert list(stall["justificativa_b"]) == ["Chamamento não publicado"]


@pytest.mark.parametrize(
    "a,b,expected",
    [
        (REALIZADA, NAO_REALIZADA, True),
        (REALIZADA, PARCIAL, True),
        (EM_ANDAMENTO, NAO_INICIADA, True),
        (PARCIAL, NAO_REALIZADA, True),
        (PARCIAL, EM_ANDAMENTO, False),
        (NAO_INICIADA, NAO_REALIZADA, False),
        (NAO_REALIZADA, REALIZADA, False),
        (REALIZADA, CANCELADA, False),
        (NAO_SE_APLICA, NAO_REALIZADA, False),
        (REALIZADA, REALIZADA, False),
    ],
)
def test_regressed_order(a, b, expected):
    assert cmp.regressed(a, b) is expected


# --- pace -----------------------------------------------------------------------------------------


def test_pace_increase_on_below_and_above():
    # base 100 at the end of 2021, target 200 in 2025: 4 years; at the end of 2023, s = 2/4,
    # esperado = 100 + 100 × 0,5 = 150
    kw = dict(base=100, meta=200, ano=2023, ano_base=2021, ano_fim=2025, sentido="Aumentar")
    r = cmp.pace(154, **kw)
    assert r.esperado == pytest.approx(150.0)
    assert r.desvio_pp == pytest.approx(4.0) and r.rotulo == cmp.NO_RITMO
    assert cmp.pace(155, **kw).rotulo == cmp.NO_RITMO  # exactly +5 p.p.: inside the band
    assert cmp.pace(156, **kw).rotulo == cmp.ACIMA
    r = cmp.pace(130, **kw)
    assert r.desvio_pp == pytest.approx(-20.0) and r.rotulo == cmp.ABAIXO


def test_pace_reduce_flips_direction():
    # base 40, target 20 (reduce); 2023 of 2022-2025 with ano_base 2021: s = 0,5, esperado 30
    kw = dict(base=40, meta=20, ano=2023, ano_base=2021, ano_fim=2025, sentido="Reduzir")
    r = cmp.pace(25, **kw)  # lower than expected: ahead, (25 − 30) ÷ 20 × 100 × −1 = +25
    assert r.esperado == pytest.approx(30.0)
    assert r.desvio_pp == pytest.approx(25.0) and r.rotulo == cmp.ACIMA
    assert cmp.pace(34, **kw).rotulo == cmp.ABAIXO  # −20 p.p.
    # without a sentido the direction comes from the numbers: target below base = reduce
    assert cmp.pace(34, **{**kw, "sentido": None}).rotulo == cmp.ABAIXO


def test_pace_keep_a_value_and_missing():
    # "Manter 10 CRAS": base = target = 10, scale |10|; 9 → −10 p.p.
    kw = dict(base=10, meta=10, ano=2023, ano_base=2022, ano_fim=2025, sentido="Manter")
    assert cmp.pace(10, **kw).rotulo == cmp.NO_RITMO
    assert cmp.pace(9, **kw).desvio_pp == pytest.approx(-10.0)
    assert cmp.pace(9, **kw).rotulo == cmp.ABAIXO
    assert cmp.pace(None, **kw) is None
    assert cmp.pace(5, **{**kw, "meta": None}) is None
    assert cmp.elapsed_share(2024, 2022, 2025) == pytest.approx(2 / 3)


def test_indicator_series_uses_first_year_as_base():
    ind = pd.DataFrame(
        {
            "indicador": ["Famílias no PAIF"] * 3 + ["Outro"],
            "ano": [2022, 2023, 2024, 2023],
            "mes": [12, 12, 12, 12],
            "valor": [2140.0, 2905.0, 2400.0, 5.0],
            "unidade": ["famílias"] * 3 + ["x"],
            "territorio": ["Municipal"] * 4,
            "fonte": ["RMA"] * 4,
            "eixo": ["Eixo 2"] * 4,
            "meta_valor": [3000.0, 3000.0, 3000.0, None],
        }
    )
    s = cmp.indicator_series(ind, "Famílias no PAIF", PLANO)
    assert list(s["ano"]) == [2022, 2023, 2024]
    assert list(s["ritmo"]) == [cmp.ANO_BASE, cmp.ACIMA, cmp.ABAIXO]
    # 2023: s = 1/3, esperado = 2140 + 860/3 = 2426,67; desvio = (2905 − 2426,67)/860 × 100
    assert s.loc[1, "esperado"] == pytest.approx(2140 + 860 / 3)
    assert s.loc[1, "desvio_pp"] == pytest.approx((2905 - (2140 + 860 / 3)) / 860 * 100)
    # 2024: s = 2/3, esperado = 2713,33; 2400 is (2400 − 2713,33)/860 = −36,4 p.p.
    assert s.loc[2, "desvio_pp"] == pytest.approx((2400 - (2140 + 860 * 2 / 3)) / 860 * 100)
    assert s.loc[2, "execucao_pct"] == pytest.approx(80.0)  # 2400 ÷ 3000
    resumo = cmp.indicators_pace(ind, PLANO)
    assert list(resumo["indicador"]) == ["Famílias no PAIF"]  # "Outro" has no target
    assert resumo.loc[0, "ritmo"] == cmp.ABAIXO


def test_indicator_series_prefers_the_municipal_row_over_the_sum():
    ind = pd.DataFrame(
        {
            "indicador": ["Vagas"] * 5,
            "ano": [2022, 2022, 2022, 2023, 2023],
            "mes": [12, 12, 12, 12, 12],
            "valor": [30.0, 70.0, 100.0, 40.0, 80.0],
            "unidade": ["vagas"] * 5,
            "territorio": ["Norte", "Sul", "Municipal", "Norte", "Sul"],
            "fonte": [None] * 5,
            "eixo": [None] * 5,
            "meta_valor": [None] * 5,
        }
    )
    s = cmp.indicator_series(ind, "Vagas", PLANO)
    # 2022 has a Municipal row (100, not 30 + 70 + 100); 2023 has only territories: 40 + 80
    assert list(s["realizado"]) == [100.0, 120.0]
    assert list(cmp.indicator_series(ind, "Vagas", PLANO, territorio="Sul")["realizado"]) == [
        70.0,
        80.0,
    ]


def test_goal_series_with_baseline_and_reduce():
    m = frame(
        goal(
            "3.1",
            2,
            "Fila do acolhimento",
            2022,
            PARCIAL,
            previsto=30,
            realizado=34,
            sentido="Reduzir",
            base=40,
            unidade="pessoas",
        ),
        goal(
            "3.1",
            2,
            "Fila do acolhimento",
            2023,
            REALIZADA,
            previsto=25,
            realizado=24,
            sentido="Reduzir",
            base=40,
            unidade="pessoas",
        ),
        goal(
            "3.1",
            2,
            "Fila do acolhimento",
            2024,
            REALIZADA,
            previsto=20,
            realizado=20,
            sentido="Reduzir",
            base=40,
            unidade="pessoas",
        ),
    )
    chave = cmp.numeric_goals(m)["chave"].iloc[0]
    s = cmp.goal_series(m, chave, PLANO)
    # target: no 2025 row, so the latest previsto (20); base 40 at the end of 2021
    assert s["meta"].eq(20.0).all()
    # 2022: s = 1/4, esperado 35; 34 is 1 below: +5 p.p. (reduce) → no ritmo
    # 2023: s = 2/4, esperado 30; 24 → +30 p.p. → acima; 2024: s = 3/4, esperado 25; 20 → +25
    assert list(s["esperado"]) == pytest.approx([35.0, 30.0, 25.0])
    assert list(s["desvio_pp"]) == pytest.approx([5.0, 30.0, 25.0])
    assert list(s["ritmo"]) == [cmp.NO_RITMO, cmp.ACIMA, cmp.ACIMA]
    # execução for reduce goals: previsto ÷ realizado (30/34, 25/24, 20/20)
    assert list(s["execucao_pct"]) == pytest.approx([3000 / 34, 2500 / 24, 100.0])


def test_goal_series_without_baseline_starts_at_first_year():
    m = frame(
        goal("4", 1, "Campanhas", 2022, REALIZADA, previsto=2, realizado=2),
        goal("4", 1, "Campanhas", 2023, PARCIAL, previsto=4, realizado=3),
    )
    s = cmp.goal_series(m, "c:4", PLANO)
    # base 2 (2022), target 4 (latest previsto), 2023: s = 1/3, esperado 2,667; 3 → +16,7 p.p.
    assert list(s["ritmo"]) == [cmp.ANO_BASE, cmp.ACIMA]
    assert s.loc[1, "desvio_pp"] == pytest.approx((3 - (2 + 2 / 3)) / 2 * 100)


# --- the CLI contract -----------------------------------------------------------------------------


def test_compare_contract():
    data = cmp.compare(pd.concat([A, B], ignore_index=True), PLANO, 2022, 2023)
    assert data["de"] == 2022 and data["para"] == 2023
    e1 = data["eixos"][0]
    # eixo 1, 2022: Realizada, Parcial, Em andamento → 1/3; 2023: Não realizada, Em andamento,
    # Realizada → 1/3; realizadas ou parciais 2/3 → 1/3
    assert (e1["numero"], e1["nome"]) == (1, "Gestão do SUAS")
    assert e1["pct_realizadas"]["de"] == pytest.approx(100 / 3)
    assert e1["pct_realizadas"]["variacao_pp"] == pytest.approx(0.0)
    assert e1["pct_realizadas_ou_parciais"]["variacao_pp"] == pytest.approx(-100 / 3)
    assert set(e1) == {
        "numero",
        "nome",
        "pct_realizadas",
        "pct_realizadas_ou_parciais",
        "indice_cumprimento",
    }
    assert data["transicoes"][REALIZADA] == {PARCIAL: 1, NAO_REALIZADA: 1}
    assert data["pareamento"]["codigo_alterado"] == 1 and data["pareamento"]["so_em_para"] == 1
    assert (data["regrediram"], data["estagnadas"]) == (2, 1)
    json.dumps(data)  # plain JSON types only


@pytest.fixture
def banco_exemplo(tmp_path):
    from pmas.dados.plano import LONDRINA
    from pmas.dados.store import Store
    from pmas.entrada.pipeline import load_examples

    url = database_url(tmp_path)
    load_examples(Store(url), LONDRINA)
    return url


def test_cli_comparar_json(capsys, banco_exemplo):
    code = cli.main(
        [
            "comparar",
            "--de",
            "2023",
            "--para",
            "2024",
            "--formato",
            "json",
            "--banco",
            banco_exemplo,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    assert data["municipio"] == "Londrina" and (data["de"], data["para"]) == (2023, 2024)
    assert [e["numero"] for e in data["eixos"]] == [1, 2, 3, 4, 5]
    assert data["pareamento"]["pareadas"] == 68 and data["pareamento"]["so_em_de"] == 0
    # the example's 2.4.2 and 5.3.6 (among others) went from Realizada to Não realizada
    assert data["transicoes"]["Realizada"]["Não realizada"] >= 2
    assert sum(n for cells in data["transicoes"].values() for n in cells.values()) == 68


def test_cli_comparar_text_and_errors(capsys, banco_exemplo):
    assert cli.main(["--banco", banco_exemplo, "comparar", "--de", "2022", "--para", "2023"]) == 0
    out = capsys.readouterr().out
    assert "2022 → 2023" in out and "p.p." in out and "Transições" in out
    assert cli.main(["comparar", "--de", "2019", "--para", "2023", "--banco", banco_exemplo]) == 1
    assert "Não há metas de 2019" in capsys.readouterr().err
    assert cli.main(["comparar", "--de", "2023", "--para", "2023", "--banco", banco_exemplo]) == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["comparar", "--de", "2023"])
    assert exc.value.code == 2
