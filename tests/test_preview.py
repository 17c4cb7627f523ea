"""The preview of an import: goals added, removed and changed (with the old and new Situação)
against the current version of the year, and the per-eixo figures before and after."""

from __future__ import annotations

import pandas as pd
import pytest

from pmas.acesso import gestao
from pmas.entrada import preview
from pmas.entrada.pipeline import analyse, import_file
from tests.conftest import xlsx
from tests.test_layouts import EXPECTED, HEADER, plain_rows


def _frames(plano, rows, sheet="Metas 2023", **extra_sheets):
    a = analyse(xlsx({sheet: rows, **extra_sheets}), "m.xlsx", plano)
    assert a.ok, [f.mensagem for f in a.findings]
    return a.frames


def _changed_rows():
    """The plan year with: 1.2 now Realizada, 2.1 with another justification only, 5.2 gone,
    4.2 new."""
    rows = [HEADER + ["Justificativa"]] + [r + [None] for r in plain_rows()]
    rows[2][8] = "Realizada"
    rows[4][9] = "Faltou equipe"
    del rows[11]
    rows.append(
        [
            "4.2",
            "Controle e Participação",
            "D6",
            "Realizar audiência pública",
            "Audiência realizada",
            None,
            None,
            None,
            "Não realizada",
            None,
        ]
    )
    return rows


def test_added_removed_and_changed_goals(plano):
    before = _frames(plano, [HEADER] + plain_rows())["metas"]
    after = _frames(plano, _changed_rows())["metas"]
    added, removed, changed, same = preview.diff_goals(before, after)
    assert list(added["codigo"]) == ["4.2"]
    assert list(added["situacao"]) == ["Não realizada"]
    assert list(added["descricao"]) == ["Realizar audiência pública"]
    assert list(removed["codigo"]) == ["5.2"]
    assert list(removed["situacao"]) == ["Parcialmente realizada"]
    by_code = changed.set_index("codigo")
    assert list(by_code.index) == ["1.2", "2.1"]
    assert by_code.loc["1.2", "situacao_antes"] == "Parcialmente realizada"
    assert by_code.loc["1.2", "situacao_depois"] == "Realizada"
    assert by_code.loc["1.2", "campos"] == "Situação"
    assert by_code.loc["2.1", "situacao_antes"] == by_code.loc["2.1", "situacao_depois"]
    assert by_code.loc["2.1", "campos"] == "Justificativa"
    assert same == 11 - 1 - 2  # 11 goals, one removed, two changed


def test_goals_without_code_are_matched_by_their_text(plano):
    header = [c for c in HEADER if c != "Código"]
    rows = [header] + [r[1:] for r in plain_rows()]
    before = _frames(plano, rows)["metas"]
    changed_rows = [header] + [r[1:] for r in plain_rows()]
    changed_rows[1][2] = "  revisar a LEI do suas municipal "  # same goal, other spelling
    changed_rows[1][7] = "Não realizada"
    after = _frames(plano, changed_rows)["metas"]
    added, removed, changed, same = preview.diff_goals(before, after)
    assert added.empty and removed.empty
    assert list(changed["situacao_antes"]) == ["Realizada"]
    assert list(changed["situacao_depois"]) == ["Não realizada"]
    assert changed["campos"].iloc[0] == "Ação, Situação"
    assert same == 10


def test_same_data_read_back_from_the_store_is_unchanged(store, plano):
    rows = [HEADER] + plain_rows()
    import_file(store, xlsx({"Metas 2023": rows}), "m.xlsx", plano, usuario="t")
    stored = store.load("metas", store.plan()[0])
    added, removed, changed, same = preview.diff_goals(stored, _frames(plano, rows)["metas"])
    assert (len(added), len(removed), len(changed), same) == (0, 0, 0, 11)


def test_missing_values_compare_equal_whatever_their_kind():
    assert preview._value(None) is None
    assert preview._value(float("nan")) is None
    assert preview._value(pd.NA) is None
    assert preview._value("  ") is None
    assert preview._value(80) == preview._value(80.0)
    assert preview._value(" Realizada ") == "Realizada"


def test_per_eixo_figures_before_and_after(plano):
    before = _frames(plano, [HEADER] + plain_rows())["metas"]
    after = _frames(plano, _changed_rows())["metas"]
    table = preview.figures_before_after(before, after, plano)
    assert list(table["rotulo"])[-1] == "Total"
    assert len(table) == len(plano.eixos) + 1
    rows = table.set_index("rotulo")
    for numero, (metas, aval, pr, _prp, ind) in EXPECTED.items():
        label = "Total" if numero == "total" else plano.eixo(numero).rotulo
        assert rows.loc[label, "metas_antes"] == metas
        assert rows.loc[label, "avaliaveis_antes"] == aval
        assert rows.loc[label, "pct_realizadas_antes"] == pytest.approx(pr)
        assert rows.loc[label, "indice_cumprimento_antes"] == pytest.approx(ind)
    e1, e4, e5 = (plano.eixo(n).rotulo for n in (1, 4, 5))
    # eixo 1: 1.2 Parcial → Realizada: 2 of 3 realizadas; scores 1 + 1 + 0
    assert rows.loc[e1, "pct_realizadas_depois"] == pytest.approx(200 / 3)
    assert rows.loc[e1, "indice_cumprimento_depois"] == pytest.approx(200 / 3)
    # eixo 4: 4.2 added, Não realizada: 1 of 2
    assert rows.loc[e4, "metas_depois"] == 2
    assert rows.loc[e4, "pct_realizadas_depois"] == pytest.approx(50.0)
    # eixo 5: 5.2 removed; 5.1 (Não se aplica) left, so no avaliável goal
    assert rows.loc[e5, "metas_depois"] == 1
    assert rows.loc[e5, "avaliaveis_depois"] == 0
    assert pd.isna(rows.loc[e5, "pct_realizadas_depois"])
    assert rows.loc["Total", "metas_depois"] == 11


def test_preview_against_the_store_per_year(store, plano):
    conf = [
        ["Ano", "Tipo de evento", "Local", "Segmento", "Participantes"],
        [2023, "Pré-conferência", "CRAS Norte", "Usuários", 10],
        [2023, "Conferência Municipal", "Câmara", "Usuários", 43],
    ]
    import_file(
        store,
        xlsx({"Metas 2023": [HEADER] + plain_rows(), "Conferências": conf}),
        "v1.xlsx",
        plano,
        usuario="t",
    )
    # the new file: 2023 changed (goals only), 2024 new
    new = analyse(
        xlsx({"Metas 2023": _changed_rows(), "Metas 2024": [HEADER] + plain_rows()}),
        "v2.xlsx",
        plano,
    )
    plano_id, versoes = gestao.current_state(store, plano)
    atuais = {n: store.load(n, plano_id) for n in ("metas", "conferencias", "indicadores")}
    result = preview.preview(new.frames, atuais, plano, {v.ano: v.numero for v in versoes})
    assert [p.ano for p in result] == [2023, 2024]
    y2023, y2024 = result
    assert y2023.versao_atual == 1
    assert (len(y2023.adicionadas), len(y2023.removidas), len(y2023.alteradas)) == (1, 1, 2)
    assert y2023.muda_metas
    # the file has no conference sheet: the stored rows are carried over, not removed
    assert y2023.tabelas["conferencias"] == preview.TabelaAno(antes=2, depois=2, mantida=True)
    assert y2023.tabelas["metas"] == preview.TabelaAno(antes=11, depois=11, mantida=False)
    assert y2024.versao_atual is None
    assert len(y2024.adicionadas) == 11 and y2024.removidas.empty and y2024.alteradas.empty
    assert (y2024.por_eixo["metas_antes"] == 0).all()


def test_conferir_stores_nothing_and_flags_a_repeated_file(store, plano):
    data = xlsx({"Metas 2023": [HEADER] + plain_rows()})
    first = gestao.conferir(store, plano, "m.xlsx", data)
    assert store.is_empty()
    assert first.pode_importar and first.repetido is None and first.base == ()
    import_file(store, data, "m.xlsx", plano, usuario="gestora")
    again = gestao.conferir(store, plano, "de novo.xlsx", data)
    assert again.repetido is not None and not again.pode_importar
    assert any(
        f.codigo == "arquivo_ja_importado" and "gestora" in f.mensagem
        for f in again.analysis.findings
    )
    assert gestao.mudou_desde(store, plano, first)
    assert not gestao.mudou_desde(store, plano, again)


def test_conferir_reports_the_steps(store, plano):
    steps = []
    gestao.conferir(
        store, plano, "m.xlsx", xlsx({"Metas 2023": [HEADER] + plain_rows()}), on_step=steps.append
    )
    assert steps == ["ler", "conferir", "comparar"]


def test_oversized_file_is_refused_before_anything_else(store, plano, monkeypatch):
    from pmas.entrada import pipeline
    from pmas.entrada.reader import DEFAULT_LIMITS

    def boom(*_a, **_k):
        raise AssertionError("should not be reached")

    monkeypatch.setattr(pipeline, "read", boom)
    monkeypatch.setattr(pipeline.hashlib, "sha256", boom)
    conf = gestao.conferir(store, plano, "grande.xlsx", b"x" * (DEFAULT_LIMITS.max_bytes + 1))
    assert [f.codigo for f in conf.analysis.findings] == ["arquivo_grande"]
    assert "10 MB" in conf.analysis.findings[0].mensagem
    assert not conf.pode_importar
