"""The eixos a spreadsheet is written with, proposed as a plan's eixos (the Plano screen and
``python -m pmas plano criar --eixos-da-planilha``): in the order they first appear, with the
number and the name as written; the manager corrects and confirms them."""

from __future__ import annotations

import re

from pmas.dados.plano import _ROMAN, Eixo
from pmas.entrada.findings import Rejected, has_errors
from pmas.entrada.normalize import normalize_workbook
from pmas.entrada.reader import read
from pmas.text import key
from pmas.textos import EIXOS_PROPOSTOS

# "Eixo 1 – Nome", "EIXO Nº 2: Nome", "III - Nome", "4. Nome", "Eixo 5"
_NUMERADO = re.compile(
    r"^\s*(?:eixo\s*(?:n[º°o]?\.?\s*)?)?([0-9]{1,2}|[ivx]{1,4})(?=\s|[-–—.:)]|$)\s*[-–—.:)]?\s*(.*)$",
    re.IGNORECASE,
)


class _SecoesDeEixo:
    """Stands in for a plan while reading: any single-cell row that starts with "Eixo" is a
    section row naming the eixo of the rows below it."""

    @staticmethod
    def match_eixo(value: object) -> object | None:
        return True if key(value).startswith("eixo ") else None


def propor_eixos(textos: list[str]) -> tuple[Eixo, ...]:
    """Eixos from the texts of an Eixo column, in order of first appearance."""
    por_numero: dict[int, str] = {}
    sem_numero: list[str] = []
    for texto in textos:
        texto = " ".join(str(texto).split())
        if not texto:
            continue
        m = _NUMERADO.match(texto)
        if m:
            token = m.group(1).lower()
            numero = int(token) if token.isdigit() else _ROMAN.get(token)
            nome = m.group(2).strip()
            if numero:
                if len(nome) > len(por_numero.get(numero, "")):
                    por_numero[numero] = nome
                else:
                    por_numero.setdefault(numero, nome)
                continue
        if key(texto) not in {key(t) for t in sem_numero} | {key(n) for n in por_numero.values()}:
            sem_numero.append(texto)
    eixos = [Eixo(n, nome or f"Eixo {n}") for n, nome in sorted(por_numero.items())]
    proximo = max(por_numero, default=0) + 1
    for i, nome in enumerate(sem_numero):
        eixos.append(Eixo(proximo + i, nome))
    return tuple(eixos)


def eixos_da_planilha(data: bytes, filename: str) -> tuple[tuple[Eixo, ...], str | None]:
    """The eixos a workbook's goals are written with; or a Portuguese reason why none were
    found."""
    try:
        raw = read(data, filename)
    except Rejected as exc:
        return (), exc.findings[0].mensagem
    sheets, findings = normalize_workbook(raw, plano=_SecoesDeEixo())
    textos: list[str] = []
    for norm in sheets:
        if norm.table.name == "metas" and "eixo" in norm.frame and not has_errors(norm.findings):
            textos.extend(str(v) for v in norm.frame["eixo"].dropna())
    eixos = propor_eixos(textos)
    if not eixos:
        return (), EIXOS_PROPOSTOS["sem_eixos"].format(arquivo=filename)
    return eixos, None
