"""Deliberations: import checks, derived status and coverage computed by hand, link edits."""

from __future__ import annotations

import pandas as pd
import pytest

from pmas import textos
from pmas.analise import deliberacoes as D
from pmas.dados.plano import Eixo, Plano
from pmas.entrada.pipeline import import_file
from tests.conftest import xlsx

PLANO_A = Plano(
    municipio="Vila Nova",
    nome="PMAS 2022-2025",
    ano_inicio=2022,
    ano_fim=2025,
    eixos=(Eixo(1, "Proteção Social Básica"), Eixo(2, "Gestão do SUAS")),
)
PLANO_B = Plano(
    municipio="Vila Nova",
    nome="PMAS 2026-2029",
    ano_inicio=2026,
    ano_fim=2029,
    eixos=(Eixo(1, "Proteção Social Básica"), Eixo(2, "Controle Social")),
)
METAS_HEADER = ["Código", "Eixo", "Ação", "Ano", "Situação", "Justificativa"]
DELIB_HEADER = ["Edição", "Nº", "Eixo da conferência", "Âmbito", "Deliberação", "Metas do PMAS"]


def metas_a() -> list[list]:
    return [
        METAS_HEADER,
        ["B1", "1", "Ampliar equipes do CRAS", 2024, "Parcialmente realizada", "Concurso em curso"],
        ["B1", "1", "Ampliar equipes do CRAS", 2025, "Realizada", "Concurso homologado"],
        ["B2", "1", "Transporte para usuários", 2024, "Não iniciada", None],
        ["B2", "1", "Transporte para usuários", 2025, "Não realizada", "Sem licitação"],
        ["G1", "2", "Vigilância socioassistencial", 2024, "Realizada", None],
        ["G1", "2", "Vigilância socioassistencial", 2025, "Cancelada", "Reorganizada"],
    ]


def deliberacoes() -> list[list]:
    return [
        DELIB_HEADER,
        [2023, 1, "Eixo 1 – Financiamento", "Municipal", "Sem meta nenhuma", None],
        [2023, 2, "Eixo 1 – Financiamento", "Municipal", "Uma meta, dois anos", "B1"],
        [2023, 3, "Eixo 2 – Controle social", "Municipal", "Duas metas", "B1; B2"],
        [2023, 4, "Eixo 2 – Controle social", "Estadual", "Para o estado", "B1"],
        [2023, 5, "Eixo 2 – Controle social", "Municipal", "Outra com B2", "B2, G1"],
        [2023, 6, "Eixo 3 – Vigilância", "Municipal", "Código que não existe", "Z9"],
        [2023, 7, "Eixo 3 – Vigilância", "Nacional", "Para a União", None],
        [2023, 8, "Eixo 3 – Vigilância", "Municipal", "Dois planos", "B1; N1"],
    ]


def metas_b() -> list[list]:
    return [
        METAS_HEADER,
        ["N1", "1", "Nova meta do novo plano", 2026, "Realizada", None],
        ["B1", "1", "Ampliar equipes do CRAS (continuação)", 2026, "Em andamento", None],
    ]


@pytest.fixture
def loaded(store):
    a = import_file(
        store,
        xlsx({"Metas": metas_a(), "Deliberações": deliberacoes()}),
        "a.xlsx",
        PLANO_A,
        usuario="ana",
    )
    b = import_file(store, xlsx({"Metas": metas_b()}), "b.xlsx", PLANO_B, usuario="ana")
    assert a.situacao == "importado" and b.situacao == "importado"
    return store, a


def _by_number(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["numero"], frame["situacao"]))


def test_statuses_by_hand_each_year(loaded):
    store, _ = loaded
    delib = store.load_municipality("deliberacoes", "Vila Nova")
    metas = store.load_municipality("metas", "Vila Nova")
    assert len(delib) == 8
    # 2024: B1 Parcial, B2 Não iniciada, G1 Realizada
    assert _by_number(D.status(delib, metas, 2024)) == {
        "1": D.SEM_META,
        "2": D.EM_ATENDIMENTO,  # B1 parcial
        "3": D.EM_ATENDIMENTO,  # B1 parcial, B2 não iniciada
        "4": D.ENCAMINHADA,
        "5": D.EM_ATENDIMENTO,  # B2 não iniciada, G1 realizada
        "6": D.SEM_META,  # Z9 exists nowhere
        "7": D.ENCAMINHADA,
        "8": D.EM_ATENDIMENTO,  # B1 parcial; N1 has no 2024 row
    }
    # 2025: B1 Realizada, B2 Não realizada, G1 Cancelada (not counted)
    assert _by_number(D.status(delib, metas, 2025)) == {
        "1": D.SEM_META,
        "2": D.ATENDIDA,
        "3": D.EM_ATENDIMENTO,
        "4": D.ENCAMINHADA,
        "5": D.NAO_ATENDIDA,  # B2 não realizada; G1 cancelada does not count
        "6": D.SEM_META,
        "7": D.ENCAMINHADA,
        "8": D.ATENDIDA,  # B1 realizada; N1 not in 2025
    }
    # 2026 (the next plan): B1 Em andamento, N1 Realizada
    st = D.status(delib, metas, 2026)
    assert _by_number(st)["8"] == D.EM_ATENDIMENTO
    assert _by_number(st)["2"] == D.EM_ATENDIMENTO
    assert _by_number(st)["5"] == D.SEM_AVALIACAO  # B2 and G1 have no 2026 row
    row = st[st["numero"] == "8"].iloc[0]
    assert (
        row["metas_no_ano"] == "N1: Realizada; B1: Em andamento"
        or row["metas_no_ano"] == "B1: Em andamento; N1: Realizada"
    )
    assert row["motivo"] == textos.DELIBERACOES_SITUACAO["avaliaveis"].format(
        n=2, ano=2026, situacoes="1 Realizada, 1 Em andamento"
    )


def test_coverage_by_hand(loaded):
    store, _ = loaded
    delib = store.load_municipality("deliberacoes", "Vila Nova")
    metas = store.load_municipality("metas", "Vila Nova")
    cov = D.coverage(D.status(delib, metas, 2025))
    assert cov == {
        "total": 8,
        "municipais": 6,
        "encaminhadas": 2,
        "com_meta": 4,
        "sem_meta": 2,
        "atendidas": 2,
        "em_atendimento": 1,
        "nao_atendidas": 1,
        "sem_avaliacao": 0,
        "pct_com_meta": pytest.approx(100 * 4 / 6),
        "pct_atendidas": pytest.approx(100 * 2 / 6),
    }
    by_eixo = D.coverage_by(D.status(delib, metas, 2025), "eixo_conferencia")
    assert list(by_eixo["eixo_conferencia"]) == [
        "Eixo 1 – Financiamento",
        "Eixo 2 – Controle social",
        "Eixo 3 – Vigilância",
    ]
    assert list(by_eixo["municipais"]) == [2, 2, 2]
    assert list(by_eixo["atendidas"]) == [1, 0, 1]
    # by plan eixo: a deliberation counts in every eixo its goals are in
    st = D.status(delib, metas, 2025, PLANO_A)
    by_plan = D.coverage_by(st, "eixos_plano")
    counts = dict(zip(by_plan["eixos_plano"], by_plan["municipais"]))
    # nº 5 links B2 (eixo 1) and G1 (eixo 2, cancelled in 2025 but still its goal)
    assert counts == {
        "1. Proteção Social Básica": 4,
        "2. Gestão do SUAS": 1,
        textos.DELIBERACOES_SITUACAO["grupo_sem_meta"]: 2,
    }


def test_goal_answering_two_deliberations(loaded):
    store, _ = loaded
    delib = store.load_municipality("deliberacoes", "Vila Nova")
    assert list(D.answered_by(delib, "B2")["numero"]) == ["3", "5"]
    assert list(D.answered_by(delib, "b1")["numero"]) == ["2", "3", "4", "8"]
    assert D.answered_by(delib, "X").empty


def test_unknown_code_is_a_finding_not_a_crash(loaded):
    store, result = loaded
    found = [f for f in result.analysis.findings if f.codigo == "meta_inexistente"]
    # Z9 (row 7) and N1 (row 9: the plan 2026-2029 was imported after this file)
    assert [(f.linha, f.nivel) for f in found] == [(7, "aviso"), (9, "aviso")]
    assert "Z9" in found[0].mensagem and "nº 6 de 2023" in found[0].mensagem
    delib = store.load_municipality("deliberacoes", "Vila Nova")
    metas = store.load_municipality("metas", "Vila Nova")
    unknown = D.unknown_links(delib, metas)
    assert list(unknown["codigo"]) == ["Z9"]  # N1 exists now
    assert int(unknown["linha"].iloc[0]) == 7


def test_link_check_knows_the_stored_goals(store):
    import_file(store, xlsx({"Metas": metas_a()}), "m.xlsx", PLANO_A, usuario="ana")
    rows = [DELIB_HEADER, [2023, 1, "Eixo 1", "Municipal", "Texto", "B1; G1"]]
    r = import_file(store, xlsx({"Deliberações": rows}), "d.xlsx", PLANO_A, usuario="ana")
    assert r.situacao == "importado"
    assert not [f for f in r.analysis.findings if f.codigo == "meta_inexistente"]


def test_split_codes():
    assert D.split_codes("1.2.1; 2.3.4") == ["1.2.1", "2.3.4"]
    assert D.split_codes("1.2.1, 2.3.4 e 3.1") == ["1.2.1", "2.3.4", "3.1"]
    assert D.split_codes("1.2.1\n1.2.1") == ["1.2.1"]
    assert D.split_codes("-") == [] and D.split_codes(None) == [] and D.split_codes("Nenhuma") == []


@pytest.mark.parametrize(
    ("row", "codigo"),
    [
        ([2023, 1, "Eixo 1", "Distrital", "Texto", None], "ambito_desconhecido"),
        ([2023, 1, "Eixo 1", "Municipal", None, "B1"], "deliberacao_sem_texto"),
    ],
)
def test_bad_rows_store_nothing(store, row, codigo):
    r = import_file(
        store, xlsx({"Deliberações": [DELIB_HEADER, row]}), "d.xlsx", PLANO_A, usuario="ana"
    )
    assert r.situacao == "rejeitado"
    f = next(f for f in r.analysis.findings if f.codigo == codigo)
    assert f.nivel == "erro" and f.linha == 2 and f.aba == "Deliberações"
    assert store.is_empty()


def test_repeated_number_blocks(store):
    rows = [
        DELIB_HEADER,
        [2023, 1, "Eixo 1", "Municipal", "A", None],
        [2023, 1, "Eixo 1", "Municipal", "B", None],
    ]
    r = import_file(store, xlsx({"Deliberações": rows}), "d.xlsx", PLANO_A, usuario="ana")
    assert r.situacao == "rejeitado"
    f = next(f for f in r.analysis.findings if f.codigo == "deliberacao_duplicada")
    assert f.linha == 3 and "linha 2" in f.mensagem
    assert store.is_empty()


def test_defaults_are_findings(store):
    rows = [
        ["Nº", "Âmbito", "Proposta", "Metas"],
        [None, None, "Ampliar equipes", "B1"],
        [None, "estado", "Cofinanciamento estadual", None],
    ]
    r = import_file(store, xlsx({"Deliberações 2021": rows}), "d.xlsx", PLANO_A, usuario="ana")
    assert r.situacao == "importado"
    codes = [f.codigo for f in r.analysis.findings]
    assert codes.count("edicao_presumida") == 1
    assert codes.count("numero_atribuido") == 2
    assert codes.count("ambito_presumido") == 1
    delib = store.load_municipality("deliberacoes", "Vila Nova")
    assert list(delib["ano"]) == [2021, 2021]
    assert list(delib["numero"]) == ["1", "2"]
    assert list(delib["ambito"]) == ["Municipal", "Estadual"]


def test_link_edit_is_a_new_version_audited_and_undoable(loaded):
    store, _ = loaded
    plano_id = store.plan("Vila Nova", "PMAS 2022-2025")[0]
    v = store.save_links(plano_id, 2023, {"1": "G1", "6": None}, usuario="gestora")
    assert v.ano == 2023 and v.numero == 2 and v.usuario == "gestora"
    delib = store.load_municipality("deliberacoes", "Vila Nova")
    links = dict(zip(delib["numero"], delib["metas"]))
    assert links["1"] == "G1" and pd.isna(links["6"]) and links["3"] == "B1; B2"
    audit = store.audit()
    assert audit["acao"].iloc[0] == "vinculos" and audit["usuario"].iloc[0] == "gestora"
    assert "nº 1: — → G1" in audit["detalhe"].iloc[0]
    assert "nº 6: Z9 → —" in audit["detalhe"].iloc[0]
    # every other table of the year was carried over
    metas = store.load("metas", plano_id)
    assert len(metas) == 6
    store.undo("Vila Nova", 2023, usuario="gestora", plano_nome="PMAS 2022-2025")
    delib = store.load_municipality("deliberacoes", "Vila Nova")
    assert dict(zip(delib["numero"], delib["metas"]))["6"] == "Z9"


def test_example_data_has_both_editions(store):
    from pmas.dados.plano import LONDRINA
    from pmas.entrada.pipeline import load_examples

    results = load_examples(store, LONDRINA)
    assert all(r.situacao == "importado" for r in results)
    for r in results:
        assert not [f for f in r.analysis.findings if f.codigo == "meta_inexistente"]
    delib = store.load_municipality("deliberacoes", "Londrina", exemplo=True)
    counts = delib.groupby("ano").size().to_dict()
    assert set(counts) == {2021, 2023} and all(25 <= n <= 40 for n in counts.values())
    metas = store.load_municipality("metas", "Londrina", exemplo=True)
    for edicao in (2021, 2023):
        cov = D.coverage(D.status(delib[delib["ano"] == edicao], metas, 2024))
        assert cov["encaminhadas"] >= 2 and cov["sem_meta"] >= 2
        assert cov["com_meta"] > cov["sem_meta"]


def test_preview_counts_deliberations_and_says_they_are_kept(loaded):
    from pmas.entrada import preview
    from pmas.entrada.pipeline import analyse

    store, _ = loaded
    plano_id = store.plan("Vila Nova", "PMAS 2022-2025")[0]
    atuais = {name: store.load(name, plano_id) for name in ("metas", "deliberacoes")}
    # a new file with two deliberations of 2023 replaces the eight
    rows = deliberacoes()[:3]
    a = analyse(xlsx({"Deliberações": rows}), "d.xlsx", PLANO_A)
    (y2023,) = preview.preview(a.frames, atuais, PLANO_A)
    assert y2023.tabelas["deliberacoes"] == preview.TabelaAno(antes=8, depois=2, mantida=False)
    # a file for 2023 without the sheet keeps them
    conf = [["Ano", "Tipo de evento", "Segmento", "Participantes"], [2023, "Conferência", None, 40]]
    a = analyse(xlsx({"Conferências": conf}), "c.xlsx", PLANO_A)
    (y2023,) = preview.preview(a.frames, atuais, PLANO_A)
    assert y2023.tabelas["deliberacoes"] == preview.TabelaAno(antes=8, depois=8, mantida=True)
