"""All current data as files a BI tool reads (``python -m pmas exportar-dados``).

Since revision 0007 each version's table is one compressed blob in the database, so a BI tool
can no longer query goal rows with SQL. This export replaces that: for every data table, the
rows of the current version of every year of every plan, with the municipality, the plan, the
version's number and whether it is example data, as

* ``<tabela>.csv``: for people and spreadsheets, like the screens' downloads (Portuguese
  headers, ``;``, decimal comma, UTF-8 with BOM, Sim/Não);
* ``<tabela>.parquet``: for BI tools and SQL engines (DuckDB, Power BI, pandas), typed, with
  the stored column names (``municipio``, ``plano``, ``versao``, ``exemplo``, ``ano``, ``codigo``…).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pmas import textos
from pmas.dados import blobs, schema
from pmas.dados.store import DATA_TABLES, Store
from pmas.saida import export

PRIMEIRAS = ("municipio", "plano", "versao", "exemplo")
_SCHEMA = {
    "metas": schema.METAS,
    "conferencias": schema.CONFERENCIAS,
    "indicadores": schema.INDICADORES,
    "deliberacoes": schema.DELIBERACOES,
}
_DTYPE = {
    schema.TEXT: "string",
    schema.NUMBER: "float64",
    schema.INTEGER: "Int64",
    blobs.BOOLEAN: "boolean",
}


def tabela(store: Store, nome: str, *, exemplo: bool | None = False) -> pd.DataFrame:
    """One data table's current rows, typed by the table's columns (integers as Int64, texts as
    strings, missing as NA), the plan's columns first."""
    frame = store.load_current(nome, exemplo=exemplo)
    for coluna, tipo in DATA_TABLES[nome].columns:
        frame[coluna] = frame[coluna].astype(object).where(frame[coluna].notna(), None)
        frame[coluna] = frame[coluna].astype(_DTYPE[tipo])
    frame["municipio"] = frame["municipio"].astype("string")
    frame["plano"] = frame["plano"].astype("string")
    frame["versao"] = frame["versao"].astype("Int64")
    frame["exemplo"] = frame["exemplo"].astype("boolean")
    return frame[[*PRIMEIRAS, *DATA_TABLES[nome].names]]


def rotulos(nome: str) -> dict[str, str]:
    """The CSV's headers: the plan's columns, then the table's labels (as the importer and the
    screens name them)."""
    return {**textos.COLUNAS_DADOS_BI, **_SCHEMA[nome].labels()}


def arquivos(pasta: Path) -> list[Path]:
    return [pasta / f"{nome}.{ext}" for nome in DATA_TABLES for ext in ("csv", "parquet")]


def exportar(
    store: Store, pasta: Path, *, exemplo: bool | None = False, municipio: str | None = None
) -> dict[str, int]:
    """Write every data table as CSV and Parquet into ``pasta`` (created if missing), of every
    municipality or only of ``municipio``; returns the rows written per table. Raises FileExistsError, writing nothing, when a file it would
    write is already there."""
    existentes = [p for p in arquivos(pasta) if p.exists()]
    if existentes:
        raise FileExistsError(existentes[0])
    pasta.mkdir(parents=True, exist_ok=True)
    linhas = {}
    for nome in DATA_TABLES:
        frame = tabela(store, nome, exemplo=exemplo)
        if municipio is not None:
            frame = frame[frame["municipio"] == municipio].reset_index(drop=True)
        (pasta / f"{nome}.csv").write_bytes(export.to_csv_bytes(frame, rotulos(nome)))
        pq.write_table(
            pa.Table.from_pandas(frame, preserve_index=False),
            pasta / f"{nome}.parquet",
            compression="zstd",
        )
        linhas[nome] = len(frame)
    return linhas
