"""Canonical tables, their columns, allowed values and aliases: data, not code.

Column names are snake_case in code; ``label`` is the Portuguese text shown on screen, in
downloads and in the blank template. Aliases are compared with :func:`pmas.text.key`
(no accents, case, punctuation or extra spaces).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pmas.text import key

TEXT = "texto"
NUMBER = "numero"
INTEGER = "inteiro"


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str = TEXT
    aliases: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    label: str
    sheet_aliases: tuple[str, ...]
    columns: tuple[Column, ...]
    # Columns that tell this table apart when only headers are known (a CSV).
    signature: tuple[str, ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def labels(self) -> dict[str, str]:
        return {c.name: c.label for c in self.columns}


METAS = Table(
    name="metas",
    label="Metas",
    sheet_aliases=("metas", "meta", "plano", "plano de acao", "acoes", "monitoramento", "pmas"),
    signature=("situacao", "acao", "meta", "eixo"),
    columns=(
        Column(
            "codigo", "Código", TEXT, ("cod", "no", "n", "numero", "item", "id", "codigo da meta")
        ),
        Column(
            "eixo", "Eixo", TEXT, ("eixo tematico", "eixo estrategico", "eixos", "area", "dimensao")
        ),
        Column(
            "diretriz",
            "Diretriz",
            TEXT,
            (
                "diretrizes",
                "prioridade",
                "prioridades",
                "prioridades deliberadas",
                "deliberacao",
                "deliberacoes",
            ),
        ),
        Column(
            "objetivo",
            "Objetivo",
            TEXT,
            ("objetivos", "objetivo especifico", "objetivos especificos"),
        ),
        Column(
            "acao",
            "Ação",
            TEXT,
            ("acoes", "acoes estrategicas", "acao estrategica", "atividade", "atividades"),
        ),
        Column("estrategia", "Estratégia", TEXT, ("estrategias", "como fazer", "metodologia")),
        Column(
            "meta",
            "Meta",
            TEXT,
            ("metas", "descricao da meta", "meta fisica", "metas fisicas"),
        ),
        Column(
            "indicador",
            "Indicador",
            TEXT,
            (
                "indicadores",
                "indicador de resultado",
                "nome do indicador",
                "indicador de monitoramento",
            ),
        ),
        Column("unidade", "Unidade de medida", TEXT, ("unidade de medida", "un", "medida")),
        Column(
            "sentido",
            "Sentido",
            TEXT,
            (
                "sentido da meta",
                "tipo de meta",
                "polaridade",
                "polaridade do indicador",
                "sentido do indicador",
                "direcao",
                "tendencia desejada",
            ),
        ),
        Column(
            "linha_de_base", "Linha de base", NUMBER, ("linha base", "base", "situacao inicial")
        ),
        Column(
            "ano",
            "Ano",
            INTEGER,
            ("ano de referencia", "exercicio", "ano avaliado", "ano referencia", "ano de execucao"),
        ),
        Column(
            "previsto",
            "Previsto",
            NUMBER,
            (
                "meta prevista",
                "meta anual",
                "programado",
                "planejado",
                "quantidade prevista",
                "previsto no ano",
            ),
        ),
        Column(
            "realizado",
            "Realizado",
            NUMBER,
            (
                "executado",
                "alcancado",
                "resultado",
                "atingido",
                "quantidade realizada",
                "realizado no ano",
            ),
        ),
        Column(
            "percentual",
            "% de execução",
            NUMBER,
            (
                "percentual de execucao",
                "execucao",
                "porcentagem",
                "de execucao",
                "pct",
                "percentual atingido",
            ),
        ),
        Column(
            "situacao",
            "Situação",
            TEXT,
            (
                "status",
                "avaliacao",
                "cumprimento",
                "andamento",
                "situacao da meta",
                "status da meta",
            ),
        ),
        Column(
            "justificativa",
            "Justificativa",
            TEXT,
            (
                "observacoes",
                "observacao",
                "obs",
                "analise",
                "consideracoes",
                "motivo",
                "dificuldades",
                "justificativas",
                "comentarios",
            ),
        ),
        Column("prazo", "Prazo", TEXT, ("periodo", "cronograma", "vigencia", "prazo de execucao")),
        Column(
            "responsavel",
            "Responsável",
            TEXT,
            (
                "responsaveis",
                "setor responsavel",
                "diretoria responsavel",
                "executor",
                "orgao responsavel",
                "area responsavel",
            ),
        ),
        Column("parceiros", "Parceiros", TEXT, ("parcerias", "corresponsaveis", "parceiro")),
        Column(
            "fonte_recurso",
            "Fonte de recurso",
            TEXT,
            ("fonte de recursos", "fonte", "financiamento", "orcamento", "fonte do recurso"),
        ),
        Column(
            "valor_previsto",
            "Valor previsto (R$)",
            NUMBER,
            ("valor previsto", "recurso previsto", "orcamento previsto", "valor planejado"),
        ),
        Column(
            "valor_executado",
            "Valor executado (R$)",
            NUMBER,
            ("valor executado", "recurso executado", "valor gasto", "orcamento executado"),
        ),
        Column(
            "territorio",
            "Território",
            TEXT,
            ("regiao", "regional", "abrangencia", "unidade", "cras", "territorios", "local"),
        ),
        Column(
            "nivel_protecao",
            "Nível de proteção",
            TEXT,
            ("nivel de protecao", "protecao", "protecao social", "complexidade", "nivel"),
        ),
        Column(
            "meta_plano",
            "Meta do plano",
            NUMBER,
            (
                "meta para o quadrienio",
                "meta quadrienio",
                "meta do quadrienio",
                "meta quadrienal",
                "meta do plano",
                "meta plano",
                "meta cumulativa",
                "meta acumulada",
                "meta final",
                "meta total",
                "meta para o periodo",
                "meta do periodo",
                "meta global",
            ),
            help="Meta do plano inteiro (quadriênio ou cumulativa), não a de um ano.",
        ),
    ),
)

CONFERENCIAS = Table(
    name="conferencias",
    label="Conferências",
    sheet_aliases=(
        "conferencias",
        "conferencia",
        "participacao",
        "pre conferencias",
        "processo conferencial",
    ),
    signature=("participantes", "tipo_evento", "segmento"),
    columns=(
        Column("ano", "Ano", INTEGER, ("edicao", "ano da conferencia", "exercicio")),
        Column(
            "tipo_evento", "Tipo de evento", TEXT, ("tipo", "evento", "etapa", "tipo do evento")
        ),
        Column("regiao", "Região", TEXT, ("regional", "territorio", "regioes")),
        Column("local", "Local", TEXT, ("endereco", "local de realizacao")),
        Column("publico", "Público", TEXT, ("publico alvo", "publico especifico")),
        Column("segmento", "Segmento", TEXT, ("segmentos", "representacao", "categoria")),
        Column(
            "participantes",
            "Participantes",
            INTEGER,
            (
                "numero de participantes",
                "n de participantes",
                "qtd participantes",
                "quantidade de participantes",
                "presentes",
                "pessoas",
            ),
        ),
        Column(
            "delegados",
            "Delegados",
            INTEGER,
            ("delegados eleitos", "numero de delegados", "n de delegados"),
        ),
        Column(
            "eventos",
            "Nº de eventos",
            INTEGER,
            (
                "n de eventos",
                "no de eventos",
                "numero de eventos",
                "quantidade de eventos",
                "qtd de eventos",
                "n de pre conferencias",
                "no de pre conferencias",
                "numero de pre conferencias",
                "quantidade de pre conferencias",
                "quantidade de encontros",
                "n de encontros",
                "numero de encontros",
                "n de reunioes",
                "quantidade de reunioes",
            ),
            help="Quantos eventos a linha resume (ex.: 33 pré-conferências numa linha só).",
        ),
    ),
)

INDICADORES = Table(
    name="indicadores",
    label="Indicadores",
    sheet_aliases=("indicadores", "indicador", "series", "dados quantitativos"),
    signature=("indicador", "valor"),
    columns=(
        Column("indicador", "Indicador", TEXT, ("nome do indicador", "descricao")),
        Column("ano", "Ano", INTEGER, ("exercicio", "ano de referencia")),
        Column("mes", "Mês", INTEGER, ("mes de referencia",)),
        Column("valor", "Valor", NUMBER, ("quantidade", "total", "resultado")),
        Column("unidade", "Unidade", TEXT, ("unidade de medida",)),
        Column(
            "territorio", "Território", TEXT, ("regiao", "unidade territorial", "cras", "local")
        ),
        Column("fonte", "Fonte", TEXT, ("fonte dos dados", "origem")),
        Column("eixo", "Eixo", TEXT, ("eixo tematico",)),
        Column("meta_valor", "Meta", NUMBER, ("meta", "meta do plano", "valor da meta")),
    ),
)

DELIBERACOES = Table(
    name="deliberacoes",
    label="Deliberações",
    sheet_aliases=(
        "deliberacoes",
        "deliberacao",
        "deliberacoes da conferencia",
        "propostas",
        "propostas aprovadas",
    ),
    signature=("texto", "ambito", "eixo_conferencia", "metas"),
    columns=(
        # ``ano`` is the conference edition (the year it was held), not a year of the plan.
        Column(
            "ano",
            "Edição",
            INTEGER,
            ("ano", "edicao da conferencia", "ano da conferencia", "conferencia", "exercicio"),
        ),
        Column(
            "numero",
            "Nº",
            TEXT,
            ("numero", "n", "no", "numero da deliberacao", "n da deliberacao", "item", "codigo"),
        ),
        Column(
            "eixo_conferencia",
            "Eixo da conferência",
            TEXT,
            ("eixo", "eixo tematico", "eixos", "eixo da conferencia nacional"),
        ),
        Column(
            "ambito",
            "Âmbito",
            TEXT,
            (
                "nivel",
                "esfera",
                "esfera de governo",
                "instancia",
                "nivel de governo",
                "abrangencia",
            ),
        ),
        Column(
            "texto",
            "Deliberação",
            TEXT,
            (
                "deliberacoes",
                "proposta",
                "propostas",
                "texto",
                "texto da deliberacao",
                "descricao",
                "deliberacao aprovada",
            ),
        ),
        Column("prioridade", "Prioridade", TEXT, ("ordem de prioridade", "prioridades")),
        Column(
            "metas",
            "Metas do PMAS",
            TEXT,
            (
                "metas",
                "meta",
                "metas vinculadas",
                "metas do plano",
                "codigos das metas",
                "codigo da meta",
                "metas relacionadas",
                "meta do pmas",
            ),
            "Códigos das metas do plano que respondem à deliberação, separados por ponto e "
            "vírgula; em branco se nenhuma meta responde a ela.",
        ),
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in (METAS, CONFERENCIAS, INDICADORES, DELIBERACOES)}

# --- Situação -------------------------------------------------------------------------------

REALIZADA = "Realizada"
PARCIAL = "Parcialmente realizada"
EM_ANDAMENTO = "Em andamento"
NAO_INICIADA = "Não iniciada"
NAO_REALIZADA = "Não realizada"
CANCELADA = "Cancelada"
NAO_SE_APLICA = "Não se aplica"

# Canonical statuses in display order: (name, counted in the denominator, default score).
STATUSES: tuple[tuple[str, bool, float | None], ...] = (
    (REALIZADA, True, 1.0),
    (PARCIAL, True, 0.5),
    (EM_ANDAMENTO, True, 0.5),
    (NAO_INICIADA, True, 0.0),
    (NAO_REALIZADA, True, 0.0),
    (CANCELADA, False, None),
    (NAO_SE_APLICA, False, None),
)
STATUS_ORDER: list[str] = [s[0] for s in STATUSES]
STATUS_COUNTED: dict[str, bool] = {s[0]: s[1] for s in STATUSES}
STATUS_SCORE: dict[str, float | None] = {s[0]: s[2] for s in STATUSES}

# Whole values that name a status by themselves (compared as keys). Anything else goes through
# the word families below.
STATUS_ALIASES: dict[str, tuple[str, ...]] = {
    REALIZADA: ("sim", "ok", "feito", "feita"),
    PARCIAL: ("parcial", "parcialmente", "em parte"),
    EM_ANDAMENTO: ("andamento",),
    NAO_INICIADA: ("a iniciar", "pendente", "nao comecou", "por iniciar"),
    NAO_REALIZADA: ("nao",),
    NAO_SE_APLICA: ("n a", "na", "nao se aplica"),
}

# Word families (DOMAIN.md): a status is told by the stems of its words, in either gender and
# number, in any order ("Parcialmente executada" = "Executada parcialmente").
# Participles of "done": realizada/o, executada, cumprida, concluída, alcançada, atingida, …
_DONE = re.compile(
    r"^(realiz|execut|cumpr|conclu|alcanc|ating|implant|efetiv|superad|finaliz|entreg|atend)"
    r"[a-z]*?(ad|id)[ao]s?$"
)
_SUPERADA = re.compile(r"^(superad|ultrapassad|excedid)[ao]s?$")
_PARTIAL = frozenset({"parcial", "parcialmente", "parciais", "parte"})
_ONGOING = frozenset(
    {
        "andamento",
        "execucao",
        "curso",
        "implantacao",
        "implementacao",
        "continua",
        "continuo",
        "continuada",
        "continuado",
        "permanente",
        "desenvolvimento",
        "progresso",
        "processo",
    }
)
_STARTED = re.compile(r"^(inici|comec)[a-z]*(ad|id)[ao]s?$")
_CANCELLED = re.compile(r"^(cancel|supr|exclu|revog|descontinu|extint)[a-z]*(ad|id)[ao]s?$")
_NOT_PLANNED = re.compile(r"^(previst|programad|planejad)[ao]s?$")
_NEGATION = frozenset({"nao", "sem"})
_FILLER = frozenset(
    {
        "meta",
        "metas",
        "acao",
        "a",
        "o",
        "foi",
        "esta",
        "e",
        "de",
        "do",
        "da",
        "com",
        "no",
        "na",
        "ano",
        "totalmente",
        "integralmente",
        "plenamente",
        "em",
        "para",
        "se",
        "ainda",
        "ja",
    }
)


def status_by_family(value: object) -> str | None:
    """The canonical Situação a wording means by its word families, or None."""
    words = key(value).split()
    if not words:
        return None
    negated = any(w in _NEGATION for w in words)
    done = any(_DONE.match(w) or _SUPERADA.match(w) for w in words)
    partial = any(w in _PARTIAL for w in words)
    ongoing = any(w in _ONGOING for w in words)
    started = any(_STARTED.match(w) for w in words)
    cancelled = any(_CANCELLED.match(w) for w in words)
    unplanned = any(_NOT_PLANNED.match(w) for w in words)
    applies = "aplica" in words
    rest = [
        w
        for w in words
        if not (
            w in _NEGATION
            or w in _PARTIAL
            or w in _ONGOING
            or w in _FILLER
            or w == "aplica"
            or _DONE.match(w)
            or _SUPERADA.match(w)
            or _STARTED.match(w)
            or _CANCELLED.match(w)
            or _NOT_PLANNED.match(w)
        )
    ]
    if rest:  # a word of no family: not guessed
        return None
    if negated:
        if applies or (unplanned and not done):
            return NAO_SE_APLICA
        if started and not done:
            return NAO_INICIADA
        if done and not partial and not ongoing:
            return NAO_REALIZADA
        return None
    if sum((cancelled, ongoing and not done, started and not done)) > 1:
        return None
    if cancelled:
        return None if done or partial else CANCELADA
    if partial:
        return PARCIAL
    if done:
        return None if ongoing else REALIZADA
    if ongoing or started:
        return EM_ANDAMENTO
    return None


_STATUS_BY_KEY: dict[str, str] = {
    key(alias): canonical for canonical, aliases in STATUS_ALIASES.items() for alias in aliases
}
_STATUS_BY_KEY.update({key(s): s for s in STATUS_ORDER})


def canonical_status(value: object) -> str | None:
    """The canonical Situação for a typed value, or None when it maps to nothing."""
    k = key(value)
    found = _STATUS_BY_KEY.get(k)
    if found is None and k:
        found = status_by_family(k)
    return found


# --- Sentido (direction of a numeric goal) --------------------------------------------------

SENTIDOS = ("Aumentar", "Manter", "Reduzir", "Implantar")
REDUZIR = "Reduzir"
_SENTIDO_BY_KEY = {
    "aumentar": "Aumentar",
    "ampliar": "Aumentar",
    "aumento": "Aumentar",
    "maior melhor": "Aumentar",
    "manter": "Manter",
    "manutencao": "Manter",
    "reduzir": "Reduzir",
    "diminuir": "Reduzir",
    "reducao": "Reduzir",
    "menor melhor": "Reduzir",
    "implantar": "Implantar",
    "implantacao": "Implantar",
    "criar": "Implantar",
}


_REDUCE_WORDS = re.compile(r"^(reduz|reduc|diminu|decresc|menor|negativ|baix|queda|cair)")
_INCREASE_WORDS = re.compile(r"^(aument|ampli|cresc|maior|positiv|elev|subir|expand)")


def canonical_sentido(value: object) -> str | None:
    """The direction a value names: "Reduzir" for "Quanto menor, melhor", "Polaridade negativa",
    "Diminuir"…; "Aumentar" for "Quanto maior, melhor", "Positiva"…; None when it names none."""
    k = key(value)
    found = _SENTIDO_BY_KEY.get(k)
    if found is not None or not k:
        return found
    words = k.split()
    down = any(_REDUCE_WORDS.match(w) for w in words)
    up = any(_INCREASE_WORDS.match(w) for w in words)
    if down and not up:
        return "Reduzir"
    if up and not down:
        return "Aumentar"
    return None


# --- Conferences ----------------------------------------------------------------------------

PRE_CONFERENCIA = "Pré-conferência"
CONFERENCIA_MUNICIPAL = "Conferência Municipal"
EVENT_TYPES = (PRE_CONFERENCIA, CONFERENCIA_MUNICIPAL)
_EVENT_BY_KEY = {
    "pre conferencia": PRE_CONFERENCIA,
    "pre conferencias": PRE_CONFERENCIA,
    "preconferencia": PRE_CONFERENCIA,
    "pre": PRE_CONFERENCIA,
    "conferencia municipal": CONFERENCIA_MUNICIPAL,
    "conferencia": CONFERENCIA_MUNICIPAL,
    "municipal": CONFERENCIA_MUNICIPAL,
}

USUARIOS = "Usuários"
TRABALHADORES = "Trabalhadores"
ENTIDADES = "Entidades/Prestadores"
GESTORES = "Gestores/Governamentais"
TOTAL = "Total"
SEGMENTS = (USUARIOS, TRABALHADORES, ENTIDADES, GESTORES)
SOCIEDADE_CIVIL = (USUARIOS, TRABALHADORES, ENTIDADES)
_SEGMENT_BY_KEY = {
    "usuarios": USUARIOS,
    "usuario": USUARIOS,
    "usuarias": USUARIOS,
    "trabalhadores": TRABALHADORES,
    "trabalhador": TRABALHADORES,
    "trabalhadoras": TRABALHADORES,
    "entidades": ENTIDADES,
    "entidade": ENTIDADES,
    "prestadores": ENTIDADES,
    "prestadores de servicos": ENTIDADES,
    "entidades prestadores": ENTIDADES,
    "entidades prestadores de servicos": ENTIDADES,
    "organizacoes": ENTIDADES,
    "gestores": GESTORES,
    "gestor": GESTORES,
    "governamentais": GESTORES,
    "gestores governamentais": GESTORES,
    "governamental": GESTORES,
    "governo": GESTORES,
    "total": TOTAL,
    "total geral": TOTAL,
    "todos": TOTAL,
}


def canonical_event_type(value: object) -> str | None:
    return _EVENT_BY_KEY.get(key(value))


def canonical_segment(value: object) -> str | None:
    return _SEGMENT_BY_KEY.get(key(value))


# --- Deliberações --------------------------------------------------------------------------

MUNICIPAL = "Municipal"
ESTADUAL = "Estadual"
NACIONAL = "Nacional"
AMBITOS = (MUNICIPAL, ESTADUAL, NACIONAL)
_AMBITO_BY_KEY = {
    "municipal": MUNICIPAL,
    "municipio": MUNICIPAL,
    "mun": MUNICIPAL,
    "m": MUNICIPAL,
    "estadual": ESTADUAL,
    "estado": ESTADUAL,
    "est": ESTADUAL,
    "e": ESTADUAL,
    "nacional": NACIONAL,
    "federal": NACIONAL,
    "uniao": NACIONAL,
    "nac": NACIONAL,
    "n": NACIONAL,
}


def canonical_ambito(value: object) -> str | None:
    return _AMBITO_BY_KEY.get(key(value))


# A deliberation's situation in a year, computed from its goals (pmas.analise.deliberacoes).
DELIBERACAO_ATENDIDA = "Atendida"
DELIBERACAO_EM_ATENDIMENTO = "Em atendimento"
DELIBERACAO_NAO_ATENDIDA = "Não atendida"
DELIBERACAO_SEM_META = "Sem meta no PMAS"
DELIBERACAO_SEM_AVALIACAO = "Sem avaliação no ano"
DELIBERACAO_ENCAMINHADA = "Encaminhada"
# Words in a deliberation's goal-codes cell that mean "no goal" (besides PLACEHOLDERS).
SEM_METAS_VINCULADAS = ("nenhuma", "nenhum", "sem meta", "não há", "não se aplica")


# --- Recognising things in cells ------------------------------------------------------------

# Cell values that mean "no data" and become missing (and are listed as such).
PLACEHOLDERS = frozenset(
    {
        "-",
        "--",
        "—",
        "–",
        "s/d",
        "s/ d",
        "sd",
        "n/a",
        "n/d",
        "nd",
        "...",
        "x/x",
        "sem dados",
        "sem informacao",
        "sem informação",
        "?",
    }
)
# First-cell words of footer rows, compared as keys.
FOOTER_PREFIXES = (
    "fonte",
    "total",
    "totais",
    "nota",
    "notas",
    "obs",
    "observacao",
    "elaborado",
    "elaboracao",
    "legenda",
    "atualizado",
    "*",
)

# Sheets that hold help, dropdown lists or the filters of a download, never data: the blank
# template's and the dashboard's own exports (so a downloaded table imports again).
AUXILIARY_SHEETS = ("Instruções", "Listas", "Filtros")

# Columns the dashboard computes and adds to its downloads; recognised (and ignored) on import,
# so a downloaded table imports again without warnings. Column name → label.
COMPUTED_COLUMNS = {"execucao_pct": "Execução (%)"}


# --- The Plano sheet (pmas.entrada.aba_plano) ----------------------------------------------

# Names of the sheet that describes the plan, and the labels of its rows and of its eixo table,
# compared by key() (no accents, lower case).
PLANO_ABAS = frozenset({"plano", "dados do plano", "plano do municipio"})
PLANO_ROTULOS = {
    "municipio": ("municipio", "nome do municipio"),
    "uf": ("uf", "estado", "sigla da uf"),
    "ibge": ("codigo ibge", "ibge", "codigo do municipio", "codigo do municipio ibge"),
    "nome": ("nome do plano", "plano"),
    "inicio": ("primeiro ano", "ano inicial", "ano de inicio", "inicio", "vigencia de"),
    "fim": ("ultimo ano", "ano final", "ano de termino", "fim", "termino", "vigencia ate"),
}
PLANO_EIXO_NUMERO = frozenset({"numero", "n", "no", "numero do eixo", "n do eixo"})
PLANO_EIXO_NOME = frozenset({"nome do eixo", "eixo", "nome"})
PLANO_EIXO_CURTO = frozenset({"nome curto", "nome abreviado", "abreviacao", "sigla"})
PLANO_EIXO_ALIASES = frozenset(
    {"outros nomes", "outros nomes separados por", "outros nomes aceitos", "aliases", "apelidos"}
)
