"""A second municipality for the tests: Maringá/PR, its PMAS 2026-2029 with six eixos by level of
protection, and its monitoring workbook made from the real blank template (with its Plano sheet)
filled the way a user does, so nothing in it is Londrina's."""

from __future__ import annotations

import io
from dataclasses import replace

import openpyxl

from pmas.dados.plano import Eixo, Plano
from pmas.saida.modelo import template_xlsx_bytes

MARINGA = Plano(
    municipio="Maringá",
    uf="PR",
    ibge="4115200",
    nome="PMAS 2026-2029",
    ano_inicio=2026,
    ano_fim=2029,
    eixos=(
        Eixo(1, "Proteção Social Básica", "PSB", ("proteção básica",)),
        Eixo(2, "Proteção Social Especial de Média Complexidade", "PSE Média"),
        Eixo(3, "Proteção Social Especial de Alta Complexidade", "PSE Alta"),
        Eixo(4, "Gestão do SUAS", "Gestão"),
        Eixo(5, "Controle Social", "Controle Social"),
        Eixo(6, "Vigilância Socioassistencial", "Vigilância"),
    ),
)

# Two goals per eixo; over the 12: 6 Realizada, 3 Parcialmente realizada, 3 Não realizada.
_SITUACOES = ["Realizada", "Realizada", "Parcialmente realizada", "Não realizada"] * 3
PCT_REALIZADAS = "50,0%"  # 6 of 12 avaliáveis


def metas(ano: int = 2026) -> list[dict]:
    """The year's goals, eixos written as the template's dropdown does ("1. Nome")."""
    out = []
    for i in range(12):
        e = MARINGA.eixos[i // 2]
        out.append(
            {
                "Código": f"{e.numero}.{i % 2 + 1}",
                "Eixo": e.rotulo,
                "Ação": f"Ação {i + 1} de {e.curto} em Maringá",
                "Meta": f"Meta {i + 1}",
                "Ano": ano,
                "Situação": _SITUACOES[i],
            }
        )
    return out


def planilha(
    plano: Plano | None = MARINGA,
    ano: int = 2026,
    linhas: list[dict] | None = None,
    plano_celulas: dict[str, object] | None = None,
) -> bytes:
    """The template of ``plano`` (None: the blank template, its Plano sheet unfilled) with the
    year's goals in Metas; the sheets a municipality does not fill removed. ``plano_celulas``
    overwrites cells of the Plano sheet ({"B6": "4115201"})."""
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx_bytes(plano)))
    ws = wb["Metas"]
    cabecalho = [c.value for c in ws[1]]
    for linha in linhas if linhas is not None else metas(ano):
        ws.append([linha.get(h) for h in cabecalho])
    for aba in ("Conferências", "Indicadores", "Deliberações", "Listas"):
        del wb[aba]
    for celula, valor in (plano_celulas or {}).items():
        wb["Plano"][celula] = valor
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sem_aba_plano(ano: int = 2026) -> bytes:
    """The same goals in a workbook without a Plano sheet."""
    data = planilha(MARINGA, ano)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    del wb["Plano"]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def renomeado() -> Plano:
    """Maringá's plan with eixo 6 renamed (a Plano sheet that differs from the stored plan)."""
    eixos = list(MARINGA.eixos)
    eixos[5] = replace(eixos[5], nome="Vigilância Socioassistencial e Monitoramento")
    return replace(MARINGA, eixos=tuple(eixos))
