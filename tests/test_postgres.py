"""Concurrent writers on one database: with SQLite by default, with PostgreSQL when CI sets
PMAS_TESTE_PG_URL (the `store` fixture then hands out a fresh PostgreSQL database)."""

from __future__ import annotations

import threading

from pmas.dados.store import Store
from pmas.entrada.pipeline import import_file
from tests.conftest import xlsx
from tests.test_layouts import HEADER, plain_rows


def test_two_imports_of_one_year_at_once(store, plano):
    store.ensure_plan(plano)
    files = []
    for status in ("Realizada", "Não realizada"):
        rows = [HEADER] + plain_rows()
        rows[1][8] = status
        files.append(xlsx({"Metas 2023": rows}))
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run(data: bytes, user: str) -> None:
        try:
            own = Store(store.url)  # another app server's connection pool
            barrier.wait()
            result = import_file(own, data, f"{user}.xlsx", plano, usuario=user)
            assert result.situacao == "importado"
            own.engine.dispose()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f, u)) for f, u in zip(files, ("ana", "bia"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    versions = [v for v in store.versions() if v.ano == 2023]
    assert sorted(v.numero for v in versions) == [1, 2]
    assert sum(v.atual for v in versions) == 1
    assert store.integrity_ok()


def test_undo_and_reads_on_this_backend(store, plano):
    import_file(
        store, xlsx({"Metas 2023": [HEADER] + plain_rows()}), "a.xlsx", plano, usuario="ana"
    )
    import_file(
        store, xlsx({"Metas 2023": [HEADER] + plain_rows()[:4]}), "b.xlsx", plano, usuario="bia"
    )
    assert len(store.load("metas", store.plan()[0])) == 4
    store.undo("Londrina", 2023, usuario="carla")
    metas = store.load("metas", store.plan()[0])
    assert len(metas) == 11
    assert set(metas["eixo_numero"].dropna().astype(int)) == {1, 2, 3, 4, 5}
    assert len(store.load_all("metas")) == 11
    some = store.load_all("metas", [2023], columns=("situacao", "eixo_numero"))
    assert sorted(some.columns) == ["eixo_numero", "municipio", "situacao"]
    assert sorted(some["situacao"]) == sorted(metas["situacao"])
