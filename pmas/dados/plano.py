"""A plan's configuration: municipality, name, years and its ordered eixos with aliases.

Eixos belong to a plan, never to the code: Londrina's PMAS 2022-2025 is only the default.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from pmas.text import key

_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
    "xi": 11,
    "xii": 12,
}
# "Eixo 1", "EIXO I - Gestão", "1", "I", "1.", "Eixo 2: ..."
_NUMBERED = re.compile(r"^(?:eixo\s+)?([0-9]{1,2}|[ivx]{1,4})(?:\s|$)")


@dataclass(frozen=True)
class Eixo:
    numero: int
    nome: str
    curto: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def rotulo(self) -> str:
        """Label shown on screen: "1. Política Municipal de Assistência Social"."""
        return f"{self.numero}. {self.nome}"

    @property
    def rotulo_curto(self) -> str:
        """Label where space is short (chart axes): "1. Política Municipal"."""
        return f"{self.numero}. {self.curto or self.nome}"


@dataclass(frozen=True)
class Plano:
    municipio: str
    nome: str
    ano_inicio: int
    ano_fim: int
    eixos: tuple[Eixo, ...] = field(default=())
    uf: str = ""

    @property
    def anos(self) -> list[int]:
        return list(range(self.ano_inicio, self.ano_fim + 1))

    def eixo(self, numero: int) -> Eixo:
        for e in self.eixos:
            if e.numero == numero:
                return e
        raise KeyError(numero)

    def match_eixo(self, value: object) -> Eixo | None:
        """The plan's eixo a typed value names, or None.

        Accepts the full name, the short name, an alias, "Eixo I", "EIXO 1 – …", "1" or "I".
        """
        k = key(value)
        if not k:
            return None
        for e in self.eixos:
            names = (e.nome, e.curto, *e.aliases)
            if any(k == key(n) for n in names if n):
                return e
        m = _NUMBERED.match(k)
        if m:
            token = m.group(1)
            numero = int(token) if token.isdigit() else _ROMAN.get(token)
            rest = k[m.end() :].strip()
            for e in self.eixos:
                if e.numero == numero:
                    # "Eixo 1 – Gestão" names eixo 1; trust the number but not a contradicting name
                    if rest and not _name_agrees(rest, e):
                        return None
                    return e
        # "Eixo: Gestão", or a name with a prefix such as "Eixo Gestão"
        stripped = re.sub(r"^eixo\s+", "", k)
        for e in self.eixos:
            if any(stripped == key(n) for n in (e.nome, e.curto, *e.aliases) if n):
                return e
        return None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @staticmethod
    def from_json(text: str) -> Plano:
        d = json.loads(text)
        d["eixos"] = tuple(
            Eixo(**{**e, "aliases": tuple(e.get("aliases", ()))}) for e in d["eixos"]
        )
        return Plano(**d)


def _name_agrees(rest: str, e: Eixo) -> bool:
    candidates = [key(n) for n in (e.nome, e.curto, *e.aliases) if n]
    return any(rest == c or rest.startswith(c) or c.startswith(rest) for c in candidates)


LONDRINA = Plano(
    municipio="Londrina",
    uf="PR",
    nome="PMAS 2022-2025",
    ano_inicio=2022,
    ano_fim=2025,
    eixos=(
        Eixo(
            1,
            "Política Municipal de Assistência Social",
            "Política Municipal",
            ("politica de assistencia social",),
        ),
        Eixo(
            2,
            "Serviços, Programas e Projetos de Enfrentamento à Pobreza",
            "Serviços, Programas e Projetos",
            (
                "servicos programas e projetos",
                "enfrentamento a pobreza",
                "servicos programas e projetos de enfrentamento a pobreza",
            ),
        ),
        Eixo(
            3,
            "Transferência de Renda e Benefícios",
            "Transferência de Renda",
            ("renda e beneficios", "transferencia de renda e beneficios"),
        ),
        Eixo(4, "Controle e Participação", "Controle Social", ("controle social e participacao",)),
        Eixo(5, "Gestão", "Gestão", ("gestao do suas",)),
    ),
)

DEFAULT_PLANO = LONDRINA
