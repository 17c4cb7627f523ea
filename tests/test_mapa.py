"""The mapping a user teaches (pmas.entrada.mapa): JSON round trip, applied by the importer, saved
with the plan; on the Importar screen (AppTest) and through the CLI."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from pmas import textos
from pmas.cli import main
from pmas.dados.plano import LONDRINA
from pmas.dados.schema import PARCIAL, REALIZADA
from pmas.dados.store import Store
from pmas.entrada import mapa as mapa_mod
from pmas.entrada.mapa import IGNORAR, Mapa, MapaInvalido
from pmas.entrada.pipeline import analyse
from tests import test_page_importar as pagina
from tests.conftest import xlsx
from tests.test_page_importar import db, slept  # noqa: F401 (the screen's fixtures)

E1 = "Política Municipal de Assistência Social"


def planilha(ano: int, status: str = "Finalizada com ressalvas") -> bytes:
    """A year's goals whose status wording and one heading no family or alias knows."""
    head = ["Código", "Eixo", "Ação", "Entregas do ano", "Situação", "Quem acompanha"]
    rows = [
        head,
        ["1.1", E1, "Revisar a lei do SUAS", 10, "Realizada", "Conselho"],
        ["1.2", E1, "Publicar o diagnóstico", 4, status, "SMAS"],
    ]
    return xlsx({f"Metas {ano}": rows})


def test_json_round_trip_and_lookup_by_key():
    m = Mapa(
        {"Entregas do ano": "realizado", "Obs.": IGNORAR}, {"Finalizada c/ ressalvas": PARCIAL}
    )
    again = Mapa.from_json(m.to_json())
    assert again == m and again.as_dict() == m.as_dict()
    assert again.coluna("  entregas   DO ano ") == "realizado"
    assert again.situacao("FINALIZADA C RESSALVAS") == PARCIAL
    assert again.coluna("outra") is None
    assert m.without(situacoes=["finalizada c/ ressalvas"]).situacoes == {}


@pytest.mark.parametrize(
    "text",
    [
        '{"colunas": {"X": "nao_existe"}}',
        '{"situacoes": {"X": "Quase"}}',
        '{"outra": {}}',
        "[1, 2]",
        "{não é json",
        '{"colunas": {"X": 3}}',
    ],
)
def test_bad_mappings_are_refused_in_portuguese(text):
    with pytest.raises(MapaInvalido) as exc:
        Mapa.from_json(text)
    assert str(exc.value)[:2] in ("O ", "“c", "“s")


def test_unknowns_are_listed_and_the_mapping_resolves_them():
    a = analyse(planilha(2023), "m.xlsx", LONDRINA)
    assert not a.ok
    assert a.colunas_desconhecidas == ["Entregas do ano", "Quem acompanha"]
    assert a.situacoes_desconhecidas == ["Finalizada com ressalvas"]
    mapa = Mapa(
        {"Entregas do ano": "realizado", "Quem acompanha": IGNORAR},
        {"Finalizada com ressalvas": PARCIAL},
    )
    a = analyse(planilha(2023), "m.xlsx", LONDRINA, mapa=mapa)
    assert a.ok
    m = a.frames["metas"]
    assert m["situacao"].tolist() == [REALIZADA, PARCIAL]
    assert m["realizado"].tolist() == [10, 4]
    assert a.colunas_desconhecidas == [] and a.situacoes_desconhecidas == []
    codes = {f.codigo for f in a.findings}
    assert {"coluna_do_mapa", "coluna_ignorada_mapa", "situacao_do_mapa"} <= codes


def test_a_status_mapped_to_ignorar_is_blank(plano):
    mapa = Mapa(situacoes={"Finalizada com ressalvas": IGNORAR})
    a = analyse(planilha(2023), "m.xlsx", plano, mapa=mapa)
    # blank and no numbers to derive it from: it must be filled in (an error, never a guess)
    assert [f.codigo for f in a.findings if f.nivel == "erro"] == ["situacao_ausente"]


# --- the Importar screen ----------------------------------------------------------------------


def _selectbox(at: AppTest, label: str):
    return next(s for s in at.selectbox if s.label == label)


def test_screen_maps_an_unknown_status_saves_it_and_next_year_needs_no_question(db):  # noqa: F811
    at = pagina._login(pagina._app())
    at = pagina._upload(at, "metas 2023.xlsx", planilha(2023))
    assert pagina._metrics(at)[pagina.T["erros"]] == "1"  # the unknown status
    M = textos.MAPA
    assert M["titulo"] in [s.value for s in at.subheader]
    status = _selectbox(at, M["situacao"].format(situacao="Finalizada com ressalvas"))
    coluna = _selectbox(at, M["coluna"].format(coluna="Entregas do ano"))
    status.select(PARCIAL)
    at = pagina._run(at)
    # the effect at once: no error left, the preview is there, the confirm button too
    assert pagina._metrics(at)[pagina.T["erros"]] == "0"
    assert pagina.T["confirmar"] in pagina._buttons(at)
    coluna = _selectbox(at, M["coluna"].format(coluna="Entregas do ano"))
    coluna.select("realizado")
    at = pagina._run(at)
    assert pagina._metrics(at)[pagina.T["erros"]] == "0"
    next(b for b in at.button if b.label == pagina.T["confirmar"]).click()
    at = pagina._run(at)
    plano_id, plano = db.plan()
    metas = db.load("metas", plano_id)
    assert sorted(metas["situacao"]) == [PARCIAL, REALIZADA]
    assert sorted(metas["realizado"]) == [4, 10]
    saved = mapa_mod.saved(db, plano)
    assert saved.situacoes == {"Finalizada com ressalvas": PARCIAL}
    assert saved.colunas == {"Entregas do ano": "realizado"}

    # next year's file, same wording: no question, imports directly
    at = pagina._upload(at, "metas 2024.xlsx", planilha(2024))
    assert pagina._metrics(at)[pagina.T["erros"]] == "0"
    labels = {s.label for s in at.selectbox}
    assert M["situacao"].format(situacao="Finalizada com ressalvas") not in labels
    assert M["coluna"].format(coluna="Entregas do ano") not in labels
    assert M["coluna"].format(coluna="Quem acompanha") in labels  # still unknown: offered
    next(b for b in at.button if b.label == pagina.T["confirmar"]).click()
    at = pagina._run(at)
    metas = db.load("metas", plano_id)
    assert sorted(metas.loc[metas["ano"] == 2024, "situacao"]) == [PARCIAL, REALIZADA]

    # the saved mapping is listed, and an entry can be removed
    tabela = pagina._table_with(at, M["escrito"], M["lido_como"]).value
    assert dict(zip(tabela[M["escrito"]], tabela[M["lido_como"]])) == {
        "Entregas do ano": "Realizado",
        "Finalizada com ressalvas": PARCIAL,
    }
    at.multiselect(key="mapa_remover_escolha").select(
        f"{M['tipo_situacao']}: Finalizada com ressalvas"
    )
    at = pagina._run(at)
    next(b for b in at.button if b.label == M["remover"]).click()
    pagina._run(at)
    assert mapa_mod.saved(db, plano).as_dict() == {
        "colunas": {"Entregas do ano": "realizado"},
        "situacoes": {},
    }


# --- the CLI ----------------------------------------------------------------------------------


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_reads_saves_and_reuses_the_mapping(capsys, tmp_path, banco_url):
    f23, f24 = tmp_path / "metas_2023.xlsx", tmp_path / "metas_2024.xlsx"
    f23.write_bytes(planilha(2023))
    f24.write_bytes(planilha(2024))
    code, out, _ = run(capsys, "--banco", banco_url, "importar", str(f23), "--formato", "json")
    assert code == 1
    data = json.loads(out)
    assert data["situacoes_desconhecidas"] == ["Finalizada com ressalvas"]
    assert "Entregas do ano" in data["colunas_desconhecidas"]

    arquivo = tmp_path / "mapa.json"
    arquivo.write_text(
        json.dumps(
            {
                "colunas": {"Entregas do ano": "realizado", "Quem acompanha": "ignorar"},
                "situacoes": {"Finalizada com ressalvas": "Parcialmente realizada"},
            }
        ),
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "--banco", banco_url, "importar", str(f23), "--mapa", str(arquivo), "--salvar-mapa"
    )
    assert code == 0, out
    assert textos.MAPA["mapa_salvo"] in out
    # next year: no --mapa, the plan's mapping is used
    code, out, _ = run(capsys, "--banco", banco_url, "importar", str(f24), "--formato", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["situacao"] == "importado"
    assert data["mapa"]["situacoes"] == {"Finalizada com ressalvas": "Parcialmente realizada"}
    store = Store(banco_url)
    metas = store.load("metas", store.plan()[0])
    assert sorted(metas.loc[metas["ano"] == 2024, "realizado"]) == [4, 10]


def test_cli_refuses_a_bad_mapping_file(capsys, tmp_path, banco_url):
    f = tmp_path / "m.xlsx"
    f.write_bytes(planilha(2023))
    bad = tmp_path / "mapa.json"
    bad.write_text('{"situacoes": {"X": "Quase"}}', encoding="utf-8")
    code, out, err = run(capsys, "--banco", banco_url, "importar", str(f), "--mapa", str(bad))
    assert code == 2 and "“Quase”" in err
    assert Store(banco_url).is_empty()
