"""A mapping the user teaches: what an unknown column heading or status value means.

However many wordings the importer knows, next year's file may hold a new one. When a heading
or a status value is not recognised, the user maps it once (to a canonical column, a canonical
status, or "ignorar"); the mapping is saved with the plan and applied by the importer from then on
(:func:`pmas.entrada.pipeline.analyse` takes it). Headings and values are compared as
:func:`pmas.text.key` (no accents, case, punctuation or extra spaces), so "Execução  física" and
"execucao fisica" are one entry.

JSON form (the CLI's ``--mapa mapa.json``)::

    {"colunas": {"Resultado alcançado": "realizado", "Obs. gerais": "ignorar"},
     "situacoes": {"Finalizada com ressalvas": "Parcialmente realizada"}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from pmas.dados import schema
from pmas.text import key

IGNORAR = "ignorar"


class MapaInvalido(ValueError):
    """A mapping that names a column or status that does not exist (message in Portuguese)."""


def column_targets(table: str = "metas") -> dict[str, str]:
    """The canonical columns a heading may be mapped to: name → label (plus "ignorar")."""
    t = schema.TABLES[table]
    return {**{c.name: c.label for c in t.columns}, IGNORAR: "Ignorar esta coluna"}


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

    def __post_init__(self) -> None:
        for written, target in self.colunas.items():
            if target != IGNORAR and target not in _ALL_COLUMNS:
                raise MapaInvalido(
                    f"O mapa leva a coluna “{written}” para “{target}”, que não existe."
                )
        for written, target in self.situacoes.items():
            if target != IGNORAR and target not in schema.STATUS_ORDER:
                raise MapaInvalido(
                    f"O mapa leva a situação “{written}” para “{target}”, que não existe. "
                    f"Use uma destas: {', '.join(schema.STATUS_ORDER)} ou “{IGNORAR}”."
                )
        self._colunas = {key(k): v for k, v in self.colunas.items()}
        self._situacoes = {key(k): v for k, v in self.situacoes.items()}

    def __bool__(self) -> bool:
        return bool(self.colunas or self.situacoes)

    def coluna(self, written: object) -> str | None:
        """The canonical column (or IGNORAR) a heading was mapped to, or None."""
        return self._colunas.get(key(written))

    def situacao(self, written: object) -> str | None:
        """The canonical status (or IGNORAR) a value was mapped to, or None."""
        return self._situacoes.get(key(written))

    def with_(self, colunas: dict[str, str] | None = None, situacoes: dict[str, str] | None = None):
        """A new mapping with these entries added (or replaced); blank targets are dropped."""
        c = {**self.colunas, **(colunas or {})}
        s = {**self.situacoes, **(situacoes or {})}
        return Mapa({k: v for k, v in c.items() if v}, {k: v for k, v in s.items() if v})

    def without(self, colunas=(), situacoes=()) -> Mapa:
        """A new mapping without these written entries."""
        ck = {key(x) for x in colunas}
        sk = {key(x) for x in situacoes}
        return Mapa(
            {k: v for k, v in self.colunas.items() if key(k) not in ck},
            {k: v for k, v in self.situacoes.items() if key(k) not in sk},
        )

    def as_dict(self) -> dict:
        return {"colunas": dict(self.colunas), "situacoes": dict(self.situacoes)}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: object) -> Mapa:
        if not isinstance(data, dict):
            raise MapaInvalido("O mapa deve ser um objeto JSON com “colunas” e “situacoes”.")
        unknown = set(data) - {"colunas", "situacoes"}
        if unknown:
            raise MapaInvalido(
                "O mapa tem chaves desconhecidas: "
                + ", ".join(f"“{k}”" for k in sorted(unknown))
                + ". Use só “colunas” e “situacoes”."
            )
        parts = {}
        for name in ("colunas", "situacoes"):
            part = data.get(name) or {}
            if not isinstance(part, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in part.items()
            ):
                raise MapaInvalido(f"“{name}” deve ligar textos a textos.")
            parts[name] = dict(part)
        return cls(parts["colunas"], parts["situacoes"])

    @classmethod
    def from_json(cls, text: str) -> Mapa:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MapaInvalido(
                f"O mapa não é um JSON válido (linha {exc.lineno}, coluna {exc.colno})."
            ) from None
        return cls.from_dict(data)
