"""The CLI's plan commands (issue #11) and the options every command shares (issue #18):
plano criar | listar | mostrar | proximo, imports that pick the plan in force for the data's
year, refusals that say what to run, exit codes 0 / 1 / 2."""

from __future__ import annotations

import argparse
import json
import re

import pytest

from pmas.cli import _parser, main
from pmas.dados.store import Store
from pmas.textos import CLI as T
from pmas.textos import CLI_AJUDA, CLI_ARGPARSE
from tests.conftest import xlsx

HEADER = ["Código", "Eixo", "Ação", "Previsto", "Realizado", "Situação"]
PROTECAO = [
    "1=Proteção Social Básica",
    "2=Proteção Social Especial de Média Complexidade",
    "3=Proteção Social Especial de Alta Complexidade",
    "4=Gestão do SUAS",
    "5=Controle Social",
    "6=Vigilância Socioassistencial",
]


def erro_argparse(mensagem: str) -> str:
    """The line the CLI prints for one of argparse's (English) usage errors."""
    padrao, pt = next((p, pt) for p, pt in CLI_ARGPARSE if re.fullmatch(p, mensagem))
    return T["erro_uso"].format(erro=re.sub(padrao, pt, mensagem))


def run(capsys, *args) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def criar(capsys, banco, *extra, municipio="Maringá", nome="PMAS 2022-2025", inicio=2022, fim=2025):
    eixos = [a for e in PROTECAO for a in ("--eixo", e)]
    return run(
        capsys,
        "--banco",
        banco,
        "plano",
        "criar",
        "--municipio",
        municipio,
        "--uf",
        "PR",
        "--ibge",
        "4115200",
        "--nome",
        nome,
        "--inicio",
        str(inicio),
        "--fim",
        str(fim),
        *eixos,
        *extra,
    )


def planilha(tmp_path, ano: int, eixo: str = "Eixo 3", nome: str | None = None):
    path = tmp_path / (nome or f"metas_{ano}.xlsx")
    rows = [
        HEADER,
        ["B1", "Proteção Social Básica", "Ampliar o PAIF", 100, 80, "Parcialmente realizada"],
        ["A1", eixo, "Acolhimento", 1, 1, "Realizada"],
    ]
    path.write_bytes(xlsx({f"Metas {ano}": rows}))
    return path


def test_plano_criar_mostrar_listar(capsys, banco_url):
    code, out, _ = criar(capsys, banco_url)
    assert code == 0 and "Plano “PMAS 2022-2025” de Maringá criado (2022-2025, 6 eixos)" in out
    code, out, _ = run(capsys, "plano", "mostrar", "--municipio", "Maringá", "--formato", "json",
                       "--banco", banco_url)  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert {k: data[k] for k in ("municipio", "uf", "ibge", "nome", "inicio", "fim")} == {
        "municipio": "Maringá",
        "uf": "PR",
        "ibge": "4115200",
        "nome": "PMAS 2022-2025",
        "inicio": 2022,
        "fim": 2025,
    }
    assert data["eixos"][0] == {
        "numero": 1,
        "nome": "Proteção Social Básica",
        "curto": "",
        "aliases": [],
    }
    assert len(data["eixos"]) == 6
    code, out, _ = run(capsys, "--formato", "json", "--banco", banco_url, "plano", "listar")
    assert code == 0 and [p["municipio"] for p in json.loads(out)] == ["Maringá"]


def test_plano_criar_refusals_and_usage_errors(capsys, banco_url, tmp_path):
    assert criar(capsys, banco_url)[0] == 0
    code, _, err = criar(capsys, banco_url, nome="PMAS 2024-2027", inicio=2024, fim=2027)
    assert code == 1 and "se sobrepõe ao plano “PMAS 2022-2025”" in err
    code, _, err = run(
        capsys, "--banco", banco_url, "plano", "criar", "--municipio", "X", "--uf", "PR",
        "--ibge", "4113701", "--nome", "P", "--inicio", "2022", "--fim", "2025", "--eixo", "1=A",
    )  # fmt: skip
    assert code == 1 and "dígito verificador" in err
    code, _, err = run(
        capsys, "--banco", banco_url, "plano", "criar", "--municipio", "X", "--nome", "P",
        "--inicio", "2022", "--fim", "2025", "--eixo", "Gestão",
    )  # fmt: skip
    assert (
        code == 2
        and err == T["erro_uso"].format(erro=T["eixo_mal_escrito"].format(valor="Gestão")) + "\n"
    )
    code, _, err = run(capsys, "--banco", banco_url, "plano", "criar", "--municipio", "X")
    faltam = "the following arguments are required: --nome, --inicio, --fim"
    assert code == 2 and erro_argparse(faltam) + "\n" in err
    code, _, err = run(capsys, "--banco", banco_url, "plano", "voar")
    escolha = "'criar', 'listar', 'mostrar', 'proximo'"
    invalida = f"argument {CLI_AJUDA['acao']}: invalid choice: 'voar' (choose from {escolha})"
    assert code == 2 and erro_argparse(invalida) + "\n" in err
    assert len(Store(banco_url).plans()) == 1


def test_eixos_da_planilha(capsys, banco_url, tmp_path):
    path = tmp_path / "m.xlsx"
    rows = [HEADER, ["1", "Eixo 1 – Proteção Social Básica", "PAIF", 1, 1, "Realizada"],
            ["2", "EIXO II - Gestão do SUAS", "Concurso", 1, 0, "Não realizada"],
            ["3", "Eixo 1", "SCFV", 1, 1, "Realizada"]]  # fmt: skip
    path.write_bytes(xlsx({"Metas 2023": rows}))
    code, out, err = run(
        capsys, "--banco", banco_url, "plano", "criar", "--municipio", "Sarandi", "--uf", "PR",
        "--nome", "PMAS 2022-2025", "--inicio", "2022", "--fim", "2025",
        "--eixos-da-planilha", str(path),
    )  # fmt: skip
    assert code == 0, err
    assert "1. Proteção Social Básica" in out and "2. Gestão do SUAS" in out
    assert (
        run(capsys, "--banco", banco_url, "importar", str(path), "--municipio", "Sarandi")[0] == 0
    )
    code, out, _ = run(capsys, "--banco", banco_url, "resumo", "--formato", "json")
    assert json.loads(out)["total"]["metas"] == 3


def test_new_municipality_without_a_plan_is_refused_with_the_command(capsys, banco_url, tmp_path):
    path = planilha(tmp_path, 2023)
    code, _, err = run(
        capsys, "--banco", banco_url, "importar", str(path), "--municipio", "Maringá"
    )
    assert code == 1
    assert "Não há plano do município “Maringá”" in err
    assert 'python -m pmas plano criar --municipio "Maringá"' in err
    assert f'--eixos-da-planilha "{path}"' in err
    assert Store(banco_url).versions() == []


def test_year_outside_every_plan_and_the_next_cycle(capsys, banco_url, tmp_path):
    assert criar(capsys, banco_url)[0] == 0
    code, _, err = run(capsys, "--banco", banco_url, "importar", str(planilha(tmp_path, 2026)))
    assert code == 1
    assert "Nenhum plano de Maringá cobre o ano 2026 (planos cadastrados: PMAS 2022-2025)" in err
    assert 'python -m pmas plano proximo --municipio "Maringá" --inicio 2026 --fim 2029' in err
    code, out, _ = run(capsys, "plano", "proximo", "--municipio", "Maringá", "--inicio", "2026",
                       "--fim", "2029", "--banco", banco_url)  # fmt: skip
    assert code == 0 and "PMAS 2026-2029" in out
    assert run(capsys, "--banco", banco_url, "importar", str(planilha(tmp_path, 2025)))[0] == 0
    assert run(capsys, "--banco", banco_url, "importar", str(planilha(tmp_path, 2026)))[0] == 0
    store = Store(banco_url)
    assert {(v.plano, v.ano) for v in store.versions()} == {
        ("PMAS 2022-2025", 2025),
        ("PMAS 2026-2029", 2026),
    }
    code, out, _ = run(capsys, "--banco", banco_url, "resumo", "--ano", "2026", "--formato", "json")
    assert code == 0 and json.loads(out)["plano"] == "PMAS 2026-2029"
    code, out, _ = run(capsys, "resumo", "--ano", "2025", "--formato", "json", "--banco", banco_url)
    assert code == 0 and json.loads(out)["plano"] == "PMAS 2022-2025"
    code, out, _ = run(
        capsys, "--banco", banco_url, "--plano", "PMAS 2022-2025", "resumo", "--formato", "json"
    )
    assert code == 0 and json.loads(out)["ano"] == 2025


def test_an_unknown_eixo_names_the_plans_eixos(capsys, banco_url, tmp_path):
    assert criar(capsys, banco_url)[0] == 0
    path = planilha(tmp_path, 2023, eixo="Transferência de Renda")
    code, out, _ = run(capsys, "--banco", banco_url, "importar", str(path))
    assert code == 1 and "Proteção Social Básica" in out
    assert Store(banco_url).versions() == []


COMMANDS = [
    ["importar", "x.xlsx"],
    ["resumo"],
    ["versoes"],
    ["desfazer", "--ano", "2023"],
    ["comparar", "--de", "2022", "--para", "2023"],
    ["relatorio", "--ano", "2023", "--saida", "r.docx"],
    ["copiar-banco", "--saida", "c.db"],
    ["exportar-dados", "--pasta", "bi"],
    ["gerar-estado"],
    ["banco", "atualizar"],
    ["plano", "listar"],
    ["plano", "mostrar"],
    ["plano", "proximo", "--inicio", "2026", "--fim", "2029"],
    ["plano", "criar", "--nome", "P", "--inicio", "2026", "--fim", "2029", "--eixo", "1=A"],
    ["exemplo", "remover"],
    ["aprovacao", "--ano", "2023", "mostrar"],
    ["aprovacao", "--ano", "2023", "enviar"],
    ["aprovacao", "--ano", "2023", "analisar"],
    ["aprovacao", "--ano", "2023", "aprovar", "--resolucao", "1/2024", "--data", "01/03/2024"],
    ["aprovacao", "--ano", "2023", "devolver", "--motivo", "m"],
    [
        "aprovacao",
        "--ano",
        "2023",
        "publicar",
        "--veiculo",
        "v",
        "--edicao",
        "1",
        "--data",
        "01/03/2024",
    ],
    ["deliberacoes"],
    ["devolutiva", "--edicao", "2025", "--saida", "d.docx"],
]
COMMON = [
    "--banco",
    "sqlite:///x.db",
    "--municipio",
    "Maringá",
    "--plano",
    "P",
    "--formato",
    "json",
]


def _leaf_commands(parser, prefix=()) -> set[tuple[str, ...]]:
    """Every runnable command of the parser (subcommands of subcommands down to the leaves)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return {prefix}
    return {
        leaf
        for name, child in subs[0].choices.items()
        for leaf in _leaf_commands(child, (*prefix, name))
    }


def test_the_common_options_test_covers_every_command():
    """A command added later must join COMMANDS below (two once slipped by with their own
    --municipio, silently ignoring the general one)."""
    leaves = _leaf_commands(_parser())
    assert len(leaves) >= 20
    missing = [
        leaf
        for leaf in leaves
        if not any(c[0] == leaf[0] and all(w in c for w in leaf) for c in COMMANDS)
    ]
    assert missing == []


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_common_options_before_or_after_every_command(command):
    for argv in (COMMON + command, command + COMMON, COMMON[:4] + command + COMMON[4:]):
        args = _parser().parse_args(argv)
        assert (args.banco, args.municipio, args.plano, args.formato) == (
            "sqlite:///x.db",
            "Maringá",
            "P",
            "json",
        ), argv
