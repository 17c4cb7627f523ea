"""A validation report is data: a list of findings, rendered on screen, in downloads and by the CLI.

Each finding has a level (``erro`` blocks the import, ``aviso`` does not), a stable code, where it
is (sheet, the row number as the user sees it in Excel, the column label as written in the file)
and a Portuguese message that says what to fix. The messages live in :mod:`pmas.textos`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from pmas import textos

ERRO = "erro"
AVISO = "aviso"


@dataclass(frozen=True)
class Finding:
    nivel: str
    codigo: str
    mensagem: str
    aba: str | None = None
    linha: int | None = None
    coluna: str | None = None
    acao: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def finding(
    codigo: str,
    *,
    aba: str | None = None,
    linha: int | None = None,
    coluna: str | None = None,
    **fields: object,
) -> Finding:
    """Build a finding from the message catalogue; ``fields`` fill the message template."""
    nivel, template, acao = textos.MENSAGENS[codigo]
    values = {"aba": aba, "linha": linha, "coluna": coluna, **fields}
    return Finding(
        nivel=nivel,
        codigo=codigo,
        mensagem=template.format(**values),
        aba=aba,
        linha=linha,
        coluna=coluna,
        acao=acao.format(**values),
    )


def com_codigo(f: Finding, codigo: str) -> Finding:
    """``f`` with the error id of the logged traceback behind it, for the user to quote."""
    return replace(f, mensagem=f"{f.mensagem} {textos.CODIGO_ERRO.format(codigo=codigo)}")


class Rejected(Exception):
    """The file cannot be read at all; carries the findings that say why."""

    def __init__(self, findings: list[Finding] | Finding):
        self.findings = [findings] if isinstance(findings, Finding) else list(findings)
        super().__init__("; ".join(f"{f.codigo}: {f.mensagem}" for f in self.findings))


def has_errors(findings: list[Finding]) -> bool:
    return any(f.nivel == ERRO for f in findings)


def count(findings: list[Finding]) -> dict[str, int]:
    return {
        ERRO: sum(f.nivel == ERRO for f in findings),
        AVISO: sum(f.nivel == AVISO for f in findings),
    }


COLUMNS = ("nivel", "codigo", "aba", "linha", "coluna", "mensagem", "acao")


def to_frame(findings: list[Finding]):
    """The findings as a table (one row each, the columns of :data:`COLUMNS`), errors first."""
    import pandas as pd

    ordered = sorted(findings, key=lambda f: f.nivel != ERRO)  # stable: file order within a level
    frame = pd.DataFrame([f.as_dict() for f in ordered], columns=list(COLUMNS))
    frame["linha"] = frame["linha"].astype("Int64")
    return frame
