"""The report's approval workflow (pmas.dados.aprovacao): the state machine, what each step
stores, the freeze on approval and its warning after a later import or undo, the consistency
checks, and the CLI (`python -m pmas aprovacao`) with its JSON output."""

from __future__ import annotations

import json

import pytest

from pmas import cli
from pmas.dados import aprovacao as ap
from pmas.entrada.pipeline import import_file
from tests.conftest import xlsx


def planilha(situacao: str = "Realizada", ano: int = 2024) -> bytes:
    return xlsx(
        {
            "Metas": [
                ["Eixo", "Ação", "Meta", "Ano", "Situação"],
                [1, "Ampliar o CRAS", "1 CRAS", ano, situacao],
                [2, "Capacitar equipes", "2 cursos", ano, "Não iniciada"],
            ]
        }
    )


@pytest.fixture
def plano_id(store, plano):
    r = import_file(store, planilha(), "metas.xlsx", plano, usuario="Ana")
    assert r.situacao == "importado"
    return store.plan()[0]


# --- the pure state machine -----------------------------------------------------------------


def test_every_transition_of_the_state_machine():
    assert ap.proximo(ap.RASCUNHO, "enviar") == ap.ENVIADO
    assert ap.proximo(ap.ENVIADO, "analisar") == ap.EM_ANALISE
    assert ap.proximo(ap.ENVIADO, "aprovar") == ap.APROVADO
    assert ap.proximo(ap.EM_ANALISE, "aprovar") == ap.APROVADO
    assert ap.proximo(ap.EM_ANALISE, "devolver") == ap.DEVOLVIDO
    assert ap.proximo(ap.DEVOLVIDO, "enviar") == ap.ENVIADO
    assert ap.proximo(ap.APROVADO, "publicar") == ap.PUBLICADO
    for estado, acao in [
        (ap.RASCUNHO, "aprovar"),
        (ap.RASCUNHO, "publicar"),
        (ap.ENVIADO, "publicar"),
        (ap.APROVADO, "devolver"),
        (ap.PUBLICADO, "enviar"),
        (ap.DEVOLVIDO, "aprovar"),
    ]:
        with pytest.raises(ap.TransicaoInvalida, match="Não é possível"):
            ap.proximo(estado, acao)
    assert ap.acoes_possiveis(ap.PUBLICADO) == []
    assert ap.acoes_possiveis(ap.EM_ANALISE) == ["aprovar", "devolver"]


def test_step_data_is_required_and_checked():
    with pytest.raises(ap.TransicaoInvalida) as exc:
        ap.limpar_dados("aprovar", {"resolucao": " ", "data": "31/02/2024"})
    assert "Preencha “Número da resolução”" in str(exc.value)
    assert "“31/02/2024” não é uma data" in str(exc.value)
    with pytest.raises(ap.TransicaoInvalida, match="http"):
        ap.limpar_dados(
            "publicar", {"veiculo": "JOM", "edicao": "1", "data": "1/2/2025", "link": "jom.pr"}
        )
    assert ap.limpar_dados("publicar", {"veiculo": "JOM", "edicao": "1", "data": "1/2/2025"}) == {
        "veiculo": "JOM",
        "edicao": "1",
        "data": "01/02/2025",
    }
    with pytest.raises(ap.TransicaoInvalida, match="Recomendações"):
        ap.limpar_dados("devolver", {})


def test_consistency_checks_warn():
    assert ap.resolucao_ano("083/2022") == 2022
    assert ap.resolucao_ano("Resolução nº 12/23") == 2023
    assert ap.resolucao_ano("sem ano") is None
    avisos = ap.verificacoes(
        {
            "data_reuniao": "10/11/2023",
            "data_aprovacao": "08/11/2023",
            "resolucao": "083/2022",
            "data_publicacao": "01/11/2023",
        }
    )
    assert len(avisos) == 3
    assert "antes da reunião do CMAS (10/11/2023)" in avisos[0]
    assert "traz o ano 2022" in avisos[1] and "08/11/2023" in avisos[1]
    assert "A publicação (01/11/2023) é anterior à aprovação (08/11/2023)" in avisos[2]
    assert (
        ap.verificacoes(
            {
                "data_reuniao": "08/11/2023",
                "data_aprovacao": "08/11/2023",
                "resolucao": "083/2023",
                "data_publicacao": "09/11/2023",
            }
        )
        == []
    )


# --- storage: the timeline, the audit, the freeze --------------------------------------------


def test_steps_are_stored_with_who_and_when_and_fill_the_report_fields(store, plano_id):
    assert ap.situacao(store, plano_id, 2024).estado == ap.RASCUNHO
    ap.mover(store, plano_id, 2024, "enviar", usuario="Ana")
    ap.mover(store, plano_id, 2024, "analisar", usuario="Ana")
    ap.mover(store, plano_id, 2024, "devolver", usuario="Bia", dados={"motivo": "Rever o eixo 2."})
    ap.mover(store, plano_id, 2024, "enviar", usuario="Ana")
    s = ap.mover(
        store,
        plano_id,
        2024,
        "aprovar",
        usuario="Ana",
        dados={"resolucao": "012/2025", "data": "20/03/2025", "reuniao": "20/03/2025"},
        documento=b"o documento aprovado",
    )
    assert s.estado == ap.APROVADO and s.rotulo == "Aprovado"
    assert [(e.estado, e.usuario) for e in s.etapas] == [
        ("enviado", "Ana"),
        ("em_analise", "Ana"),
        ("devolvido", "Bia"),
        ("enviado", "Ana"),
        ("aprovado", "Ana"),
    ]
    assert s.etapas[2].dados == {"motivo": "Rever o eixo 2."}
    assert all(e.quando is not None for e in s.etapas)
    s = ap.mover(
        store,
        plano_id,
        2024,
        "publicar",
        usuario="Ana",
        dados={
            "veiculo": "Jornal Oficial do Município",
            "edicao": "5100",
            "pagina": "7",
            "data": "25/03/2025",
            "link": "https://exemplo.gov.br/jom/5100.pdf",
        },
    )
    assert s.estado == ap.PUBLICADO
    campos = store.report_fields(plano_id, 2024)
    assert campos == {
        "resolucao": "012/2025",
        "data_aprovacao": "20/03/2025",
        "data_reuniao": "20/03/2025",
        "veiculo": "Jornal Oficial do Município",
        "edicao": "5100",
        "pagina": "7",
        "data_publicacao": "25/03/2025",
        "link": "https://exemplo.gov.br/jom/5100.pdf",
    }
    audit = store.audit()
    linhas = audit[audit["acao"] == "aprovacao"]
    assert len(linhas) == 6
    assert linhas["detalhe"].str.startswith("Publicado").iloc[0]  # newest first
    assert set(linhas["usuario"]) == {"Ana", "Bia"}
    assert ap.estados(store, plano_id) == {2024: ap.PUBLICADO}


def test_a_step_out_of_order_stores_nothing(store, plano_id):
    with pytest.raises(ap.TransicaoInvalida):
        ap.mover(
            store,
            plano_id,
            2024,
            "aprovar",
            usuario="Ana",
            dados={"resolucao": "1", "data": "1/1/2025"},
        )
    assert ap.situacao(store, plano_id, 2024).etapas == []
    assert store.report_fields(plano_id, 2024) == {}
    assert not (store.audit()["acao"] == "aprovacao").any()


def test_approval_freezes_versions_and_document_and_a_later_import_warns(store, plano, plano_id):
    import hashlib

    ap.mover(store, plano_id, 2024, "enviar", usuario="Ana")
    ap.mover(
        store,
        plano_id,
        2024,
        "aprovar",
        usuario="Ana",
        dados={"resolucao": "012/2025", "data": "20/03/2025"},
        documento=b"docx aprovado",
    )
    s = ap.situacao(store, plano_id, 2024)
    v1 = store.current_versions(plano_id)[0]
    assert s.congelado.versoes == [{"id": v1.id, "numero": 1, "arquivo_sha256": v1.arquivo_sha256}]
    assert s.congelado.documento_sha256 == hashlib.sha256(b"docx aprovado").hexdigest()
    assert ap.documento_aprovado(store, plano_id, 2024) == (
        b"docx aprovado",
        hashlib.sha256(b"docx aprovado").hexdigest(),
    )
    _, sha = ap.impressao_dos_dados(store, plano_id, 2024)
    assert s.congelado.dados_sha256 == sha and len(sha) == 64
    assert ap.substituicao(store, plano_id, 2024) is None

    # a later import of 2024 warns (as a finding, before anything is stored) ...
    simulado = import_file(
        store, planilha("Não iniciada"), "nova.xlsx", plano, usuario="Ana", simular=True
    )
    avisos = [f for f in simulado.analysis.findings if f.codigo == "relatorio_aprovado"]
    assert len(avisos) == 1 and avisos[0].nivel == "aviso"
    assert "já foi aprovado pelo CMAS (Resolução 012/2025)" in avisos[0].mensagem
    assert "versão 1 dos dados" in avisos[0].mensagem
    # ... and once imported the approved version is kept and the replacement is stated
    r = import_file(store, planilha("Não iniciada"), "nova.xlsx", plano, usuario="Ana")
    assert r.situacao == "importado"
    assert any(f.codigo == "relatorio_aprovado" for f in r.analysis.findings)
    frase = ap.substituicao(store, plano_id, 2024)
    assert frase == (
        "O CMAS aprovou o relatório de 2024 (Resolução 012/2025, de 20/03/2025) com a versão 1 "
        "dos dados; a versão atual é a 2."
    )
    assert ap.situacao(store, plano_id, 2024).congelado.versoes[0]["id"] == v1.id
    # another year's import does not warn
    outro = import_file(store, planilha(ano=2023), "2023.xlsx", plano, usuario="Ana", simular=True)
    assert not any(f.codigo == "relatorio_aprovado" for f in outro.analysis.findings)
    # undoing back to the approved version removes the statement
    store.undo(plano.municipio, 2024, usuario="Ana")
    assert ap.substituicao(store, plano_id, 2024) is None


# --- the CLI ----------------------------------------------------------------------------------


def run(capsys, banco_url, *args) -> tuple[int, dict | None, str]:
    code = cli.main(["--banco", banco_url, "aprovacao", "--ano", "2024", *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip().startswith("{") else None), err


def test_cli_moves_the_report_through_every_state(capsys, banco_url, store, plano_id, tmp_path):
    code, data, _ = run(capsys, banco_url, "mostrar")
    assert code == 0 and data["estado"] == "rascunho" and data["acoes_possiveis"] == ["enviar"]
    code, data, _ = run(capsys, banco_url, "enviar")
    assert code == 0 and data["rotulo"] == "Enviado ao CMAS"
    code, data, _ = run(capsys, banco_url, "analisar", "--comissoes", "Fundo; Legislação")
    assert data["estado"] == "em_analise" and data["etapas"][-1]["dados"] == {
        "comissoes": "Fundo; Legislação"
    }
    code, data, _ = run(capsys, banco_url, "devolver", "--motivo", "Incluir o orçamento.")
    assert data["estado"] == "devolvido"
    run(capsys, banco_url, "enviar")
    documento = tmp_path / "aprovado.docx"
    documento.write_bytes(b"docx do CMAS")
    code, data, err = run(
        capsys,
        banco_url,
        "aprovar",
        "--resolucao",
        "012/2024",
        "--data",
        "20/03/2025",
        "--documento",
        str(documento),
    )
    assert code == 0 and data["estado"] == "aprovado"
    assert data["aprovado"]["documento_sha256"] is not None
    assert data["avisos"] and "traz o ano 2024" in data["avisos"][0]  # warned, not blocked
    assert "traz o ano 2024" in err
    code, data, _ = run(
        capsys,
        banco_url,
        "publicar",
        "--veiculo",
        "J.O.M.",
        "--edicao",
        "5041",
        "--data",
        "25/03/2025",
        "--pagina",
        "12",
        "--link",
        "https://jom.exemplo.gov.br/5041",
    )
    assert code == 0 and data["estado"] == "publicado" and data["acoes_possiveis"] == []
    assert [e["rotulo"] for e in data["etapas"]] == [
        "Enviado ao CMAS",
        "Em análise nas comissões",
        "Devolvido com recomendações",
        "Enviado ao CMAS",
        "Aprovado",
        "Publicado",
    ]
    assert store.report_fields(plano_id, 2024)["edicao"] == "5041"


def test_cli_refuses_a_wrong_step_and_a_bad_date(capsys, banco_url, plano_id):
    code, data, err = run(
        capsys, banco_url, "publicar", "--veiculo", "J", "--edicao", "1", "--data", "1/1/2025"
    )
    assert code == 1 and data is None and "Não é possível" in err
    run(capsys, banco_url, "enviar")
    code, data, err = run(
        capsys, banco_url, "aprovar", "--resolucao", "1/2025", "--data", "2025-03-01"
    )
    assert code == 1 and "não é uma data" in err
    code, data, _ = run(capsys, banco_url, "mostrar")
    assert data["estado"] == "enviado"


def test_cli_approval_builds_and_keeps_the_document(capsys, banco_url, plano_id, store):
    run(capsys, banco_url, "enviar")
    code, data, _ = run(
        capsys,
        banco_url,
        "aprovar",
        "--resolucao",
        "3/2025",
        "--data",
        "01/03/2025",
        "--sem-graficos",
    )
    assert code == 0
    conteudo, sha = ap.documento_aprovado(store, plano_id, 2024)
    assert conteudo[:2] == b"PK" and sha == data["aprovado"]["documento_sha256"]


def test_cli_undo_of_an_approved_year_warns(capsys, banco_url, store, plano, plano_id):
    import_file(store, planilha("Não iniciada"), "v2.xlsx", plano, usuario="Ana")
    run(capsys, banco_url, "enviar")
    run(
        capsys,
        banco_url,
        "aprovar",
        "--resolucao",
        "3/2025",
        "--data",
        "01/03/2025",
        "--documento",
        __file__,
    )
    assert cli.main(["--banco", banco_url, "desfazer", "--ano", "2024"]) == 0
    _, err = capsys.readouterr()
    assert "já foi aprovado pelo CMAS" in err
    code, data, _ = run(capsys, banco_url, "mostrar")
    assert any("com a versão 2 dos dados; a versão atual é a 1" in a for a in data["avisos"])
