"""The smaller things of issue 13 (item 8): a text file named .xlsx, one time zone, downloads
with the numbers and names the screen shows, no "+0" with an arrow, differences in the
indicator's units, the local-mode notice, the page icon served by the app."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from pmas import fmt, relogio, textos
from pmas.analise import comparacao as cmp
from pmas.analise import filtros as flt
from pmas.dados.plano import LONDRINA
from pmas.dados.store import Store
from pmas.entrada.findings import Rejected
from pmas.entrada.pipeline import import_file
from pmas.entrada.reader import read
from pmas.saida import export
from pmas.ui import components, nav
from tests import paginas
from tests.conftest import ROOT

# --- a text file named .xlsx ----------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"Relatorio de metas\nsem separadores aqui\noutra linha\n",
        b"Eixo|Meta|Ano\nPol\xc3\xadtica|Fazer|2024\nGest\xc3\xa3o|Outra|2024\n",
    ],
)
def test_a_text_file_named_xlsx_is_not_a_valid_excel_file(data):
    with pytest.raises(Rejected) as exc:
        read(data, "metas 2024.xlsx")
    (f,) = exc.value.findings
    assert f.codigo == "xlsx_invalido"
    assert "não é uma planilha do Excel válida" in f.mensagem and ".xlsx" in f.mensagem
    assert "separador" not in f.mensagem + (f.acao or "")


def test_a_readable_csv_named_xlsx_is_still_read_by_its_content():
    assert read(b"Eixo;Meta\n1;Fazer\n", "metas.xlsx").kind == "csv"


def test_the_same_text_named_csv_keeps_the_csv_message():
    with pytest.raises(Rejected) as exc:
        read(b"Relatorio de metas\nsem separadores aqui\noutra linha\n", "metas.csv")
    assert exc.value.findings[0].codigo != "xlsx_invalido"


# --- one time zone ------------------------------------------------------------------------------


def test_default_zone_is_brasilia_and_named(monkeypatch):
    monkeypatch.delenv(relogio.VARIAVEL, raising=False)
    assert relogio.nome() == "America/Sao_Paulo"
    assert relogio.rotulo() == textos.FUSO_BRASILIA
    brasilia = dt.datetime.now(ZoneInfo("America/Sao_Paulo")).replace(tzinfo=None)
    assert abs(relogio.agora() - brasilia) < dt.timedelta(seconds=5)


def test_zone_from_the_environment_and_an_unknown_one(monkeypatch):
    monkeypatch.setenv(relogio.VARIAVEL, "America/Manaus")
    assert relogio.rotulo() == "America/Manaus"
    manaus = dt.datetime.now(ZoneInfo("America/Manaus")).replace(tzinfo=None)
    assert abs(relogio.agora() - manaus) < dt.timedelta(seconds=5)
    monkeypatch.setenv(relogio.VARIAVEL, "Marte/Olympus")
    assert relogio.nome() == "America/Sao_Paulo"


def test_import_times_and_export_stamp_use_the_apps_zone(monkeypatch, banco_url):
    # a zone far from the server's UTC clock, so that a naive server time would show
    monkeypatch.setenv(relogio.VARIAVEL, "Asia/Tokyo")
    tokyo = dt.datetime.now(ZoneInfo("Asia/Tokyo")).replace(tzinfo=None)
    store = Store(banco_url)
    path = ROOT / "data" / "exemplo" / "pmas_londrina_2024.xlsx"
    result = import_file(store, path.read_bytes(), path.name, LONDRINA, usuario="teste")
    assert result.situacao == "importado"
    (versao,) = store.current_versions(store.plans()[0][0])
    assert abs(versao.criado_em - tokyo) < dt.timedelta(minutes=2)
    quando = pd.to_datetime(store.audit()["quando"]).max()
    assert abs(quando.to_pydatetime() - tokyo) < dt.timedelta(minutes=2)
    assert abs(export._agora() - tokyo) < dt.timedelta(minutes=2)
    store.engine.dispose()


# --- downloads as the screen shows them -----------------------------------------------------


def test_csv_integers_without_decimal_and_percentages_rounded_as_on_screen():
    frame = pd.DataFrame(
        {
            "eixo": ["1. Política", "2. Serviços"],
            "metas": [12.0, 19.0],  # counts that became floats on the way
            "previsto": [1500.0, None],
            "realizado": [1234.5, 10.0],
            "pct_realizadas": [200 / 3, 77.77777777777777],
            "execucao_pct": [82.3, None],
        }
    )
    csv = export.to_csv_bytes(export.as_on_screen(frame)).decode("utf-8-sig").splitlines()
    assert csv[1] == "1. Política;12;1500;1234,5;66,7;82,3"
    assert csv[2] == "2. Serviços;19;;10,0;77,8;"
    assert [fmt.pct(v) for v in frame["pct_realizadas"]] == ["66,7%", "77,8%"]
    back = pd.read_csv(io.BytesIO("\n".join(csv).encode()), sep=";", decimal=",")
    assert list(back["metas"]) == [12, 19]


def test_file_names_carry_the_filters():
    f = flt.Filtros(
        ano=2024, eixo=2, situacoes=("Não realizada",), territorios=("Centro A", "Sul A")
    )
    assert (
        flt.file_suffix(f, "metas_atencao_2024")
        == "_eixo-2_situacao-nao-realizada_territorio-centro-a-sul-a"
    )
    assert flt.file_suffix(flt.Filtros(ano=2024), "cumprimento_por_eixo_2024") == ""
    assert flt.file_suffix(flt.Filtros(ano=2023, eixo=3), "metas_eixo_3_2023") == ""
    assert flt.file_suffix(flt.Filtros(ano=2023), "variacao") == "_2023"
    assert flt.file_suffix(None, "x") == ""
    assert len(flt.file_suffix(flt.Filtros(responsaveis=("x" * 300,)), "n")) <= 100


# --- the cards' change against the previous year ---------------------------------------------


def test_no_change_is_said_without_a_sign_or_an_arrow():
    assert components._delta("metas", 0, 2023) == ("sem variação vs. 2023", True)
    assert components._delta("pct_realizadas", 0.04, 2023) == ("sem variação vs. 2023", True)
    assert components._delta("metas", 3, 2023) == ("+3 vs. 2023", False)
    assert components._delta("metas", -2, None) == ("-2", False)
    assert components._delta("pct_realizadas", 5.25, 2023) == ("+5,3 p.p. vs. 2023", False)


def test_overview_card_with_the_same_count_as_last_year(monkeypatch, tmp_path):
    at = paginas.page(monkeypatch, tmp_path, "visao-geral")
    at.query_params["ano"] = "2023"
    at.run()
    card = next(m for m in at.metric if m.label == "Metas")
    assert card.value == "68"
    assert card.proto.delta == "sem variação vs. 2022"
    assert "+0" not in paginas.texts(at)


# --- differences in the indicator's units ---------------------------------------------------


def test_difference_from_the_expected_value_in_units():
    assert fmt.diferenca(478.3, "famílias") == "+478,3 famílias"
    assert fmt.diferenca(-3.0, "CRAS") == "-3 CRAS"
    assert fmt.diferenca(2.34, "%") == "+2,3 p.p."
    assert fmt.diferenca(0.01, "vagas") == "0 vagas"
    assert fmt.diferenca(None, "x") == fmt.VAZIO
    # the pace frame carries it: value − esperado, next to the p.p. that decides the label
    r = cmp.pace(2905, base=2140, meta=3000, ano=2023, ano_base=2022, ano_fim=2025)
    serie = cmp._pace_frame(
        [2022, 2023], {2022: 2140.0, 2023: 2905.0}, {}, 3000.0, 2140.0, 2022, 2025, "Aumentar"
    )
    assert serie.loc[1, "diferenca"] == pytest.approx(2905 - r.esperado)
    labels = textos.COLUNAS_COMPARATIVO
    for tabela in ("ritmo", "indicadores", "indicador"):
        assert "desvio_pp" not in labels[tabela] and "diferenca" in labels[tabela]


# --- the local-mode notice and the icon -------------------------------------------------------


def test_local_mode_notice_speaks_to_a_manager():
    text = textos.ACESSO["local_pode"]
    assert "README" not in text and "informática" in text


def test_page_icon_is_a_local_file():
    icon = Path(nav.ICONE)
    assert icon.is_file() and icon.read_bytes().startswith(b"\x89PNG")
    assert "page_icon=nav.ICONE" in (ROOT / "dashboard.py").read_text()
