"""Control characters (U+0000–U+001F but tab and line breaks) can no longer crash the report:
the importer strips them (tests/test_reader_porta.py), and the report cleans whatever reached
the database anyway — an older import, a report field, a plan's name (issue #12, item 9)."""

from __future__ import annotations

import io
from dataclasses import replace

import docx

from pmas.dados.plano import LONDRINA
from pmas.entrada.pipeline import analyse
from pmas.saida import report
from tests import corpus as C

CONTROLS = "".join(chr(c) for c in (*range(0, 9), 0x0B, 0x0C, *range(0x0E, 0x20)))


def test_the_report_is_written_when_stored_texts_hold_control_characters(store):
    plano = replace(LONDRINA, municipio="Londrina\x01", nome="PMAS\x1b 2022-2025")
    rows = [C.GOAL_HEADER] + C.goal_rows(8)
    analysis = analyse(C.xlsx({"Metas": rows}), "metas.xlsx", plano, 2022)
    assert analysis.ok, [f.mensagem for f in analysis.findings if f.nivel == "erro"]
    frames = analysis.frames
    metas = frames["metas"].copy()
    # as an importer that did not strip them would have stored them
    metas["acao"] = metas["acao"].astype(object) + CONTROLS
    frames = {**frames, "metas": metas}
    store.save_import(plano, frames, usuario="teste")
    plano_id = store.plan(plano.municipio, plano.nome)[0]
    store.save_report_fields(
        plano_id, 2022, {"comissoes": ["Comissão\x02 A"], "resolucao": "12\x07/2023"}, usuario="t"
    )
    result = report.build_report(store, 2022, plano.municipio, charts=False)
    document = docx.Document(io.BytesIO(result.conteudo))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert "Londrina" in text and "Comissão A" in text and "12/2023" in text
    assert "Ação 3" in text
    assert not any(ch in text for ch in CONTROLS)
