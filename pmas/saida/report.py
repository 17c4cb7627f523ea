"""The annual *Relatório de Monitoramento do PMAS*: an editable Word document built from the data.

``build_report(store, ano)`` reads the year's goals, the conference data, the previous year and
the report fields through the :class:`~pmas.dados.store.Store`, and returns a :class:`ReportResult`
(the .docx bytes and notes in Portuguese). No Streamlit here: the Relatório screen and the CLI
(``python -m pmas relatorio``) both call it.

The layout follows the introduction of Londrina's real 2022 report (the project's seed): what
the plan is and how it is evaluated, the participation process, who prepared the report and how
the council approved it; then the results per eixo, the comparison with the previous year and an
annex of the goals not met. Headings use Word's Heading 1/2 styles (a navigable outline) and
tables repeat their header row on every page. Every figure is :func:`pmas.analise.metrics.figures`
formatted by :mod:`pmas.fmt`, exactly as the dashboard shows it; the charts are the dashboard's
own Plotly figures (:mod:`pmas.saida.charts`) rendered by :mod:`pmas.saida.render`. Without a browser the
document is still produced, with its tables, and the notes say why the charts are missing.

**Which conference edition a report cites.** Conferences happen every two years and the report
of a year is written and approved during the next one (the 2022 report cites the 2023
conference). So a report of year *A* cites the most recent edition held between *A* − 1 and
*A* + 1; with none in that window the participation section is left out.

**Report fields** (per plan and year, :meth:`Store.report_fields`), see :data:`CAMPOS`:
``elaborado_por`` (text, best typed with its article: "a Diretoria de Gestão do SUAS/SMAS" reads
"elaborado pela Diretoria…"), ``comissoes`` (list of commission names), ``data_aprovacao``
(dd/mm/aaaa), ``resolucao`` (e.g. "083/2022"), ``publicacao`` (e.g. "o J.O.M. 5041, pág. 12",
read "publicada no J.O.M. …"), ``data_publicacao`` (dd/mm/aaaa). A field not filled in yet
prints as a blank line ("________").
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from pmas import fmt
from pmas.analise import comparacao, consulta, metrics
from pmas.dados import schema
from pmas.dados.plano import Eixo, Plano
from pmas.dados.store import Store, Version
from pmas.saida import charts as plots
from pmas.saida import render
from pmas.text import key, strip_controls, strip_controls_deep

# --- report fields --------------------------------------------------------------------------

CAMPOS: dict[str, str] = {
    "elaborado_por": "Elaborado por",
    "comissoes": "Comissões do CMAS que discutiram o relatório",
    "data_aprovacao": "Data da aprovação pelo CMAS",
    "resolucao": "Número da resolução do CMAS",
    "publicacao": "Onde a resolução foi publicada",
    "data_publicacao": "Data da publicação",
}
DATE_FIELDS = ("data_aprovacao", "data_publicacao")
BLANK = "________"
MIN_DATE, MAX_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)  # bounds of the date pickers
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def clean_fields(raw: dict) -> tuple[dict, list[str]]:
    """The report fields as stored: trimmed text, ``comissoes`` a list, dates "dd/mm/aaaa".

    Accepts ``comissoes`` as a list or as text with one commission per line (or separated by
    ";"), and dates as :class:`datetime.date` or text. Returns (fields, errors in Portuguese);
    empty values are left out.
    """
    out: dict = {}
    errors: list[str] = []
    for name in CAMPOS:
        value = raw.get(name)
        if name == "comissoes":
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
                    errors.append(
                        f"{CAMPOS[name]}: “{text}” não é uma data no formato "
                        f"dd/mm/aaaa (por exemplo 08/11/2023)."
                    )
        elif value is not None and str(value).strip():
            out[name] = " ".join(str(value).split())
    return out, errors


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


# --- result and data ------------------------------------------------------------------------


@dataclass
class ReportResult:
    """A built report: the .docx bytes, a file name, and notes for the reader (Portuguese).

    ``graficos`` is the number of charts placed in the document; ``sem_graficos`` says why the
    charts are missing (None when they are all there); ``notas`` holds every note to show,
    that one included ("Gráficos omitidos: …").
    """

    conteudo: bytes
    nome_arquivo: str
    municipio: str
    ano: int
    graficos: int = 0
    sem_graficos: str | None = None
    notas: list[str] = field(default_factory=list)


@dataclass
class _Data:
    plano: Plano
    ano: int
    metas: pd.DataFrame
    campos: dict
    edicao: dict | None
    ano_anterior: int | None
    metas_anteriores: pd.DataFrame | None
    versoes: list[Version]

    @property
    def exemplo(self) -> bool:
        return bool(self.versoes) and all(v.exemplo for v in self.versoes)


Progress = Callable[[float, str], None]


def conference_edition(editions: list[dict], ano: int) -> dict | None:
    """The edition a report of ``ano`` cites: the latest held from ``ano - 1`` to ``ano + 1``."""
    near = [e for e in editions if ano - 1 <= e["ano"] <= ano + 1]
    return max(near, key=lambda e: e["ano"]) if near else None


def build_report(
    store: Store,
    ano: int,
    municipio: str | None = None,
    *,
    charts: bool = True,
    progress: Progress | None = None,
) -> ReportResult:
    """The year's Relatório de Monitoramento as a .docx (see the module docstring).

    Raises :class:`pmas.analise.consulta.SemDados` (Portuguese message) when the plan or the year has no
    goals. ``progress(fraction, text)`` is called as the work advances.
    """
    step = progress or (lambda _f, _t: None)
    step(0.02, "Lendo os dados do ano…")
    data = _gather(store, ano, municipio)
    notas: list[str] = []
    if data.exemplo:
        notas.append(
            "O relatório foi gerado com os dados de exemplo (fictícios); importe a "
            "planilha do município para ter o relatório real."
        )

    images: dict[str, bytes] = {}
    sem_graficos = None
    if not charts:
        sem_graficos = "o relatório foi gerado sem gráficos, como pedido"
    elif figures := _figures(data):
        step(0.1, "Desenhando os gráficos…")
        names = list(figures)
        try:
            pngs = render.png_images(
                list(figures.values()),
                on_each=lambda done, total: step(
                    0.1 + 0.7 * done / total, f"Desenhando os gráficos ({done} de {total})…"
                ),
            )
            images = dict(zip(names, pngs))
        except render.RenderUnavailable as exc:
            sem_graficos = (
                f"{exc}; o documento traz todas as tabelas, e basta gerá-lo de novo "
                f"quando o navegador estiver disponível para incluir os gráficos"
            )
    if sem_graficos:
        notas.insert(0, f"Gráficos omitidos: {sem_graficos}.")

    step(0.85, "Montando o documento…")
    doc = _Writer(data, images).document()
    buf = io.BytesIO()
    doc.save(buf)
    step(1.0, "Relatório pronto.")
    slug = re.sub(r"\s+", "_", key(data.plano.municipio)) or "municipio"
    return ReportResult(
        conteudo=buf.getvalue(),
        nome_arquivo=f"relatorio_monitoramento_pmas_{slug}_{ano}.docx",
        municipio=data.plano.municipio,
        ano=ano,
        graficos=len(images),
        sem_graficos=sem_graficos,
        notas=notas,
    )


def _gather(store: Store, ano: int, municipio: str | None) -> _Data:
    plano_id, plano = consulta.plan_for(store, municipio)
    todas = store.load("metas", plano_id)
    anos = consulta.goal_years(todas)
    if ano not in anos:
        disponiveis = f" (anos com metas: {', '.join(map(str, anos))})" if anos else ""
        raise consulta.SemDados(
            f"Não há metas de {ano} no banco de dados para "
            f"{plano.municipio} – {plano.nome}{disponiveis}; "
            f"importe a planilha do ano antes de gerar o relatório."
        )
    anterior = metrics.previous_year(anos, ano)
    conf = store.load("conferencias", plano_id)
    edicao = conference_edition(metrics.conference_summary(conf), ano)
    versoes = [v for v in store.current_versions(plano_id) if v.ano == ano]
    # A control character anywhere (an old import, a report field, a plan name) would make the
    # document impossible to write: every text is cleaned of them here, once.
    return _Data(
        plano=_xml_safe_plan(plano),
        ano=ano,
        metas=_xml_safe_frame(todas[todas["ano"] == ano].reset_index(drop=True)),
        campos=strip_controls_deep(store.report_fields(plano_id, ano)),
        edicao=strip_controls_deep(edicao),
        ano_anterior=anterior,
        metas_anteriores=(
            _xml_safe_frame(todas[todas["ano"] == anterior].reset_index(drop=True))
            if anterior is not None
            else None
        ),
        versoes=versoes,
    )


def _xml_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with control characters removed from its text columns."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            texts = out[column].map(lambda v: isinstance(v, str), na_action="ignore").fillna(False)
            if texts.any():
                out.loc[texts.astype(bool), column] = out.loc[texts.astype(bool), column].map(
                    strip_controls
                )
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


def _figures(data: _Data) -> dict[str, object]:
    """The Plotly figures of the document, by name, built by pmas.saida.charts as on the dashboard."""
    figs: dict[str, object] = {}
    by_eixo = metrics.completion_by_eixo(data.metas, data.plano)
    by_eixo = by_eixo[by_eixo["metas"] > 0]
    if by_eixo.empty:
        return figs
    figs["geral_situacao"] = _for_print(plots.completion_bars(by_eixo, "rotulo"))
    if by_eixo["indice_cumprimento"].notna().any():
        figs["geral_indice"] = _for_print(plots.indice_bars(by_eixo, "rotulo"))
    for eixo in data.plano.eixos:
        group = data.metas[data.metas["eixo_numero"] == eixo.numero]
        if group.empty:
            continue
        rows = []
        for i, (name, g) in enumerate(_diretrizes(group), start=1):
            f = metrics.figures(g)
            rows.append(
                {"diretriz": _diretriz_label(i, name), "metas": f["metas"], **f["situacoes"]}
            )
        figs[f"eixo_{eixo.numero}"] = _for_print(
            plots.completion_bars(pd.DataFrame(rows), "diretriz")
        )
    if data.metas_anteriores is not None:
        frame = _comparison_frame(data)
        if not frame.empty:
            figs["comparacao"] = _for_print(
                plots.grouped_bars(
                    frame, "eixo", "indice_cumprimento", "ano", y_title="Índice de cumprimento (%)"
                )
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


# --- the document ---------------------------------------------------------------------------

FONT = "Arial"
HEADING_COLOR = RGBColor(0x1F, 0x3A, 0x5F)
HEADER_FILL = "D9E2F3"
GROUP_FILL = "F2F2F2"
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) less 2,5 cm margins on each side
STATUS_PLURAL = {
    schema.REALIZADA: ("realizada", "realizadas"),
    schema.PARCIAL: ("parcialmente realizada", "parcialmente realizadas"),
    schema.EM_ANDAMENTO: ("em andamento", "em andamento"),
    schema.NAO_INICIADA: ("não iniciada", "não iniciadas"),
    schema.NAO_REALIZADA: ("não realizada", "não realizadas"),
    schema.CANCELADA: ("cancelada", "canceladas"),
    schema.NAO_SE_APLICA: ("que não se aplica ao ano", "que não se aplicam ao ano"),
}
SEGMENT_PROSE = {
    schema.USUARIOS: "usuários",
    schema.TRABALHADORES: "trabalhadores",
    schema.ENTIDADES: "entidades prestadoras de serviços",
    schema.GESTORES: "gestores",
}
FIGURE_LABELS = {
    "pct_realizadas": "% realizadas",
    "pct_realizadas_ou_parciais": "% realizadas ou parciais",
    "indice_cumprimento": "Índice de cumprimento",
}


def _join(items: list[str]) -> str:
    """["a", "b", "c"] → "a, b e c"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " e " + items[-1]


def _count(n: int, singular: str, plural: str) -> str:
    return f"{fmt.numero(n)} {singular if n == 1 else plural}"


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


class _Writer:
    """Writes one document; a class only to keep the document and the data at hand."""

    def __init__(self, data: _Data, images: dict[str, bytes]):
        self.data = data
        self.images = images
        self.doc = Document()

    # --- page, styles, header and footer ----------------------------------------------------

    def _setup(self) -> None:
        doc = self.doc
        sec = doc.sections[0]
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Cm(21), Cm(29.7)
        sec.left_margin = sec.right_margin = Cm(2.5)
        sec.top_margin, sec.bottom_margin = Cm(2.5), Cm(2)
        styles = doc.styles
        normal = styles["Normal"]
        _font(normal, FONT, 11)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.15
        _language(normal, "pt-BR")
        for name, size in (
            ("Title", 20),
            ("Subtitle", 13),
            ("Heading 1", 15),
            ("Heading 2", 12.5),
            ("Caption", 9),
        ):
            style = styles[name]
            _font(style, FONT, size)
            if name.startswith("Heading") or name == "Title":
                style.font.color.rgb = HEADING_COLOR
                style.font.bold = True
        styles["Heading 1"].paragraph_format.space_before = Pt(18)
        styles["Heading 1"].paragraph_format.space_after = Pt(8)
        styles["Heading 2"].paragraph_format.space_before = Pt(12)
        styles["Heading 2"].paragraph_format.space_after = Pt(6)
        styles["Caption"].font.italic = True
        styles["Caption"].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        plano = self.data.plano
        core = doc.core_properties
        core.title = f"Relatório de Monitoramento do PMAS – {plano.municipio} – Ano {self.data.ano}"
        core.subject = f"{plano.nome} – monitoramento do ano {self.data.ano}"
        autor = _contract("por", self.data.campos.get("elaborado_por")).partition(" ")[2]
        core.author = autor if autor != BLANK else "PMAS Monitor"
        core.language = "pt-BR"

        head = sec.header.paragraphs[0]
        head.text = f"Relatório de Monitoramento do PMAS · {plano.municipio} · Ano {self.data.ano}"
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _small(head, 8)
        foot = sec.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        foot.add_run("Página ")
        _field(foot, "PAGE")
        foot.add_run(" de ")
        _field(foot, "NUMPAGES")
        _small(foot, 8)

    # --- building blocks ----------------------------------------------------------------------

    def _para(self, text: str = "", *, justify: bool = True):
        p = self.doc.add_paragraph()
        if justify:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if text:
            p.add_run(text)
        return p

    def _table(
        self,
        headers: list[str],
        rows: list[list[str]],
        widths_cm: list[float],
        *,
        right: tuple[int, ...] = (),
        size: float = 9,
    ):
        """A table with a shaded header row repeated on every page; ``right`` aligns columns
        of numbers. Rows added later take their widths from the table's grid."""
        t = self.doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
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

    def _chart(self, name: str, caption: str) -> None:
        png = self.images.get(name)
        if png is None:
            return
        self.doc.add_picture(io.BytesIO(png), width=Cm(TEXT_WIDTH_CM))
        pic = self.doc.paragraphs[-1]
        pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pic.paragraph_format.keep_with_next = True
        self.doc.add_paragraph(caption, style="Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER

    # --- the document -------------------------------------------------------------------------

    def document(self):
        self._setup()
        self._title()
        self._plan()
        if self.data.edicao is not None:
            self._participation()
        self._approval()
        self._overall()
        for eixo in self.data.plano.eixos:
            self._eixo(eixo)
        if self.data.ano_anterior is not None:
            self._comparison()
        self._annex()
        return self.doc

    def _title(self) -> None:
        d, plano = self.data, self.data.plano
        title = self.doc.add_paragraph(style="Title")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.add_run("Relatório de Monitoramento do Plano Municipal de Assistência Social")
        title.add_run().add_break(WD_BREAK.LINE)
        title.add_run(f"Ano {d.ano}")
        uf = f" ({plano.uf})" if plano.uf else ""
        sub = self.doc.add_paragraph(style="Subtitle")
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sub.add_run(f"Município de {plano.municipio}{uf}")
        sub.add_run().add_break(WD_BREAK.LINE)
        sub.add_run(f"{plano.nome} – vigência de {plano.ano_inicio} a {plano.ano_fim}")
        origem = self._para(justify=False)
        origem.alignment = WD_ALIGN_PARAGRAPH.CENTER
        text = f"Documento gerado em {fmt.data(dt.date.today())} pelo PMAS Monitor"
        v = d.versoes[0] if d.versoes else None
        if v is not None:
            arquivo = f" (arquivo {v.arquivo_nome})" if v.arquivo_nome else ""
            quem = "" if v.exemplo else f" por {v.usuario}"
            text += (
                f", com os dados de monitoramento de {d.ano} na versão {v.numero}"
                f"{arquivo}, importada em {fmt.data(v.criado_em)}{quem}"
            )
        origem.add_run(text + ".")
        _small(origem, 9)
        if d.exemplo:
            aviso = self._para(justify=False)
            aviso.alignment = WD_ALIGN_PARAGRAPH.CENTER
            aviso.add_run(
                "Atenção: documento gerado com DADOS DE EXEMPLO, fictícios; as metas, "
                "as situações e as justificativas não são resultados reais."
            ).bold = True
            _small(aviso, 9, RGBColor(0xB0, 0x3A, 0x00))

    def _plan(self) -> None:
        d, plano = self.data, self.data.plano
        self.doc.add_heading("O Plano Municipal de Assistência Social e a sua avaliação", 1)
        self._para(
            f"O Plano Municipal de Assistência Social (PMAS) de {plano.municipio} é o instrumento "
            f"com que o município planeja, a cada quatro anos, a política de assistência social. "
            f"O {plano.nome} define, para o período de {plano.ano_inicio} a {plano.ano_fim}, os "
            f"eixos, as diretrizes, as ações, as estratégias e as metas que organizam e orientam "
            f"o trabalho da rede socioassistencial no município."
        )
        self._para(
            "Construído coletivamente por quem faz a política – trabalhadores, gestores, "
            "entidades e usuários –, a partir do diagnóstico socioterritorial e das deliberações "
            "das conferências, o Plano permite olhar para a capacidade de proteção social do "
            "município, reconhecer as demandas e as ofertas existentes e apontar as situações em "
            "que a proteção precisa ser ampliada. É, assim, o guia da ação governamental na área "
            "e a referência para o acompanhamento que o Conselho Municipal de Assistência Social "
            "(CMAS) faz dessa ação."
        )
        nomes = [e.nome for e in plano.eixos]
        self._para(
            f"A avaliação do Plano é periódica e acontece ao final de cada exercício, com a "
            f"análise do cumprimento das metas de cada um dos seus "
            f"{_count(len(nomes), 'eixo', 'eixos')}: {'; '.join(nomes[:-1])}"
            f"{'; e ' if len(nomes) > 1 else ''}{nomes[-1] if nomes else ''}. Este relatório "
            f"apresenta a avaliação do ano de {d.ano}, feita a partir dos dados de monitoramento "
            f"registrados pela gestão."
        )
        self._para(
            "Para cada eixo, e para o Plano como um todo, são apresentados três indicadores. O "
            "percentual de metas realizadas considera apenas as metas integralmente cumpridas; o "
            "percentual de metas realizadas ou parciais soma a elas as parcialmente realizadas; e "
            "o índice de cumprimento é a média das notas das metas: a razão entre o realizado e o "
            "previsto, limitada a 100%, quando a meta tem números, ou, sem números, 1 para a meta "
            "realizada, 0,5 para a parcialmente realizada ou em andamento e 0 para a não iniciada "
            "ou não realizada. Metas canceladas ou que não se aplicam ao ano não entram no "
            "cálculo."
        )
        self._para(
            "Para que o monitoramento e a avaliação sejam também participativos, recomenda-se "
            "que o acompanhamento do Plano conte com uma comissão que reúna os diversos segmentos "
            "envolvidos na política – trabalhadores, gestores, prestadores de serviços e "
            "usuários –, com a representação do Conselho Municipal de Assistência Social."
        )

    def _participation(self) -> None:
        d, e = self.data, self.data.edicao
        self.doc.add_heading("Processo participativo", 1)
        lugares = []
        if e["por_regiao"]:
            lugares.append(f"nas regiões {_join(list(e['por_regiao']))}")
        if e["por_publico"]:
            publicos = [_lower_first(p) for p in e["por_publico"]]
            lista = "; ".join(publicos[:-1]) + ("; e " if len(publicos) > 1 else "") + publicos[-1]
            lugares.append(f"em encontros com públicos específicos: {lista}")
        onde = f" ({_join(lugares)})" if lugares else ""
        segs = {**e["por_segmento"], **e["por_segmento_conferencia_municipal"]}
        quem = [SEGMENT_PROSE.get(s, s.lower()) for s in schema.SEGMENTS if segs.get(s)]
        quando = (
            f"realizado em {e['ano']}, durante a elaboração deste relatório,"
            if e["ano"] > d.ano
            else f"de {e['ano']},"
        )
        partes = []
        if e["pre_conferencias"]:
            pessoas = _count(e["participantes_pre_conferencias"], "pessoa", "pessoas")
            eventos = _count(
                e["pre_conferencias"], "pré-conferência realizada", "pré-conferências realizadas"
            )
            partes.append(f"{pessoas} nas {eventos}{onde}")
        if e["participantes_conferencia_municipal"]:
            mun = _count(e["participantes_conferencia_municipal"], "pessoa", "pessoas")
            eleitos = (
                f", que elegeu {_count(e['delegados'], 'delegado', 'delegados')}"
                if e["delegados"]
                else ""
            )
            partes.append(f"{mun} na Conferência Municipal{eleitos}")
        texto = (
            f"A discussão das ações do Plano com a população aconteceu no processo "
            f"conferencial {quando}"
        )
        texto = f"{texto} que envolveu {' e '.join(partes)}." if partes else texto.rstrip(",") + "."
        if quem:
            texto += (
                f" Participaram representantes de {_join(quem)}, governamentais e não "
                f"governamentais."
            )
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
            self._para(
                f"Participantes do processo conferencial de {e['ano']} por segmento:", justify=False
            ).paragraph_format.keep_with_next = True
            t = self._table(
                ["Segmento", "Pré-conferências", "Conferência Municipal"],
                rows,
                [7, 4.5, 4.5],
                right=(1, 2),
            )
            _bold_row(t.rows[-1])

    def _approval(self) -> None:
        d, c = self.data, self.data.campos
        municipio = d.plano.municipio
        self.doc.add_heading("Elaboração e aprovação do relatório", 1)
        comissoes = c.get("comissoes") or []
        if comissoes:
            lista = (
                f"sendo {'esta' if len(comissoes) == 1 else 'estas'}: "
                f"{'; '.join(comissoes[:-1])}{' e ' if len(comissoes) > 1 else ''}"
                f"{comissoes[-1]}"
            )
        else:
            lista = f"sendo estas: {BLANK}"
        self._para(
            f"O Relatório foi elaborado {_contract('por', c.get('elaborado_por'))}, "
            f"apresentado e discutido no âmbito das Comissões do CMAS de {municipio}, "
            f"{lista}."
        )
        self._para(
            f"O resultado dos trabalhos foi apresentado ao Conselho Municipal de "
            f"Assistência Social de {municipio} e aprovado em "
            f"{c.get('data_aprovacao') or BLANK}, por meio da Resolução "
            f"{c.get('resolucao') or BLANK}, publicada "
            f"{_contract('em', c.get('publicacao'))}, em "
            f"{c.get('data_publicacao') or BLANK}."
        )

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
                "Total do Plano",
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
        self.doc.add_heading(f"Resultado geral do ano de {d.ano}", 1)
        self._para(
            f"Em {d.ano}, o Plano teve {_count(total['metas'], 'meta', 'metas')} monitoradas, "
            f"das quais {_count(total['avaliaveis'], 'avaliável', 'avaliáveis')}: "
            f"{self._status_counts(total)}. Foram realizadas {fmt.pct(total['pct_realizadas'])} "
            f"das metas avaliáveis; realizadas ou parcialmente realizadas, "
            f"{fmt.pct(total['pct_realizadas_ou_parciais'])}; e o índice de cumprimento do Plano "
            f"foi de {fmt.pct(total['indice_cumprimento'])}."
        )
        by_eixo = metrics.completion_by_eixo(d.metas, d.plano)
        self._para(
            "Cumprimento das metas por eixo:", justify=False
        ).paragraph_format.keep_with_next = True
        t = self._table(
            [
                "Eixo",
                "Metas",
                "Avaliáveis",
                "% realizadas",
                "% realizadas ou parciais",
                "Índice de cumprimento",
            ],
            self._figures_rows(by_eixo, total),
            [5.4, 1.5, 2.0, 2.2, 2.4, 2.5],
            right=(1, 2, 3, 4, 5),
        )
        _bold_row(t.rows[-1])
        self._chart(
            "geral_situacao",
            f"Gráfico – Situação das metas por eixo, {d.ano} (percentual das metas avaliáveis de "
            f"cada eixo; as canceladas e as que não se aplicam no ano, fora do cálculo, aparecem "
            f"ao lado da barra)",
        )
        self._chart("geral_indice", f"Gráfico – Índice de cumprimento por eixo, {d.ano}")

    @staticmethod
    def _status_counts(f: dict) -> str:
        parts = [_count(n, *STATUS_PLURAL[s]) for s, n in f["situacoes"].items() if n]
        return _join(parts) if parts else "nenhuma meta"

    def _eixo(self, eixo: Eixo) -> None:
        d = self.data
        metas = d.metas[d.metas["eixo_numero"] == eixo.numero]
        self._chapter(f"Eixo {eixo.numero} – {eixo.nome}")
        if metas.empty:
            self._para(f"Não há metas deste eixo registradas para {d.ano}.")
            return
        f = metrics.figures(metas)
        self._para(
            f"Em {d.ano}, o eixo teve {_count(f['metas'], 'meta', 'metas')}, das quais "
            f"{_count(f['avaliaveis'], 'avaliável', 'avaliáveis')}: {self._status_counts(f)}."
        )
        self._table(
            [
                "Metas",
                "Avaliáveis",
                "% realizadas",
                "% realizadas ou parciais",
                "Índice de cumprimento",
            ],
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
        )
        self._para()
        self._chart(
            f"eixo_{eixo.numero}",
            f"Gráfico – Situação das metas do Eixo {eixo.numero} por diretriz, {d.ano}",
        )
        self._para(
            f"Metas do Eixo {eixo.numero} por diretriz:", justify=False
        ).paragraph_format.keep_with_next = True
        widths = [1.4, 4.1, 4.1, 2.6, 3.8]
        t = self._table(["Cód.", "Ação", "Meta", "Situação", "Justificativa"], [], widths)
        execucao = metrics.with_execution(metas)["execucao_pct"]
        for i, (name, g) in enumerate(_diretrizes(metas), start=1):
            label = _diretriz_label(i, name)
            self._group_row(t, f"{label} – {name}" if name else label)
            for idx, r in g.iterrows():
                self._row(
                    t,
                    [
                        _text(r["codigo"]),
                        _text(r["acao"]) or "—",
                        _text(r["meta"]) or "—",
                        self._situacao(r, execucao.get(idx)),
                        _text(r["justificativa"]) or "—",
                    ],
                )

    @staticmethod
    def _situacao(r, execucao: float | None) -> str:
        text = _text(r["situacao"])
        prev, real = r.get("previsto"), r.get("realizado")
        if execucao is not None and not pd.isna(execucao):
            if not pd.isna(prev) and not pd.isna(real):
                casas = max(_places(prev), _places(real))
                text += (
                    f"\nPrevisto {fmt.numero(prev, casas)}; realizado "
                    f"{fmt.numero(real, casas)} ({fmt.pct(execucao)})"
                )
            else:
                text += f"\nExecução: {fmt.pct(execucao)}"
        return text

    def _comparison(self) -> None:
        d = self.data
        antes, agora = d.ano_anterior, d.ano
        self._chapter(f"Comparação com {antes}")
        nota = "" if antes == agora - 1 else " (o ano anterior mais recente com dados)"
        self._para(
            f"A tabela compara os indicadores de {agora} com os de {antes}{nota}. A "
            f"variação é dada em pontos percentuais (p.p.): positiva quando o indicador "
            f"melhorou."
        )
        eixos = comparacao.eixo_changes(d.metas_anteriores, d.metas, d.plano)
        groups = [(f"{e['numero']}. {e['nome']}", e) for e in eixos]
        groups.append(("Total do Plano", comparacao.total_changes(d.metas_anteriores, d.metas)))
        t = self._table(
            ["Eixo e indicador", str(antes), str(agora), "Variação"],
            [],
            [8.8, 2.3, 2.3, 2.6],
            right=(1, 2, 3),
        )
        for name, changes in groups:
            self._group_row(t, name)
            for k, label in FIGURE_LABELS.items():
                c = changes[k]
                self._row(
                    t,
                    [label, fmt.pct(c["de"]), fmt.pct(c["para"]), fmt.pp(c["variacao_pp"])],
                    right=(1, 2, 3),
                )
        self._para()
        self._chart("comparacao", f"Gráfico – Índice de cumprimento por eixo, {antes} e {agora}")

    def _annex(self) -> None:
        d = self.data
        self._chapter(f"Anexo – Metas não cumpridas em {d.ano}")
        self._para(
            "Este anexo reúne as metas que não foram cumpridas no ano, com a "
            "justificativa registrada pela gestão, para a análise do Conselho e das suas "
            "comissões."
        )
        nao = d.metas[d.metas["situacao"].isin([schema.NAO_REALIZADA, schema.NAO_INICIADA])]
        self._annex_list(
            "Metas não realizadas ou não iniciadas",
            nao,
            "Nenhuma meta ficou como não realizada ou não iniciada.",
        )
        parciais = d.metas[d.metas["situacao"] == schema.PARCIAL]
        self._annex_list(
            "Metas parcialmente realizadas",
            parciais,
            "Nenhuma meta ficou como parcialmente realizada.",
        )

    def _annex_list(self, title: str, metas: pd.DataFrame, empty: str) -> None:
        self.doc.add_heading(title, 2)
        if metas.empty:
            self._para(empty)
            return
        order = {e.numero: i for i, e in enumerate(self.data.plano.eixos)}
        metas = metas.assign(_o=metas["eixo_numero"].map(order)).sort_values("_o", kind="stable")
        widths = [1.2, 1.4, 5.2, 2.6, 5.6]
        rows = []
        for _, r in metas.iterrows():
            acao, meta = _text(r["acao"]), _text(r["meta"])
            rows.append(
                [
                    str(r["eixo_numero"]),
                    _text(r["codigo"]),
                    "\n".join(x for x in (acao, f"Meta: {meta}" if meta and acao else meta) if x)
                    or "—",
                    _text(r["situacao"]),
                    _text(r["justificativa"]) or "Sem justificativa informada.",
                ]
            )
        self._table(["Eixo", "Cód.", "Ação e meta", "Situação", "Justificativa"], rows, widths)


# --- python-docx helpers (XML the API does not cover) ---------------------------------------


def _font(style, name: str, size: float) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)  # a theme font would win over the name
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _language(style, lang: str) -> None:
    rpr = style.element.get_or_add_rPr()
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), lang)


def _small(paragraph, size: float, color: RGBColor | None = None) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.color.rgb = color or RGBColor(0x55, 0x55, 0x55)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out pages."""
    for kind, text in (
        ("begin", None),
        (None, f" {instruction} "),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            run._r.append(fc)
        elif text.strip() == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text


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
