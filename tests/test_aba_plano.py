"""The workbook's Plano sheet (issue #11): written by the template, read back cell by cell, and an
import that creates the plan it describes (or shows how it differs from the stored plan, and
updates it only when asked), in one transaction; the same through the CLI."""

from __future__ import annotations

import io
from dataclasses import replace

import openpyxl
import pytest

from pmas import fmt
from pmas.acesso import gestao
from pmas.acesso.actor import linha_de_comando
from pmas.analise import consulta
from pmas.cli import main
from pmas.dados.plano import LONDRINA, Plano
from pmas.dados.store import PlanoRecusado
from pmas.entrada.aba_plano import plan_sheet
from pmas.entrada.findings import ERRO
from pmas.entrada.pipeline import analyse, import_file
from pmas.entrada.reader import read
from pmas.saida.modelo import template_xlsx_bytes
from pmas.textos import PLANO as T
from tests.conftest import xlsx
from tests.plano_maringa import MARINGA, PCT_REALIZADAS, planilha, renomeado, sem_aba_plano

ATOR = linha_de_comando()


def _sheet(data: bytes):
    return plan_sheet(read(data, "m.xlsx"))


# --- reading the sheet ---------------------------------------------------------------------------


@pytest.mark.parametrize("plano", [MARINGA, LONDRINA], ids=["maringa", "londrina"])
def test_a_plans_template_reads_back_as_the_same_plan(plano):
    aba = _sheet(template_xlsx_bytes(plano))
    assert aba.findings == []
    assert aba.plano == plano


def test_the_blank_templates_plano_sheet_is_ignored_with_a_warning():
    aba = _sheet(template_xlsx_bytes(None))
    assert aba.plano is None
    assert [(f.nivel, f.codigo) for f in aba.findings] == [("aviso", "plano_em_branco")]


def test_a_filled_in_blank_template_gives_the_plan():
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx_bytes(None)))
    ws = wb["Plano"]
    for celula, valor in {
        "B4": "Maringá",
        "B5": "pr",
        "B6": 4115200,  # typed as a number
        "B7": "PMAS 2026-2029",
        "B8": "2026",  # typed as text
        "B9": 2029,
    }.items():
        ws[celula] = valor
    for i, e in enumerate(MARINGA.eixos):
        ws.cell(13 + i, 1, f"Eixo {e.numero}" if i % 2 else e.numero)
        ws.cell(13 + i, 2, e.nome)
        ws.cell(13 + i, 3, e.curto)
        ws.cell(13 + i, 4, "; ".join(e.aliases) or None)
    buf = io.BytesIO()
    wb.save(buf)
    aba = _sheet(buf.getvalue())
    assert aba.findings == []
    assert aba.plano == MARINGA


@pytest.mark.parametrize(
    ("celulas", "codigo", "linha", "coluna", "trecho"),
    [
        ({"B6": "4115201"}, "plano_ibge_invalido", 6, "Código IBGE", "célula B6"),
        ({"B6": "41152"}, "plano_ibge_invalido", 6, "Código IBGE", "7 dígitos"),
        ({"B6": "3550308"}, "plano_ibge_outra_uf", 6, "Código IBGE", "de SP, não de PR"),
        ({"B5": "XX"}, "plano_uf_invalida", 5, "UF", "célula B5"),
        ({"B8": "dois mil"}, "plano_ano_invalido", 8, "Primeiro ano", "célula B8"),
        ({"B9": 2024}, "plano_periodo_invertido", 9, "Último ano", "(2024) vem antes"),
        ({"B4": None}, "plano_campo_vazio", 4, "Município", "o município"),
        ({"A14": 1}, "plano_eixo_repetido", 14, "Número", "já aparece na linha 13"),
        ({"A15": "um"}, "plano_eixo_numero", 15, "Número", "célula A15"),
        ({"B16": None}, "plano_eixo_sem_nome", 16, "Nome do eixo", "célula B16"),
        ({"B17": "Gestão do SUAS"}, "plano_eixo_nome_repetido", 17, "Nome do eixo", "linha 16"),
    ],
)
def test_each_problem_of_the_sheet_is_an_error_naming_the_cell(
    store, celulas, codigo, linha, coluna, trecho
):
    data = planilha(MARINGA, plano_celulas=celulas)
    aba = _sheet(data)
    assert aba.plano is None
    erros = [f for f in aba.findings if f.nivel == ERRO]
    assert [f.codigo for f in erros] == [codigo]
    f = erros[0]
    assert (f.aba, f.linha, f.coluna) == ("Plano", linha, coluna)
    assert trecho in f.mensagem, f.mensagem
    # the import stores nothing, not even the plan
    conf = gestao.conferir(store, None, "maringa.xlsx", data)
    assert not conf.pode_importar
    result = import_file(store, data, "maringa.xlsx", MARINGA, usuario="teste", isolar=False)
    assert result.situacao == "rejeitado"
    assert store.plans() == []


def test_a_sheet_named_plano_that_holds_goals_is_still_read_as_goals():
    rows = [
        ["Código", "Eixo", "Ação", "Situação", "Ano"],
        ["1.1", "Eixo 1", "Ação", "Realizada", 2022],
    ]
    data = xlsx({"Plano": rows})
    assert plan_sheet(read(data, "p.xlsx")) is None
    a = analyse(data, "p.xlsx", LONDRINA)
    assert a.ok, [f.mensagem for f in a.findings]
    assert len(a.frames["metas"]) == 1


def test_without_a_plan_and_without_the_sheet_there_is_nothing_to_check_against():
    a = analyse(sem_aba_plano(), "m.xlsx", None)
    assert not a.ok
    assert [f.codigo for f in a.findings if f.nivel == ERRO] == ["plano_sem_plano"]
    assert "tela Plano" in a.findings[-1].acao


# --- importing: the plan created, compared, updated --------------------------------------------


def test_a_new_municipalitys_file_creates_its_plan_and_imports_in_one_go(store):
    data = planilha()
    conf = gestao.conferir(store, None, "maringa_2026.xlsx", data)  # nothing chosen on screen
    assert conf.plano_arquivo.situacao == gestao.CRIAR
    assert conf.plano == MARINGA and conf.pode_importar
    assert T["sera_criado"].format(
        nome="PMAS 2026-2029", municipio="Maringá", periodo="2026-2029", n=6
    ) == ("O plano PMAS 2026-2029 de Maringá (2026-2029, 6 eixos) será criado.")
    assert store.plans() == []  # checking stores nothing
    result = gestao.importar(
        store, conf.plano, "maringa_2026.xlsx", data, actor=ATOR, analysis=conf.analysis
    )
    assert result.situacao == "importado"
    [(pid, plano)] = store.plans()
    assert plano == MARINGA

    resumo = consulta.resumo(store, 2026, "Maringá")
    total = resumo["total"]
    assert (total["metas"], total["avaliaveis"]) == (12, 12)
    assert fmt.pct(total["pct_realizadas"]) == PCT_REALIZADAS
    eixos = {e["numero"]: e for e in resumo["eixos"]}
    assert [eixos[n]["nome"] for n in range(1, 7)] == [e.nome for e in MARINGA.eixos]
    assert [fmt.pct(eixos[n]["pct_realizadas"]) for n in range(1, 7)] == [
        "100,0%",
        "0,0%",
        "100,0%",
        "0,0%",
        "100,0%",
        "0,0%",
    ]
    acoes = list(store.audit(10)["acao"])
    assert acoes == ["importacao", "plano_criado"]


def test_a_failed_import_does_not_leave_the_plan_behind(store):
    def falha():
        raise RuntimeError("queda no meio da gravação")

    with pytest.raises(RuntimeError):
        import_file(
            store, planilha(), "maringa.xlsx", MARINGA, usuario="t", on_commit=falha, isolar=False
        )
    assert store.plans() == []
    assert store.versions() == []


def test_the_same_plan_again_is_just_imported(store):
    store.create_plan(MARINGA, usuario="teste")
    conf = gestao.conferir(store, None, "m.xlsx", planilha())
    assert conf.plano_arquivo.situacao == gestao.IGUAL
    assert conf.pode_importar and not conf.atualizar_plano


def test_a_different_plan_is_shown_and_kept_unless_the_manager_updates_it(store):
    pid = store.create_plan(MARINGA, usuario="teste")
    data = planilha(renomeado(), ano=2026)
    conf = gestao.conferir(store, None, "m.xlsx", data)
    info = conf.plano_arquivo
    assert info.situacao == gestao.DIFERENTE
    assert info.diferencas == [
        "Eixo 6: “Vigilância Socioassistencial” → “Vigilância Socioassistencial e Monitoramento”"
    ]
    # keep: checked and stored with the stored plan, which stays as it was
    assert conf.plano == MARINGA and not conf.atualizar_plano and conf.pode_importar
    r = gestao.importar(store, conf.plano, "m.xlsx", data, actor=ATOR, analysis=conf.analysis)
    assert r.situacao == "importado"
    assert store.plan_by_id(pid) == MARINGA
    # update (another year's file, same sheet): the plan changes with the import, audit-logged
    data = planilha(renomeado(), ano=2027)
    conf = gestao.conferir(store, None, "m27.xlsx", data, atualizar_plano=True)
    assert conf.atualizar_plano and conf.plano == renomeado()
    r = gestao.importar(
        store,
        conf.plano,
        "m27.xlsx",
        data,
        actor=ATOR,
        analysis=conf.analysis,
        atualizar_plano=True,
    )
    assert r.situacao == "importado"
    assert store.plan_by_id(pid) == renomeado()
    log = store.audit(10)
    assert list(log["acao"])[:2] == ["importacao", "plano_alterado"]
    assert "Vigilância Socioassistencial e Monitoramento" in log["detalhe"].iloc[1]
    # the 2026 figures are the same under the renamed eixo (rows keep the eixo number)
    metas = store.load("metas", pid)
    assert len(metas[metas["ano"] == 2026]) == 12


def test_a_plan_overlapping_another_of_the_municipality_is_refused_before_confirming(store):
    store.create_plan(
        replace(MARINGA, nome="PMAS 2025-2028", ano_inicio=2025, ano_fim=2028), usuario="t"
    )
    conf = gestao.conferir(store, None, "m.xlsx", planilha())
    assert not conf.pode_importar
    [erro] = [f for f in conf.analysis.findings if f.nivel == ERRO]
    assert erro.codigo == "plano_sobreposto" and "se sobrepõe" in erro.mensagem
    with pytest.raises(PlanoRecusado):
        import_file(store, planilha(), "m.xlsx", MARINGA, usuario="t", isolar=False)
    assert [p.nome for _, p in store.plans()] == ["PMAS 2025-2028"]


# --- the CLI -----------------------------------------------------------------------------------


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_importar_creates_the_plan_of_the_sheet(capsys, banco_url, tmp_path, store):
    arquivo = tmp_path / "maringa_2026.xlsx"
    arquivo.write_bytes(planilha())
    code, out, _ = _cli(capsys, "importar", str(arquivo), "--simular", "--banco", banco_url)
    assert code == 0 and "será criado" in out
    assert store.plans() == []
    code, out, _ = _cli(capsys, "importar", str(arquivo), "--banco", banco_url)
    assert code == 0, out
    assert "O plano PMAS 2026-2029 de Maringá (2026-2029, 6 eixos) foi criado." in out
    assert [p for _, p in store.plans()] == [MARINGA]


def test_cli_importar_refuses_a_different_plan_unless_asked_to_update_it(
    capsys, banco_url, tmp_path, store
):
    pid = store.create_plan(MARINGA, usuario="teste")
    arquivo = tmp_path / "maringa_2026.xlsx"
    arquivo.write_bytes(planilha(renomeado()))
    code, _, err = _cli(capsys, "importar", str(arquivo), "--banco", banco_url)
    assert code == 1
    assert "difere do plano PMAS 2026-2029 de Maringá" in err
    assert "Eixo 6: “Vigilância Socioassistencial” → “Vigilância" in err
    assert "--atualizar-plano" in err
    assert store.versions() == [] and store.plan_by_id(pid) == MARINGA
    code, out, _ = _cli(capsys, "importar", str(arquivo), "--atualizar-plano", "--banco", banco_url)
    assert code == 0, out
    assert T["plano_atualizado"] in out
    assert store.plan_by_id(pid) == renomeado()


def test_cli_importar_refuses_a_file_of_another_municipality(capsys, banco_url, tmp_path, store):
    store.create_plan(LONDRINA, usuario="teste")
    arquivo = tmp_path / "maringa_2026.xlsx"
    arquivo.write_bytes(planilha())
    code, _, err = _cli(
        capsys, "importar", str(arquivo), "--municipio", "Londrina", "--banco", banco_url
    )
    assert code == 1 and "O arquivo é de Maringá" in err
    assert len(store.plans()) == 1


def test_cli_importar_without_the_sheet_for_a_new_municipality_says_what_to_run(
    capsys, banco_url, tmp_path, store
):
    arquivo = tmp_path / "maringa_2026.xlsx"
    arquivo.write_bytes(sem_aba_plano())
    code, _, err = _cli(
        capsys, "importar", str(arquivo), "--municipio", "Maringá", "--banco", banco_url
    )
    assert code == 1
    assert 'python -m pmas plano criar --municipio "Maringá"' in err
    assert "--eixos-da-planilha" in err
    assert store.plans() == []


def test_the_plano_sheet_with_an_error_is_reported_by_the_cli(capsys, banco_url, tmp_path, store):
    arquivo = tmp_path / "maringa_2026.xlsx"
    arquivo.write_bytes(planilha(plano_celulas={"B6": "4115201"}))
    code, out, _ = _cli(capsys, "importar", str(arquivo), "--banco", banco_url)
    assert code == 1
    assert "Rejeitado" in out and "célula B6" in out
    assert store.plans() == []


def test_plano_diferencas_ignore_what_the_sheet_cannot_carry(store):
    """The sheet has no diretrizes: a stored plan with them is still "the same"."""
    eixos = tuple(replace(e, diretrizes=("Ampliar a cobertura",)) for e in MARINGA.eixos)
    store.create_plan(Plano(**{**MARINGA.__dict__, "eixos": eixos}), usuario="t")
    info = gestao.plano_do_arquivo(store, MARINGA)
    assert info.situacao == gestao.IGUAL


# --- the plan's workbook: exported, imported back into the same plan -----------------------------


def test_the_plans_workbook_imports_back_into_the_same_plan_changing_nothing(store):
    from pmas.saida.modelo import plan_xlsx_bytes

    linhas = planilha_linhas_com_numeros()
    import_file(store, planilha(linhas=linhas), "m.xlsx", MARINGA, usuario="t", isolar=False)
    [(pid, plano)] = store.plans()
    antes = consulta.resumo(store, 2026, "Maringá")
    exportado = plan_xlsx_bytes(plano, store.load("metas", pid))
    assert _sheet(exportado).plano == MARINGA
    conf = gestao.conferir(store, None, "exportado.xlsx", exportado)
    assert conf.plano_arquivo.situacao == gestao.IGUAL
    [previa] = conf.previas
    assert not previa.muda_metas and previa.iguais == 12, (previa.alteradas, previa.adicionadas)
    r = gestao.importar(
        store, conf.plano, "exportado.xlsx", exportado, actor=ATOR, analysis=conf.analysis
    )
    assert r.situacao == "importado" and [v.numero for v in r.versions] == [2]
    assert consulta.resumo(store, 2026, "Maringá") == antes
    metas = store.load("metas", pid)
    assert sorted(metas["valor_previsto"].astype(float).unique()) == [1234.56]
    assert int(metas["situacao_derivada"].sum()) == 6  # derived again, not typed


def test_the_plans_workbook_creates_the_plan_in_another_database(store, tmp_path):
    from pmas.dados.store import Store
    from pmas.saida.modelo import plan_xlsx_bytes
    from tests.conftest import database_url

    import_file(store, planilha(), "m.xlsx", MARINGA, usuario="t", isolar=False)
    [(pid, plano)] = store.plans()
    exportado = plan_xlsx_bytes(plano, store.load("metas", pid))
    (tmp_path / "outro").mkdir()
    outro = Store(database_url(tmp_path / "outro"))
    conf = gestao.conferir(outro, None, "exportado.xlsx", exportado)
    assert conf.plano_arquivo.situacao == gestao.CRIAR and conf.pode_importar
    gestao.importar(outro, conf.plano, "exportado.xlsx", exportado, actor=ATOR)
    assert [p for _, p in outro.plans()] == [MARINGA]
    assert consulta.resumo(outro, 2026) == consulta.resumo(store, 2026)


def planilha_linhas_com_numeros() -> list[dict]:
    """Maringá's goals with numbers: blank Situação derived from them, decimals, money."""
    from tests.plano_maringa import metas

    linhas = metas(2026)
    for i, linha in enumerate(linhas):
        linha["Previsto"] = 100
        linha["Realizado"] = [100, 45.5, 0][i % 3]
        linha["Valor previsto (R$)"] = "R$ 1.234,56"
        if i % 2:
            linha["Situação"] = None  # derived from the numbers
    return linhas


def test_cli_importar_json_says_which_plan_and_what_the_sheet_did(
    capsys, banco_url, tmp_path, store
):
    import json

    import jsonschema

    from pmas.entrada.findings import IMPORTACAO_SCHEMA

    arquivo = tmp_path / "maringa_2026.xlsx"
    arquivo.write_bytes(planilha())
    code, out, _ = _cli(capsys, "importar", str(arquivo), "--formato", "json", "--banco", banco_url)
    assert code == 0
    dados = json.loads(out)
    jsonschema.validate(dados, IMPORTACAO_SCHEMA)
    assert dados["situacao"] == "importado"
    assert dados["plano"] == {
        "municipio": "Maringá",
        "nome": "PMAS 2026-2029",
        "aba_plano": "criar",
    }


def test_the_whole_template_filled_only_in_plano_and_metas_imports(store):
    """The template's sheets a municipality does not need, left with their headers only, are
    skipped with an aviso beside a sheet with data (alone, an empty sheet is still an error)."""
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx_bytes(MARINGA)))
    ws = wb["Metas"]
    cabecalho = [c.value for c in ws[1]]
    from tests.plano_maringa import metas

    for linha in metas(2026):
        ws.append([linha.get(h) for h in cabecalho])
    buf = io.BytesIO()
    wb.save(buf)
    a = analyse(buf.getvalue(), "modelo.xlsx", None)
    assert a.ok, [f.mensagem for f in a.findings if f.nivel == ERRO]
    ignoradas = sorted(f.aba for f in a.findings if f.codigo == "aba_sem_linhas_ignorada")
    assert ignoradas == ["Conferências", "Deliberações", "Indicadores"]
    assert len(a.frames["metas"]) == 12
    # the template's hidden Listas sheet is not data: no "hidden sheet read anyway" warning
    assert "aba_oculta" not in {f.codigo for f in a.findings}
    so_cabecalho = analyse(template_xlsx_bytes(MARINGA), "vazio.xlsx", None)
    assert "sem_linhas" in {f.codigo for f in so_cabecalho.findings if f.nivel == ERRO}
