"""The CLI contract: exit codes and the JSON shapes other tools rely on."""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from pmas import fmt
from pmas.cli import main
from pmas.dados.plano import LONDRINA
from pmas.dados.store import Store
from pmas.entrada.findings import IMPORTACAO_SCHEMA
from pmas.textos import CLI as T
from pmas.textos import CLI_AJUDA, CLI_COMANDOS
from tests.conftest import ROOT, xlsx
from tests.test_layouts import HEADER, plain_rows

EXEMPLO = ROOT / "data" / "exemplo"


@pytest.fixture
def banco(banco_url) -> str:
    """A database holding Londrina's PMAS 2022-2025 (the CLI imports only into a plan that
    exists: tests/test_cli_planos.py covers making one)."""
    store = Store(banco_url)
    store.create_plan(LONDRINA, usuario="teste")
    store.engine.dispose()
    return banco_url


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def pmas(banco: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m pmas --banco banco *args`` in a process of its own (what a user runs)."""
    return subprocess.run(
        [sys.executable, "-m", "pmas", "--banco", banco, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_import_examples_and_resumo_json(capsys, banco):
    for path in sorted(EXEMPLO.glob("*.xlsx")):
        code, out, _ = run(capsys, "--banco", banco, "importar", str(path), "--formato", "json")
        assert code == 0
        data = json.loads(out)
        assert data["situacao"] == "importado"
        assert {"situacao", "anos", "linhas", "achados"} <= set(data)  # compatible with before
        jsonschema.validate(data, IMPORTACAO_SCHEMA)
        assert data["valido"] is True
        c = data["contagens"]
        assert c["linhas_lidas"] == c["linhas_guardadas"] + c["linhas_puladas"]
    code, out, _ = run(capsys, "--banco", banco, "resumo", "--ano", "2023", "--formato", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["municipio"], data["plano"], data["ano"]) == ("Londrina", "PMAS 2022-2025", 2023)
    assert [e["numero"] for e in data["eixos"]] == [1, 2, 3, 4, 5]
    assert set(data["total"]) == {
        "metas",
        "avaliaveis",
        "situacoes",
        "pct_realizadas",
        "pct_realizadas_ou_parciais",
        "indice_cumprimento",
    }
    assert sum(e["metas"] for e in data["eixos"]) == data["total"]["metas"] >= 60
    ed = {c["ano"]: c for c in data["conferencias"]}
    assert ed[2023]["participantes_pre_conferencias"] == 2804
    assert ed[2023]["pre_conferencias"] == 33
    assert ed[2023]["participantes_conferencia_municipal"] == 43
    assert sum(ed[2023]["por_segmento"].values()) == 2804
    assert set(ed[2023]["por_regiao"]) >= {"Norte", "Sul", "Leste", "Oeste", "Centro", "Rural"}
    assert ed[2021]["participantes_pre_conferencias"] == 1000


def test_resumo_text_is_portuguese_table(capsys, banco, tmp_path):
    path = tmp_path / "m.xlsx"
    path.write_bytes(xlsx({"Metas 2023": [HEADER] + plain_rows()}))
    assert run(capsys, "--banco", banco, "importar", str(path))[0] == 0
    code, out, _ = run(capsys, "--banco", banco, "resumo")
    assert code == 0
    assert T["col_total"] in out and "33,3%" in out and "62,2%" in out


def test_rejected_file_exits_1_and_stores_nothing(capsys, banco, tmp_path):
    rows = [HEADER] + plain_rows()
    rows[2][8] = "Talvez"
    path = tmp_path / "ruim.xlsx"
    path.write_bytes(xlsx({"Metas 2023": rows}))
    code, out, _ = run(capsys, "--banco", banco, "importar", str(path), "--formato", "json")
    assert code == 1
    data = json.loads(out)
    assert data["situacao"] == "rejeitado"
    assert {
        "nivel": "erro",
        "codigo": "situacao_desconhecida",
        "aba": "Metas 2023",
        "linha": 3,
        "coluna": "Situação",
    }.items() <= data["achados"][0].items()
    code, out, _ = run(capsys, "--banco", banco, "versoes", "--formato", "json")
    assert json.loads(out) == []


def test_simular_stores_nothing(capsys, banco, tmp_path):
    path = tmp_path / "m.xlsx"
    path.write_bytes(xlsx({"Metas 2023": [HEADER] + plain_rows()}))
    code, out, _ = run(
        capsys, "--banco", banco, "importar", str(path), "--simular", "--formato", "json"
    )
    assert code == 0 and json.loads(out)["situacao"] == "simulado"
    assert json.loads(run(capsys, "--banco", banco, "versoes", "--formato", "json")[1]) == []


def test_versoes_and_desfazer(capsys, banco, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    a.write_bytes(xlsx({"Metas 2023": [HEADER] + plain_rows()}))
    rows = [HEADER] + plain_rows()
    rows[1][8] = "Não realizada"
    b.write_bytes(xlsx({"Metas 2023": rows}))
    run(capsys, "--banco", banco, "importar", str(a))
    run(capsys, "--banco", banco, "importar", str(b))
    before = json.loads(run(capsys, "--banco", banco, "resumo", "--formato", "json")[1])
    assert before["total"]["situacoes"]["Realizada"] == 2
    versions = json.loads(run(capsys, "--banco", banco, "versoes", "--formato", "json")[1])
    # the command line writes as the operating-system user, recorded as such
    quem = f"{getpass.getuser()} (linha de comando)"
    assert [(v["versao"], v["atual"], v["usuario"]) for v in versions] == [
        (2, True, quem),
        (1, False, quem),
    ]
    code, out, _ = run(capsys, "--banco", banco, "desfazer", "--ano", "2023")
    assert code == 0 and T["versao_voltou"].format(ano=2023, numero=1) in out
    # 2 imports and the undo (the plan was made by the fixture)
    assert list(Store(banco).audit()["usuario"]) == [quem] * 3 + ["teste"]
    after = json.loads(run(capsys, "--banco", banco, "resumo", "--formato", "json")[1])
    assert after["total"]["situacoes"]["Realizada"] == 3
    code, _, err = run(capsys, "--banco", banco, "desfazer", "--ano", "2023")
    assert code == 1 and T["sem_versao_anterior"].format(ano=2023) in err


def test_the_writer_cannot_be_self_declared(banco, tmp_path):
    a = tmp_path / "a.xlsx"
    a.write_bytes(xlsx({"Metas 2023": [HEADER] + plain_rows()}))
    r = pmas(banco, "importar", str(a), "--usuario", "x")
    assert r.returncode == 2 and "--usuario" in r.stderr
    assert Store(banco).versions() == []


def test_usage_errors_exit_2(banco):
    for args in (["importar"], ["resumo", "--ano", "dois mil"], ["nada"], []):
        r = pmas(banco, *args)
        assert r.returncode == 2, (args, r.stderr)
    r = pmas(banco, "importar", "nao.xlsx")
    assert r.returncode == 2 and T["arquivo_nao_encontrado"].format(arquivo="nao.xlsx") in r.stderr


def test_the_command_ends_quickly_with_everything_written(banco, tmp_path):
    """``python -m pmas`` skips the interpreter's teardown (cli.run): what it printed, its exit
    code and what it stored are all there, and the database was closed properly (no write-ahead
    log left beside it: its last connection checkpointed it)."""
    a = tmp_path / "a.xlsx"
    a.write_bytes(xlsx({"Metas 2023": [HEADER] + plain_rows()}))
    r = pmas(banco, "importar", str(a), "--formato", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["situacao"] == "importado"  # the whole output, flushed
    if banco.startswith("sqlite:///"):
        arquivo = Path(banco.removeprefix("sqlite:///"))
        assert arquivo.exists() and not Path(f"{arquivo}-wal").exists()
    store = Store(banco)
    assert [v.ano for v in store.versions()] == [2023]
    store.engine.dispose()
    r = pmas(banco, "importar", str(a))
    # the same file again: nothing stored twice, and said so
    assert r.returncode == 0 and r.stdout.strip()
    store = Store(banco)
    assert [v.ano for v in store.versions()] == [2023]
    store.engine.dispose()


def test_the_quick_exit_still_runs_the_exit_handlers(banco, tmp_path):
    """Libraries clean up at exit (kaleido closes its browser): cli.run's quick exit runs the
    registered exit handlers before it ends the process, and keeps the exit code."""
    marca = tmp_path / "saiu.txt"
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: open({str(marca)!r}, 'w').write('ok'))\n"
        f"sys.argv = ['pmas', '--banco', {banco!r}, 'desfazer', '--ano', '2023']\n"
        "from pmas.cli import run\n"
        "run()\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert r.returncode == 1, r.stderr  # nothing to undo: the command's own exit code
    assert marca.read_text() == "ok"


def test_the_command_analyses_the_file_in_the_limited_child(banco, tmp_path):
    """The command line analyses like the server: in a child under the CPU, time and memory
    limits (forked from the command's own process). A parser stuck in a loop there stops the
    child at the limit; the command says so and stores nothing."""
    from pmas.entrada.findings import finding

    a = tmp_path / "a.xlsx"
    a.write_bytes(xlsx({"Metas 2023": [HEADER] + plain_rows()}))
    env = {
        **os.environ,
        "PMAS_ANALISE_ALVO": "tests.hostis:laco",
        "PMAS_ANALISE_CPU_S": "2",
        "PMAS_ANALISE_TEMPO_S": "20",
    }
    r = pmas(banco, "importar", str(a), env=env)
    assert r.returncode == 1, r.stderr
    esperado = finding("analise_tempo", cpu=2, tempo=20, memoria="1024 MB").mensagem
    assert esperado in r.stdout + r.stderr
    store = Store(banco)
    assert store.versions() == []
    store.engine.dispose()


def test_help_is_in_portuguese(capsys):
    """argparse's headings are translated and every command says what it does (textos)."""
    with pytest.raises(SystemExit) as exc:
        main(["--ajuda"])
    assert exc.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith(f"{CLI_AJUDA['uso']}: python -m pmas ")
    assert f" {CLI_AJUDA['opcoes']}: " in out and f" {CLI_AJUDA['argumentos']}: " in out
    assert " ".join(CLI_AJUDA["descricao"].split()) in out
    comandos = [k for k in CLI_COMANDOS if "_" not in k] + ["copiar_banco", "gerar_estado"]
    assert len(comandos) == 14
    for chave in comandos:
        nome = chave.replace("_", "-")
        assert f" {nome} {' '.join(CLI_COMANDOS[chave].split())}" in out, nome
    assert not any(en in out for en in ("usage:", "options:", "positional arguments:"))
    with pytest.raises(SystemExit):
        main(["aprovacao", "--ano", "2023", "aprovar", "-h"])
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith(f"{CLI_AJUDA['uso']}: python -m pmas aprovacao aprovar ")
    assert f"--resolucao RESOLUCAO {CLI_AJUDA['resolucao']}" in out


def test_resumo_without_data_exits_1(capsys, banco, banco_vazio):
    code, _, err = run(capsys, "--banco", banco, "resumo")
    assert code == 1 and "Não há metas importadas" in err
    code, _, err = run(capsys, "--banco", banco_vazio, "resumo")
    assert code == 1 and "vazio" in err


@pytest.fixture
def banco_vazio(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'vazio.db'}"


def test_copiar_banco_makes_a_consistent_copy(capsys, tmp_path):
    banco = f"sqlite:///{tmp_path / 'cli.db'}"  # SQLite's online backup (PostgreSQL: pg_dump)
    path = tmp_path / "m.xlsx"
    path.write_bytes(xlsx({"Metas 2023": [HEADER] + plain_rows()}))
    criar = ("plano", "criar", "--municipio", "Londrina", "--nome", "PMAS 2022-2025")
    periodo = ("--inicio", "2022", "--fim", "2025", "--eixos-da-planilha", str(path))
    assert run(capsys, "--banco", banco, *criar, *periodo)[0] == 0
    assert run(capsys, "--banco", banco, "importar", str(path))[0] == 0
    copy = tmp_path / "copia.db"
    code, out, _ = run(capsys, "--banco", banco, "copiar-banco", "--saida", str(copy))
    tamanho = fmt.tamanho(copy.stat().st_size)
    assert code == 0 and out == T["copia_gravada"].format(arquivo=copy, tamanho=tamanho) + "\n"
    code, out, _ = run(capsys, "--banco", f"sqlite:///{copy}", "resumo", "--formato", "json")
    assert code == 0 and json.loads(out)["total"]["metas"] == 11
    assert run(capsys, "--banco", banco, "copiar-banco", "--saida", str(copy))[0] == 2


@pytest.mark.so_sqlite
def test_banco_may_be_a_plain_file_path(tmp_path, monkeypatch):
    """``--banco dados/pmas.db`` (what a user types) is that SQLite file, not a traceback."""
    monkeypatch.chdir(tmp_path)
    store = Store(f"sqlite:///{tmp_path / 'dados' / 'pmas.db'}")
    store.create_plan(LONDRINA, usuario="teste")
    store.engine.dispose()
    a = tmp_path / "a.xlsx"
    a.write_bytes(xlsx({"Metas 2023": [HEADER] + plain_rows()}))
    r = subprocess.run(
        [sys.executable, "-m", "pmas", "--banco", "dados/pmas.db", "importar", str(a)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    store = Store(f"sqlite:///{tmp_path / 'dados' / 'pmas.db'}")
    assert [v.ano for v in store.versions()] == [2023]
    store.engine.dispose()


@pytest.mark.parametrize(
    "url",
    ["foo://x", "/proc/nenhum/lugar/pmas.db", "postgresql+psycopg://eu:segredo@127.0.0.1:1/x"],
)
def test_a_database_that_cannot_be_opened_is_said_in_portuguese(url):
    r = pmas(url, "resumo")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "não foi possível abrir o banco de dados" in r.stderr
    assert "segredo" not in r.stderr  # a password is never printed


def test_output_cut_short_by_its_reader_is_no_traceback(banco, tmp_path):
    """``pmas versoes | head -1``: the reader gone, the command ends without a traceback."""
    a = tmp_path / "a.xlsx"
    a.write_bytes(xlsx({"Metas 2023": [HEADER] + plain_rows()}))
    assert pmas(banco, "importar", str(a)).returncode == 0
    leitura, escrita = os.pipe()
    os.close(leitura)  # the reader is gone before anything is written
    try:
        r = subprocess.run(
            [sys.executable, "-m", "pmas", "--banco", banco, "resumo", "--ano", "2023"],
            stdout=escrita,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        os.close(escrita)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr, r.stderr
