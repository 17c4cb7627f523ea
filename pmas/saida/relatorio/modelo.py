"""The report's Word template: the fixed wording and the styles, with placeholders.

The default template (``data/relatorio/modelo_relatorio.docx``, rebuilt by ``python -m
pmas.saida.relatorio.modelo``) reproduces the generated document: cover, identification page,
sumário, lista de siglas, the plan and how it is evaluated, the comissão de acompanhamento, the
approval paragraphs, and one marker per computed section. A municipality downloads it, edits the
wording and the styles in Word or LibreOffice, and uploads it on the Relatório screen (kept per
plan, :func:`save`).

Placeholders are Jinja (docxtpl): ``{{ municipio }}``, ``{{ ano }}``, … (:data:`PLACEHOLDERS`
lists them with what they hold). The sentences the report computes are Jinja in the template
too: it receives the numbers and the pre-formatted Brazilian values and lists (``geral``,
``eixos``, ``comparacao``, ``deliberacoes``, …) and holds the words, with a ``plural`` filter
(``{{ geral.n_metas|plural("meta", "metas") }}`` → "68 metas"). A paragraph holding only a
section marker such as ``{{ secao_resultado_geral }}`` (or ``{{ e.secao }}`` in the loop over
the eixos) is replaced by that computed part (tables, charts); deleting the paragraph leaves it
out. Templates are rendered in Jinja's sandbox: an uploaded file
cannot reach Python.
"""

from __future__ import annotations

import io
from pathlib import Path

import jinja2
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from pmas import fmt

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
    "secao_comparacao",
    "secao_regressoes",
    "secao_consideracoes",
    "secao_anexo",
)
# Each eixo's computed part (its table of figures, chart, goals and the team's analysis) has its
# own marker, given to the template as ``e.secao`` inside ``{%p for e in eixos %}``.
SECAO_EIXO = "secao_eixo_{numero}"
FIGURAS_DOC = (
    "n_metas, n_avaliaveis, n_nao_avaliaveis (números); partes_avaliaveis e "
    "partes_nao_avaliaveis (“12 realizadas, 30 parcialmente realizadas e 4 em andamento”); "
    "pct_realizadas, pct_realizadas_ou_parciais, indice_cumprimento (“45,3%”)"
)
PLACEHOLDERS: dict[str, str] = {
    "municipio": "nome do município",
    "uf": "“ (PR)”: a UF entre parênteses, ou vazio",
    "plano": "nome do plano (PMAS 2022-2025)",
    "ano": "ano de referência do relatório",
    "ano_inicio": "primeiro ano do plano",
    "ano_fim": "último ano do plano",
    "duracao_anos": "anos de vigência do plano, por extenso (quatro)",
    "n_eixos": "número de eixos do plano",
    "n_eixos_extenso": "número de eixos por extenso (cinco)",
    "eixos_lista": "os nomes dos eixos, separados por “;” e “; e”",
    "exemplo": "verdadeiro quando o relatório usa os dados de exemplo",
    "prefeito": "Prefeito(a) Municipal",
    "secretario": "Secretário(a) Municipal de Assistência Social",
    "elaborado_por": "quem elaborou, como digitado (a Diretoria de Gestão do SUAS)",
    "elaborado_por_contraido": "“pela Diretoria de Gestão do SUAS”",
    "equipe": "a equipe de elaboração, em lista",
    "comissoes": "as comissões do CMAS que discutiram o relatório (lista; vazia se não informadas)",
    "comissoes_texto": "as comissões separadas por “;” e “e”",
    "data_reuniao": "data da reunião do CMAS",
    "data_aprovacao": "data da aprovação",
    "resolucao": "número da resolução",
    "veiculo_contraido": "o veículo de publicação com a preposição: “no J.O.M.”",
    "edicao_publicacao": "edição do veículo de publicação, ou vazio",
    "pagina_publicacao": "página da publicação, ou vazio",
    "data_publicacao": "data da publicação",
    "link": "link da publicação",
    "acompanhamento": "“sim”, “nao” ou vazio",
    "acompanhamento_detalhe": "“: composição ou motivo”, ou vazio",
    "nota_versao": "a frase sobre a versão aprovada pelo CMAS, quando os dados mudaram depois",
    "geral": "as figuras do Plano no ano: " + FIGURAS_DOC,
    "eixos": "lista dos eixos: numero, nome, secao (o marcador da seção do eixo) e " + FIGURAS_DOC,
    "orcamento": "vazio sem valores de orçamento; senão n_metas, previsto, executado, "
    "pct_executado e fontes (lista com nome, previsto, executado)",
    "indicadores": "vazio sem indicadores; senão n (quantos indicadores)",
    "comparacao": "vazio sem ano anterior; senão ano_anterior, consecutivo (verdadeiro quando é "
    "o ano imediatamente anterior), n_regrediram e n_sem_avanco",
    "deliberacoes": "vazio sem deliberações da edição citada; senão edicao, ano, regra e os "
    "números total, municipais, encaminhadas, com_meta, atendidas, em_atendimento, "
    "nao_atendidas, sem_avaliacao, sem_meta, pct_com_meta e pct_atendidas (“45,3%”)",
    "anexo": "n_total, n_nao_cumpridas, n_parciais, n_em_andamento e n_canceladas",
    '|plural("meta", "metas")': "filtro: 1 → “1 meta”; 68 → “68 metas” (número formatado)",
    "|numero": "filtro: 2804 → “2.804”",
    **{s: "seção calculada (sozinha no parágrafo)" for s in SECOES},
}


_FIGURAS_AMOSTRA = {
    "n_metas": 12,
    "n_avaliaveis": 11,
    "n_nao_avaliaveis": 1,
    "partes_avaliaveis": "8 realizadas e 3 em andamento",
    "partes_nao_avaliaveis": "1 cancelada",
    "pct_realizadas": "72,7%",
    "pct_realizadas_ou_parciais": "72,7%",
    "indice_cumprimento": "86,4%",
}
# What a template is filled with when it is checked before being kept (:func:`check`): every
# placeholder, with plausible values, so that a template using any of them renders.
AMOSTRA: dict = {
    "municipio": "Município",
    "uf": " (UF)",
    "plano": "PMAS 2026-2029",
    "ano": 2026,
    "ano_inicio": 2026,
    "ano_fim": 2029,
    "duracao_anos": "quatro",
    "n_eixos": 2,
    "n_eixos_extenso": "dois eixos",
    "eixos_lista": "Proteção Social Básica; e Gestão do SUAS",
    "exemplo": False,
    "prefeito": "________",
    "secretario": "________",
    "elaborado_por": "________",
    "elaborado_por_contraido": "por ________",
    "equipe": "________",
    "comissoes": ["Comissão de Política"],
    "comissoes_texto": "Comissão de Política",
    "data_reuniao": "________",
    "data_aprovacao": "________",
    "resolucao": "________",
    "veiculo_contraido": "em ________",
    "edicao_publicacao": "",
    "pagina_publicacao": "",
    "data_publicacao": "________",
    "link": "",
    "acompanhamento": "",
    "acompanhamento_detalhe": "",
    "nota_versao": "",
    "geral": _FIGURAS_AMOSTRA,
    "eixos": [
        {"numero": 1, "nome": "Proteção Social Básica", "secao": "", **_FIGURAS_AMOSTRA},
        {"numero": 2, "nome": "Gestão do SUAS", "secao": "", **_FIGURAS_AMOSTRA, "n_metas": 0},
    ],
    "orcamento": {
        "n_metas": 2,
        "previsto": "R$ 1.000,00",
        "executado": "R$ 800,00",
        "pct_executado": "80,0%",
        "fontes": [
            {"nome": "FMAS", "previsto": "R$ 600,00", "executado": "R$ 500,00"},
            {"nome": "FNAS", "previsto": "R$ 400,00", "executado": "R$ 300,00"},
        ],
    },
    "indicadores": {"n": 3},
    "comparacao": {"ano_anterior": 2025, "consecutivo": True, "n_regrediram": 1, "n_sem_avanco": 0},
    "deliberacoes": {
        "edicao": 2025,
        "ano": 2026,
        "regra": "",
        "total": 10,
        "municipais": 8,
        "encaminhadas": 2,
        "com_meta": 6,
        "atendidas": 3,
        "em_atendimento": 2,
        "nao_atendidas": 1,
        "sem_avaliacao": 0,
        "sem_meta": 2,
        "pct_com_meta": "75,0%",
        "pct_atendidas": "37,5%",
    },
    "anexo": {
        "n_total": 3,
        "n_nao_cumpridas": 0,
        "n_parciais": 0,
        "n_em_andamento": 3,
        "n_canceladas": 1,
    },
}


def plural(n: object, singular: str, plural_: str) -> str:
    """The template's ``plural`` filter: (1, "meta", "metas") → "1 meta"; 2804 → "2.804 metas"."""
    try:
        k = int(n)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return f"{n} {plural_}"
    return f"{fmt.numero(k)} {singular if k == 1 else plural_}"


def numero(n: object) -> str:
    """The template's ``numero`` filter: 2804 → "2.804"."""
    try:
        return fmt.numero(n)
    except (TypeError, ValueError):
        return str(n)


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


def composicao(g: str, sujeito: str) -> str:
    """The default template's sentence on a group of goals (``g``: "geral", or "e" in the loop
    over the eixos), whose parts add up to what it announces: "Em 2022, o Plano teve 68 metas: 64
    avaliáveis e 4 não avaliáveis. Das 64 avaliáveis, 12 realizadas, …; das 4 não avaliáveis, 2
    canceladas e 2 que não se aplicam ao ano." (Jinja source of the template, not Python
    wording: the words are in the .docx.)"""
    aval = "{{ 'DA' if G.n_avaliaveis == 1 else 'DAS' }} {{ G.n_avaliaveis|plural('avaliável', 'avaliáveis') }}"
    nao = (
        "{{ 'DA' if G.n_nao_avaliaveis == 1 else 'DAS' }} "
        "{{ G.n_nao_avaliaveis|plural('não avaliável', 'não avaliáveis') }}"
    )
    maiusc = {"DA": "Da", "DAS": "Das"}
    minusc = {"DA": "da", "DAS": "das"}

    def case(text: str, words: dict) -> str:
        return text.replace("'DAS'", f"'{words['DAS']}'").replace("'DA'", f"'{words['DA']}'")

    text = (
        "SUJEITO {{ G.n_metas|plural('meta', 'metas') }}"
        "{% if G.n_nao_avaliaveis %}: {{ G.n_avaliaveis|plural('avaliável', 'avaliáveis') }} e "
        "{{ G.n_nao_avaliaveis|plural('não avaliável', 'não avaliáveis') }}"
        "{% elif G.n_metas > 1 %}, todas avaliáveis{% else %}, avaliável{% endif %}."
        "{% if G.partes_avaliaveis %} " + case(aval, maiusc) + ", {{ G.partes_avaliaveis }}"
        "{% if G.partes_nao_avaliaveis %}; " + case(nao, minusc) + ", "
        "{{ G.partes_nao_avaliaveis }}{% endif %}."
        "{% elif G.partes_nao_avaliaveis %} " + case(nao, maiusc) + ", "
        "{{ G.partes_nao_avaliaveis }}.{% endif %}"
    )
    return text.replace("G.", g + ".").replace("SUJEITO", sujeito)


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

    para("{%p if deliberacoes %}")
    doc.add_heading("Deliberações da conferência de {{ deliberacoes.edicao }}", 1)
    para(
        "A conferência de {{ deliberacoes.edicao }} aprovou "
        '{{ deliberacoes.total|plural("deliberação", "deliberações") }}: '
        "{{ deliberacoes.municipais|numero }} de âmbito municipal e "
        "{{ deliberacoes.encaminhadas|numero }} encaminhadas às esferas estadual ou nacional. "
        "Das municipais, {{ deliberacoes.com_meta|numero }} ({{ deliberacoes.pct_com_meta }}) "
        "têm meta no PMAS e {{ deliberacoes.atendidas|numero }} "
        "({{ deliberacoes.pct_atendidas }}) estavam atendidas em {{ deliberacoes.ano }}; "
        "{{ deliberacoes.em_atendimento|numero }} em atendimento, "
        "{{ deliberacoes.nao_atendidas|numero }} não atendidas, "
        "{{ deliberacoes.sem_avaliacao|numero }} sem avaliação no ano e "
        "{{ deliberacoes.sem_meta|numero }} sem meta no PMAS."
    )
    para("{{ deliberacoes.regra }}")
    para("{{ secao_deliberacoes }}", justify=False)
    para("{%p endif %}")

    doc.add_heading("Elaboração e aprovação do relatório", 1)
    para(
        "O Relatório foi elaborado {{ elaborado_por_contraido }}, apresentado e discutido no "
        "âmbito das Comissões do CMAS de {{ municipio }}, "
        "sendo {{ 'esta' if comissoes|length == 1 else 'estas' }}: {{ comissoes_texto }}."
    )
    para(
        "O resultado dos trabalhos foi apresentado ao Conselho Municipal de Assistência Social "
        "de {{ municipio }} e aprovado em {{ data_aprovacao }}, por meio da Resolução "
        "{{ resolucao }}, publicada {{ veiculo_contraido }}"
        "{% if edicao_publicacao %}, edição {{ edicao_publicacao }}{% endif %}"
        "{% if pagina_publicacao %}, página {{ pagina_publicacao }}{% endif %}, "
        "em {{ data_publicacao }}."
    )
    para("{%p if link %}")
    para("A publicação está disponível em {{ link }}.")
    para("{%p endif %}")
    para("{%p if nota_versao %}")
    para("{{ nota_versao }}")
    para("{%p endif %}")

    doc.add_heading("Resultado geral do ano de {{ ano }}", 1)
    para(
        composicao("geral", "Em {{ ano }}, o Plano teve")
        + " Foram realizadas {{ geral.pct_realizadas }} das metas avaliáveis; realizadas ou "
        "parcialmente realizadas, {{ geral.pct_realizadas_ou_parciais }}; e o índice de "
        "cumprimento do Plano foi de {{ geral.indice_cumprimento }}."
    )
    para("{{ secao_resultado_geral }}", justify=False)

    para("{%p if orcamento %}")
    doc.add_heading("Orçamento das metas em {{ ano }}", 1)
    para(
        'Em {{ ano }}, {{ orcamento.n_metas|plural("meta tem", "metas têm") }} valores de '
        "orçamento informados. O orçamento previsto para elas somou {{ orcamento.previsto }} ("
        "{% for f in orcamento.fontes %}{{ f.previsto }} de {{ f.nome }}"
        "{% if loop.revindex == 2 %} e {% elif not loop.last %}, {% endif %}{% endfor %}"
        "), dos quais foram executados {{ orcamento.executado }} "
        "({{ orcamento.pct_executado }} do previsto)."
    )
    para("{{ secao_orcamento }}", justify=False)
    para("{%p endif %}")

    para("{%p if indicadores %}")
    doc.add_heading("Indicadores", 1)
    para(
        "A série dos "
        '{{ indicadores.n|plural("indicador acompanhado", "indicadores acompanhados") }} pelo '
        "Plano, com o valor do fim de cada ano e a meta definida para o indicador (— quando "
        "não há)."
    )
    para("{{ secao_indicadores }}", justify=False)
    para("{%p endif %}")

    para("{%p for e in eixos %}")
    h = doc.add_heading("Eixo {{ e.numero }} – {{ e.nome }}", 1)
    h.paragraph_format.page_break_before = True
    para("{%p if e.n_metas %}")
    para(composicao("e", "Em {{ ano }}, o eixo teve"))
    para("{%p else %}")
    para("Não há metas deste eixo registradas para {{ ano }}.")
    para("{%p endif %}")
    para("{{ e.secao }}", justify=False)
    para("{%p endfor %}")

    para("{%p if comparacao %}")
    h = doc.add_heading("Comparação com {{ comparacao.ano_anterior }}", 1)
    h.paragraph_format.page_break_before = True
    para(
        "A tabela compara os indicadores de {{ ano }} com os de {{ comparacao.ano_anterior }}"
        "{% if not comparacao.consecutivo %} (o ano anterior mais recente com dados){% endif %}. "
        "A variação é dada em pontos percentuais (p.p.), como a diferença entre os valores "
        "impressos: positiva quando o indicador melhorou."
    )
    para("{{ secao_comparacao }}", justify=False)
    para(
        "Comparando as metas presentes nos dois anos, "
        '{{ comparacao.n_regrediram|plural("meta regrediu", "metas regrediram") }} (a situação '
        "de {{ ano }} é pior que a de {{ comparacao.ano_anterior }}) e "
        '{{ comparacao.n_sem_avanco|plural("meta ficou", "metas ficaram") }} sem avanço (não '
        "iniciada ou não realizada nos dois anos)."
    )
    para("{{ secao_regressoes }}", justify=False)
    para("{%p endif %}")

    h = doc.add_heading("Considerações finais", 1)
    h.paragraph_format.page_break_before = True
    para("{{ secao_consideracoes }}", justify=False)

    h = doc.add_heading("Anexo – Metas não cumpridas em {{ ano }}", 1)
    h.paragraph_format.page_break_before = True
    para(
        'Este anexo reúne as {{ anexo.n_total|plural("meta", "metas") }} avaliáveis de {{ ano }} '
        "que não foram realizadas integralmente – {{ anexo.n_nao_cumpridas|numero }} não "
        "realizadas ou não iniciadas, {{ anexo.n_parciais|numero }} parcialmente realizadas e "
        "{{ anexo.n_em_andamento|numero }} em andamento –, com a justificativa registrada pela "
        "gestão, e {% if anexo.n_canceladas == 1 %}a 1 meta cancelada, com a deliberação do CMAS "
        "que a cancelou{% else %}as {{ anexo.n_canceladas|numero }} metas canceladas, com a "
        "deliberação do CMAS que as cancelou{% endif %}, para a análise do Conselho e das suas "
        "comissões."
    )
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


def render(template: bytes, context: dict, secoes: tuple[str, ...] = SECOES) -> DocxDocument:
    """The template filled with ``context`` (Jinja's sandbox, values XML-escaped), as a
    python-docx Document whose section markers are paragraphs reading ``[[secao_x]]``.
    Raises :class:`ModeloInvalido` with a Portuguese message."""
    try:
        tpl = DocxTemplate(io.BytesIO(template))
        env = SandboxedEnvironment(undefined=jinja2.ChainableUndefined)
        env.filters["plural"] = plural
        env.filters["numero"] = numero
        tpl.render({**context, **{s: marker(s) for s in secoes}}, jinja_env=env, autoescape=True)
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


RELATORIO = "relatorio"
DEVOLUTIVA = "devolutiva"
_AUDITORIA = {RELATORIO: "modelo_relatorio", DEVOLUTIVA: "modelo_devolutiva"}
_NOME = {RELATORIO: "modelo do relatório", DEVOLUTIVA: "modelo da Devolutiva"}


def _table(tipo: str):
    from pmas.dados.store import devolutiva_modelos, relatorio_modelos

    return {RELATORIO: relatorio_modelos, DEVOLUTIVA: devolutiva_modelos}[tipo]


def default_for(tipo: str) -> bytes:
    """The shipped default template of a kind (the report's or the Devolutiva's)."""
    if tipo == DEVOLUTIVA:
        from pmas.saida.relatorio import modelo_devolutiva

        return modelo_devolutiva.default_bytes()
    return default_bytes()


def check(template: bytes, sample_context: dict, tipo: str = RELATORIO) -> None:
    """Raise :class:`ModeloInvalido` if ``template`` cannot be used (size, format, markers):
    it is filled with a sample of every placeholder (:data:`AMOSTRA`, or the Devolutiva's)."""
    if len(template) > MAX_BYTES:
        raise ModeloInvalido("O modelo passa de 10 MB; reduza as imagens e envie de novo.")
    if template[:2] != b"PK":
        raise ModeloInvalido(
            "O arquivo não é um modelo do Word (.docx) válido; salve-o no Word ou no LibreOffice "
            "como .docx e envie de novo."
        )
    if tipo == DEVOLUTIVA:
        from pmas.saida.relatorio import modelo_devolutiva

        render(template, {**modelo_devolutiva.AMOSTRA, **sample_context}, secoes=())
    else:
        render(template, {**AMOSTRA, **sample_context})


def stored(store, plano_id: int, tipo: str = RELATORIO) -> tuple[str, bytes] | None:
    """The plan's uploaded template of a kind (name, bytes), or None (the default is used)."""
    from sqlalchemy import select

    t = _table(tipo)
    with store.engine.connect() as conn:
        row = conn.execute(select(t.c.nome, t.c.conteudo).where(t.c.plano_id == plano_id)).first()
    return (row.nome, bytes(row.conteudo)) if row else None


def for_plan(store, plano_id: int, tipo: str = RELATORIO) -> bytes:
    found = stored(store, plano_id, tipo)
    return found[1] if found else default_for(tipo)


def save(
    store,
    plano_id: int,
    nome: str,
    conteudo: bytes,
    *,
    usuario: str,
    sample: dict,
    tipo: str = RELATORIO,
) -> None:
    """Keep an uploaded template of a kind for the plan after checking it renders;
    ``conteudo=b""`` goes back to the default template. Audit-logged."""
    import datetime as dt

    from sqlalchemy import delete, insert

    from pmas.dados.store import auditoria

    t = _table(tipo)
    if conteudo:
        check(conteudo, sample, tipo)
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
                acao=_AUDITORIA[tipo],
                plano_id=plano_id,
                detalhe=f"{_NOME[tipo]}: {nome}"
                if conteudo
                else f"{_NOME[tipo]}: padrão restaurado",
            )
        )


if __name__ == "__main__":
    from pmas.saida.relatorio import modelo_devolutiva

    DEFAULT_PATH.parent.mkdir(parents=True, exist_ok=True)
    DEFAULT_PATH.write_bytes(build_default())
    print(f"Modelo gravado em {DEFAULT_PATH}")
    modelo_devolutiva.DEFAULT_PATH.write_bytes(modelo_devolutiva.build_default())
    print(f"Modelo gravado em {modelo_devolutiva.DEFAULT_PATH}")
