"""The Comparativo anual screen, run with AppTest against a real SQLite database."""

from __future__ import annotations

from tests.conftest import xlsx
from tests.paginas import chart, example_file, links, metrics, page, texts
from tools.exemplo import METAS as EXEMPLO_METAS

HEADER = ["Código", "Eixo", "Ação", "Meta", "Ano", "Situação", "Justificativa"]
# Two small years, worked out by hand:
# 1.1 Realizada → Não realizada (regressed); 1.2 Não iniciada in both (stalled);
# 1.3 → 1.4 same text (código alterado); 2.1 Realizada in both; 2.9 only in 2022; 3.1 only 2023.
# % realizadas: eixo 1 1/3 → 1/3 (0,0 p.p.); eixo 2 1/2 → 1/1 (+50,0 p.p.); total 2/5 → 3/5.
METAS_2022 = [
    HEADER,
    ["1.1", "Eixo 1", "Revisar a lei do SUAS", "Lei aprovada", 2022, "Realizada", None],
    ["1.2", "Eixo 1", "Publicar boletins", "2 boletins", 2022, "Não iniciada", "Sem equipe"],
    ["1.3", "Eixo 1", "Capacitar conselheiros", "40 conselheiros", 2022, "Em andamento", None],
    ["2.1", "Eixo 2", "Ampliar o SCFV", "Vagas ofertadas", 2022, "Realizada", None],
    ["2.9", "Eixo 2", "Implantar hortas", "4 hortas", 2022, "Parcial", None],
]
METAS_2023 = [
    HEADER,
    [
        "1.1",
        "Eixo 1",
        "Revisar a lei do SUAS",
        "Lei aprovada",
        2023,
        "Não realizada",
        "Câmara não votou",
    ],
    ["1.2", "Eixo 1", "Publicar boletins", "2 boletins", 2023, "Não iniciada", "Concurso suspenso"],
    ["1.4", "Eixo 1", "Capacitar conselheiros", "40 conselheiros", 2023, "Realizada", None],
    ["2.1", "Eixo 2", "Ampliar o SCFV", "Vagas ofertadas", 2023, "Realizada", None],
    ["3.1", "Eixo 3", "Busca ativa para o BPC", "Beneficiários", 2023, "Realizada", None],
]


def small(monkeypatch, tmp_path):
    return page(
        monkeypatch,
        tmp_path,
        "comparativo",
        exemplo=False,
        files={
            "metas_2022.xlsx": xlsx({"Metas 2022": METAS_2022}),
            "metas_2023.xlsx": xlsx({"Metas 2023": METAS_2023}),
        },
    )


def frame_with(at, text):
    """The first table with ``text`` in a header or a cell."""
    for df in at.dataframe:
        v = df.value
        if (
            any(text in str(c) for c in v.columns)
            or v.astype(str).apply(lambda c: c.str.contains(text, regex=False)).any().any()
        ):
            return v
    raise AssertionError(f"nenhuma tabela com {text!r}")


def test_example_data_renders(monkeypatch, tmp_path):
    at = page(monkeypatch, tmp_path, "comparativo")
    at.run()
    assert not at.exception
    m = metrics(at)
    assert m["Metas nos dois anos"] == "68"  # the example's 68 goals in 2023 and 2024
    assert m["Só em 2023"] == "0" and m["Só em 2024"] == "0"
    assert int(m["Regrediram"]) > 0
    shown = texts(at)
    assert "Cumprimento por eixo, ano a ano" in shown and "Matriz de transição" in shown
    assert len(at.get("plotly_chart")) == 5  # bars, lines, Sankey, numeric goal, indicator
    sankey = chart(at, 2)
    assert sankey["data"][0]["type"] == "sankey"
    assert sum(sankey["data"][0]["link"]["value"]) == 68


def test_selectors_change_the_figures(monkeypatch, tmp_path):
    at = page(monkeypatch, tmp_path, "comparativo")
    at.run()
    # horizontal bars (the eixo's name above its bars): the values are on x
    bars = chart(at, 0)["data"][0]["x"]
    at.segmented_control(key="cmp_figura").set_value("indice_cumprimento").run()
    assert chart(at, 0)["data"][0]["x"] != bars
    assert chart(at, 0)["layout"]["xaxis"]["title"]["text"] == "Índice de cumprimento"

    before = metrics(at)
    at.selectbox(key="cmp_de").set_value(2022).run()
    after = metrics(at)
    assert "Só em 2022" in after and after["Regrediram"] != before["Regrediram"]

    # the sidebar's eixo filter applies to every year
    at.sidebar.selectbox(key="f_eixo").set_value(2).run()
    eixo2 = sum(1 for m in EXEMPLO_METAS if m.eixo == 2)
    assert metrics(at)["Metas nos dois anos"] == str(eixo2)

    goal = chart(at, 3)
    options = at.selectbox(key="cmp_meta_num").options
    at.selectbox(key="cmp_meta_num").set_value(at.selectbox(key="cmp_meta_num").options[1])
    at.run()
    assert len(options) > 1 and chart(at, 3)["data"][0]["y"] != goal["data"][0]["y"]


def test_transitions_code_change_and_unmatched_goals(monkeypatch, tmp_path):
    at = small(monkeypatch, tmp_path)
    at.run()
    assert not at.exception
    assert metrics(at) == {
        "Metas nos dois anos": "4",
        "Regrediram": "1",
        "Não iniciadas nos dois anos": "1",
        "Só em 2022": "1",
        "Só em 2023": "1",
    }
    regr = frame_with(at, "Câmara não votou")
    assert list(regr["Código"]) == ["1.1"]
    assert list(regr["Situação em 2022"]) == ["Realizada"]
    assert list(regr["Situação em 2023"]) == ["Não realizada"]
    assert list(frame_with(at, "Concurso suspenso")["Código"]) == ["1.2"]
    corr = frame_with(at, "Código alterado").set_index("Correspondência")
    assert corr.loc["Código alterado", "Código em 2022"] == "1.3"
    assert corr.loc["Código alterado", "Código em 2023"] == "1.4"
    assert corr.loc["Só em 2022", "Código em 2022"] == "2.9"
    assert corr.loc["Só em 2023", "Código em 2023"] == "3.1"
    matriz = frame_with(at, "Situação em 2022").set_index("Situação em 2022")
    assert matriz.loc["Realizada", "Não realizada"] == "1"
    assert matriz.loc["Em andamento", "Realizada"] == "1"
    assert matriz.loc["Não iniciada", "Não iniciada"] == "1"
    variacao = frame_with(at, "2022 → 2023").set_index("Eixo")
    assert variacao.loc["1. Política Municipal", "2022 → 2023"] == "▬ 0,0 p.p."
    assert variacao.loc["2. Serviços, Programas e Projetos", "2022 → 2023"] == "▲ +50,0 p.p."
    assert variacao.loc["3. Transferência de Renda", "2022"] == "—"
    assert variacao.loc["Total do plano", "2022"] == "40,0%"
    assert variacao.loc["Total do plano", "2022 → 2023"] == "▲ +20,0 p.p."
    assert "Nenhuma meta tem previsto e realizado" in texts(at)
    assert "Não há indicadores importados" in texts(at)


def test_only_one_year_says_what_to_do(monkeypatch, tmp_path):
    at = page(monkeypatch, tmp_path, "comparativo", exemplo=False, files=example_file(2024))
    at.run()
    assert not at.exception
    assert "pelo menos dois anos" in texts(at) and "2024" in texts(at)
    assert "/importar" in links(at)
    assert not at.get("plotly_chart")


def test_empty_database(monkeypatch, tmp_path):
    at = page(monkeypatch, tmp_path, "comparativo", exemplo=False)
    at.run()
    assert not at.exception
    assert "Importar" in texts(at)


def with_url(monkeypatch, tmp_path, **params):
    """The Comparativo screen on the example data (2022, 2023, 2024), opened from a link."""
    at = page(monkeypatch, tmp_path, "comparativo")
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def compared(at) -> tuple[int, int]:
    return at.selectbox(key="cmp_de").value, at.selectbox(key="cmp_para").value


def test_url_restores_the_two_years(monkeypatch, tmp_path):
    at = with_url(monkeypatch, tmp_path, de="2022", para="2024", ano="2023", eixo="2")
    assert not at.exception
    assert compared(at) == (2022, 2024)
    m = metrics(at)
    assert "Só em 2022" in m and "Só em 2024" in m and "Só em 2023" not in m
    assert "Linhas: situação em 2022; colunas: situação em 2024" in texts(at)
    # the sidebar's own parameters are untouched, and still apply (eixo 2 only)
    assert at.sidebar.selectbox(key="f_eixo").value == 2
    assert m["Metas nos dois anos"] == str(sum(1 for x in EXEMPLO_METAS if x.eixo == 2))
    assert at.query_params["de"] == "2022" and at.query_params["para"] == "2024"
    assert at.query_params["ano"] == "2023" and at.query_params["eixo"] == "2"


def test_url_can_put_the_later_year_first(monkeypatch, tmp_path):
    at = with_url(monkeypatch, tmp_path, de="2024", para="2022")
    assert compared(at) == (2024, 2022)
    assert "Linhas: situação em 2024; colunas: situação em 2022" in texts(at)


def test_changing_a_year_updates_the_url(monkeypatch, tmp_path):
    at = with_url(monkeypatch, tmp_path, eixo="3")
    assert compared(at) == (2023, 2024)  # the last two years
    assert at.query_params["de"] == "2023" and at.query_params["para"] == "2024"
    at.selectbox(key="cmp_de").set_value(2022).run()
    assert at.query_params["de"] == "2022" and at.query_params["para"] == "2024"
    assert "Só em 2022" in metrics(at)
    at.selectbox(key="cmp_para").set_value(2023).run()
    assert at.query_params["de"] == "2022" and at.query_params["para"] == "2023"
    assert "Linhas: situação em 2022; colunas: situação em 2023" in texts(at)
    # the filters' parameters stay as they were
    assert at.query_params["eixo"] == "3" and at.query_params["ano"] == "2024"
    # a filter change rewrites the filters' parameters and leaves the two years alone
    at.sidebar.selectbox(key="f_eixo").set_value(None).run()
    assert "eixo" not in at.query_params
    assert at.query_params["de"] == "2022" and at.query_params["para"] == "2023"
    assert compared(at) == (2022, 2023)


def test_bad_years_in_the_url_fall_back_silently(monkeypatch, tmp_path):
    at = with_url(monkeypatch, tmp_path, de="abc", para="1999", eixo="2")
    assert not at.exception and not at.error
    assert compared(at) == (2023, 2024)
    assert "Só em 2023" in metrics(at) and "Só em 2024" in metrics(at)
    assert at.query_params["de"] == "2023" and at.query_params["para"] == "2024"
    assert at.query_params["eixo"] == "2"

    # one good value is kept, the bad one falls back
    at = with_url(monkeypatch, tmp_path, de="2022", para="2024.5")
    assert not at.exception
    assert compared(at) == (2022, 2024)


def test_years_in_the_url_on_small_data(monkeypatch, tmp_path):
    at = small(monkeypatch, tmp_path)
    at.query_params["de"] = "2023"
    at.query_params["para"] = "2023"
    at.run()
    assert not at.exception
    assert compared(at) == (2023, 2023)
    assert "Escolha dois anos diferentes para comparar." in texts(at)
