"""Control characters (U+0000–U+001F but tab and line breaks) can no longer crash the report:
the importer strips them (tests/test_reader_porta.py), and the report cleans whatever reached
the database anyway — an older import, a report field, a plan's name (issue #12, item 9)."""

from __future__ import annotations

import io
from dataclasses import replace

import docx

from pmas import cli
from pmas.dados.plano import LONDRINA
from pmas.dados.store import Store
from pmas.entrada.pipeline import analyse, load_examples
from pmas.saida import report
from pmas.saida.relatorio import campos as cm
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


def _dirty(text: str) -> str:
    """``text`` with a control character after its first letter and every one at its end."""
    return text[:1] + "\x01" + text[1:] + CONTROLS


def test_a_report_with_control_characters_in_every_field_is_written(store):
    """Every report field stored with control characters (as a store written before the
    cleaning would hold them): the document is built, and none of them reaches it."""
    plano = LONDRINA
    rows = [C.GOAL_HEADER] + C.goal_rows(8)
    analysis = analyse(C.xlsx({"Metas": rows}), "metas.xlsx", plano, 2022)
    assert analysis.ok
    store.save_import(plano, analysis.frames, usuario="teste")
    plano_id = store.plan(plano.municipio, plano.nome)[0]
    campos = {}
    for name in cm.CAMPOS:
        if name in cm.LISTS:
            campos[name] = [_dirty("Primeiro nome"), _dirty("Segundo nome")]
        elif name in cm.DATE_FIELDS:
            campos[name] = "08/11\x02/2023"
        elif name == "analise":
            campos[name] = {
                str(e.numero): {
                    p: _dirty(f"{rotulo} do eixo") for p, rotulo in cm.ANALISE_PARTES.items()
                }
                for e in plano.eixos
            }
        elif name == "acompanhamento":
            campos[name] = "sim\x03"
        elif name == "conferencia":
            campos[name] = "\x04"
        elif name == "link":
            campos[name] = "https://exemplo.gov.br/\x05jom.pdf"
        else:
            campos[name] = _dirty(f"Texto de {name}")
    store.save_report_fields(plano_id, 2022, campos, usuario="teste")
    result = report.build_report(store, 2022, plano.municipio, charts=False)
    document = docx.Document(io.BytesIO(result.conteudo))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert not any(ch in text for ch in CONTROLS)
    assert "Primeiro nome" in text and "Texto de prefeito" in text
    assert "Avanços do eixo" in text


def test_typed_fields_lose_their_control_characters_and_the_screen_is_told_which():
    typed = {
        "prefeito": "Maria\x01 da Silva",
        "secretario": "João Souza",
        "comissoes": "Comissão\x1f de Fundo\nComissão de Legislação",
        "data_aprovacao": "20/03/2024\x0b",
        "analise": {"1": {"avancos": "Mais\x0c CRAS", "dificuldades": "", "encaminhamentos": ""}},
        "consideracoes": "Um\x00 parágrafo.\n\nOutro\tparágrafo.",
    }
    assert cm.fields_with_controls(typed) == [
        "Prefeito(a) Municipal",
        "Comissões do CMAS que discutiram o relatório",
        "Data da aprovação pelo CMAS",
        "Análise qualitativa por eixo",
        "Considerações finais",
    ]
    out, errors = cm.clean_fields(typed)
    assert errors == []
    assert out["prefeito"] == "Maria da Silva"
    assert out["comissoes"] == ["Comissão de Fundo", "Comissão de Legislação"]
    assert out["data_aprovacao"] == "20/03/2024"
    assert out["analise"]["1"]["avancos"] == "Mais CRAS"
    assert out["consideracoes"] == "Um parágrafo.\n\nOutro parágrafo."
    assert cm.fields_with_controls({"secretario": "João", "equipe": ["A\tB"]}) == []


def test_the_cli_strips_control_characters_of_campos_toml_and_says_so(tmp_path, capsys, banco_url):
    s = Store(banco_url)
    load_examples(s, LONDRINA)
    toml = tmp_path / "campos.toml"
    toml.write_text(
        'prefeito = "Maria\\u0001 da Silva"\nedicao = "5100\\u001b"\n', encoding="utf-8"
    )
    code = cli.main(["--banco", banco_url, "relatorio", "--ano", "2023", "--campos", str(toml)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert (
        "Aviso: Caracteres de controle invisíveis foram removidos de: Prefeito(a) Municipal, "
        "Edição" in err
    )
    plano_id = s.plan()[0]
    assert s.report_fields(plano_id, 2023)["prefeito"] == "Maria da Silva"
    assert s.report_fields(plano_id, 2023)["edicao"] == "5100"
