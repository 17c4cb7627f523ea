"""The Plano screen with AppTest against a fresh database: a manager creates Maringá's plan from
an uploaded spreadsheet (eixos proposed in order, then corrected), the file is imported into it,
and the municipality's own name is what the screens, the template and the report say; a wrong
IBGE code is refused with nothing stored; a reader sees the plans and no write controls."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document
from streamlit.testing.v1 import AppTest

from pmas import textos
from pmas.acesso import auth
from pmas.analise import consulta
from pmas.dados.store import Store
from pmas.entrada.pipeline import import_file
from pmas.saida import report
from pmas.saida.modelo import template_xlsx_bytes
from tests.conftest import ROOT, database_url, xlsx

PAGE = str(ROOT / "pages" / "plano.py")
SENHA = "senha-de-teste-bem-longa"
T = textos.PLANO_TELA
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Código", "Eixo", "Ação", "Previsto", "Realizado", "Situação"]
ROWS = [
    ["B1", "Eixo 1 – Proteção Social Básica", "Ampliar o PAIF", 100, 100, "Realizada"],
    ["M1", "Eixo 2 – Proteção Social Especial de Média Complexidade", "PAEFI", 1, 0, "Não realizada"],
    ["A1", "Eixo 3 – Proteção Social Especial de Alta Complexidade", "Acolhimento", 2, 1, "Parcialmente realizada"],
    ["G1", "Eixo 4 – Gestão do SUAS", "Concurso", None, None, "Realizada"],
    ["C1", "Eixo 5 – Controle Social", "Capacitar", None, None, "Em andamento"],
    ["V1", "Eixo 6 – Vigilância Socioassistencial", "Diagnóstico", None, None, "Não iniciada"],
]  # fmt: skip
ARQUIVO = xlsx({"Metas 2023": [["Prefeitura Municipal de Maringá"], [], HEADER, *ROWS]})


@pytest.fixture
def db(tmp_path, monkeypatch) -> Store:
    url = database_url(tmp_path)
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    monkeypatch.setenv(auth.ENV_SENHA, SENHA)
    monkeypatch.delenv(auth.ENV_GESTORES, raising=False)
    monkeypatch.setattr(auth, "_sleep", lambda _s: None)
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    return Store(url)


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    """Every text shown, its Markdown escapes undone (names typed by people are escaped)."""
    kinds = ("markdown", "success", "info", "warning", "error", "caption")
    return re.sub(r"\\(.)", r"\1", "\n".join(str(e.value) for k in kinds for e in getattr(at, k)))


def _manager() -> AppTest:
    at = _run(AppTest.from_file(PAGE, default_timeout=120))
    at.text_input(key="acesso_nome").input("Maria")
    at.text_input(key="acesso_senha_valor").input(SENHA)
    next(b for b in at.button if b.label == textos.ACESSO["senha_botao"]).click()
    return _run(at)


def _fill(at: AppTest, ibge: str) -> AppTest:
    at.text_input(key="plano_novo_municipio").input("Maringá")
    at.selectbox(key="plano_novo_uf").select("PR")
    at.text_input(key="plano_novo_ibge").input(ibge)
    at.text_input(key="plano_novo_nome").input("PMAS 2022-2025")
    at.number_input(key="plano_novo_inicio").set_value(2022)
    at.number_input(key="plano_novo_fim").set_value(2025)
    return at


def test_manager_creates_a_plan_from_a_spreadsheet_and_it_is_used_everywhere(db, monkeypatch):
    at = _manager()
    assert T["nenhum"] in _texts(at)
    at.get("file_uploader")[0].set_value(("maringa.xlsx", ARQUIVO, XLSX_MIME))
    at = _run(at)
    assert T["proposta"].format(n=6, arquivo="maringa.xlsx") in _texts(at)
    proposta = at.text_area(key="plano_novo_eixos").value.splitlines()
    assert proposta[0] == "1 = Proteção Social Básica"
    assert proposta[5] == "6 = Vigilância Socioassistencial"
    # the manager renames an eixo (keeping the written name as an alias), gives a short name
    proposta[3] = "4 = Gestão do Sistema Único | Gestão SUAS | Gestão do SUAS"
    at.text_area(key="plano_novo_eixos").input("\n".join(proposta))
    at = _fill(at, "4115201")  # wrong check digit first
    next(b for b in at.button if b.label == T["criar"]).click()
    at = _run(at)
    assert "dígito verificador" in "\n".join(e.value for e in at.error)
    assert db.plans() == []
    at.text_input(key="plano_novo_ibge").input("4115200")
    next(b for b in at.button if b.label == T["criar"]).click()
    at = _run(at)
    assert "Plano “PMAS 2022-2025” de Maringá criado (2022-2025, 6 eixos)." in _texts(at)
    ((pid, plano),) = db.plans()
    assert (plano.municipio, plano.uf, plano.ibge) == ("Maringá", "PR", "4115200")
    assert plano.eixo(4).nome == "Gestão do Sistema Único" and plano.eixo(4).curto == "Gestão SUAS"
    log = db.audit()
    assert list(log["acao"]) == ["plano_criado"] and log["usuario"].iloc[0].startswith("Maria")

    # the file goes into that plan
    result = import_file(db, ARQUIVO, "maringa.xlsx", plano, usuario="Maria")
    assert result.situacao == "importado", result.as_dict()
    r = consulta.resumo(db, 2023, "Maringá")
    assert r["total"]["metas"] == 6 and r["eixos"][3]["nome"] == "Gestão do Sistema Único"

    # the municipality's own name: on the screens, in the template and in the report
    for page in ("visao-geral", "eixos", "plano"):
        shown = _run(AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=120))
        text = _texts(shown) + "\n".join(str(t.value) for t in shown.title)
        assert "Maringá" in text, page
        assert "Londrina" not in text, page
    template = zipfile.ZipFile(io.BytesIO(template_xlsx_bytes(plano)))
    listas = "".join(template.read(n).decode() for n in template.namelist() if n.endswith(".xml"))
    assert "Maringá" in listas and "Vigilância Socioassistencial" in listas
    assert "Londrina" not in listas
    doc = Document(io.BytesIO(report.build_report(db, 2023, "Maringá", charts=False).conteudo))
    corpo = "\n".join(p.text for p in doc.paragraphs)
    assert "Maringá" in corpo and "Londrina" not in corpo


def test_manager_edits_and_starts_the_next_cycle(db):
    at = _manager()
    at.text_area(key="plano_novo_eixos").input("1 = Gestão\n2 = Proteção Básica")
    at = _fill(at, "4115200")
    next(b for b in at.button if b.label == T["criar"]).click()
    at = _run(at)
    ((pid, _),) = db.plans()
    at = _run(at)
    at.text_area(key=f"plano_ed_eixos_{pid}").input(
        "1 = Gestão do SUAS | Gestão\n2 = Proteção Básica"
    )
    next(b for b in at.button if b.label == T["salvar"]).click()
    at = _run(at)
    assert "Eixo 1: “Gestão” → “Gestão do SUAS”" in _texts(at)
    next(b for b in at.button if b.label == T["proximo"]).click()
    at = _run(at)
    assert "PMAS 2026-2029" in _texts(at)
    assert [p.nome for _, p in db.plans()] == ["PMAS 2022-2025", "PMAS 2026-2029"]
    assert db.plans()[1][1].eixo(1).nome == "Gestão do SUAS"


def test_reader_sees_plans_but_no_write_controls(db):
    at = _run(AppTest.from_file(PAGE, default_timeout=120))
    assert T["so_gestor"] in _texts(at)
    assert not at.get("file_uploader")
    assert T["criar"] not in {b.label for b in at.button}


# --- the mapping saved with the plan -------------------------------------------------------------


def _com_mapa(db: Store):
    from pmas.dados.plano import LONDRINA
    from pmas.entrada import mapa as mapa_mod

    db.create_plan(LONDRINA, usuario="teste")
    mapa = mapa_mod.Mapa(
        {"Entregas do ano": "realizado"},
        {"Finalizada com ressalvas": "Parcialmente realizada"},
        {"Reduzir a fila do acolhimento": "sim"},
    )
    mapa_mod.save(db, LONDRINA, mapa, usuario="teste")
    return LONDRINA


def test_manager_sees_the_saved_mapping_and_removes_entries_one_by_one(db):
    from pmas.entrada import mapa as mapa_mod

    plano = _com_mapa(db)
    M = textos.MAPA
    at = _manager()
    assert M["salvo_titulo"] in [s.value for s in at.subheader]
    tabela = next(d.value for d in at.dataframe if M["escrito"] in d.value.columns)
    assert list(zip(tabela[M["tipo"]], tabela[M["escrito"]], tabela[M["lido_como"]])) == [
        ("Coluna", "Entregas do ano", "Realizado"),
        ("Situação", "Finalizada com ressalvas", "Parcialmente realizada"),
        ("Meta de redução?", "Reduzir a fila do acolhimento", "sim: previsto ÷ realizado"),
    ]
    escolha = at.multiselect(key="plano_mapa_remover_escolha")
    escolha.select(2)  # the reduction answer
    at = _run(at)
    next(b for b in at.button if b.key == "plano_mapa_remover").click()
    at = _run(at)
    assert M["removido"] in [s.value for s in at.success]
    assert mapa_mod.saved(db, plano).as_dict() == {
        "colunas": {"Entregas do ano": "realizado"},
        "situacoes": {"Finalizada com ressalvas": "Parcialmente realizada"},
        "reducao": {},
    }
    # then a status: one entry at a time, each named in the audit log
    at.multiselect(key="plano_mapa_remover_escolha").select(1)
    at = _run(at)
    next(b for b in at.button if b.key == "plano_mapa_remover").click()
    at = _run(at)
    assert mapa_mod.saved(db, plano).situacoes == {}
    audit = db.audit()  # newest first
    removals = audit[audit["detalhe"].str.startswith("removido do mapa")]
    assert removals["detalhe"].tolist() == [
        "removido do mapa: situação “Finalizada com ressalvas”",
        "removido do mapa: meta de redução “Reduzir a fila do acolhimento”",
    ]
    assert set(removals["acao"]) == {"mapa"}
    assert all(u.startswith("Maria") for u in removals["usuario"])


def test_reader_sees_the_saved_mapping_read_only(db):
    _com_mapa(db)
    at = _run(AppTest.from_file(PAGE, default_timeout=120))
    tabela = next(d.value for d in at.dataframe if textos.MAPA["escrito"] in d.value.columns)
    assert len(tabela) == 3
    assert textos.MAPA["somente_leitura"] in _texts(at)
    assert not [b for b in at.button if b.key == "plano_mapa_remover"]
    assert not [m for m in at.multiselect if m.key == "plano_mapa_remover_escolha"]
