"""The annual *Relatório de Monitoramento do PMAS*: an editable Word document built from the data.

``build_report(store, ano)`` reads the year's goals, budget, indicators, conference data, the
previous year, the report fields and the approval workflow through the
:class:`~pmas.dados.store.Store`, fills the plan's Word template (the fixed wording, with
placeholders: :mod:`pmas.saida.relatorio.modelo`) and puts each computed section where its
marker stands. It returns a :class:`ReportResult` (the .docx bytes and notes in Portuguese). No
Streamlit here: the Relatório screen and the CLI (``python -m pmas relatorio``) both call it.

The document is an official one: a cover, an identification page, a sumário and a lista de
siglas (only those used), numbered tables and figures each with its "Fonte:", alt text on every
image, the results per eixo with the team's qualitative analysis, the budget per fonte de
recurso, the Indicadores series with their targets, the comparison with the previous year (and
the goals that regressed or made no progress), the considerações finais and an annex of every
goal not met (and of the cancelled ones, with the deliberation that cancelled them). The
software's note is in the document's properties; example data is marked in every page's header.

**Figures read right by hand.** Every figure is :func:`pmas.analise.metrics.figures` formatted by
:mod:`pmas.fmt`; every sentence that announces a total lists parts that add up to it; a variation
in p.p. is the difference of the two printed (rounded) values, written with a true minus sign
(−5,0 p.p.).

**Which conference edition a report cites** (:func:`conference_edition`): the manager's choice
(field ``conferencia``: an edition's year, or "nenhuma"), otherwise the most recent edition held
from *A* − 1 to *A* + 1 (conferences happen every two years and the report of *A* is written
during *A* + 1). The words follow the timing (:func:`edition_timing`): the edition held during
the report's preparation, the edition of the year itself, or the last edition held before it.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

import pandas as pd
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from pmas import fmt, textos
from pmas.analise import comparacao, consulta, metrics
from pmas.analise import deliberacoes as deliberacoes_mod
from pmas.dados import aprovacao, schema
from pmas.dados.plano import Eixo, Plano
from pmas.dados.store import Store, Version
from pmas.saida import charts as plots
from pmas.saida import render
from pmas.saida.relatorio import campos as fields_mod
from pmas.saida.relatorio import modelo
from pmas.saida.relatorio.campos import (  # noqa: F401  (the report's fields, re-exported)
    BLANK,
    CAMPOS,
    DATE_FIELDS,
    MAX_DATE,
    MIN_DATE,
    clean_fields,
    parse_date,
)
from pmas.text import key, strip_controls, strip_controls_deep

SOFTWARE = "PMAS Monitor"
MINUS = "\u2212"
SIGLAS: dict[str, str] = textos.SIGLAS_RELATORIO
_EXTENSO: dict[int, str] = textos.EXTENSO
PERCENT_UNITS = {"%", "percentual", "porcentagem", "percentagem"}
NAO_CUMPRIDAS = (schema.NAO_REALIZADA, schema.NAO_INICIADA)


def extenso(n: int) -> str:
    """3 → "três"; numbers above twelve stay in digits (2.804)."""
    return _EXTENSO.get(n, fmt.numero(n))


# --- result and data ------------------------------------------------------------------------


@dataclass
class ReportResult:
    """A built report: the .docx bytes, a file name, and notes for the reader (Portuguese).

    ``graficos`` is the number of charts placed in the document; ``sem_graficos`` says why the
    charts are missing (None when they are all there); ``notas`` holds every note to show,
    that one included ("Gráficos omitidos: …"); ``faltando`` the required fields still blank.
    """

    conteudo: bytes
    nome_arquivo: str
    municipio: str
    ano: int
    graficos: int = 0
    sem_graficos: str | None = None
    notas: list[str] = field(default_factory=list)
    faltando: list[str] = field(default_factory=list)


@dataclass
class _Data:
    plano: Plano
    plano_id: int
    ano: int
    metas: pd.DataFrame
    campos: dict
    edicoes: list[dict]
    edicao: dict | None
    ano_anterior: int | None
    metas_anteriores: pd.DataFrame | None
    indicadores: pd.DataFrame
    versoes: list[Version]
    nota_versao: str | None = None
    deliberacoes: dict | None = None  # consulta.deliberacoes of the edition cited, if any

    @property
    def exemplo(self) -> bool:
        """The example data's plan (its data is never mixed with real data)."""
        return self.plano.exemplo or (bool(self.versoes) and all(v.exemplo for v in self.versoes))


Progress = Callable[[float, str], object]  # what it returns is ignored


def conference_edition(editions: list[dict], ano: int, escolha: str = "") -> dict | None:
    """The edition a report of ``ano`` cites: the manager's choice (an edition's year, or
    "nenhuma"), else the latest held from ``ano - 1`` to ``ano + 1``."""
    if escolha == fields_mod.CONFERENCIA_NENHUMA:
        return None
    if escolha:
        return next((e for e in editions if str(e["ano"]) == str(escolha)), None)
    near = [e for e in editions if ano - 1 <= e["ano"] <= ano + 1]
    return max(near, key=lambda e: e["ano"]) if near else None


def edition_timing(edicao: int, ano: int) -> str:
    """ "durante" (held while the report of ``ano`` was written), "no_ano" or "antes"."""
    if edicao > ano:
        return "durante"
    return "no_ano" if edicao == ano else "antes"


def printed(v: object, casas: int = 1) -> Decimal | None:
    """A value as :mod:`pmas.fmt` prints it (half up), as a Decimal; None when missing."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    number = float(cast(float, v))
    return Decimal(str(number)).quantize(Decimal(1).scaleb(-casas), rounding=ROUND_HALF_UP)


def pp_printed(de: object, para: object) -> str:
    """The variation between two printed percentages, as the difference of what is printed,
    with a true minus sign: (45,25; 40,2) → "−5,1 p.p."."""
    a, b = printed(de), printed(para)
    if a is None or b is None:
        return fmt.VAZIO
    return fmt.pp(b - a).replace("-", MINUS)


def build_report(
    store: Store,
    ano: int,
    municipio: str | None = None,
    *,
    charts: bool = True,
    progress: Progress | None = None,
    template: bytes | None = None,
    nome: str | None = None,
) -> ReportResult:
    """The year's Relatório de Monitoramento as a .docx (see the module docstring).

    The plan is the one named ``nome`` (the one on screen: an example plan and a real plan of
    the same municipality and year are never mixed), else the one in force in ``ano``.

    ``template`` is a Word template's bytes (default: the plan's uploaded template, or the
    shipped one). Raises :class:`pmas.analise.consulta.SemDados` (Portuguese message) when the
    plan or the year has no goals, :class:`pmas.saida.relatorio.modelo.ModeloInvalido` when the
    template cannot be filled. ``progress(fraction, text)`` is called as the work advances.
    """
    step = progress or (lambda _f, _t: None)
    step(0.02, T["progresso_lendo"])
    data = _gather(store, ano, municipio, nome)
    notas: list[str] = []
    if data.exemplo:
        notas.append(T["nota_exemplo"])
    escolha = data.campos.get("conferencia", "")
    if escolha and escolha != fields_mod.CONFERENCIA_NENHUMA and data.edicao is None:
        notas.append(T["nota_edicao_ausente"].format(escolha=escolha))
    if data.nota_versao:
        notas.append(data.nota_versao)

    images: dict[str, bytes] = {}
    sem_graficos = None
    figures = _figures(data) if charts else {}
    if not charts:
        sem_graficos = T["sem_graficos_pedido"]
    elif figures:
        step(0.1, T["progresso_graficos"])
        names = list(figures)
        try:
            pngs = render.png_images(
                [f for f, _ in figures.values()],
                on_each=lambda done, total: step(
                    0.1 + 0.7 * done / total,
                    T["progresso_grafico_n"].format(feitos=done, total=total),
                ),
            )
            images = dict(zip(names, pngs))
        except render.RenderUnavailable as exc:
            sem_graficos = T["sem_graficos_navegador"].format(motivo=exc)
    if sem_graficos:
        notas.insert(0, T["graficos_omitidos"].format(motivo=sem_graficos))

    step(0.85, T["progresso_montando"])
    if template is None:
        template = modelo.for_plan(store, data.plano_id)
    alts = {name: alt for name, (_, alt) in figures.items()}
    writer = _Writer(data, images, alts)
    doc = writer.document(template)
    if writer.sem_marcador:
        nomes = [
            T["marcador_eixo"].format(numero=n.rsplit("_", 1)[1])
            if n.startswith("secao_eixo_")
            else "{{ " + n + " }}"
            for n in writer.sem_marcador
        ]
        notas.append(T["sem_marcador"].format(marcadores=_join(nomes)))
    buf = io.BytesIO()
    doc.save(buf)
    step(1.0, T["progresso_pronto"])
    slug = re.sub(r"\s+", "_", key(data.plano.municipio)) or "municipio"
    return ReportResult(
        conteudo=buf.getvalue(),
        nome_arquivo=f"relatorio_monitoramento_pmas_{slug}_{ano}.docx",
        municipio=data.plano.municipio,
        ano=ano,
        graficos=len(images),
        sem_graficos=sem_graficos,
        notas=notas,
        faltando=fields_mod.faltando(data.campos),
    )


def _gather(store: Store, ano: int, municipio: str | None, nome: str | None = None) -> _Data:
    if nome is not None:
        plano_id, plano = consulta.plan_for(store, municipio, nome)
    else:
        try:
            plano_id, plano = consulta.plan_for(store, municipio, ano=ano)  # in force in ano
        except consulta.SemDados:
            plano_id, plano = consulta.plan_for(store, municipio)  # and then: no goals of ano
    todas = store.load("metas", plano_id)
    anos = consulta.goal_years(todas)
    if ano not in anos:
        disponiveis = T["anos_com_metas"].format(anos=", ".join(map(str, anos))) if anos else ""
        raise consulta.SemDados(
            T["sem_metas_no_ano"].format(
                ano=ano, municipio=plano.municipio, plano=plano.nome, disponiveis=disponiveis
            )
        )
    anterior = metrics.previous_year(anos, ano)
    conf = store.load("conferencias", plano_id)
    edicoes = metrics.conference_summary(conf)
    campos, _ = fields_mod.for_year(store, plano_id, ano)
    campos = strip_controls_deep(campos)
    edicoes = strip_controls_deep(edicoes)
    indicadores = _xml_safe_frame(store.load("indicadores", plano_id))
    if len(indicadores):
        indicadores = indicadores[indicadores["ano"] <= ano]
    versoes = [v for v in store.current_versions(plano_id) if v.ano == ano]
    edicao = conference_edition(edicoes, ano, campos.get("conferencia", ""))
    # The deliberations of the edition cited (or, without conference rows, of the edition the
    # same window would cite); none when that edition has no deliberations stored.
    delib_editions = deliberacoes_mod.editions(
        store.load_municipality("deliberacoes", plano.municipio, exemplo=plano.exemplo)
    )
    near = [e for e in delib_editions if ano - 1 <= e <= ano + 1]
    cited = edicao["ano"] if edicao is not None else (max(near) if near else None)
    deliberacoes = (
        consulta.deliberacoes(store, cited, ano, plano.municipio, exemplo=plano.exemplo)
        if cited in delib_editions
        else None
    )
    # A control character anywhere (an older import, a report field, a plan's name) would make
    # the document impossible to write: every text is cleaned of them here, once.
    todas = _xml_safe_frame(todas)
    return _Data(
        plano=_xml_safe_plan(plano),
        plano_id=plano_id,
        ano=ano,
        metas=todas[todas["ano"] == ano].reset_index(drop=True),
        campos=campos,
        edicoes=edicoes,
        edicao=edicao,
        ano_anterior=anterior,
        metas_anteriores=(
            todas[todas["ano"] == anterior].reset_index(drop=True) if anterior is not None else None
        ),
        indicadores=indicadores,
        versoes=versoes,
        nota_versao=aprovacao.substituicao(store, plano_id, ano),
        deliberacoes=deliberacoes,
    )


def _xml_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with control characters removed from its text columns."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            texts = out[column].map(lambda v: isinstance(v, str), na_action="ignore")
            texts = texts.fillna(False).astype(bool)
            if texts.any():
                out.loc[texts, column] = out.loc[texts, column].map(strip_controls)
    return out


def _xml_safe_plan(value):
    """The plan (and its eixos: any frozen dataclass, field by field) with control characters
    removed from every text."""
    if is_dataclass(value) and not isinstance(value, type):
        return replace(
            value, **{f.name: _xml_safe_plan(getattr(value, f.name)) for f in fields(value)}
        )
    if isinstance(value, tuple):
        return tuple(_xml_safe_plan(v) for v in value)
    return strip_controls_deep(value)


# --- charts ---------------------------------------------------------------------------------


def _diretrizes(metas: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The goals grouped by diretriz, in the order they first appear ("" for none)."""
    d = metas["diretriz"].astype("object").where(metas["diretriz"].notna(), "")
    d = d.map(lambda v: " ".join(str(v).split()))
    return [(name, metas[d == name]) for name in dict.fromkeys(d)]


def _diretriz_label(i: int, name: str) -> str:
    return f"Diretriz {i}" if name else "Sem diretriz"


def _alt_values(frame: pd.DataFrame, label: str, value: str) -> str:
    """ "1. Gestão: 45,3%; 2. Proteção Social Básica: 50,0%" (the bars' values, for alt text)."""
    return "; ".join(
        T["alt_valor"].format(rotulo=r[label], valor=fmt.pct(r[value])) for _, r in frame.iterrows()
    )


def _figures(data: _Data) -> dict[str, tuple[object, str]]:
    """The Plotly figures of the document with their alt text, by name, built by
    pmas.saida.charts as on the dashboard."""
    figs: dict[str, tuple[object, str]] = {}
    by_eixo = metrics.completion_by_eixo(data.metas, data.plano)
    by_eixo = by_eixo[by_eixo["avaliaveis"] > 0]  # a chart of shares of the avaliáveis
    if by_eixo.empty:
        return figs
    figs["geral_situacao"] = (
        _for_print(plots.completion_bars(by_eixo, "rotulo")),
        T["alt_geral_situacao"].format(
            ano=data.ano, valores=_alt_values(by_eixo, "rotulo", "pct_realizadas")
        ),
    )
    if by_eixo["indice_cumprimento"].notna().any():
        figs["geral_indice"] = (
            _for_print(plots.indice_bars(by_eixo, "rotulo")),
            T["alt_geral_indice"].format(
                ano=data.ano, valores=_alt_values(by_eixo, "rotulo", "indice_cumprimento")
            ),
        )
    for eixo in data.plano.eixos:
        group = data.metas[data.metas["eixo_numero"] == eixo.numero]
        if not metrics.figures(group)["avaliaveis"]:
            continue
        rows = []
        for i, (name, g) in enumerate(_diretrizes(group), start=1):
            f = metrics.figures(g)
            rows.append(
                {
                    "diretriz": _diretriz_label(i, name),
                    "metas": f["metas"],
                    "avaliaveis": f["avaliaveis"],
                    "pct_realizadas": f["pct_realizadas"],
                    **f["situacoes"],
                }
            )
        frame = pd.DataFrame(rows)
        figs[f"eixo_{eixo.numero}"] = (
            _for_print(plots.completion_bars(frame, "diretriz")),
            T["alt_eixo"].format(
                eixo=eixo.numero,
                ano=data.ano,
                valores=_alt_values(frame, "diretriz", "pct_realizadas"),
            ),
        )
    if data.metas_anteriores is not None:
        frame = _comparison_frame(data)
        if not frame.empty:
            figs["comparacao"] = (
                _for_print(
                    plots.grouped_bars(
                        frame.assign(eixo=frame["eixo"].map(plots.escape_html)),
                        "eixo",
                        "indice_cumprimento",
                        "ano",
                        y_title=textos.RELATORIO_PARTES["eixo_indice"],
                    )
                ),
                T["alt_comparacao"].format(
                    antes=data.ano_anterior,
                    ano=data.ano,
                    valores="; ".join(
                        T["alt_valor_ano"].format(
                            rotulo=r["eixo"], ano=r["ano"], valor=fmt.pct(r["indice_cumprimento"])
                        )
                        for _, r in frame.iterrows()
                    ),
                ),
            )
    return figs


def _for_print(fig):
    """The dashboard's figure with a font every server has (the look is otherwise the same)."""
    fig.update_layout(font={"family": "Liberation Sans, Arial, DejaVu Sans, sans-serif"})
    return fig


def _comparison_frame(data: _Data) -> pd.DataFrame:
    rows = []
    for ano, metas in ((data.ano_anterior, data.metas_anteriores), (data.ano, data.metas)):
        for _, r in metrics.completion_by_eixo(metas, data.plano).iterrows():
            rows.append(
                {
                    "eixo": f"Eixo {r['numero']}",
                    "ano": str(ano),
                    "indice_cumprimento": r["indice_cumprimento"],
                }
            )
    return pd.DataFrame(rows)


# --- wording helpers ------------------------------------------------------------------------

FONT = "Arial"
HEADER_FILL = "D9E2F3"
GROUP_FILL = "F2F2F2"
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) less 2,5 cm margins on each side
STATUS_PLURAL = textos.RELATORIO_SITUACOES_PLURAL
T = textos.RELATORIO_DOC
C = textos.RELATORIO_CONTAGENS
P = textos.RELATORIO_PARTES
H = textos.RELATORIO_CABECALHOS
SEGMENT_PROSE = {
    schema.USUARIOS: textos.SEGMENTOS_RELATORIO["usuarios"],
    schema.TRABALHADORES: textos.SEGMENTOS_RELATORIO["trabalhadores"],
    schema.ENTIDADES: textos.SEGMENTOS_RELATORIO["entidades"],
    schema.GESTORES: textos.SEGMENTOS_RELATORIO["gestores"],
}
FIGURE_LABELS = textos.ROTULOS_FIGURAS_RELATORIO
TOC_FIELD = 'TOC \\o "1-3" \\h \\z \\u'
TOC_LEVELS = ("Heading 1", "Heading 2", "Heading 3")
TABELA, FIGURA = "Tabela #", "Figura #"  # numbered in document order when the document is done


def _join(items: list[str]) -> str:
    """["a", "b", "c"] → "a, b e c"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " e " + items[-1]


def _count(n: int, singular: str, plural: str) -> str:
    return f"{fmt.numero(n)} {singular if n == 1 else plural}"


def _das(n: int, singular: str, plural: str) -> str:
    """ "das 64 avaliáveis" / "da 1 não avaliável" (parts follow)."""
    return f"da 1 {singular}" if n == 1 else f"das {fmt.numero(n)} {plural}"


_CONTRACTIONS = {
    ("por", "a"): "pela",
    ("por", "o"): "pelo",
    ("por", "as"): "pelas",
    ("por", "os"): "pelos",
    ("em", "a"): "na",
    ("em", "o"): "no",
    ("em", "as"): "nas",
    ("em", "os"): "nos",
}


def _contract(prep: str, text: str | None) -> str:
    """A preposition before a field typed with or without its article: ("por", "a Diretoria
    de Gestão") → "pela Diretoria de Gestão"; ("em", "J.O.M. 5041") → "em J.O.M. 5041"; a blank
    field → "por ________"."""
    if not text:
        return f"{prep} {BLANK}"
    first, _, rest = text.partition(" ")
    merged = _CONTRACTIONS.get((prep, first.lower())) if rest else None
    return f"{merged} {rest}" if merged else f"{prep} {text}"


def _places(v: float) -> int:
    """Decimal places a number needs to be shown as typed, up to 2: 90 → 0; 86.2 → 1."""
    for casas in (0, 1):
        if round(float(v), casas) == round(float(v), 2):
            return casas
    return 2


def _lower_first(text: str) -> str:
    """ "Usuários do Centro POP" → "usuários do Centro POP" (an acronym such as "CRAS" stays)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _text(v: object) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    return " ".join(str(v).split())


def with_unit(v: object, unidade: object, casas: int | None = None) -> str:
    """A goal's number with its unit: (80, "%") → "80,0%"; (20, "famílias") → "20 famílias"."""
    if v is None or pd.isna(v):
        return fmt.VAZIO
    u = _text(unidade)
    if u.lower() in PERCENT_UNITS:
        return fmt.pct(v, 1 if casas is None else max(casas, 1))
    n = fmt.numero(v, _places(cast(float, v)) if casas is None else casas)
    return f"{n} {u}" if u else n


def is_reduction(r) -> bool:
    return _text(r.get("sentido")) == "Reduzir"


def veiculo_contraido(c: dict) -> str:
    """ "no J.O.M." from the publication vehicle (or the older single field); "em ________" when
    nothing is known yet. The edition and page are the template's ``edicao_publicacao`` and
    ``pagina_publicacao``."""
    return _contract("em", c.get("veiculo") or c.get("publicacao"))


def context(data: _Data) -> dict:
    """The template's placeholders (see :data:`pmas.saida.relatorio.modelo.PLACEHOLDERS`)."""
    p, c = data.plano, data.campos
    nomes = [e.nome for e in p.eixos]
    eixos_lista = (
        "; ".join(nomes[:-1]) + ("; e " if len(nomes) > 1 else "") + (nomes[-1] if nomes else "")
    )
    detalhe = c.get("acompanhamento_texto", "")
    return {
        "municipio": p.municipio,
        "uf": f" ({p.uf})" if p.uf else "",
        "plano": p.nome,
        "ano": data.ano,
        "ano_inicio": p.ano_inicio,
        "ano_fim": p.ano_fim,
        "duracao_anos": extenso(p.ano_fim - p.ano_inicio + 1),
        "n_eixos": len(nomes),
        "n_eixos_extenso": f"{extenso(len(nomes))} {'eixo' if len(nomes) == 1 else 'eixos'}",
        "eixos_lista": eixos_lista,
        "exemplo": data.exemplo,
        "prefeito": c.get("prefeito") or BLANK,
        "secretario": c.get("secretario") or BLANK,
        "elaborado_por": c.get("elaborado_por") or BLANK,
        "elaborado_por_contraido": _contract("por", c.get("elaborado_por")),
        "equipe": "; ".join(c.get("equipe", [])) or BLANK,
        "comissoes": list(c.get("comissoes") or []),
        "comissoes_texto": _join_semicolon(list(c.get("comissoes") or [])) or BLANK,
        "data_reuniao": c.get("data_reuniao") or BLANK,
        "data_aprovacao": c.get("data_aprovacao") or BLANK,
        "resolucao": c.get("resolucao") or BLANK,
        "veiculo_contraido": veiculo_contraido(c),
        "edicao_publicacao": c.get("edicao", "") if c.get("veiculo") else "",
        "pagina_publicacao": c.get("pagina", "") if c.get("veiculo") else "",
        "data_publicacao": c.get("data_publicacao") or BLANK,
        "link": c.get("link", ""),
        "acompanhamento": c.get("acompanhamento", ""),
        "acompanhamento_detalhe": f": {' '.join(detalhe.split())}" if detalhe else "",
        "nota_versao": data.nota_versao or "",
        **computed_context(data),
    }


def _join_semicolon(items: list[str]) -> str:
    """["a", "b", "c"] → "a; b e c" (the commissions)."""
    if len(items) <= 1:
        return "".join(items)
    return "; ".join(items[:-1]) + " e " + items[-1]


def figuras(f: dict) -> dict:
    """A group's figures for the template: the counts (numbers), the situações of the avaliáveis
    and of the others as pre-formatted lists ("12 realizadas, 30 parcialmente realizadas e 4 em
    andamento"), and the three percentages as printed."""
    sit = f["situacoes"]
    aval = [(s, n) for s, n in sit.items() if n and schema.STATUS_COUNTED[s]]
    nao = [(s, n) for s, n in sit.items() if n and not schema.STATUS_COUNTED[s]]
    return {
        "n_metas": int(f["metas"]),
        "n_avaliaveis": int(f["avaliaveis"]),
        "n_nao_avaliaveis": int(sum(n for _, n in nao)),
        "partes_avaliaveis": _join([_count(n, *STATUS_PLURAL[s]) for s, n in aval]),
        "partes_nao_avaliaveis": _join([_count(n, *STATUS_PLURAL[s]) for s, n in nao]),
        "pct_realizadas": fmt.pct(f["pct_realizadas"]),
        "pct_realizadas_ou_parciais": fmt.pct(f["pct_realizadas_ou_parciais"]),
        "indice_cumprimento": fmt.pct(f["indice_cumprimento"]),
    }


def computed_context(data: _Data) -> dict:
    """The numbers and pre-formatted values of the sentences the report computes, for the
    template (which holds their words): ``geral``, ``eixos``, ``orcamento``, ``indicadores``,
    ``comparacao``, ``deliberacoes`` and ``anexo`` (see
    :data:`pmas.saida.relatorio.modelo.PLACEHOLDERS`)."""
    d = data
    eixos = []
    for eixo in d.plano.eixos:
        metas = d.metas[d.metas["eixo_numero"] == eixo.numero]
        eixos.append(
            {
                "numero": eixo.numero,
                "nome": eixo.nome,
                "secao": modelo.marker(modelo.SECAO_EIXO.format(numero=eixo.numero)),
                **figuras(metrics.figures(metas)),
            }
        )
    orcamento = None
    budget = _budget_groups(d)
    if budget is not None:
        com_valor, grupos, prev, exec_ = budget
        orcamento = {
            "n_metas": len(com_valor),
            "previsto": fmt.dinheiro(prev),
            "executado": fmt.dinheiro(exec_),
            "pct_executado": fmt.pct(100 * exec_ / prev) if prev else fmt.VAZIO,
            "fontes": [
                {
                    "nome": nome,
                    "previsto": fmt.dinheiro(r["valor_previsto"]),
                    "executado": fmt.dinheiro(r["valor_executado"]),
                }
                for nome, r in grupos.iterrows()
            ],
        }
    indicadores = _indicator_table(d)
    comparacao_ = None
    if d.ano_anterior is not None:
        reg, stalled = _regression_frames(d)
        comparacao_ = {
            "ano_anterior": d.ano_anterior,
            "consecutivo": d.ano_anterior == d.ano - 1,
            "n_regrediram": len(reg),
            "n_sem_avanco": len(stalled),
        }
    deliberacoes = None
    if d.deliberacoes is not None:
        c = d.deliberacoes["cobertura"]
        deliberacoes = {
            "edicao": d.deliberacoes["edicao"],
            "ano": d.deliberacoes["ano"],
            "regra": d.deliberacoes["regra"],
            **{
                k: int(c[k])
                for k in (
                    "total",
                    "municipais",
                    "encaminhadas",
                    "com_meta",
                    "atendidas",
                    "em_atendimento",
                    "nao_atendidas",
                    "sem_avaliacao",
                    "sem_meta",
                )
            },
            "pct_com_meta": fmt.pct(c["pct_com_meta"]),
            "pct_atendidas": fmt.pct(c["pct_atendidas"]),
        }
    grupos_anexo = [len(g) for _, g, _ in _annex_groups(d)]
    return {
        "geral": figuras(metrics.figures(d.metas)),
        "eixos": eixos,
        "orcamento": orcamento,
        "indicadores": {"n": len(indicadores[1])} if indicadores is not None else None,
        "comparacao": comparacao_,
        "deliberacoes": deliberacoes,
        "anexo": {
            "n_total": sum(grupos_anexo),
            "n_nao_cumpridas": grupos_anexo[0],
            "n_parciais": grupos_anexo[1],
            "n_em_andamento": grupos_anexo[2],
            "n_canceladas": int((d.metas["situacao"] == schema.CANCELADA).sum()),
        },
    }


def software_note(data: _Data) -> str:
    """What the document's properties say about how it was made (not on the cover)."""
    dados = ""
    for v in data.versoes[:1]:
        dados = T["nota_software_dados"].format(
            ano=data.ano,
            versao=v.numero,
            arquivo=T["nota_software_arquivo"].format(nome=v.arquivo_nome)
            if v.arquivo_nome
            else "",
            importada=fmt.data(v.criado_em),
            quem="" if v.exemplo else T["nota_software_quem"].format(usuario=v.usuario),
        )
    return T["nota_software"].format(
        data=fmt.data(dt.date.today()),
        software=SOFTWARE,
        dados=dados,
        exemplo=T["nota_software_exemplo"] if data.exemplo else "",
    )


# --- what the computed sentences and sections count -----------------------------------------


def _budget_groups(d: _Data):
    """(goals with budget values, sums per fonte de recurso, planned, spent), or None when no
    goal of the year has budget values."""
    m = d.metas
    if not {"valor_previsto", "valor_executado"} <= set(m.columns):
        return None
    com_valor = m[m["valor_previsto"].notna() | m["valor_executado"].notna()]
    if com_valor.empty:
        return None
    sem_fonte = textos.RELATORIO_DOC["fonte_nao_informada"]
    fonte = com_valor["fonte_recurso"].map(_text).replace("", sem_fonte)
    grupos = (
        com_valor.assign(_fonte=fonte)
        .groupby("_fonte", sort=False)[["valor_previsto", "valor_executado"]]
        .sum(min_count=1)
    )
    grupos = grupos.sort_index(key=lambda s: s == sem_fonte, kind="stable")
    prev = float(com_valor["valor_previsto"].sum())
    exec_ = float(com_valor["valor_executado"].sum())
    return com_valor, grupos, prev, exec_


def _indicator_table(d: _Data):
    """(years shown, one row per indicator and territory, the rows used), or None without
    indicators: the last four years up to the report's, the value at the end of each year."""
    ind = d.indicadores
    if ind is None or ind.empty:
        return None
    anos = sorted(int(a) for a in ind["ano"].dropna().unique())[-4:]
    ind = ind[ind["ano"].isin(anos)]
    if ind.empty:
        return None
    por = ["indicador", "territorio"]
    ordered = ind.assign(_mes=ind["mes"].fillna(0) if "mes" in ind else 0).sort_values(
        ["ano", "_mes"], kind="stable"
    )
    rows = []
    for (nome, terr), g in ordered.groupby([ordered[c].map(_text) for c in por], sort=False):
        ultimo = g.groupby("ano").tail(1).set_index("ano")  # the last month of each year
        unidade = next((_text(u) for u in g["unidade"] if _text(u)), "")
        metas_v = g["meta_valor"].dropna()
        meta = metas_v.iloc[-1] if len(metas_v) else None
        label = f"{nome} – {terr}" if terr and terr.lower() != "municipal" else nome
        rows.append(
            [
                label,
                unidade or "—",
                *[
                    fmt.numero(ultimo.at[a, "valor"], _places(ultimo.at[a, "valor"]))
                    if a in ultimo.index and not pd.isna(ultimo.at[a, "valor"])
                    else fmt.VAZIO
                    for a in anos
                ],
                fmt.numero(meta, _places(meta)) if meta is not None else fmt.VAZIO,
            ]
        )
    return anos, rows, ind


def _regression_frames(d: _Data) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The goals present in both years that regressed, and those not started or not carried out
    in both (no progress)."""
    pares = comparacao.match_goals(d.metas_anteriores, d.metas)
    reg = comparacao.regressions(pares)
    m = comparacao.matched(pares)
    stalled = m[m["situacao_a"].isin(NAO_CUMPRIDAS) & m["situacao_b"].isin(NAO_CUMPRIDAS)]
    return reg, stalled


def _annex_groups(d: _Data) -> list[tuple[str, pd.DataFrame, str]]:
    """The annex's lists of avaliáveis goals not met: (title, goals, what to say when none)."""
    sit = d.metas["situacao"]
    return [
        (
            textos.RELATORIO_PARTES["nao_cumpridas"],
            d.metas[sit.isin(NAO_CUMPRIDAS)],
            T["nenhuma_nao_cumprida"],
        ),
        (
            "Metas parcialmente realizadas",
            d.metas[sit == schema.PARCIAL],
            T["nenhuma_parcial"],
        ),
        (
            textos.RELATORIO_PARTES["em_andamento"],
            d.metas[sit == schema.EM_ANDAMENTO],
            T["nenhuma_em_andamento"],
        ),
    ]


class _Writer:
    """Fills one template and writes the computed sections where their markers stand."""

    def __init__(self, data: _Data, images: dict[str, bytes], alts: dict[str, str]):
        self.data = data
        self.images = images
        self.alts = alts
        self.doc: DocxDocument
        self.sem_marcador: list[str] = []  # computed parts the template has no place for
        d = data
        self.fonte = T["fonte"].format(
            municipio=d.plano.municipio,
            plano=d.plano.nome,
            anos=d.ano,
            versao=T["fonte_versao"].format(versao=d.versoes[0].numero) if d.versoes else "",
        )

    # --- the document -------------------------------------------------------------------------

    def document(self, template: bytes) -> DocxDocument:
        self.doc = modelo.render(template, context(self.data))
        d = self.data
        sections: dict[str, Callable[[], None] | None] = {
            "secao_participacao": self._participation,
            "secao_deliberacoes": self._deliberations if d.deliberacoes is not None else None,
            "secao_resultado_geral": self._overall,
            "secao_orcamento": self._budget if _budget_groups(d) is not None else None,
            "secao_indicadores": self._indicators if _indicator_table(d) is not None else None,
            **{
                modelo.SECAO_EIXO.format(numero=e.numero): functools.partial(self._eixo, e)
                for e in d.plano.eixos
            },
            "secao_comparacao": self._comparison if d.ano_anterior is not None else None,
            "secao_regressoes": self._regressions if d.ano_anterior is not None else None,
            "secao_consideracoes": self._closing,
            "secao_anexo": self._annex,
        }
        for name, fn in sections.items():
            self._at(name, fn)
        self._number_captions()
        self._at("secao_siglas", self._acronyms)
        self._at("secao_sumario", self._contents)
        self._properties()
        return self.doc

    def _markers(self, name: str) -> list:
        text = modelo.marker(name)
        return [p for p in self.doc.paragraphs if p.text.strip() == text]

    def _at(self, name: str, fn: Callable[[], None] | None) -> None:
        """Run ``fn`` (which appends to the body) and move what it wrote to where the marker
        paragraph stands; the marker goes away. A template without the marker leaves the
        section out."""
        markers = self._markers(name)
        if not markers and fn is not None:
            self.sem_marcador.append(name)
        for p in markers:
            body = self.doc.element.body
            sect = body[-1] if body[-1].tag == qn("w:sectPr") else None
            before = len(body) - (sect is not None)
            if fn is not None:
                fn()
            after = len(body) - (sect is not None)
            for el in list(body)[before:after]:
                p._p.addprevious(el)
            p._p.getparent().remove(p._p)

    def _properties(self) -> None:
        d, plano = self.data, self.data.plano
        core = self.doc.core_properties
        core.title = P["titulo_documento"].format(municipio=plano.municipio, ano=d.ano)
        core.subject = P["assunto_documento"].format(plano=plano.nome, ano=d.ano)
        autor = _contract("por", d.campos.get("elaborado_por")).partition(" ")[2]
        core.author = autor if autor != BLANK else plano.municipio
        core.language = "pt-BR"
        core.comments = software_note(d)
        core.keywords = f"PMAS; monitoramento; {plano.municipio}; {d.ano}"
        core.last_modified_by = SOFTWARE

    # --- building blocks ----------------------------------------------------------------------

    def _para(self, text: str = "", *, justify: bool = True):
        p = self.doc.add_paragraph()
        if justify:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if text:
            p.add_run(text)
        return p

    def _caption(self, text: str):
        try:
            p = self.doc.add_paragraph(text, style="Caption")
        except KeyError:  # a template without the Caption style
            p = self.doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    def _source(self, text: str | None = None):
        p = self.doc.add_paragraph(text or self.fonte)
        _small(p, 8)
        p.paragraph_format.space_after = Pt(10)
        return p

    def _table(
        self,
        headers: list[str],
        rows: list[list[str]],
        widths_cm: list[float],
        *,
        right: tuple[int, ...] = (),
        size: float = 9,
        titulo: str | None = None,
    ):
        """A table with a shaded header row repeated on every page; ``right`` aligns columns
        of numbers; ``titulo`` gives it a numbered caption above ("Tabela N – …"). Rows added
        later take their widths from the table's grid."""
        if titulo:
            self._caption(f"{TABELA} – {titulo}").paragraph_format.keep_with_next = True
        t = self.doc.add_table(rows=1, cols=len(headers))
        try:
            t.style = "Table Grid"
        except KeyError:  # a template without the style: the table keeps the default look
            pass
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        for i, w in enumerate(widths_cm):
            t.columns[i].width = Cm(w)
        for i, h in enumerate(headers):
            cell = t.rows[0].cells[i]
            _cell_text(cell, h, bold=True, size=size, right=i in right)
            _shade(cell, HEADER_FILL)
        _repeat_header(t.rows[0])
        for i, w in enumerate(widths_cm):
            t.rows[0].cells[i].width = Cm(w)
        for r in rows:
            self._row(t, r, right=right, size=size)
        return t

    @staticmethod
    def _row(t, values: list[str], *, right=(), size=9.0):
        row = t.add_row()
        _keep_row_on_one_page(row)
        cells = row.cells
        for i, v in enumerate(values):
            _cell_text(cells[i], v, size=size, right=i in right)
        return cells

    @staticmethod
    def _group_row(t, text: str, size: float = 9):
        row = t.add_row()
        _keep_row_on_one_page(row)
        cells = row.cells
        merged = cells[0].merge(cells[-1])
        _cell_text(merged, text, bold=True, size=size)
        _shade(merged, GROUP_FILL)
        for p in merged.paragraphs:  # the group's title stays with its first goal
            p.paragraph_format.keep_with_next = True
        return merged

    def _chapter(self, title: str) -> None:
        """A Heading 1 that starts a new page (each eixo, the comparison, the annex)."""
        self.doc.add_heading(title, 1).paragraph_format.page_break_before = True

    def _chart(self, name: str, caption: str, fonte: str | None = None) -> None:
        png = self.images.get(name)
        if png is None:
            return
        shape = self.doc.add_picture(io.BytesIO(png), width=Cm(TEXT_WIDTH_CM))
        docpr = shape._inline.docPr
        docpr.set("descr", self.alts.get(name) or caption)
        docpr.set("title", caption)
        pic = self.doc.paragraphs[-1]
        pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pic.paragraph_format.keep_with_next = True
        self._caption(f"{FIGURA} – {caption}").paragraph_format.keep_with_next = True
        self._source(fonte)

    def _number_captions(self) -> None:
        """ "Tabela #" and "Figura #" become Tabela 1, 2, … in the order they are read."""
        n = {TABELA: 0, FIGURA: 0}
        for p in self.doc.paragraphs:
            for prefix in n:
                if p.text.startswith(prefix):
                    n[prefix] += 1
                    run = p.runs[0]
                    run.text = run.text.replace(prefix, prefix[:-1] + str(n[prefix]), 1)

    # --- sumário and siglas ---------------------------------------------------------------------

    def _contents(self) -> None:
        """The sumário: a Word table-of-contents field (``TOC \\o "1-3" \\h \\z \\u``) over
        the heading styles. Its cached result lists the headings (levels 1 to 3, without page
        numbers, which only a layout knows); ``w:updateFields`` makes Word offer to update it
        when the document opens, and :func:`pmas.saida.relatorio.pdf.to_pdf` updates it in
        LibreOffice before exporting the PDF."""
        headings = [
            (TOC_LEVELS.index(style) + 1, p.text)
            for p in self.doc.paragraphs
            if (style := p.style.name if p.style is not None else "") in TOC_LEVELS
            and p.text.strip()
        ]
        entries = []
        for level, text in headings or [(1, "")]:
            p = self.doc.add_paragraph()
            p.paragraph_format.tab_stops.add_tab_stop(
                Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
            )
            p.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            p.paragraph_format.space_after = Pt(2)
            if text:
                p.add_run(f"{text}\t")
            entries.append(p)
        first = entries[0]._p
        runs = [_fld_run("begin"), _instr_run(TOC_FIELD), _fld_run("separate")]
        anchor = first.find(qn("w:pPr"))
        for run in runs:
            if anchor is not None:
                anchor.addnext(run)
            else:
                first.insert(0, run)
            anchor = run
        entries[-1]._p.append(_fld_run("end"))
        settings = self.doc.settings.element
        if settings.find(qn("w:updateFields")) is None:
            upd = OxmlElement("w:updateFields")
            upd.set(qn("w:val"), "true")
            settings.append(upd)

    def _acronyms(self) -> None:
        used = _acronyms_in(_all_text(self.doc))
        if not used:
            self._para(T["sem_siglas"])
            return
        self._table(
            ["Sigla", "Significado"],
            [[s, SIGLAS[s]] for s in used],
            [3.5, 12.5],
            size=10,
        )

    # --- participation --------------------------------------------------------------------------

    def _deliberations(self) -> None:
        """The deliberations of the edition cited: the list with each one's status in the
        report's year (the same figures as the Deliberações screen; the heading, the coverage
        sentence and the rule are in the template)."""
        dl = self.data.deliberacoes
        assert dl is not None  # the section is only asked for with deliberations
        ano = dl["ano"]
        self._table(
            [*H["deliberacoes"], P["situacao_em"].format(ano=ano)],
            [
                [d["numero"], d["texto"], "; ".join(d["metas"]) or "—", d["situacao"]]
                for d in dl["deliberacoes"]
            ],
            [1.2, 9.3, 2.8, 3.2],
            size=8.5,
            titulo=T["tit_deliberacoes"].format(edicao=dl["edicao"], ano=ano),
        )
        self._source(
            T["fonte_deliberacoes"].format(
                municipio=self.data.plano.municipio,
                edicao=dl["edicao"],
                plano=self.data.plano.nome,
                ano=ano,
            )
        )

    def _participation(self) -> None:
        d, e = self.data, self.data.edicao
        self.doc.add_heading(T["processo_participativo"], 1)
        if e is None:
            self._para(self._no_edition())
            return
        lugares = []
        if e["por_regiao"]:
            lugares.append(T["part_regioes"].format(lista=_join(list(e["por_regiao"]))))
        if e["por_publico"]:
            publicos = [_lower_first(p) for p in e["por_publico"]]
            lista = "; ".join(publicos[:-1]) + ("; e " if len(publicos) > 1 else "") + publicos[-1]
            lugares.append(T["part_publicos"].format(lista=lista))
        onde = f" ({_join(lugares)})" if lugares else ""
        segs = {**e["por_segmento"], **e["por_segmento_conferencia_municipal"]}
        quem = [SEGMENT_PROSE.get(s, s.lower()) for s in schema.SEGMENTS if segs.get(s)]
        partes = []
        if e["pre_conferencias"]:
            partes.append(
                T["part_pre"].format(
                    pessoas=_count(e["participantes_pre_conferencias"], *C["pessoa"]),
                    eventos=_count(e["pre_conferencias"], *C["pre_conferencia"]),
                    onde=onde,
                )
            )
        if e["participantes_conferencia_municipal"]:
            eleitos = (
                T["part_eleitos"].format(delegados=_count(e["delegados"], *C["delegado"]))
                if e["delegados"]
                else ""
            )
            partes.append(
                T["part_municipal"].format(
                    pessoas=_count(e["participantes_conferencia_municipal"], *C["pessoa"]),
                    eleitos=eleitos,
                )
            )
        envolveu = T["part_envolveu"].format(partes=" e ".join(partes)) if partes else ""
        timing = edition_timing(e["ano"], d.ano)
        texto = T[
            {"durante": "part_durante", "no_ano": "part_no_ano", "antes": "part_antes"}[timing]
        ]
        texto = texto.format(edicao=e["ano"], ano=d.ano, envolveu=envolveu)
        if quem:
            texto += T["part_quem"].format(quem=_join(quem))
        self._para(texto)
        pre, mun = e["por_segmento"], e["por_segmento_conferencia_municipal"]
        if pre or mun:
            rows = [
                [
                    s,
                    fmt.numero(pre.get(s)) if s in pre else "—",
                    fmt.numero(mun.get(s)) if s in mun else "—",
                ]
                for s in schema.SEGMENTS
                if s in pre or s in mun
            ]
            rows.append(
                [
                    "Total",
                    fmt.numero(e["participantes_pre_conferencias"]),
                    fmt.numero(e["participantes_conferencia_municipal"]),
                ]
            )
            t = self._table(
                H["participantes"],
                rows,
                [7, 4.5, 4.5],
                right=(1, 2),
                titulo=T["tit_participantes"].format(edicao=e["ano"]),
            )
            _bold_row(t.rows[-1])
            self._source(
                T["fonte_conferencia"].format(municipio=d.plano.municipio, edicao=e["ano"])
            )

    def _no_edition(self) -> str:
        d = self.data
        if d.campos.get("conferencia") == fields_mod.CONFERENCIA_NENHUMA:
            return T["part_nenhuma_escolhida"].format(ano=d.ano)
        anteriores = [e["ano"] for e in d.edicoes if e["ano"] < d.ano - 1]
        ultima = T["part_ultima"].format(edicao=max(anteriores)) if anteriores else ""
        return T["part_nenhuma"].format(de=d.ano - 1, ate=d.ano + 1, ultima=ultima)

    # --- results ----------------------------------------------------------------------------

    def _figures_rows(self, frame: pd.DataFrame, total: dict) -> list[list[str]]:
        rows = [
            [
                f"{r['numero']}. {r['nome']}",
                fmt.numero(r["metas"]),
                fmt.numero(r["avaliaveis"]),
                fmt.pct(r["pct_realizadas"]),
                fmt.pct(r["pct_realizadas_ou_parciais"]),
                fmt.pct(r["indice_cumprimento"]),
            ]
            for _, r in frame.iterrows()
        ]
        rows.append(
            [
                P["total_plano"],
                fmt.numero(total["metas"]),
                fmt.numero(total["avaliaveis"]),
                fmt.pct(total["pct_realizadas"]),
                fmt.pct(total["pct_realizadas_ou_parciais"]),
                fmt.pct(total["indice_cumprimento"]),
            ]
        )
        return rows

    def _overall(self) -> None:
        d = self.data
        total = metrics.figures(d.metas)
        by_eixo = metrics.completion_by_eixo(d.metas, d.plano)
        t = self._table(
            ["Eixo", *H["cumprimento"]],
            self._figures_rows(by_eixo, total),
            [5.4, 1.5, 2.0, 2.2, 2.4, 2.5],
            right=(1, 2, 3, 4, 5),
            titulo=T["tit_cumprimento_eixos"].format(ano=d.ano),
        )
        _bold_row(t.rows[-1])
        self._source()
        self._chart(
            "geral_situacao",
            T["fig_situacao_eixos"].format(ano=d.ano),
        )
        self._chart("geral_indice", T["fig_indice_eixos"].format(ano=d.ano))

    def _budget(self) -> None:
        budget = _budget_groups(self.data)
        if budget is None:
            return
        d = self.data
        _, grupos, prev, exec_ = budget
        rows = [
            [
                nome,
                fmt.dinheiro(r["valor_previsto"]),
                fmt.dinheiro(r["valor_executado"]),
                fmt.pct(100 * r["valor_executado"] / r["valor_previsto"])
                if r["valor_previsto"] and not pd.isna(r["valor_executado"])
                else fmt.VAZIO,
            ]
            for nome, r in grupos.iterrows()
        ]
        rows.append(
            [
                "Total",
                fmt.dinheiro(prev),
                fmt.dinheiro(exec_),
                fmt.pct(100 * exec_ / prev) if prev else fmt.VAZIO,
            ]
        )
        t = self._table(
            H["orcamento"],
            rows,
            [7.0, 3.4, 3.4, 2.2],
            right=(1, 2, 3),
            titulo=T["tit_orcamento"].format(ano=d.ano),
        )
        _bold_row(t.rows[-1])
        self._source()

    def _indicators(self) -> None:
        table = _indicator_table(self.data)
        if table is None:
            return
        d = self.data
        anos, rows, ind = table
        width = 16.0 - 6.0 - 2.2
        self._table(
            ["Indicador", "Unidade", *[str(a) for a in anos], "Meta"],
            rows,
            [6.0, 2.2, *([width / (len(anos) + 1)] * (len(anos) + 1))],
            right=tuple(range(2, len(anos) + 3)),
            titulo=T["tit_indicadores_anos"].format(de=anos[0], ate=anos[-1])
            if len(anos) > 1
            else T["tit_indicadores"].format(ano=anos[0]),
        )
        fontes = sorted({_text(f) for f in ind["fonte"] if _text(f)})
        self._source(
            T["fonte_indicadores"].format(fontes=_join(fontes), municipio=d.plano.municipio)
            if fontes
            else None
        )

    def _eixo(self, eixo: Eixo) -> None:
        """An eixo's computed part (its heading and sentence are in the template's loop)."""
        d = self.data
        metas = d.metas[d.metas["eixo_numero"] == eixo.numero]
        if metas.empty:
            self._analysis(eixo)
            return
        f = metrics.figures(metas)
        self._table(
            H["cumprimento"],
            [
                [
                    fmt.numero(f["metas"]),
                    fmt.numero(f["avaliaveis"]),
                    fmt.pct(f["pct_realizadas"]),
                    fmt.pct(f["pct_realizadas_ou_parciais"]),
                    fmt.pct(f["indice_cumprimento"]),
                ]
            ],
            [2.6, 2.6, 3.2, 4.0, 3.6],
            right=(0, 1, 2, 3, 4),
            size=10,
            titulo=T["tit_cumprimento_eixo"].format(eixo=eixo.numero, ano=d.ano),
        )
        self._source()
        self._chart(
            f"eixo_{eixo.numero}",
            T["fig_situacao_eixo"].format(eixo=eixo.numero, ano=d.ano),
        )
        widths = [1.4, 4.1, 4.1, 2.6, 3.8]
        t = self._table(
            H["metas_eixo"],
            [],
            widths,
            titulo=T["tit_metas_eixo"].format(eixo=eixo.numero, ano=d.ano),
        )
        execucao = metrics.with_execution(metas)["execucao_pct"]
        for i, (name, g) in enumerate(_diretrizes(metas), start=1):
            label = _diretriz_label(i, name)
            self._group_row(t, f"{label} – {name}" if name else label)
            for idx, r in g.iterrows():
                self._row(
                    t,
                    [
                        _text(r["codigo"]),
                        self._acao(r),
                        _text(r["meta"]) or "—",
                        self._situacao(r, execucao.get(idx)),
                        _text(r["justificativa"]) or "—",
                    ],
                )
        self._source()
        self._analysis(eixo)

    def _analysis(self, eixo: Eixo) -> None:
        """The team's qualitative analysis of the eixo (typed on the Relatório screen)."""
        texto = self.data.campos.get("analise", {}).get(str(eixo.numero), {})
        self.doc.add_heading(T["analise_eixo"].format(eixo=eixo.numero), 2)
        for parte, rotulo in fields_mod.ANALISE_PARTES.items():
            paras = (texto.get(parte) or BLANK).split("\n\n")
            p = self._para()
            p.add_run(f"{rotulo}: ").bold = True
            p.add_run(paras[0])
            for extra in paras[1:]:
                self._para(extra)

    @staticmethod
    def _acao(r) -> str:
        lines = [_text(r["acao"]) or "—"]
        extra = [
            f"{rotulo}: {_text(r.get(col))}"
            for col, rotulo in (
                ("responsavel", P["responsavel"]),
                ("prazo", P["prazo"]),
                ("territorio", P["territorio"]),
            )
            if _text(r.get(col))
        ]
        if extra:
            lines.append(" · ".join(extra))
        return "\n".join(lines)

    @staticmethod
    def _situacao(r, execucao: float | None) -> str:
        text = _text(r["situacao"])
        prev, real = r.get("previsto"), r.get("realizado")
        if execucao is not None and not pd.isna(execucao):
            if not pd.isna(prev) and not pd.isna(real):
                casas = max(_places(prev), _places(real))
                text += "\n" + T["previsto_realizado"].format(
                    previsto=with_unit(prev, r.get("unidade"), casas),
                    realizado=with_unit(real, r.get("unidade"), casas),
                    execucao=fmt.pct(execucao),
                )
            else:
                text += "\n" + T["execucao"].format(execucao=fmt.pct(execucao))
        if is_reduction(r):
            text += "\n" + T["meta_reducao"]
        return text

    # --- comparison -------------------------------------------------------------------------

    def _comparison(self) -> None:
        """The comparison table and chart (the heading and the sentences are in the template)."""
        d = self.data
        antes, agora = d.ano_anterior, d.ano
        eixos = comparacao.eixo_changes(d.metas_anteriores, d.metas, d.plano)
        groups = [(f"{e['numero']}. {e['nome']}", e) for e in eixos]
        groups.append((P["total_plano"], comparacao.total_changes(d.metas_anteriores, d.metas)))
        t = self._table(
            [c.format(antes=antes, ano=agora) for c in H["comparacao"]],
            [],
            [8.8, 2.3, 2.3, 2.6],
            right=(1, 2, 3),
            titulo=T["tit_comparacao"].format(antes=antes, ano=agora),
        )
        for name, changes in groups:
            self._group_row(t, name)
            for k, label in FIGURE_LABELS.items():
                c = changes[k]
                self._row(
                    t,
                    [label, fmt.pct(c["de"]), fmt.pct(c["para"]), pp_printed(c["de"], c["para"])],
                    right=(1, 2, 3),
                )
        self._source(
            T["fonte"].format(
                municipio=d.plano.municipio,
                plano=d.plano.nome,
                anos=f"{antes} e {agora}",
                versao="",
            )
        )
        self._chart("comparacao", T["fig_comparacao"].format(antes=antes, ano=agora))

    def _regressions(self) -> None:
        """The goals that regressed and those that made no progress, with their justificativa."""
        d = self.data
        reg, stalled = _regression_frames(d)
        antes, agora = d.ano_anterior, d.ano
        for titulo, frame, vazio in (
            (P["regrediram"], reg, T["nenhuma_regrediu"]),
            (P["sem_avanco"], stalled, T["nenhuma_sem_avanco"]),
        ):
            self.doc.add_heading(titulo, 2)
            if frame.empty:
                self._para(vazio)
                continue
            rows = [
                [
                    _text(r["codigo"]),
                    "\n".join(x for x in (_text(r["acao"]), _text(r["meta"])) if x) or "—",
                    _text(r["situacao_a"]),
                    _text(r["situacao_b"]),
                    _text(r["justificativa_b"]) or T["sem_justificativa"],
                ]
                for _, r in frame.iterrows()
            ]
            self._table(
                [
                    *H["regressoes"],
                    str(antes),
                    str(agora),
                    P["justificativa_ano"].format(ano=agora),
                ],
                rows,
                [1.4, 5.2, 2.3, 2.3, 4.8],
                titulo=T["tit_regressoes"].format(titulo=titulo, antes=antes, ano=agora),
            )
            self._source()

    # --- closing and annex ------------------------------------------------------------------

    def _closing(self) -> None:
        texto = self.data.campos.get("consideracoes")
        for para in (texto or BLANK).split("\n\n"):
            self._para(para)

    def _annex(self) -> None:
        """The lists of goals not met and of the cancelled ones (the heading and the sentence
        are in the template)."""
        d = self.data
        for titulo, metas, vazio in _annex_groups(d):
            self._annex_list(titulo, metas, vazio)
        self._annex_list(
            "Metas canceladas",
            d.metas[d.metas["situacao"] == schema.CANCELADA],
            T["nenhuma_cancelada"],
            justificativa=P["deliberacao_cancelou"],
        )

    def _annex_list(
        self, title: str, metas: pd.DataFrame, empty: str, justificativa: str = "Justificativa"
    ) -> None:
        self.doc.add_heading(title, 2)
        if metas.empty:
            self._para(empty)
            return
        order = {e.numero: i for i, e in enumerate(self.data.plano.eixos)}
        metas = metas.assign(_o=metas["eixo_numero"].map(order)).sort_values("_o", kind="stable")
        widths = [1.2, 1.4, 5.2, 2.6, 5.6]
        execucao = metrics.with_execution(metas)["execucao_pct"]
        rows = []
        sem = T["sem_deliberacao"] if justificativa != "Justificativa" else T["sem_justificativa"]
        for idx, r in metas.iterrows():
            acao, meta = _text(r["acao"]), _text(r["meta"])
            rows.append(
                [
                    str(r["eixo_numero"]),
                    _text(r["codigo"]),
                    "\n".join(x for x in (acao, f"Meta: {meta}" if meta and acao else meta) if x)
                    or "—",
                    self._situacao(r, execucao.get(idx)),
                    _text(r["justificativa"]) or sem,
                ]
            )
        self._table(
            [*H["anexo"], justificativa],
            rows,
            widths,
            titulo=T["tit_anexo"].format(titulo=title, ano=self.data.ano),
        )
        self._source()


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def _acronyms_in(text: str) -> list[str]:
    """The acronyms of :data:`SIGLAS` the text uses, in alphabetical order."""
    used = []
    for sigla in SIGLAS:
        if re.search(rf"(?<![\w.]){re.escape(sigla)}(?![\w])", text):
            used.append(sigla)
    return sorted(used, key=lambda s: key(s))


def _fld_run(kind: str):
    """A run holding a field character (begin, separate, end)."""
    run = OxmlElement("w:r")
    fc = OxmlElement("w:fldChar")
    fc.set(qn("w:fldCharType"), kind)
    run.append(fc)
    return run


def _instr_run(text: str):
    """A run holding a field instruction."""
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {text} "
    run.append(instr)
    return run


# --- python-docx helpers (XML the API does not cover) ---------------------------------------


def _small(paragraph, size: float, color: RGBColor | None = None) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.color.rgb = color or RGBColor(0x55, 0x55, 0x55)


def _cell_text(
    cell, text: str, *, bold: bool = False, size: float = 9, right: bool = False
) -> None:
    """Replace a cell's text; each line of ``text`` becomes a paragraph."""
    lines = str(text).split("\n") if text else [""]
    first = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for i, line in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        for r in list(p.runs):
            r._r.getparent().remove(r._r)
        run = p.add_run(line)
        run.bold = bold
        run.font.size = Pt(size)
        if i > 0:
            run.font.size = Pt(size - 1)
        p.paragraph_format.space_after = Pt(1)
        p.paragraph_format.line_spacing = 1.0
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _keep_row_on_one_page(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _bold_row(row) -> None:
    for cell in row.cells:
        for p in cell.paragraphs:
            for r in p.runs:
                r.bold = True
