"""Charts for everyone: text on every status colour readable at WCAG AA (4,5:1), every chart's
data as a table with the chart's own figures, and one-sentence summaries."""

from __future__ import annotations

import pandas as pd
import pytest

from pmas import textos
from pmas.dados.schema import STATUS_ORDER
from pmas.saida import charts, resumos


def _luminance(color: str) -> float:
    named = {"white": "#FFFFFF", "black": "#000000"}
    h = named.get(color, color).lstrip("#")
    rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("status", STATUS_ORDER)
def test_text_on_every_status_colour_reads_at_aa(status):
    assert contrast(charts.STATUS_COLORS[status], charts._TEXT_ON[status]) >= 4.5


def test_contrast_formula_matches_known_values():
    assert contrast("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast("#009E73", "#FFFFFF") < 4.5  # why Realizada's labels are black now


def _by_eixo() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rotulo": ["1. Política Municipal de Assistência Social", "2. Gestão"],
            "rotulo_curto": ["1. Política Municipal", "2. Gestão"],
            "numero": [1, 2],
            "metas": [10, 4],
            "Realizada": [8, 1],
            "Não realizada": [2, 3],
            "indice_cumprimento": [80.0, 25.0],
        }
    )


def test_completion_table_carries_the_bar_labels_and_full_names():
    fig = charts.completion_bars(_by_eixo(), "rotulo_curto", key="numero", full_label="rotulo")
    table = charts.figure_table(fig)
    assert list(table.columns) == ["Categoria", "Realizada", "Não realizada"]
    row = table.set_index("Categoria").loc["1. Política Municipal de Assistência Social"]
    assert row["Realizada"] == "8 (80,0%)" and row["Não realizada"] == "2 (20,0%)"
    # the names are written above the bars (not in a margin a phone has no room for)
    assert [a.text for a in fig.layout.annotations] == ["1. Política Municipal", "2. Gestão"]
    assert fig.layout.yaxis.showticklabels is False


def test_small_multiples_table_has_a_row_per_panel():
    long = pd.DataFrame(
        {
            "medida": ["Pré-conferências"] * 2 + ["Participantes"] * 2,
            "ano": [2021, 2023, 2021, 2023],
            "valor": [18, 33, 1000, 2804],
        }
    )
    fig = charts.edition_bars(long)
    table = charts.figure_table(fig).set_index("Categoria")
    assert table.loc["Participantes", "2023"] == "2.804"
    assert table.loc["Pré-conferências", "2021"] == "18"


def test_summaries_name_the_extremes_in_brazilian_format():
    frame = _by_eixo()
    text = resumos.completion(frame, "rotulo")
    assert text.startswith("14 metas em 2 eixos")
    assert "Social tem a maior parte realizada (8 de 10 avaliáveis)" in text
    assert "2. Gestão a menor (1 de 4)" in text
    text = resumos.extremes(frame["rotulo_curto"], frame["indice_cumprimento"], medida="Índice")
    assert text == "Índice: maior em 1. Política Municipal (80,0%) e menor em 2. Gestão (25,0%)."


def test_plotly_toolbar_words_are_portuguese():
    from pmas.ui.components import PLOTLY_CONFIG

    assert PLOTLY_CONFIG["modeBarButtons"] == [["toImage"]]
    words = PLOTLY_CONFIG["locales"]["pt-BR"]["dictionary"]
    assert words["Download plot as a PNG"] == textos.PLOTLY["Download plot as a PNG"]
