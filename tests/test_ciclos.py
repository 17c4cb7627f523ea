"""Comparisons across two consecutive plans (issue #11): Londrina's PMAS 2022-2025 with 2025
data, PMAS 2026-2029 created with ``plano proximo`` (eixo 5 then renamed "Gestão do SUAS") and
2026 data imported into it. Comparativo 2025 → 2026 and the goal history follow the goals by
código across the boundary, eixos by number with both names, and say that the comparison
crosses from one plan to the other. Figures are computed by hand below. SQLite, and PostgreSQL
with PMAS_TESTE_PG_URL (the ``store`` fixture); an AppTest of the Comparativo and Eixos
screens."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pmas import cli, textos
from pmas.acesso import gestao
from pmas.acesso.actor import linha_de_comando
from pmas.analise import ciclos, consulta
from pmas.dados.plano import LONDRINA, Eixo, Plano
from pmas.dados.store import Store
from pmas.entrada.pipeline import load_examples
from tests.conftest import ROOT, database_url, xlsx

HEADER = ["Código", "Eixo", "Ação", "Situação"]
E1 = "Política Municipal de Assistência Social"
E2 = "Serviços, Programas e Projetos de Enfrentamento à Pobreza"
E3 = "Transferência de Renda e Benefícios"
METAS_2025 = [
    ["1.1", E1, "Revisar a lei municipal do SUAS", "Realizada"],
    ["2.1", E2, "Ampliar o PAIF", "Parcialmente realizada"],
    ["3.1", E3, "Busca ativa do BPC", "Não iniciada"],
    ["5.1", "Gestão", "Concurso público", "Realizada"],
]
METAS_2026 = [  # the same códigos carried over, and one new goal
    ["1.1", E1, "Revisar a lei municipal do SUAS", "Realizada"],
    ["2.1", E2, "Ampliar o PAIF", "Realizada"],
    ["3.1", E3, "Busca ativa do BPC", "Não iniciada"],
    ["5.1", "Gestão do SUAS", "Concurso público", "Não realizada"],
    ["5.2", "Gestão do SUAS", "Implantar a vigilância", "Em andamento"],
]
# By hand. 2025: 4 avaliáveis, 2 Realizada, 1 Parcial → 50,0% | 75,0% | índice (1+0,5+0+1)/4
# = 62,5%. 2026: 5 avaliáveis, 2 Realizada, no Parcial → 40,0% | 40,0% | índice
# (1+1+0+0+0,5)/5 = 50,0%. Eixo 5: 2025 100% realizadas; 2026 0% (índice (0+0,5)/2 = 25,0%).
TOTAL = {
    "pct_realizadas": {"de": 50.0, "para": 40.0, "variacao_pp": -10.0},
    "pct_realizadas_ou_parciais": {"de": 75.0, "para": 40.0, "variacao_pp": -35.0},
    "indice_cumprimento": {"de": 62.5, "para": 50.0, "variacao_pp": -12.5},
}


def _dois_ciclos(store: Store, tmp_path, capsys) -> tuple[int, int]:
    """PMAS 2022-2025 with 2025, PMAS 2026-2029 by ``plano proximo`` with 2026 (eixo 5 renamed);
    the example data too, in its own plan (never part of the real plans' chain)."""
    banco = ["--banco", store.url]
    load_examples(store, LONDRINA)
    gestao.criar_plano(store, LONDRINA, actor=linha_de_comando())
    a25, a26 = tmp_path / "metas_2025.xlsx", tmp_path / "metas_2026.xlsx"
    a25.write_bytes(xlsx({"Metas 2025": [HEADER, *METAS_2025]}))
    a26.write_bytes(xlsx({"Metas 2026": [HEADER, *METAS_2026]}))
    assert cli.main([*banco, "importar", "--municipio", "Londrina", str(a25)]) == 0
    proximo = ["plano", "proximo", "--municipio", "Londrina", "--inicio", "2026", "--fim", "2029"]
    assert cli.main([*banco, *proximo]) == 0
    b_id, b = store.plan("Londrina", "PMAS 2026-2029")
    eixos = tuple(
        replace(e, nome="Gestão do SUAS", aliases=()) if e.numero == 5 else e for e in b.eixos
    )
    gestao.alterar_plano(store, b_id, replace(b, eixos=eixos), actor=linha_de_comando())
    assert cli.main([*banco, "importar", "--municipio", "Londrina", str(a26)]) == 0
    capsys.readouterr()
    a_id = store.plan("Londrina", "PMAS 2022-2025")[0]
    assert consulta.goal_years(store.load("metas", a_id)) == [2025]
    assert consulta.goal_years(store.load("metas", b_id)) == [2026]
    return a_id, b_id


def test_vizinhos_only_consecutive_plans_of_one_kind():
    a = Plano("X", "P1", 2018, 2021, (Eixo(1, "A"),))
    b = Plano("X", "P2", 2022, 2025, (Eixo(1, "A"),))
    c = Plano("X", "P3", 2027, 2030, (Eixo(1, "A"),))  # a gap year: not consecutive
    ex = replace(b, nome="P2 (exemplo)", exemplo=True)
    outro = Plano("Y", "P", 2026, 2026, (Eixo(1, "A"),))
    plans = [(1, a), (2, b), (3, c), (4, ex), (5, outro)]
    assert ciclos.vizinhos(plans, 2) == [(1, a), (2, b)]
    assert ciclos.vizinhos(plans, 3) == [(3, c)]
    assert ciclos.vizinhos(plans, 4) == [(4, ex)]  # the example is not next to real plans
    assert ciclos.vizinhos(plans, 9) == []
    assert ciclos.eixos_diferentes(
        Plano("X", "P1", 1, 1, (Eixo(1, "A"), Eixo(2, "B"))),
        Plano("X", "P2", 2, 2, (Eixo(1, "A"), Eixo(3, "C"))),
    ) == [
        {"numero": 2, "nome_de": "B", "nome_para": None},
        {"numero": 3, "nome_de": None, "nome_para": "C"},
    ]


def test_comparar_2025_to_2026_across_the_plan_boundary(store, tmp_path, capsys):
    a_id, b_id = _dois_ciclos(store, tmp_path, capsys)
    cadeia, metas = consulta.metas_em_ciclos(store, b_id)
    assert [pid for pid, _ in cadeia] == [a_id, b_id]
    assert consulta.goal_years(metas) == [2025, 2026]
    assert set(metas.loc[metas["ano"] == 2025, "plano"]) == {"PMAS 2022-2025"}

    banco = ["--banco", store.url]
    code = cli.main([*banco, "comparar", "--de", "2025", "--para", "2026", "--formato", "json"])
    out = capsys.readouterr().out
    assert code == 0, out
    data = json.loads(out)
    assert (data["municipio"], data["de"], data["para"]) == ("Londrina", 2025, 2026)
    assert (data["plano_de"], data["plano_para"]) == ("PMAS 2022-2025", "PMAS 2026-2029")
    assert data["cruza_planos"] is True
    assert data["total"] == TOTAL
    assert data["pareamento"]["pareadas"] == 4  # 1.1, 2.1, 3.1, 5.1 by código
    assert (data["pareamento"]["so_em_de"], data["pareamento"]["so_em_para"]) == (0, 1)
    assert (data["regrediram"], data["estagnadas"]) == (1, 1)  # 5.1; 3.1
    assert data["transicoes"]["Realizada"] == {"Realizada": 1, "Não realizada": 1}
    assert data["transicoes"]["Parcialmente realizada"] == {"Realizada": 1}
    eixos = {e["numero"]: e for e in data["eixos"]}
    assert eixos[5]["nome_de"] == "Gestão" and eixos[5]["nome_para"] == "Gestão do SUAS"
    assert eixos[5]["pct_realizadas"] == {"de": 100.0, "para": 0.0, "variacao_pp": -100.0}
    assert eixos[5]["indice_cumprimento"] == {"de": 100.0, "para": 25.0, "variacao_pp": -75.0}
    assert eixos[2]["pct_realizadas"] == {"de": 0.0, "para": 100.0, "variacao_pp": 100.0}
    assert eixos[4]["pct_realizadas"] == {"de": None, "para": None, "variacao_pp": None}
    assert data["eixos_diferentes"] == [
        {"numero": 5, "nome_de": "Gestão", "nome_para": "Gestão do SUAS"}
    ]
    assert "PMAS 2022-2025" in data["aviso"] and "PMAS 2026-2029" in data["aviso"]

    # the text output says it crosses the boundary too
    assert cli.main([*banco, "comparar", "--para", "2026", "--de", "2025"]) == 0
    text = capsys.readouterr().out
    assert "Londrina — PMAS 2022-2025 → PMAS 2026-2029 — 2025 → 2026" in text
    assert "atravessa a fronteira entre dois planos" in text
    assert "eixo 5: “Gestão” → “Gestão do SUAS”" in text

    # inside one plan nothing changes: no boundary, the plan's own names
    code = cli.main(
        [*banco, "comparar", "--plano", "PMAS 2026-2029", "--de", "2026", "--para", "2025"]
    )
    assert code == 0
    capsys.readouterr()


def test_goal_history_follows_the_code_into_the_next_plan(store, tmp_path, capsys):
    _, b_id = _dois_ciclos(store, tmp_path, capsys)
    _, metas = consulta.metas_em_ciclos(store, b_id)
    goal = metas[(metas["ano"] == 2026) & (metas["codigo"] == "5.1")].iloc[0]
    hist, planos = ciclos.historico(metas, goal)
    assert list(hist["ano"]) == [2025, 2026]
    assert list(hist["situacao"]) == ["Realizada", "Não realizada"]
    assert list(hist["plano"]) == ["PMAS 2022-2025", "PMAS 2026-2029"]
    assert planos == ["PMAS 2022-2025", "PMAS 2026-2029"]
    nova = metas[metas["codigo"] == "5.2"].iloc[0]
    assert ciclos.historico(metas, nova)[1] == ["PMAS 2026-2029"]  # only in the new plan


def test_juntar_never_counts_a_year_twice():
    a = Plano("X", "A", 2022, 2025, (Eixo(1, "E"),))
    b = Plano("X", "B", 2026, 2029, (Eixo(1, "E"),))
    frame = pd.DataFrame({"ano": [2025, 2026], "codigo": ["1", "1"], "situacao": ["x", "y"]})
    # plan A holds (after an edit of its period) a 2026 row too: plan B's 2026 wins on B's screen
    metas = {1: frame, 2: frame[frame["ano"] == 2026].assign(situacao="z")}
    out = ciclos.juntar([(1, a), (2, b)], metas, 2)
    assert list(zip(out["ano"], out["situacao"], out["plano"])) == [
        (2025, "x", "A"),
        (2026, "z", "B"),
    ]


# --- the screens -------------------------------------------------------------------------------


@pytest.fixture
def tela(tmp_path, monkeypatch, capsys):
    url = database_url(tmp_path)
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    st.cache_data.clear()
    st.cache_resource.clear()
    store = Store(url)
    ids = _dois_ciclos(store, tmp_path, capsys)
    yield ids
    store.engine.dispose()
    st.cache_data.clear()
    st.cache_resource.clear()


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _plain(values) -> str:
    return re.sub(r"\\(.)", r"\1", "\n".join(str(v.value) for v in values))


def test_comparativo_screen_compares_2025_with_2026_and_names_both_plans(tela, monkeypatch):
    from pmas.ui import components

    baixados = {}  # each download's extra filters (they go into the XLSX "Filtros" sheet)
    real_downloads = components.downloads

    def downloads(frame, labels, **kw):
        baixados[kw["key"]] = dict(kw.get("extra_filters") or [])
        return real_downloads(frame, labels, **kw)

    monkeypatch.setattr(components, "downloads", downloads)
    at = AppTest.from_file(str(ROOT / "pages" / "comparativo.py"), default_timeout=120)
    at.query_params["de"] = "2025"
    at.query_params["para"] = "2026"
    at = _run(at)
    plano = next(s for s in at.sidebar.selectbox if s.key == "f_plano")
    assert plano.value == "PMAS 2026-2029"  # the plan in force now, with its one year of data
    assert next(s for s in at.selectbox if s.key == "cmp_de").value == 2025
    assert next(s for s in at.selectbox if s.key == "cmp_para").value == 2026
    avisos = _plain(at.warning)
    assert "atravessa a fronteira entre dois planos: 2025 é do PMAS 2022-2025" in avisos
    assert "2026 é do PMAS 2026-2029" in avisos
    assert "eixo 5: “Gestão” → “Gestão do SUAS”" in avisos
    assert "2 planos consecutivos" in _plain(at.info)
    m = {x.label: x.value for x in at.metric}
    assert m["Metas nos dois anos"] == "4"
    assert m["Regrediram"] == "1"
    assert m["Não iniciadas nos dois anos"] == "1"
    assert m["Só em 2025"] == "0" and m["Só em 2026"] == "1"
    # the table of values: the whole plan's row, 2025 and 2026 side by side
    tabela = at.dataframe[0].value
    total = tabela[tabela["Eixo"] == textos.COMPARATIVO["total_plano"]].iloc[0]
    assert (total["2025"], total["2026"]) == ("50,0%", "40,0%")
    assert total["2025 → 2026"] == "▼ -10,0 p.p."
    regrediram = next(
        d.value for d in at.dataframe if "Código" in d.value.columns and len(d.value) == 1
    )
    assert list(regrediram["Código"]) == ["5.1"]
    assert baixados["dl_cmp_matriz"]["Planos"] == "PMAS 2022-2025 → PMAS 2026-2029"
    assert baixados["dl_cmp_por_ano"]["Planos"] == "PMAS 2022-2025; PMAS 2026-2029"

    # inside the plan of 2022-2025 alone (2025 → 2025 is no comparison): no boundary notice
    at.selectbox(key="cmp_para").set_value(2025)
    at = _run(at)
    assert "atravessa a fronteira" not in _plain(at.warning)


def test_eixos_screen_goal_history_crosses_into_the_previous_plan(tela):
    at = AppTest.from_file(str(ROOT / "pages" / "eixos.py"), default_timeout=120)
    at.query_params["eixo"] = "5"
    at.query_params["meta"] = "5.1"
    at = _run(at)
    assert "O histórico desta meta atravessa planos (PMAS 2022-2025; PMAS 2026-2029)" in _plain(
        at.caption
    )
    hist = next(d.value for d in at.dataframe if "Plano" in d.value.columns)
    assert list(hist["Ano"]) == [2025, 2026] or list(hist["Ano"]) == ["2025", "2026"]
    assert list(hist["Plano"]) == ["PMAS 2022-2025", "PMAS 2026-2029"]
    assert list(hist["Situação"]) == ["Realizada", "Não realizada"]
