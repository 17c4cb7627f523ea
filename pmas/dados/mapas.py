"""The mappings users teach, stored with their plan: one JSON document per plan.

A mapping says what an unknown column heading or status value of the plan's spreadsheets means
(see :mod:`pmas.entrada.mapa`, which gives it its type and checks it); this module only keeps it.
The table is part of the store's metadata (created with the others) and is also created on first
use, so a database made before it existed gets it without a migration step.
"""

from __future__ import annotations

import json

from sqlalchemy import insert, select
from sqlalchemy import update as sql_update

from pmas import textos
from pmas.dados.store import Store, _now, auditoria, mapas

__all__ = ["load", "mapas", "save"]


def _ensure(store: Store) -> None:
    mapas.create(store.engine, checkfirst=True)


def load(store: Store, plano_id: int) -> dict:
    """The plan's mapping as a dict ({"colunas": {}, "situacoes": {}} when none is saved)."""
    _ensure(store)
    with store.engine.connect() as conn:
        row = conn.execute(select(mapas.c.mapa).where(mapas.c.plano_id == plano_id)).first()
    if row is None:
        return {"colunas": {}, "situacoes": {}}
    return json.loads(row.mapa)


def save(
    store: Store, plano_id: int, mapa: dict, *, usuario: str, detalhe: str | None = None
) -> None:
    """Replace the plan's mapping (one transaction, with a line in the audit log: ``detalhe``,
    or the number of entries saved)."""
    _ensure(store)
    text = json.dumps(mapa, ensure_ascii=False, sort_keys=True)
    n = sum(len(mapa.get(part) or {}) for part in ("colunas", "situacoes", "reducao"))
    with store._writer.begin() as conn:
        done = conn.execute(
            sql_update(mapas)
            .where(mapas.c.plano_id == plano_id)
            .values(mapa=text, atualizado_em=_now(), atualizado_por=usuario)
        ).rowcount
        if not done:
            conn.execute(
                insert(mapas).values(
                    plano_id=plano_id, mapa=text, atualizado_em=_now(), atualizado_por=usuario
                )
            )
        conn.execute(
            insert(auditoria).values(
                quando=_now(),
                usuario=usuario,
                acao="mapa",
                plano_id=plano_id,
                detalhe=detalhe or textos.AUDITORIA_DETALHES["mapa"].format(n=n),
            )
        )
