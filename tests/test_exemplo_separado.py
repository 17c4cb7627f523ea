"""Example data never mixes with real data (issue #11), and "Remover dados de exemplo".

The example workbooks are loaded into their own plan (flagged ``exemplo``, named "PMAS 2022-2025
(exemplo)"); Londrina's real PMAS 2022-2025 is created beside it and takes a small real file of
2023. Every reader (resumo, comparar, the report, deliberations, the state-wide read) sees one
plan's versions only. Removing the example data deletes its plans and everything hanging from
them, leaves the real plan intact, is audit-logged, and keeps the example from being loaded
again. Store-level tests run on SQLite, and on PostgreSQL with PMAS_TESTE_PG_URL."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document
from sqlalchemy import func, select

from pmas import cli
from pmas.acesso import gestao
from pmas.acesso.actor import SemPermissao, linha_de_comando
from pmas.analise import consulta
from pmas.dados import aprovacao, mapas
from pmas.dados import store as store_mod
from pmas.dados.plano import LONDRINA
from pmas.dados.store import PlanoRecusado, Store
from pmas.entrada.pipeline import import_file, load_examples
from pmas.saida import report
from pmas.textos import PLANO as T_PLANO
from tests.conftest import xlsx

HEADER = ["Código", "Eixo", "Ação", "Situação"]
# Londrina's real 2023: 4 goals, 2 Realizada, 1 Parcialmente realizada, 1 Não realizada
# → 50,0% realizadas, 75,0% realizadas ou parciais (the example's 2023 has 68 goals).
REAIS = [
    ["1.1.1", "Política Municipal de Assistência Social", "Revisar a lei do SUAS", "Realizada"],
    ["1.1.2", "Política Municipal de Assistência Social", "Plano de capacitação", "Não realizada"],
    [
        "2.1.1",
        "Serviços, Programas e Projetos de Enfrentamento à Pobreza",
        "Ampliar o PAIF",
        "Parcialmente realizada",
    ],
    ["5.1.1", "Gestão", "Concurso público", "Realizada"],
]
ARQUIVO_REAL = xlsx({"Metas 2023": [HEADER, *REAIS]})


def _com_exemplo_e_real(store: Store) -> tuple[int, int]:
    """Example data loaded, then Londrina's real plan created and its 2023 imported."""
    results = load_examples(store, LONDRINA)
    assert {r.situacao for r in results} == {"importado"}
    real_id = gestao.criar_plano(store, LONDRINA, actor=linha_de_comando())
    result = import_file(store, ARQUIVO_REAL, "londrina_2023.xlsx", LONDRINA, usuario="Ana")
    assert result.situacao == "importado", result.as_dict()
    ((exemplo_id, exemplo),) = store.example_plans()
    assert exemplo.nome == "PMAS 2022-2025 (exemplo)" and exemplo.municipio == "Londrina"
    return real_id, exemplo_id


def test_example_and_real_plans_of_one_municipality_never_share_a_figure(store):
    real_id, exemplo_id = _com_exemplo_e_real(store)
    assert [p.nome for _, p in store.plans("Londrina")] == [
        "PMAS 2022-2025",
        "PMAS 2022-2025 (exemplo)",
    ]
    # the real plan: its own 4 goals of 2023 and nothing else
    real = consulta.resumo(store, 2023, "Londrina")
    assert real["plano"] == "PMAS 2022-2025"
    assert (real["total"]["metas"], real["total"]["avaliaveis"]) == (4, 4)
    assert real["total"]["pct_realizadas"] == pytest.approx(50.0)
    assert real["total"]["pct_realizadas_ou_parciais"] == pytest.approx(75.0)
    assert real["conferencias"] == []  # the example's conferences are not the real plan's
    assert consulta.goal_years(store.load("metas", real_id)) == [2023]
    assert all(not v.exemplo for v in store.current_versions(real_id))
    # the example plan: its own 68 goals of 2023, by name
    ex = consulta.resumo(store, 2023, "Londrina", "PMAS 2022-2025 (exemplo)")
    assert ex["total"]["metas"] == 68
    assert consulta.goal_years(store.load("metas", exemplo_id)) == [2022, 2023, 2024]
    # reads across a municipality's plans take one kind only
    assert set(store.load_municipality("metas", "Londrina")["plano_id"]) == {real_id}
    assert set(store.load_municipality("metas", "Londrina", exemplo=True)["plano_id"]) == {
        exemplo_id
    }
    assert store.load_municipality("deliberacoes", "Londrina").empty  # all the example's
    assert not store.load_municipality("deliberacoes", "Londrina", exemplo=True).empty
    assert store.goal_codes("Londrina") == {"1 1 1", "1 1 2", "2 1 1", "5 1 1"}  # keys
    assert len(store.load_all("metas", [2023], exemplo=False)) == 4  # the real plans
    with pytest.raises(consulta.SemDados):  # no real deliberations: none borrowed
        consulta.deliberacoes(store, municipio="Londrina")
    assert consulta.deliberacoes(store, municipio="Londrina", exemplo=True)["deliberacoes"]


def test_real_data_is_never_stored_in_the_example_plan(store):
    load_examples(store, LONDRINA)
    ((exemplo_id, exemplo),) = store.example_plans()
    antes = [v.id for v in store.versions()]
    with pytest.raises(PlanoRecusado) as exc:
        import_file(store, ARQUIVO_REAL, "londrina_2023.xlsx", exemplo, usuario="Ana")
    assert "plano dos dados de exemplo" in exc.value.mensagens[0]
    assert [v.id for v in store.versions()] == antes  # nothing stored
    # the CLI sends it to the municipality's own plan, and says how to make one
    code = cli.main(["--banco", store.url, "importar", "--municipio", "Londrina", "/dev/null"])
    assert code == 2  # /dev/null is not a file
    with pytest.raises(consulta.SemDados) as sem:
        consulta.plan_to_import(store, "Londrina", None, [2023])
    assert "python -m pmas plano criar" in str(sem.value)


def test_cli_comparar_and_relatorio_of_the_real_plan_read_only_real_versions(store, tmp_path):
    _com_exemplo_e_real(store)
    # the real plan has 2023 only: 2022 is the example's and is not offered
    code = cli.main(
        ["--banco", store.url, "comparar", "--de", "2022", "--para", "2023", "--formato", "json"]
    )
    assert code == 1
    saida = tmp_path / "real.docx"
    args = ["--banco", store.url, "relatorio", "--ano", "2023", "--sem-graficos"]
    assert cli.main([*args, "--saida", str(saida)]) == 0
    corpo = _texto(saida.read_bytes())
    assert "DADOS DE EXEMPLO" not in corpo and "(exemplo)" not in corpo
    assert "2.804" not in corpo  # the example's conference is not the real plan's
    exemplo = report.build_report(
        store, 2023, "Londrina", charts=False, nome="PMAS 2022-2025 (exemplo)"
    )
    corpo_ex = _texto(exemplo.conteudo)
    assert "DADOS DE EXEMPLO" in corpo_ex and "2.804" in corpo_ex
    assert any("dados de exemplo" in n for n in exemplo.notas)


def _texto(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _linhas(store: Store, table: str, plano_id: int) -> int:
    """Rows of a data table in every version of a plan (each version's blob counts them)."""
    vt = store_mod.versao_tabelas
    with store.engine.connect() as conn:
        return conn.execute(
            select(func.coalesce(func.sum(vt.c.linhas), 0))
            .join(store_mod.versoes, store_mod.versoes.c.id == vt.c.versao_id)
            .where(store_mod.versoes.c.plano_id == plano_id, vt.c.tabela == table)
        ).scalar()


def _count(store: Store, table, **where) -> int:
    q = select(func.count()).select_from(table)
    for k, v in where.items():
        q = q.where(table.c[k] == v)
    with store.engine.connect() as conn:
        return conn.execute(q).scalar()


def test_remove_examples_deletes_everything_hanging_and_leaves_real_data(store):
    real_id, exemplo_id = _com_exemplo_e_real(store)
    # things that hang from the example plan besides its data
    store.save_report_fields(exemplo_id, 2023, {"apresentacao": "x"}, usuario="Ana")
    mapas.save(store, exemplo_id, {"colunas": {"Título": "acao"}, "situacoes": {}}, usuario="Ana")
    aprovacao.mover(store, exemplo_id, 2023, "enviar", usuario="Ana")
    with store._writer.begin() as conn:  # a Devolutiva template of the example plan
        conn.execute(
            store_mod.devolutiva_modelos.insert().values(
                plano_id=exemplo_id,
                nome="d.docx",
                conteudo=b"x",
                enviado_em=store_mod._now(),
                enviado_por="Ana",
            )
        )
    from pmas.saida import devolutiva
    from pmas.saida.relatorio import modelo

    modelo.save(
        store,
        exemplo_id,
        "d.docx",
        devolutiva.default_bytes(),
        usuario="Ana",
        sample={},
        tipo=modelo.DEVOLUTIVA,
    )
    antes_real = consulta.resumo(store, 2023, "Londrina")
    n_versoes_ex = len(store.versions(plano_id=exemplo_id))
    linhas_ex = sum(_linhas(store, t, exemplo_id) for t in store_mod.DATA_TABLES)
    arquivo_real = store.current_versions(real_id)[0].arquivo_sha256

    with pytest.raises(SemPermissao):  # a reader cannot
        gestao.remover_exemplo(store, actor=None)
    assert store.example_plans()

    feito = gestao.remover_exemplo(store, actor=linha_de_comando())
    assert feito == {
        "planos": 1,
        "versoes": n_versoes_ex,
        "linhas": linhas_ex,
        "arquivos": 3,  # the three example workbooks
    }
    assert store.example_plans() == []
    assert [pid for pid, _ in store.plans()] == [real_id]
    assert consulta.resumo(store, 2023, "Londrina") == antes_real  # the real plan untouched
    assert store.file(arquivo_real) is not None
    assert len(store.versions()) == 1
    for table in store_mod.DATA_TABLES:
        assert _linhas(store, table, exemplo_id) == 0
    for table in (
        store_mod.relatorio_campos,
        store_mod.relatorio_etapas,
        store_mod.relatorio_aprovado,
        store_mod.relatorio_modelos,
        store_mod.devolutiva_modelos,
        mapas.mapas,
    ):
        assert _count(store, table, plano_id=exemplo_id) == 0
    for table in store_mod.md.sorted_tables:  # nothing anywhere still points at the plan
        if "plano_id" in table.c and table is not store_mod.auditoria:
            assert _count(store, table, plano_id=exemplo_id) == 0, table.name
    assert _count(store, store_mod.arquivos) == 1
    assert _count(store, store_mod.auditoria, plano_id=exemplo_id) == 0  # detached, kept
    assert store.integrity_ok()
    log = store.audit()
    assert log["acao"].iloc[0] == "exemplo_removido"
    assert "Londrina · PMAS 2022-2025 (exemplo)" in log["detalhe"].iloc[0]
    assert log["usuario"].iloc[0] == linha_de_comando().registro
    assert store.examples_removed()
    assert store.marker(store_mod.EXEMPLO_REMOVIDO)


def test_cli_exemplo_remover(store, capsys):
    load_examples(store, LONDRINA)
    assert cli.main(["--banco", store.url, "exemplo", "remover"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Dados de exemplo removidos: Londrina · PMAS 2022-2025 (exemplo)")
    assert "não serão carregados de novo" in out
    assert store.plans() == [] and store.examples_removed()
    assert cli.main(["exemplo", "remover", "--banco", store.url]) == 1
    assert capsys.readouterr().err.strip() == "Não há dados de exemplo no banco de dados."
    with pytest.raises(SystemExit) as uso:
        cli.main(["--banco", store.url, "exemplo"])
    assert uso.value.code == 2
    assert "Erro de uso" in capsys.readouterr().err
    code = cli.main(["--banco", store.url, "plano", "listar", "--formato", "json"])
    assert code == 0 and json.loads(capsys.readouterr().out) == []


def test_cli_importar_into_the_example_plan_is_refused(store, tmp_path, capsys):
    load_examples(store, LONDRINA)
    arquivo = tmp_path / "londrina_2023.xlsx"
    arquivo.write_bytes(ARQUIVO_REAL)
    antes = [v.id for v in store.versions()]
    code = cli.main(
        ["--banco", store.url, "importar", str(arquivo), "--plano", "PMAS 2022-2025 (exemplo)"]
    )
    assert code == 1
    assert capsys.readouterr().err.strip() == T_PLANO["exemplo_mistura"]
    # without --plano: the municipality has no real plan, and the command to make one is said
    assert cli.main(["--banco", store.url, "importar", str(arquivo)]) == 1
    err = capsys.readouterr().err
    assert "python -m pmas plano criar" in err
    assert [v.id for v in store.versions()] == antes


def test_every_data_table_has_its_portuguese_name():
    """The Importar preview names each table a year's version holds (a second, shorter TABELAS
    once hid Deliberações and the preview of a year with deliberations crashed)."""
    from pmas import textos

    assert set(textos.TABELAS) == set(store_mod.DATA_TABLES)
