"""The example data: three yearly workbooks of a Londrina-like "PMAS 2022-2025".

``python -m tools.exemplo`` (from the repository's root) rewrites ``data/exemplo/``. This is
development tooling, not part of the installed package: the dashboard loads the generated
workbooks. Generation is deterministic (no randomness,
fixed document dates and zip timestamps), so regenerating gives byte-identical files.

What the workbooks contain, and what an importer must cope with to read them:

- sheet ``Metas <ano>``: a three-line title block, a blank row, the header row, one row per goal
  and a ``Fonte: …`` footer row. The year of reference is in the sheet name and the title, not in
  a column. ``Eixo`` and ``Diretriz`` cells are merged vertically over their goals' rows.
- sheet ``Conferências`` (2022 and 2023 workbooks only): a title line, a blank row, then one row
  per event and segment. The 2022 workbook holds the 2021 edition (held on-line); the 2023 one
  holds the 2023 edition, whose totals match the 2022 monitoring report (2.804 people in 33
  pré-conferências, 43 in the Conferência Municipal).
- sheet ``Deliberações`` (2022 and 2023 workbooks only): the deliberations of the edition the
  workbook's Conferências sheet holds (see :mod:`tools.exemplo_deliberacoes`), with the códigos of
  the goals that answer them.
- sheet ``Indicadores``: header in the first row, one value per indicator and year.

The goals and results are illustrative, not Londrina's real results. Every typed status agrees
with the goal's numbers (the generator refuses data where it would not), so importing the example
raises no contradiction warnings.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from pmas.dados import schema
from pmas.dados.plano import LONDRINA, Plano
from pmas.dados.schema import (
    CANCELADA,
    CONFERENCIA_MUNICIPAL,
    EM_ANDAMENTO,
    ENTIDADES,
    GESTORES,
    NAO_INICIADA,
    NAO_REALIZADA,
    NAO_SE_APLICA,
    PARCIAL,
    PRE_CONFERENCIA,
    REALIZADA,
    SEGMENTS,
    TRABALHADORES,
    USUARIOS,
)
from tools.exemplo_deliberacoes import COLUMNS as DELIBERACOES_COLUMNS
from tools.exemplo_deliberacoes import deliberation_rows

PLANO: Plano = LONDRINA
ANOS: tuple[int, ...] = (2022, 2023, 2024)
DEFAULT_FOLDER = Path(__file__).resolve().parents[1] / "data" / "exemplo"

# Fixed dates so that regenerating the files gives the same bytes.
_DOC_DATE = dt.datetime(2025, 3, 31, 12, 0, 0)
_ZIP_DATE = (2025, 3, 31, 12, 0, 0)

TITLE_ORGAO = "Prefeitura Municipal de Londrina — Secretaria Municipal de Assistência Social"
TITLE_AVISO = (
    "Dados ilustrativos: as metas e resultados são fictícios, não são os resultados "
    "reais de Londrina."
)
FOOTER = "Fonte: SMAS/Diretoria de Gestão do SUAS — dados ilustrativos"

# Header labels of the three sheets, in order, taken from the schema.
METAS_COLUMNS = (
    "codigo",
    "eixo",
    "diretriz",
    "acao",
    "meta",
    "indicador",
    "unidade",
    "sentido",
    "previsto",
    "realizado",
    "situacao",
    "justificativa",
    "responsavel",
    "prazo",
    "territorio",
    "nivel_protecao",
    "fonte_recurso",
    "valor_previsto",
    "valor_executado",
)
METAS_HEADER = tuple(schema.METAS.column(c).label for c in METAS_COLUMNS)
CONFERENCIAS_HEADER = tuple(c.label for c in schema.CONFERENCIAS.columns)
INDICADORES_HEADER = tuple(c.label for c in schema.INDICADORES.columns)

# --- Vocabulary of the example ----------------------------------------------------------------

PSB = "Diretoria de Proteção Social Básica"
PSE = "Diretoria de Proteção Social Especial"
GSUAS = "Diretoria de Gestão do SUAS"
DBTR = "Diretoria de Benefícios e Transferência de Renda"
DAF = "Diretoria Administrativa e Financeira"
CMAS = "CMAS"

BASICA = "Proteção Social Básica"
MEDIA = "Proteção Social Especial de Média Complexidade"
ALTA = "Proteção Social Especial de Alta Complexidade"
GESTAO = "Gestão"

MUNICIPAL = "Municipal"
CRAS_TERRITORIOS = (
    "Centro A",
    "Centro B",
    "Leste",
    "Norte A",
    "Norte B",
    "Oeste A",
    "Oeste B",
    "Rural",
    "Sul A",
    "Sul B",
)

FMAS = "FMAS – recursos próprios"
FNAS_PSB = "FNAS – Bloco da Proteção Social Básica"
FNAS_PSE = "FNAS – Bloco da Proteção Social Especial"
FNAS_GESTAO = "FNAS – Bloco da Gestão do SUAS e do PBF (IGD)"
FEAS = "FEAS – cofinanciamento estadual"


# --- Goals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resultado:
    """One goal's outcome in one year."""

    situacao: str | None  # None: derived from the numbers
    previsto: float | None = None
    realizado: float | None = None
    justificativa: str = ""
    valor_previsto: float | None = None
    valor_executado: float | None = None


@dataclass(frozen=True)
class Meta:
    codigo: str
    acao: str
    meta: str
    indicador: str
    sentido: str
    responsavel: str
    prazo: str
    territorio: str
    nivel: str
    anos: tuple[Resultado, Resultado, Resultado]
    unidade: str = ""
    fonte: str = ""

    @property
    def eixo(self) -> int:
        return int(self.codigo.split(".")[0])

    @property
    def diretriz(self) -> str:
        return ".".join(self.codigo.split(".")[:2])


def num(
    previsto: float,
    realizado: float,
    justificativa: str = "",
    valores: tuple[float, float] | None = None,
) -> Resultado:
    """A numeric result; its Situação is derived from the numbers."""
    vp, ve = valores if valores else (None, None)
    return Resultado(None, previsto, realizado, justificativa, vp, ve)


def st(
    situacao: str, justificativa: str = "", valores: tuple[float, float] | None = None
) -> Resultado:
    """A result told only by its Situação."""
    vp, ve = valores if valores else (None, None)
    return Resultado(situacao, None, None, justificativa, vp, ve)


def situacao(meta: Meta, r: Resultado) -> str:
    """The Situação written for a result: typed, or the one its numbers imply."""
    if r.previsto is None or r.realizado is None:
        if r.situacao is None:
            raise ValueError(f"{meta.codigo}: sem situação nem números")
        return r.situacao
    if r.situacao is not None:
        raise ValueError(f"{meta.codigo}: situação digitada em meta numérica")
    if meta.sentido == "Reduzir":
        return REALIZADA if r.realizado <= r.previsto else PARCIAL
    if r.realizado >= r.previsto:
        return REALIZADA
    return PARCIAL if r.realizado > 0 else NAO_REALIZADA


DIRETRIZES: dict[str, str] = {
    "1.1": "Consolidação da Política Municipal de Assistência Social como política pública de "
    "direito, com marco legal e normativas atualizados",
    "1.2": "Ampliação e qualificação da rede socioassistencial, com cobertura em todos os "
    "territórios de CRAS",
    "1.3": "Vigilância socioassistencial como base do planejamento e da avaliação",
    "2.1": "Proteção Social Básica: fortalecimento do PAIF e do SCFV nos territórios",
    "2.2": "Proteção Social Especial de Média Complexidade: PAEFI, abordagem social e medidas "
    "socioeducativas em meio aberto",
    "2.3": "Proteção Social Especial de Alta Complexidade: acolhimento e reordenamento dos "
    "serviços",
    "2.4": "Inclusão produtiva e segurança alimentar das famílias em situação de pobreza",
    "3.1": "Gestão qualificada do Cadastro Único e do Programa Bolsa Família",
    "3.2": "Acesso e acompanhamento dos beneficiários do Benefício de Prestação Continuada (BPC)",
    "3.3": "Regulamentação e oferta dos benefícios eventuais",
    "4.1": "Fortalecimento do Conselho Municipal de Assistência Social (CMAS)",
    "4.2": "Participação dos usuários e processo conferencial",
    "4.3": "Transparência, ouvidoria e prestação de contas",
    "5.1": "Gestão do trabalho e educação permanente no SUAS",
    "5.2": "Financiamento e gestão do Fundo Municipal de Assistência Social (FMAS)",
    "5.3": "Infraestrutura e estrutura das unidades da rede pública",
}

METAS: tuple[Meta, ...] = (
    # --- Eixo 1 ---------------------------------------------------------------------------
    Meta(
        "1.1.1",
        "Revisar a Lei Municipal do SUAS de Londrina",
        "Lei municipal do SUAS revisada e aprovada pela Câmara Municipal",
        "Lei publicada no J.O.M.",
        "Implantar",
        GSUAS,
        "Dez/2024",
        MUNICIPAL,
        GESTAO,
        (
            st(EM_ANDAMENTO, "Minuta em elaboração pelo grupo de trabalho SMAS/CMAS."),
            st(
                EM_ANDAMENTO,
                "Minuta aprovada pelo CMAS e em análise na Procuradoria-Geral do Município.",
            ),
            st(REALIZADA),
        ),
    ),
    Meta(
        "1.1.2",
        "Regulamentar os benefícios eventuais por decreto municipal",
        "Decreto de regulamentação dos benefícios eventuais publicado",
        "Decreto publicado",
        "Implantar",
        DBTR,
        "Dez/2023",
        MUNICIPAL,
        BASICA,
        (
            st(EM_ANDAMENTO, "Texto em discussão na Comissão de Legislação do CMAS."),
            st(REALIZADA),
            st(REALIZADA),
        ),
    ),
    Meta(
        "1.1.3",
        "Revisar os fluxos de referência e contrarreferência entre CRAS e CREAS",
        "Protocolo de fluxos entre Proteção Social Básica e Especial publicado",
        "Protocolo publicado",
        "Implantar",
        GSUAS,
        "2024",
        MUNICIPAL,
        GESTAO,
        (
            st(NAO_INICIADA, "Priorizada a retomada dos atendimentos presenciais após a pandemia."),
            st(
                EM_ANDAMENTO,
                "Oficinas com as equipes de CRAS e CREAS realizadas; minuta em revisão.",
            ),
            st(REALIZADA),
        ),
    ),
    Meta(
        "1.1.4",
        "Divulgar os serviços socioassistenciais à população",
        "Realizar 2 campanhas anuais de divulgação dos serviços e dos direitos socioassistenciais",
        "Nº de campanhas realizadas no ano",
        "Aumentar",
        GSUAS,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (num(2, 2), num(2, 2), num(2, 3)),
        unidade="campanhas",
        fonte=FMAS,
    ),
    Meta(
        "1.2.1",
        "Manter em funcionamento os CRAS de todos os territórios",
        "Manter os 10 CRAS em funcionamento",
        "Nº de CRAS em funcionamento (Censo SUAS)",
        "Manter",
        PSB,
        "2022-2025",
        MUNICIPAL,
        BASICA,
        (num(10, 10), num(10, 10), num(10, 10)),
        unidade="unidades",
        fonte=FNAS_PSB,
    ),
    Meta(
        "1.2.2",
        "Recompor as equipes de referência dos CRAS conforme a NOB-RH/SUAS",
        "Todos os CRAS com equipe de referência completa",
        "Nº de CRAS com equipe de referência completa",
        "Aumentar",
        PSB,
        "2022-2025",
        MUNICIPAL,
        BASICA,
        (
            num(10, 6, "Exonerações e aposentadorias não repostas; concurso em andamento."),
            num(10, 10),
            num(10, 8, "Equipe reduzida nos CRAS Norte B e Sul A por remoções internas."),
        ),
        unidade="unidades",
    ),
    Meta(
        "1.2.3",
        "Implantar o 11º CRAS na região Norte",
        "Novo CRAS implantado no território Norte B",
        "CRAS implantado e cadastrado no CadSUAS",
        "Implantar",
        PSB,
        "Dez/2025",
        "Norte B",
        BASICA,
        (
            st(NAO_INICIADA, "Aguardando definição de imóvel e de cofinanciamento federal."),
            st(
                NAO_INICIADA,
                "Terreno em regularização fundiária; projeto arquitetônico não contratado.",
            ),
            st(EM_ANDAMENTO, "Imóvel locado; processo de contratação da reforma em curso."),
        ),
    ),
    Meta(
        "1.2.4",
        "Ampliar a cobertura da Proteção Social Especial de Média Complexidade",
        "Implantar uma nova unidade de CREAS na região Sul",
        "CREAS implantado e cadastrado no CadSUAS",
        "Implantar",
        PSE,
        "Dez/2025",
        "Sul A",
        MEDIA,
        (
            st(NAO_INICIADA, "Depende da recomposição da equipe dos CREAS existentes."),
            st(EM_ANDAMENTO, "Estudo de demanda concluído pela Vigilância Socioassistencial."),
            st(EM_ANDAMENTO, "Equipe em formação; inauguração prevista para 2025."),
        ),
    ),
    Meta(
        "1.3.1",
        "Elaborar diagnósticos socioterritoriais por território de CRAS",
        "Diagnóstico socioterritorial atualizado em todos os territórios de CRAS",
        "Nº de diagnósticos territoriais publicados",
        "Aumentar",
        GSUAS,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            num(10, 4, "Equipe da Vigilância Socioassistencial reduzida a dois técnicos."),
            num(10, 10),
            num(10, 10),
        ),
        unidade="diagnósticos",
    ),
    Meta(
        "1.3.2",
        "Implantar o prontuário eletrônico nos CRAS e CREAS",
        "Prontuário eletrônico em uso em 100% das unidades públicas até 2024",
        "% de unidades com prontuário eletrônico",
        "Aumentar",
        GSUAS,
        "Dez/2024",
        MUNICIPAL,
        GESTAO,
        (
            st(
                EM_ANDAMENTO,
                "Sistema em contratação; piloto em dois CRAS, sem apuração do "
                "percentual no exercício.",
            ),
            num(80, 85),
            num(100, 100),
        ),
        unidade="%",
        fonte=FNAS_GESTAO,
    ),
    Meta(
        "1.3.3",
        "Publicar boletins da Vigilância Socioassistencial",
        "Publicar 2 boletins de vigilância socioassistencial por ano",
        "Nº de boletins publicados",
        "Aumentar",
        GSUAS,
        "Semestral",
        MUNICIPAL,
        GESTAO,
        (
            num(2, 0, "Equipe mobilizada para o Censo SUAS e a atualização do diagnóstico."),
            num(2, 2),
            num(2, 1, "Segundo boletim adiado para o 1º trimestre de 2025."),
        ),
        unidade="boletins",
    ),
    Meta(
        "1.3.4",
        "Mapear a demanda reprimida dos serviços socioassistenciais",
        "Listas de espera de todos os serviços registradas e monitoradas mensalmente",
        "Relatório mensal de demanda reprimida",
        "Implantar",
        GSUAS,
        "2024",
        MUNICIPAL,
        GESTAO,
        (
            st(NAO_INICIADA, "Depende da implantação do prontuário eletrônico (meta 1.3.2)."),
            st(REALIZADA),
            st(REALIZADA),
        ),
    ),
    # --- Eixo 2 ---------------------------------------------------------------------------
    Meta(
        "2.1.1",
        "Ampliar o acompanhamento familiar pelo PAIF",
        "Acompanhar 3.000 famílias por ano pelo PAIF até 2024",
        "Nº de famílias em acompanhamento pelo PAIF (RMA, bloco A)",
        "Aumentar",
        PSB,
        "2022-2025",
        MUNICIPAL,
        BASICA,
        (
            num(
                2500,
                2140,
                "Equipes incompletas nos CRAS Norte A e Oeste B.",
                (1_850_000.00, 1_712_430.55),
            ),
            num(2800, 2905, valores=(1_950_000.00, 1_948_120.30)),
            num(3000, 3120, valores=(2_100_000.00, 2_087_644.18)),
        ),
        unidade="famílias",
        fonte=FNAS_PSB,
    ),
    Meta(
        "2.1.2",
        "Ampliar a oferta do SCFV para crianças e adolescentes",
        "Ofertar 4.200 vagas no SCFV para crianças e adolescentes",
        "Nº de vagas ofertadas no SCFV (6 a 17 anos)",
        "Aumentar",
        PSB,
        "2022-2025",
        MUNICIPAL,
        BASICA,
        (
            num(4200, 3650, "Termos de colaboração com duas entidades encerrados no 1º semestre."),
            num(4200, 4050, "Chamamento público para novas vagas concluído só em novembro."),
            num(4200, 4310),
        ),
        unidade="vagas",
        fonte=FNAS_PSB,
    ),
    Meta(
        "2.1.3",
        "Garantir o SCFV para pessoas idosas em todos os territórios",
        "SCFV para pessoas idosas ofertado nos 10 territórios de CRAS",
        "Nº de territórios com grupo de SCFV para pessoas idosas",
        "Manter",
        PSB,
        "2022-2025",
        MUNICIPAL,
        BASICA,
        (
            num(
                10, 7, "Grupos dos territórios Rural, Leste e Sul B não retomados após a pandemia."
            ),
            num(10, 10),
            num(10, 10),
        ),
        unidade="territórios",
    ),
    Meta(
        "2.1.4",
        "Implantar equipe volante no CRAS Rural",
        "Equipe volante atendendo os distritos rurais",
        "Equipe volante em funcionamento",
        "Implantar",
        PSB,
        "Dez/2023",
        "Rural",
        BASICA,
        (
            st(EM_ANDAMENTO, "Veículo adquirido; equipe em composição."),
            st(REALIZADA),
            st(REALIZADA),
        ),
    ),
    Meta(
        "2.1.5",
        "Realizar busca ativa nos territórios de maior vulnerabilidade",
        "Realizar 20 ações de busca ativa por ano",
        "Nº de ações de busca ativa realizadas",
        "Aumentar",
        PSB,
        "Anual",
        MUNICIPAL,
        BASICA,
        (
            num(20, 12, "Ações concentradas no 2º semestre por falta de transporte."),
            num(20, 22),
            num(20, 25),
        ),
        unidade="ações",
    ),
    Meta(
        "2.2.1",
        "Ampliar o acompanhamento pelo PAEFI",
        "Acompanhar 900 famílias e indivíduos por ano pelo PAEFI",
        "Nº de casos em acompanhamento pelo PAEFI (RMA CREAS)",
        "Aumentar",
        PSE,
        "2022-2025",
        MUNICIPAL,
        MEDIA,
        (
            num(900, 780, "Equipe reduzida no CREAS, com afastamentos de saúde."),
            num(900, 860, "Equipe reduzida no CREAS: duas vagas de técnico não repostas."),
            num(900, 940),
        ),
        unidade="famílias",
        fonte=FNAS_PSE,
    ),
    Meta(
        "2.2.2",
        "Recompor a equipe dos CREAS conforme a NOB-RH/SUAS",
        "Equipes dos CREAS completas",
        "CREAS com equipe de referência completa",
        "Implantar",
        PSE,
        "Dez/2024",
        MUNICIPAL,
        MEDIA,
        (
            st(NAO_REALIZADA, "Concurso público não homologado no exercício."),
            st(EM_ANDAMENTO, "Concurso homologado; nomeações em curso."),
            st(REALIZADA),
        ),
    ),
    Meta(
        "2.2.3",
        "Ampliar o horário do Serviço Especializado em Abordagem Social",
        "Abordagem social com cobertura noturna e aos fins de semana",
        "Escala noturna implantada",
        "Implantar",
        PSE,
        "2024",
        "Centro A",
        MEDIA,
        (
            st(NAO_INICIADA, "Depende de aditivo no termo de colaboração."),
            st(REALIZADA),
            st(REALIZADA),
        ),
    ),
    Meta(
        "2.2.4",
        "Acompanhar adolescentes em cumprimento de medidas socioeducativas em meio "
        "aberto (LA e PSC)",
        "Acompanhar 350 adolescentes por ano em LA e PSC",
        "Nº de adolescentes em acompanhamento",
        "Aumentar",
        PSE,
        "Anual",
        MUNICIPAL,
        MEDIA,
        (
            num(350, 352),
            num(350, 330, "Redução de encaminhamentos pela Vara da Infância no 1º semestre."),
            num(350, 335, "Equipe do serviço reduzida de quatro para três técnicos."),
        ),
        unidade="adolescentes",
        fonte=FEAS,
    ),
    Meta(
        "2.2.5",
        "Qualificar o atendimento à população em situação de rua no Centro POP",
        "Atender 1.200 pessoas por ano no Centro POP",
        "Nº de pessoas atendidas no Centro POP (RMA)",
        "Aumentar",
        PSE,
        "Anual",
        "Centro A",
        MEDIA,
        (num(1200, 1340), num(1200, 1280), num(1200, 1410)),
        unidade="pessoas",
        fonte=FNAS_PSE,
    ),
    Meta(
        "2.3.1",
        "Ampliar o acesso ao acolhimento institucional para pessoas idosas",
        "Reduzir a lista de espera por vaga em acolhimento para pessoas idosas",
        "Nº de pessoas idosas na lista de espera em 31/12",
        "Reduzir",
        PSE,
        "2022-2025",
        MUNICIPAL,
        ALTA,
        (
            num(20, 34, "Aumento da demanda após a pandemia; vagas conveniadas sem ampliação."),
            num(15, 14),
            num(10, 12, "Encerramento de uma instituição de longa permanência conveniada."),
        ),
        unidade="pessoas",
        fonte=FNAS_PSE,
    ),
    Meta(
        "2.3.2",
        "Concluir o reordenamento dos serviços de acolhimento para crianças e adolescentes",
        "Todas as unidades de acolhimento com até 20 vagas, conforme as Orientações Técnicas",
        "Unidades reordenadas",
        "Implantar",
        PSE,
        "Dez/2024",
        MUNICIPAL,
        ALTA,
        (
            st(EM_ANDAMENTO, "Duas de cinco unidades reordenadas."),
            st(EM_ANDAMENTO, "Quatro de cinco unidades reordenadas; falta imóvel para a última."),
            st(REALIZADA),
        ),
    ),
    Meta(
        "2.3.3",
        "Ampliar o Serviço de Acolhimento em Família Acolhedora",
        "Manter 25 famílias acolhedoras habilitadas",
        "Nº de famílias acolhedoras habilitadas",
        "Aumentar",
        PSE,
        "2022-2025",
        MUNICIPAL,
        ALTA,
        (
            st(
                EM_ANDAMENTO,
                "Serviço em reestruturação; nova campanha de habilitação em preparação.",
            ),
            num(25, 21, "Processo de habilitação mais longo que o previsto."),
            num(25, 27),
        ),
        unidade="famílias",
    ),
    Meta(
        "2.3.4",
        "Implantar república para jovens egressos do acolhimento",
        "República para jovens de 18 a 21 anos em funcionamento",
        "Serviço implantado",
        "Implantar",
        PSE,
        "Dez/2025",
        MUNICIPAL,
        ALTA,
        (
            st(NAO_INICIADA, "Sem cofinanciamento previsto no exercício."),
            st(NAO_INICIADA, "Aguardando abertura de chamamento público."),
            st(EM_ANDAMENTO, "Chamamento público publicado; seleção em andamento."),
        ),
    ),
    Meta(
        "2.3.5",
        "Ampliar as vagas de acolhimento para adultos e famílias em situação de rua",
        "Ofertar 180 vagas de acolhimento para adultos e famílias",
        "Nº de vagas de acolhimento para adultos e famílias",
        "Aumentar",
        PSE,
        "2023",
        MUNICIPAL,
        ALTA,
        (
            num(180, 150, "Reforma da unidade masculina atrasada.", (2_400_000.00, 2_010_300.00)),
            num(180, 180, valores=(2_600_000.00, 2_598_450.72)),
            num(180, 180, valores=(2_750_000.00, 2_731_980.40)),
        ),
        unidade="vagas",
        fonte=FNAS_PSE,
    ),
    Meta(
        "2.3.6",
        "Implantar casa de passagem para mulheres em situação de violência",
        "Casa de passagem em funcionamento",
        "Serviço implantado",
        "Implantar",
        PSE,
        "Dez/2024",
        MUNICIPAL,
        ALTA,
        (
            st(
                NAO_INICIADA,
                "Aguardando definição de competência com a Secretaria Municipal de "
                "Políticas para as Mulheres.",
            ),
            st(
                CANCELADA,
                "Ação transferida à Secretaria Municipal de Políticas para as Mulheres; "
                "exclusão aprovada pelo CMAS na revisão do PMAS.",
            ),
            st(CANCELADA, "Ação excluída do PMAS na revisão de 2023."),
        ),
    ),
    Meta(
        "2.4.1",
        "Encaminhar usuários para cursos de qualificação profissional",
        "Encaminhar 600 pessoas por ano para qualificação profissional",
        "Nº de pessoas encaminhadas e matriculadas",
        "Aumentar",
        PSB,
        "Anual",
        MUNICIPAL,
        BASICA,
        (
            num(600, 310, "Poucos cursos ofertados pelos parceiros no 1º semestre."),
            num(600, 540, "Cancelamento de turmas por falta de instrutores no parceiro."),
            num(600, 620),
        ),
        unidade="pessoas",
    ),
    Meta(
        "2.4.2",
        "Articular com a Secretaria do Trabalho a intermediação de mão de obra para "
        "usuários do CadÚnico",
        "Fluxo de encaminhamento dos CRAS à Agência do Trabalhador em funcionamento",
        "Fluxo pactuado e em uso",
        "Implantar",
        PSB,
        "2022-2025",
        MUNICIPAL,
        BASICA,
        (
            st(EM_ANDAMENTO, "Fluxo pactuado; em teste em três CRAS."),
            st(REALIZADA),
            st(
                NAO_REALIZADA,
                "Termo de cooperação com a Agência do Trabalhador encerrado e não renovado.",
            ),
        ),
    ),
    Meta(
        "2.4.3",
        "Implantar hortas comunitárias nos territórios de CRAS",
        "Implantar 4 hortas comunitárias por ano",
        "Nº de hortas comunitárias implantadas",
        "Aumentar",
        PSB,
        "Anual",
        MUNICIPAL,
        BASICA,
        (
            st(
                NAO_SE_APLICA,
                "Ação iniciada em 2023, após a pactuação com a Secretaria de Agricultura.",
            ),
            num(4, 3, "Estiagem atrasou o plantio em um território."),
            num(4, 5),
        ),
        unidade="hortas",
    ),
    # --- Eixo 3 ---------------------------------------------------------------------------
    Meta(
        "3.1.1",
        "Manter o Cadastro Único atualizado",
        "Manter a taxa de atualização cadastral (TAC) do CadÚnico acima de 80%",
        "Taxa de atualização cadastral (TAC)",
        "Aumentar",
        DBTR,
        "2022-2025",
        MUNICIPAL,
        GESTAO,
        (
            num(80, 71.4, "Demanda do Auxílio Brasil sobrecarregou o cadastramento."),
            num(80, 82.3),
            num(80, 84.1),
        ),
        unidade="%",
        fonte=FNAS_GESTAO,
    ),
    Meta(
        "3.1.2",
        "Acompanhar as condicionalidades do Programa Bolsa Família",
        "Reduzir o número de famílias em descumprimento de condicionalidades",
        "Nº de famílias em descumprimento no último período de repercussão",
        "Reduzir",
        DBTR,
        "2022-2025",
        MUNICIPAL,
        BASICA,
        (
            num(1500, 1820, "Retomada do acompanhamento das condicionalidades após a pandemia."),
            num(1300, 1240),
            num(1100, 1050),
        ),
        unidade="famílias",
        fonte=FNAS_GESTAO,
    ),
    Meta(
        "3.1.3",
        "Acompanhar pelo PAIF as famílias em descumprimento de condicionalidades",
        "Acompanhar pelo PAIF 30% das famílias em descumprimento",
        "% das famílias em descumprimento em acompanhamento pelo PAIF",
        "Aumentar",
        PSB,
        "Anual",
        MUNICIPAL,
        BASICA,
        (
            num(30, 18, "Registro no Sicon incompleto por falta de acesso das equipes."),
            num(30, 26, "Equipes de CRAS incompletas."),
            num(30, 31),
        ),
        unidade="%",
    ),
    Meta(
        "3.1.4",
        "Implantar posto de cadastramento do CadÚnico no CRAS Rural",
        "Posto de cadastramento em funcionamento nos distritos",
        "Posto em funcionamento",
        "Implantar",
        DBTR,
        "2024",
        "Rural",
        GESTAO,
        (
            st(NAO_INICIADA, "Sem conexão de internet estável no CRAS Rural."),
            st(NAO_REALIZADA, "Licitação do link de internet deserta; posto não instalado."),
            st(REALIZADA),
        ),
    ),
    Meta(
        "3.2.1",
        "Inscrever no CadÚnico os beneficiários do BPC",
        "Inscrever 95% dos beneficiários do BPC no Cadastro Único",
        "% de beneficiários do BPC inscritos no CadÚnico",
        "Aumentar",
        DBTR,
        "2022-2025",
        MUNICIPAL,
        BASICA,
        (
            num(95, 88.5, "Beneficiários não localizados nos endereços informados."),
            num(95, 94.2, "Busca ativa em andamento nos territórios Norte e Oeste."),
            num(95, 97.6),
        ),
        unidade="%",
    ),
    Meta(
        "3.2.2",
        "Acompanhar os beneficiários do BPC na Escola",
        "Acompanhar 400 crianças e adolescentes beneficiários do BPC na Escola",
        "Nº de beneficiários acompanhados",
        "Aumentar",
        DBTR,
        "Anual",
        MUNICIPAL,
        BASICA,
        (
            num(400, 0, "Questionários não aplicados: sistema federal do programa indisponível."),
            num(400, 210, "Sistema reaberto apenas no 2º semestre."),
            num(400, 380, "Famílias não localizadas após mudança de endereço."),
        ),
        unidade="pessoas",
    ),
    Meta(
        "3.2.3",
        "Orientar os beneficiários do BPC sobre a revisão cadastral",
        "Realizar mutirões de orientação sobre a revisão do BPC",
        "Mutirões realizados",
        "Implantar",
        DBTR,
        "2023-2024",
        MUNICIPAL,
        BASICA,
        (
            st(NAO_SE_APLICA, "A revisão nacional do BPC começou em 2023."),
            st(REALIZADA),
            st(REALIZADA),
        ),
    ),
    Meta(
        "3.2.4",
        "Realizar busca ativa de pessoas idosas e com deficiência elegíveis ao BPC",
        "Identificar e encaminhar 300 pessoas por ano ao BPC",
        "Nº de pessoas encaminhadas ao requerimento do BPC",
        "Aumentar",
        DBTR,
        "Anual",
        MUNICIPAL,
        BASICA,
        (
            num(300, 120, "Agendamento no INSS limitado no 1º semestre."),
            num(300, 310),
            num(300, 318),
        ),
        unidade="pessoas",
    ),
    Meta(
        "3.3.1",
        "Conceder benefícios eventuais conforme a demanda",
        "Atender 100% das solicitações elegíveis de benefícios eventuais",
        "% de solicitações elegíveis atendidas",
        "Manter",
        DBTR,
        "Anual",
        MUNICIPAL,
        BASICA,
        (
            num(
                100, 92, "Recurso do exercício esgotado em novembro.", (4_200_000.00, 3_864_000.00)
            ),
            num(100, 100, valores=(4_500_000.00, 4_612_300.00)),
            num(100, 100, valores=(5_000_000.00, 4_987_210.90)),
        ),
        unidade="%",
        fonte=FMAS,
    ),
    Meta(
        "3.3.2",
        "Revisar o fluxo de concessão do auxílio-funeral",
        "Fluxo do auxílio-funeral pactuado com o Serviço Funerário Municipal",
        "Fluxo publicado",
        "Implantar",
        DBTR,
        "2023",
        MUNICIPAL,
        BASICA,
        (
            st(EM_ANDAMENTO, "Reuniões com o Serviço Funerário Municipal em curso."),
            st(REALIZADA),
            st(REALIZADA),
        ),
    ),
    Meta(
        "3.3.3",
        "Atualizar os valores dos benefícios eventuais",
        "Valores dos benefícios eventuais reajustados anualmente pela inflação",
        "Reajuste publicado",
        "Manter",
        DBTR,
        "Anual",
        MUNICIPAL,
        BASICA,
        (
            st(NAO_REALIZADA, "Reajuste não aprovado na Lei Orçamentária."),
            st(REALIZADA),
            st(PARCIAL, "Reajustado apenas o auxílio-alimentação; auxílio-natalidade mantido."),
        ),
    ),
    Meta(
        "3.3.4",
        "Implantar benefício eventual para situações de calamidade pública",
        "Benefício eventual de calamidade regulamentado e com fluxo de concessão",
        "Benefício regulamentado",
        "Implantar",
        DBTR,
        "2024",
        MUNICIPAL,
        BASICA,
        (
            st(
                NAO_INICIADA,
                "Aguardando a regulamentação geral dos benefícios eventuais (meta 1.1.2).",
            ),
            st(EM_ANDAMENTO, "Minuta elaborada com a Defesa Civil."),
            st(REALIZADA),
        ),
    ),
    # --- Eixo 4 ---------------------------------------------------------------------------
    Meta(
        "4.1.1",
        "Garantir a estrutura da Secretaria Executiva do CMAS",
        "Secretaria Executiva do CMAS com equipe e espaço próprios",
        "Secretaria Executiva em funcionamento",
        "Manter",
        GSUAS,
        "2022-2025",
        MUNICIPAL,
        GESTAO,
        (st(REALIZADA), st(REALIZADA), st(REALIZADA)),
    ),
    Meta(
        "4.1.2",
        "Capacitar os conselheiros do CMAS",
        "Realizar 2 capacitações por ano para conselheiros do CMAS",
        "Nº de capacitações realizadas",
        "Aumentar",
        CMAS,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            num(2, 2, valores=(30_000.00, 27_400.00)),
            num(2, 2, valores=(30_000.00, 28_750.00)),
            num(2, 2, valores=(35_000.00, 33_980.00)),
        ),
        unidade="capacitações",
        fonte=FNAS_GESTAO,
    ),
    Meta(
        "4.1.3",
        "Apreciar o monitoramento do PMAS e a prestação de contas do FMAS",
        "Relatório anual de monitoramento do PMAS apreciado por todas as comissões do CMAS",
        "Resolução do CMAS publicada",
        "Manter",
        CMAS,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            st(
                EM_ANDAMENTO,
                "Relatório em discussão nas comissões; aprovação prevista para o "
                "exercício seguinte.",
            ),
            st(REALIZADA),
            st(REALIZADA),
        ),
    ),
    Meta(
        "4.1.4",
        "Realizar reuniões descentralizadas do CMAS nos territórios",
        "Realizar 4 reuniões descentralizadas do CMAS por ano",
        "Nº de reuniões descentralizadas",
        "Aumentar",
        CMAS,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            num(4, 0, "Reuniões mantidas na sede por falta de transporte para os conselheiros."),
            num(4, 0, "Reuniões suspensas durante o processo conferencial."),
            num(4, 4),
        ),
        unidade="reuniões",
    ),
    Meta(
        "4.1.5",
        "Acompanhar as entidades inscritas no CMAS",
        "Visitar 100% das entidades inscritas no CMAS a cada ano",
        "% de entidades inscritas visitadas",
        "Aumentar",
        CMAS,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            num(100, 64, "Comissão de Inscrição com composição incompleta."),
            num(100, 81, "Visitas concentradas nas entidades com renovação de inscrição."),
            num(100, 100),
        ),
        unidade="%",
    ),
    Meta(
        "4.2.1",
        "Realizar a Conferência Municipal de Assistência Social",
        "Conferência Municipal realizada com pré-conferências em todas as regiões",
        "Conferência realizada",
        "Manter",
        CMAS,
        "2023 e 2025",
        MUNICIPAL,
        GESTAO,
        (
            st(NAO_SE_APLICA, "Conferência bienal: a edição seguinte ocorre em 2023."),
            st(REALIZADA),
            st(NAO_SE_APLICA, "Conferência bienal: a edição seguinte ocorre em 2025."),
        ),
    ),
    Meta(
        "4.2.2",
        "Realizar pré-conferências regionais e por segmento",
        "Realizar ao menos 30 pré-conferências no ano da conferência",
        "Nº de pré-conferências realizadas",
        "Aumentar",
        CMAS,
        "2023 e 2025",
        MUNICIPAL,
        GESTAO,
        (
            st(NAO_SE_APLICA, "Pré-conferências ocorrem apenas no ano da conferência."),
            num(30, 33),
            st(NAO_SE_APLICA, "Pré-conferências ocorrem apenas no ano da conferência."),
        ),
        unidade="pré-conferências",
    ),
    Meta(
        "4.2.3",
        "Implantar fóruns de usuários nos territórios de CRAS",
        "Fórum de usuários em funcionamento em cada território de CRAS",
        "Nº de territórios com fórum de usuários",
        "Aumentar",
        PSB,
        "2022-2025",
        MUNICIPAL,
        BASICA,
        (
            num(10, 2, "Mobilização dos usuários retomada apenas no 2º semestre."),
            num(
                10,
                5,
                "Fóruns implantados nos territórios Norte A, Norte B, Leste, Oeste A e Sul A.",
            ),
            num(10, 7, "Faltam os territórios Centro B, Rural e Sul B."),
        ),
        unidade="territórios",
    ),
    Meta(
        "4.2.4",
        "Monitorar as deliberações das conferências municipais",
        "Deliberações da conferência monitoradas pelo CMAS com relatório anual",
        "Relatório de monitoramento das deliberações",
        "Manter",
        CMAS,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            st(EM_ANDAMENTO, "Planilha de acompanhamento das deliberações de 2021 em elaboração."),
            st(EM_ANDAMENTO, "Deliberações de 2023 incorporadas; relatório em elaboração."),
            st(EM_ANDAMENTO, "Relatório parcial apresentado à plenária do CMAS."),
        ),
    ),
    Meta(
        "4.3.1",
        "Publicar as resoluções do CMAS e os relatórios de monitoramento",
        "Resoluções e relatórios publicados no portal da Prefeitura",
        "Documentos publicados no portal",
        "Manter",
        GSUAS,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            st(PARCIAL, "Resoluções publicadas; relatórios de monitoramento ainda não."),
            st(REALIZADA),
            st(REALIZADA),
        ),
    ),
    Meta(
        "4.3.2",
        "Implantar canal de ouvidoria do SUAS integrado à Ouvidoria Geral do Município",
        "Canal de ouvidoria do SUAS em funcionamento",
        "Canal implantado",
        "Implantar",
        GSUAS,
        "Dez/2025",
        MUNICIPAL,
        GESTAO,
        (
            st(NAO_INICIADA, "Depende de adequação do sistema da Ouvidoria Geral."),
            st(EM_ANDAMENTO, "Categoria “Assistência Social” criada no sistema da Ouvidoria."),
            st(EM_ANDAMENTO, "Fluxo de respostas em pactuação com as diretorias."),
        ),
    ),
    Meta(
        "4.3.3",
        "Realizar audiência pública anual de prestação de contas do FMAS",
        "Audiência pública anual de prestação de contas realizada",
        "Audiência realizada",
        "Manter",
        DAF,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            st(REALIZADA),
            st(REALIZADA),
            st(
                NAO_REALIZADA,
                "Não realizada em razão do calendário eleitoral; contas apresentadas "
                "apenas à plenária do CMAS.",
            ),
        ),
    ),
    # --- Eixo 5 ---------------------------------------------------------------------------
    Meta(
        "5.1.1",
        "Executar o Plano de Educação Permanente do SUAS",
        "Realizar 12 capacitações por ano no âmbito da educação permanente",
        "Nº de capacitações realizadas",
        "Aumentar",
        GSUAS,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            num(
                12,
                5,
                "Atraso no processo licitatório para contratação de capacitadores.",
                (180_000.00, 61_500.00),
            ),
            num(
                12,
                11,
                "Uma capacitação adiada por indisponibilidade do palestrante.",
                (180_000.00, 164_300.00),
            ),
            num(12, 14, valores=(200_000.00, 197_450.00)),
        ),
        unidade="capacitações",
        fonte=FNAS_GESTAO,
    ),
    Meta(
        "5.1.2",
        "Capacitar os trabalhadores da rede socioassistencial",
        "Capacitar 600 trabalhadores da rede pública e privada por ano",
        "Nº de trabalhadores capacitados",
        "Aumentar",
        GSUAS,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            num(600, 320, "Menos capacitações realizadas (ver meta 5.1.1)."),
            num(600, 610),
            num(600, 640),
        ),
        unidade="pessoas",
    ),
    Meta(
        "5.1.3",
        "Realizar concurso público para a recomposição do quadro da SMAS",
        "Concurso público realizado e aprovados nomeados",
        "Nomeações publicadas",
        "Implantar",
        GSUAS,
        "Dez/2024",
        MUNICIPAL,
        GESTAO,
        (
            st(NAO_INICIADA, "Aguardando autorização da Secretaria de Recursos Humanos."),
            st(EM_ANDAMENTO, "Edital publicado; provas realizadas em setembro."),
            st(REALIZADA),
        ),
    ),
    Meta(
        "5.1.4",
        "Elaborar o Plano Municipal de Educação Permanente do SUAS",
        "Plano de Educação Permanente aprovado pelo CMAS",
        "Resolução do CMAS de aprovação",
        "Implantar",
        GSUAS,
        "2023",
        MUNICIPAL,
        GESTAO,
        (
            st(EM_ANDAMENTO, "Levantamento de necessidades de capacitação concluído."),
            st(REALIZADA),
            st(REALIZADA),
        ),
    ),
    Meta(
        "5.2.1",
        "Executar o orçamento do FMAS",
        "Executar ao menos 90% do orçamento do FMAS",
        "% do orçamento do FMAS executado",
        "Aumentar",
        DAF,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            num(
                90,
                78.5,
                "Atraso no processo licitatório de obras e aquisições.",
                (112_400_000.00, 88_234_000.00),
            ),
            num(
                90,
                86.2,
                "Saldo de recursos federais recebidos em dezembro.",
                (121_800_000.00, 104_991_600.00),
            ),
            num(90, 91.4, valores=(128_500_000.00, 117_449_000.00)),
        ),
        unidade="%",
        fonte=FMAS,
    ),
    Meta(
        "5.2.2",
        "Executar os recursos do IGDSUAS e do IGD-PBF",
        "Executar 80% dos recursos do IGD recebidos no exercício",
        "% dos recursos do IGD executados",
        "Aumentar",
        DAF,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            num(80, 55, "Plano de aplicação aprovado pelo CMAS apenas em agosto."),
            num(80, 82),
            num(80, 88),
        ),
        unidade="%",
        fonte=FNAS_GESTAO,
    ),
    Meta(
        "5.2.3",
        "Cofinanciar a rede socioassistencial privada",
        "Manter 48 termos de colaboração com organizações da sociedade civil",
        "Nº de termos de colaboração vigentes",
        "Manter",
        DAF,
        "2022-2025",
        MUNICIPAL,
        GESTAO,
        (num(48, 48), num(48, 48), num(48, 49)),
        unidade="termos",
        fonte=FMAS,
    ),
    Meta(
        "5.3.1",
        "Reformar e adequar a acessibilidade das unidades de CRAS",
        "Reformar 3 unidades de CRAS por ano",
        "Nº de unidades reformadas",
        "Aumentar",
        DAF,
        "Anual",
        MUNICIPAL,
        BASICA,
        (
            num(3, 0, "Atraso no processo licitatório; licitação deserta.", (450_000.00, 0.00)),
            num(
                3,
                2,
                "Obra do CRAS Leste paralisada por abandono da empresa.",
                (600_000.00, 398_750.20),
            ),
            num(3, 3, valores=(600_000.00, 587_912.40)),
        ),
        unidade="unidades",
        fonte=FNAS_PSB,
    ),
    Meta(
        "5.3.2",
        "Renovar a frota das equipes de CRAS e CREAS",
        "Adquirir 4 veículos por ano para as equipes dos serviços",
        "Nº de veículos adquiridos",
        "Aumentar",
        DAF,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            num(4, 4, valores=(380_000.00, 372_600.00)),
            num(4, 2, "Pregão com itens fracassados.", (400_000.00, 189_900.00)),
            num(
                4,
                0,
                "Aquisição suspensa: recurso remanejado para benefícios eventuais.",
                (400_000.00, 0.00),
            ),
        ),
        unidade="veículos",
        fonte=FMAS,
    ),
    Meta(
        "5.3.3",
        "Transferir o CREAS II para imóvel próprio",
        "CREAS II funcionando em imóvel próprio e acessível",
        "Mudança concluída",
        "Implantar",
        DAF,
        "Dez/2025",
        "Oeste A",
        MEDIA,
        (
            st(NAO_INICIADA, "Sem imóvel público disponível na região."),
            st(
                NAO_INICIADA,
                "Imóvel identificado; aguardando cessão pela Secretaria de Gestão Pública.",
            ),
            st(EM_ANDAMENTO, "Cessão do imóvel publicada; projeto de adequação em elaboração."),
        ),
    ),
    Meta(
        "5.3.4",
        "Manter atualizados o Censo SUAS e o CadSUAS",
        "Censo SUAS preenchido no prazo e CadSUAS atualizado para todas as unidades",
        "Censo SUAS entregue no prazo",
        "Manter",
        GSUAS,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (st(REALIZADA), st(REALIZADA), st(REALIZADA)),
    ),
    Meta(
        "5.3.5",
        "Elaborar o Plano de Ação do cofinanciamento federal",
        "Plano de Ação anual preenchido no SUASWeb e aprovado pelo CMAS no prazo",
        "Plano de Ação aprovado",
        "Manter",
        GSUAS,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            st(REALIZADA),
            st(PARCIAL, "Plano preenchido no prazo, mas aprovado pelo CMAS após a data-limite."),
            st(REALIZADA),
        ),
    ),
    Meta(
        "5.3.6",
        "Reunir anualmente a rede socioassistencial para avaliar os serviços",
        "Realizar o encontro anual de avaliação da rede socioassistencial",
        "Encontro realizado",
        "Manter",
        GSUAS,
        "Anual",
        MUNICIPAL,
        GESTAO,
        (
            st(REALIZADA),
            st(REALIZADA),
            st(NAO_REALIZADA, "Não realizado: auditório indisponível e agenda eleitoral."),
        ),
    ),
)


# --- Conferences ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Evento:
    regiao: str
    local: str
    publico: str
    participantes: int
    perfil: str  # key of _PERFIS: how participants split by segment


# Share of each segment (Usuários, Trabalhadores, Entidades, Gestores) by kind of event.
_PERFIS: dict[str, tuple[float, float, float, float]] = {
    "territorio": (0.68, 0.14, 0.09, 0.09),
    "rua": (0.80, 0.12, 0.03, 0.05),
    "acolhimento": (0.72, 0.18, 0.06, 0.04),
    "trabalhadores": (0.0, 0.62, 0.10, 0.28),
    "entidades": (0.10, 0.30, 0.50, 0.10),
}
_COMUNIDADE = "Comunidade do território"
_POP = "Usuários do Centro POP"
_ACOLHIMENTO = "Usuários de acolhimento institucional"
_TRABALHADORES = "Gestores e trabalhadores"
_ENTIDADES = "Entidades e organizações de assistência social"

PRE_2023: tuple[Evento, ...] = (
    Evento("Norte", "CRAS Norte A", _COMUNIDADE, 142, "territorio"),
    Evento("Norte", "CRAS Norte B", _COMUNIDADE, 118, "territorio"),
    Evento("Norte", "Escola Municipal do Conjunto Cinco Conjuntos", _COMUNIDADE, 96, "territorio"),
    Evento(
        "Norte", "Escola Municipal do Conjunto Parigot de Souza", _COMUNIDADE, 104, "territorio"
    ),
    Evento("Norte", "Centro Comunitário do Conjunto Vivi Xavier", _COMUNIDADE, 88, "territorio"),
    Evento("Norte", "Escola Municipal do Conjunto Milton Gavetti", _COMUNIDADE, 77, "territorio"),
    Evento("Norte", "Associação de Moradores do Jardim Santa Fé", _COMUNIDADE, 91, "territorio"),
    Evento("Sul", "CRAS Sul A", _COMUNIDADE, 121, "territorio"),
    Evento("Sul", "CRAS Sul B", _COMUNIDADE, 97, "territorio"),
    Evento("Sul", "Escola Municipal do Jardim União da Vitória", _COMUNIDADE, 84, "territorio"),
    Evento("Sul", "Centro Comunitário do Jardim Franciscato", _COMUNIDADE, 79, "territorio"),
    Evento("Sul", "Escola Municipal do Jardim Novo Perobal", _COMUNIDADE, 66, "territorio"),
    Evento("Leste", "CRAS Leste", _COMUNIDADE, 112, "territorio"),
    Evento("Leste", "Escola Municipal do Jardim Interlagos", _COMUNIDADE, 89, "territorio"),
    Evento("Leste", "Centro Comunitário do Jardim São Pedro", _COMUNIDADE, 73, "territorio"),
    Evento("Leste", "Escola Municipal do Jardim Vale Verde", _COMUNIDADE, 68, "territorio"),
    Evento(
        "Leste", "Associação de Moradores do Jardim Nova Londrina", _COMUNIDADE, 81, "territorio"
    ),
    Evento("Oeste", "CRAS Oeste A", _COMUNIDADE, 109, "territorio"),
    Evento("Oeste", "CRAS Oeste B", _COMUNIDADE, 95, "territorio"),
    Evento("Oeste", "Escola Municipal do Jardim Leonor", _COMUNIDADE, 86, "territorio"),
    Evento("Oeste", "Centro Comunitário do Jardim Bandeirantes", _COMUNIDADE, 72, "territorio"),
    Evento("Oeste", "Escola Municipal do Jardim Olímpico", _COMUNIDADE, 64, "territorio"),
    Evento("Centro", "CRAS Centro A", _COMUNIDADE, 93, "territorio"),
    Evento("Centro", "CRAS Centro B", _COMUNIDADE, 78, "territorio"),
    Evento("Centro", "Auditório da Biblioteca Pública Municipal", _COMUNIDADE, 102, "territorio"),
    Evento("Rural", "Escola Municipal do Distrito de Lerroville", _COMUNIDADE, 58, "territorio"),
    Evento("Rural", "Salão Comunitário do Distrito de Guaravera", _COMUNIDADE, 47, "territorio"),
    Evento("Rural", "Escola Municipal do Distrito de Irerê", _COMUNIDADE, 39, "territorio"),
    Evento("Rural", "Salão Paroquial do Distrito de Warta", _COMUNIDADE, 52, "territorio"),
    Evento(MUNICIPAL, "Centro POP", _POP, 64, "rua"),
    Evento(
        MUNICIPAL, "Unidade de Acolhimento para Adultos e Famílias", _ACOLHIMENTO, 71, "acolhimento"
    ),
    Evento(MUNICIPAL, "Auditório da SMAS", _TRABALHADORES, 138, "trabalhadores"),
    Evento(MUNICIPAL, "Casa dos Conselhos", _ENTIDADES, 50, "entidades"),
)

PRE_2021: tuple[Evento, ...] = (
    Evento("Norte", "Sala virtual – CRAS Norte A", _COMUNIDADE, 72, "territorio"),
    Evento("Norte", "Sala virtual – CRAS Norte B", _COMUNIDADE, 65, "territorio"),
    Evento("Norte", "Sala virtual – Região Norte (escolas)", _COMUNIDADE, 58, "territorio"),
    Evento("Sul", "Sala virtual – CRAS Sul A", _COMUNIDADE, 61, "territorio"),
    Evento("Sul", "Sala virtual – CRAS Sul B", _COMUNIDADE, 54, "territorio"),
    Evento("Sul", "Sala virtual – Região Sul (entidades)", _COMUNIDADE, 49, "territorio"),
    Evento("Leste", "Sala virtual – CRAS Leste", _COMUNIDADE, 57, "territorio"),
    Evento("Leste", "Sala virtual – Região Leste (escolas)", _COMUNIDADE, 50, "territorio"),
    Evento("Oeste", "Sala virtual – CRAS Oeste A", _COMUNIDADE, 63, "territorio"),
    Evento("Oeste", "Sala virtual – CRAS Oeste B", _COMUNIDADE, 55, "territorio"),
    Evento("Oeste", "Sala virtual – Região Oeste (escolas)", _COMUNIDADE, 48, "territorio"),
    Evento("Centro", "Sala virtual – CRAS Centro A", _COMUNIDADE, 52, "territorio"),
    Evento("Centro", "Sala virtual – CRAS Centro B", _COMUNIDADE, 46, "territorio"),
    Evento("Rural", "Sala virtual – CRAS Rural (Lerroville)", _COMUNIDADE, 34, "territorio"),
    Evento("Rural", "Sala virtual – CRAS Rural (Warta)", _COMUNIDADE, 29, "territorio"),
    Evento(MUNICIPAL, "Centro POP (presencial, com protocolo sanitário)", _POP, 38, "rua"),
    Evento(MUNICIPAL, "Sala virtual – Unidades de acolhimento", _ACOLHIMENTO, 41, "acolhimento"),
    Evento(
        MUNICIPAL, "Sala virtual – Gestores e trabalhadores", _TRABALHADORES, 128, "trabalhadores"
    ),
)


@dataclass(frozen=True)
class Edicao:
    """One conference edition: its pré-conferências and the Conferência Municipal."""

    ano: int
    titulo: str
    pre: tuple[Evento, ...]
    local_municipal: str
    # (participants, delegates elected to the state conference) per segment
    municipal: dict[str, tuple[int, int]]


EDICOES: dict[int, Edicao] = {
    # workbook year -> the edition it carries
    2022: Edicao(
        2021,
        "XIV Conferência Municipal de Assistência Social de Londrina (2021, on-line)",
        PRE_2021,
        "Sala virtual – Conferência Municipal",
        {USUARIOS: (16, 2), TRABALHADORES: (15, 2), ENTIDADES: (14, 1), GESTORES: (16, 5)},
    ),
    2023: Edicao(
        2023,
        "XV Conferência Municipal de Assistência Social de Londrina (2023)",
        PRE_2023,
        "Auditório da Prefeitura Municipal",
        {USUARIOS: (12, 2), TRABALHADORES: (11, 2), ENTIDADES: (9, 2), GESTORES: (11, 6)},
    ),
}


def split(total: int, shares: tuple[float, ...]) -> list[int]:
    """Split ``total`` by ``shares`` into integers that add up exactly (largest remainder)."""
    weight = sum(shares)
    exact = [total * s / weight for s in shares]
    parts = [int(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def conference_rows(edicao: Edicao) -> list[tuple]:
    """Rows of the Conferências sheet: one per event and segment."""
    rows: list[tuple] = []
    for ev in edicao.pre:
        for segmento, n in zip(SEGMENTS, split(ev.participantes, _PERFIS[ev.perfil])):
            rows.append(
                (edicao.ano, PRE_CONFERENCIA, ev.regiao, ev.local, ev.publico, segmento, n, None)
            )
    for segmento in SEGMENTS:
        n, delegados = edicao.municipal[segmento]
        rows.append(
            (
                edicao.ano,
                CONFERENCIA_MUNICIPAL,
                MUNICIPAL,
                edicao.local_municipal,
                "Todos os segmentos",
                segmento,
                n,
                delegados,
            )
        )
    return rows


# --- Indicators -----------------------------------------------------------------------------

# name, unit, source, eixo number, four-year target (None: context indicator), value per year
INDICADORES: tuple[tuple[str, str, str, int, float | None, dict[int, float]], ...] = (
    ("CRAS em funcionamento", "unidades", "Censo SUAS", 1, 10, {2022: 10, 2023: 10, 2024: 10}),
    ("CREAS em funcionamento", "unidades", "Censo SUAS", 1, 4, {2022: 3, 2023: 3, 2024: 3}),
    (
        "Famílias em acompanhamento pelo PAIF",
        "famílias",
        "RMA",
        2,
        3000,
        {2022: 2140, 2023: 2905, 2024: 3120},
    ),
    (
        "Vagas de acolhimento institucional",
        "vagas",
        "Censo SUAS",
        2,
        420,
        {2022: 372, 2023: 398, 2024: 405},
    ),
    (
        "Famílias inscritas no CadÚnico",
        "famílias",
        "CadÚnico",
        3,
        None,
        {2022: 68412, 2023: 73905, 2024: 71230},
    ),
    (
        "Famílias beneficiárias do Bolsa Família",
        "famílias",
        "CadÚnico",
        3,
        None,
        {2022: 35210, 2023: 38940, 2024: 36775},
    ),
    (
        "Beneficiários do BPC",
        "pessoas",
        "VIS DATA",
        3,
        None,
        {2022: 14380, 2023: 15120, 2024: 15860},
    ),
)


# --- Writing --------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="9BA7B4")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_INTEGER = "#,##0"
_DECIMAL = "#,##0.0"
_MONEY = "#,##0.00"


def eixo_label(numero: int) -> str:
    e = PLANO.eixo(numero)
    return f"Eixo {e.numero} – {e.nome}"


def _write_header(
    ws: Worksheet, row: int, labels: tuple[str, ...], widths: tuple[int, ...]
) -> None:
    for col, (label, width) in enumerate(zip(labels, widths), start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = width


def _number_format(value: float | None) -> str:
    return _INTEGER if value is None or float(value).is_integer() else _DECIMAL


def _as_number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def metas_rows(ano: int) -> list[tuple]:
    """One tuple per goal for the year, in ``METAS_COLUMNS`` order."""
    i = ANOS.index(ano)
    rows = []
    for m in METAS:
        r = m.anos[i]
        numeric = r.previsto is not None
        rows.append(
            (
                m.codigo,
                eixo_label(m.eixo),
                DIRETRIZES[m.diretriz],
                m.acao,
                m.meta,
                m.indicador,
                m.unidade if numeric else None,
                m.sentido,
                _as_number(r.previsto),
                _as_number(r.realizado),
                situacao(m, r),
                r.justificativa or None,
                m.responsavel,
                m.prazo,
                m.territorio,
                m.nivel,
                m.fonte or None,
                r.valor_previsto,
                r.valor_executado,
            )
        )
    return rows


def _merge_runs(ws: Worksheet, column: int, first_row: int, values: list[str]) -> None:
    """Merge each run of equal consecutive values in a column into one cell."""
    start = 0
    for end in range(1, len(values) + 1):
        if end == len(values) or values[end] != values[start]:
            if end - start > 1:
                ws.merge_cells(
                    start_row=first_row + start,
                    start_column=column,
                    end_row=first_row + end - 1,
                    end_column=column,
                )
            start = end


def write_metas(ws: Worksheet, ano: int) -> None:
    ws.title = f"Metas {ano}"
    ws["A1"] = TITLE_ORGAO
    ws["A1"].font = _TITLE
    ws["A2"] = f"Monitoramento do {PLANO.nome} — Ano {ano}"
    ws["A2"].font = _BOLD
    ws["A3"] = TITLE_AVISO
    ws["A3"].font = Font(italic=True)
    header_row = 5
    widths = (8, 28, 34, 40, 40, 32, 14, 11, 11, 11, 20, 44, 30, 12, 13, 26, 28, 16, 16)
    _write_header(ws, header_row, METAS_HEADER, widths)
    rows = metas_rows(ano)
    first = header_row + 1
    money = {METAS_COLUMNS.index("valor_previsto"), METAS_COLUMNS.index("valor_executado")}
    numbers = {METAS_COLUMNS.index("previsto"), METAS_COLUMNS.index("realizado")}
    for r, values in enumerate(rows, start=first):
        for c, value in enumerate(values):
            cell = ws.cell(row=r, column=c + 1, value=value)
            cell.alignment = _WRAP_TOP
            cell.border = _BOX
            if c in money:
                cell.number_format = _MONEY
            elif c in numbers:
                cell.number_format = _number_format(value)
    for col in (METAS_COLUMNS.index("eixo"), METAS_COLUMNS.index("diretriz")):
        _merge_runs(ws, col + 1, first, [row[col] for row in rows])
    footer = first + len(rows)
    ws.cell(row=footer, column=1, value=FOOTER).font = Font(italic=True, size=9)
    status_col = get_column_letter(METAS_COLUMNS.index("situacao") + 1)
    dv = DataValidation(
        type="list", formula1='"' + ",".join(schema.STATUS_ORDER) + '"', allow_blank=True
    )
    dv.add(f"{status_col}{first}:{status_col}{footer - 1}")
    ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(row=first, column=2)


def write_conferencias(ws: Worksheet, edicao: Edicao) -> None:
    ws.title = "Conferências"
    ws["A1"] = f"Processo conferencial — {edicao.titulo} — dados ilustrativos"
    ws["A1"].font = _TITLE
    header_row = 3
    _write_header(ws, header_row, CONFERENCIAS_HEADER, (8, 22, 12, 48, 44, 24, 14, 11))
    for r, values in enumerate(conference_rows(edicao), start=header_row + 1):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


def write_deliberacoes(ws: Worksheet, edicao: Edicao) -> None:
    """The edition's deliberations: a title line, a blank row, the header, one row each."""
    ws.title = "Deliberações"
    ws["A1"] = f"Deliberações aprovadas — {edicao.titulo} — dados ilustrativos"
    ws["A1"].font = _TITLE
    header_row = 3
    header = tuple(schema.DELIBERACOES.column(c).label for c in DELIBERACOES_COLUMNS)
    _write_header(ws, header_row, header, (8, 5, 44, 11, 70, 10, 18))
    for r, values in enumerate(deliberation_rows(edicao.ano), start=header_row + 1):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value).alignment = _WRAP_TOP
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


def write_indicadores(ws: Worksheet, ano: int) -> None:
    ws.title = "Indicadores"
    _write_header(ws, 1, INDICADORES_HEADER, (40, 8, 6, 12, 12, 12, 12, 50, 10))
    for r, (nome, unidade, fonte, eixo, meta, valores) in enumerate(INDICADORES, start=2):
        values = (nome, ano, 12, valores[ano], unidade, MUNICIPAL, fonte, eixo_label(eixo), meta)
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if c in (4, 9):
                cell.number_format = _INTEGER
    ws.freeze_panes = "A2"


def workbook(ano: int) -> Workbook:
    wb = Workbook()
    write_metas(wb.active, ano)
    if ano in EDICOES:
        write_conferencias(wb.create_sheet(), EDICOES[ano])
        write_deliberacoes(wb.create_sheet(), EDICOES[ano])
    write_indicadores(wb.create_sheet(), ano)
    wb.properties.creator = "SMAS Londrina — dados ilustrativos (PMAS Monitor)"
    wb.properties.title = f"Monitoramento do {PLANO.nome} — {ano}"
    wb.properties.created = _DOC_DATE
    wb.properties.modified = _DOC_DATE
    wb.properties.lastModifiedBy = None
    return wb


def _xlsx_bytes(wb: Workbook) -> bytes:
    """The workbook as xlsx bytes that do not depend on when they were written.

    ``Workbook.save`` would stamp the current time as the document's modification date, so the
    workbook is written with ``ExcelWriter`` (keeping the dates set in :func:`workbook`), and the
    zip members, which get the current time too, are rewritten with a fixed one.
    """
    buffer = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


LEIA_ME = """\
Dados de exemplo do PMAS Monitor
================================

Os arquivos desta pasta são DADOS ILUSTRATIVOS, feitos para demonstrar o painel. Eles imitam o
formato de uma planilha de monitoramento do Plano Municipal de Assistência Social (PMAS
2022-2025) de Londrina (PR), com os cinco eixos do plano, mas as metas, os números, as situações e
as justificativas são fictícios: NÃO são os resultados reais de Londrina.

Arquivos
--------
pmas_londrina_2022.xlsx   abas "Metas 2022", "Conferências" (edição de 2021, on-line),
                          "Deliberações" (da edição de 2021) e "Indicadores"
pmas_londrina_2023.xlsx   abas "Metas 2023", "Conferências" (edição de 2023), "Deliberações"
                          (da edição de 2023) e "Indicadores"
pmas_londrina_2024.xlsx   abas "Metas 2024" e "Indicadores"

O ano de referência das metas está no nome da aba ("Metas 2023") e no título da planilha.

Conferências
------------
Os totais da edição de 2023 coincidem com os números públicos do Relatório de Monitoramento do
PMAS - Ano 2022: 2.804 pessoas em 33 pré-conferências (regiões urbanas e rural, e por público) e
43 pessoas na Conferência Municipal. A divisão por local e por segmento é ilustrativa. A edição de
2021 (on-line) soma 1.000 pessoas em 18 pré-conferências e 61 na Conferência Municipal, valores
também ilustrativos, próximos do "cerca de 1.000 pessoas" divulgado pelo município.

Deliberações
------------
As deliberações das edições de 2021 (29) e de 2023 (32) são ilustrativas: a redação segue o que
as conferências de assistência social costumam aprovar, e os eixos são os nacionais de cada
edição (resumidos), não os do plano. A coluna "Metas do PMAS" traz os códigos das metas do plano
que respondem a cada deliberação; algumas não têm meta (lacuna que o painel destaca) e algumas
são de âmbito estadual ou nacional (encaminhadas às outras esferas).

Como gerar de novo
------------------
    python -m tools.exemplo
"""


def gerar(pasta: Path) -> list[Path]:
    """Write the example workbooks and the LEIA-ME into ``pasta``; return the paths written."""
    pasta = Path(pasta)
    pasta.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for ano in ANOS:
        path = pasta / f"pmas_{PLANO.municipio.lower()}_{ano}.xlsx"
        path.write_bytes(_xlsx_bytes(workbook(ano)))
        written.append(path)
    leia_me = pasta / "LEIA-ME.txt"
    leia_me.write_text(LEIA_ME, encoding="utf-8")
    written.append(leia_me)
    return written


if __name__ == "__main__":
    destino = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FOLDER
    for p in gerar(destino):
        print(p)
