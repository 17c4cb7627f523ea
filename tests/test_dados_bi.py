"""The export that replaces SQL on the row tables for BI tools (python -m pmas exportar-dados):
every data table's current rows of every plan, as CSV (Portuguese headers, Brazilian formats) and
Parquet (typed, stored names), read back with the tools a BI user has."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pmas.cli import main
from pmas.dados.store import DATA_TABLES, Store
from pmas.saida import dados_bi

ROWS_0006 = Path(__file__).resolve().parent / "fixtures" / "rows_0006.db"


@pytest.fixture
def banco(tmp_path) -> str:
    """A database with a real plan (Maringá: 2024 imported twice and undone, 2025 made by hand
    with accents and missing values) and the example plan (Londrina), upgraded to blobs."""
    path = tmp_path / "banco.db"
    shutil.copy(ROWS_0006, path)
    return f"sqlite:///{path}"


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype_backend="pyarrow")


def test_export_holds_the_current_rows_of_the_real_plans(banco, tmp_path, capsys):
    pasta = tmp_path / "bi"
    assert main(["--banco", banco, "exportar-dados", "--pasta", str(pasta)]) == 0
    out = capsys.readouterr().out
    assert "Metas: 5 linhas (metas.csv e metas.parquet)" in out
    assert f"Dados atuais exportados para {pasta}." in out
    assert sorted(p.name for p in pasta.iterdir()) == sorted(
        f"{n}.{e}" for n in DATA_TABLES for e in ("csv", "parquet")
    )

    metas = _csv(pasta / "metas.csv")
    assert list(metas.columns[:6]) == [
        "Município",
        "Plano",
        "Versão",
        "Dados de exemplo",
        "Código",
        "Eixo",
    ]
    assert set(metas["Município"]) == {"Maringá"}  # no example data by default
    assert set(metas["Dados de exemplo"]) == {"Não"}
    # 2024: the version undo brought back (v1, "Realizada"), not the undone one
    m1 = metas[metas["Código"] == "M1"].iloc[0]
    assert (m1["Ano"], m1["Versão"], m1["Situação"]) == (2024, 1, "Realizada")
    feita = metas[metas["Ano"] == 2025].reset_index(drop=True)
    assert feita["Ação"].tolist() == ["Ação com acentuação: çãõ", "Outra ação", "Sem código"]
    assert feita["Previsto"].tolist()[0] == 10.5 and pd.isna(feita["Previsto"][1])
    assert feita["Nº do eixo"].tolist()[0] == 1 and pd.isna(feita["Nº do eixo"][1])
    assert feita["Situação calculada"].tolist()[0] == "Sim"
    assert b";10,5;" in (pasta / "metas.csv").read_bytes()  # decimal comma

    parquet = pd.read_parquet(pasta / "metas.parquet")
    assert list(parquet.columns[:4]) == ["municipio", "plano", "versao", "exemplo"]
    assert str(parquet["eixo_numero"].dtype) == "Int64"
    assert str(parquet["ano"].dtype) == "Int64"
    assert parquet["codigo"].tolist()[:2] == ["M1", "M2"]
    store = Store(banco)
    try:
        pid = store.plan("Maringá")[0]
        stored = store.load("metas", pid)
    finally:
        store.engine.dispose()
    assert parquet["acao"].tolist() == stored["acao"].tolist()
    assert parquet["previsto"].fillna(-1).tolist() == stored["previsto"].fillna(-1).tolist()

    confs = pd.read_parquet(pasta / "conferencias.parquet")
    assert confs["tipo_evento"].tolist() == ["Pré-conferência", "Conferência"]
    assert confs["participantes"].tolist()[0] == 120 and pd.isna(confs["participantes"][1])


def test_example_data_only_when_asked_and_one_municipality(banco, tmp_path):
    todos = tmp_path / "todos"
    assert main(["--banco", banco, "exportar-dados", "--pasta", str(todos), "--com-exemplo"]) == 0
    metas = pd.read_parquet(todos / "metas.parquet")
    assert set(metas["municipio"]) == {"Londrina", "Maringá"}
    assert metas.groupby("municipio")["exemplo"].all().to_dict() == {
        "Londrina": True,
        "Maringá": False,
    }
    store = Store(banco)
    try:
        assert len(metas) == len(store.load_all("metas"))
        dlb = pd.read_parquet(todos / "deliberacoes.parquet")
        assert len(dlb) == len(store.load_all("deliberacoes"))
        # the links edited after the import (a later version of that edition) are exported
        assert (dlb["metas"] == "1.1.1; 2.1.1").sum() == 1
    finally:
        store.engine.dispose()

    uma = tmp_path / "uma"
    assert (
        main(
            [
                "--banco",
                banco,
                "--municipio",
                "Londrina",
                "exportar-dados",
                "--pasta",
                str(uma),
                "--com-exemplo",
            ]
        )
        == 0
    )
    assert set(pd.read_parquet(uma / "metas.parquet")["municipio"]) == {"Londrina"}


def test_an_existing_file_is_never_overwritten(banco, tmp_path, capsys):
    pasta = tmp_path / "bi"
    pasta.mkdir()
    (pasta / "indicadores.parquet").write_bytes(b"meu arquivo")
    assert main(["--banco", banco, "exportar-dados", "--pasta", str(pasta)]) == 2
    err = capsys.readouterr().err
    assert "indicadores.parquet já existe; escolha outra pasta (nada foi gravado)." in err
    assert [p.name for p in pasta.iterdir()] == ["indicadores.parquet"]
    assert (pasta / "indicadores.parquet").read_bytes() == b"meu arquivo"


def test_an_empty_database_exports_empty_tables_with_their_headers(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'vazio.db'}")
    try:
        linhas = dados_bi.exportar(store, tmp_path / "bi")
    finally:
        store.engine.dispose()
    assert linhas == dict.fromkeys(DATA_TABLES, 0)
    head = (tmp_path / "bi" / "metas.csv").read_bytes().decode("utf-8-sig")
    assert head.startswith("Município;Plano;Versão;Dados de exemplo;Código;")
    assert pd.read_csv(io.StringIO(head), sep=";").empty
    assert pd.read_parquet(tmp_path / "bi" / "indicadores.parquet").empty
