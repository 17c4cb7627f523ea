"""Canonical frame → checked frame and findings.

Maps eixo and Situação to the plan's and the canonical values, derives a blank Situação from the
numbers, and reports what blocks the import (``erro``) and what does not (``aviso``).
"""

from __future__ import annotations

import pandas as pd

from pmas import metrics, schema
from pmas.findings import Finding, finding
from pmas.fmt import pct
from pmas.normalize import Normalized
from pmas.plano import Plano
from pmas.text import key


def _first_label(norm: Normalized, canonical: str) -> str:
    for written, name in norm.mapped.items():
        if name == canonical:
            return written
    return norm.table.column(canonical).label if canonical in norm.table.names else canonical


def _years(frame: pd.DataFrame, norm: Normalized, plano: Plano | None, findings: list[Finding],
           check_plan: bool) -> None:
    if frame["ano"].isna().any():
        findings.append(finding("ano_ausente", aba=norm.sheet))
        return
    if check_plan and plano is not None:
        for ano, group in frame.groupby("ano", sort=True):
            if not plano.ano_inicio <= int(ano) <= plano.ano_fim:
                findings.append(finding("ano_fora_do_plano", aba=norm.sheet,
                                        linha=int(group["_linha"].iloc[0]),
                                        coluna=_first_label(norm, "ano"), ano=int(ano),
                                        plano=plano.nome, inicio=plano.ano_inicio,
                                        fim=plano.ano_fim))


def check_metas(norm: Normalized, plano: Plano) -> tuple[pd.DataFrame, list[Finding]]:
    f = norm.frame.copy()
    findings: list[Finding] = []
    sheet = norm.sheet
    _years(f, norm, plano, findings, check_plan=True)

    # Eixo
    eixo_label = _first_label(norm, "eixo")
    cache = {v: plano.match_eixo(v) for v in f["eixo"].dropna().unique()}
    numero, nome = [], []
    for linha, v in zip(f["_linha"].tolist(), f["eixo"].tolist()):
        if v is None or (isinstance(v, float) and pd.isna(v)):
            findings.append(finding("eixo_ausente", aba=sheet, linha=int(linha), coluna=eixo_label))
            numero.append(None)
            nome.append(None)
            continue
        e = cache[v]
        if e is None:
            findings.append(finding("eixo_desconhecido", aba=sheet, linha=int(linha),
                                    coluna=eixo_label, valor=str(v)[:80],
                                    eixos="; ".join(x.rotulo for x in plano.eixos)))
            numero.append(None)
            nome.append(str(v))
        else:
            numero.append(e.numero)
            nome.append(e.nome)
    f["eixo_numero"] = pd.array(numero, dtype="Int64")
    f["eixo"] = nome

    # Ação or meta
    missing = f["acao"].isna() & f["meta"].isna()
    for linha in f.loc[missing, "_linha"]:
        findings.append(finding("acao_ausente", aba=sheet, linha=int(linha)))

    # Sentido
    sentidos = {v: schema.canonical_sentido(v) for v in f["sentido"].dropna().unique()}
    f["sentido"] = [sentidos.get(v) if _present(v) else None for v in f["sentido"].tolist()]

    # Situação: typed → canonical; blank → derived from the numbers.
    ratio = metrics.execution_ratio(f)
    status_label = _first_label(norm, "situacao")
    typed = f["situacao"]
    canon_cache = {v: schema.canonical_status(v) for v in typed.dropna().unique()}
    situacao, derivada = [], []
    allowed = ", ".join(schema.STATUS_ORDER)
    for linha, v, r in zip(f["_linha"].tolist(), typed.tolist(), ratio.tolist()):
        linha = int(linha)
        if v is None or (isinstance(v, float) and pd.isna(v)):
            d = metrics.derive_status(r)
            if d is None:
                findings.append(finding("situacao_ausente", aba=sheet, linha=linha,
                                        coluna=status_label))
            else:
                findings.append(finding("situacao_derivada", aba=sheet, linha=linha,
                                        coluna=status_label, situacao=d, percentual=pct(100 * r)))
            situacao.append(d)
            derivada.append(d is not None)
            continue
        c = canon_cache[v]
        if c is None:
            findings.append(finding("situacao_desconhecida", aba=sheet, linha=linha,
                                    coluna=status_label, valor=str(v)[:60], situacoes=allowed))
        elif metrics.contradicts(c, r):
            findings.append(finding("situacao_contradiz", aba=sheet, linha=linha,
                                    coluna=status_label, valor=str(v), percentual=pct(100 * r)))
        situacao.append(c)
        derivada.append(False)
    f["situacao_informada"] = typed
    f["situacao"] = situacao
    f["situacao_derivada"] = derivada

    # Negative numbers where only counts make sense
    for col in ("previsto", "realizado", "valor_previsto", "valor_executado"):
        neg = pd.to_numeric(f[col], errors="coerce") < 0
        for linha, v in zip(f.loc[neg, "_linha"], f.loc[neg, col]):
            findings.append(finding("valor_negativo", aba=sheet, linha=int(linha),
                                    coluna=_first_label(norm, col), valor=v))

    _duplicates(f, norm, findings)
    return f, findings


def goal_key(frame: pd.DataFrame) -> pd.Series:
    """How a goal is told apart: its código, or else its normalised ação and meta text."""
    keys = []
    for code, acao, meta in zip(frame["codigo"].tolist(), frame["acao"].tolist(),
                                frame["meta"].tolist()):
        c = key(code) if _present(code) else ""
        keys.append("c:" + c if c else f"t:{key(acao) if _present(acao) else ''}|"
                                        f"{key(meta) if _present(meta) else ''}")
    return pd.Series(keys, index=frame.index, dtype="object")


def _present(v: object) -> bool:
    return v is not None and not (isinstance(v, float) and pd.isna(v))


def _duplicates(f: pd.DataFrame, norm: Normalized, findings: list[Finding]) -> None:
    if f.empty or f["ano"].isna().any():
        return
    k = goal_key(f)
    dup = pd.Series(list(zip(f["ano"].tolist(), k.tolist())), index=f.index).duplicated(
        keep=False)
    dup &= f["acao"].notna() | f["meta"].notna() | f["codigo"].notna()
    if not dup.any():
        return
    d = f[dup].assign(_k=k[dup])
    for (ano, gk), group in d.groupby(["ano", "_k"], sort=False):
        if len(group) < 2:
            continue
        linhas = ", ".join(str(int(x)) for x in group["_linha"])
        if gk.startswith("c:"):
            findings.append(finding("codigo_duplicado", aba=norm.sheet,
                                    linha=int(group["_linha"].iloc[1]),
                                    coluna=_first_label(norm, "codigo"),
                                    valor=str(group["codigo"].iloc[0]), ano=int(ano),
                                    linhas=linhas))
        else:
            findings.append(finding("meta_duplicada", aba=norm.sheet,
                                    linha=int(group["_linha"].iloc[1]), ano=int(ano),
                                    linhas=linhas))


def check_conferencias(norm: Normalized, plano: Plano | None) -> tuple[pd.DataFrame, list[Finding]]:
    f = norm.frame.copy()
    findings: list[Finding] = []
    _years(f, norm, plano, findings, check_plan=False)
    tipos, segs = [], []
    tipo_label, seg_label = _first_label(norm, "tipo_evento"), _first_label(norm, "segmento")
    for linha, t, s in zip(f["_linha"].tolist(), f["tipo_evento"].tolist(),
                           f["segmento"].tolist()):
        ct = schema.canonical_event_type(t) if t is not None else None
        if ct is None:
            findings.append(finding("tipo_evento_desconhecido", aba=norm.sheet, linha=int(linha),
                                    coluna=tipo_label, valor=t if t is not None else "(vazio)"))
        cs = schema.TOTAL if s is None else schema.canonical_segment(s)
        if cs is None:
            findings.append(finding("segmento_desconhecido", aba=norm.sheet, linha=int(linha),
                                    coluna=seg_label, valor=s,
                                    segmentos=", ".join((*schema.SEGMENTS, schema.TOTAL))))
        tipos.append(ct)
        segs.append(cs)
    f["tipo_evento"] = tipos
    f["segmento"] = segs
    for col in ("participantes", "delegados"):
        neg = pd.to_numeric(f[col], errors="coerce") < 0
        for linha, v in zip(f.loc[neg, "_linha"], f.loc[neg, col]):
            findings.append(finding("valor_negativo", aba=norm.sheet, linha=int(linha),
                                    coluna=_first_label(norm, col), valor=v))
    return f, findings


def check_indicadores(norm: Normalized, plano: Plano | None) -> tuple[pd.DataFrame, list[Finding]]:
    f = norm.frame.copy()
    findings: list[Finding] = []
    _years(f, norm, plano, findings, check_plan=False)
    for linha in f.loc[f["indicador"].isna(), "_linha"]:
        findings.append(finding("indicador_ausente", aba=norm.sheet, linha=int(linha)))
    mes = pd.to_numeric(f["mes"], errors="coerce")
    bad = mes.notna() & ~mes.between(1, 12)
    for linha, v in zip(f.loc[bad, "_linha"], f.loc[bad, "mes"]):
        findings.append(finding("mes_invalido", aba=norm.sheet, linha=int(linha),
                                coluna=_first_label(norm, "mes"), valor=v))
    return f, findings


CHECKS = {"metas": check_metas, "conferencias": check_conferencias,
          "indicadores": check_indicadores}


def check(norm: Normalized, plano: Plano) -> tuple[pd.DataFrame, list[Finding]]:
    if norm.frame.empty:
        return norm.frame, []
    return CHECKS[norm.table.name](norm, plano)
