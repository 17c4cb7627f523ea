"""A validation report is data: typed findings, and the report of an import built from them.

Each finding has a level (``erro`` blocks the import, ``aviso`` does not), a stable code (a member
of :class:`Codigo`), where it is (sheet, the row number as the user sees it in Excel, the column
label as written in the file), the goal it belongs to when it belongs to a row (código and ação),
and a Portuguese message that says what to fix.

One place holds each code's level, message template and advice: :data:`pmas.textos.MENSAGENS`.
:class:`Codigo` is built from it, so a code that has no message cannot exist and ``finding()``
refuses an unknown one. :class:`Relatorio` (valid, counts, findings) is what the Importar screen,
the CLI (text and JSON) and the XLSX download all render; its JSON form is described by
:data:`RELATORIO_SCHEMA`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

from pmas import textos

ERRO = "erro"
AVISO = "aviso"


class Nivel(StrEnum):
    ERRO = ERRO
    AVISO = AVISO


class _CodigoBase(StrEnum):
    """A finding code: its level, message template and advice come from the catalogue."""

    @property
    def nivel(self) -> Nivel:
        return Nivel(textos.MENSAGENS[self.value][0])

    @property
    def modelo(self) -> str:
        return textos.MENSAGENS[self.value][1]

    @property
    def o_que_fazer(self) -> str:
        return textos.MENSAGENS[self.value][2]


# (The functional API on a subclass of Enum, which mypy does not follow.)
Codigo: type[_CodigoBase] = _CodigoBase(  # type: ignore[call-arg, assignment]
    "Codigo", {k.upper(): k for k in textos.MENSAGENS}, module=__name__, qualname="Codigo"
)


@dataclass(frozen=True)
class Finding:
    nivel: str
    codigo: str
    mensagem: str
    aba: str | None = None
    linha: int | None = None
    coluna: str | None = None
    acao: str = ""  # what to do about it
    codigo_meta: str | None = None  # the goal's código, when the finding belongs to a goal's row
    acao_meta: str | None = None  # the goal's ação (or meta), idem

    def as_dict(self) -> dict:
        d = asdict(self)
        d["nivel"] = str(self.nivel)
        d["codigo"] = str(self.codigo)
        return d


def finding(
    codigo: str,
    *,
    aba: str | None = None,
    linha: int | None = None,
    coluna: str | None = None,
    **fields: object,
) -> Finding:
    """Build a finding from the catalogue; ``fields`` fill the message template. An unknown code
    raises ValueError."""
    code = Codigo(codigo)
    values = {"aba": aba, "linha": linha, "coluna": coluna, **fields}
    return Finding(
        nivel=code.nivel,
        codigo=code,
        mensagem=code.modelo.format(**values),
        aba=aba,
        linha=linha,
        coluna=coluna,
        acao=code.o_que_fazer.format(**values),
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


def ordered(findings: list[Finding]) -> list[Finding]:
    """Errors first, file order within a level."""
    return sorted(findings, key=lambda f: f.nivel != ERRO)


def with_goals(findings: list[Finding], goals: dict[tuple[str, int], tuple]) -> list[Finding]:
    """The findings with the código and ação of the goal of their row, where there is one
    (``goals``: (sheet, Excel row) → (código, ação))."""
    out = []
    for f in findings:
        g = goals.get((f.aba, f.linha)) if f.aba and f.linha else None
        out.append(replace(f, codigo_meta=g[0], acao_meta=g[1]) if g else f)
    return out


COLUMNS = (
    "nivel",
    "codigo",
    "aba",
    "linha",
    "coluna",
    "codigo_meta",
    "acao_meta",
    "mensagem",
    "acao",
)
# The keys of a finding in the CLI's JSON (the first six were the whole finding before).
JSON_KEYS = ("nivel", "codigo", "aba", "linha", "coluna", "mensagem", "codigo_meta", "acao_meta")


def to_frame(findings: list[Finding]):
    """The findings as a table (one row each, the columns of :data:`COLUMNS`), errors first."""
    import pandas as pd

    frame = pd.DataFrame([f.as_dict() for f in ordered(findings)], columns=list(COLUMNS))
    frame["linha"] = frame["linha"].astype("Int64")
    return frame


@dataclass(frozen=True)
class Relatorio:
    """The report of one import's checks: whether the file is valid, the counts (findings by
    level; data rows read, stored and skipped, by reason) and the findings, errors first."""

    arquivo: str
    achados: tuple[Finding, ...]
    contagens: dict[str, int] = field(default_factory=dict)

    @property
    def valido(self) -> bool:
        return not has_errors(list(self.achados))

    @property
    def erros(self) -> int:
        return sum(f.nivel == ERRO for f in self.achados)

    @property
    def avisos(self) -> int:
        return sum(f.nivel == AVISO for f in self.achados)

    def as_dict(self) -> dict:
        return {
            "arquivo": self.arquivo,
            "valido": self.valido,
            "contagens": {"erros": self.erros, "avisos": self.avisos, **self.contagens},
            "achados": [{k: f.as_dict()[k] for k in JSON_KEYS} for f in self.achados],
        }

    def to_frame(self):
        """The findings as a table with Portuguese headers and levels (screen and download)."""
        frame = to_frame(list(self.achados))
        frame["nivel"] = frame["nivel"].map(textos.NIVEIS)
        frame = frame.drop(columns=["codigo"])
        return frame.rename(columns=textos.ROTULOS_ACHADOS)


def relatorio(arquivo: str, findings: list[Finding], contagens: dict[str, int]) -> Relatorio:
    return Relatorio(arquivo, tuple(ordered(findings)), dict(contagens))


_FINDING_SCHEMA = {
    "type": "object",
    "required": list(JSON_KEYS),
    "additionalProperties": False,
    "properties": {
        "nivel": {"enum": [ERRO, AVISO]},
        "codigo": {"enum": sorted(textos.MENSAGENS)},
        "aba": {"type": ["string", "null"]},
        "linha": {"type": ["integer", "null"], "minimum": 1},
        "coluna": {"type": ["string", "null"]},
        "mensagem": {"type": "string", "minLength": 1},
        "codigo_meta": {"type": ["string", "null"]},
        "acao_meta": {"type": ["string", "null"]},
    },
}
_COUNT = {"type": "integer", "minimum": 0}
RELATORIO_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": textos.ESQUEMAS_JSON["relatorio"],
    "type": "object",
    "required": ["arquivo", "valido", "contagens", "achados"],
    "properties": {
        "arquivo": {"type": "string"},
        "valido": {"type": "boolean"},
        "contagens": {
            "type": "object",
            "required": ["erros", "avisos"],
            "properties": {
                "erros": _COUNT,
                "avisos": _COUNT,
                "linhas_lidas": _COUNT,
                "linhas_guardadas": _COUNT,
                "registros": _COUNT,
                "linhas_puladas": _COUNT,
                "em_branco": _COUNT,
                "rodape": _COUNT,
                "secao": _COUNT,
                "sem_meta": _COUNT,
                "sem_valores": _COUNT,
            },
            "additionalProperties": _COUNT,
        },
        "achados": {"type": "array", "items": _FINDING_SCHEMA},
    },
}
# The CLI's `importar --formato json`: the report's fields plus what happened.
IMPORTACAO_SCHEMA = {
    **RELATORIO_SCHEMA,
    "title": textos.ESQUEMAS_JSON["importacao"],
    "required": ["situacao", "anos", "linhas", *RELATORIO_SCHEMA["required"]],
    "properties": {
        **RELATORIO_SCHEMA["properties"],
        "situacao": {"enum": ["importado", "simulado", "rejeitado", "repetido"]},
        "anos": {"type": "array", "items": {"type": "integer"}},
        "linhas": _COUNT,
        "situacoes_desconhecidas": {"type": "array", "items": {"type": "string"}},
        "colunas_desconhecidas": {"type": "array", "items": {"type": "string"}},
        "reducoes_pendentes": {"type": "array", "items": {"type": "string"}},
        "mapa": {"type": ["object", "null"]},
        "plano": {
            "type": "object",
            "description": textos.ESQUEMAS_JSON["plano"],
            "required": ["municipio", "nome", "aba_plano"],
            "properties": {
                "municipio": {"type": "string"},
                "nome": {"type": "string"},
                "aba_plano": {"enum": [None, "criar", "igual", "atualizar"]},
            },
        },
    },
}
