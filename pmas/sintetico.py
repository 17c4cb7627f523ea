"""A state-wide synthetic dataset (hundreds of municipal plans) for scale tests and benchmarks.

Deterministic (seeded). Written through the store's bulk path (``Store.save_import`` with frames
built in code): one transaction per municipality, exactly as an import would store it. The
municipalities are named "Município 001"… and marked as example data: nothing here is real.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pandas as pd

from pmas.dados import schema
from pmas.dados.plano import DEFAULT_PLANO, Plano
from pmas.dados.store import Store

_STATUSES = [s for s in schema.STATUS_ORDER]
_WEIGHTS = [40, 20, 12, 8, 12, 3, 5]
_TERRITORIOS = ["Centro", "Norte", "Sul", "Leste", "Oeste", "Rural", "Municipal"]
_RESPONSAVEIS = [
    "Proteção Social Básica",
    "Proteção Social Especial",
    "Gestão do SUAS",
    "Benefícios e Transferência de Renda",
    "CMAS",
]
_SEGMENTOS = list(schema.SEGMENTS)


def municipality_name(i: int) -> str:
    return f"Município {i:03d}"


def plan_for(i: int, base: Plano = DEFAULT_PLANO) -> Plano:
    return Plano(
        municipio=municipality_name(i),
        nome=base.nome,
        ano_inicio=base.ano_inicio,
        ano_fim=base.ano_fim,
        eixos=base.eixos,
        uf="PR",
        exemplo=True,  # fictitious municipalities: never ranked or compared with real ones
    )


def frames_for(i: int, plano: Plano, metas_por_ano: int, rnd: random.Random) -> dict:
    """Goals for every year of the plan and one conference edition, as checked frames."""
    rows = []
    bias = rnd.uniform(-0.25, 0.25)  # some municipalities do better than others
    for ano in plano.anos:
        for g in range(metas_por_ano):
            eixo = plano.eixos[g % len(plano.eixos)]
            numeric = g % 2 == 0
            previsto = realizado = None
            if numeric:
                previsto = float(rnd.randint(10, 400))
                realizado = float(round(previsto * max(0.0, min(1.3, rnd.gauss(0.8 + bias, 0.3)))))
                ratio = realizado / previsto
                situacao = (
                    schema.REALIZADA
                    if ratio >= 1
                    else schema.PARCIAL
                    if ratio > 0
                    else schema.NAO_REALIZADA
                )
            else:
                situacao = rnd.choices(_STATUSES, _WEIGHTS)[0]
            rows.append(
                {
                    "codigo": f"{eixo.numero}.{g // 5 + 1}.{g % 5 + 1}",
                    "eixo": eixo.nome,
                    "eixo_numero": eixo.numero,
                    "diretriz": f"Diretriz {eixo.numero}.{g % 3 + 1}",
                    "acao": f"Ação {g + 1} do eixo {eixo.numero}",
                    "meta": f"Meta {g + 1}: ampliar a cobertura do serviço",
                    "ano": ano,
                    "previsto": previsto,
                    "realizado": realizado,
                    "sentido": "Aumentar" if numeric else None,
                    "situacao": situacao,
                    "situacao_informada": situacao,
                    "situacao_derivada": False,
                    "justificativa": None if situacao == schema.REALIZADA else "Dados sintéticos",
                    "responsavel": _RESPONSAVEIS[g % len(_RESPONSAVEIS)],
                    "territorio": _TERRITORIOS[g % len(_TERRITORIOS)],
                    "_linha": g + 2,
                    "_aba": "Metas",
                }
            )
    metas = pd.DataFrame(rows)
    conf: list[dict] = []
    for e in range(rnd.randint(3, 12)):
        for seg in _SEGMENTOS:
            conf.append(
                {
                    "ano": 2023,
                    "tipo_evento": schema.PRE_CONFERENCIA,
                    "regiao": _TERRITORIOS[e % 6],
                    "local": f"Local {e + 1}",
                    "segmento": seg,
                    "participantes": rnd.randint(2, 60),
                    "_linha": len(conf) + 2,
                    "_aba": "Conferências",
                }
            )
    for seg in _SEGMENTOS:
        conf.append(
            {
                "ano": 2023,
                "tipo_evento": schema.CONFERENCIA_MUNICIPAL,
                "regiao": None,
                "local": "Câmara Municipal",
                "segmento": seg,
                "participantes": rnd.randint(5, 30),
                "delegados": rnd.randint(0, 3),
                "_linha": len(conf) + 2,
                "_aba": "Conferências",
            }
        )
    return {"metas": metas, "conferencias": pd.DataFrame(conf)}


def generate(
    store: Store,
    municipios: int = 400,
    metas_por_ano: int = 150,
    *,
    seed: int = 2024,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write ``municipios`` plans of ``metas_por_ano`` goals per year; returns goals written."""
    rnd = random.Random(seed)
    total = 0
    for i in range(1, municipios + 1):
        plano = plan_for(i)
        frames = frames_for(i, plano, metas_por_ano, rnd)
        store.save_import(
            plano,
            frames,
            usuario="gerador de dados sintéticos",
            exemplo=True,
            nome_arquivo="sintetico",
        )
        total += len(frames["metas"])
        if progress:
            progress(i, municipios)
    return total
