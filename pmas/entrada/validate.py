"""Canonical frame → checked frame and findings.

Maps eixo and Situação to the plan's and the canonical values, derives a blank Situação from the
numbers, and reports what blocks the import (``erro``) and what does not (``aviso``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import pandas as pd

from pmas import textos
from pmas.analise import deliberacoes as delib
from pmas.analise import metrics
from pmas.dados import schema
from pmas.dados.plano import Plano
from pmas.entrada.findings import Finding, finding
from pmas.entrada.mapa import IGNORAR, Mapa
from pmas.entrada.normalize import Normalized
from pmas.fmt import numero, pct
from pmas.text import key


def _first_label(norm: Normalized, canonical: str) -> str:
    for written, name in norm.mapped.items():
        if name == canonical:
            return written
    return norm.table.column(canonical).label if canonical in norm.table.names else canonical


def _years(
    frame: pd.DataFrame,
    norm: Normalized,
    plano: Plano | None,
    findings: list[Finding],
    check_plan: bool,
) -> None:
    if frame["ano"].isna().any():
        findings.append(finding("ano_ausente", aba=norm.sheet))
        return
    if check_plan and plano is not None:
        for ano, group in frame[["ano", "_linha"]].groupby("ano", sort=True):
            if not plano.ano_inicio <= int(ano) <= plano.ano_fim:
                findings.append(
                    finding(
                        "ano_fora_do_plano",
                        aba=norm.sheet,
                        linha=int(group["_linha"].iloc[0]),
                        coluna=_first_label(norm, "ano"),
                        ano=int(ano),
                        plano=plano.nome,
                        inicio=plano.ano_inicio,
                        fim=plano.ano_fim,
                    )
                )


def check_metas(
    norm: Normalized, plano: Plano, mapa: Mapa | None = None
) -> tuple[pd.DataFrame, list[Finding]]:
    f = norm.frame.copy(deep=False)  # copy-on-write: the normalised frame is left as it is
    findings: list[Finding] = []
    sheet = norm.sheet
    _years(f, norm, plano, findings, check_plan=True)
    linhas = f["_linha"].tolist()
    written = set(norm.mapped.values())

    # Eixo: each distinct value matched once; only the rows with a problem are visited one by one.
    eixo_label = _first_label(norm, "eixo")
    values = f["eixo"].tolist()
    cache = {v: plano.match_eixo(v) for v in f["eixo"].dropna().unique()}
    numeros = {v: e.numero for v, e in cache.items() if e is not None}
    nomes = {v: str(v) if e is None else e.nome for v, e in cache.items()}
    problem = [i for i, v in enumerate(values) if v not in numeros]
    if problem:
        eixos = "; ".join(x.rotulo for x in plano.eixos)
        for i in problem:
            v = values[i]
            if v is None or (isinstance(v, float) and pd.isna(v)):
                findings.append(
                    finding("eixo_ausente", aba=sheet, linha=int(linhas[i]), coluna=eixo_label)
                )
            else:
                findings.append(
                    finding(
                        "eixo_desconhecido",
                        aba=sheet,
                        linha=int(linhas[i]),
                        coluna=eixo_label,
                        valor=str(v)[:80],
                        eixos=eixos,
                    )
                )
    # An eixo written only by number: the plan's eixo of that number, said with its name.
    for v, e in cache.items():
        if e is not None and plano.so_numero(v):
            findings.append(
                finding(
                    "eixo_por_numero",
                    aba=sheet,
                    linha=int(linhas[values.index(v)]),
                    coluna=eixo_label,
                    valor=str(v)[:80],
                    numero=e.numero,
                    nome=e.nome,
                    plano=plano.nome,
                    municipio=plano.municipio,
                )
            )
    f["eixo_numero"] = pd.array([numeros.get(v) for v in values], dtype="Int64")
    f["eixo"] = [nomes.get(v) for v in values]

    # Ação or meta (or, for goals named by an indicator, the indicator)
    if not ({"acao", "meta"} & written) and "indicador" in written and f["indicador"].notna().any():
        f["meta"] = f["indicador"]
        findings.append(
            finding(
                "indicador_como_meta",
                aba=sheet,
                linha=norm.header_row,
                coluna=_first_label(norm, "indicador"),
            )
        )
    missing = f["acao"].isna() & f["meta"].isna() & f["indicador"].isna()
    for linha in f.loc[missing, "_linha"]:
        findings.append(finding("acao_ausente", aba=sheet, linha=int(linha)))

    # Sentido (polarity): every reduction goal and every unrecognised direction is reported.
    raw_sentido = f["sentido"].tolist()
    sentidos = {v: schema.canonical_sentido(v) for v in f["sentido"].dropna().unique()}
    f["sentido"] = [sentidos.get(v) for v in raw_sentido]  # missing: not a key
    sentido_label = _first_label(norm, "sentido")
    unknown: dict[object, list[int]] = {}
    reducing: list[int] = []
    for v, linha in zip(raw_sentido, linhas):
        if v is None or (isinstance(v, float) and pd.isna(v)):
            continue
        c = sentidos.get(v)
        if c is None:
            unknown.setdefault(v, []).append(int(linha))
        elif c == schema.REDUZIR:
            reducing.append(int(linha))
    if reducing:
        findings.append(
            finding(
                "sentido_reducao",
                aba=sheet,
                coluna=sentido_label,
                n_linhas=textos.plural(len(reducing), "meta", "metas"),
                linhas=_rows_text(reducing),
            )
        )
    for v, rows in unknown.items():
        findings.append(
            finding(
                "sentido_desconhecido",
                aba=sheet,
                linha=rows[0],
                coluna=sentido_label,
                valor=str(v)[:60],
                n_linhas=textos.plural(len(rows), "linha", "linhas"),
                linhas=_rows_text(rows),
            )
        )

    # A goal whose text says it reduces something but whose direction is not given counts as an
    # increase until the user confirms it (DOMAIN.md): said, never applied silently. The answer
    # is part of the mapping saved with the plan (goal text → sim/nao).
    texto = f["acao"].where(f["acao"].notna(), f["meta"]).tolist()
    sem_sentido: list[int] = []
    pendentes: list[str] = []
    answered: dict[bool, list[int]] = {True: [], False: []}
    sentido_now = f["sentido"].tolist()
    previstos0 = pd.to_numeric(f["previsto"], errors="coerce").notna().tolist()
    for i, (t, s_, tem_numeros, linha) in enumerate(zip(texto, sentido_now, previstos0, linhas)):
        if s_ is None and tem_numeros and type(t) is str and _REDUCE.match(t):
            answer = mapa.reducao_de(t) if mapa else None
            if answer is None:
                sem_sentido.append(int(linha))
                if t not in pendentes:
                    pendentes.append(t)
            else:
                answered[answer].append(int(linha))
                if answer:
                    sentido_now[i] = schema.REDUZIR
    norm.reducoes_pendentes = pendentes
    if answered[True]:
        f["sentido"] = sentido_now
    for answer, rows in answered.items():
        if rows:
            findings.append(
                finding(
                    "sentido_confirmado" if answer else "sentido_recusado",
                    aba=sheet,
                    linha=rows[0],
                    n_linhas=textos.plural(len(rows), "meta", "metas"),
                    linhas=_rows_text(rows),
                )
            )
    if sem_sentido:
        findings.append(
            finding(
                "sentido_sugerido",
                aba=sheet,
                linha=sem_sentido[0],
                n_linhas=textos.plural(len(sem_sentido), "meta", "metas"),
                linhas=_rows_text(sem_sentido),
            )
        )

    # A target for the whole plan (quadriênio, cumulative) never stands in for the year's.
    if "meta_plano" in written and f["meta_plano"].notna().any():
        yearly = "previsto" in written and f["previsto"].notna().any()
        findings.append(
            finding(
                "meta_plano",
                aba=sheet,
                linha=norm.header_row,
                coluna=_first_label(norm, "meta_plano"),
                sem_previsto="" if yearly else textos.META_PLANO_SEM_PREVISTO,
            )
        )

    # Situação: typed → canonical (the user's mapping first, then a percentage typed as the
    # status, then the word families); blank → derived from the numbers (a target of 0 means
    # not planned that year). Only rows that are blank, unknown or have numbers to contradict
    # them are visited one by one.
    status_label = _first_label(norm, "situacao")
    typed = f["situacao"]
    values = typed.tolist()
    canon_cache: dict[object, str | None] = {}
    percent_of: dict[object, float] = {}
    by_value: dict[object, list[int]] = {}
    contradicted: dict[object, str] = {}  # "0% realizada": the status its words alone mean
    for v in typed.dropna().unique():
        taught = mapa.situacao(v) if mapa else None
        if taught is not None:
            canon_cache[v] = None if taught == IGNORAR else taught
            by_value[v] = []
            continue
        p = typed_percent(v)
        if p is None:
            worded = percent_with_words(v)
            if worded is not None:
                p, words_status = worded
                if percent_contradicts(words_status, p):
                    contradicted[v] = words_status
        if p is not None:
            percent_of[v] = p
            canon_cache[v] = metrics.derive_status(p / 100.0)
            continue
        c = schema.canonical_status(v)
        canon_cache[v] = c
        if c is not None and key(v) != key(c):
            by_value[v] = []
    if percent_of:
        pct_col = pd.to_numeric(f["percentual"], errors="coerce").tolist()
        filled_pct = False
        for i, v in enumerate(values):
            p = percent_of.get(v) if type(v) is str else None
            if p is None:
                continue
            findings.append(
                finding(
                    "situacao_percentual",
                    aba=sheet,
                    linha=int(linhas[i]),
                    coluna=status_label,
                    valor=str(v),
                    situacao=canon_cache[v],
                    percentual=numero(min(p, 100.0) / 100.0, 2),
                )
            )
            if v in contradicted:
                findings.append(
                    finding(
                        "situacao_percentual_contradiz",
                        aba=sheet,
                        linha=int(linhas[i]),
                        coluna=status_label,
                        valor=str(v),
                        palavras=contradicted[v],
                        situacao=canon_cache[v],
                    )
                )
            if pd.isna(pct_col[i]):
                pct_col[i] = p
                filled_pct = True
        if filled_pct:
            f["percentual"] = pct_col
    ratio = metrics.execution_ratio(f)
    ratios = ratio.tolist()
    situacao = [canon_cache.get(v) for v in values]  # None: blank, unknown or ignored
    if by_value:
        for i, v in enumerate(values):
            if v in by_value:
                by_value[v].append(int(linhas[i]))
        for v, rows in by_value.items():
            taught = mapa.situacao(v) if mapa else None
            codigo = (
                "situacao_ignorada_mapa"
                if taught == IGNORAR
                else "situacao_do_mapa"
                if taught
                else "situacao_familia"
            )
            findings.append(
                finding(
                    codigo,
                    aba=sheet,
                    linha=rows[0],
                    coluna=status_label,
                    valor=str(v)[:60],
                    situacao=canon_cache[v] or "",
                    n_linhas=textos.plural(len(rows), "linha", "linhas"),
                    linhas=_rows_text(rows),
                )
            )
    ignored = {v for v in by_value if mapa and mapa.situacao(v) == IGNORAR}
    derivada = [False] * len(values)
    allowed = ", ".join(schema.STATUS_ORDER)
    previstos = pd.to_numeric(f["previsto"], errors="coerce").tolist()
    realizados = pd.to_numeric(f["realizado"], errors="coerce").tolist()
    sentido_list = f["sentido"].tolist()
    unknown_status: list[str] = []
    # The rows the loop below has something to do for: no status; or numbers beside a status
    # that is ignored or that they contradict (tested for all rows at once; the loop says so).
    numbers = ratio.to_numpy(dtype="float64", na_value=np.nan)
    act = metrics.contradictions(situacao, numbers)
    if ignored:
        act |= np.fromiter((v in ignored for v in values), bool, len(values))
    act &= ~np.isnan(numbers)
    act |= np.fromiter((c is None for c in situacao), bool, len(situacao))
    visit = np.flatnonzero(act)
    for i in visit.tolist():
        v, r, linha = values[i], ratios[i], int(linhas[i])
        if v is None or (isinstance(v, float) and pd.isna(v)) or v in ignored:
            if previstos[i] == 0 and sentido_list[i] != schema.REDUZIR:
                real = realizados[i]
                findings.append(
                    finding(
                        "previsto_zero",
                        aba=sheet,
                        linha=linha,
                        coluna=_first_label(norm, "previsto"),
                        ano=_year_text(f["ano"].iat[i]),
                        realizado=""
                        if pd.isna(real) or real == 0
                        else textos.PREVISTO_ZERO_REALIZADO.format(
                            realizado=numero(real, 2 if real % 1 else 0)
                        ),
                    )
                )
                situacao[i] = schema.NAO_SE_APLICA
                derivada[i] = True
                continue
            d = metrics.derive_status(r)
            if d is None:
                findings.append(
                    finding("situacao_ausente", aba=sheet, linha=linha, coluna=status_label)
                )
            else:
                findings.append(
                    finding(
                        "situacao_derivada",
                        aba=sheet,
                        linha=linha,
                        coluna=status_label,
                        situacao=d,
                        percentual=pct(100 * r),
                    )
                )
            situacao[i] = d
            derivada[i] = d is not None
            continue
        c = situacao[i]
        if c is None:
            if str(v) not in unknown_status:
                unknown_status.append(str(v))
            findings.append(
                finding(
                    "situacao_desconhecida",
                    aba=sheet,
                    linha=linha,
                    coluna=status_label,
                    valor=str(v)[:60],
                    situacoes=allowed,
                )
            )
        elif v not in percent_of and metrics.contradicts(c, r):
            findings.append(
                finding(
                    "situacao_contradiz",
                    aba=sheet,
                    linha=linha,
                    coluna=status_label,
                    valor=str(v),
                    percentual=pct(100 * r),
                )
            )
    norm.situacoes_desconhecidas = unknown_status
    f["situacao_informada"] = typed
    f["situacao"] = situacao
    f["situacao_derivada"] = derivada

    # Negative numbers where only counts make sense
    for col in ("previsto", "realizado", "valor_previsto", "valor_executado"):
        neg = pd.to_numeric(f[col], errors="coerce") < 0
        for linha, v in zip(f.loc[neg, "_linha"], f.loc[neg, col]):
            findings.append(
                finding(
                    "valor_negativo",
                    aba=sheet,
                    linha=int(linha),
                    coluna=_first_label(norm, col),
                    valor=v,
                )
            )

    _duplicates(f, norm, findings)
    return f, findings


def goal_key(frame: pd.DataFrame) -> pd.Series:
    """How a goal is told apart: its código, or else its normalised ação and meta text."""
    cache: dict[str, str] = {}
    codes = _keys(frame["codigo"], cache)
    if all(codes):
        keys = ["c:" + c for c in codes]
    else:
        keys = [
            ("c:" + c) if c else f"t:{acao}|{meta}"
            for c, acao, meta in zip(
                codes, _keys(frame["acao"], cache), _keys(frame["meta"], cache)
            )
        ]
    return pd.Series(keys, index=frame.index, dtype="object")


def _keys(column: pd.Series, cache: dict[str, str]) -> list[str]:
    """:func:`_key` of each value; a text column is factorised so each distinct text is keyed
    once. (Only with NaN for missing: a pd.NA is a present value to :func:`_present`.)"""
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.na_value is not pd.NA:
        codes, uniques = pd.factorize(column)
        table = np.array([_key(u, cache) for u in uniques] + [""], dtype=object)  # -1: missing
        return table[codes].tolist()
    return [_key(v, cache) for v in column.tolist()]


def _key(v: object, cache: dict[str, str]) -> str:
    """:func:`key` of a present value, "" for a missing one; a text already seen is not keyed
    again."""
    if type(v) is str:
        k = cache.get(v)
        if k is None:
            k = cache[v] = key(v)
        return k
    return key(v) if _present(v) else ""


def _present(v: object) -> bool:
    return v is not None and not (isinstance(v, float) and pd.isna(v))


def _goal_ids(frame: pd.DataFrame) -> np.ndarray:
    """One integer per row, the same for two rows exactly when :func:`goal_key` gives them the
    same key; the keys are made once per distinct text, not once per row."""
    cache: dict[str, str] = {}
    code, no_code = _key_ids(frame["codigo"], cache)
    has_code = code != no_code
    if has_code.all():
        return code
    acao, _ = _key_ids(frame["acao"], cache)
    meta, _ = _key_ids(frame["meta"], cache)
    # (A key holds only letters, digits and spaces, so ação and meta pair up unambiguously.)
    text = acao * (int(meta.max()) + 1) + meta + int(code.max()) + 1
    return np.where(has_code, code, text)


def _key_ids(column: pd.Series, cache: dict[str, str]) -> tuple[np.ndarray, int]:
    """The number of each row's :func:`_key` (equal keys, equal numbers), and the number of the
    empty key (a missing value)."""
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.na_value is not pd.NA:
        codes, uniques = pd.factorize(column)
        keys = [_key(u, cache) for u in uniques]
    else:  # values of several types: 1 and 1.0 are one value to factorize, not to key
        codes, uniques = pd.factorize(np.array(_keys(column, cache), dtype=object))
        keys = list(uniques)
    ids, _ = pd.factorize(np.array([*keys, ""], dtype=object))  # -1 (missing) → the last, ""
    return ids[codes].astype(np.int64), int(ids[-1])


def _duplicates(f: pd.DataFrame, norm: Normalized, findings: list[Finding]) -> None:
    if f.empty or f["ano"].isna().any():
        return
    goal = _goal_ids(f)
    anos, _ = pd.factorize(f["ano"])
    same = pd.Series(anos.astype(np.int64) * (int(goal.max()) + 1) + goal)
    dup = (
        same.duplicated(keep=False).to_numpy()
        & (f["acao"].notna() | f["meta"].notna() | f["codigo"].notna()).to_numpy()
    )
    if not dup.any():
        return
    d = f[dup]
    d = d.assign(_k=goal_key(d))
    for (ano, gk), group in d.groupby(["ano", "_k"], sort=False):
        if len(group) < 2:
            continue
        linhas = ", ".join(str(int(x)) for x in group["_linha"])
        if gk.startswith("c:"):
            findings.append(
                finding(
                    "codigo_duplicado",
                    aba=norm.sheet,
                    linha=int(group["_linha"].iloc[1]),
                    coluna=_first_label(norm, "codigo"),
                    valor=str(group["codigo"].iloc[0]),
                    ano=int(ano),
                    linhas=linhas,
                )
            )
        else:
            findings.append(
                finding(
                    "meta_duplicada",
                    aba=norm.sheet,
                    linha=int(group["_linha"].iloc[1]),
                    ano=int(ano),
                    linhas=linhas,
                )
            )


def check_conferencias(norm: Normalized, plano: Plano | None) -> tuple[pd.DataFrame, list[Finding]]:
    f = norm.frame.copy()
    findings: list[Finding] = []
    _years(f, norm, plano, findings, check_plan=False)
    tipos, segs = [], []
    tipo_label, seg_label = _first_label(norm, "tipo_evento"), _first_label(norm, "segmento")
    for linha, t, s in zip(f["_linha"].tolist(), f["tipo_evento"].tolist(), f["segmento"].tolist()):
        ct = schema.canonical_event_type(t) if t is not None else None
        if ct is None:
            findings.append(
                finding(
                    "tipo_evento_desconhecido",
                    aba=norm.sheet,
                    linha=int(linha),
                    coluna=tipo_label,
                    valor=t if t is not None else "(vazio)",
                )
            )
        cs = schema.TOTAL if s is None else schema.canonical_segment(s)
        if cs is None:
            findings.append(
                finding(
                    "segmento_desconhecido",
                    aba=norm.sheet,
                    linha=int(linha),
                    coluna=seg_label,
                    valor=s,
                    segmentos=", ".join((*schema.SEGMENTS, schema.TOTAL)),
                )
            )
        tipos.append(ct)
        segs.append(cs)
    f["tipo_evento"] = tipos
    f["segmento"] = segs
    for col in ("participantes", "delegados"):
        neg = pd.to_numeric(f[col], errors="coerce") < 0
        for linha, v in zip(f.loc[neg, "_linha"], f.loc[neg, col]):
            findings.append(
                finding(
                    "valor_negativo",
                    aba=norm.sheet,
                    linha=int(linha),
                    coluna=_first_label(norm, col),
                    valor=v,
                )
            )
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
        findings.append(
            finding(
                "mes_invalido",
                aba=norm.sheet,
                linha=int(linha),
                coluna=_first_label(norm, "mes"),
                valor=v,
            )
        )
    return f, findings


def check_deliberacoes(norm: Normalized, plano: Plano | None) -> tuple[pd.DataFrame, list[Finding]]:
    """Edition, number, âmbito and linked códigos of each deliberation.

    The edition is the conference's year, never a year of the plan: when no column gives it, the
    year taken (sheet name, title or import form) is said. A blank number is given the row's
    place in its edition, a blank âmbito is Municipal, and both are said; an unknown âmbito or a
    number repeated within an edition blocks the import."""
    f = norm.frame.copy()
    findings: list[Finding] = []
    sheet = norm.sheet
    _years(f, norm, plano, findings, check_plan=False)
    if f["ano"].isna().any():
        return f, findings
    if "ano" not in norm.mapped.values():
        for ano in sorted({int(a) for a in f["ano"]}):
            findings.append(finding("edicao_presumida", aba=sheet, ano=ano))
    for linha in f.loc[f["texto"].isna(), "_linha"]:
        findings.append(
            finding(
                "deliberacao_sem_texto",
                aba=sheet,
                linha=int(linha),
                coluna=_first_label(norm, "texto"),
            )
        )
    # Âmbito
    amb_label = _first_label(norm, "ambito")
    ambitos: list[str | None] = []
    for linha, v in zip(f["_linha"].tolist(), f["ambito"].tolist()):
        if not _present(v):
            ambitos.append(schema.MUNICIPAL)
            findings.append(finding("ambito_presumido", aba=sheet, linha=int(linha)))
            continue
        c = schema.canonical_ambito(v)
        if c is None:
            findings.append(
                finding(
                    "ambito_desconhecido",
                    aba=sheet,
                    linha=int(linha),
                    coluna=amb_label,
                    valor=str(v)[:60],
                    ambitos=", ".join(schema.AMBITOS),
                )
            )
        ambitos.append(c)
    f["ambito"] = ambitos
    # Number: blank → its place in the edition; repeated in an edition → error.
    num_label = _first_label(norm, "numero")
    numeros = [str(v).strip() if _present(v) else None for v in f["numero"].tolist()]
    seen: dict[tuple[int, str], int] = {}
    position: dict[int, int] = {}
    for i, (linha, ano) in enumerate(zip(f["_linha"].tolist(), f["ano"].tolist())):
        position[int(ano)] = position.get(int(ano), 0) + 1
        if numeros[i] is None:
            numeros[i] = str(position[int(ano)])
            findings.append(
                finding("numero_atribuido", aba=sheet, linha=int(linha), numero=numeros[i])
            )
        k = (int(ano), key(numeros[i]))
        if k in seen:
            findings.append(
                finding(
                    "deliberacao_duplicada",
                    aba=sheet,
                    linha=int(linha),
                    coluna=num_label,
                    valor=numeros[i],
                    ano=int(ano),
                    primeira=seen[k],
                )
            )
        else:
            seen[k] = int(linha)
    f["numero"] = numeros
    # Linked códigos, written one way: "1.2.1; 2.3.4".
    f["metas"] = [delib.join_codes(delib.split_codes(v)) for v in f["metas"].tolist()]
    return f, findings


def check_links(
    frame: pd.DataFrame, known: set[str], sheet_label: str = "Metas do PMAS"
) -> list[Finding]:
    """A warning for each linked código that no goal of the municipality has (``known`` holds
    code keys: the file's goals and the stored ones)."""
    findings = []
    for r in frame.to_dict("records"):
        for c in delib.split_codes(r.get("metas")):
            if delib.code_key(c) not in known:
                findings.append(
                    finding(
                        "meta_inexistente",
                        aba=r.get("_aba"),
                        linha=int(r["_linha"]) if _present(r.get("_linha")) else None,
                        coluna=sheet_label,
                        meta=c,
                        numero=r.get("numero"),
                        ano=int(r["ano"]),
                    )
                )
    return findings


CHECKS: dict[str, Callable[..., tuple[pd.DataFrame, list[Finding]]]] = {
    "metas": check_metas,
    "conferencias": check_conferencias,
    "indicadores": check_indicadores,
    "deliberacoes": check_deliberacoes,
}


def check(
    norm: Normalized, plano: Plano, mapa: Mapa | None = None
) -> tuple[pd.DataFrame, list[Finding]]:
    if norm.frame.empty:
        return norm.frame, []
    if norm.table.name == "metas":
        return check_metas(norm, plano, mapa)
    return CHECKS[norm.table.name](norm, plano)


# "60%", "100 %", "45,5%": a percentage typed as the status. A bare number is one only when it
# came from a number cell ("0.6" from a cell formatted as a percentage, "60").
_PERCENT = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*%\s*$")
_BARE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*$")


def typed_percent(v: object) -> float | None:
    """The execution a Situação cell states as a percentage (60.0 for "60%"), or None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        x = float(v)
        return None if x != x or x < 0 else (x * 100.0 if x <= 1.0 else x if x <= 1000 else None)
    if not isinstance(v, str):
        return None
    m = _PERCENT.match(v)
    if m:
        return float(m.group(1).replace(",", "."))
    m = _BARE.match(v)
    if m:
        x = float(m.group(1))
        return x * 100.0 if x <= 1.0 else x if x <= 1000 else None
    return None


# "100% executada", "Executada 100%", "Realizada - 60%", "60% da meta alcançada": one percentage
# beside words that all belong to the status families (DOMAIN.md). The number is the execution.
_PERCENT_IN_WORDS = re.compile(
    r"^\s*([^0-9%]{0,60}?)[\s(:–—-]*([0-9]{1,4}(?:[.,][0-9]+)?)\s*%[\s):–—-]*([^0-9%]{0,60})$"
)


def percent_with_words(v: object) -> tuple[float, str] | None:
    """(percentage, the status its words mean) for a Situação such as "60% realizada" or
    "Executada 100%", or None (no percentage, or a word outside the status families)."""
    if type(v) is not str:
        return None
    m = _PERCENT_IN_WORDS.match(v)
    if m is None:
        return None
    words = f"{m.group(1)} {m.group(3)}".strip()
    if not words:
        return None
    status = schema.canonical_status(words)
    if status is None:
        return None
    return float(m.group(2).replace(",", ".")), status


def percent_contradicts(words_status: str, p: float) -> bool:
    """Whether the words beside a typed percentage say something its number does not: "0%
    realizada", "100% parcialmente executada", "30% não iniciada". "60% realizada" is not a
    contradiction: it reads "60% executed"."""
    if words_status == schema.REALIZADA:
        return p == 0
    if words_status in (schema.PARCIAL, schema.EM_ANDAMENTO):
        return p == 0 or p >= 100
    if words_status in (schema.NAO_REALIZADA, schema.NAO_INICIADA):
        return p > 0
    return True  # Cancelada / Não se aplica beside a percentage: the number decides


_REDUCE = re.compile(
    r"^\s*(reduzir|diminuir|redu[cç][aã]o|diminui[cç][aã]o|zerar|eliminar)\b", re.IGNORECASE
)


def _rows_text(rows: list[int], limit: int = 20) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f" {textos.E_MAIS.format(n=len(rows) - limit)}" if len(rows) > limit else "")


def _year_text(v: object) -> str:
    return "o ano" if v is None or (isinstance(v, float) and pd.isna(v)) else str(int(cast(Any, v)))
