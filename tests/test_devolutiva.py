"""The Devolutiva (.docx) read back with python-docx, and the CLI's JSON it must agree with."""

from __future__ import annotations

import io
import json

import docx
import pytest

from pmas.cli import main
from pmas.dados.plano import LONDRINA
from pmas.dados.store import Store
from pmas.entrada.pipeline import import_file
from tests.conftest import ROOT, xlsx
from tests.test_deliberacoes import PLANO_A, deliberacoes, metas_a

EXEMPLO = ROOT / "data" / "exemplo"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def exemplo(banco_url, capsys) -> str:
    # a new municipality's plan is created before its first import (the CLI refuses otherwise)
    store = Store(banco_url)
    store.ensure_plan(LONDRINA)
    store.engine.dispose()
    for path in sorted(EXEMPLO.glob("*.xlsx")):
        assert run(capsys, "--banco", banco_url, "importar", str(path))[0] == 0
    return banco_url


def _statuses_in_docx(content: bytes) -> tuple[dict[str, str], str]:
    """Deliberation number → status, read from the document's headings and their next
    paragraphs; and the whole text."""
    d = docx.Document(io.BytesIO(content))
    found: dict[str, str] = {}
    current = None
    for p in d.paragraphs:
        if p.style.name == "Heading 2" and p.text.startswith("Deliberação nº "):
            current = p.text.removeprefix("Deliberação nº ")
        elif current and p.text.startswith("Situação em "):
            found[current] = p.text.split(": ", 1)[1].split(" — ", 1)[0]
            current = None
    text = "\n".join(p.text for p in d.paragraphs)
    for t in d.tables:
        for row in t.rows:
            text += "\n" + " | ".join(c.text for c in row.cells)
    return found, text


@pytest.mark.parametrize("edicao", [2021, 2023])
def test_devolutiva_of_the_example_equals_the_cli(exemplo, capsys, tmp_path, edicao):
    code, out, _ = run(
        capsys, "--banco", exemplo, "deliberacoes", "--edicao", str(edicao), "--formato", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["edicao"] == edicao and data["ano"] == 2024
    saida = tmp_path / "devolutiva.docx"
    code, out, _ = run(
        capsys, "--banco", exemplo, "devolutiva", "--edicao", str(edicao), "--saida", str(saida)
    )
    assert code == 0 and "gravada" in out
    statuses, text = _statuses_in_docx(saida.read_bytes())
    # every deliberation is there, with the CLI's status
    assert statuses == {d["numero"]: d["situacao"] for d in data["deliberacoes"]}
    assert len(statuses) == data["cobertura"]["total"] >= 25
    for d in data["deliberacoes"]:
        assert d["texto"] in text
        for g in d["metas_no_ano"]:
            assert g["codigo"] in text
            if g["justificativa"]:
                assert g["justificativa"] in text
    c = data["cobertura"]
    assert f"Das {c['total']} deliberações, {c['municipais']} são de âmbito municipal" in text


def test_cli_json_by_hand(banco_url, capsys):
    store = Store(banco_url)
    import_file(
        store,
        xlsx({"Metas": metas_a(), "Deliberações": deliberacoes()}),
        "a.xlsx",
        PLANO_A,
        usuario="ana",
    )
    code, out, err = run(
        capsys, "--banco", banco_url, "deliberacoes", "--ano", "2025", "--formato", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert (data["municipio"], data["edicao"], data["ano"]) == ("Vila Nova", 2023, 2025)
    assert {d["numero"]: d["situacao"] for d in data["deliberacoes"]} == {
        "1": "Sem meta no PMAS",
        "2": "Atendida",
        "3": "Em atendimento",
        "4": "Encaminhada",
        "5": "Não atendida",
        "6": "Sem meta no PMAS",
        "7": "Encaminhada",
        "8": "Atendida",
    }
    n3 = next(d for d in data["deliberacoes"] if d["numero"] == "3")
    assert n3["metas"] == ["B1", "B2"]
    assert [(g["codigo"], g["situacao"], g["justificativa"]) for g in n3["metas_no_ano"]] == [
        ("B1", "Realizada", "Concurso homologado"),
        ("B2", "Não realizada", "Sem licitação"),
    ]
    assert data["metas_inexistentes"] == [
        {"numero": "6", "codigo": "Z9", "aba": "Deliberações", "linha": 7},
        {"numero": "8", "codigo": "N1", "aba": "Deliberações", "linha": 9},
    ]
    assert data["cobertura"]["atendidas"] == 2 and data["cobertura"]["municipais"] == 6
    # text form: the same figures, Brazilian formats; warnings on stderr
    code, out, err = run(capsys, "--banco", banco_url, "deliberacoes", "--ano", "2025")
    assert code == 0
    assert "6 municipais (4 com meta no PMAS, 66,7%; 2 atendidas, 33,3%)" in out
    assert "Z9" in err


def test_cli_errors(banco_url, capsys, tmp_path):
    code, _, err = run(capsys, "--banco", banco_url, "deliberacoes")
    assert code == 1 and "vazio" in err
    code, _, err = run(
        capsys, "--banco", banco_url, "devolutiva", "--edicao", "2023", "--saida", "x.pdf"
    )
    assert code == 2 and ".docx" in err
    store = Store(banco_url)
    import_file(store, xlsx({"Metas": metas_a()}), "m.xlsx", PLANO_A, usuario="ana")
    code, _, err = run(capsys, "--banco", banco_url, "deliberacoes")
    assert code == 1 and "Deliberações" in err
    import_file(store, xlsx({"Deliberações": deliberacoes()}), "d.xlsx", PLANO_A, usuario="ana")
    code, _, err = run(capsys, "--banco", banco_url, "deliberacoes", "--edicao", "2019")
    assert code == 1 and "2023" in err
    code, _, err = run(capsys, "--banco", banco_url, "deliberacoes", "--ano", "2030")
    assert code == 1 and "2024, 2025" in err


def test_report_has_the_deliberations_section(exemplo, capsys):
    from pmas.saida import report

    code, out, _ = run(
        capsys, "--banco", exemplo, "deliberacoes", "--ano", "2024", "--formato", "json"
    )
    data = json.loads(out)
    result = report.build_report(Store(exemplo), 2024, charts=False)
    d = docx.Document(io.BytesIO(result.conteudo))
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert "Deliberações da conferência de 2023" in headings
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "Nº")
    assert table.rows[0].cells[3].text == "Situação em 2024"
    rows = {r.cells[0].text: r.cells[3].text for r in table.rows[1:]}
    assert rows == {x["numero"]: x["situacao"] for x in data["deliberacoes"]}
    c = data["cobertura"]
    text = "\n".join(p.text for p in d.paragraphs)
    assert (
        f"Das municipais, {c['com_meta']} (85,7%) têm meta no PMAS e {c['atendidas']} (39,3%) "
        "estavam atendidas em 2024" in text
    )


# --- the Devolutiva's Word template (the report's mechanism) ------------------------------------


def _reworded_devolutiva(balanco: str = "Balanço") -> bytes:
    """The default Devolutiva template with a municipality's wording: the summary sentence and
    the line of each deliberation's status."""
    from pmas.saida import devolutiva

    d = docx.Document(io.BytesIO(devolutiva.default_bytes()))
    for p in d.paragraphs:
        if p.text.startswith("Das {{ cobertura.total|numero }} deliberações"):
            for r in p.runs[1:]:
                r._r.getparent().remove(r._r)
            p.runs[0].text = (
                balanco + ": {{ cobertura.atendidas|numero }} atendidas de "
                "{{ cobertura.municipais|numero }} municipais em {{ ano }}."
            )
        if p.text.startswith("Situação em {{ ano }}: {{ d.situacao }}"):
            for r in p.runs[1:]:
                r._r.getparent().remove(r._r)
            p.runs[0].text = "Como está em {{ ano }}: {{ d.situacao }}."
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_the_plan_s_devolutiva_template_is_used_by_the_cli(exemplo, capsys, tmp_path):
    from pmas.saida.relatorio import modelo

    store = Store(exemplo)
    pid = store.plan()[0]
    modelo.save(
        store,
        pid,
        "devolutiva_do_municipio.docx",
        _reworded_devolutiva(),
        usuario="Ana",
        sample={},
        tipo=modelo.DEVOLUTIVA,
    )
    assert modelo.stored(store, pid, modelo.DEVOLUTIVA)[0] == "devolutiva_do_municipio.docx"
    assert modelo.stored(store, pid) is None  # the report's template is another one
    assert (store.audit()["acao"] == "modelo_devolutiva").any()
    code, out, _ = run(
        capsys, "--banco", exemplo, "deliberacoes", "--edicao", "2023", "--formato", "json"
    )
    data = json.loads(out)
    saida = tmp_path / "d.docx"
    code, _, _ = run(
        capsys, "--banco", exemplo, "devolutiva", "--edicao", "2023", "--saida", str(saida)
    )
    assert code == 0
    d = docx.Document(saida)
    text = "\n".join(p.text for p in d.paragraphs)
    c = data["cobertura"]
    assert f"Balanço: {c['atendidas']} atendidas de {c['municipais']} municipais em 2024." in text
    assert "são de âmbito municipal" not in text
    # every deliberation with the CLI's status, in the municipality's words
    found = {}
    current = None
    for p in d.paragraphs:
        if p.style.name == "Heading 2" and p.text.startswith("Deliberação nº "):
            current = p.text.removeprefix("Deliberação nº ")
        elif current and p.text.startswith("Como está em 2024: "):
            found[current] = p.text.removeprefix("Como está em 2024: ").removesuffix(".")
            current = None
    assert found == {x["numero"]: x["situacao"] for x in data["deliberacoes"]}
    # back to the default
    modelo.save(store, pid, "", b"", usuario="Ana", sample={}, tipo=modelo.DEVOLUTIVA)
    code, _, _ = run(
        capsys, "--banco", exemplo, "devolutiva", "--edicao", "2023", "--saida", str(saida)
    )
    statuses, text = _statuses_in_docx(saida.read_bytes())
    assert "são de âmbito municipal" in text and "Balanço:" not in text
    store.engine.dispose()


def test_a_broken_devolutiva_template_is_refused(exemplo):
    from pmas.saida.relatorio import modelo

    store = Store(exemplo)
    pid = store.plan()[0]
    for conteudo, mensagem in (
        (b"nao e um docx", "não é um modelo do Word"),
        (_reworded_devolutiva("{% for x %}Balanço"), "malformado"),
    ):
        with pytest.raises(modelo.ModeloInvalido, match=mensagem):
            modelo.save(
                store, pid, "x.docx", conteudo, usuario="Ana", sample={}, tipo=modelo.DEVOLUTIVA
            )
    assert modelo.stored(store, pid, modelo.DEVOLUTIVA) is None
    store.engine.dispose()


def test_default_devolutiva_template_shipped_matches_the_code():
    from pmas.saida import devolutiva

    shipped = docx.Document(devolutiva.DEFAULT_PATH)
    built = docx.Document(io.BytesIO(devolutiva.build_default()))
    assert [p.text for p in shipped.paragraphs] == [p.text for p in built.paragraphs]
    assert [[c.text for r in t.rows for c in r.cells] for t in shipped.tables] == [
        [c.text for r in t.rows for c in r.cells] for t in built.tables
    ]
