"""The workbook's Plano sheet: the plan its goals belong to (municipality, UF, IBGE code, plan
name, first and last year, and a table of eixos), as the template and the exports write it.

Read by labels, not positions: a row whose first filled cell is a known label ("Município",
"Código IBGE", "Primeiro ano"…) gives its value in the next filled cell; the eixo table starts at
the row with the "Número" and "Nome do eixo" headings. Every problem is an ``erro`` finding that
names the cell (B6, A14…), so nothing of a wrong plan is stored.

A sheet is the Plano sheet only by name *and* content ("Plano" is also a usual name for a sheet of
goals): its name is "Plano" (or "Dados do plano") and it has the "Município" and "Nome do plano"
rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from pmas.dados import schema
from pmas.dados.plano import _ROMAN, _UF_CODIGO, UFS, Eixo, Plano, ibge_digito, ibge_valido
from pmas.entrada.findings import Finding, finding, has_errors
from pmas.entrada.reader import RawSheet, RawWorkbook, col_letter
from pmas.text import key
from pmas.textos import ABA_PLANO as T

SHEET_NAMES = schema.PLANO_ABAS
LABEL_ROWS = 30  # the label block is within these rows

# field → accepted labels (compared by key(): no accents, lower case)
_LABELS = schema.PLANO_ROTULOS
_LABEL_OF = {k: campo for campo, names in _LABELS.items() for k in names}
_H_NUMERO = schema.PLANO_EIXO_NUMERO
_H_NOME = schema.PLANO_EIXO_NOME
_H_CURTO = schema.PLANO_EIXO_CURTO
_H_ALIASES = schema.PLANO_EIXO_ALIASES


@dataclass
class AbaPlano:
    """What the Plano sheet says: the plan (None when it has errors), and the findings."""

    aba: str
    plano: Plano | None
    findings: list[Finding] = field(default_factory=list)


def _k(v: object) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]", " ", key(v))).strip()


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.date, dt.datetime)):
        return v.strftime("%d/%m/%Y")
    return " ".join(str(v).split())


def _filled(row: list[object]) -> list[tuple[int, object]]:
    return [(c, v) for c, v in enumerate(row) if _text(v)]


def _labels(sheet: RawSheet) -> dict[str, tuple[int, int, object]]:
    """field → (row index, column index of the value, value) of the label rows."""
    out: dict[str, tuple[int, int, object]] = {}
    for r, row in enumerate(sheet.inicio(LABEL_ROWS)):
        cells = _filled(row)
        if not cells:
            continue
        c, first = cells[0]
        campo = _LABEL_OF.get(_k(first))
        if campo is None or campo in out:
            continue
        value = cells[1] if len(cells) > 1 else (c + 1, None)
        out[campo] = (r, value[0], value[1])
    return out


def is_plan_sheet(sheet: RawSheet) -> bool:
    """True for the Plano sheet (by its name and its label rows)."""
    if _k(sheet.name) not in SHEET_NAMES:
        return False
    found = _labels(sheet)
    return "municipio" in found and "nome" in found


def _cell(r: int, c: int) -> str:
    return f"{col_letter(c)}{r + 1}"


def _year(v: object) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v if 1900 <= v <= 2200 else None
    if isinstance(v, float) and v.is_integer():
        return _year(int(v))
    t = _text(v)
    return _year(int(t)) if re.fullmatch(r"[0-9]{4}", t) else None


def _eixo_number(v: object) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v if v >= 1 else None
    if isinstance(v, float) and v.is_integer():
        return _eixo_number(int(v))
    t = re.sub(r"^eixo\s+", "", key(v)).strip().rstrip(".")
    if t.isdigit():
        return int(t) if int(t) >= 1 else None
    return _ROMAN.get(t)


def _eixo_header(sheet: RawSheet, start: int) -> tuple[int, dict[str, int]] | None:
    """The eixo table's heading row and the column of each of its fields."""
    for r in range(start, len(sheet.rows)):
        cols: dict[str, int] = {}
        for c, v in _filled(sheet.rows[r]):
            k = _k(v)
            for campo, names in (
                ("numero", _H_NUMERO),
                ("nome", _H_NOME),
                ("curto", _H_CURTO),
                ("aliases", _H_ALIASES),
            ):
                if campo not in cols and (k in names or (campo == "aliases" and k in _H_ALIASES)):
                    cols[campo] = c
                    break
            else:
                if k.startswith("outros nomes") and "aliases" not in cols:
                    cols["aliases"] = c
        if "numero" in cols and "nome" in cols:
            return r, cols
    return None


def read_plan_sheet(sheet: RawSheet) -> AbaPlano:
    """The plan a Plano sheet describes, and what is wrong with it (cell by cell)."""
    aba = sheet.name
    found = _labels(sheet)
    out: list[Finding] = []
    valores: dict[str, str] = {}
    for campo in ("municipio", "uf", "ibge", "nome", "inicio", "fim"):
        achado = found.get(campo)
        r = achado[0] if achado else None
        valores[campo] = _text(achado[2]) if achado else ""
        if not valores[campo] and campo != "ibge":
            celula = _cell(achado[0], achado[1]) if achado else "—"
            out.append(
                finding(
                    "plano_campo_vazio",
                    aba=aba,
                    linha=r + 1 if r is not None else None,
                    coluna=T[campo],
                    campo=T["campo_" + campo],
                    rotulo=T[campo],
                    celula=celula,
                )
            )

    def where(campo: str) -> dict:
        r, c, _ = found[campo]
        return {"aba": aba, "linha": r + 1, "coluna": T[campo], "celula": _cell(r, c)}

    uf = valores["uf"].upper()
    if uf and uf not in UFS:
        out.append(finding("plano_uf_invalida", valor=valores["uf"], **where("uf")))
        uf = ""
    ibge = re.sub(r"[\s.\-]", "", valores["ibge"])
    if ibge:
        motivo = None
        if not re.fullmatch(r"[0-9]{7}", ibge):
            motivo = T["ibge_sete_digitos"]
        elif ibge[:2] not in _UF_CODIGO:
            motivo = T["ibge_sem_estado"].format(codigo=ibge[:2])
        elif not ibge_valido(ibge):
            motivo = T["ibge_digito"].format(base=ibge[:6], digito=ibge_digito(ibge[:6]))
        if motivo:
            out.append(
                finding(
                    "plano_ibge_invalido", valor=valores["ibge"], motivo=motivo, **where("ibge")
                )
            )
            ibge = ""
        elif uf and _UF_CODIGO[ibge[:2]] != uf:
            out.append(
                finding(
                    "plano_ibge_outra_uf",
                    valor=ibge,
                    uf=uf,
                    dela=_UF_CODIGO[ibge[:2]],
                    **where("ibge"),
                )
            )
    anos: dict[str, int | None] = {}
    for campo in ("inicio", "fim"):
        if valores[campo]:
            anos[campo] = _year(found[campo][2])
            if anos[campo] is None:
                out.append(
                    finding(
                        "plano_ano_invalido",
                        valor=valores[campo],
                        campo=T["campo_" + campo],
                        **where(campo),
                    )
                )
    inicio, fim = anos.get("inicio"), anos.get("fim")
    if inicio is not None and fim is not None and fim < inicio:
        out.append(finding("plano_periodo_invertido", inicio=inicio, fim=fim, **where("fim")))

    eixos = _read_eixos(sheet, aba, max((r for r, _, _ in found.values()), default=0) + 1, out)
    if has_errors(out) or inicio is None or fim is None:
        return AbaPlano(aba, None, out)
    plano = Plano(
        municipio=valores["municipio"],
        uf=uf,
        ibge=ibge,
        nome=valores["nome"],
        ano_inicio=inicio,
        ano_fim=fim,
        eixos=tuple(eixos),
    )
    return AbaPlano(aba, plano, out)


def _read_eixos(sheet: RawSheet, aba: str, start: int, out: list[Finding]) -> list[Eixo]:
    header = _eixo_header(sheet, start)
    if header is None:
        out.append(finding("plano_sem_eixos", aba=aba))
        return []
    h, cols = header
    titulos = {campo: _text(sheet.rows[h][c]) for campo, c in cols.items()}
    eixos: list[Eixo] = []
    numeros: dict[int, int] = {}  # número → Excel row where it first appears
    nomes: dict[str, int] = {}
    for r in range(h + 1, len(sheet.rows)):
        row = sheet.rows[r]

        def at(campo: str, row=row) -> object:
            c = cols.get(campo)
            return row[c] if c is not None and c < len(row) else None

        if not any(_text(at(campo)) for campo in cols):
            continue
        linha = r + 1
        bruto, nome = at("numero"), _text(at("nome"))
        numero = _eixo_number(bruto)
        if numero is None:
            out.append(
                finding(
                    "plano_eixo_numero",
                    aba=aba,
                    linha=linha,
                    coluna=titulos["numero"],
                    celula=_cell(r, cols["numero"]),
                    valor=_text(bruto) or "(em branco)",
                )
            )
            continue
        if numero in numeros:
            out.append(
                finding(
                    "plano_eixo_repetido",
                    aba=aba,
                    linha=linha,
                    coluna=titulos["numero"],
                    celula=_cell(r, cols["numero"]),
                    numero=numero,
                    primeira=numeros[numero],
                )
            )
            continue
        numeros[numero] = linha
        if not nome:
            out.append(
                finding(
                    "plano_eixo_sem_nome",
                    aba=aba,
                    linha=linha,
                    coluna=titulos["nome"],
                    celula=_cell(r, cols["nome"]),
                    numero=numero,
                )
            )
            continue
        if key(nome) in nomes:
            out.append(
                finding(
                    "plano_eixo_nome_repetido",
                    aba=aba,
                    linha=linha,
                    coluna=titulos["nome"],
                    celula=_cell(r, cols["nome"]),
                    valor=nome,
                    primeira=nomes[key(nome)],
                )
            )
            continue
        nomes[key(nome)] = linha
        aliases = tuple(a.strip() for a in _text(at("aliases")).split(";") if a.strip())
        eixos.append(Eixo(numero, nome, _text(at("curto")), aliases))
    if not eixos and not numeros:
        out.append(finding("plano_sem_eixos", aba=aba, linha=h + 1))
    return sorted(eixos, key=lambda e: e.numero)


def _blank(sheet: RawSheet) -> bool:
    """The template's Plano sheet left unfilled: labels and headings only."""
    found = _labels(sheet)
    if any(_text(v) for _, _, v in found.values()):
        return False
    header = _eixo_header(sheet, 0)
    if header is None:
        return True
    h, cols = header
    return not any(
        _text(row[c])
        for row in sheet.rows[h + 1 :]
        for k, c in cols.items()
        if k != "numero"
        if c < len(row)
    )


def plan_sheet(raw: RawWorkbook) -> AbaPlano | None:
    """The workbook's Plano sheet read (None: the file has none, or left it blank, with an
    aviso)."""
    for sheet in raw.sheets:
        if is_plan_sheet(sheet):
            if _blank(sheet):
                return AbaPlano(sheet.name, None, [finding("plano_em_branco", aba=sheet.name)])
            return read_plan_sheet(sheet)
    return None
