"""Plans as data (issue #11): municipalities with their own eixos and periods, checked the same
way however they are made; one plan in force per year; next cycle; edits audit-logged; plan
creation safe under concurrency; the duplicate-file check and the audit log scoped per plan.
Every test runs on SQLite, and on PostgreSQL with PMAS_TESTE_PG_URL (the `store` fixture)."""

from __future__ import annotations

import threading

import pytest

from pmas.analise import consulta
from pmas.dados.plano import LONDRINA, Eixo, Plano, ibge_valido, problemas, proximo_ciclo
from pmas.dados.store import PlanoRecusado, Store
from pmas.entrada.pipeline import import_file
from tests.conftest import xlsx

PROTECAO = (
    Eixo(1, "Proteção Social Básica", "PSB", ("psb",)),
    Eixo(2, "Proteção Social Especial de Média Complexidade", "PSE Média", ("pse media",)),
    Eixo(3, "Proteção Social Especial de Alta Complexidade", "PSE Alta", ("pse alta",)),
    Eixo(4, "Gestão do SUAS", "Gestão"),
    Eixo(5, "Controle Social", "Controle Social"),
    Eixo(6, "Vigilância Socioassistencial", "Vigilância"),
)
MARINGA = Plano(
    municipio="Maringá",
    uf="PR",
    ibge="4115200",
    nome="PMAS 2022-2025",
    ano_inicio=2022,
    ano_fim=2025,
    eixos=PROTECAO,
)

HEADER = ["Código", "Eixo", "Ação", "Previsto", "Realizado", "Situação"]
# One goal per protection-level eixo (written as the plan names them) and a second one in eixo 1.
ROWS = [
    ["B1", "Proteção Social Básica", "Ampliar o PAIF", 100, 100, "Realizada"],
    ["B2", "PSB", "Reordenar o SCFV", 10, 5, "Parcialmente realizada"],
    ["M1", "Proteção Social Especial de Média Complexidade", "PAEFI", 1, 0, "Não realizada"],
    [
        "A1",
        "Proteção Social Especial de Alta Complexidade",
        "Acolhimento",
        None,
        None,
        "Em andamento",
    ],
    ["G1", "Gestão do SUAS", "Concurso", None, None, "Realizada"],
    ["C1", "Controle Social", "Capacitar conselheiros", None, None, "Não iniciada"],
    ["V1", "Vigilância Socioassistencial", "Diagnóstico", None, None, "Cancelada"],
]


def metas_xlsx(ano: int, rows=ROWS) -> bytes:
    return xlsx({f"Metas {ano}": [HEADER, *rows]})


def test_ibge_check_digit():
    assert ibge_valido("4113700")  # Londrina
    assert ibge_valido("4115200")  # Maringá
    assert ibge_valido("3550308")  # São Paulo
    assert not ibge_valido("4113701")  # wrong check digit
    assert not ibge_valido("411370")  # six digits
    assert not ibge_valido("9913700")  # no state 99
    assert ibge_valido("2201919")  # one of IBGE's own exceptions to the rule
    erros = problemas(Plano("X", "P", 2022, 2025, PROTECAO, uf="PR", ibge="4113701"))
    assert erros and "dígito verificador" in erros[0]
    erros = problemas(Plano("X", "P", 2022, 2025, PROTECAO, uf="SP", ibge="4113700"))
    assert erros == ["O código IBGE 4113700 é de um município de PR, não de SP."]


def test_six_protection_level_eixos_import_with_exact_figures(store):
    pid = store.create_plan(MARINGA, usuario="ana")
    result = import_file(store, metas_xlsx(2023), "maringa.xlsx", MARINGA, usuario="ana")
    assert result.situacao == "importado", [f.mensagem for f in result.analysis.findings]
    r = consulta.resumo(store, 2023, "Maringá")
    assert r["municipio"] == "Maringá" and r["plano"] == "PMAS 2022-2025"
    assert [e["nome"] for e in r["eixos"]] == [e.nome for e in PROTECAO]
    por_eixo = {e["numero"]: e for e in r["eixos"]}
    assert por_eixo[1]["metas"] == 2 and por_eixo[1]["pct_realizadas"] == pytest.approx(50.0)
    assert por_eixo[6]["avaliaveis"] == 0  # Cancelada does not count
    t = r["total"]
    assert (t["metas"], t["avaliaveis"]) == (7, 6)
    assert t["pct_realizadas"] == pytest.approx(200 / 6)  # B1, G1
    assert t["pct_realizadas_ou_parciais"] == pytest.approx(300 / 6)  # + B2
    # índice: B1 1, B2 0,5 (5 of 10), M1 0, A1 0,5, G1 1, C1 0 → 3 / 6
    assert t["indice_cumprimento"] == pytest.approx(50.0)
    assert set(store.load("metas", pid)["eixo_numero"]) == {1, 2, 3, 4, 5, 6}


def test_an_eixo_the_plan_does_not_know_is_an_error_naming_its_eixos(store):
    store.create_plan(MARINGA, usuario="ana")
    rows = [*ROWS, ["X1", "Transferência de Renda", "Cadastro", None, None, "Realizada"]]
    result = import_file(store, metas_xlsx(2023, rows), "m.xlsx", MARINGA, usuario="ana")
    assert result.situacao == "rejeitado"
    assert store.versions() == []


def test_overlapping_plans_of_one_municipality_are_refused(store):
    store.create_plan(MARINGA, usuario="ana")
    outro = Plano("Maringá", "PMAS 2024-2027", 2024, 2027, PROTECAO, uf="PR", ibge="4115200")
    with pytest.raises(PlanoRecusado) as exc:
        store.create_plan(outro, usuario="ana")
    assert exc.value.mensagens == [
        "O período 2024-2027 se sobrepõe ao plano “PMAS 2022-2025” (2022-2025) de Maringá: "
        "um ano só pode ter um plano em vigor."
    ]
    with pytest.raises(PlanoRecusado):  # the same name twice
        store.create_plan(MARINGA, usuario="ana")
    # another municipality may use the same years
    store.create_plan(LONDRINA, usuario="ana")
    assert [p.municipio for _, p in store.plans()] == ["Londrina", "Maringá"]
    audit = store.audit()
    assert list(audit["acao"]) == ["plano_criado", "plano_criado"]


def test_a_decennial_plan_and_the_plan_in_force_per_year(store):
    decenal = Plano("Cascavel", "Plano Decenal 2016-2025", 2016, 2025, PROTECAO, uf="PR")
    pid = store.create_plan(decenal, usuario="ana")
    assert store.plan_in_force("Cascavel", 2016)[0] == pid
    assert store.plan_in_force("Cascavel", 2025)[0] == pid
    assert store.plan_in_force("Cascavel", 2026) is None
    result = import_file(store, metas_xlsx(2019), "c.xlsx", decenal, usuario="ana")
    assert result.situacao == "importado"
    assert consulta.resumo(store, 2019, "Cascavel")["total"]["metas"] == 7


def test_next_cycle_takes_the_next_years_data(store):
    old = store.create_plan(LONDRINA, usuario="ana")
    new_id, novo = store.next_cycle(old, 2026, 2029, usuario="ana")
    assert novo.nome == "PMAS 2026-2029" and novo.eixos == LONDRINA.eixos
    assert novo.ibge == "4113700" and (novo.ano_inicio, novo.ano_fim) == (2026, 2029)
    assert store.plan_in_force("Londrina", 2025)[0] == old
    assert store.plan_in_force("Londrina", 2026)[0] == new_id
    assert proximo_ciclo(LONDRINA, 2026, 2035, "Plano Decenal").nome == "Plano Decenal"
    with pytest.raises(PlanoRecusado):  # overlaps the new one
        store.next_cycle(old, 2028, 2031, usuario="ana")


def test_renaming_an_eixo_keeps_the_figures_and_is_audited(store):
    pid = store.create_plan(MARINGA, usuario="ana")
    import_file(store, metas_xlsx(2023), "maringa.xlsx", MARINGA, usuario="ana")
    before = consulta.resumo(store, 2023, "Maringá")
    eixos = list(MARINGA.eixos)
    eixos[3] = Eixo(4, "Gestão do Sistema Único de Assistência Social", "Gestão SUAS")
    mudou = store.update_plan(
        pid, Plano(**{**MARINGA.__dict__, "eixos": tuple(eixos)}), usuario="bia"
    )
    assert mudou == [
        "Eixo 4: “Gestão do SUAS” → “Gestão do Sistema Único de Assistência Social”",
        "Eixo 4, nome curto: Gestão → Gestão SUAS",
    ]
    after = consulta.resumo(store, 2023, "Maringá")
    assert after["eixos"][3]["nome"] == "Gestão do Sistema Único de Assistência Social"
    for a, b in zip(before["eixos"], after["eixos"]):
        assert {k: v for k, v in a.items() if k != "nome"} == {
            k: v for k, v in b.items() if k != "nome"
        }
    assert before["total"] == after["total"]
    log = store.audit(plano_id=pid)
    assert log["acao"].iloc[0] == "plano_alterado" and log["usuario"].iloc[0] == "bia"
    assert "Gestão do Sistema Único" in log["detalhe"].iloc[0]
    # a change that breaks the rules is refused and changes nothing
    with pytest.raises(PlanoRecusado):
        store.update_plan(pid, Plano(**{**MARINGA.__dict__, "ano_fim": 2020}), usuario="bia")
    assert store.plan_by_id(pid).eixos[3].curto == "Gestão SUAS"


def test_the_same_file_may_go_to_another_municipality(store):
    store.create_plan(MARINGA, usuario="ana")
    other = Plano("Sarandi", "PMAS 2022-2025", 2022, 2025, PROTECAO, uf="PR")
    data = metas_xlsx(2023)
    assert import_file(store, data, "m.xlsx", MARINGA, usuario="ana").situacao == "importado"
    assert import_file(store, data, "m.xlsx", MARINGA, usuario="ana").situacao == "repetido"
    assert import_file(store, data, "m.xlsx", other, usuario="ana").situacao == "importado"


def test_two_first_imports_of_a_new_municipality_at_once(store):
    """Nothing is created beforehand: both imports create 'the' plan; one does, the other waits
    and uses it (PostgreSQL: advisory lock on the municipality; SQLite: BEGIN IMMEDIATE)."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)
    results = []

    def run(ano: int) -> None:
        try:
            own = Store(store.url)  # another app server's connection pool
            barrier.wait()
            results.append(import_file(own, metas_xlsx(ano), f"{ano}.xlsx", MARINGA, usuario="x"))
            own.engine.dispose()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(a,)) for a in (2023, 2024)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert [r.situacao for r in results] == ["importado", "importado"]
    assert len(store.plans()) == 1
    assert sorted(v.ano for v in store.versions()) == [2023, 2024]


def test_audit_log_filtered_in_the_query_and_paged(store):
    small = Plano("Sarandi", "PMAS 2022-2025", 2022, 2025, PROTECAO, uf="PR")
    store.create_plan(small, usuario="ana")
    store.create_plan(MARINGA, usuario="ana")
    for i in range(30):  # many newer entries of another municipality
        store.save_report_fields(store.plan("Maringá")[0], 2023, {"n": i}, usuario="bia")
    assert store.audit_count() == 32
    sarandi = store.audit(limit=10, municipio="Sarandi")
    assert list(sarandi["municipio"]) == ["Sarandi"] and store.audit_count(municipio="Sarandi") == 1
    pages = [store.audit(limit=10, offset=o, municipio="Maringá") for o in (0, 10, 20, 30)]
    assert [len(p) for p in pages] == [10, 10, 10, 1]
    assert pages[3]["acao"].iloc[0] == "plano_criado"


def test_an_eixo_written_by_number_is_shown_with_the_plans_name(store):
    from pmas.acesso import gestao

    store.create_plan(MARINGA, usuario="ana")
    rows = [*ROWS[:2], ["A2", "Eixo 3", "Acolhimento", None, None, "Realizada"], *ROWS[2:]]
    conferencia = gestao.conferir(store, MARINGA, "m.xlsx", metas_xlsx(2023, rows))
    assert conferencia.pode_importar
    avisos = [f for f in conferencia.analysis.findings if f.codigo == "eixo_por_numero"]
    assert [(f.mensagem, f.linha) for f in avisos] == [
        (
            "“Eixo 3” (a partir da linha 4) foi lido como o eixo 3 do plano PMAS 2022-2025 de "
            "Maringá: “Proteção Social Especial de Alta Complexidade”.",
            4,
        )
    ]
    metas = conferencia.analysis.frames["metas"]
    assert metas.loc[metas["codigo"] == "A2", "eixo"].item() == PROTECAO[2].nome
