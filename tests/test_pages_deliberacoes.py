"""The Deliberações screen, the Visão geral card and the goal detail (AppTest, real SQLite).

The small database is tests/test_deliberacoes.py's plan 2022-2025 (statuses there computed by
hand); the example data is checked against the CLI's JSON."""

from __future__ import annotations

import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pmas.acesso import auth
from pmas.cli import main
from pmas.dados.store import Store
from pmas.entrada.pipeline import import_file
from tests.conftest import ROOT, logged_in_with_password, xlsx
from tests.test_deliberacoes import PLANO_A, deliberacoes, metas_a

SENHA = "senha-de-teste"


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def small_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    monkeypatch.setenv(auth.ENV_SENHA, SENHA)
    store = Store(url)
    r = import_file(
        store,
        xlsx({"Metas": metas_a(), "Deliberações": deliberacoes()}),
        "a.xlsx",
        PLANO_A,
        usuario="ana",
    )
    assert r.situacao == "importado"
    return store


@pytest.fixture
def example_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ex.db'}"
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.delenv("PMAS_EXEMPLO", raising=False)
    return url


def app(page: str = "deliberacoes.py", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def param(at, name: str) -> list[str]:
    value = at.query_params[name]
    return value if isinstance(value, list) else [value]


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# What tells each table of the screen apart (AppTest does not keep a dataframe's key).
_TABLES = {
    "dlb_sem_meta": ["Nº", "Eixo da conferência", "Deliberação", "Códigos inexistentes"],
    "dlb_tab_conf": ["Eixo da conferência", "Deliberações municipais"],
    "dlb_lista": ["Nº", "Eixo da conferência", "Âmbito", "Deliberação", "Metas do PMAS"],
    "dlb_ligacoes": ["Deliberação nº", "Situação da deliberação", "Meta"],
    "dlb_encaminhadas": ["Nº", "Eixo da conferência", "Âmbito", "Deliberação"],
}


def table(at, key: str):
    """The screen's table ``key``: the first whose columns start with its signature (the list
    may have a Prioridade column first)."""
    sig = _TABLES[key]
    for d in at.dataframe:
        cols = [c for c in d.value.columns if c != "Prioridade"]
        if cols[: len(sig)] == sig and (key != "dlb_encaminhadas" or len(cols) == len(sig)):
            if key == "dlb_lista" and "Situação" not in cols:
                continue
            return d.value
    raise AssertionError(f"no table {key}")


def test_figures_by_hand_and_the_rule_beside_them(small_db):
    at = app(ano="2025")
    assert not at.exception
    # 8 deliberations of 2023: 6 municipal, 2 forwarded; 2025: nº 2 and nº 8 Atendida,
    # nº 3 Em atendimento, nº 5 Não atendida, nº 1 and nº 6 without a goal (tested by hand in
    # test_deliberacoes.py)
    assert metrics(at) == {
        "Deliberações": "8",
        "Com meta no PMAS": "4",
        "Atendidas": "2",
        "Sem meta no PMAS": "2",
        "Encaminhadas": "2",
    }
    deltas = {m.label: m.delta for m in at.metric if m.delta}
    assert deltas == {
        "Com meta no PMAS": "66,7% de 6 municipais",
        "Atendidas": "33,3% de 6 municipais",
    }
    shown = "\n".join(m.value for m in at.markdown)
    assert "Como a situação é calculada" in shown and "Sem meta no PMAS" in shown
    assert "situação em 2025" in at.caption[0].value
    gap = table(at, "dlb_sem_meta")
    assert list(gap["Nº"]) == ["1", "6"]
    assert list(gap["Códigos inexistentes"]) == ["", "Z9"]
    assert any("2 deliberações de âmbito municipal não têm" in w.value for w in at.warning)
    lista = table(at, "dlb_lista")
    assert list(lista["Nº"]) == ["1", "2", "3", "5", "6", "8"]  # the forwarded ones apart
    assert dict(zip(lista["Nº"], lista["Situação"]))["5"] == "Não atendida"
    assert list(table(at, "dlb_encaminhadas")["Nº"]) == ["4", "7"]
    ligacoes = table(at, "dlb_ligacoes")
    b1 = ligacoes[(ligacoes["Deliberação nº"] == "2")].iloc[0]
    assert (b1["Meta"], b1["Situação da meta"], b1["Justificativa"]) == (
        "B1",
        "Realizada",
        "Concurso homologado",
    )
    assert any("Z9" in w.value for w in at.warning)  # the code that exists nowhere
    por_conf = table(at, "dlb_tab_conf")
    assert list(por_conf["Atendidas"]) == ["1", "0", "1"]


def test_filters_live_in_the_url(small_db):
    at = app(ano="2025", edicao="2023", sit_delib="Atendida")
    assert not at.exception
    assert list(table(at, "dlb_lista")["Nº"]) == ["2", "8"]
    assert param(at, "sit_delib") == ["Atendida"] and param(at, "edicao") == ["2023"]
    # the cards keep the whole edition
    assert metrics(at)["Deliberações"] == "8"
    eixo = next(w for w in at.multiselect if w.key == "dlb_eixo")
    eixo.set_value(["Eixo 3 – Vigilância"]).run()
    assert list(table(at, "dlb_lista")["Nº"]) == ["8"]
    assert param(at, "eixo_conf") == ["Eixo 3 – Vigilância"]
    assert list(table(at, "dlb_encaminhadas")["Nº"]) == ["7"]


def test_bad_url_values_are_dropped(small_db):
    at = app(ano="2025", edicao="1999", sit_delib="Inventada", eixo_conf="Nenhum")
    assert not at.exception
    assert next(w for w in at.selectbox if w.key == "conf_edicao").value == 2023
    assert len(table(at, "dlb_lista")) == 6
    avisos = "\n".join(w.value for w in at.warning)
    assert "1999" in avisos and "Inventada" in avisos  # dropped with a notice


def test_year_of_the_sidebar_changes_the_status(small_db):
    at = app(ano="2024")
    assert metrics(at)["Atendidas"] == "0"  # B1 parcial, B2 não iniciada in 2024
    assert dict(zip(*table(at, "dlb_lista")[["Nº", "Situação"]].T.values))["5"] == (
        "Em atendimento"
    )


def test_overview_card(small_db):
    at = app("visao-geral.py", ano="2025")
    assert not at.exception
    assert "Deliberações da conferência de 2023: 2 atendidas de 6" in [
        s.value for s in at.subheader
    ]
    # 2024 looks back to the 2023 edition too
    at = app("visao-geral.py", ano="2024")
    assert "Deliberações da conferência de 2023: 0 atendidas de 6" in [
        s.value for s in at.subheader
    ]


def test_goal_detail_lists_the_deliberations_it_answers(small_db):
    def script():
        from pmas.ui import deliberacoes, state

        deliberacoes.answered(state.get_store(), "Vila Nova", "B2", 2025)

    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception
    rows = at.dataframe[0].value
    assert list(rows["Nº"]) == ["3", "5"]
    assert list(rows["Situação"]) == ["Em atendimento", "Não atendida"]

    def none():
        from pmas.ui import deliberacoes, state

        deliberacoes.answered(state.get_store(), "Vila Nova", "G9", 2025)

    at = AppTest.from_function(none, default_timeout=60).run()
    assert "Nenhuma deliberação de conferência cita esta meta." in [c.value for c in at.caption]


def test_only_a_manager_edits_links_and_it_is_audited(small_db):
    at = app(ano="2025")
    assert not any(b.label == "Salvar os vínculos" for b in at.button)  # a reader
    logged_in_with_password(at.session_state, "Ana", SENHA)
    at.run()
    next(w for w in at.selectbox if w.key == "dlb_editar_numero_2023").set_value("1").run()
    codes = next(w for w in at.text_input if w.key == "dlb_editar_codigos_2023_1")
    codes.set_value("B1; X7").run()
    next(b for b in at.button if b.label == "Salvar os vínculos").click().run()
    assert any("X7" in e.value for e in at.error)  # an unknown code stores nothing
    assert "vinculos" not in set(small_db.audit()["acao"])  # the reader changed nothing
    codes = next(w for w in at.text_input if w.key == "dlb_editar_codigos_2023_1")
    codes.set_value("B1").run()
    next(b for b in at.button if b.label == "Salvar os vínculos").click().run()
    assert any("nº 1 gravados" in s.value for s in at.success)
    audit = small_db.audit()
    assert audit["acao"].iloc[0] == "vinculos" and "Ana" in audit["usuario"].iloc[0]
    at.run()
    # nº 1 now has B1 (Realizada in 2025): one more Atendida, one fewer without a goal
    assert metrics(at)["Atendidas"] == "3"
    assert metrics(at)["Sem meta no PMAS"] == "1"


def test_example_screen_agrees_with_the_cli(example_db, capsys):
    at = app()
    assert not at.exception
    assert main(["--banco", example_db, "deliberacoes", "--formato", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["edicao"], data["ano"]) == (2023, 2024)
    lista = table(at, "dlb_lista")
    cli = {d["numero"]: d["situacao"] for d in data["deliberacoes"] if d["ambito"] == "Municipal"}
    assert dict(zip(lista["Nº"], lista["Situação"])) == cli
    c = data["cobertura"]
    assert metrics(at)["Deliberações"] == str(c["total"])
    assert metrics(at)["Sem meta no PMAS"] == str(c["sem_meta"])
