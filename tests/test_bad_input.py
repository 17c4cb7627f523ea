"""Bad input through the whole import: the right finding code, a Portuguese message that names the
problem, nothing stored, and the version that was current before still current and intact."""

from __future__ import annotations

import pytest

from pmas.analise import consulta
from pmas.entrada.pipeline import import_file
from tests.conftest import csv_bytes, xlsx
from tests.test_layouts import HEADER, plain_rows


def good_rows():
    return [HEADER] + plain_rows()


@pytest.fixture
def loaded(store, plano):
    result = import_file(
        store, xlsx({"Metas 2023": good_rows()}), "bom.xlsx", plano, usuario="gestora"
    )
    assert result.situacao == "importado"
    return store, consulta.resumo(store, 2023)


def _rows_with(change):
    rows = good_rows()
    change(rows)
    return rows


def _set(r, c, v):
    def change(rows):
        rows[r][c] = v

    return change


CASES = {
    "vazio": (b"", "arquivo_vazio", "vazio"),
    "nao_planilha": (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\x00\x00",
        "formato_desconhecido",
        "planilha",
    ),
    "zip_qualquer": (None, "formato_desconhecido", "planilha"),  # built below
    "xls_legado": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "xls_legado", ".xls"),
    "sem_abas_reconhecidas": (xlsx({"Planilha1": [["nada"], ["aqui"]]}), "nenhuma_tabela", "aba"),
    "sem_cabecalho": (
        xlsx({"Metas 2023": [["a", "b"], [1, 2]]}),
        "cabecalho_nao_encontrado",
        "cabeçalho",
    ),
    "sem_coluna_situacao": (
        xlsx(
            {
                "Metas 2023": [
                    [c for c in HEADER if c not in ("Situação", "Previsto", "Realizado")]
                ]
                + [r[:6] for r in plain_rows()]
            }
        ),
        "coluna_obrigatoria_ausente",
        "Situação",
    ),
    "sem_coluna_acao": (
        xlsx(
            {
                "Metas 2023": [["Código", "Eixo", "Situação"]]
                + [[r[0], r[1], r[8]] for r in plain_rows()]
            }
        ),
        "coluna_obrigatoria_ausente",
        "Ação",
    ),
    "sem_eixo": (
        xlsx(
            {
                "Metas 2023": [["Código", "Ação", "Situação"]]
                + [[r[0], r[3], r[8]] for r in plain_rows()]
            }
        ),
        "coluna_obrigatoria_ausente",
        "Eixo",
    ),
    "situacao_desconhecida": (
        xlsx({"Metas 2023": _rows_with(_set(2, 8, "Talvez"))}),
        "situacao_desconhecida",
        "Talvez",
    ),
    "eixo_desconhecido": (
        xlsx({"Metas 2023": _rows_with(_set(2, 1, "Eixo 7"))}),
        "eixo_desconhecido",
        "Eixo 7",
    ),
    "codigo_duplicado": (
        xlsx({"Metas 2023": _rows_with(_set(3, 0, "1.1"))}),
        "codigo_duplicado",
        "1.1",
    ),
    "meta_duplicada": (
        xlsx(
            {
                "Metas 2023": [
                    ["Eixo", "Ação", "Meta", "Situação"],
                    ["Gestão", "Capacitar", "40 pessoas", "Realizada"],
                    ["Gestão", "capacitar", "40 Pessoas", "Parcial"],
                ]
            }
        ),
        "meta_duplicada",
        "mesma meta",
    ),
    "texto_em_numero": (
        xlsx({"Metas 2023": _rows_with(_set(4, 6, "cem"))}),
        "valor_nao_numerico",
        "cem",
    ),
    "numero_negativo": (xlsx({"Metas 2023": _rows_with(_set(4, 7, -5))}), "valor_negativo", "-5"),
    "ano_fora_do_plano": (xlsx({"Metas 2031": good_rows()}), "ano_fora_do_plano", "2031"),
    "ano_ausente": (xlsx({"Metas": good_rows()}), "ano_ausente", "ano"),
    "ano_invalido": (
        xlsx({"Metas": [HEADER + ["Ano"]] + [r + ["vinte"] for r in plain_rows()]}),
        "ano_invalido",
        "vinte",
    ),
    "sem_situacao_nem_numeros": (
        xlsx({"Metas 2023": _rows_with(_set(1, 8, None))}),
        "situacao_ausente",
        "situação",
    ),
    "sem_acao_nem_meta": (
        xlsx(
            {"Metas 2023": _rows_with(lambda rows: rows[1].__setitem__(slice(3, 5), [None, None]))}
        ),
        "acao_ausente",
        "ação",
    ),
    "so_cabecalho": (xlsx({"Metas 2023": [HEADER]}), "sem_linhas", "nenhuma linha"),
    "coluna_duplicada": (
        xlsx({"Metas 2023": [HEADER + ["Status"]] + [r + ["Realizada"] for r in plain_rows()]}),
        "coluna_duplicada",
        "Status",
    ),
    "csv_separador": (
        b"Eixo|Acao|Situacao\nGestao|Capacitar|Realizada\n",
        "csv_separador",
        "separador",
    ),
    "conferencia_segmento": (
        xlsx(
            {
                "Conferências": [
                    ["Ano", "Tipo de evento", "Local", "Segmento", "Participantes"],
                    [2023, "Pré-conferência", "CRAS Norte", "Marcianos", 10],
                ]
            }
        ),
        "segmento_desconhecido",
        "Marcianos",
    ),
    "conferencia_tipo": (
        xlsx(
            {
                "Conferências": [
                    ["Ano", "Tipo de evento", "Local", "Segmento", "Participantes"],
                    [2023, "Festa junina", "CRAS Norte", "Usuários", 10],
                ]
            }
        ),
        "tipo_evento_desconhecido",
        "Festa junina",
    ),
    "indicador_mes": (
        xlsx(
            {
                "Indicadores": [
                    ["Indicador", "Ano", "Mês", "Valor"],
                    ["CRAS em funcionamento", 2023, 13, 10],
                ]
            }
        ),
        "mes_invalido",
        "13",
    ),
}


def _zip_not_xlsx() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_rejected_and_nothing_changes(loaded, plano, case):
    store, before = loaded
    data, code, words = CASES[case]
    if data is None:
        data = _zip_not_xlsx()
    versions_before = store.versions()
    name = "dados.csv" if case == "csv_separador" else "dados.xlsx"
    result = import_file(store, data, name, plano, usuario="gestora")
    assert result.situacao == "rejeitado"
    hits = [f for f in result.analysis.findings if f.codigo == code]
    assert hits, [f.codigo for f in result.analysis.findings]
    assert hits[0].nivel == "erro"
    assert words.lower() in (hits[0].mensagem + hits[0].acao).lower()
    assert store.versions() == versions_before
    assert consulta.resumo(store, 2023) == before
    assert store.integrity_ok()


def test_same_file_again_stores_nothing_and_says_when(loaded, plano):
    store, _ = loaded
    before = store.versions()
    result = import_file(
        store, xlsx({"Metas 2023": good_rows()}), "de novo.xlsx", plano, usuario="outra"
    )
    # openpyxl writes a timestamp, so build the exact same bytes twice to test the hash
    data = xlsx({"Metas 2024": good_rows()})
    first = import_file(store, data, "a.xlsx", plano, usuario="gestora")
    again = import_file(store, data, "b.xlsx", plano, usuario="outra")
    assert first.situacao == "importado"
    assert again.situacao == "repetido"
    f = next(f for f in again.analysis.findings if f.codigo == "arquivo_ja_importado")
    assert "gestora" in f.mensagem
    assert len(store.versions()) == len(before) + (result.situacao == "importado") + 1


def test_same_file_sent_twice_at_once_is_stored_once(loaded, plano, monkeypatch):
    """Two uploads of the same bytes at the same instant both pass the "already imported" check
    made before the write; the check made again under the write lock stores only the first."""
    store, _ = loaded
    data = xlsx({"Metas 2024": good_rows()})
    first = import_file(store, data, "a.xlsx", plano, usuario="gestora")
    before = store.versions()
    before_summary = consulta.resumo(store, 2024)
    real_find = store.find_file
    calls = []

    def not_yet(sha, plano_id=None):  # the second upload checked before the first committed
        calls.append(sha)
        return None if len(calls) == 1 else real_find(sha, plano_id)

    monkeypatch.setattr(store, "find_file", not_yet)
    again = import_file(store, data, "b.xlsx", plano, usuario="outra")
    assert first.situacao == "importado"
    assert again.situacao == "repetido"
    assert again.repetido is not None and again.repetido.usuario == "gestora"
    assert [f.codigo for f in again.analysis.findings].count("arquivo_ja_importado") == 1
    assert store.versions() == before
    assert consulta.resumo(store, 2024) == before_summary


def test_placeholders_in_csv_are_listed(store, plano):
    lines = [";".join(HEADER + ["Ano"])]
    for r in plain_rows():
        lines.append(";".join("" if v is None else str(v) for v in r) + ";2023")
    lines[5] = lines[5].replace(";50;60;", ";n/a;60;")
    result = import_file(store, csv_bytes(lines), "m.csv", plano, usuario="t")
    hits = [f for f in result.analysis.findings if f.codigo == "marcador_vazio"]
    assert [(f.linha, f.coluna) for f in hits] == [(6, "Previsto")]


def test_bare_year_columns_outside_goals_are_unknown_columns(store, plano):
    """A year heading over an Indicadores or Conferências column is listed as not recognised
    (only goal sheets use year columns marked X), never a crash."""
    data = xlsx(
        {
            "Indicadores": [
                ["Indicador", "Ano", "Valor", "2023"],
                ["CRAS em funcionamento", 2023, 10, "x"],
            ],
            "Conferências": [
                ["Ano", "Tipo de evento", "Local", "Participantes", "2023"],
                [2023, "Pré-conferência", "CRAS Norte", 30, "x"],
            ],
        }
    )
    result = import_file(store, data, "x.xlsx", plano, usuario="t")
    assert result.situacao == "importado"
    unknown = [f for f in result.analysis.findings if f.codigo == "coluna_desconhecida"]
    assert {f.coluna for f in unknown} == {"2023"} and len(unknown) == 2
