"""One "% realizadas" (DOMAIN.md: Realizada ÷ avaliáveis): every chart, hover and label says the
same figure as the cards and tables for the same filters, on screen and in the report; Cancelada
and Não se aplica stay outside the 100% and are named with how many."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pmas import fmt, textos
from pmas.analise import comparacao, metrics
from pmas.analise import filtros as flt
from pmas.dados.schema import CANCELADA, NAO_SE_APLICA, REALIZADA
from pmas.dados.store import Store
from pmas.entrada.pipeline import load_examples
from pmas.saida import charts, report
from tests import paginas
from tests.conftest import database_url


@pytest.fixture(scope="module")
def exemplo(tmp_path_factory):
    from pmas.dados.plano import DEFAULT_PLANO

    store = Store(database_url(tmp_path_factory.mktemp("pct")))
    load_examples(store, DEFAULT_PLANO)
    plano_id, plano = store.plans()[0]
    return store, plano, store.load("metas", plano_id)


FILTROS = [
    flt.Filtros(ano=2022),
    flt.Filtros(ano=2023),
    flt.Filtros(ano=2024),
    flt.Filtros(ano=2024, territorios=("Municipal",)),
    flt.Filtros(ano=2023, situacoes=(REALIZADA, CANCELADA, NAO_SE_APLICA)),
    flt.Filtros(ano=2024, eixo=4),
]


def trace(fig, name: str):
    return next(t for t in fig.data if t.name == name)


def _notes(fig):
    """The figure's annotations other than the category names written above the bars."""
    return [a for a in fig.layout.annotations or () if a.name != charts.LABEL_ANNOTATION]


def test_a_hand_made_eixo_reads_sixty_percent_with_two_goals_apart():
    """Eixo 4 of the issue: 12 goals, 2 Não se aplica, 6 Realizada of 10 avaliáveis = 60,0%."""
    frame = pd.DataFrame(
        [
            {
                "rotulo": "4. Controle Social",
                "metas": 12,
                "Realizada": 6,
                "Parcialmente realizada": 1,
                "Em andamento": 2,
                "Não iniciada": 0,
                "Não realizada": 1,
                "Cancelada": 0,
                "Não se aplica": 2,
            }
        ]
    )
    fig = charts.completion_bars(frame, "rotulo")
    real = trace(fig, REALIZADA)
    assert real.x[0] == pytest.approx(60.0)
    assert real.text[0] == "6 (60,0%)"
    assert "6 de 10 metas avaliáveis (60,0%)" in real.hovertext[0]
    assert "Fora do cálculo: 2 Não se aplica" in real.hovertext[0]
    assert sum(t.x[0] for t in fig.data) == pytest.approx(100.0)
    assert {t.name for t in fig.data}.isdisjoint({CANCELADA, NAO_SE_APLICA})
    notes = [a.text for a in _notes(fig)]
    assert "2 Não se aplica" in notes and any("Fora do cálculo" in n for n in notes)


def test_no_annotation_when_every_goal_counts():
    frame = pd.DataFrame([{"d": "A", "metas": 2, "Realizada": 1, "Não realizada": 1}])
    fig = charts.completion_bars(frame, "d")
    assert trace(fig, REALIZADA).x[0] == pytest.approx(50.0)
    assert not _notes(fig)


@pytest.mark.parametrize("f", FILTROS, ids=lambda f: str(f.to_query()))
def test_overview_and_eixos_charts_equal_the_tables(exemplo, f):
    _, plano, todas = exemplo
    metas = flt.apply(todas, f)
    by_eixo = metrics.completion_by_eixo(metas, plano)
    by_eixo = by_eixo[by_eixo["metas"] > 0].reset_index(drop=True)
    fig = charts.completion_bars(by_eixo, "rotulo_curto", key="numero", full_label="rotulo")
    for status_trace in fig.data:
        for i, share in enumerate(status_trace.x):
            row = by_eixo.iloc[i]
            assert share == pytest.approx(100.0 * row[status_trace.name] / row["avaliaveis"])
    real = trace(fig, REALIZADA)
    for i, row in by_eixo.iterrows():
        assert real.x[i] == pytest.approx(row["pct_realizadas"])
        # the same figure as the card of that eixo alone
        card = metrics.figures(metas[metas["eixo_numero"] == row["numero"]])
        assert fmt.pct(real.x[i]) == fmt.pct(card["pct_realizadas"])
        if row[REALIZADA]:
            assert f"({fmt.pct(row['pct_realizadas'])})" in real.text[i]
        apart = [f"{row[s]} {s}" for s in (CANCELADA, NAO_SE_APLICA) if row[s]]
        notes = [a.text for a in _notes(fig) if a.y == fig.data[0].y[i]]
        assert notes == (["<br>".join(apart)] if apart else [])
    # the índice chart shows the table's índice
    indice = charts.indice_bars(by_eixo, "rotulo_curto")
    for i, row in by_eixo.iterrows():
        assert indice.data[0].text[i] == fmt.pct(row["indice_cumprimento"])

    # one eixo's bars by diretriz (the Eixos screen): the same definition
    for numero in by_eixo["numero"]:
        group = metas[metas["eixo_numero"] == numero]
        por_diretriz = metrics.completion_by(
            group.assign(diretriz=group["diretriz"].fillna("(sem diretriz)")), "diretriz"
        )
        fig = charts.completion_bars(por_diretriz, "diretriz")
        if REALIZADA not in {t.name for t in fig.data}:
            continue
        real = trace(fig, REALIZADA)
        for i, row in por_diretriz.reset_index(drop=True).iterrows():
            expected = row["pct_realizadas"]
            assert real.x[i] == pytest.approx(0.0 if expected is None else expected)


def test_comparativo_charts_equal_the_figures_of_each_year(exemplo):
    _, plano, todas = exemplo
    por_ano = comparacao.completion_by_year(todas, plano)
    for figura in comparacao.FIGURAS:
        bars = charts.eixo_year_bars(por_ano, figura, y_title="x")
        lines = charts.eixo_year_lines(por_ano, figura, y_title="x")
        for t in bars.data:
            ano = int(t.name)
            for rotulo, y in zip(t.y, t.x):  # horizontal bars: the eixo on y, the value on x
                row = por_ano[
                    (por_ano["ano"] == ano) & (por_ano["curto"] == rotulo.replace("<br>", " "))
                ]
                assert len(row) == 1
                numero = int(row["numero"].iloc[0])
                year = todas[todas["ano"] == ano]
                group = year if numero == 0 else year[year["eixo_numero"] == numero]
                expected = metrics.figures(group)[figura]
                assert y == pytest.approx(0.0 if expected is None else expected)
        for t in lines.data:
            # legend names are wrapped (<br>) to fit a phone
            sub = por_ano[por_ano["curto"] == t.name.replace("<br>", " ")].sort_values("ano")
            assert len(sub)
            for y, v in zip(t.y, sub[figura]):
                assert (y is None and math.isnan(v)) or y == pytest.approx(v)


def test_report_charts_use_the_same_definition(exemplo):
    store, plano, todas = exemplo
    data = report._gather(store, 2024, None)
    figs = {name: fig for name, (fig, _alt) in report._figures(data).items()}
    by_eixo = metrics.completion_by_eixo(data.metas, plano)
    by_eixo = by_eixo[by_eixo["metas"] > 0].reset_index(drop=True)
    real = trace(figs["geral_situacao"], REALIZADA)
    assert [fmt.pct(x) for x in real.x] == [fmt.pct(v) for v in by_eixo["pct_realizadas"]]
    notes = " ".join(a.text for a in _notes(figs["geral_situacao"]))
    assert "1 Cancelada" in notes and "2 Não se aplica" in notes


def test_overview_screen_chart_equals_its_table_and_cards(monkeypatch, tmp_path):
    """On the Visão geral screen (AppTest), for the same filters: the stacked bar's Realizada
    share of each eixo is the "% realizadas" of the "Números por eixo" table."""
    at = paginas.page(monkeypatch, tmp_path, "visao-geral")
    at.query_params["ano"] = "2024"
    at.run()
    assert not at.exception
    fig = paginas.chart(at, 0)
    real = next(t for t in fig["data"] if t["name"] == REALIZADA)
    table = paginas.html_table(at, textos.VISAO_GERAL["numeros"])
    assert [fmt.pct(x) for x in real["x"]] == list(table["% realizadas"])
    # the whole plan's card: Realizada ÷ avaliáveis of the table's totals
    total_real = sum(int(n) for n in table[REALIZADA])
    total_aval = sum(int(n) for n in table["Avaliáveis"])
    assert paginas.metrics(at)["% realizadas"].startswith(fmt.pct(100 * total_real / total_aval))


def test_same_under_a_filter_on_screen(monkeypatch, tmp_path):
    at = paginas.page(monkeypatch, tmp_path, "visao-geral")
    at.query_params["ano"] = "2023"
    at.query_params["territorio"] = "Municipal"
    at.run()
    fig = paginas.chart(at, 0)
    real = next(t for t in fig["data"] if t["name"] == REALIZADA)
    table = paginas.html_table(at, textos.VISAO_GERAL["numeros"])
    assert [fmt.pct(x) for x in real["x"]] == list(table["% realizadas"])
