"""The example data's conference deliberations (sheet ``Deliberações`` of the example workbooks).

Illustrative, not Londrina's real deliberations: the wording follows what SUAS conferences
usually approve. The conference eixos are the national ones of each edition (shortened), not the
plan's. Most municipal deliberations cite the plan goals (códigos of the example's PMAS
2022-2025) that answer them; some cite none (the gap the Deliberações screen highlights); some
are estadual or nacional (forwarded).
"""

from __future__ import annotations

from pmas.dados.schema import ESTADUAL, MUNICIPAL, NACIONAL

# edition → conference eixos (national, of that edition)
EIXOS: dict[int, tuple[str, ...]] = {
    2021: (
        "Eixo 1 – Proteção social não contributiva e equidade",
        "Eixo 2 – Financiamento",
        "Eixo 3 – Controle social",
        "Eixo 4 – Gestão e acesso às seguranças socioassistenciais",
        "Eixo 5 – O SUAS em calamidades públicas e emergências",
    ),
    2023: (
        "Eixo 1 – Financiamento",
        "Eixo 2 – Controle social",
        "Eixo 3 – Vigilância socioassistencial",
        "Eixo 4 – Serviços, programas e projetos",
        "Eixo 5 – Benefícios e transferência de renda",
    ),
}

# (number, conference eixo index, âmbito, text, priority, linked goal códigos)
_Row = tuple[str, int, str, str, str | None, str | None]

_2021: tuple[_Row, ...] = (
    (
        "1",
        0,
        MUNICIPAL,
        "Ampliar as equipes de referência dos CRAS conforme a NOB-RH/SUAS, com concurso público.",
        "1",
        "1.2.2; 5.1.3",
    ),
    (
        "2",
        0,
        MUNICIPAL,
        "Implantar novo CRAS na região Norte, considerando o crescimento "
        "populacional dos conjuntos habitacionais.",
        "2",
        "1.2.3",
    ),
    (
        "3",
        0,
        MUNICIPAL,
        "Ampliar a oferta do Serviço de Convivência e Fortalecimento de Vínculos "
        "para crianças, adolescentes e pessoas idosas em todos os territórios.",
        "3",
        "2.1.2; 2.1.3",
    ),
    (
        "4",
        0,
        MUNICIPAL,
        "Garantir equipe volante para o atendimento das famílias da área rural.",
        None,
        "2.1.4",
    ),
    (
        "5",
        0,
        MUNICIPAL,
        "Ampliar o acompanhamento familiar pelo PAIF e pelo PAEFI, com busca ativa "
        "nos territórios de maior vulnerabilidade.",
        None,
        "2.1.1; 2.1.5; 2.2.1",
    ),
    (
        "6",
        0,
        MUNICIPAL,
        "Garantir transporte para que os usuários cheguem aos serviços e às "
        "atividades coletivas dos CRAS.",
        None,
        None,
    ),
    (
        "7",
        0,
        MUNICIPAL,
        "Implantar casa de passagem para mulheres em situação de violência e seus filhos.",
        None,
        "2.3.6",
    ),
    (
        "8",
        1,
        MUNICIPAL,
        "Ampliar a execução do orçamento do FMAS e publicar a execução trimestralmente.",
        "4",
        "5.2.1; 4.3.3",
    ),
    (
        "9",
        1,
        MUNICIPAL,
        "Executar integralmente os recursos do IGDSUAS e do IGD-PBF.",
        None,
        "5.2.2",
    ),
    (
        "10",
        1,
        MUNICIPAL,
        "Garantir recursos próprios para o cofinanciamento da rede socioassistencial privada.",
        None,
        "5.2.3",
    ),
    (
        "11",
        1,
        ESTADUAL,
        "Regulamentar e ampliar o cofinanciamento estadual dos serviços de "
        "Proteção Social Especial de Alta Complexidade.",
        None,
        None,
    ),
    (
        "12",
        1,
        NACIONAL,
        "Aprovar a vinculação de no mínimo 1% da receita corrente líquida da "
        "União para o financiamento do SUAS.",
        None,
        None,
    ),
    (
        "13",
        2,
        MUNICIPAL,
        "Realizar reuniões descentralizadas do CMAS nos territórios, em horários "
        "acessíveis aos usuários.",
        "5",
        "4.1.4",
    ),
    ("14", 2, MUNICIPAL, "Implantar fóruns de usuários nos territórios de CRAS.", None, "4.2.3"),
    (
        "15",
        2,
        MUNICIPAL,
        "Capacitar continuamente os conselheiros municipais de assistência social.",
        None,
        "4.1.2",
    ),
    (
        "16",
        2,
        MUNICIPAL,
        "Criar comissão do CMAS para monitorar as deliberações das conferências "
        "e apresentar devolutiva na conferência seguinte.",
        None,
        "4.2.4",
    ),
    (
        "17",
        2,
        MUNICIPAL,
        "Garantir intérprete de Libras e acessibilidade em todas as reuniões do "
        "CMAS e nas conferências.",
        None,
        None,
    ),
    (
        "18",
        2,
        ESTADUAL,
        "Garantir a participação de representantes dos usuários no CEAS com "
        "custeio de deslocamento.",
        None,
        None,
    ),
    (
        "19",
        3,
        MUNICIPAL,
        "Fortalecer a vigilância socioassistencial, com diagnósticos "
        "socioterritoriais por território de CRAS.",
        "6",
        "1.3.1; 1.3.3",
    ),
    (
        "20",
        3,
        MUNICIPAL,
        "Implantar o prontuário eletrônico em toda a rede pública.",
        None,
        "1.3.2",
    ),
    (
        "21",
        3,
        MUNICIPAL,
        "Revisar os fluxos de referência e contrarreferência entre CRAS, CREAS e "
        "a rede intersetorial.",
        None,
        "1.1.3",
    ),
    (
        "22",
        3,
        MUNICIPAL,
        "Regulamentar os benefícios eventuais por decreto e atualizar os valores anualmente.",
        None,
        "1.1.2; 3.3.3",
    ),
    (
        "23",
        3,
        MUNICIPAL,
        "Manter o Cadastro Único atualizado, com posto de cadastramento na área rural.",
        None,
        "3.1.1; 3.1.4",
    ),
    (
        "24",
        3,
        MUNICIPAL,
        "Inscrever no Cadastro Único todos os beneficiários do BPC e acompanhar "
        "os do BPC na Escola.",
        None,
        "3.2.1; 3.2.2",
    ),
    (
        "25",
        3,
        MUNICIPAL,
        "Reformar as unidades de CRAS para garantir acessibilidade.",
        None,
        "5.3.1",
    ),
    (
        "26",
        3,
        MUNICIPAL,
        "Implantar centro-dia para pessoas com deficiência e suas famílias.",
        None,
        None,
    ),
    (
        "27",
        4,
        MUNICIPAL,
        "Regulamentar benefício eventual para situações de calamidade pública e emergência.",
        None,
        "3.3.4",
    ),
    (
        "28",
        4,
        MUNICIPAL,
        "Elaborar plano municipal de contingência da assistência social para emergências.",
        None,
        None,
    ),
    ("29", 4, NACIONAL, "Recompor o orçamento federal do SUAS reduzido desde 2016.", None, None),
)

_2023: tuple[_Row, ...] = (
    (
        "1",
        0,
        MUNICIPAL,
        "Ampliar a execução do orçamento do FMAS, com recursos próprios não "
        "inferiores ao do ano anterior.",
        "1",
        "5.2.1",
    ),
    (
        "2",
        0,
        MUNICIPAL,
        "Realizar audiência pública anual de prestação de contas do FMAS nos territórios.",
        None,
        "4.3.3",
    ),
    (
        "3",
        0,
        MUNICIPAL,
        "Renovar a frota das equipes de CRAS e CREAS e garantir veículos para as "
        "visitas domiciliares.",
        "3",
        "5.3.2",
    ),
    ("4", 0, MUNICIPAL, "Transferir o CREAS II para imóvel próprio e adequado.", None, "5.3.3"),
    (
        "5",
        0,
        ESTADUAL,
        "Ampliar o cofinanciamento estadual do Piso Básico e do Piso de Média Complexidade.",
        None,
        None,
    ),
    (
        "6",
        0,
        NACIONAL,
        "Aprovar a PEC que garante financiamento obrigatório para o SUAS.",
        None,
        None,
    ),
    (
        "7",
        1,
        MUNICIPAL,
        "Garantir a estrutura da Secretaria Executiva do CMAS, com equipe própria.",
        None,
        "4.1.1",
    ),
    (
        "8",
        1,
        MUNICIPAL,
        "Apreciar semestralmente o monitoramento do PMAS e das deliberações das conferências.",
        "5",
        "4.1.3; 4.2.4",
    ),
    (
        "9",
        1,
        MUNICIPAL,
        "Publicar as resoluções do CMAS e os relatórios de monitoramento em linguagem acessível.",
        None,
        "4.3.1",
    ),
    (
        "10",
        1,
        MUNICIPAL,
        "Implantar canal de ouvidoria do SUAS integrado à Ouvidoria Geral do Município.",
        None,
        "4.3.2",
    ),
    (
        "11",
        1,
        MUNICIPAL,
        "Garantir transporte e alimentação para que os usuários participem das "
        "pré-conferências e dos fóruns.",
        None,
        None,
    ),
    (
        "12",
        1,
        MUNICIPAL,
        "Fortalecer os fóruns de usuários nos territórios de CRAS, com apoio técnico da SMAS.",
        None,
        "4.2.3",
    ),
    (
        "13",
        1,
        ESTADUAL,
        "Realizar capacitação regionalizada para conselheiros municipais.",
        None,
        None,
    ),
    (
        "14",
        2,
        MUNICIPAL,
        "Fortalecer a vigilância socioassistencial com boletins periódicos por território.",
        "2",
        "1.3.3",
    ),
    (
        "15",
        2,
        MUNICIPAL,
        "Mapear a demanda reprimida dos serviços socioassistenciais e publicar a fila de espera.",
        None,
        "1.3.4",
    ),
    ("16", 2, MUNICIPAL, "Manter atualizados o Censo SUAS e o CadSUAS.", None, "5.3.4"),
    (
        "17",
        2,
        MUNICIPAL,
        "Integrar os dados da assistência social aos da saúde e da educação em "
        "um painel municipal.",
        None,
        None,
    ),
    (
        "18",
        3,
        MUNICIPAL,
        "Recompor as equipes de referência dos CRAS e CREAS conforme a NOB-RH/SUAS.",
        "4",
        "1.2.2; 2.2.2",
    ),
    ("19", 3, MUNICIPAL, "Implantar o 11º CRAS na região Norte.", None, "1.2.3"),
    (
        "20",
        3,
        MUNICIPAL,
        "Ampliar o horário do Serviço Especializado em Abordagem Social, incluindo fins de semana.",
        None,
        "2.2.3",
    ),
    (
        "21",
        3,
        MUNICIPAL,
        "Ampliar as vagas de acolhimento para adultos e famílias em situação de rua.",
        None,
        "2.3.5",
    ),
    (
        "22",
        3,
        MUNICIPAL,
        "Ampliar o Serviço de Acolhimento em Família Acolhedora e implantar "
        "república para jovens egressos.",
        None,
        "2.3.3; 2.3.4",
    ),
    ("23", 3, MUNICIPAL, "Ampliar o acolhimento institucional para pessoas idosas.", None, "2.3.1"),
    (
        "24",
        3,
        MUNICIPAL,
        "Executar o Plano de Educação Permanente do SUAS para os trabalhadores da rede.",
        None,
        "5.1.1; 5.1.2",
    ),
    (
        "25",
        3,
        MUNICIPAL,
        "Garantir atendimento psicossocial aos trabalhadores do SUAS.",
        None,
        None,
    ),
    (
        "26",
        3,
        MUNICIPAL,
        "Implantar hortas comunitárias e ações de inclusão produtiva nos territórios de CRAS.",
        None,
        "2.4.1; 2.4.3",
    ),
    (
        "27",
        4,
        MUNICIPAL,
        "Acompanhar pelo PAIF as famílias em descumprimento de condicionalidades do Bolsa Família.",
        None,
        "3.1.2; 3.1.3",
    ),
    (
        "28",
        4,
        MUNICIPAL,
        "Realizar busca ativa de pessoas idosas e com deficiência elegíveis ao BPC.",
        None,
        "3.2.4",
    ),
    (
        "29",
        4,
        MUNICIPAL,
        "Conceder os benefícios eventuais sem fila, com atualização anual dos valores.",
        None,
        "3.3.1; 3.3.3",
    ),
    (
        "30",
        4,
        MUNICIPAL,
        "Articular com a Secretaria do Trabalho vagas de emprego para usuários do Cadastro Único.",
        None,
        "2.4.2",
    ),
    (
        "31",
        4,
        NACIONAL,
        "Revisar o critério de renda do BPC para meio salário mínimo per capita.",
        None,
        None,
    ),
    (
        "32",
        4,
        MUNICIPAL,
        "Criar programa municipal de transferência de renda complementar ao Bolsa Família.",
        None,
        None,
    ),
)

DELIBERACOES: dict[int, tuple[_Row, ...]] = {2021: _2021, 2023: _2023}

COLUMNS = ("ano", "numero", "eixo_conferencia", "ambito", "texto", "prioridade", "metas")


def deliberation_rows(edicao: int) -> list[tuple]:
    """Rows of the Deliberações sheet of an edition, in ``COLUMNS`` order."""
    eixos = EIXOS[edicao]
    return [
        (edicao, numero, eixos[e], ambito, texto, prioridade, metas)
        for numero, e, ambito, texto, prioridade, metas in DELIBERACOES[edicao]
    ]
