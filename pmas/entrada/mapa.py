"""A mapping the user teaches: what an unknown column heading or status value means.

However many wordings the importer knows, next year's file may hold a new one. When a heading
or a status value is not recognised, the user maps it once (to a canonical column, a canonical
status, or "ignorar"); the mapping is saved with the plan and applied by the importer from then on
(:func:`pmas.entrada.pipeline.analyse` takes it). Headings and values are compared as
:func:`pmas.text.key` (no accents, case, punctuation or extra spaces), so "Execução  física" and
"execucao fisica" are one entry.

It also holds the user's answer for goals whose text starts with Reduzir/Diminuir and whose
direction the file does not give (DOMAIN.md: the reduction polarity is applied only when the user
confirms it): goal text → "sim" (a reduction goal: previsto ÷ realizado) or "nao" (not one).

JSON form (the CLI's ``--mapa mapa.json``)::

    {"colunas": {"Resultado alcançado": "realizado", "Obs. gerais": "ignorar"},
     "situacoes": {"Finalizada com ressalvas": "Parcialmente realizada"},
     "reducao": {"Reduzir a fila do acolhimento": "sim"}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from pmas import textos
from pmas.dados import schema
from pmas.text import key

IGNORAR = "ignorar"
SIM, NAO = "sim", "nao"
PARTES = ("colunas", "situacoes", "reducao")
M = textos.MAPA


class MapaInvalido(ValueError):
    """A mapping that names a column or status that does not exist (message in Portuguese)."""


def column_targets(table: str = "metas") -> dict[str, str]:
    """The canonical columns a heading may be mapped to: name → label (plus "ignorar")."""
    t = schema.TABLES[table]
    return {**{c.name: c.label for c in t.columns}, IGNORAR: M["ignorar"]}


def status_targets() -> list[str]:
    """The canonical statuses a value may be mapped to (plus "ignorar")."""
    return [*schema.STATUS_ORDER, IGNORAR]


_ALL_COLUMNS = frozenset(c.name for t in schema.TABLES.values() for c in t.columns)


@dataclass
class Mapa:
    """Heading as written → canonical column name or IGNORAR; status as written → canonical
    status or IGNORAR. The written forms are kept as the user saw them (for listing); lookups
    go by key."""

    colunas: dict[str, str] = field(default_factory=dict)
    situacoes: dict[str, str] = field(default_factory=dict)
    reducao: dict[str, str] = field(default_factory=dict)  # goal text → SIM or NAO

    def __post_init__(self) -> None:
        for written, target in self.colunas.items():
            if target != IGNORAR and target not in _ALL_COLUMNS:
                raise MapaInvalido(M["coluna_inexistente"].format(coluna=written, destino=target))
        for written, target in self.situacoes.items():
            if target != IGNORAR and target not in schema.STATUS_ORDER:
                raise MapaInvalido(
                    M["situacao_inexistente"].format(
                        situacao=written, destino=target, situacoes=", ".join(schema.STATUS_ORDER)
                    )
                )
        for written, answer in self.reducao.items():
            if answer not in (SIM, NAO):
                raise MapaInvalido(M["reducao_invalida"].format(meta=written, valor=answer))
        self._colunas = {key(k): v for k, v in self.colunas.items()}
        self._situacoes = {key(k): v for k, v in self.situacoes.items()}
        self._reducao = {key(k): v == SIM for k, v in self.reducao.items()}

    def __bool__(self) -> bool:
        return bool(self.colunas or self.situacoes or self.reducao)

    def __len__(self) -> int:
        return len(self.colunas) + len(self.situacoes) + len(self.reducao)

    def coluna(self, written: object) -> str | None:
        """The canonical column (or IGNORAR) a heading was mapped to, or None."""
        return self._colunas.get(key(written))

    def situacao(self, written: object) -> str | None:
        """The canonical status (or IGNORAR) a value was mapped to, or None."""
        return self._situacoes.get(key(written))

    def reducao_de(self, goal_text: object) -> bool | None:
        """The user's answer for a goal text that starts with Reduzir/Diminuir: True (a
        reduction goal), False (not one) or None (not answered)."""
        return self._reducao.get(key(goal_text))

    def with_(
        self,
        colunas: dict[str, str] | None = None,
        situacoes: dict[str, str] | None = None,
        reducao: dict[str, str] | None = None,
    ) -> Mapa:
        """A new mapping with these entries added (or replaced); blank targets are dropped."""
        c = {**self.colunas, **(colunas or {})}
        s = {**self.situacoes, **(situacoes or {})}
        r = {**self.reducao, **(reducao or {})}
        return Mapa(
            {k: v for k, v in c.items() if v},
            {k: v for k, v in s.items() if v},
            {k: v for k, v in r.items() if v},
        )

    def without(self, colunas=(), situacoes=(), reducao=()) -> Mapa:
        """A new mapping without these written entries."""
        ck = {key(x) for x in colunas}
        sk = {key(x) for x in situacoes}
        rk = {key(x) for x in reducao}
        return Mapa(
            {k: v for k, v in self.colunas.items() if key(k) not in ck},
            {k: v for k, v in self.situacoes.items() if key(k) not in sk},
            {k: v for k, v in self.reducao.items() if key(k) not in rk},
        )

    def as_dict(self) -> dict:
        return {
            "colunas": dict(self.colunas),
            "situacoes": dict(self.situacoes),
            "reducao": dict(self.reducao),
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: object) -> Mapa:
        if not isinstance(data, dict):
            raise MapaInvalido(M["nao_objeto"])
        unknown = set(data) - set(PARTES)
        if unknown:
            raise MapaInvalido(
                M["chaves_desconhecidas"].format(
                    chaves=", ".join(f"“{k}”" for k in sorted(unknown))
                )
            )
        parts = {}
        for name in PARTES:
            part = data.get(name) or {}
            if not isinstance(part, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in part.items()
            ):
                raise MapaInvalido(M["texto_para_texto"].format(parte=name))
            parts[name] = dict(part)
        return cls(parts["colunas"], parts["situacoes"], parts["reducao"])

    @classmethod
    def from_json(cls, text: str) -> Mapa:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MapaInvalido(
                M["json_invalido"].format(linha=exc.lineno, coluna=exc.colno)
            ) from None
        return cls.from_dict(data)


def entradas(mapa: Mapa) -> list[tuple[str, str, str]]:
    """Every entry of a mapping as (kind, as written, read as), in Portuguese, for listing."""
    labels = {c.name: c.label for t in schema.TABLES.values() for c in t.columns}
    labels[IGNORAR] = M["ignorar"]
    out = [(M["tipo_coluna"], w, labels.get(v, v)) for w, v in mapa.colunas.items()]
    out += [(M["tipo_situacao"], w, labels.get(v, v)) for w, v in mapa.situacoes.items()]
    out += [(M["tipo_reducao"], w, M[f"reducao_{v}"]) for w, v in mapa.reducao.items()]
    return out


def saved(store, plano) -> Mapa:
    """The mapping saved with a plan (empty when the plan or its mapping is not stored yet)."""
    from pmas.dados import mapas

    found = store.plan(plano.municipio, plano.nome)
    if found is None or found[1].nome != plano.nome:
        return Mapa()
    return Mapa.from_dict(mapas.load(store, found[0]))


def save(store, plano, mapa: Mapa, *, usuario: str, detalhe: str | None = None) -> None:
    """Save ``mapa`` as the plan's mapping (the plan is stored first if it is not yet)."""
    from pmas.dados import mapas

    mapas.save(store, store.ensure_plan(plano), mapa.as_dict(), usuario=usuario, detalhe=detalhe)
