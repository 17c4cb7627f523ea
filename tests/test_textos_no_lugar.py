"""Every text a user reads lives in pmas/textos.py (issue #18): a Portuguese string literal
anywhere else in pmas/ or pages/ fails this test.

What counts as Portuguese: a literal with an accented letter, or of three words or more with a
Portuguese function word. Not counted: docstrings, log lines (read by the municipality's IT, not
on screen), and the vocabulary modules below, whose Portuguese words are data the importer
recognises or the example data, not texts shown as such.

``PENDENTES`` is the backlog, file by file, of literals not moved yet: its numbers may only go
down (the test says when one should be lowered), and no other file may gain one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

VOCABULARIO = {
    "pmas/textos.py": "the texts themselves",
    "pmas/dados/schema.py": "the canonical statuses, column names and their aliases",
    "pmas/dados/plano.py": "the UFs and Londrina's plan (the example data)",
    "pmas/entrada/normalize.py": "the header and status wordings the importer recognises",
    "pmas/entrada/validate.py": "the goal wordings the importer recognises (Reduzir…)",
    "pmas/entrada/reader.py": "the broken-encoding patterns the reader recognises",
    "pmas/sintetico.py": "synthetic example data",
    # the default documents' own text, as a municipality edits it in Word or Excel: the source
    # of the report's and the Devolutiva's default templates, and of the blank workbook
    "pmas/saida/relatorio/modelo.py": "the report's default Word template, written by code",
    "pmas/saida/relatorio/modelo_devolutiva.py": "the Devolutiva's default Word template",
    "pmas/saida/modelo.py": "the blank workbook and its Instruções sheet",
}

# file → Portuguese literals still to move into pmas/textos.py (may only go down)
PENDENTES: dict[str, int] = {}

_ACENTO = re.compile(r"[áàâãéêíóôõúçÁÀÂÃÉÊÍÓÔÕÚÇ]")
_PALAVRA = re.compile(
    r"\b(de|do|da|dos|das|não|para|com|em|um|uma|os|as|no|na|ao|que|por|sem|ou|é)\b", re.I
)
_LOG = {"debug", "info", "warning", "error", "exception", "critical"}


def portugues(texto: str) -> bool:
    t = texto.strip()
    if not re.search(r"[A-Za-zÀ-ú]", t):
        return False
    return bool(_ACENTO.search(t)) or (len(t.split()) >= 3 and bool(_PALAVRA.search(t)))


def _fora(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings or inside a log call."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
        if isinstance(node, ast.Call):
            f = node.func
            nome = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if nome in _LOG or nome == "registrar_erro":
                out.update(id(n) for a in node.args for n in ast.walk(a))
    return out


def literais(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    fora = _fora(tree)
    return [
        (n.lineno, n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and id(n) not in fora
        and portugues(n.value)
    ]


def _arquivos() -> list[str]:
    files = [*ROOT.glob("pmas/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "dashboard.py"]
    return sorted(str(f.relative_to(ROOT)) for f in files if "migrations" not in f.parts)


def test_no_portuguese_text_outside_textos():
    problemas = []
    for nome in _arquivos():
        if nome in VOCABULARIO:
            continue
        achados = literais(ROOT / nome)
        limite = PENDENTES.get(nome, 0)
        if len(achados) > limite:
            exemplos = "; ".join(f"{ln}: {t[:50]!r}" for ln, t in achados[:5])
            problemas.append(f"{nome}: {len(achados)} textos (máximo {limite}) — {exemplos}")
        elif len(achados) < limite:
            problemas.append(f"{nome}: {len(achados)} textos; baixe PENDENTES para {len(achados)}")
    assert not problemas, "\n".join(problemas)


def test_the_detector_sees_what_it_must(tmp_path):
    assert portugues("Ação") and portugues("não foi possível ler o arquivo")
    assert not portugues("sqlite:///x.db") and not portugues("utf-8") and not portugues("%s")
    assert not portugues("import the file in one go")
    tree = "def f():\n    'Docstring em português, não conta.'\n    log.info('não conta')\n"
    path = tmp_path / "detector.py"
    path.write_text(tree + "x = 'Situação'\n", encoding="utf-8")
    assert [t for _, t in literais(path)] == ["Situação"]
