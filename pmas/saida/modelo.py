"""The blank template ``data/modelo_pmas.xlsx`` the Importar screen offers for download: a Plano
sheet (the municipality's plan and eixos, read back on import), the Metas, Conferências,
Indicadores and Deliberações sheets with their headers, dropdowns for Eixo, Situação and the
other closed lists (from a hidden sheet "Listas": a data-validation source, not a cell formula),
and an Instruções sheet with what each column means and one example row.

Written with xlsxwriter: every text through ``write_string`` and the workbook opened with
``strings_to_formulas=False``, so no cell holds a formula. ``python -m pmas.saida.modelo`` regenerates
the file.
"""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_range_abs

from pmas import fmt
from pmas.dados import schema
from pmas.dados.plano import UFS, Plano
from pmas.saida.export import LARGURA_MAX
from pmas.textos import ABA_PLANO

MODELO_PATH = Path(__file__).resolve().parents[2] / "data" / "modelo_pmas.xlsx"

_WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

# Per column: (required?, what it means, accepted values, example). The example values of a
# table form its one example row, shown on the Instruções sheet (never on the data sheets).
_AJUDA: dict[str, dict[str, tuple[str, str, str, str]]] = {
    "metas": {
        "codigo": (
            "Não",
            "Código ou número da meta no plano. Deve ser único no ano.",
            "Texto livre, por exemplo 1.1.1 (a coluna está formatada como texto).",
            "1.1.1",
        ),
        "eixo": (
            "Sim",
            "Eixo do plano ao qual a meta pertence.",
            "Um dos eixos do plano (lista na célula): {eixos}. Também são aceitos "
            "“Eixo 1”, “I” ou “1”.",
            "{eixo1}",
        ),
        "diretriz": (
            "Não",
            "Diretriz ou prioridade deliberada a que a ação responde.",
            "Texto livre.",
            "Fortalecer a gestão do trabalho no SUAS",
        ),
        "objetivo": (
            "Não",
            "Objetivo que a ação busca alcançar.",
            "Texto livre.",
            "Qualificar o atendimento à população",
        ),
        "acao": (
            "Sim, ou a Meta",
            "Ação prevista no plano.",
            "Texto livre. Preencha a Ação, a Meta ou as duas.",
            "Realizar capacitação continuada dos trabalhadores do SUAS",
        ),
        "estrategia": (
            "Não",
            "Como a ação será executada.",
            "Texto livre.",
            "Cursos semestrais em parceria com universidades",
        ),
        "meta": (
            "Sim, ou a Ação",
            "O que se pretende alcançar, de preferência com quantidade.",
            "Texto livre.",
            "Capacitar 200 trabalhadores por ano",
        ),
        "meta_plano": (
            "Não",
            "Meta do plano inteiro (quadriênio ou cumulativa), não a de um ano; fica guardada e "
            "não entra no cumprimento do ano.",
            "Número.",
            "800",
        ),
        "indicador": (
            "Não",
            "Como o resultado é medido.",
            "Texto livre.",
            "Trabalhadores capacitados",
        ),
        "unidade": (
            "Não",
            "Unidade dos números previsto e realizado.",
            "Texto livre: pessoas, famílias, unidades, %, R$…",
            "pessoas",
        ),
        "sentido": (
            "Não",
            "O que a meta pretende fazer com o indicador; define como o cumprimento é calculado.",
            "{sentidos} (lista na célula). Veja “Os sentidos possíveis” acima.",
            "Aumentar",
        ),
        "linha_de_base": (
            "Não",
            "Valor do indicador no início do plano.",
            "Número: 1.234 ou 85,5%.",
            "150",
        ),
        "ano": (
            "Sim*",
            "Ano de referência da avaliação.",
            "Ano com quatro dígitos, {periodo}. *Pode faltar se o ano estiver "
            "no nome da aba ou for informado na importação.",
            "{ano}",
        ),
        "previsto": (
            "Não*",
            "Quantidade prevista para o ano.",
            "Número: 1.234 / 85,5% / R$ 12.000,00. *Com o Realizado, permite calcular "
            "a situação quando ela está em branco.",
            "200",
        ),
        "realizado": ("Não*", "Quantidade alcançada no ano.", "Número, como no Previsto.", "180"),
        "percentual": (
            "Não",
            "Percentual de execução (realizado ÷ previsto).",
            "Porcentagem: 90% ou 85,5%.",
            "90%",
        ),
        "situacao": (
            "Sim*",
            "Situação da meta no ano.",
            "Uma destas (lista na célula): {situacoes}. *Se ficar em branco, é "
            "calculada pelo Previsto e pelo Realizado.",
            "Parcialmente realizada",
        ),
        "justificativa": (
            "Não",
            "Análise do resultado: o que foi feito, dificuldades, motivo de não cumprimento.",
            "Texto livre.",
            "Duas turmas adiadas por falta de instrutores",
        ),
        "prazo": (
            "Não",
            "Período de execução previsto.",
            "Texto livre: {prazo}, 1º semestre de {ano}…",
            "{prazo}",
        ),
        "responsavel": (
            "Não",
            "Setor responsável pela execução.",
            "Texto livre.",
            "Diretoria de Gestão do SUAS",
        ),
        "parceiros": (
            "Não",
            "Órgãos ou entidades parceiras.",
            "Texto livre.",
            "Universidades; CMAS",
        ),
        "fonte_recurso": (
            "Não",
            "De onde vem o recurso.",
            "Texto livre: FMAS, FEAS, FNAS, Tesouro municipal…",
            "FMAS",
        ),
        "valor_previsto": (
            "Não",
            "Valor previsto, em reais.",
            "Valor: 12.000,00 ou R$ 12.000,00.",
            "R$ 12.000,00",
        ),
        "valor_executado": (
            "Não",
            "Valor executado, em reais.",
            "Valor: 12.000,00 ou R$ 12.000,00.",
            "R$ 10.800,00",
        ),
        "territorio": (
            "Não",
            "Região, CRAS ou território da ação.",
            "Texto livre: Norte, CRAS Leste, Todo o município…",
            "Todo o município",
        ),
        "nivel_protecao": (
            "Não",
            "Nível de proteção social da ação.",
            "Texto livre: Proteção Social Básica, Proteção Social Especial de "
            "Média ou de Alta Complexidade, Gestão.",
            "Gestão",
        ),
    },
    "conferencias": {
        "ano": ("Sim", "Ano em que o evento aconteceu.", "Ano com quatro dígitos.", "2023"),
        "tipo_evento": (
            "Sim",
            "Etapa do processo conferencial.",
            "{tipos} (lista na célula).",
            "Pré-conferência",
        ),
        "regiao": (
            "Não",
            "Região da pré-conferência.",
            "Texto livre: Norte, Sul, Leste, Oeste, Centro, Rural…",
            "Norte",
        ),
        "local": ("Não", "Onde o evento aconteceu.", "Texto livre.", "CRAS Norte A"),
        "publico": (
            "Não",
            "Público específico do evento, quando houver.",
            "Texto livre: usuários de acolhimento, Centro POP, trabalhadores…",
            "Comunidade da região",
        ),
        "segmento": (
            "Não",
            "Segmento dos participantes contados na linha.",
            "{segmentos} (lista na célula). Use uma linha por segmento, ou “Total” "
            "quando não há divisão.",
            "Usuários",
        ),
        "participantes": (
            "Sim",
            "Número de participantes do segmento no evento.",
            "Número inteiro.",
            "85",
        ),
        "delegados": ("Não", "Delegados eleitos no evento.", "Número inteiro.", "4"),
        "eventos": (
            "Não",
            "Quantos eventos a linha resume (ex.: 33 pré-conferências numa linha só); em "
            "branco, 1.",
            "Número inteiro.",
            "1",
        ),
    },
    "indicadores": {
        "indicador": (
            "Sim",
            "Nome do indicador.",
            "Texto livre.",
            "Famílias acompanhadas pelo PAIF",
        ),
        "ano": ("Sim", "Ano de referência do valor.", "Ano com quatro dígitos.", "2024"),
        "mes": (
            "Não",
            "Mês de referência, em séries mensais.",
            "Número de 1 a 12; em branco para valor anual.",
            "6",
        ),
        "valor": (
            "Sim",
            "Valor do indicador no período.",
            "Número: 1.234 / 85,5% / R$ 12.000,00.",
            "1.234",
        ),
        "unidade": (
            "Não",
            "Unidade do valor.",
            "Texto livre: famílias, pessoas, unidades, R$…",
            "famílias",
        ),
        "territorio": (
            "Não",
            "Território do valor: município, região ou CRAS.",
            "Texto livre.",
            "CRAS Norte A",
        ),
        "fonte": (
            "Não",
            "Origem do dado.",
            "Texto livre: RMA, CadÚnico, VIS DATA, Censo SUAS…",
            "RMA, campo A.1",
        ),
        "eixo": (
            "Não",
            "Eixo do plano a que o indicador se relaciona.",
            "Um dos eixos do plano (lista na célula).",
            "{eixo2}",
        ),
        "meta_valor": ("Não", "Valor que o plano pretende alcançar.", "Número.", "1.500"),
    },
    "deliberacoes": {
        "ano": (
            "Sim",
            "Ano em que a conferência aconteceu (a edição), não um ano do plano.",
            "Ano com quatro dígitos.",
            "2023",
        ),
        "numero": (
            "Não",
            "Número da deliberação na edição.",
            "Texto ou número; cada deliberação da edição com o seu. Em branco: a ordem da linha.",
            "12",
        ),
        "eixo_conferencia": (
            "Não",
            "Eixo da conferência (os eixos nacionais da edição, não os do plano).",
            "Texto livre.",
            "Eixo 2 – Controle social",
        ),
        "ambito": (
            "Não",
            "A quem a deliberação se dirige.",
            "{ambitos} (lista na célula). Em branco: Municipal.",
            "Municipal",
        ),
        "texto": (
            "Sim",
            "O texto aprovado na conferência.",
            "Texto livre.",
            "Ampliar as equipes de referência dos CRAS conforme a NOB-RH/SUAS.",
        ),
        "prioridade": ("Não", "Prioridade dada pela conferência.", "Texto ou número.", "1"),
        "metas": (
            "Não",
            "Códigos das metas do PMAS (de qualquer plano do município) que respondem à "
            "deliberação.",
            "Códigos separados por ponto e vírgula; em branco se nenhuma meta responde a ela.",
            "1.2.2; 5.1.3",
        ),
    },
}

_SIGNIFICADO_STATUS = {
    schema.REALIZADA: "A meta do ano foi cumprida.",
    schema.PARCIAL: "Cumprida em parte.",
    schema.EM_ANDAMENTO: "Em execução, ainda sem resultado final (ações contínuas).",
    schema.NAO_INICIADA: "Prevista para o ano, mas ainda não começou.",
    schema.NAO_REALIZADA: "Prevista para o ano e não cumprida.",
    schema.CANCELADA: "Retirada do plano; não entra no cálculo.",
    schema.NAO_SE_APLICA: "Não prevista para este ano; não entra no cálculo.",
}
_SIGNIFICADO_SENTIDO = {
    "Aumentar": "Quanto maior o realizado, melhor: cumprimento = realizado ÷ previsto.",
    "Manter": "Manter o valor previsto: cumprimento = realizado ÷ previsto.",
    "Reduzir": "Quanto menor o realizado, melhor: cumprimento = previsto ÷ realizado.",
    "Implantar": "Criar algo que ainda não existe (serviço, unidade, lei); a situação diz "
    "se foi implantado.",
}

# Dropdowns: table → column → list name on the hidden sheet "Listas".
_LISTAS_POR_COLUNA = {
    "metas": {"eixo": "eixos", "situacao": "situacoes", "sentido": "sentidos"},
    "conferencias": {"tipo_evento": "tipos", "segmento": "segmentos"},
    "indicadores": {"eixo": "eixos"},
    "deliberacoes": {"ambito": "ambitos"},
}
ULTIMA_LINHA_VALIDADA = 1000  # dropdowns on rows 2..1000


# The Plano sheet: label rows (Excel rows 4..9, value in column B), then the eixo table.
_PLANO_CAMPOS = ("municipio", "uf", "ibge", "nome", "inicio", "fim")
_PLANO_PRIMEIRA = 3  # row index of "Município"
_PLANO_EIXOS = _PLANO_PRIMEIRA + len(_PLANO_CAMPOS) + 2  # row index of the eixo headings
_PLANO_LINHAS_EIXOS = 30  # rows of the eixo table (the blank template's dropdown reads them)


def _listas(plano: Plano | None) -> dict[str, tuple[str, list[str]]]:
    """List name → (header on the Listas sheet, values). Without a plan the eixo dropdowns read
    the Plano sheet's eixo names instead."""
    listas = {
        "eixos": ("Lista de eixos", [e.rotulo for e in plano.eixos] if plano else []),
        "situacoes": ("Lista de situações", list(schema.STATUS_ORDER)),
        "sentidos": ("Lista de sentidos", list(schema.SENTIDOS)),
        "tipos": ("Lista de tipos de evento", list(schema.EVENT_TYPES)),
        "segmentos": ("Lista de segmentos", [*schema.SEGMENTS, schema.TOTAL]),
        "ambitos": ("Lista de âmbitos", list(schema.AMBITOS)),
    }
    if plano is None:
        del listas["eixos"]
    return listas


def _ajuda(plano: Plano | None, tabela: str, coluna: str) -> tuple[str, str, str, str]:
    if plano is not None:
        eixos = [e.rotulo for e in plano.eixos]
        periodo = f"de {plano.ano_inicio} a {plano.ano_fim}"
        ano, prazo = str(plano.ano_inicio), plano.periodo
        lista = "; ".join(eixos)
    else:
        eixos = ["Eixo 1", "Eixo 2"]
        periodo = "dentro do período do plano (aba “Plano”)"
        ano, prazo = "2026", "2026-2029"
        lista = "os da aba “Plano”"
    campos = {
        "eixos": lista,
        "eixo1": eixos[0] if eixos else "",
        "eixo2": eixos[1] if len(eixos) > 1 else (eixos[0] if eixos else ""),
        "periodo": periodo,
        "ano": ano,
        "prazo": prazo,
        "situacoes": "; ".join(schema.STATUS_ORDER),
        "sentidos": ", ".join(schema.SENTIDOS),
        "tipos": " ou ".join(schema.EVENT_TYPES),
        "segmentos": "; ".join([*schema.SEGMENTS, schema.TOTAL]),
        "ambitos": ", ".join(schema.AMBITOS),
    }
    return tuple(t.format(**campos) for t in _AJUDA[tabela][coluna])  # type: ignore[return-value]


def write_plan_sheet(wb: xlsxwriter.Workbook, plano: Plano | None, nome: str | None = None):
    """The Plano sheet (pmas.entrada.aba_plano reads it back): the plan's municipality, UF,
    IBGE code, name and years, then its eixos (number, name, short name, other names). Without
    a plan the values are left blank to fill, with a UF dropdown. Returns the worksheet."""
    T = ABA_PLANO
    ws = wb.add_worksheet(nome or T["aba"])
    titulo = wb.add_format({"bold": True, "font_size": 14})
    rotulo = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    texto = wb.add_format({"num_format": "@", "border": 1})
    numero = wb.add_format({"num_format": "0", "border": 1})
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 55)
    ws.set_column(2, 2, 28)
    ws.set_column(3, 3, 45)
    ws.write_string(0, 0, T["titulo"], titulo)
    ws.write_string(1, 0, T["intro"])
    valores = {}
    if plano is not None:
        valores = {
            "municipio": plano.municipio,
            "uf": plano.uf,
            "ibge": plano.ibge,
            "nome": plano.nome,
            "inicio": plano.ano_inicio,
            "fim": plano.ano_fim,
        }
    for i, campo in enumerate(_PLANO_CAMPOS):
        r = _PLANO_PRIMEIRA + i
        ws.write_string(r, 0, T[campo], rotulo)
        v = valores.get(campo)
        if isinstance(v, int):
            ws.write_number(r, 1, v, numero)
        elif v:
            ws.write_string(r, 1, v, texto)
        else:
            ws.write_blank(r, 1, None, numero if campo in ("inicio", "fim") else texto)
    if plano is None:
        ws.data_validation(
            _PLANO_PRIMEIRA + 1,
            1,
            _PLANO_PRIMEIRA + 1,
            1,
            {"validate": "list", "source": sorted(UFS), "error_type": "warning"},
        )
    ws.write_string(_PLANO_EIXOS - 1, 0, T["eixos"], wb.add_format({"bold": True}))
    for c, campo in enumerate(("numero", "eixo", "curto", "aliases")):
        ws.write_string(_PLANO_EIXOS, c, T[campo], rotulo)
    for i, e in enumerate(plano.eixos if plano is not None else ()):
        r = _PLANO_EIXOS + 1 + i
        ws.write_number(r, 0, e.numero, numero)
        ws.write_string(r, 1, e.nome, texto)
        ws.write_string(r, 2, e.curto, texto) if e.curto else ws.write_blank(r, 2, None, texto)
        aliases = "; ".join(e.aliases)
        ws.write_string(r, 3, aliases, texto) if aliases else ws.write_blank(r, 3, None, texto)
    return ws


def _plan_eixo_names() -> str:
    """The blank template's eixo dropdown source: the Plano sheet's eixo names."""
    primeira = _PLANO_EIXOS + 1
    return f"='{ABA_PLANO['aba']}'!" + xl_range_abs(
        primeira, 1, primeira + _PLANO_LINHAS_EIXOS - 1, 1
    )


def _instrucoes(wb: xlsxwriter.Workbook, plano: Plano | None) -> None:
    # Headings and table headers avoid starting with a column name or alias ("Situação…",
    # "Valor…"), so that an importer guessing tables by their headers does not take this sheet
    # for data.
    ws = wb.add_worksheet("Instruções")
    titulo = wb.add_format({"bold": True, "font_size": 14})
    secao = wb.add_format({"bold": True, "font_size": 12})
    cabecalho = wb.add_format(
        {"bold": True, "bg_color": "#D9E2F3", "border": 1, "text_wrap": True, "valign": "top"}
    )
    celula = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 2, 50)
    ws.set_column(3, 3, 60)
    ws.set_column(4, 4, 40)

    linha = 0

    def texto(t: str, formato: Any = None) -> None:
        nonlocal linha
        ws.write_string(linha, 0, t, formato)
        linha += 1

    def tabela(cabecalhos: list[str], linhas: list[list[str]]) -> None:
        nonlocal linha
        for c, h in enumerate(cabecalhos):
            ws.write_string(linha, c, h, cabecalho)
        linha += 1
        for valores in linhas:
            for c, v in enumerate(valores):
                ws.write_string(linha, c, v, celula)
            linha += 1
        linha += 1

    texto(_titulo(plano), titulo)
    if plano is None:
        texto(
            "Comece pela aba “Plano”: o município, a UF, o código IBGE, o nome do plano, o "
            "primeiro e o último ano e os eixos. Ao importar, o plano é criado se ainda não "
            "existir."
        )
    else:
        texto(
            "A aba “Plano” traz o plano a que as metas pertencem; se mudar um eixo ali, a tela "
            "Importar mostra a diferença antes de gravar."
        )
    texto(
        "Preencha as abas “Metas”, “Conferências”, “Indicadores” e “Deliberações” e envie o arquivo na tela "
        "Importar do PMAS Monitor. Use só as abas de que precisar."
    )
    linha += 1
    texto("Como preencher", secao)
    for item in (
        "• Aba Metas: uma linha por meta (ou ação) e por ano avaliado.",
        "• Aba Conferências: uma linha por evento (pré-conferência ou conferência municipal) "
        "e por segmento de participantes.",
        "• Aba Indicadores: uma linha por indicador, período e território.",
        "• Aba Deliberações: uma linha por deliberação aprovada na conferência, com os "
        "códigos das metas do PMAS que respondem a ela. A situação de cada deliberação "
        "(Atendida, Em atendimento, Não atendida, Sem meta no PMAS) é calculada pelo painel "
        "a partir dessas metas: não é digitada.",
        "• Não mude os títulos das colunas. Colunas opcionais podem ficar em branco ou ser "
        "apagadas; colunas a mais são ignoradas, com aviso.",
        "• Se várias linhas têm o mesmo eixo ou diretriz, as células podem ser mescladas.",
        "• Células sem dado: deixe em branco (“-”, “s/d” e “n/a” também são lidos como sem dado).",
        "• As listas nas células de Eixo, Situação, Sentido, Tipo de evento e Segmento mostram "
        "os valores aceitos.",
    ):
        texto(item)
    linha += 1
    texto("Como o ano das metas é encontrado", secao)
    texto(
        "O ano é lido, nesta ordem: da coluna “Ano”; do nome da aba (por exemplo "
        "“Metas 2024”); ou do ano informado na tela de importação."
    )
    linha += 1
    texto("Números", secao)
    texto(
        "Escreva os números como de costume no Brasil: 1.234 (milhar com ponto), 85,5% "
        "(vírgula decimal), R$ 12.000,00. Números digitados como número no Excel também "
        "são aceitos."
    )
    linha += 1
    texto("As situações possíveis de uma meta", secao)
    tabela(
        ["Opção", "Entra no cálculo", "O que significa", "Pontuação no índice"],
        [
            [
                nome,
                "Sim" if conta else "Não",
                _SIGNIFICADO_STATUS[nome],
                fmt.numero(nota, 1) if nota is not None else "—",
            ]
            for nome, conta, nota in schema.STATUSES
        ],
    )
    texto("Os sentidos possíveis de uma meta", secao)
    tabela(["Opção", "O que significa"], [[s, _SIGNIFICADO_SENTIDO[s]] for s in schema.SENTIDOS])

    for tab in (schema.METAS, schema.CONFERENCIAS, schema.INDICADORES, schema.DELIBERACOES):
        texto(f"Colunas da aba {tab.label}", secao)
        texto(f"A coluna “Exemplo” mostra uma linha preenchida, como ficaria na aba {tab.label}.")
        tabela(
            ["Coluna", "Obrigatória", "O que significa", "Como preencher", "Exemplo"],
            [[col.label, *_ajuda(plano, tab.name, col.name)] for col in tab.columns],
        )


def _titulo(plano: Plano | None) -> str:
    if plano is None:
        return "Modelo de planilha do plano municipal de assistência social"
    local = f"{plano.municipio}/{plano.uf}" if plano.uf else plano.municipio
    return f"Modelo de planilha do {plano.nome} – {local}"


def template_xlsx_bytes(plano: Plano | None = None) -> bytes:
    """The blank template for ``plano`` (None: any municipality's, with a Plano sheet to fill):
    "Instruções", "Plano" (the plan, read back on import), then empty "Metas", "Conferências",
    "Indicadores" and "Deliberações" sheets (bold frozen header of schema labels, dropdowns on
    rows 2..1000 for the columns with a closed list), and the hidden "Listas" sheet the
    dropdowns read from."""
    return _workbook(plano)


def plan_xlsx_bytes(plano: Plano, metas: pd.DataFrame) -> bytes:
    """The plan's workbook to download and import again: the plan's template with its Plano
    sheet and the stored goals (current versions, every year) in Metas. Imported back, it goes
    to the same plan and changes nothing: a Situação the importer derived is left blank (it is
    derived again), and each eixo is written as the plan's "número. nome"."""
    return _workbook(plano, metas)


def _goal_rows(plano: Plano, metas: pd.DataFrame) -> list[list[object]]:
    rotulos = {e.numero: e.rotulo for e in plano.eixos}
    out: list[list[object]] = []
    ordem = metas.sort_values(["ano", "eixo_numero", "linha"], kind="stable")
    for _, meta in ordem.iterrows():
        linha = []
        for col in schema.METAS.columns:
            v = meta.get(col.name)
            if col.name == "eixo":
                numero = _inteiro(meta.get("eixo_numero"))
                v = rotulos.get(numero, v) if numero is not None else v
            elif col.name == "situacao" and bool(meta.get("situacao_derivada")):
                v = None
            linha.append(None if v is None or (not isinstance(v, str) and pd.isna(v)) else v)
        out.append(linha)
    return out


def _inteiro(v: Any) -> int | None:
    return None if v is None or pd.isna(v) else int(v)


def _workbook(plano: Plano | None, metas: pd.DataFrame | None = None) -> bytes:
    saida = io.BytesIO()
    wb = xlsxwriter.Workbook(saida, _WORKBOOK_OPTIONS)
    # a fixed creation date keeps the generated file identical from one run to the next
    wb.set_properties(
        {
            "title": _titulo(plano),
            "subject": plano.municipio if plano is not None else "",
            "author": "PMAS Monitor",
            "created": datetime(2025, 1, 1),
        }
    )
    negrito = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    como_texto = wb.add_format({"num_format": "@"})

    _instrucoes(wb, plano)
    write_plan_sheet(wb, plano)

    listas = _listas(plano)
    fontes: dict[str, str] = {}
    for c, (nome, (_, valores)) in enumerate(listas.items()):
        fontes[nome] = "=Listas!" + xl_range_abs(1, c, len(valores), c)
    if plano is None:
        fontes["eixos"] = _plan_eixo_names()

    abas: tuple[schema.Table, ...] = (
        schema.METAS,
        schema.CONFERENCIAS,
        schema.INDICADORES,
        schema.DELIBERACOES,
    )
    if metas is not None:
        abas = (schema.METAS,)  # an empty sheet would not import (it has no rows)
    for tab in abas:
        ws = wb.add_worksheet(tab.label)
        validadas = _LISTAS_POR_COLUNA[tab.name]
        for c, col in enumerate(tab.columns):
            ws.write_string(0, c, col.label, negrito)
            exemplo = _ajuda(plano, tab.name, col.name)[3]
            largura = min(max(len(col.label) + 4, len(exemplo) + 2, 12), LARGURA_MAX)
            texto_col = col.name in ("codigo", "metas", "numero")
            ws.set_column(c, c, largura, como_texto if texto_col else None)
            if col.name in validadas:
                ws.data_validation(
                    1,
                    c,
                    ULTIMA_LINHA_VALIDADA - 1,
                    c,
                    {
                        "validate": "list",
                        "source": fontes[validadas[col.name]],
                        "error_type": "warning",
                        "error_title": "Valor fora da lista",
                        "error_message": f"Escolha um valor da lista de “{col.label}”. Outros "
                        "textos podem não ser reconhecidos na importação.",
                    },
                )
        ws.freeze_panes(1, 0)
        if tab is schema.METAS and plano is not None and metas is not None and len(metas):
            for r, linha in enumerate(_goal_rows(plano, metas), start=1):
                for c, v in enumerate(linha):
                    if v is None:
                        continue
                    if isinstance(v, bool):
                        ws.write_string(r, c, "Sim" if v else "Não")
                    elif isinstance(v, (int, float, Decimal)):
                        ws.write_number(r, c, float(v))
                    else:
                        ws.write_string(r, c, str(v))

    ws = wb.add_worksheet("Listas")
    for c, (cabecalho, valores) in enumerate(listas.values()):
        ws.write_string(0, c, cabecalho, negrito)
        for r, v in enumerate(valores, start=1):
            ws.write_string(r, c, v)
        ws.set_column(c, c, min(max(map(len, [cabecalho, *valores])) + 2, LARGURA_MAX))
    ws.hide()

    wb.close()
    return saida.getvalue()


def write_template(path: str | Path = MODELO_PATH, plano: Plano | None = None) -> Path:
    """Write the blank template for ``plano`` (None: any municipality's) to ``path`` (by default
    data/modelo_pmas.xlsx)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(template_xlsx_bytes(plano))
    return path


if __name__ == "__main__":
    destino = write_template()
    print(f"Modelo gravado em {destino} ({fmt.tamanho(destino.stat().st_size)}).")
