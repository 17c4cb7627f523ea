"""Logging: an unexpected failure behind a message is logged with its traceback and an error id
that the user sees, and PMAS_LOG_ARQUIVO sends the log lines to a file."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODIGO = re.compile(r"código do erro: ([0-9a-f]{4}-[0-9a-f]{4})")


def test_injected_parser_failure_gives_the_user_an_id_found_in_the_log_file(tmp_path):
    log = tmp_path / "pmas.log"
    script = textwrap.dedent(
        """
        import io, json
        import openpyxl
        from pmas.entrada import reader
        from pmas.entrada.pipeline import analyse
        from pmas.dados.plano import LONDRINA

        def quebra(*args, **kwargs):
            raise RuntimeError("falha injetada no leitor")

        reader._read_xlsx = quebra
        wb = openpyxl.Workbook()
        buf = io.BytesIO(); wb.save(buf)
        result = analyse(buf.getvalue(), "metas.xlsx", LONDRINA)
        print(json.dumps([f.mensagem for f in result.findings], ensure_ascii=False))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PMAS_LOG_ARQUIVO": str(log), "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    mensagens = done.stdout.strip().splitlines()[-1]
    found = CODIGO.search(mensagens)
    assert found, mensagens
    codigo = found.group(1)
    text = log.read_text(encoding="utf-8")
    line = next(li for li in text.splitlines() if f"[{codigo}]" in li)
    assert "ERROR" in line and "metas.xlsx" in line
    # the traceback follows the line, down to the injected failure
    assert "Traceback" in text and "RuntimeError: falha injetada no leitor" in text
    # the same goes to standard error (the server's console)
    assert f"[{codigo}]" in done.stderr


def test_each_failure_gets_its_own_id():
    from pmas.registro import novo_codigo

    codes = {novo_codigo() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[0-9a-f]{4}-[0-9a-f]{4}", c) for c in codes)
