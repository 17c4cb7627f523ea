"""The report's Word template: the fixed wording and the styles, with placeholders.

The default template (``data/relatorio/modelo_relatorio.docx``, rebuilt by ``python -m
pmas.saida.relatorio.modelo``) reproduces the generated document: cover, identification page,
sumário, lista de siglas, the plan and how it is evaluated, the comissão de acompanhamento, the
approval paragraphs, and one marker per computed section. A municipality downloads it, edits the
wording and the styles in Word or LibreOffice, and uploads it on the Relatório screen (kept per
plan, :func:`save`).

Placeholders are Jinja (docxtpl): ``{{ municipio }}``, ``{{ ano }}``, … (:data:`PLACEHOLDERS`
lists them with what they hold). A paragraph holding only a section marker such as
``{{ secao_eixos }}`` is replaced by that computed section (tables, charts); deleting the
paragraph leaves the section out. Templates are rendered in Jinja's sandbox: an uploaded file
cannot reach Python.
"""

from __future__ import annotations

import io
from pathlib import Path

import jinja2
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_PATH = ROOT / "data" / "relatorio" / "modelo_relatorio.docx"
MAX_BYTES = 10 * 1024 * 1024

FONT = "Arial"
HEADING_COLOR = RGBColor(0x1F, 0x3A, 0x5F)

SECOES = (
    "secao_sumario",
    "secao_siglas",
    "secao_participacao",
    "secao_deliberacoes",
    "secao_resultado_geral",
    "secao_orcamento",
    "secao_indicadores",
    "secao_eixos",
    "secao_comparacao",
    "secao_consideracoes",
    "secao_anexo",
)
PLACEHOLDERS: dict[str, str] = {
    "municipio": "nome do município",
    "uf": "“ (PR)”: a UF entre parênteses, ou vazio",
    "plano": "nome do plano (PMAS 2022-2025)",
    "ano": "ano de referência do relatório",
    "ano_inicio": "primeiro ano do plano",
    "ano_fim": "último ano do plano",
    "duracao_anos": "anos de vigência do plano, por extenso (quatro)",
    "n_eixos_extenso": "número de eixos por extenso (cinco)",
    "eixos_lista": "os nomes dos eixos, separados por “;” e “; e”",
    "exemplo": "verdadeiro quando o relatório usa os dados de exemplo",
    "prefeito": "Prefeito(a) Municipal",
    "secretario": "Secretário(a) Municipal de Assistência Social",
    "elaborado_por": "quem elaborou, como digitado (a Diretoria de Gestão do SUAS)",
    "elaborado_por_contraido": "“pela Diretoria de Gestão do SUAS”",
    "equipe": "a equipe de elaboração, em lista",
    "comissoes_lista": "“sendo estas: …” com as comissões",
    "data_reuniao": "data da reunião do CMAS",
    "data_aprovacao": "data da aprovação",
    "resolucao": "número da resolução",
    "publicacao_contraida": "“no J.O.M. nº 5041, p. 12”",
    "data_publicacao": "data da publicação",
    "link": "link da publicação",
    "acompanhamento": "“sim”, “nao” ou vazio",
    "acompanhamento_detalhe": "“: composição ou motivo”, ou vazio",
    "nota_versao": "a frase sobre a versão aprovada pelo CMAS, quando os dados mudaram depois",
    **{s: "seção calculada (sozinha no parágrafo)" for s in SECOES},
}


class ModeloInvalido(ValueError):
    """An uploaded template that cannot be used (message in Portuguese)."""


# --- the default template -------------------------------------------------------------------


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


def field(paragraph, instruction: str, cached: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out pages."""
    for kind, text in (
        ("begin", None),
        ("instr", f" {instruction} "),
        ("separate", None),
        ("text", cached),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            run._r.append(fc)


def _small(paragraph, size: float, color: RGBColor | None = None) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.color.rgb = color or RGBColor(0x55, 0x55, 0x55)


def build_default() -> bytes:
    """The default template, as .docx bytes."""
    doc = Document()
    sec = doc.sections[0]
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

    head = sec.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    head.add_run("Relatório de Monitoramento do PMAS · {{ municipio }} · Ano {{ ano }}")
    _small(head, 8)
    aviso = head.add_run("{% if exemplo %} · DADOS DE EXEMPLO (fictícios){% endif %}")
    aviso.bold = True
    aviso.font.size = Pt(8)
    aviso.font.color.rgb = RGBColor(0xB0, 0x3A, 0x00)
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("Página ")
    field(foot, "PAGE")
    foot.add_run(" de ")
    field(foot, "NUMPAGES")
    _small(foot, 8)

    def para(text: str = "", style: str | None = None, *, center=False, justify=True):
        p = doc.add_paragraph(style=style)
        if text:
            p.add_run(text)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif justify and style is None:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        return p

    def page_break() -> None:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # cover
    title = para(style="Title", center=True)
    title.add_run("Relatório de Monitoramento do Plano Municipal de Assistência Social")
    title.add_run().add_break(WD_BREAK.LINE)
    title.add_run("Ano {{ ano }}")
    sub = para(style="Subtitle", center=True)
    sub.add_run("Município de {{ municipio }}{{ uf }}")
    sub.add_run().add_break(WD_BREAK.LINE)
    sub.add_run("{{ plano }} – vigência de {{ ano_inicio }} a {{ ano_fim }}")
    para("{%p if exemplo %}")
    aviso = para(center=True)
    aviso.add_run(
        "Atenção: documento gerado com DADOS DE EXEMPLO, fictícios; as metas, as situações e as "
        "justificativas não são resultados reais."
    ).bold = True
    _small(aviso, 9, RGBColor(0xB0, 0x3A, 0x00))
    para("{%p endif %}")
    page_break()

    # identification page
    para("Identificação", "Subtitle")
    for text in (
        "Município: {{ municipio }}{{ uf }}",
        "Prefeito(a) Municipal: {{ prefeito }}",
        "Secretário(a) Municipal de Assistência Social: {{ secretario }}",
        "Elaboração: {{ elaborado_por }}",
        "Equipe de elaboração: {{ equipe }}",
        "Plano: {{ plano }} – vigência de {{ ano_inicio }} a {{ ano_fim }}",
        "Relatório apreciado pelo Conselho Municipal de Assistência Social (CMAS) de "
        "{{ municipio }}.",
    ):
        para(text, justify=False)
    page_break()

    para("Sumário", "Subtitle")
    para("{{ secao_sumario }}", justify=False)
    para("Lista de siglas", "Subtitle")
    para("{{ secao_siglas }}", justify=False)

    h = doc.add_heading("O Plano Municipal de Assistência Social e a sua avaliação", 1)
    h.paragraph_format.page_break_before = True
    para(
        "O Plano Municipal de Assistência Social (PMAS) de {{ municipio }} é o instrumento com "
        "que o município planeja, a cada {{ duracao_anos }} anos, a política de assistência "
        "social. O {{ plano }} define, para o período de {{ ano_inicio }} a {{ ano_fim }}, os "
        "eixos, as diretrizes, as ações, as estratégias e as metas que organizam e orientam o "
        "trabalho da rede socioassistencial no município."
    )
    para(
        "Construído coletivamente por quem faz a política – trabalhadores, gestores, entidades e "
        "usuários –, a partir do diagnóstico socioterritorial e das deliberações das "
        "conferências, o Plano permite olhar para a capacidade de proteção social do município, "
        "reconhecer as demandas e as ofertas existentes e apontar as situações em que a proteção "
        "precisa ser ampliada. É, assim, o guia da ação governamental na área e a referência "
        "para o acompanhamento que o Conselho Municipal de Assistência Social (CMAS) faz dessa "
        "ação."
    )
    para(
        "A avaliação do Plano é periódica e acontece ao final de cada exercício, com a análise do "
        "cumprimento das metas de cada um dos seus {{ n_eixos_extenso }}: {{ eixos_lista }}. "
        "Este relatório apresenta a avaliação do ano de {{ ano }}, feita a partir dos dados de "
        "monitoramento registrados pela gestão."
    )
    para(
        "Para cada eixo, e para o Plano como um todo, são apresentados três indicadores. O "
        "percentual de metas realizadas considera apenas as metas integralmente cumpridas; o "
        "percentual de metas realizadas ou parciais soma a elas as parcialmente realizadas; e o "
        "índice de cumprimento é a média das notas das metas: a razão entre o realizado e o "
        "previsto, limitada a 100%, quando a meta tem números (nas metas de redução, em que "
        "quanto menor, melhor, a razão entre o previsto e o realizado), ou, sem números, 1 para "
        "a meta realizada, 0,5 para a parcialmente realizada ou em andamento e 0 para a não "
        "iniciada ou não realizada. Os percentuais são calculados sobre as metas avaliáveis: "
        "metas canceladas ou que não se aplicam ao ano não entram no cálculo."
    )
    para(
        "Para que o monitoramento e a avaliação sejam também participativos, recomenda-se que o "
        "acompanhamento do Plano conte com uma comissão que reúna os diversos segmentos "
        "envolvidos na política – trabalhadores, gestores, prestadores de serviços e usuários –, "
        "com a representação do Conselho Municipal de Assistência Social."
    )
    para('{%p if acompanhamento == "sim" %}')
    para(
        "Em {{ ano }}, o acompanhamento do Plano contou com a comissão de acompanhamento, "
        "formada para esse fim{{ acompanhamento_detalhe }}."
    )
    para('{%p elif acompanhamento == "nao" %}')
    para(
        "Em {{ ano }}, não foi formada a comissão de acompanhamento do Plano"
        "{{ acompanhamento_detalhe }}."
    )
    para("{%p else %}")
    para(
        "Em {{ ano }}, a comissão de acompanhamento do Plano: ________ (informe se foi formada "
        "e, se não, por quê)."
    )
    para("{%p endif %}")

    para("{{ secao_participacao }}", justify=False)
    para("{{ secao_deliberacoes }}", justify=False)

    doc.add_heading("Elaboração e aprovação do relatório", 1)
    para(
        "O Relatório foi elaborado {{ elaborado_por_contraido }}, apresentado e discutido no "
        "âmbito das Comissões do CMAS de {{ municipio }}, {{ comissoes_lista }}."
    )
    para(
        "O resultado dos trabalhos foi apresentado ao Conselho Municipal de Assistência Social "
        "de {{ municipio }} e aprovado em {{ data_aprovacao }}, por meio da Resolução "
        "{{ resolucao }}, publicada {{ publicacao_contraida }}, em {{ data_publicacao }}."
    )
    para("{%p if link %}")
    para("A publicação está disponível em {{ link }}.")
    para("{%p endif %}")
    para("{%p if nota_versao %}")
    para("{{ nota_versao }}")
    para("{%p endif %}")

    for secao in (
        "secao_resultado_geral",
        "secao_orcamento",
        "secao_indicadores",
        "secao_eixos",
        "secao_comparacao",
    ):
        para("{{ " + secao + " }}", justify=False)
    h = doc.add_heading("Considerações finais", 1)
    h.paragraph_format.page_break_before = True
    para("{{ secao_consideracoes }}", justify=False)
    para("{{ secao_anexo }}", justify=False)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def default_bytes() -> bytes:
    """The shipped default template (built on the fly if the file is missing)."""
    try:
        return DEFAULT_PATH.read_bytes()
    except OSError:
        return build_default()


# --- rendering and per-plan templates --------------------------------------------------------


def marker(secao: str) -> str:
    return f"[[{secao}]]"


def render(template: bytes, context: dict) -> Document:
    """The template filled with ``context`` (Jinja's sandbox, values XML-escaped), as a
    python-docx Document whose section markers are paragraphs reading ``[[secao_x]]``.
    Raises :class:`ModeloInvalido` with a Portuguese message."""
    try:
        tpl = DocxTemplate(io.BytesIO(template))
        env = SandboxedEnvironment(undefined=jinja2.Undefined)
        tpl.render({**context, **{s: marker(s) for s in SECOES}}, jinja_env=env, autoescape=True)
        buf = io.BytesIO()
        tpl.save(buf)
        return Document(io.BytesIO(buf.getvalue()))
    except jinja2.TemplateSyntaxError as exc:
        raise ModeloInvalido(
            f"O modelo tem um marcador malformado (linha {exc.lineno} do texto interno): "
            f"{exc.message}. Confira as chaves {{{{ … }}}} e {{% … %}} do texto."
        ) from exc
    except jinja2.exceptions.SecurityError as exc:
        raise ModeloInvalido("O modelo usa um marcador não permitido.") from exc
    except jinja2.TemplateError as exc:
        raise ModeloInvalido(f"O modelo não pôde ser preenchido: {exc}.") from exc
    except Exception as exc:  # a file that is not a .docx at all
        raise ModeloInvalido(
            "O arquivo não é um modelo do Word (.docx) válido; salve-o no Word ou no "
            "LibreOffice como .docx e envie de novo."
        ) from exc


def check(template: bytes, sample_context: dict) -> None:
    """Raise :class:`ModeloInvalido` if ``template`` cannot be used (size, format, markers)."""
    if len(template) > MAX_BYTES:
        raise ModeloInvalido("O modelo passa de 10 MB; reduza as imagens e envie de novo.")
    if template[:2] != b"PK":
        raise ModeloInvalido(
            "O arquivo não é um modelo do Word (.docx) válido; salve-o no Word ou no LibreOffice "
            "como .docx e envie de novo."
        )
    render(template, sample_context)


def stored(store, plano_id: int) -> tuple[str, bytes] | None:
    """The plan's uploaded template (name, bytes), or None (the default is used)."""
    from sqlalchemy import select

    from pmas.dados.store import relatorio_modelos as t

    with store.engine.connect() as conn:
        row = conn.execute(select(t.c.nome, t.c.conteudo).where(t.c.plano_id == plano_id)).first()
    return (row.nome, bytes(row.conteudo)) if row else None


def for_plan(store, plano_id: int) -> bytes:
    found = stored(store, plano_id)
    return found[1] if found else default_bytes()


def save(store, plano_id: int, nome: str, conteudo: bytes, *, usuario: str, sample: dict) -> None:
    """Keep an uploaded template for the plan after checking it renders; ``conteudo=b""``
    goes back to the default template."""
    import datetime as dt

    from sqlalchemy import delete, insert

    from pmas.dados.store import auditoria
    from pmas.dados.store import relatorio_modelos as t

    if conteudo:
        check(conteudo, sample)
    agora = dt.datetime.now().replace(microsecond=0)
    with store._writer.begin() as conn:
        conn.execute(delete(t).where(t.c.plano_id == plano_id))
        if conteudo:
            conn.execute(
                insert(t).values(
                    plano_id=plano_id,
                    nome=nome[:300],
                    conteudo=conteudo,
                    enviado_em=agora,
                    enviado_por=usuario,
                )
            )
        conn.execute(
            insert(auditoria).values(
                quando=agora,
                usuario=usuario,
                acao="modelo_relatorio",
                plano_id=plano_id,
                detalhe=f"modelo do relatório: {nome}" if conteudo else "modelo padrão restaurado",
            )
        )


if __name__ == "__main__":
    DEFAULT_PATH.parent.mkdir(parents=True, exist_ok=True)
    DEFAULT_PATH.write_bytes(build_default())
    print(f"Modelo gravado em {DEFAULT_PATH}")
