"""The row property (tests/propriedade.py) is checked on every analysis of the suite by a
wrapper in tests/conftest.py; these tests show the checker can fail and is in place."""

from __future__ import annotations

import pandas as pd

from pmas.dados import schema
from pmas.entrada import normalize, pipeline
from pmas.entrada.findings import finding
from pmas.entrada.normalize import Normalized
from tests.propriedade import violations


def test_the_wrapper_checks_every_analysis():
    assert pipeline.normalize_workbook is not normalize.normalize_workbook


def _norm(lidas, guardadas, **skipped):
    frame = pd.DataFrame({"_linha": list(range(2, 2 + guardadas))})
    n = Normalized(schema.METAS, "Metas", frame, 1)
    n.contagem = {"lidas": lidas, "em_branco": 0, **skipped}
    return n


def test_rows_that_vanish_are_caught():
    assert violations(_norm(3, 3)) == []
    assert violations(_norm(4, 3))  # one row neither stored nor reported
    n = _norm(4, 3, rodape=1)
    assert violations(n)  # counted as a footer but no finding names it
    n.findings.append(finding("rodape_ignorado", aba="Metas", linha=5, trecho="Fonte"))
    assert violations(n) == []


def test_an_ignored_column_without_a_finding_is_caught():
    n = _norm(1, 1)
    n.colunas_ignoradas.append("Obs.")
    assert violations(n)
    n.findings.append(
        finding("coluna_desconhecida", aba="Metas", linha=1, coluna="Obs.", amostra="“x”")
    )
    assert violations(n) == []
