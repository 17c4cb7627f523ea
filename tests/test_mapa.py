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
        "reducao": {},
    }


# --- the CLI ----------------------------------------------------------------------------------


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_reads_saves_and_reuses_the_mapping(capsys, tmp_path, banco_url):
    Store(banco_url).create_plan(LONDRINA, usuario="teste")  # the CLI imports into a plan
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
    Store(banco_url).create_plan(LONDRINA, usuario="teste")  # the CLI imports into a plan
    f = tmp_path / "m.xlsx"
    f.write_bytes(planilha(2023))
    bad = tmp_path / "mapa.json"
    bad.write_text('{"situacoes": {"X": "Quase"}}', encoding="utf-8")
    code, out, err = run(capsys, "--banco", banco_url, "importar", str(f), "--mapa", str(bad))
    assert code == 2 and "“Quase”" in err
    assert Store(banco_url).is_empty()


# --- goals whose text starts with Reduzir: the user's answer, saved with the plan ---------------


def reducao(ano: int) -> bytes:
    """Previsto 20 / realizado 25 for "Reduzir a fila"; 10 / 10 for an ordinary goal.
    As an increase: min(25 ÷ 20, 1) = 1; as a reduction: 20 ÷ 25 = 0,8."""
    head = ["Código", "Eixo", "Ação", "Previsto", "Realizado", "Ano"]
    rows = [
        head,
        ["2.1", E1, "Reduzir a fila do acolhimento", 20, 25, ano],
        ["2.2", E1, "Ampliar o PAIF", 10, 10, ano],
    ]
    return xlsx({f"Metas {ano}": rows})


def _indices(store: Store, ano: int) -> list[float]:
    from pmas.analise import metrics

    metas = store.load("metas", store.plan()[0])
    metas = metas[metas["ano"] == ano].sort_values("codigo")
    return metrics.goal_scores(metas).tolist()


def test_cli_answers_the_reduction_question_and_plano_mostrar_lists_the_mapping(
    capsys, tmp_path, banco_url
):
    Store(banco_url).create_plan(LONDRINA, usuario="teste")
    f23, f24 = tmp_path / "metas_2023.xlsx", tmp_path / "metas_2024.xlsx"
    f23.write_bytes(reducao(2023))
    f24.write_bytes(reducao(2024))
    code, out, _ = run(capsys, "--banco", banco_url, "importar", str(f23), "--simular")
    assert code == 0
    assert "“Reduzir a fila do acolhimento”" in out and "--reducao sim|nao" in out
    code, out, err = run(
        capsys, "--banco", banco_url, "importar", str(f23), "--reducao", "sim", "--salvar-mapa"
    )
    assert code == 0, out + err
    assert textos.MAPA["mapa_salvo"] in out and "--reducao sim|nao" not in out
    assert _indices(Store(banco_url), 2023) == pytest.approx([0.8, 1.0])
    # next year: the saved answer applies, nothing is asked
    code, out, _ = run(capsys, "--banco", banco_url, "importar", str(f24), "--formato", "json")
    data = json.loads(out)
    assert (code, data["situacao"], data["reducoes_pendentes"]) == (0, "importado", [])
    assert any(a["codigo"] == "sentido_confirmado" for a in data["achados"])
    assert _indices(Store(banco_url), 2024) == pytest.approx([0.8, 1.0])
    # plano mostrar: text and JSON
    code, out, _ = run(capsys, "--banco", banco_url, "plano", "mostrar")
    assert code == 0
    assert textos.MAPA["salvo_titulo"] + ":" in out
    assert "  Meta de redução?: “Reduzir a fila do acolhimento” → sim: previsto ÷ realizado" in out
    code, out, _ = run(capsys, "--banco", banco_url, "plano", "mostrar", "--formato", "json")
    assert json.loads(out)["mapa"] == {
        "colunas": {},
        "situacoes": {},
        "reducao": {"Reduzir a fila do acolhimento": "sim"},
    }


def test_plano_mostrar_says_when_no_mapping_is_saved(capsys, banco_url):
    Store(banco_url).create_plan(LONDRINA, usuario="teste")
    code, out, _ = run(capsys, "--banco", banco_url, "plano", "mostrar")
    assert code == 0 and textos.MAPA["salvo_vazio"] in out
    code, out, _ = run(capsys, "--banco", banco_url, "plano", "mostrar", "--formato", "json")
    assert json.loads(out)["mapa"] == {"colunas": {}, "situacoes": {}, "reducao": {}}


def test_cli_reducao_nao_keeps_the_goal_an_increase(capsys, tmp_path, banco_url):
    Store(banco_url).create_plan(LONDRINA, usuario="teste")
    f = tmp_path / "metas_2023.xlsx"
    f.write_bytes(reducao(2023))
    code, out, _ = run(capsys, "--banco", banco_url, "importar", str(f), "--reducao", "nao")
    assert code == 0
    assert "não são de redução" in out
    assert _indices(Store(banco_url), 2023) == pytest.approx([1.0, 1.0])
    assert not mapa_mod.saved(Store(banco_url), LONDRINA)  # without --salvar-mapa: not kept


def _tables_text(at) -> str:
    return "\n".join(d.value.to_string() for d in [*at.dataframe, *at.table])


def test_screen_asks_whether_a_reduzir_goal_is_a_reduction_and_remembers(db):  # noqa: F811
    M = textos.MAPA
    pergunta = M["reducao_pergunta"].format(meta="Reduzir a fila do acolhimento")
    at = pagina._login(pagina._app())
    at = pagina._upload(at, "metas 2023.xlsx", reducao(2023))
    assert M["titulo"] in [s.value for s in at.subheader]
    box = _selectbox(at, pergunta)
    assert box.value == ""  # not answered: counted as an increase, said in the findings
    assert "até você confirmar" in _tables_text(at)
    box.select(mapa_mod.SIM)
    at = pagina._run(at)
    assert "foi confirmado no mapa do plano" in _tables_text(at)
    next(b for b in at.button if b.label == pagina.T["confirmar"]).click()
    at = pagina._run(at)
    assert _indices(db, 2023) == pytest.approx([0.8, 1.0])
    assert mapa_mod.saved(db, LONDRINA).reducao == {"Reduzir a fila do acolhimento": "sim"}
    # next year's file: no question
    at = pagina._upload(at, "metas 2024.xlsx", reducao(2024))
    assert pergunta not in {s.label for s in at.selectbox}
    next(b for b in at.button if b.label == pagina.T["confirmar"]).click()
    at = pagina._run(at)
    assert _indices(db, 2024) == pytest.approx([0.8, 1.0])
