"""The property every import must keep, checked on every workbook the suite analyses.

For every table recognised in a sheet: the data rows read under its header = the rows stored
(distinct rows behind the records) + the rows reported as skipped (blank, footer, section,
no goal, no values); every skipped row but a blank one has a finding naming its row; and every
column whose values are not read has a finding naming it. ``tests/conftest.py`` wraps
:func:`pmas.entrada.normalize.normalize_workbook` as the pipeline calls it, so each analysis of
the suite (every fixture workbook, the example data, the corpus, the screens' uploads) is
checked; ``tests/test_propriedade.py`` also checks it explicitly.
"""

from __future__ import annotations

from pmas.entrada.normalize import Normalized

SKIP_CODES = {
    "rodape": "rodape_ignorado",
    "secao": "linha_secao",
    "sem_meta": "linha_sem_identificacao",
    "sem_valores": "linha_sem_valores",
}
COLUMN_CODES = {
    "coluna_desconhecida",
    "coluna_ignorada_mapa",
    "coluna_calculada",
    "coluna_duplicada",
    "coluna_sem_titulo",
}


def violations(norm: Normalized) -> list[str]:
    """What breaks the property for one recognised table (empty when it holds)."""
    out = []
    c = norm.contagem
    rejected = any(f.nivel == "erro" for f in norm.findings)  # nothing of the sheet is stored
    if c and not rejected:  # the rows were read and made records
        stored = int(norm.frame["_linha"].nunique()) if len(norm.frame) else 0
        if c["lidas"] != stored + norm.linhas_puladas:
            out.append(
                f"{norm.sheet}: {c['lidas']} linhas lidas != {stored} guardadas + "
                f"{norm.linhas_puladas} puladas ({c})"
            )
        for reason, code in SKIP_CODES.items():
            reported = sum(1 for f in norm.findings if f.codigo == code)
            if reported != c.get(reason, 0):
                out.append(f"{norm.sheet}: {c.get(reason, 0)} {reason} but {reported} {code}")
    named = {f.coluna for f in norm.findings if f.codigo in COLUMN_CODES}
    for col in norm.colunas_ignoradas:
        if col not in named:
            out.append(f"{norm.sheet}: coluna “{col}” ignorada sem achado")
    return out
