"""A table downloaded from the dashboard imports again with the same figures (round trip)."""

from __future__ import annotations

import io
import zipfile

from pmas import textos
from pmas.analise import consulta, metrics
from pmas.dados.store import Store
from pmas.entrada.pipeline import import_file, load_examples
from pmas.saida import export


def test_exported_xlsx_imports_again_with_the_same_figures(store, plano, tmp_path):
    load_examples(store, plano)
    plano_id, _ = store.plan()
    metas = metrics.with_execution(store.load("metas", plano_id))
    metas = metas[metas["ano"] == 2023]
    labels = {"ano": "Ano", **{k: v for k, v in textos.COLUNAS_METAS.items() if k != "ano"}}
    metas = metas[[c for c in labels if c in metas.columns]]  # what the Dados screen offers
    data = export.to_xlsx_bytes(
        metas, labels, filtros=[("Ano", "2023")], titulo="metas_Londrina_2023"
    )
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.endswith(".xml"))

    other = Store(f"sqlite:///{tmp_path / 'outro.db'}")
    result = import_file(other, data, "exportado.xlsx", plano, usuario="teste")
    assert result.situacao == "importado", [
        f.mensagem for f in result.analysis.findings if f.nivel == "erro"
    ]
    assert consulta.resumo(other, 2023)["total"] == consulta.resumo(store, 2023)["total"]
    assert consulta.resumo(other, 2023)["eixos"] == consulta.resumo(store, 2023)["eixos"]


def test_exported_csv_imports_again_with_the_same_figures(store, plano, tmp_path):
    load_examples(store, plano)
    plano_id, _ = store.plan()
    metas = store.load("metas", plano_id)
    metas = metas[metas["ano"] == 2024]
    labels = {"ano": "Ano", **{k: v for k, v in textos.COLUNAS_METAS.items() if k != "ano"}}
    metas = metas[[c for c in labels if c in metas.columns]]
    other = Store(f"sqlite:///{tmp_path / 'outro.db'}")
    result = import_file(
        other, export.to_csv_bytes(metas, labels), "metas.csv", plano, usuario="teste"
    )
    assert result.situacao == "importado"
    assert consulta.resumo(other, 2024)["eixos"] == consulta.resumo(store, 2024)["eixos"]
