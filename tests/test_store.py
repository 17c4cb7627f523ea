"""Versions: each import adds one per year and makes it current; nothing is lost; undo."""

from __future__ import annotations

from pmas.analise import consulta
from pmas.dados.store import Store
from pmas.entrada.pipeline import import_file
from tests.conftest import xlsx
from tests.test_layouts import HEADER, plain_rows

CONF = [
    ["Ano", "Tipo de evento", "Região", "Local", "Segmento", "Participantes"],
    [2023, "Pré-conferência", "Norte", "CRAS Norte A", "Usuários", 30],
    [2023, "Pré-conferência", "Norte", "CRAS Norte A", "Trabalhadores", 10],
    [2023, "Conferência Municipal", None, "Teatro", "Total", 43],
]


def test_tables_missing_from_a_new_file_are_carried_over(store, plano):
    import_file(
        store,
        xlsx({"Metas 2023": [HEADER] + plain_rows(), "Conferências": CONF}),
        "a.xlsx",
        plano,
        usuario="ana",
    )
    rows = [HEADER] + plain_rows()
    rows[1][8] = "Não realizada"
    import_file(store, xlsx({"Metas 2023": rows}), "b.xlsx", plano, usuario="bia")
    data = consulta.resumo(store, 2023)
    assert data["total"]["situacoes"]["Realizada"] == 2
    assert data["conferencias"][0]["participantes_pre_conferencias"] == 40
    assert data["conferencias"][0]["participantes_conferencia_municipal"] == 43
    current = [v for v in store.versions() if v.atual]
    assert len(current) == 1 and current[0].n_conferencias == 3


def test_undo_restores_previous_and_keeps_everything(store, plano):
    import_file(
        store, xlsx({"Metas 2023": [HEADER] + plain_rows()}), "a.xlsx", plano, usuario="ana"
    )
    rows = [HEADER] + plain_rows()[:5]
    import_file(store, xlsx({"Metas 2023": rows}), "b.xlsx", plano, usuario="bia")
    assert consulta.resumo(store, 2023)["total"]["metas"] == 5
    v = store.undo("Londrina", 2023, usuario="carla")
    assert v.numero == 1 and v.atual
    assert consulta.resumo(store, 2023)["total"]["metas"] == 11
    assert len(store.versions()) == 2
    actions = list(store.audit()["acao"])
    assert actions == ["desfazer", "importacao", "importacao", "plano_criado"]
    assert store.audit()["usuario"].iloc[0] == "carla"


def test_original_file_kept_by_sha256(store, plano):
    data = xlsx({"Metas 2023": [HEADER] + plain_rows()})
    result = import_file(store, data, "planilha 2023.xlsx", plano, usuario="ana")
    v = result.versions[0]
    name, content = store.file(v.arquivo_sha256)
    assert name == "planilha 2023.xlsx" and content == data
    assert v.arquivo_tamanho == len(data)


def test_two_stores_on_one_file_see_the_same_data(tmp_path, plano):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    a, b = Store(url), Store(url)
    import_file(a, xlsx({"Metas 2023": [HEADER] + plain_rows()}), "a.xlsx", plano, usuario="ana")
    assert consulta.resumo(b, 2023)["total"]["metas"] == 11
    assert b.integrity_ok()


def test_goal_detail_and_history_across_years(store, plano):
    rows22 = [HEADER] + plain_rows()
    rows22[4][8] = "Não iniciada"
    rows22[4][6:8] = [None, None]
    import_file(store, xlsx({"Metas 2022": rows22}), "a.xlsx", plano, usuario="ana")
    import_file(
        store, xlsx({"Metas 2023": [HEADER] + plain_rows()}), "b.xlsx", plano, usuario="bia"
    )
    from pmas.analise import metrics

    todas = metrics.with_execution(store.load("metas", store.plan()[0]))
    goal = todas[(todas["codigo"] == "2.1") & (todas["ano"] == 2023)].iloc[0]
    history = consulta.goal_history(todas, goal)
    assert list(history["ano"]) == [2022, 2023]
    assert list(history["situacao"]) == ["Não iniciada", "Parcialmente realizada"]
    detail = dict(zip(*consulta.goal_detail(goal).to_dict("list").values()))
    assert detail["Previsto"] == "100" and detail["Realizado"] == "80"
    assert detail["Execução"] == "80,0%" and detail["Território"] == "—"


def test_undo_brings_back_the_version_that_was_current_before(store, plano):
    """Import v1, v2; undo (v1); import v3; undo: v1 again, not the undone v2."""
    for n, rows in enumerate((plain_rows(), plain_rows()[:5], plain_rows()[:3]), start=1):
        import_file(
            store, xlsx({"Metas 2023": [HEADER] + rows}), f"v{n}.xlsx", plano, usuario="ana"
        )
        if n == 2:
            assert store.undo("Londrina", 2023, usuario="ana").numero == 1
    assert consulta.resumo(store, 2023)["total"]["metas"] == 3
    back = store.undo("Londrina", 2023, usuario="ana")
    assert back.numero == 1
    assert consulta.resumo(store, 2023)["total"]["metas"] == 11


def test_integrity_check_sees_broken_invariants_on_every_backend(store, plano):
    """integrity_ok() is not a formality on PostgreSQL: it checks the store's own invariants."""
    from sqlalchemy import select, update

    from pmas.dados import store as store_mod

    versoes = store_mod.versoes
    import_file(store, xlsx({"Metas 2023": [HEADER] + plain_rows()}), "a.xlsx", plano, usuario="a")
    rows = [HEADER] + plain_rows()
    rows[1][8] = "Não realizada"
    import_file(store, xlsx({"Metas 2023": rows}), "b.xlsx", plano, usuario="b")
    assert store.integrity_ok()
    with store.engine.begin() as conn:  # two current versions of one year
        conn.execute(update(versoes).values(atual=True))
    assert not store.integrity_ok()
    with store.engine.begin() as conn:
        conn.execute(update(versoes).where(versoes.c.numero == 1).values(atual=False))
    assert store.integrity_ok()
    with store.engine.begin() as conn:  # a version whose row count disagrees with its rows
        conn.execute(update(versoes).values(n_metas=versoes.c.n_metas + 1))
    assert not store.integrity_ok()
    with store.engine.begin() as conn:
        conn.execute(update(versoes).values(n_metas=versoes.c.n_metas - 1))
    assert store.integrity_ok()
    blobs_table = store_mod.versao_tabelas
    with store.engine.connect() as conn:
        kept = conn.execute(
            select(blobs_table.c.versao_id, blobs_table.c.conteudo).where(
                blobs_table.c.tabela == "metas"
            )
        ).first()
    with store.engine.begin() as conn:  # a blob cut short (a torn write, a bad copy)
        conn.execute(
            update(blobs_table)
            .where(blobs_table.c.versao_id == kept.versao_id)
            .values(conteudo=bytes(kept.conteudo)[:-20])
        )
    assert not store.integrity_ok()
    with store.engine.begin() as conn:  # whole again
        conn.execute(
            update(blobs_table)
            .where(blobs_table.c.versao_id == kept.versao_id)
            .values(conteudo=bytes(kept.conteudo))
        )
    assert store.integrity_ok()
    with store.engine.begin() as conn:  # both counts agree, but the blob holds other rows
        conn.execute(
            update(blobs_table)
            .where(blobs_table.c.versao_id == kept.versao_id, blobs_table.c.tabela == "metas")
            .values(linhas=blobs_table.c.linhas + 1)
        )
        conn.execute(
            update(versoes)
            .where(versoes.c.id == kept.versao_id)
            .values(n_metas=versoes.c.n_metas + 1)
        )
    assert not store.integrity_ok()
