"""The report fields of a year saved by several people at the same instant (the first save of
the year included, where an update finds no row and an insert follows): every save succeeds,
one of them is what stays, and each is in the audit log. Meant for PostgreSQL, where writers
run in parallel (.ci/run's second pass); on SQLite the write lock queues them."""

from __future__ import annotations

import json
import threading

from pmas.dados.plano import LONDRINA
from pmas.dados.store import Store


def test_simultaneous_first_saves_of_the_report_fields_all_succeed(banco_url):
    setup = Store(banco_url)
    pid = setup.ensure_plan(LONDRINA)
    n = 8
    stores = [Store(banco_url) for _ in range(n)]
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def save(i: int) -> None:
        try:
            barrier.wait()
            stores[i].save_report_fields(pid, 2024, {"prefeito": f"Pessoa {i}"}, usuario=f"u{i}")
        except BaseException as exc:  # every failure is reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, [repr(e) for e in errors]
    saved = setup.report_fields(pid, 2024)
    assert saved["prefeito"] in {f"Pessoa {i}" for i in range(n)}
    log = setup.audit()
    assert sorted(log[log["acao"] == "relatorio"]["usuario"]) == sorted(f"u{i}" for i in range(n))
    with setup.engine.connect() as conn:
        from sqlalchemy import text

        rows = conn.execute(
            text("SELECT campos FROM relatorio_campos WHERE plano_id = :p AND ano = 2024"),
            {"p": pid},
        ).all()
    assert len(rows) == 1 and json.loads(rows[0][0])["prefeito"] == saved["prefeito"]
    for s in (setup, *stores):
        s.engine.dispose()
