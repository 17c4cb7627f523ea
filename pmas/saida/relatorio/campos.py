"""The report's fields, per plan and year: who prepared it, the commissions, the approval and the
publication, the conference edition cited, the comissão de acompanhamento, and the text the team
writes (analysis per eixo, considerações finais).

They are set on the Relatório screen or with ``python -m pmas relatorio --campos campos.toml``
(:func:`from_toml`), cleaned by :func:`clean_fields` (Portuguese errors), and stored as JSON by
:meth:`pmas.dados.store.Store.save_report_fields`. :func:`for_year` adds what is remembered from
the previous year (the commissions); :func:`faltando` lists the required fields still blank,
which the screen and the CLI warn about (the document prints them as "________").
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib

from pmas import fmt, textos
from pmas.text import strip_controls_deep

CAMPOS: dict[str, str] = textos.CAMPOS_RELATORIO
LISTS = ("comissoes", "equipe")
DATE_FIELDS = ("data_reuniao", "data_aprovacao", "data_publicacao")
LONG_TEXT = ("consideracoes", "acompanhamento_texto")
ANALISE_PARTES: dict[str, str] = textos.ANALISE_PARTES
# "conferencia": "" (the edition the year's timing points to), "nenhuma", or an edition's year
CONFERENCIA_AUTOMATICA, CONFERENCIA_NENHUMA = "", "nenhuma"
ACOMPANHAMENTO: dict[str, str] = textos.ACOMPANHAMENTO
REQUIRED = (
    "elaborado_por",
    "prefeito",
    "secretario",
    "equipe",
    "comissoes",
    "acompanhamento",
    "data_aprovacao",
    "resolucao",
    "veiculo",
    "edicao",
    "data_publicacao",
)
REMEMBERED = ("comissoes",)  # taken from the previous year while the year has none
BLANK = "________"
MIN_DATE, MAX_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_MAX = 20000
X = textos.ERROS_CAMPOS


def clean_fields(raw: dict) -> tuple[dict, list[str]]:
    """The report fields as stored: trimmed text, lists as lists, dates "dd/mm/aaaa", the
    analysis as {eixo number (text): {parte: text}}.

    Lists are accepted as lists or as text with one item per line (or separated by ";"), dates
    as :class:`datetime.date` or text. Returns (fields, errors in Portuguese); empty values are
    left out; keys that are not fields are errors (a typo in a campos.toml must not vanish).
    """
    raw = strip_controls_deep(raw)  # see fields_with_controls: the caller says so
    out: dict = {}
    errors: list[str] = []
    for name in raw:
        if name not in CAMPOS:
            errors.append(X["desconhecido"].format(campo=name, campos=", ".join(CAMPOS)))
    for name in CAMPOS:
        value = raw.get(name)
        if name in LISTS:
            items = value if isinstance(value, (list, tuple)) else re.split(r"[;\n]", value or "")
            items = [" ".join(str(i).split()) for i in items if str(i).strip()]
            if items:
                out[name] = items
        elif name in DATE_FIELDS:
            if isinstance(value, (dt.date, dt.datetime)):
                out[name] = fmt.data(value)
            elif value is not None and str(value).strip():
                text = str(value).strip()
                if _valid_date(text):
                    out[name] = text
                else:
                    errors.append(X["data"].format(campo=CAMPOS[name], valor=text))
        elif name == "analise":
            analise = _clean_analise(value, errors)
            if analise:
                out[name] = analise
        elif name == "conferencia":
            text = str(value if value is not None else "").strip().lower()
            if text == "" or text in textos.RESPOSTAS_CAMPOS["automatica"]:
                continue
            if text == CONFERENCIA_NENHUMA or re.fullmatch(r"\d{4}", text):
                out[name] = text
            else:
                errors.append(X["conferencia"].format(campo=CAMPOS[name], valor=value))
        elif name == "acompanhamento":
            text = str(value if value is not None else "").strip().lower()
            text = {"true": "sim", "false": "nao", **textos.RESPOSTAS_CAMPOS["nao"]}.get(text, text)
            if isinstance(value, bool):
                text = "sim" if value else "nao"
            if not text:
                continue
            if text in ACOMPANHAMENTO:
                out[name] = text
            else:
                errors.append(X["sim_nao"].format(campo=CAMPOS[name], valor=value))
        elif name in LONG_TEXT:
            if value is not None and str(value).strip():
                out[name] = _paragraphs(str(value))
        elif name == "link":
            if value is not None and str(value).strip():
                text = str(value).strip()
                if re.match(r"^https?://\S+$", text):
                    out[name] = text
                else:
                    errors.append(X["link"].format(campo=CAMPOS[name], valor=text))
        elif value is not None and str(value).strip():
            out[name] = " ".join(str(value).split())[:_MAX]
    return out, errors


def fields_with_controls(raw: dict) -> list[str]:
    """The labels of the typed fields that hold control characters (U+0000–U+0008, U+000B,
    U+000C, U+000E–U+001F), which :func:`clean_fields` removes: the screen and the CLI say so."""
    return [
        CAMPOS.get(name, name) for name, value in raw.items() if strip_controls_deep(value) != value
    ]


def _paragraphs(text: str) -> str:
    """Typed text kept with its paragraphs (blank lines) and without stray spaces."""
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text.strip())]
    return "\n\n".join(p for p in paras if p)[:_MAX]


def _clean_analise(value, errors: list[str]) -> dict:
    if not value:
        return {}
    if not isinstance(value, dict):
        errors.append(X["analise_secoes"].format(campo=CAMPOS["analise"]))
        return {}
    out = {}
    for eixo, partes in value.items():
        if not str(eixo).strip().isdigit() or not isinstance(partes, dict):
            errors.append(X["analise_eixo"].format(campo=CAMPOS["analise"], eixo=eixo))
            continue
        clean = {}
        for parte, text in partes.items():
            if parte not in ANALISE_PARTES:
                errors.append(
                    X["analise_parte"].format(
                        campo=CAMPOS["analise"],
                        eixo=eixo,
                        parte=parte,
                        partes=", ".join(ANALISE_PARTES),
                    )
                )
            elif text is not None and str(text).strip():
                clean[parte] = _paragraphs(str(text))
        if clean:
            out[str(int(str(eixo).strip()))] = clean
    return out


def _valid_date(text: str) -> bool:
    m = _DATE.match(text)
    if not m:
        return False
    try:
        dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return False
    return True


def parse_date(text: str | None) -> dt.date | None:
    """ "08/11/2023" → date(2023, 11, 8); None for a blank or malformed value."""
    if not text or not _valid_date(text):
        return None
    d, m, y = (int(x) for x in text.split("/"))
    return dt.date(y, m, d)


def raw_toml(text: str | bytes) -> dict:
    """A campos.toml as written ({} when it cannot be read: from_toml says why)."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        return tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def from_toml(text: str | bytes) -> tuple[dict, list[str]]:
    """A campos.toml read and cleaned: (fields, errors in Portuguese)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            return {}, [X["utf8"]]
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return {}, [X["toml"].format(erro=exc)]
    return clean_fields(raw)


def merge(stored: dict, new: dict) -> dict:
    """Fields of a campos.toml applied over the stored ones (the analysis per eixo merged)."""
    out = {**stored, **{k: v for k, v in new.items() if k != "analise"}}
    if "analise" in new:
        out["analise"] = {**stored.get("analise", {}), **new["analise"]}
    return out


def for_year(store, plano_id: int, ano: int) -> tuple[dict, dict[str, int]]:
    """The year's fields with the remembered ones filled from the latest earlier year that has
    them; returns (fields, {field: year it came from})."""
    campos = dict(store.report_fields(plano_id, ano))
    herdados: dict[str, int] = {}
    for name in REMEMBERED:
        if campos.get(name):
            continue
        for anterior in range(ano - 1, ano - 11, -1):
            valor = store.report_fields(plano_id, anterior).get(name)
            if valor:
                campos[name] = valor
                herdados[name] = anterior
                break
    return campos, herdados


def faltando(campos: dict) -> list[str]:
    """Labels of the required fields still blank (the document prints them as "________")."""
    missing = []
    for name in REQUIRED:
        if name == "veiculo" and campos.get("publicacao"):
            continue
        if name == "edicao" and campos.get("publicacao"):
            continue
        if not campos.get(name):
            missing.append(CAMPOS[name])
    return missing
