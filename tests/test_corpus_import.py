"""The hostile-file corpus through the whole import, as an upload would go: each input is
rejected with its code and a Portuguese message naming the problem, in bounded time and memory,
nothing is stored and the version that was current before stays current and intact."""

from __future__ import annotations

import pytest

from pmas.analise import consulta
from pmas.entrada import reader
from pmas.entrada.pipeline import import_file
from tests.conftest import fresh_database, xlsx
from tests.test_layouts import HEADER, plain_rows
from tests.test_reader import REJECTED


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    from pmas.dados.plano import LONDRINA
    from pmas.dados.store import Store

    with fresh_database(tmp_path_factory.mktemp("corpus")) as url:
        store = Store(url)
        result = import_file(
            store,
            xlsx({"Metas 2023": [HEADER] + plain_rows()}),
            "bom.xlsx",
            LONDRINA,
            usuario="gestora",
        )
        assert result.situacao == "importado"
        yield store, LONDRINA, store.versions(), consulta.resumo(store, 2023)
        store.engine.dispose()


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_hostile_upload_changes_nothing(loaded, case):
    store, plano, versions, figures = loaded
    build, code, word, limits = REJECTED[case]
    data = build()
    # import_file analyses in the limited child (pmas.entrada.isolado: CPU, wall time and memory
    # limits, calamine's allocations included); a file that hit a limit would be answered with
    # an analise_* finding, not its own code. Time and memory per case: benchmarks/bench_hostis.py
    result = import_file(
        store,
        data,
        # a CSV problem is told of a .csv (named .xlsx it is "not a valid Excel file")
        "planilha.csv" if code.startswith("csv_") else "planilha.xlsx",
        plano,
        usuario="visitante",
        limits=limits or reader.DEFAULT_LIMITS,
    )
    assert result.situacao == "rejeitado"
    first = next(f for f in result.analysis.findings if f.nivel == "erro")
    assert first.codigo == code and word in first.mensagem
    assert store.versions() == versions
    assert consulta.resumo(store, 2023) == figures
