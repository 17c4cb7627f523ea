"""A plan's configuration: municipality, name, years and its ordered eixos with aliases.

Eixos belong to a plan, never to the code: Londrina's PMAS 2022-2025 is only the example data's
plan (``LONDRINA``), never a fallback for a municipality without a plan.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields, replace

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
    diretrizes: tuple[str, ...] = ()

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
    ibge: str = ""  # 7 digits, the last a check digit (blank: not given)
    exemplo: bool = False  # the example data's plan: never mixed with real data

    @property
    def periodo(self) -> str:
        """ "2022-2025" (a single year: "2026")."""
        if self.ano_inicio == self.ano_fim:
            return str(self.ano_inicio)
        return f"{self.ano_inicio}-{self.ano_fim}"

    @property
    def titulo(self) -> str:
        """ "PMAS 2026-2029 (2026-2029)", or just the name when it already says the period."""
        return self.nome if self.periodo in self.nome else f"{self.nome} ({self.periodo})"

    def vigente_em(self, ano: int) -> bool:
        return self.ano_inicio <= ano <= self.ano_fim

    def sobrepoe(self, outro: Plano) -> bool:
        """True when both plans are of one municipality and share a year."""
        return (
            key(self.municipio) == key(outro.municipio)
            and self.ano_inicio <= outro.ano_fim
            and outro.ano_inicio <= self.ano_fim
        )

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

    def so_numero(self, value: object) -> bool:
        """True when a typed eixo names it only by number ("Eixo 3", "III", "3"): the mapping
        is then shown with the plan's name beside it, so a wrong plan cannot go unnoticed."""
        k = key(value)
        m = _NUMBERED.match(k)
        if not m or k[m.end() :].strip():
            return False
        return not any(k == key(n) for e in self.eixos for n in (e.nome, e.curto, *e.aliases) if n)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @staticmethod
    def from_json(text: str) -> Plano:
        """A plan stored as JSON (also by older versions, which had fewer fields)."""
        d = json.loads(text)
        known = {f.name for f in fields(Eixo)}
        d["eixos"] = tuple(
            Eixo(
                **{
                    **{k: v for k, v in e.items() if k in known},
                    "aliases": tuple(e.get("aliases", ())),
                    "diretrizes": tuple(e.get("diretrizes", ())),
                }
            )
            for e in d["eixos"]
        )
        return Plano(**{k: v for k, v in d.items() if k in {f.name for f in fields(Plano)}})


# A few municipalities' IBGE codes do not follow the check-digit rule (IBGE's own exceptions).
_IBGE_EXCECOES = frozenset(
    {
        "2201919",
        "2201988",
        "2202251",
        "2611533",
        "3117836",
        "3152131",
        "4305871",
        "5203939",
        "5203962",
    }
)
UFS = frozenset(
    "AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO".split()
)
# The first two digits of the IBGE code are the state's.
_UF_CODIGO = {
    "11": "RO", "12": "AC", "13": "AM", "14": "RR", "15": "PA", "16": "AP", "17": "TO",
    "21": "MA", "22": "PI", "23": "CE", "24": "RN", "25": "PB", "26": "PE", "27": "AL",
    "28": "SE", "29": "BA", "31": "MG", "32": "ES", "33": "RJ", "35": "SP", "41": "PR",
    "42": "SC", "43": "RS", "50": "MS", "51": "MT", "52": "GO", "53": "DF",
}  # fmt: skip


def ibge_digito(seis: str) -> int:
    """The check digit of a municipality's six-digit IBGE code (weights 1, 2, 1, 2, 1, 2; a
    product over 9 counts as the sum of its digits)."""
    total = 0
    for i, ch in enumerate(seis):
        p = int(ch) * (1 if i % 2 == 0 else 2)
        total += p // 10 + p % 10
    return (10 - total % 10) % 10


def ibge_valido(codigo: str) -> bool:
    """True for a 7-digit IBGE municipality code with a right check digit and a real state."""
    if not re.fullmatch(r"[0-9]{7}", codigo or "") or codigo[:2] not in _UF_CODIGO:
        return False
    return codigo in _IBGE_EXCECOES or ibge_digito(codigo[:6]) == int(codigo[6])


def problemas(plano: Plano) -> list[str]:
    """What is wrong with a plan, in Portuguese (empty: it can be stored)."""
    from pmas.textos import PLANO as T

    out = []
    if not plano.municipio.strip():
        out.append(T["sem_municipio"])
    if not plano.nome.strip():
        out.append(T["sem_nome"])
    if plano.uf and plano.uf not in UFS:
        out.append(T["uf_invalida"].format(uf=plano.uf))
    if plano.ibge:
        if not ibge_valido(plano.ibge):
            out.append(T["ibge_invalido"].format(ibge=plano.ibge))
        elif plano.uf and _UF_CODIGO[plano.ibge[:2]] != plano.uf:
            out.append(
                T["ibge_outra_uf"].format(
                    ibge=plano.ibge, uf=plano.uf, dela=_UF_CODIGO[plano.ibge[:2]]
                )
            )
    if not (1900 <= plano.ano_inicio <= 2200 and 1900 <= plano.ano_fim <= 2200):
        out.append(T["ano_fora"].format(inicio=plano.ano_inicio, fim=plano.ano_fim))
    elif plano.ano_fim < plano.ano_inicio:
        out.append(T["periodo_invertido"].format(inicio=plano.ano_inicio, fim=plano.ano_fim))
    if not plano.eixos:
        out.append(T["sem_eixos"])
    numeros = [e.numero for e in plano.eixos]
    for n in sorted({n for n in numeros if numeros.count(n) > 1}):
        out.append(T["eixo_repetido"].format(numero=n))
    for e in plano.eixos:
        if e.numero < 1:
            out.append(T["eixo_numero"].format(numero=e.numero))
        if not e.nome.strip():
            out.append(T["eixo_sem_nome"].format(numero=e.numero))
    nomes = [key(e.nome) for e in plano.eixos if e.nome.strip()]
    for e in plano.eixos:
        if (
            e.nome.strip()
            and nomes.count(key(e.nome)) > 1
            and e == next(x for x in plano.eixos if key(x.nome) == key(e.nome))
        ):
            out.append(T["eixo_nome_repetido"].format(nome=e.nome))
    return out


def proximo_ciclo(plano: Plano, inicio: int, fim: int, nome: str | None = None) -> Plano:
    """The next plan of the same municipality with the same eixos and a new period. The default
    name swaps the old period for the new one ("PMAS 2022-2025" → "PMAS 2026-2029")."""
    novo = replace(plano, ano_inicio=inicio, ano_fim=fim, exemplo=plano.exemplo)
    if nome:
        return replace(novo, nome=nome)
    if plano.periodo in plano.nome:
        return replace(novo, nome=plano.nome.replace(plano.periodo, novo.periodo))
    return replace(novo, nome=f"{plano.nome} {novo.periodo}")


SUFIXO_EXEMPLO = " (exemplo)"


def de_exemplo(plano: Plano) -> Plano:
    """The example data's own plan: flagged ``exemplo`` and named apart ("PMAS 2022-2025
    (exemplo)"), so that the municipality's real plan of the same period can exist beside it
    and no screen, comparison or report ever mixes the two."""
    nome = plano.nome if plano.nome.endswith(SUFIXO_EXEMPLO) else plano.nome + SUFIXO_EXEMPLO
    return replace(plano, nome=nome, exemplo=True)


def diferencas(antes: Plano, depois: Plano) -> list[str]:
    """What changed from one plan to another, in Portuguese (for the audit log and the preview
    of a Plano sheet)."""
    from pmas.textos import PLANO as T
    from pmas.textos import plural

    out = []
    for campo in ("municipio", "uf", "ibge", "nome", "ano_inicio", "ano_fim"):
        a, b = getattr(antes, campo), getattr(depois, campo)
        if a != b:
            out.append(
                T["dif_campo"].format(campo=T["campo_" + campo], antes=a or "—", depois=b or "—")
            )
    velhos = {e.numero: e for e in antes.eixos}
    novos = {e.numero: e for e in depois.eixos}
    for n in sorted(velhos.keys() | novos.keys()):
        a, b = velhos.get(n), novos.get(n)
        if a is None:
            if b is not None:
                out.append(T["dif_eixo_novo"].format(numero=n, nome=b.nome))
        elif b is None:
            out.append(T["dif_eixo_removido"].format(numero=n, nome=a.nome))
        else:
            if a.nome != b.nome:
                out.append(T["dif_eixo_nome"].format(numero=n, antes=a.nome, depois=b.nome))
            if a.curto != b.curto:
                out.append(
                    T["dif_eixo_curto"].format(
                        numero=n, antes=a.curto or "—", depois=b.curto or "—"
                    )
                )
            if tuple(a.aliases) != tuple(b.aliases):
                out.append(
                    T["dif_eixo_aliases"].format(numero=n, depois=", ".join(b.aliases) or "—")
                )
            if tuple(a.diretrizes) != tuple(b.diretrizes):
                quantas = plural(len(b.diretrizes), T["diretriz"], T["diretrizes"])
                out.append(T["dif_eixo_diretrizes"].format(numero=n, n=quantas))
    return out


def _name_agrees(rest: str, e: Eixo) -> bool:
    candidates = [key(n) for n in (e.nome, e.curto, *e.aliases) if n]
    return any(rest == c or rest.startswith(c) or c.startswith(rest) for c in candidates)


LONDRINA = Plano(
    municipio="Londrina",
    uf="PR",
    ibge="4113700",
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

# The example data's plan (the first-run seeding, tools/exemplo.py, synthetic data): never used
# for a real municipality's import, template or screen.
DEFAULT_PLANO = LONDRINA


def eixos_em_comum(plans: list[Plano]) -> tuple[Eixo, ...] | None:
    """The eixos every plan has, numbered and named alike (a state-wide view per eixo is only
    meaningful then), or None when some plan's eixos differ (or there is no plan)."""
    if not plans:
        return None
    chave = [(e.numero, e.nome) for e in plans[0].eixos]
    if any([(e.numero, e.nome) for e in p.eixos] != chave for p in plans[1:]):
        return None
    return plans[0].eixos
