"""Every user-facing text of the import pipeline, in Brazilian Portuguese, in one place.

``MENSAGENS`` maps a stable finding code to (level, message template, what to do). Templates are
filled with ``aba``, ``linha``, ``coluna`` and the fields the caller passes.
"""

from __future__ import annotations

E = "erro"
A = "aviso"

MENSAGENS: dict[str, tuple[str, str, str]] = {
    # --- the file as a whole (reader) ---
    "arquivo_vazio": (E, "O arquivo está vazio.", "Envie a planilha preenchida (.xlsx ou .csv)."),
    "arquivo_grande": (
        E,
        "O arquivo tem {tamanho}, acima do limite de {limite}.",
        "Divida a planilha ou remova abas que não são usadas.",
    ),
    "xlsx_invalido": (
        E,
        "O arquivo tem a extensão {extensao}, mas não é uma planilha do Excel válida: o conteúdo "
        "é texto, não uma pasta de trabalho.",
        "Abra o arquivo original no Excel ou LibreOffice e use “Salvar como” .xlsx; se ele for "
        "um CSV, mude a extensão do nome para .csv.",
    ),
    "formato_desconhecido": (
        E,
        "O arquivo não é uma planilha .xlsx nem um .csv reconhecível.",
        "Salve a planilha no Excel ou LibreOffice como .xlsx ou .csv.",
    ),
    "relatorio_aprovado": (
        A,
        "{aviso}",
        "Confirme só se a versão aprovada deve mesmo ser substituída; a aprovação continua "
        "registrada no Relatório.",
    ),
    "xls_legado": (
        E,
        "O arquivo está no formato antigo do Excel (.xls), que não é aceito.",
        "Abra no Excel ou LibreOffice e use “Salvar como” .xlsx.",
    ),
    "arquivo_criptografado": (
        E,
        "O arquivo está protegido por senha.",
        "Remova a senha no Excel (Arquivo › Informações › Proteger pasta de "
        "trabalho) e envie de novo.",
    ),
    "analise_tempo": (
        E,
        "A análise do arquivo passou do limite de tempo ({cpu} s de processamento, {tempo} s no "
        "total) e foi interrompida; nada foi gravado.",
        "Confira se o arquivo é a planilha do plano; se for, salve-a de novo no Excel ou "
        "LibreOffice (ou divida-a em arquivos menores) e reenvie.",
    ),
    "analise_memoria": (
        E,
        "A análise do arquivo passou do limite de memória ({memoria}) e foi interrompida; nada "
        "foi gravado.",
        "Confira se o arquivo é a planilha do plano; se for, remova abas e linhas que não são "
        "usadas (ou divida-a em arquivos menores) e reenvie.",
    ),
    "analise_interrompida": (
        E,
        "A análise do arquivo foi interrompida por uma falha inesperada; nada foi gravado.",
        "Tente de novo; se a falha continuar, salve a planilha de novo no Excel ou LibreOffice "
        "e reenvie.",
    ),
    "arquivo_corrompido": (
        E,
        "O arquivo .xlsx está corrompido ou incompleto ({detalhe}).",
        "Abra-o no Excel ou LibreOffice, salve de novo como .xlsx e reenvie.",
    ),
    "zip_expansao": (
        E,
        "O arquivo .xlsx se expande para um tamanho anormal ({detalhe}); por "
        "segurança, não foi lido.",
        "Salve a planilha de novo no Excel ou LibreOffice; se o problema "
        "continuar, envie um arquivo menor.",
    ),
    "zip_membros": (
        E,
        "O arquivo .xlsx contém partes internas demais ({quantidade}); por "
        "segurança, não foi lido.",
        "Salve a planilha de novo no Excel ou LibreOffice.",
    ),
    "zip_caminho": (
        E,
        "O arquivo .xlsx contém um nome interno inválido ({nome}); por segurança, não foi lido.",
        "Salve a planilha de novo no Excel ou LibreOffice.",
    ),
    "xml_dtd": (
        E,
        "O arquivo contém declarações XML (DTD/entidades) em “{parte}”, que não são "
        "aceitas por segurança.",
        "Salve a planilha de novo no Excel ou LibreOffice.",
    ),
    "macros": (
        E,
        "O arquivo contém macros (VBA), que não são aceitas.",
        "Salve como “Pasta de trabalho do Excel” (.xlsx), sem macros.",
    ),
    "vinculo_valores": (
        A,
        "Na aba “{aba}”, as células {celulas} têm valores que vêm de outra pasta de trabalho "
        "({arquivos}): foram lidos como estavam quando o arquivo foi salvo e podem estar "
        "desatualizados.",
        "Confira esses valores; se a outra pasta mudou, abra o arquivo no Excel com ela "
        "disponível, atualize os vínculos (Dados › Editar vínculos) e salve de novo.",
    ),
    "vinculo_sem_celulas": (
        A,
        "O arquivo tem vínculos com outra pasta de trabalho ({arquivos}); os valores foram "
        "lidos como estavam quando o arquivo foi salvo.",
        "Se algum valor vem da outra pasta, confira se está atualizado.",
    ),
    "conexao_dados": (
        A,
        "O arquivo tem consultas ou conexões de dados ({conexoes}); elas não são executadas: "
        "os valores foram lidos como estavam quando o arquivo foi salvo.",
        "Se os dados da consulta mudaram, atualize-a no Excel (Dados › Atualizar tudo) e "
        "salve de novo antes de enviar.",
    ),
    "conexao_externa": (
        E,
        "O arquivo tem conexões de dados com fontes fora dele ({conexoes}): banco de dados "
        "(ODBC/OLE DB), consulta à web ou arquivo de texto. Elas não são aceitas.",
        "No Excel, copie os dados e cole como valores numa pasta nova (ou remova as conexões "
        "em Dados › Consultas e Conexões) e envie esse arquivo.",
    ),
    "caracteres_controle": (
        A,
        "A aba “{aba}” tinha caracteres de controle invisíveis em {quantidade} célula(s) "
        "({celulas}); eles foram removidos.",
        "Nada a fazer, a menos que o texto dessas células pareça errado.",
    ),
    "aba_caracteres_controle": (
        A,
        "O nome da aba “{aba}” tinha caracteres de controle invisíveis; eles foram removidos "
        "e a aba é chamada assim aqui.",
        "Nada a fazer; se quiser, renomeie a aba na planilha.",
    ),
    "apostrofo_protecao": (
        A,
        "Na aba “{aba}”, {quantidade} célula(s) começavam com o apóstrofo de proteção que as "
        "planilhas baixadas do painel acrescentam ({celulas}); o apóstrofo foi retirado "
        "(por exemplo, “'-5” foi lido como “-5”).",
        "Nada a fazer: o valor é o mesmo que foi baixado.",
    ),
    "linhas_demais": (
        E,
        "A aba “{aba}” tem mais de {limite} linhas.",
        "Envie só as linhas do plano; remova linhas vazias ou de outros dados.",
    ),
    "colunas_demais": (
        E,
        "A aba “{aba}” tem mais de {limite} colunas.",
        "Remova as colunas que não fazem parte do plano.",
    ),
    "celula_longa": (
        E,
        "A célula da linha {linha}, coluna {coluna} tem mais de {limite} caracteres.",
        "Resuma o texto dessa célula.",
    ),
    "formula_sem_valor": (
        E,
        "A célula da linha {linha}, coluna {coluna} tem uma fórmula sem "
        "valor calculado ({formula}).",
        "Abra o arquivo no Excel ou LibreOffice, deixe recalcular e salve de "
        "novo; ou troque a fórmula pelo valor.",
    ),
    "celula_com_erro": (
        A,
        "A célula da linha {linha}, coluna {coluna} tem um erro do Excel ({erro}) e foi lida "
        "como vazia.",
        "Se ela deveria ter um número ou texto, corrija a fórmula (ou digite o valor) e envie "
        "o arquivo de novo.",
    ),
    "csv_codificacao": (
        E,
        "Não foi possível reconhecer a codificação do texto do CSV.",
        "Salve o CSV como “UTF-8” ou “Windows-1252 (Latin-1)”.",
    ),
    "csv_separador": (
        E,
        "Não foi possível reconhecer o separador de colunas do CSV ({detalhe}).",
        "Use ponto e vírgula (;) ou vírgula (,) como separador, com o mesmo "
        "número de colunas em todas as linhas.",
    ),
    "csv_texto_corrompido": (
        A,
        "Há caracteres corrompidos na linha {linha} (por exemplo "
        "“{trecho}”): o arquivo parece ter sido convertido de "
        "codificação duas vezes.",
        "Confira acentos nessa linha; salve o CSV de novo em UTF-8.",
    ),
    "aba_oculta": (
        A,
        "A aba “{aba}” está oculta e foi lida mesmo assim.",
        "Se ela não deveria ser importada, apague-a do arquivo.",
    ),
    "celulas_demais": (
        E,
        "A aba “{aba}” ocupa uma área grande demais ({linhas} linhas × {colunas} "
        "colunas, acima do limite de {limite} células).",
        "Apague as linhas e colunas vazias ou com dados de fora do plano (inclusive "
        "células distantes que só têm formatação) e envie de novo.",
    ),
    "aba_incomum": (
        E,
        "A aba “{aba}” foi gravada de um jeito incomum e é grande demais ({tamanho}) "
        "para ser conferida com segurança.",
        "Abra o arquivo no Excel ou LibreOffice, salve de novo como .xlsx e reenvie.",
    ),
    "mescladas_demais": (
        E,
        "A aba “{aba}” tem mais de {limite} grupos de células mescladas.",
        "Desfaça as mesclagens desnecessárias (Página Inicial › Mesclar e "
        "centralizar) e envie de novo.",
    ),
    "ocorrencias_omitidas": (
        A,
        "Há mais {quantidade} ocorrências de “{problema}” que não foram listadas.",
        "Corrija as ocorrências listadas e envie de novo para ver as demais.",
    ),
    "nenhuma_tabela": (
        E,
        "Nenhuma aba com metas, conferências ou indicadores foi encontrada (abas: {abas}).",
        "Nomeie as abas como “Metas”, “Conferências” ou “Indicadores”, ou use o modelo em branco.",
    ),
    "aba_ignorada": (
        A,
        "A aba “{aba}” não foi reconhecida e foi ignorada.",
        "Se ela contém dados do plano, renomeie-a para “Metas”, “Conferências” ou “Indicadores”.",
    ),
    # --- the Plano sheet (pmas.entrada.aba_plano) ---
    "plano_sem_plano": (
        E,
        "O arquivo não tem a aba “Plano” e o município ainda não tem plano cadastrado: não há "
        "eixos com que conferir as metas.",
        "Crie o plano do município na tela Plano (os eixos desta planilha são propostos lá) ou "
        "acrescente ao arquivo a aba “Plano” do modelo em branco, e envie de novo.",
    ),
    "plano_em_branco": (
        A,
        "A aba “{aba}” está em branco e foi ignorada.",
        "Preencha o município, o plano, os anos e os eixos, ou apague a aba.",
    ),
    "plano_campo_vazio": (
        E,
        "Aba “{aba}”: falta {campo} (célula {celula}).",
        "Preencha a linha “{rotulo}” da aba “{aba}”.",
    ),
    "plano_uf_invalida": (
        E,
        "Aba “{aba}”, célula {celula}: a UF “{valor}” não existe.",
        "Use a sigla do estado (por exemplo, PR, SP, BA).",
    ),
    "plano_ibge_invalido": (
        E,
        "Aba “{aba}”, célula {celula}: o código IBGE “{valor}” é inválido ({motivo}).",
        "Confira o código de 7 dígitos do município no IBGE; o último é o dígito verificador "
        "(por exemplo, 4113700).",
    ),
    "plano_ibge_outra_uf": (
        E,
        "Aba “{aba}”, célula {celula}: o código IBGE {valor} é de um município de {dela}, não "
        "de {uf}.",
        "Confira a UF e o código IBGE.",
    ),
    "plano_ano_invalido": (
        E,
        "Aba “{aba}”, célula {celula}: “{valor}” não é um ano válido para {campo}.",
        "Escreva o ano com quatro dígitos, por exemplo 2026.",
    ),
    "plano_periodo_invertido": (
        E,
        "Aba “{aba}”, célula {celula}: o último ano ({fim}) vem antes do primeiro ({inicio}).",
        "Confira o primeiro e o último ano do plano.",
    ),
    "plano_sem_eixos": (
        E,
        "A aba “{aba}” não lista nenhum eixo.",
        "Preencha a tabela de eixos (colunas “Número” e “Nome do eixo”), um eixo por linha.",
    ),
    "plano_eixo_numero": (
        E,
        "Aba “{aba}”, célula {celula}: “{valor}” não é um número de eixo.",
        "Numere os eixos com 1, 2, 3…",
    ),
    "plano_eixo_repetido": (
        E,
        "Aba “{aba}”, célula {celula}: o eixo número {numero} já aparece na linha {primeira}.",
        "Cada eixo tem o seu número: corrija um dos dois.",
    ),
    "plano_eixo_sem_nome": (
        E,
        "Aba “{aba}”, célula {celula}: o eixo {numero} está sem nome.",
        "Escreva o nome do eixo.",
    ),
    "plano_eixo_nome_repetido": (
        E,
        "Aba “{aba}”, célula {celula}: o nome “{valor}” já é do eixo da linha {primeira}.",
        "Cada eixo tem o seu nome: corrija um dos dois.",
    ),
    "plano_sobreposto": (
        E,
        "{motivo}",
        "Corrija os anos na aba “{aba}”, ou use no arquivo o nome do plano já cadastrado.",
    ),
    # --- layout (normalize) ---
    "cabecalho_nao_encontrado": (
        E,
        "Não foi encontrada a linha de cabeçalho nas primeiras {limite} linhas da aba “{aba}”.",
        "Inclua uma linha com os títulos das colunas (por exemplo “Eixo”, “Ação”, “Situação”).",
    ),
    "coluna_obrigatoria_ausente": (
        E,
        "Falta a coluna obrigatória “{rotulo}” na aba “{aba}”.",
        "Inclua a coluna “{rotulo}” (ou um dos nomes aceitos: {aceitos}).",
    ),
    "coluna_desconhecida": (
        A,
        "A coluna “{coluna}” não foi reconhecida e foi ignorada (valores: {amostra}).",
        "Se ela é importante, diga o que ela é na tela Importar (ou no mapa da linha de "
        "comando), ou renomeie-a para um dos nomes do modelo.",
    ),
    "coluna_sem_titulo": (
        A,
        "A coluna {coluna} tem valores mas não tem título e foi ignorada (valores: {amostra}).",
        "Se ela é importante, dê a ela um título do modelo.",
    ),
    "coluna_ignorada_mapa": (
        A,
        "A coluna “{coluna}” foi ignorada, como manda o mapa do plano (valores: {amostra}).",
        "Se ela deve ser lida, mude o mapa na tela Importar ou Plano.",
    ),
    "coluna_do_mapa": (
        A,
        "A coluna “{coluna}” foi lida como “{rotulo}”, como manda o mapa do plano.",
        "Se estiver errado, mude o mapa na tela Importar ou Plano.",
    ),
    "coluna_calculada": (
        A,
        "A coluna “{coluna}” é calculada pelo painel e foi ignorada: o painel a calcula de novo.",
        "Nada a fazer.",
    ),
    "coluna_interpretada": (
        A,
        "A coluna “{coluna}” foi lida como “{rotulo}” porque {motivo}.",
        "Se estiver errado, diga o que ela é na tela Importar ou renomeie-a.",
    ),
    "coluna_polaridade": (
        A,
        "A coluna “{coluna}” diz o sentido das metas: as marcadas são “{sentido}”.",
        "Confira o sentido das metas na prévia.",
    ),
    "linha_secao": (
        A,
        "A linha {linha} (“{trecho}”) é um título de {nivel_secao}: vale para as linhas "
        "abaixo dela e não é uma meta.",
        "Nada a fazer, se for mesmo um título.",
    ),
    "linha_sem_identificacao": (
        A,
        "A linha {linha} (“{trecho}”) não tem nada em {colunas} e foi ignorada.",
        "Se ela é uma meta, preencha a ação, a meta ou o código.",
    ),
    "rotulos_e_numeros": (
        A,
        "A aba “{aba}” traz cada evento numa linha com rótulos e números (linha {linha}: "
        "“{exemplo}”): foi lida como uma tabela de {n_linhas}.",
        "Confira os números de eventos e de participantes na prévia.",
    ),
    "linha_sem_valores": (
        A,
        "A linha {linha} não tem participantes em nenhuma das colunas {colunas} e foi ignorada.",
        "Se houve participantes, preencha os números.",
    ),
    "coluna_duplicada": (
        E,
        "A coluna “{coluna}” aparece mais de uma vez como “{rotulo}”.",
        "Deixe só uma coluna “{rotulo}” ou renomeie a outra.",
    ),
    "sem_linhas": (
        E,
        "A aba “{aba}” não tem nenhuma linha de dados.",
        "Preencha as linhas abaixo do cabeçalho.",
    ),
    "aba_sem_linhas_ignorada": (
        A,
        "A aba “{aba}” só tem o cabeçalho e foi ignorada (as outras abas têm dados).",
        "Nada a fazer, se ela não era necessária; senão, preencha as linhas e envie de novo.",
    ),
    "rodape_ignorado": (
        A,
        "A linha {linha} (“{trecho}”) parece rodapé ou total e foi ignorada.",
        "Nada a fazer, se for mesmo um rodapé.",
    ),
    "marcador_vazio": (
        A,
        "O valor “{valor}” na linha {linha}, coluna {coluna} foi lido como sem dado.",
        "Preencha o número, se ele existir.",
    ),
    # --- values (validate) ---
    "edicao_presumida": (
        A,
        "A aba “{aba}” não tem a coluna “Edição”: as deliberações foram lidas como da "
        "conferência de {ano} (ano tirado do nome da aba, do título ou da importação).",
        "Se a edição for outra, inclua a coluna “Edição” com o ano da conferência.",
    ),
    "deliberacao_sem_texto": (
        E,
        "Linha {linha}: deliberação sem texto.",
        "Escreva o texto da deliberação na coluna “{coluna}” ou apague a linha.",
    ),
    "ambito_presumido": (
        A,
        "Linha {linha}: âmbito em branco; a deliberação foi considerada de âmbito Municipal.",
        "Se for estadual ou nacional, preencha a coluna “Âmbito”.",
    ),
    "ambito_desconhecido": (
        E,
        "Linha {linha}: âmbito “{valor}” não reconhecido.",
        "Use um destes: {ambitos}.",
    ),
    "numero_atribuido": (
        A,
        "Linha {linha}: deliberação sem número; recebeu o número {numero} (a ordem dela na "
        "edição).",
        "Se a conferência numerou as deliberações de outro modo, preencha a coluna “Nº”.",
    ),
    "deliberacao_duplicada": (
        E,
        "Linha {linha}: a deliberação nº {valor} de {ano} aparece de novo (já está na linha "
        "{primeira}).",
        "Cada deliberação de uma edição deve ter um número próprio.",
    ),
    "meta_inexistente": (
        A,
        "Linha {linha}: a deliberação nº {numero} de {ano} cita a meta “{meta}”, que não existe "
        "em nenhum plano do município; ela fica sem esse vínculo.",
        "Confira o código da meta (coluna “Código” da aba Metas) ou importe o plano que a contém.",
    ),
    "ano_ausente": (
        E,
        "Não foi possível saber o ano de referência da aba “{aba}”.",
        "Inclua a coluna “Ano”, ponha o ano no nome da aba (“Metas 2024”) ou "
        "informe o ano na importação.",
    ),
    "ano_invalido": (
        E,
        "O ano “{valor}” na linha {linha}, coluna {coluna} não é um ano válido.",
        "Use o ano com quatro dígitos, por exemplo 2024.",
    ),
    "ano_fora_do_plano": (
        E,
        "O ano {ano} (linha {linha}) está fora da vigência do plano {plano} ({inicio}–{fim}).",
        "Corrija o ano ou importe no plano certo.",
    ),
    "eixo_ausente": (E, "A linha {linha} não tem eixo.", "Preencha a coluna “{coluna}”."),
    "eixo_desconhecido": (
        E,
        "O eixo “{valor}” na linha {linha} não é um eixo do plano.",
        "Use um dos eixos do plano: {eixos}.",
    ),
    "eixo_por_numero": (
        A,
        "“{valor}” (a partir da linha {linha}) foi lido como o eixo {numero} do plano {plano} de "
        "{municipio}: “{nome}”.",
        "Confira se a planilha é deste plano; se não for, escolha o plano certo antes de importar.",
    ),
    "acao_ausente": (
        E,
        "A linha {linha} não tem ação, meta nem indicador.",
        "Preencha a coluna da ação ou da meta, ou apague a linha.",
    ),
    "situacao_desconhecida": (
        E,
        "A situação “{valor}” na linha {linha}, coluna {coluna} não foi reconhecida.",
        "Use uma destas: {situacoes}.",
    ),
    "situacao_ausente": (
        E,
        "A linha {linha} não tem situação nem números para calculá-la.",
        "Preencha a coluna “Situação” ou os valores previsto e realizado.",
    ),
    "situacao_familia": (
        A,
        "A situação “{valor}” foi lida como “{situacao}” ({n_linhas}: {linhas}).",
        "Se estiver errado, diga o que ela é na tela Importar.",
    ),
    "situacao_do_mapa": (
        A,
        "A situação “{valor}” foi lida como “{situacao}”, como manda o mapa do plano "
        "({n_linhas}: {linhas}).",
        "Se estiver errado, mude o mapa na tela Importar ou Plano.",
    ),
    "situacao_ignorada_mapa": (
        A,
        "A situação “{valor}” foi ignorada, como manda o mapa do plano, e tratada como em "
        "branco ({n_linhas}: {linhas}).",
        "Se ela deve ser lida, mude o mapa na tela Importar ou Plano.",
    ),
    "situacao_percentual": (
        A,
        "Na linha {linha}, a situação “{valor}” é a execução da meta: {situacao}, com "
        "{percentual} no índice de cumprimento.",
        "Confira; se estiver errado, escreva a situação por extenso.",
    ),
    "situacao_percentual_contradiz": (
        A,
        "Na linha {linha}, a situação “{valor}” tem palavras que dizem “{palavras}” e um "
        "número que diz outra coisa: valeu o número ({situacao}).",
        "Confira a situação dessa meta e corrija o número ou as palavras.",
    ),
    "previsto_zero": (
        A,
        "Na linha {linha}, o previsto é 0 e a situação está em branco: a meta não estava "
        "prevista para {ano} e ficou como “Não se aplica”{realizado}.",
        "Se ela estava prevista, preencha o previsto ou a situação.",
    ),
    "sentido_reducao": (
        A,
        "{n_linhas} de redução (quanto menor, melhor), pela coluna “{coluna}”: linhas {linhas}. "
        "O cumprimento delas é previsto ÷ realizado.",
        "Confira o sentido dessas metas.",
    ),
    "sentido_sugerido": (
        A,
        "Metas com números cujo texto começa por “Reduzir” (ou parecido) não dizem o sentido "
        "({n_linhas}: linhas {linhas}): até você confirmar, contam como de aumento "
        "(realizado ÷ previsto).",
        "Responda na tela Importar se são de redução (a resposta fica salva com o plano); na "
        "linha de comando, use --reducao sim ou --reducao nao. Ou preencha a coluna “Sentido” "
        "com “Reduzir” (ou “Quanto menor, melhor”).",
    ),
    "sentido_confirmado": (
        A,
        "Metas cujo texto começa por “Reduzir” (ou parecido) são de redução, como foi "
        "confirmado no mapa do plano ({n_linhas}: linhas {linhas}): o cumprimento delas é "
        "previsto ÷ realizado.",
        "Se alguma não for de redução, remova a resposta do mapa na tela Plano.",
    ),
    "sentido_recusado": (
        A,
        "Metas cujo texto começa por “Reduzir” (ou parecido) não são de redução, como foi "
        "respondido no mapa do plano ({n_linhas}: linhas {linhas}): contam como de aumento "
        "(realizado ÷ previsto).",
        "Se alguma for de redução, remova a resposta do mapa na tela Plano.",
    ),
    "sentido_desconhecido": (
        A,
        "O sentido “{valor}” na coluna “{coluna}” não foi reconhecido e foi ignorado "
        "({n_linhas}: {linhas}): essas metas contam como de aumento.",
        "Use Aumentar, Manter, Reduzir ou Implantar (ou “Quanto menor, melhor”).",
    ),
    "meta_plano": (
        A,
        "A coluna “{coluna}” é a meta do plano inteiro, não a de um ano: ela fica guardada "
        "mas não entra no cumprimento do ano{sem_previsto}.",
        "Para medir o ano, preencha o previsto do ano ou a situação.",
    ),
    "indicador_como_meta": (
        A,
        "A planilha não tem coluna de ação nem de meta: cada meta foi nomeada pelo seu "
        "indicador (coluna “{coluna}”).",
        "Nada a fazer, se o indicador é mesmo o nome da meta.",
    ),
    "situacao_derivada": (
        A,
        "A situação da linha {linha} estava em branco e foi calculada pelos "
        "números: {situacao} ({percentual}).",
        "Confira; se estiver errada, preencha a situação.",
    ),
    "situacao_contradiz": (
        A,
        "Na linha {linha}, a situação “{valor}” contradiz os números "
        "(realizado {percentual} do previsto).",
        "Confira a situação ou os números; foi mantido o que foi digitado.",
    ),
    "valor_nao_numerico": (
        E,
        "O valor “{valor}” na linha {linha}, coluna {coluna} não é um número.",
        "Escreva só o número, por exemplo 1.234 ou 85,5%.",
    ),
    "valor_negativo": (
        E,
        "O valor {valor} na linha {linha}, coluna {coluna} é negativo.",
        "Corrija o número.",
    ),
    "codigo_duplicado": (
        E,
        "O código “{valor}” aparece mais de uma vez em {ano} (linhas {linhas}).",
        "Cada meta deve ter um código único no ano.",
    ),
    "meta_duplicada": (
        E,
        "A mesma meta aparece mais de uma vez em {ano} (linhas {linhas}).",
        "Apague a linha repetida ou dê códigos diferentes às metas.",
    ),
    "tipo_evento_desconhecido": (
        E,
        "O tipo de evento “{valor}” na linha {linha} não foi reconhecido.",
        "Use “Pré-conferência” ou “Conferência Municipal”.",
    ),
    "segmento_desconhecido": (
        E,
        "O segmento “{valor}” na linha {linha} não foi reconhecido.",
        "Use um destes: {segmentos}.",
    ),
    "indicador_ausente": (
        E,
        "A linha {linha} não tem o nome do indicador.",
        "Preencha a coluna “Indicador”.",
    ),
    "mes_invalido": (
        E,
        "O mês “{valor}” na linha {linha} não é válido.",
        "Use um número de 1 a 12.",
    ),
    # --- the import as a whole ---
    "arquivo_ja_importado": (
        A,
        "Este mesmo arquivo já foi importado em {quando} por {quem}.",
        "Nada foi gravado de novo.",
    ),
}

# Details that fill ``{detalhe}``/``{problema}`` in the reader's messages (pmas.entrada.reader).
DETALHES_LEITOR: dict[str, str] = {
    "zip_invalido": "não é um arquivo zip válido",
    "leitura": "a leitura falhou",
    "parte_ilegivel": "a parte interna “{parte}” não pôde ser lida",
    "parte_codificacao": "a parte interna “{parte}” não está em UTF-8",
    "aba_ilegivel": "a aba “{aba}” não pôde ser lida",
    "pasta_ilegivel": "a lista de abas não pôde ser lida",
    "expansao_total": "{descompactado} descompactados a partir de {compactado}",
    "expansao_parte": "a parte interna “{parte}” cresce {razao} vezes ao descompactar",
    "tamanho_mentiroso": "a parte interna “{parte}” é maior do que o tamanho declarado",
    "outra_pasta": "arquivo sem nome conhecido",
    "conexao_sem_nome": "sem nome",
    "aba_n": "Aba {n}",
    "conexoes_sem_nome": "sem nome",
    "e_mais": " e mais {quantidade}",
    "nome_repetido": "{nome}, repetido",
    "sem_separador": "nenhum separador (ponto e vírgula, vírgula ou tabulação) foi encontrado",
    "colunas_variam": "o número de colunas varia de uma linha para outra",
    "formula_compartilhada": "fórmula compartilhada",
    "problema_formula": "fórmula sem valor calculado",
    "problema_erro_excel": "célula com erro do Excel",
    "problema_celula_longa": "célula com texto longo demais",
    "problema_texto_corrompido": "caracteres corrompidos",
}

# Headers of the findings table, on screen and in downloads.
ROTULOS_ACHADOS = {
    "nivel": "Nível",
    "codigo": "Código",
    "aba": "Aba",
    "linha": "Linha",
    "coluna": "Coluna",
    "codigo_meta": "Código da meta",
    "acao_meta": "Ação da meta",
    "mensagem": "Problema",
    "acao": "O que fazer",
}
NIVEIS = {E: "Erro", A: "Aviso"}

# --- the dashboard -----------------------------------------------------------------------------

UI: dict[str, str] = {
    "moldura_recusada": "Por segurança, o PMAS Monitor não pode ser exibido dentro de outra "
    "página. Abra o endereço do painel diretamente no navegador.",
    "app": "PMAS Monitor",
    "filtros": "Filtros",
    "ajuda_municipio": "Escolha o município cujo plano quer ver (digite parte do nome para "
    "buscar).",
    "ajuda_ano": "Ano de referência do monitoramento (o mais recente vem selecionado).",
    "sem_dados_sidebar": "Nenhum dado importado ainda.",
    "sem_metas_sidebar": "Este plano ainda não tem metas importadas.",
    "badge_exemplo": "Dados de exemplo",
    "plano_e_ano": "{municipio} · {plano} · ano de referência {ano}",
    "ir_importar": "Ir para Importar",
    "importar_dados": "Importar os dados do município",
    "carregando_exemplo": "Primeira execução: carregando os dados de exemplo…",
    "sem_variacao": "sem variação",
    "horarios": "Todos os horários estão no fuso {fuso}.",
    "fechar_detalhe": "Fechar o detalhe da meta",
    "meta_reducao": "Reduzir: meta de redução (quanto menor, melhor; execução = previsto ÷ "
    "realizado)",
    "link_valor_ignorado": "O link pedia {rotulo} {valor}, que não existe nestes dados: esse "
    "valor foi ignorado e a tela mostra o que está selecionado ao lado.",
    "origem": "Dados de **{arquivo}** (versão {versao}), importados em {data} ({fuso}) por "
    "{usuario}.",
    "remover_exemplo_link": "Remover os dados de exemplo (tela Plano)",
    "banner_exemplo": "Você está vendo **dados de exemplo** (fictícios, inspirados no PMAS "
    "2022-2025 de Londrina), num plano próprio que nunca se mistura com dados reais. Para usar "
    "os dados do seu município, crie o plano dele na tela **Plano** e importe a planilha do ano "
    "na tela **Importar**.",
    "banner_primeira_execucao": "Primeira execução: os dados de exemplo foram carregados "
    "automaticamente.",
    "vazio": "Ainda não há dados. Vá para a tela **Importar** e envie a planilha do ano "
    "(há um modelo em branco para baixar lá).",
    "vazio_filtro": "Nenhuma meta atende aos filtros escolhidos. Limpe algum filtro na barra "
    "lateral.",
    "panorama_vazio": "O panorama estadual aparece quando o banco de dados tem planos de mais de "
    "um município.",
    "tabela_cortada": "Mostrando as primeiras {mostradas} de {total} linhas; os botões de "
    "download trazem a tabela inteira.",
    "baixar_csv": "Baixar CSV",
    "baixar_xlsx": "Baixar Excel (.xlsx)",
    "ajuda_csv": "Abre direto no Excel em português (separador ponto e vírgula, vírgula decimal).",
    "ajuda_xlsx": "Planilha com números de verdade, cabeçalho fixo, filtros e uma aba com os "
    "filtros aplicados.",
}

# Labels of the figures, on cards, tables and downloads.
FIGURAS = {
    "metas": "Metas",
    "avaliaveis": "Avaliáveis",
    "pct_realizadas": "% realizadas",
    "pct_realizadas_ou_parciais": "% realizadas ou parciais",
    "indice_cumprimento": "Índice de cumprimento",
}
AJUDA_FIGURAS = {
    "metas": "Metas do ano com os filtros aplicados.",
    "pct_realizadas": "Metas realizadas ÷ metas avaliáveis (não contam as canceladas e as que "
    "não se aplicam no ano).",
    "pct_realizadas_ou_parciais": "(Realizadas + parcialmente realizadas) ÷ metas avaliáveis.",
    "indice_cumprimento": "Média das notas das metas avaliáveis: realizado ÷ previsto (limitado a "
    "100%) quando há números; senão 1 para realizada, 0,5 para parcial ou "
    "em andamento e 0 para não iniciada ou não realizada.",
}


def _metas_labels() -> dict[str, str]:
    from pmas.dados.schema import COMPUTED_COLUMNS, METAS

    return {**METAS.labels(), **COMPUTED_COLUMNS}


# Headers of the goals table, on screen and in downloads (column name → label).
COLUNAS_METAS: dict[str, str] = _metas_labels()

# Headers of the data export for BI tools (pmas.saida.dados_bi): the plan's columns and the
# stored columns the importer's tables do not name.
COLUNAS_DADOS_BI: dict[str, str] = {
    "municipio": "Município",
    "plano": "Plano",
    "versao": "Versão",
    "exemplo": "Dados de exemplo",
    "eixo_numero": "Nº do eixo",
    "situacao_informada": "Situação informada",
    "situacao_derivada": "Situação calculada",
    "linha": "Linha na planilha",
    "aba": "Aba da planilha",
}

# --- who may write (pmas.acesso.auth, pmas.ui.acesso) --------------------------------------------------

# The report screen's queue of builds (pmas.saida.fila).
FILA_RELATORIO: dict[str, str] = {
    "esperando": "Outro relatório está sendo gerado neste servidor; o seu é o {posicao}º da "
    "fila e começa assim que chegar a vez (um por vez, para não sobrecarregar o servidor).",
    "mesmo": "Este mesmo relatório já foi gerado com os dados atuais; pronto para baixar.",
}

# Why the dashboard refuses to start with this access configuration (pmas.acesso.auth).
CONFIGURACAO_ACESSO: dict[str, str] = {
    "senha_vazia": "A variável de ambiente PMAS_SENHA_GESTOR está definida, mas vazia: o painel "
    "não abre assim, para não cair no modo local sem querer. Defina uma senha de gestor com pelo "
    "menos {minimo} caracteres, ou remova a variável para usar o modo local.",
    "senha_curta": "A senha de gestor (PMAS_SENHA_GESTOR) tem {tamanho} caracteres; o mínimo é "
    "{minimo}. Defina uma senha mais longa e inicie o painel de novo.",
}

ACESSO: dict[str, str] = {
    "sem_permissao": "Só um gestor pode importar, desfazer importações ou salvar o relatório. "
    "{como}",
    "como_oidc": "Entre com a sua conta institucional (botão “Entrar”) usando um e-mail "
    "cadastrado como gestor.",
    "como_senha": "Entre com a senha de gestor na tela Importar.",
    "como_local": "Sem login configurado, só é possível gravar no próprio computador onde o "
    "painel está rodando (endereço localhost).",
    "entrar": "Entrar",
    "sair": "Sair",
    "oidc_convite": "**Acesso de gestor.** Para importar planilhas ou desfazer importações, "
    "entre com a sua conta institucional.",
    "oidc_gestor": "**Acesso de gestor:** conectado como {email}.",
    "oidc_nao_gestor": "Conectado como {email}, que não está na lista de gestores: você pode "
    "consultar o painel, mas não importar nem desfazer.",
    "oidc_sem_lista": "Conectado como {email}, mas nenhum gestor foi cadastrado. Peça ao "
    "responsável técnico que liste os e-mails dos gestores (veja “Quem pode "
    "gravar” no README).",
    "oidc_nao_verificado": "Conectado como {email}, mas o provedor de login não confirmou esse "
    "e-mail: não é possível gravar. Se o provedor nunca informa a confirmação (Microsoft Entra), "
    "o responsável técnico pode declarar o seu emissor como confiável (veja “Quem pode gravar” "
    "no README).",
    "senha_convite": "**Acesso de gestor.** Para importar planilhas ou desfazer importações, "
    "informe o seu nome e a senha de gestor.",
    "nome_rotulo": "Seu nome (aparece no histórico)",
    "senha_rotulo": "Senha de gestor",
    "senha_botao": "Entrar como gestor",
    "nome_faltando": "Informe o seu nome: ele fica registrado no histórico das importações.",
    "senha_errada": "Senha incorreta. Cada tentativa errada faz a próxima resposta demorar mais.",
    "senha_bloqueada": "Muitas tentativas erradas a partir deste endereço: novas tentativas "
    "estão bloqueadas por cerca de {minutos} min. A tentativa não foi conferida.",
    "senha_dentro": "**Acesso de gestor:** {nome}.",
    "local_pode": "**Modo local.** Ninguém precisa entrar com senha: importar e desfazer "
    "importações só funcionam neste computador, onde o painel está aberto. Antes de deixar o "
    "painel disponível para outras pessoas (na rede da prefeitura ou na internet), peça à "
    "equipe de informática que configure uma senha de gestor ou o login institucional.",
    # who wrote, as the history and the audit log record it (pmas.acesso.actor.Actor.registro)
    "registro_senha": "{nome} (senha de gestor)",
    "registro_local": "acesso local",
    "registro_cli": "{nome} (linha de comando)",
    "registro_sem_nome": "gestor",
    "registro_sem_nome_cli": "usuário desconhecido",
    "local_nao_pode": "**Modo local.** Este painel não tem login configurado: importações só "
    "podem ser feitas no computador onde ele está rodando. Aqui você pode "
    "consultar os dados, o histórico e baixar o modelo em branco.",
}

# --- the Importar screen (pmas.ui.importar) -----------------------------------------------------

IMPORTAR: dict[str, str] = {
    "aba_enviar": "Enviar planilha",
    "aba_versoes": "Versões e desfazer",
    "aba_registro": "Registro de alterações",
    "aba_modelo": "Modelo em branco",
    "so_gestor": "Só gestores podem enviar planilhas. As versões já importadas, o registro de "
    "alterações e o modelo em branco estão nas outras abas.",
    "intro": "Envie a planilha do monitoramento de **{municipio}** ({plano}). Nada é gravado "
    "antes de você conferir o relatório e a prévia das mudanças e confirmar.",
    "intro_sem_plano": "Envie a planilha do monitoramento. Ainda não há plano cadastrado: a "
    "planilha precisa trazer a aba “Plano” do modelo em branco (município, anos e eixos), e o "
    "plano é criado com a importação; ou crie antes o plano do município na tela Plano. Nada é "
    "gravado antes de você conferir o relatório e a prévia e confirmar.",
    "intro_exemplo": "Envie a planilha do monitoramento do município. Com a aba “Plano” do "
    "modelo em branco (município, anos e eixos), o plano do município é criado com a "
    "importação; sem ela, crie antes o plano na tela Plano. Nada é gravado antes de você "
    "conferir o relatório e a prévia e confirmar.",
    "ir_para_plano": "Criar o plano na tela Plano",
    "sem_plano": "Este arquivo não tem a aba “Plano”, e o município ainda não tem plano "
    "cadastrado: sem o plano, não há eixos com que conferir as metas, e nada foi gravado. Crie o "
    "plano na tela Plano (os eixos desta planilha são propostos lá, para você conferir) e envie "
    "o arquivo de novo aqui; ou acrescente ao arquivo a aba “Plano” do modelo em branco.",
    "criar_plano_do_arquivo": "Criar o plano com os eixos desta planilha",
    "decisao": "O que fazer com o plano cadastrado?",
    "decisao_manter": "Manter o plano cadastrado (as metas são conferidas com ele)",
    "decisao_atualizar": "Alterar o plano cadastrado como diz a aba “Plano” do arquivo",
    "decisao_ajuda": "Alterar o plano fica no registro de alterações. Os números já importados "
    "continuam ligados ao número do eixo.",
    "arquivo_rotulo": "Planilha (.xlsx ou .csv, até {limite})",
    "arquivo_ajuda": "A planilha do ano no formato do modelo em branco ou no formato que o "
    "município já usa: as variações comuns de cabeçalho são reconhecidas.",
    "ano_rotulo": "Ano de referência",
    "ano_ajuda": "Preencha só se a planilha não disser o ano (numa coluna “Ano”, no nome da aba "
    "ou no título).",
    "ano_placeholder": "Pela planilha",
    "etapa_ler": "Lendo o arquivo…",
    "etapa_conferir": "Conferindo as abas, as colunas e os valores…",
    "etapa_comparar": "Comparando com a versão atual…",
    "status_ok": "Planilha conferida: pode ser importada",
    "status_erro": "Planilha conferida: há erros que impedem a importação",
    "status_repetido": "Planilha conferida: este arquivo já foi importado",
    "relatorio": "Relatório da conferência",
    "erros": "Erros",
    "avisos": "Avisos",
    "linhas": "Linhas lidas",
    "anos": "Anos",
    "ajuda_erros": "Erros impedem a importação: corrija a planilha e envie de novo.",
    "ajuda_avisos": "Avisos não impedem a importação, mas merecem conferência.",
    "tem_erros": "A planilha tem erros e **nada foi gravado**. Corrija as linhas indicadas na "
    "tabela abaixo (baixe-a em Excel, se quiser) e envie o arquivo de novo.",
    "sem_achados": "Nenhum problema encontrado.",
    "achados_muitos": "{n} problemas: clique numa célula para ler o texto inteiro, ou baixe o "
    "relatório em Excel.",
    "baixar_achados": "Baixar o relatório (.xlsx)",
    "ajuda_baixar_achados": "Os erros e avisos numa planilha, para corrigir o arquivo com ela "
    "ao lado.",
    "entendida": "A planilha como foi entendida",
    "entendida_ajuda": "Confira se cada coluna foi reconhecida como esperado. As linhas com erro "
    "aparecem em vermelho e as com aviso em amarelo.",
    "aba_resumo": "Aba “{aba}” ({tabela}): cabeçalho na linha {cabecalho}, {linhas} linhas",
    "colunas_mapeadas": "Colunas reconhecidas",
    "coluna_arquivo": "Coluna no arquivo",
    "coluna_entendida": "Entendida como",
    "colunas_ignoradas": "Colunas ignoradas (não reconhecidas): {colunas}.",
    "sem_ignoradas": "Nenhuma coluna foi ignorada.",
    "so_problemas": "Mostrar só as linhas com problemas",
    "linhas_cortadas": "Mostrando {mostradas} de {total} linhas.",
    "linha": "Linha",
    "previa": "O que muda ao confirmar",
    "ano_novo": "**{ano}**: ainda não há dados deste ano; será criada a versão 1.",
    "ano_existente": "**{ano}**: hoje vale a versão {atual}; ao confirmar, será criada a versão "
    "{nova}, e a versão {atual} continua guardada (dá para desfazer).",
    "novas": "Metas novas",
    "removidas": "Metas removidas",
    "alteradas": "Metas alteradas",
    "iguais": "Sem mudança",
    "mantida": "{tabela}: {n} linhas da versão atual são mantidas (o arquivo não traz essa "
    "tabela para o ano).",
    "substituida": "{tabela}: {antes} linhas na versão atual → {depois} no arquivo.",
    "por_eixo": "Números por eixo (antes → depois)",
    "descricao": "Ação / meta",
    "situacao_antes": "Situação antes",
    "situacao_depois": "Situação depois",
    "campos": "O que mudou",
    "nada_muda": "As metas deste ano ficam iguais às da versão atual.",
    "confirmar": "Confirmar a importação",
    "confirmar_ajuda": "Grava o arquivo como nova versão de cada ano que ele traz.",
    "mudou": "Outra pessoa importou ou desfez uma versão enquanto você conferia: a prévia foi "
    "refeita com os dados atuais. Confira de novo antes de confirmar.",
    "banco_ocupado": "O banco de dados está ocupado com outra gravação. Nada foi gravado: "
    "tente confirmar de novo em alguns instantes.",
    "importado": "Importação concluída: **{arquivo}**.",
    "importado_ano": "{ano}: versão {versao} gravada e atual ({metas} metas, {conferencias} "
    "linhas de conferências, {indicadores} de indicadores).",
    "ver_visao_geral": "Ver a visão geral com os novos dados",
    "sem_versoes": "Nenhuma versão importada ainda.",
    "versoes_intro": "Cada importação cria uma nova versão do ano; as anteriores ficam "
    "guardadas. Desfazer faz a versão anterior voltar a valer.",
    "atual": "Atual",
    "exemplo": "Exemplo",
    "importacao": "Importação",
    "baixar_original": "Baixar o arquivo original",
    "escolher_original": "Versão",
    "so_gestor_original": "Os arquivos originais só podem ser baixados por gestores.",
    "desfazer_titulo": "Desfazer uma importação",
    "desfazer_ano": "Ano",
    "desfazer_nada": "Nenhum ano tem versão anterior para voltar.",
    "desfazer_explica": "A versão {atual} de {ano} ({arquivo}, importada em {quando} por "
    "{quem}) deixa de valer, e a versão {anterior} ({arquivo_anterior}, "
    "importada em {quando_anterior} por {quem_anterior}) volta a ser a atual. "
    "Nenhuma versão é apagada.",
    "desfazer_confirmo": "Confirmo que quero desfazer a versão {atual} de {ano}",
    "desfazer_botao": "Desfazer",
    "desfeito": "{ano}: a versão {versao} voltou a ser a atual.",
    "registro_intro": "Quem importou ou desfez o quê, e quando (as últimas 200 alterações).",
    "registro_pagina": "Página do registro (de {paginas}; as mais recentes primeiro)",
    "sem_registro": "Nenhuma alteração registrada ainda.",
    "modelo_intro_sem_plano": "O modelo em branco começa pela aba “Plano”: preencha o "
    "município, a UF, o código IBGE, o nome do plano, o primeiro e o último ano e os eixos; ao "
    "importar, o plano é criado. As abas “Metas”, “Conferências”, “Indicadores” e "
    "“Deliberações” têm os cabeçalhos certos e uma aba “Instruções” explica cada coluna.",
    "modelo_intro": "O modelo em branco do **{plano}** já traz a aba “Plano” com o município, os "
    "anos e os eixos do plano, as abas “Metas”, “Conferências” e "
    "“Indicadores” com os cabeçalhos certos, listas de escolha para eixo, "
    "situação, sentido, tipo de evento e segmento, e uma aba “Instruções” que "
    "explica cada coluna. Preencha uma linha por meta e por ano, salve como "
    ".xlsx e envie na aba “Enviar planilha”.",
    "baixar_modelo": "Baixar o modelo em branco (.xlsx)",
}

# Column labels of the versions table and the audit log.
COLUNAS_VERSOES = {
    "ano": "Ano",
    "numero": "Versão",
    "atual": "Situação",
    "usuario": "Importada por",
    "criado_em": "Quando",
    "arquivo": "Arquivo",
    "tamanho": "Tamanho",
    "n_metas": "Metas",
    "n_conferencias": "Conferências",
    "n_indicadores": "Indicadores",
    "origem": "Origem",
}
COLUNAS_AUDITORIA = {
    "quando": "Quando",
    "usuario": "Quem",
    "acao": "Ação",
    "municipio": "Município",
    "ano": "Ano",
    "detalhe": "Detalhe",
}
ACOES_AUDITORIA = {
    "importacao": "Importação",
    "desfazer": "Desfazer",
    "relatorio": "Relatório",
    "plano_criado": "Plano criado",
    "plano_alterado": "Plano alterado",
    "aprovacao": "Aprovação do relatório",
    "modelo_relatorio": "Modelo do relatório",
    "modelo_devolutiva": "Modelo da Devolutiva",
    "vinculos": "Vínculos das deliberações",
    "exemplo_removido": "Dados de exemplo removidos",
}
TABELAS = {
    "metas": "Metas",
    "conferencias": "Conferências",
    "indicadores": "Indicadores",
    "deliberacoes": "Deliberações",
}

# The plan: checks, differences, what the CLI and the Plano screen say.
PLANO: dict[str, str] = {
    "sem_municipio": "Informe o nome do município.",
    "sem_nome": "Informe o nome do plano (por exemplo, “PMAS 2026-2029”).",
    "uf_invalida": "UF “{uf}” não existe; use a sigla do estado (por exemplo, PR, SP, BA).",
    "ibge_invalido": "Código IBGE “{ibge}” inválido: são 7 dígitos e o último é o dígito "
    "verificador (por exemplo, 4113700).",
    "ibge_outra_uf": "O código IBGE {ibge} é de um município de {dela}, não de {uf}.",
    "ano_fora": "Período inválido: {inicio} a {fim}.",
    "periodo_invertido": "O primeiro ano ({inicio}) vem depois do último ({fim}).",
    "sem_eixos": "O plano precisa de pelo menos um eixo.",
    "eixo_repetido": "O eixo número {numero} aparece mais de uma vez.",
    "eixo_numero": "Número de eixo inválido: {numero} (use 1, 2, 3…).",
    "eixo_sem_nome": "O eixo {numero} está sem nome.",
    "eixo_nome_repetido": "Dois eixos têm o mesmo nome: “{nome}”.",
    "sobreposto": "O período {periodo} se sobrepõe ao plano “{outro}” ({periodo_outro}) de "
    "{municipio}: um ano só pode ter um plano em vigor.",
    "ja_existe": "Já existe um plano “{nome}” de {municipio}.",
    "municipio_diferente": "{municipio} já está cadastrado com UF {uf} e código IBGE {ibge}; "
    "o novo plano diz UF {uf_novo} e código IBGE {ibge_novo}.",
    "nao_encontrado": "Não há plano “{nome}” de {municipio}.",
    "sem_plano_municipio": "Não há plano do município “{municipio}” no banco de dados.",
    "criado": "Plano “{nome}” de {municipio} criado ({periodo}, {n} eixos).",
    "dif_campo": "{campo}: {antes} → {depois}",
    "campo_municipio": "Município",
    "campo_uf": "UF",
    "campo_ibge": "Código IBGE",
    "campo_nome": "Nome do plano",
    "campo_ano_inicio": "Primeiro ano",
    "campo_ano_fim": "Último ano",
    "dif_eixo_novo": "Eixo {numero} incluído: {nome}",
    "dif_eixo_removido": "Eixo {numero} retirado: {nome}",
    "dif_eixo_nome": "Eixo {numero}: “{antes}” → “{depois}”",
    "dif_eixo_curto": "Eixo {numero}, nome curto: {antes} → {depois}",
    "dif_eixo_aliases": "Eixo {numero}, outros nomes: {depois}",
    "dif_eixo_diretrizes": "Eixo {numero}: {n}",
    "diretriz": "diretriz",
    "diretrizes": "diretrizes",
    "sem_mudanca": "Nada mudou no plano.",
    "fora_dos_planos": "Nenhum plano de {municipio} cobre o ano {ano} (planos cadastrados: "
    "{planos}).",
    "criar_proximo": "Para começar o próximo ciclo com os mesmos eixos: {comando}",
    "criar_plano": "Crie o plano do município antes de importar: {comando}",
    "plano_nao_existe": "Não há plano “{nome}” (planos cadastrados: {planos}).",
    "anos_em_dois_planos": "Os anos da planilha ({anos}) pertencem a planos diferentes "
    "({planos}): importe um arquivo por plano.",
    "exemplo_mistura": "Este é o plano dos dados de exemplo: os dados do município não são "
    "gravados nele. Crie o plano do município na tela Plano (ou com python -m pmas plano "
    "criar), escolha-o na barra lateral e importe de novo; nada foi gravado.",
    "real_mistura": "Dados de exemplo só entram no plano de exemplo; nada foi gravado.",
    "exemplo_removido": "Dados de exemplo removidos: {planos} ({versoes} versões, {linhas} "
    "linhas, {arquivos} arquivos); não serão carregados de novo.",
    "sem_exemplo": "Não há dados de exemplo no banco de dados.",
    # a file's Plano sheet (Importar screen and CLI)
    "sera_criado": "O plano {nome} de {municipio} ({periodo}, {n} eixos) será criado.",
    "foi_criado": "O plano {nome} de {municipio} ({periodo}, {n} eixos) foi criado.",
    "plano_igual": "A aba “Plano” do arquivo confere com o plano {plano} de {municipio}.",
    "plano_difere": "A aba “Plano” do arquivo difere do plano {plano} de {municipio} cadastrado:",
    "plano_difere_acao": "Para alterar o plano cadastrado como diz o arquivo, importe de novo "
    "com --atualizar-plano; para manter o plano, corrija ou apague a aba “Plano” do arquivo.",
    "plano_recusado": "O plano da aba “Plano” não pode ser gravado; nada foi gravado:",
    "outro_municipio": "O arquivo é de {arquivo} (aba “Plano”), não de {municipio}: nada foi "
    "gravado.",
    "outro_plano": "O arquivo é do plano “{arquivo}” (aba “Plano”), não de “{plano}”: nada foi "
    "gravado.",
    "plano_atualizado": "O plano cadastrado foi alterado como diz a aba “Plano” do arquivo.",
    "plano_seria_atualizado": "O plano cadastrado seria alterado como diz a aba “Plano” do "
    "arquivo.",
}

# The Plano sheet of the workbook (written by the template and the exports, read on import).
ABA_PLANO: dict[str, str] = {
    "aba": "Plano",
    "titulo": "Plano do município",
    "intro": "Os dados do plano a que as metas deste arquivo pertencem. Ao importar, o plano é "
    "criado se ainda não existir; se existir e for diferente, a tela Importar mostra a diferença "
    "e o gestor decide.",
    "municipio": "Município",
    "uf": "UF",
    "ibge": "Código IBGE",
    "nome": "Nome do plano",
    "inicio": "Primeiro ano",
    "fim": "Último ano",
    "eixos": "Eixos do plano",
    "numero": "Número",
    "eixo": "Nome do eixo",
    "curto": "Nome curto",
    "aliases": "Outros nomes (separados por ;)",
    # how each field is named in a finding ("falta o município")
    "campo_municipio": "o município",
    "campo_uf": "a UF",
    "campo_ibge": "o código IBGE",
    "campo_nome": "o nome do plano",
    "campo_inicio": "o primeiro ano",
    "campo_fim": "o último ano",
    # why an IBGE code is not valid
    "ibge_sete_digitos": "são 7 dígitos",
    "ibge_sem_estado": "nenhum estado tem o código {codigo}",
    "ibge_digito": "o dígito verificador de {base} é {digito}",
}


def preencher(rotulos: dict[str, str], **valores) -> dict[str, str]:
    """A dict of texts (column labels) with its ``str.format`` placeholders filled."""
    return {k: v.format(**valores) for k, v in rotulos.items()}


# --- comparisons across two consecutive plans (pmas.analise.ciclos) ---------------------------

CICLOS: dict[str, str] = {
    "cruza": "Esta comparação atravessa a fronteira entre dois planos: {de} é do {plano_de} e "
    "{para} é do {plano_para}. As metas são seguidas pelo código, e os eixos, pelo número.",
    "eixos_iguais": "Os eixos têm os mesmos nomes nos dois planos.",
    "eixos_diferentes": "Eixos com nomes diferentes: {lista}.",
    "eixo_nomes": "eixo {numero}: “{nome_de}” → “{nome_para}”",
    "sem_eixo": "(não existe)",
    "anos_dos_planos": "Os anos vêm de {n} planos consecutivos: {planos}. Os eixos são "
    "comparados pelo número, com os nomes do {plano}.",
    "historico_cruza": "O histórico desta meta atravessa planos ({planos}): ela foi seguida "
    "pelo mesmo código.",
    "col_plano": "Plano",
    "planos": "Planos",
}


# --- the Comparativo anual screen (pages/comparativo.py, pmas.analise.comparacao) -----------------------

COMPARATIVO: dict[str, str] = {
    "titulo": "Comparativo anual",
    "cabecalho": "{municipio} · {plano} · anos com metas: {anos}",
    "um_ano": "A comparação precisa de pelo menos dois anos de metas, e só há {ano}. Importe a "
    "planilha de outro ano na tela **Importar** (há um modelo em branco para baixar "
    "lá).",
    "todos_os_anos": "Esta tela compara todos os anos; o ano e a situação da barra lateral não se "
    "aplicam.",
    "filtros_aplicados": "Filtros aplicados: {filtros}.",
    "filtro": "{rotulo}: {valor}",
    # 1. completion per eixo over the years
    "por_eixo": "Cumprimento por eixo, ano a ano",
    "medida": "Medida",
    "valor_e_variacao": "{figura}: valor em cada ano e variação em pontos percentuais",
    "eixo": "Eixo",
    "periodo": "{de} → {para}",
    "legenda_variacao": "▲ subiu · ▼ caiu · ▬ igual (variação de 0,0 p.p.). A variação é a "
    "diferença entre os percentuais dos dois anos, em pontos percentuais.",
    "tabela_completa": "Tabela completa por ano e eixo",
    "total_plano": "Total do plano",
    # 2. the goals between two years
    "entre_dois_anos": "Situação das metas entre dois anos",
    "ano_inicial": "Ano inicial",
    "ano_final": "Ano final",
    "anos_iguais": "Escolha dois anos diferentes para comparar.",
    "comparacao": "Comparação",
    "nos_dois_anos": "Metas nos dois anos",
    "ajuda_nos_dois_anos": "Metas encontradas nos dois anos, pelo código ou, sem código, pelo "
    "texto da ação e da meta.",
    "regrediram": "Regrediram",
    "ajuda_regrediram": "A situação piorou: Realizada › Parcialmente realizada ou Em andamento › "
    "Não iniciada ou Não realizada. Entrar em Cancelada ou Não se aplica não "
    "conta.",
    "nao_iniciadas": "Não iniciadas nos dois anos",
    "so_em": "Só em {ano}",
    "matriz": "Matriz de transição",
    "legenda_matriz": "Linhas: situação em {de}; colunas: situação em {para}; número de metas "
    "encontradas nos dois anos.",
    "situacao_em": "Situação em {ano}",
    "total": "Total",
    "fluxo": "Fluxo entre as situações",
    "metas_regrediram": "Metas que regrediram",
    "nenhuma_regrediu": "Nenhuma meta piorou de situação entre {de} e {para}.",
    "metas_nao_iniciadas": "Metas não iniciadas nos dois anos",
    "nenhuma_nao_iniciada": "Nenhuma meta estava não iniciada em {de} e em {para}.",
    "correspondencia": "Correspondência das metas entre os anos",
    "legenda_correspondencia": "As metas são pareadas pelo código; sem código, pelo texto da ação "
    "e da meta (sem diferença de acentos, maiúsculas e pontuação). "
    "Quando o código mudou mas o texto é idêntico, a meta é pareada e "
    "aparece como “código alterado”.",
    "todas_pelo_codigo": "Todas as metas de {de} e de {para} foram encontradas nos dois anos pelo "
    "mesmo código.",
    "por_texto": "Mesma ação e meta (sem código)",
    "codigo_alterado": "Código alterado",
    # 3. numeric goals and indicators
    "numericas": "Metas numéricas e indicadores",
    "legenda_ritmo": "**Ritmo**: o valor do ano comparado com o caminho em linha reta da linha de "
    "base até a meta do plano em {ano_fim}: esperado = base + (meta − base) × "
    "parte do período já decorrida. A “Diferença do esperado” está na unidade do "
    "próprio valor (famílias, unidades…). “No ritmo” quando essa diferença não passa "
    "de 5% do caminho todo entre a base e a meta; “abaixo” ou “acima” fora disso. Nas metas de "
    "reduzir, ficar abaixo do esperado é estar adiantado. Sem linha de base, a "
    "base é o primeiro ano com dado (“ano base”).",
    "no_ritmo": "no ritmo",
    "abaixo": "abaixo do ritmo",
    "acima": "acima do ritmo",
    "ano_base": "ano base",
    "meta_numerica": "Meta numérica",
    "sem_numericas": "Nenhuma meta tem previsto e realizado com os filtros escolhidos.",
    "meta": "Meta",
    "sentido": "sentido: {sentido}",
    "indicadores": "Indicadores",
    "sem_indicadores": "Não há indicadores importados. Inclua a aba “Indicadores” na planilha "
    "(veja o modelo em branco na tela **Importar**).",
    "sem_indicadores_eixo": "Não há indicadores importados deste eixo. Inclua a aba “Indicadores” "
    "na planilha (veja o modelo em branco na tela **Importar**).",
    "legenda_indicadores": "Indicadores com meta: situação no último ano com dado.",
    "indicador": "Indicador",
    "indicador_sem_meta": "Este indicador não tem meta no plano: mostra-se só a série.",
}

# Column labels of the Comparativo anual tables, on screen and in downloads; {de}, {para} are the
# two compared years and {figura} the chosen measure (fill them with ``preencher``).
COLUNAS_COMPARATIVO: dict[str, dict[str, str]] = {
    "variacao": {
        "rotulo": "Eixo",
        "periodo": "Período",
        "valor_de": "{figura} no ano inicial",
        "valor_para": "{figura} no ano final",
        "variacao_pp": "Variação (p.p.)",
        "tendencia": "Tendência",
    },
    "por_ano": {"ano": "Ano", "rotulo": "Eixo", **FIGURAS},
    "metas": {
        "codigo": "Código",
        "acao": "Ação",
        "situacao_a": "Situação em {de}",
        "situacao_b": "Situação em {para}",
        "justificativa_b": "Justificativa em {para}",
        "justificativa_a": "Justificativa em {de}",
        "meta": "Meta",
        "eixo": "Eixo",
    },
    "correspondencia": {
        "correspondencia": "Correspondência",
        "codigo_a": "Código em {de}",
        "codigo_b": "Código em {para}",
        "eixo": "Eixo",
        "acao": "Ação",
        "meta": "Meta",
        "situacao_a": "Situação em {de}",
        "situacao_b": "Situação em {para}",
    },
    # a numeric goal's pace year by year (pmas.analise.comparacao.RITMO_ROTULOS)
    "ritmo": {
        "ano": "Ano",
        "previsto": "Previsto no ano",
        "realizado": "Realizado",
        "execucao_pct": "Execução (%)",
        "meta": "Meta do plano",
        "esperado": "Esperado no ritmo do plano",
        "diferenca": "Diferença do esperado",
        "ritmo": "Ritmo",
    },
    # the indicators with a target, in their last year with data
    "indicadores": {
        "indicador": "Indicador",
        "unidade": "Unidade",
        "ano": "Último ano",
        "realizado": "Valor",
        "meta": "Meta do plano",
        "esperado": "Esperado no ritmo do plano",
        "diferenca": "Diferença do esperado",
        "ritmo": "Ritmo",
    },
    # one indicator year by year
    "indicador": {
        "ano": "Ano",
        "realizado": "Valor",
        "execucao_pct": "% da meta",
        "meta": "Meta do plano",
        "esperado": "Esperado no ritmo do plano",
        "diferenca": "Diferença do esperado",
        "ritmo": "Ritmo",
    },
}

# --- the Conferências screen (pages/conferencias.py, pmas.analise.participacao) -------------------------

CONFERENCIAS: dict[str, str] = {
    "a_edicao": "a edição",
    "titulo": "Conferências",
    "sem_dados": "Ainda não há dados de conferências. Na tela **Importar**, envie uma planilha "
    "com a aba “Conferências” (uma linha por evento e segmento: ano, tipo de evento, "
    "região, local, público, segmento, participantes, delegados). O modelo em "
    "branco, que se baixa na mesma tela, traz essa aba pronta para preencher.",
    "municipio": "Município",
    "plano": "Plano",
    "cabecalho": "{municipio} · {plano} · processo conferencial. Os filtros da barra lateral "
    "valem para as metas, não para as conferências.",
    "edicoes": "Edições lado a lado",
    "uma_edicao": "Uma edição em detalhe",
    "edicao": "Edição",
    "por_regiao": "Pré-conferências regionais",
    "urbana_rural": "Participantes por região: {urbana} nas regiões urbanas e {rural} na rural.",
    "sem_regiao": "A edição de {ano} não tem pré-conferências por região (a coluna “Região” está "
    "vazia ou indica o município todo).",
    "sem_local": "{n} participantes de pré-conferências sem região nem público informados contam "
    "no total da edição, mas não nestes gráficos.",
    "por_publico": "Pré-conferências por público",
    "legenda_publico": "Organizadas para um público (usuários do Centro POP, do acolhimento, "
    "gestores e trabalhadores…), fora das regiões.",
    "sem_publico": "A edição de {ano} não tem pré-conferências organizadas por público.",
    "por_segmento": "Participantes por segmento",
    "etapa_pre": "Pré-conferências",
    "etapa_municipal": "Conferência Municipal",
    "sem_segmento": "Sem participantes por segmento nesta etapa.",
    "representacao": "Sociedade civil e governamental",
    "legenda_representacao": "Sociedade civil: usuários, trabalhadores e entidades/prestadores de "
    "serviços; governamental: gestores e representantes do governo.",
    "representacao_etapa": "{etapa}: {civil} da sociedade civil ({pct_civil}) e {governamental} "
    "governamentais ({pct_governamental})",
    "conferencia_totais": "Conferência dos totais",
    "totais_conferem": "Os números conferem: nenhuma linha “Total” diverge da soma dos segmentos.",
    "divergencia": "{onde}: a linha Total informa {total} participantes, {diferenca} {sentido} "
    "que a soma dos segmentos ({soma}). Os gráficos usam a soma dos segmentos "
    "({soma}).",
    "a_mais": "a mais",
    "a_menos": "a menos",
    "so_total": "{n} evento(s) têm só a linha “Total” ({participantes} participantes): eles "
    "contam nos totais e nas regiões, mas não nos gráficos por segmento.",
    "eventos": "Eventos da edição de {ano}",
}

# Column labels of the Conferências tables, on screen and in downloads (and, for "edicoes", the
# labels of the edition's figures on the cards and in the chart).
COLUNAS_CONFERENCIAS: dict[str, dict[str, str]] = {
    "edicoes": {
        "ano": "Edição",
        "pre_conferencias": "Pré-conferências",
        "participantes_pre_conferencias": "Participantes nas pré-conferências",
        "participantes_conferencia_municipal": "Participantes na Conferência Municipal",
        "delegados": "Delegados eleitos",
    },
    "eventos": {
        "ano": "Edição",
        "tipo_evento": "Tipo de evento",
        "regiao": "Região",
        "local": "Local",
        "publico": "Público",
        "participantes": "Participantes (usado nos gráficos)",
        "total_informado": "Total informado",
        "diferenca": "Diferença (total − segmentos)",
        "delegados": "Delegados",
    },
}


# How a "Meta …" heading was read (the finding "coluna_interpretada" says why).
MOTIVO_COLUNA = {
    "numeros": "seus valores são números",
    "textos": "seus valores são textos",
    "percentual": "é um percentual",
}
# The levels of a section row ("EIXO Nº 1 – …").
NIVEL_SECAO = {"eixo": "eixo", "diretriz": "diretriz", "objetivo": "objetivo", "acao": "ação"}
SEM_VALORES = "nenhum valor"
META_PLANO_SEM_PREVISTO = " (sem previsto do ano, o cumprimento vem da situação digitada)"
PREVISTO_ZERO_REALIZADO = ", embora o realizado seja {realizado}"
E_MAIS = "e mais {n}"


def plural(n: int, um: str, varios: str) -> str:
    """ "1 meta", "3 metas" (the number in Brazilian format)."""
    from pmas.fmt import numero

    return f"{numero(n)} {um if n == 1 else varios}"


# The mapping the user teaches (pmas.entrada.mapa): CLI lines and the Importar/Plano screens.
MAPA = {
    "arquivo_ilegivel": "Não foi possível ler o mapa {arquivo}.",
    "mapa_salvo": "Mapa salvo com o plano: o próximo arquivo com as mesmas colunas e situações "
    "entra direto.",
    "mapa_nao_salvo": "O mapa não foi salvo: o arquivo não foi importado.",
    "contagens": "Linhas de dados: {linhas_lidas} lidas, {linhas_guardadas} guardadas, "
    "{linhas_puladas} puladas (em branco {em_branco}, títulos de seção {secao}, rodapés "
    "{rodape}, sem meta {sem_meta}, sem valores {sem_valores}).",
    "colunas_desconhecidas": "Colunas não reconhecidas: {itens}. Diga o que são com --mapa.",
    "situacoes_desconhecidas": "Situações não reconhecidas: {itens}. Diga o que são com --mapa.",
    "reducoes_pendentes": "Metas cujo texto começa por “Reduzir” (ou parecido), contadas como "
    "de aumento até você responder: {itens}. Diga se são de redução com --reducao sim|nao.",
    "titulo": "Ensine o painel",
    "intro": "Estas colunas e situações não foram reconhecidas. Diga o que cada uma é: a "
    "conferência e a prévia são refeitas na hora. Ao confirmar a importação, o mapa fica salvo "
    "com o plano e o próximo arquivo igual entra direto.",
    "coluna": "Coluna “{coluna}”",
    "situacao": "Situação “{situacao}”",
    "nao_mapear": "(não reconhecida)",
    "reducao_intro": "**Metas de redução?** O texto destas metas começa por “Reduzir” (ou "
    "parecido) e o arquivo não diz o sentido. Até você responder, contam como de aumento "
    "(realizado ÷ previsto).",
    "reducao_pergunta": "Meta “{meta}”: é de redução (quanto menor, melhor)?",
    "reducao_sem_resposta": "(sem resposta: conta como de aumento)",
    "reducao_pergunta_sim": "Sim: cumprimento = previsto ÷ realizado",
    "reducao_pergunta_nao": "Não: cumprimento = realizado ÷ previsto",
    "ignorar": "Ignorar",
    "salvo_titulo": "Mapa salvo com o plano",
    "salvo_vazio": "Nenhum mapa salvo com o plano: só as colunas e situações conhecidas são lidas.",
    "tipo": "Tipo",
    "escrito": "No arquivo",
    "lido_como": "Lido como",
    "tipo_coluna": "Coluna",
    "tipo_situacao": "Situação",
    "tipo_reducao": "Meta de redução?",
    "reducao_sim": "sim: previsto ÷ realizado",
    "reducao_nao": "não: realizado ÷ previsto",
    "remover": "Remover do mapa",
    "removido": "Removido do mapa.",
    "auditoria_removido": "removido do mapa: {entradas}",
    "parte_colunas": "coluna",
    "parte_situacoes": "situação",
    "parte_reducao": "meta de redução",
    "somente_leitura": "Só um gestor pode remover entradas do mapa.",
    "plano_intro": "O que o painel aprendeu a ler nas planilhas deste plano: colunas e "
    "situações com outros nomes e as metas de redução confirmadas. O próximo arquivo com as "
    "mesmas palavras entra direto; remova uma entrada para que o painel pergunte de novo.",
    "mapa_invalido": "O mapa salvo com o plano não pôde ser lido: {erro}",
    "coluna_inexistente": "O mapa leva a coluna “{coluna}” para “{destino}”, que não existe.",
    "situacao_inexistente": "O mapa leva a situação “{situacao}” para “{destino}”, que não "
    "existe. Use uma destas: {situacoes} ou “ignorar”.",
    "nao_objeto": "O mapa deve ser um objeto JSON com “colunas”, “situacoes” e “reducao”.",
    "chaves_desconhecidas": "O mapa tem chaves desconhecidas: {chaves}. Use só “colunas”, "
    "“situacoes” e “reducao”.",
    "reducao_invalida": "O mapa diz “{valor}” para a meta “{meta}” em “reducao”: use “sim” "
    "(meta de redução) ou “nao”.",
    "texto_para_texto": "“{parte}” deve ligar textos a textos.",
    "json_invalido": "O mapa não é um JSON válido (linha {linha}, coluna {coluna}).",
}


# --- the report's approval workflow (pmas.dados.aprovacao) ------------------------------------

APROVACAO_ESTADOS: dict[str, str] = {
    "rascunho": "Rascunho",
    "enviado": "Enviado ao CMAS",
    "em_analise": "Em análise nas comissões",
    "aprovado": "Aprovado",
    "devolvido": "Devolvido com recomendações",
    "publicado": "Publicado",
}
APROVACAO_ACOES: dict[str, str] = {
    "enviar": "Enviar ao CMAS",
    "analisar": "Registrar a análise nas comissões",
    "aprovar": "Registrar a aprovação",
    "devolver": "Registrar a devolução",
    "publicar": "Registrar a publicação",
}
APROVACAO_DADOS: dict[str, str] = {
    "resolucao": "Número da resolução",
    "data": "Data",
    "reuniao": "Data da reunião do CMAS",
    "motivo": "Recomendações do CMAS",
    "veiculo": "Veículo de publicação",
    "edicao": "Edição",
    "pagina": "Página",
    "link": "Link",
    "comissoes": "Comissões",
}
APROVACAO: dict[str, str] = {
    "acao_desconhecida": "Ação desconhecida: “{acao}”.",
    "transicao_invalida": (
        "Não é possível “{acao}”: o relatório está em “{estado}”. Ações possíveis agora: "
        "{permitidas}."
    ),
    "falta": "Preencha “{campo}”.",
    "data_invalida": "{campo}: “{valor}” não é uma data no formato dd/mm/aaaa (por exemplo 08/11/2023).",
    "link_invalido": "Link: “{valor}” não é um endereço que comece com http:// ou https://.",
    "antes_da_reuniao": (
        "A resolução está datada de {aprovacao}, antes da reunião do CMAS ({reuniao}): confira as "
        "datas."
    ),
    "ano_da_resolucao": (
        "A Resolução {resolucao} traz o ano {ano}, mas a aprovação é de {aprovacao}: confira o "
        "número ou a data (a numeração pode seguir o ano do relatório, o que é comum)."
    ),
    "publicacao_antes": (
        "A publicação ({publicacao}) é anterior à aprovação ({aprovacao}): confira as datas."
    ),
    "substituida": (
        "O CMAS aprovou o relatório de {ano} (Resolução {resolucao}, de {data}) com a versão "
        "{aprovada} dos dados; a versão atual é a {atual}."
    ),
    "aviso_importacao": (
        "O relatório de {ano} já foi aprovado pelo CMAS (Resolução {resolucao}), com a versão "
        "{aprovada} dos dados: esta operação substitui a versão aprovada. A versão aprovada fica "
        "guardada, e o relatório passará a dizer qual versão o Conselho aprovou."
    ),
    "so_gestor": "Só um gestor pode mover o relatório no fluxo de aprovação.",
}


# --- errors logged with an id (pmas.registro) ---------------------------------------------------

# Appended to a message whose cause was logged with its traceback: the id finds it in the log.
CODIGO_ERRO = "(código do erro: {codigo}; informe-o ao suporte de TI)"

# The Plano screen.
PLANO_TELA: dict[str, str] = {
    "nenhum": "Nenhum plano cadastrado ainda. Um gestor pode criar o plano do município abaixo.",
    "so_gestor": "Só um gestor pode criar ou alterar planos. Entre como gestor no quadro acima.",
    "eixos_de": "**Eixos do {plano}** ({municipio}):",
    "col_municipio": "Município",
    "col_uf": "UF",
    "col_ibge": "Código IBGE",
    "col_plano": "Plano",
    "col_periodo": "Período",
    "col_eixos": "Eixos",
    "col_exemplo": "Dados de exemplo",
    "col_numero": "Nº",
    "col_nome": "Eixo",
    "col_curto": "Nome curto",
    "col_aliases": "Outros nomes aceitos",
    "aba_criar": "Criar plano",
    "aba_editar": "Alterar este plano",
    "aba_proximo": "Próximo ciclo",
    "criar_intro": "Crie o plano do município do zero, ou envie a planilha de monitoramento "
    "para que os eixos escritos nela sejam propostos em ordem; confira e corrija antes de criar.",
    "arquivo_eixos": "Planilha para propor os eixos (opcional)",
    "proposta": "{n} eixos encontrados em {arquivo}: confira números e nomes abaixo.",
    "arquivo_da_importacao": "Eixos propostos a partir de {arquivo}, enviado na tela Importar.",
    "baixar_plano": "Baixar o plano e as metas (.xlsx)",
    "baixar_plano_ajuda": "Uma planilha com a aba “Plano” (município, anos e eixos) e as metas "
    "atuais de todos os anos: editada e enviada na tela Importar, volta para este mesmo plano.",
    "voltar_importar": "Importar a planilha no plano criado",
    "municipio": "Município",
    "uf": "UF",
    "ibge": "Código IBGE (7 dígitos)",
    "nome": "Nome do plano",
    "inicio": "Primeiro ano",
    "fim": "Último ano",
    "eixos": "Eixos (um por linha)",
    "eixos_ajuda": "Um eixo por linha: número = nome | nome curto | outros nomes separados por "
    "ponto e vírgula. Exemplo: 1 = Proteção Social Básica | PSB | proteção básica",
    "linha_eixo_invalida": "Linha {linha} dos eixos (“{texto}”): escreva número = nome.",
    "criar": "Criar plano",
    "recusado": "O plano não foi gravado:",
    "editar_intro": "Alterar o {plano}: nomes dos eixos, nomes curtos, outros nomes aceitos e "
    "período. Os números já importados continuam ligados ao número do eixo.",
    "salvar": "Salvar alterações",
    "alterado": "Plano alterado:",
    "proximo_intro": "Cria o plano seguinte do município com os {n} eixos do {plano}.",
    "proximo": "Criar o próximo ciclo",
    "exemplo_titulo": "Dados de exemplo",
    "exemplo_intro": "O banco de dados tem dados de exemplo (fictícios): {planos}. Eles ficam "
    "num plano próprio e nunca se misturam com os dados do município.",
    "exemplo_remover": "Remover dados de exemplo",
    "exemplo_confirmar_texto": "Remover de vez {planos} e tudo o que depende deles (versões, "
    "metas, conferências, indicadores, deliberações, arquivos, campos e aprovações do "
    "relatório, mapas)? Os planos do município não são tocados. Os dados de exemplo não "
    "voltarão a ser carregados.",
    "exemplo_confirmar": "Sim, remover os dados de exemplo",
    "exemplo_cancelar": "Cancelar",
}


# --- the Relatório screen (pmas.ui.relatorio) --------------------------------------------------

RELATORIO: dict[str, str] = {
    "fluxo_titulo": "Aprovação do relatório de {ano} no CMAS",
    "situacao": "{icone} Situação: **{estado}**",
    "nao_enviado": "O relatório ainda não foi enviado ao CMAS.",
    "baixar_aprovado": "Baixar o documento aprovado (.docx)",
    "enviar_explica": "Registra que o relatório foi enviado ao Conselho.",
    "data_aprovacao": "Data da aprovação",
    "data_publicacao": "Data da publicação",
    "gerando_aprovado": "Gerando o documento que será aprovado…",
    "movido": "Relatório de {ano}: {estado}.",
    "campos_titulo": "Elaboração e aprovação do relatório de {ano}",
    "faltam": "Campos obrigatórios em branco: {campos}.",
    "herdadas": "As comissões vieram do relatório de {ano}; confira e salve.",
    "uma_pessoa_por_linha": " (uma pessoa por linha)",
    "uma_por_linha": " (uma por linha)",
    "salvar": "Salvar os dados do relatório",
    "salvos": "Dados do relatório de {ano} salvos.",
    "controles_removidos": (
        "Caracteres de controle invisíveis foram removidos de: {campos} (o documento não pode "
        "contê-los)."
    ),
    "modelo_titulo": "Modelos dos documentos (Word)",
    "modelo_explica": "O texto fixo, as frases com os números e os estilos do relatório e da "
    "Devolutiva vêm de modelos do Word com marcadores como {{ municipio }}, {{ ano }} e "
    "{{ geral.pct_realizadas }}. Baixe o modelo, mude a redação ou os estilos no Word ou no "
    "LibreOffice e envie de volta: ele passa a valer para os documentos deste plano. Um "
    "parágrafo só com {{ secao_resultado_geral }} (e os demais {{ secao_… }}) recebe as tabelas "
    "e os gráficos calculados.",
    "padrao": "padrão",
    "relatorio_modelo_em_uso": "Relatório de Monitoramento — modelo em uso: **{nome}**",
    "relatorio_modelo_baixar": "Baixar o modelo do relatório (.docx)",
    "relatorio_modelo_enviar": "Enviar um modelo do relatório editado (.docx)",
    "devolutiva_modelo_em_uso": "Devolutiva das deliberações — modelo em uso: **{nome}**",
    "devolutiva_modelo_baixar": "Baixar o modelo da Devolutiva (.docx)",
    "devolutiva_modelo_enviar": "Enviar um modelo da Devolutiva editado (.docx)",
    "modelo_so_gestor": "Só um gestor conectado envia um modelo ou volta ao padrão.",
    "modelo_padrao": "Voltar ao modelo padrão",
    "padrao_voltou": "O modelo padrão voltou a valer.",
    "usar_modelo": "Usar este modelo",
    "modelo_recusado": "Modelo não aceito: {erro} Nada foi gravado.",
    "modelo_guardado": "Modelo “{nome}” guardado para este plano.",
    "paragrafos": " (parágrafos separados por uma linha em branco)",
}


# --- the command line (pmas/cli.py) ---
# argparse's own messages (English, matched whole) and their Portuguese (``re.sub`` replacements).
CLI_ARGPARSE: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.*)", r"faltam os argumentos obrigatórios: \1"),
    (r"unrecognized arguments: (.*)", r"argumentos não reconhecidos: \1"),
    (r"argument (\S+): invalid int value: (.*)", r"argumento \1: número inválido: \2"),
    (
        r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)",
        r"argumento \1: opção inválida: \2 (escolha entre \3)",
    ),
    (r"argument (\S+): expected one argument", r"argumento \1: esperava um valor"),
    (r"argument (\S+): not allowed with argument (.*)", r"argumento \1: não combina com \2"),
    (r"one of the arguments (.*) is required", r"um destes argumentos é obrigatório: \1"),
    (r"ambiguous option: (\S+) could match (.*)", r"opção ambígua: \1 pode ser \2"),
    (r"argument (\S+): (.*)", r"argumento \1: \2"),
)

# ``python -m pmas … --ajuda``: the help's headings, the placeholders and each option's help.
CLI_AJUDA: dict[str, str] = {
    "uso": "uso",
    "opcoes": "opções",
    "argumentos": "argumentos",
    "ajuda": "mostra esta ajuda e sai",
    "descricao": "PMAS Monitor: importação, resumo e relatório do monitoramento do Plano "
    "Municipal de Assistência Social.",
    "comando": "COMANDO",
    "acao": "AÇÃO",
    "n_nome": "N=NOME",
    "arquivo": "ARQUIVO",
    # the options every command accepts
    "banco": "arquivo ou URL do banco de dados (padrão: PMAS_DATABASE_URL ou data/pmas.db)",
    "municipio": "nome do município (padrão: o único, ou o primeiro)",
    "plano": "nome do plano (padrão: o plano em vigor no ano dos dados)",
    "formato": "saída em texto ou JSON",
    # importar
    "importar_ano": "ano de referência, se a planilha não disser",
    "simular": "só confere, não grava nada",
    "mapa": "arquivo JSON que diz o que são colunas e situações desconhecidas "
    '({"colunas": {"Título": "realizado"}, "situacoes": {"Texto": "Realizada"}})',
    "salvar_mapa": "guarda o mapa usado junto com o plano, se o arquivo for importado",
    "reducao": "responde pelas metas com números cujo texto começa por “Reduzir”/“Diminuir” e "
    "que não dizem o sentido: sim (são de redução: previsto ÷ realizado) ou nao; com "
    "--salvar-mapa, a resposta fica salva com o plano",
    "atualizar_plano": "se a aba Plano da planilha difere do plano cadastrado, altera o plano "
    "cadastrado (sem esta opção, a importação é recusada e a diferença é mostrada)",
    # gerar-estado, comparar
    "metas": "metas por ano e município",
    "de": "ano inicial",
    "para": "ano final",
    # plano criar, plano proximo
    "uf": "sigla do estado (PR, SP, …)",
    "ibge": "código IBGE do município (7 dígitos)",
    "nome_plano": "nome do plano, p. ex. “PMAS 2026-2029”",
    "inicio": "primeiro ano do plano",
    "fim": "último ano do plano",
    "eixo": "um eixo: número e nome (repita)",
    "eixos_da_planilha": "os eixos escritos na planilha",
    "nome_proximo": "nome do novo plano (padrão: o atual com o novo período)",
    # relatorio
    "ano_relatorio": "ano de referência do relatório",
    "saida_docx": "arquivo .docx a gravar",
    "campos": "arquivo campos.toml com os dados do relatório (elaboração, comissões, aprovação, "
    "publicação, análise por eixo…), gravados antes de gerar",
    "pdf": "grava também o PDF (com o LibreOffice), ao lado",
    "sem_graficos": "não desenha os gráficos (não precisa de navegador)",
    # aprovacao
    "comissoes": "comissões que o analisam (separadas por ;)",
    "resolucao": "número da resolução, ex.: 083/2023",
    "data_aprovacao": "data da aprovação (dd/mm/aaaa)",
    "reuniao": "data da reunião do CMAS (dd/mm/aaaa)",
    "documento": "o .docx aprovado (sem esta opção, o relatório é gerado agora e guardado)",
    "documento_sem_graficos": "gera o documento sem gráficos",
    "motivo": "as recomendações do CMAS",
    "veiculo": "ex.: Jornal Oficial do Município",
    "data_publicacao": "data da publicação (dd/mm/aaaa)",
    # deliberacoes, devolutiva
    "edicao_padrao": "ano da conferência (padrão: a última)",
    "edicao": "ano da conferência",
    "ano_plano": "ano do plano (padrão: o último com metas)",
    # exportar-dados
    "pasta": "pasta onde gravar os arquivos (criada se não existir)",
    "com_exemplo": "inclui os planos de exemplo (coluna “Dados de exemplo”)",
}

# What each command (and each action of a command) does, as its help says.
CLI_COMANDOS: dict[str, str] = {
    "importar": "importa uma planilha (.xlsx ou .csv)",
    "resumo": "mostra o cumprimento das metas por eixo",
    "versoes": "lista as versões importadas",
    "desfazer": "volta à versão anterior de um ano",
    "copiar_banco": "cópia de segurança do banco SQLite, com o painel no ar",
    "exportar_dados": "exporta os dados atuais de todos os planos em CSV e Parquet (para "
    "ferramentas de BI)",
    "gerar_estado": "gera dados sintéticos de muitos municípios (testes de escala)",
    "comparar": "compara dois anos: variação por eixo e transições",
    "banco": "manutenção do banco de dados",
    "banco_atualizar": "atualiza as tabelas do banco para esta versão do painel",
    "plano": "cria, lista e mostra os planos dos municípios",
    "plano_criar": "cria um plano (eixos por --eixo ou tirados de uma planilha)",
    "plano_listar": "lista os planos cadastrados",
    "plano_mostrar": "mostra um plano e os seus eixos",
    "plano_proximo": "começa o próximo ciclo do plano, com os mesmos eixos",
    "exemplo": "dados de exemplo (fictícios): removê-los de vez",
    "exemplo_remover": "apaga os planos de exemplo e tudo o que depende deles; não voltam a ser "
    "carregados",
    "relatorio": "gera o Relatório de Monitoramento do ano (.docx)",
    "aprovacao": "fluxo de aprovação do relatório do ano no CMAS (saída em JSON)",
    "aprovacao_mostrar": "mostra o estado, a linha do tempo e as verificações",
    "aprovacao_enviar": "envia o relatório ao CMAS",
    "aprovacao_analisar": "registra que o relatório está nas comissões",
    "aprovacao_aprovar": "registra a aprovação (congela dados e documento)",
    "aprovacao_devolver": "registra a devolução com recomendações",
    "aprovacao_publicar": "registra a publicação",
    "deliberacoes": "deliberações de uma conferência e a situação de cada uma no ano",
    "devolutiva": "gera a Devolutiva das deliberações de uma conferência (.docx)",
}

# The outcome of an import, as its first line says (followed by a period).
CLI_SITUACAO: dict[str, str] = {
    "importado": "Importado",
    "simulado": "Simulação: o arquivo pode ser importado (nada foi gravado)",
    "rejeitado": "Rejeitado: nada foi gravado",
    "repetido": "Arquivo já importado: nada foi gravado",
}

# What the commands print: results, warnings, errors and the plain-text tables' headings.
CLI: dict[str, str] = {
    # any command
    "erro_uso": "Erro de uso: {erro}",
    "aviso": "Aviso: {aviso}",
    "erro": "Erro: {erro}",
    "arquivo_nao_encontrado": "Arquivo não encontrado: {arquivo}",
    "nao_leu": "Não foi possível ler {arquivo}: {erro}.",
    "nao_gravou": "Não foi possível gravar {arquivo}: {erro}.",
    "saida_nao_docx": "o arquivo de saída deve terminar em .docx ({arquivo}).",
    "pasta_nao_existe": "a pasta {pasta} não existe.",
    "nada_gravado": "Nada foi gravado.",
    "banco_inacessivel": (
        "não foi possível abrir o banco de dados {banco}. Informe o caminho de um arquivo "
        "(por exemplo data/pmas.db) ou uma URL (sqlite:///data/pmas.db, "
        "postgresql+psycopg://usuario:senha@servidor/banco) de um servidor que esteja no ar."
    ),
    "col_eixo": "Eixo",
    "col_total": "Total",
    "col_indice": "Índice",
    "col_real_parc": "% real.+parc.",
    # importar
    "importacao_arquivo": "Arquivo: {arquivo} ({tamanho}); linhas lidas: {linhas}; anos: {anos}",
    "importacao_contagem": "Erros: {erros}; avisos: {avisos}",
    "achado_aba": "aba {aba}",
    "achado_linha": "linha {linha}",
    "achado_coluna": "coluna {coluna}",
    "versao_gravada": "Ano {ano}: versão {numero} gravada e atual.",
    # resumo
    "resumo_titulo": "{municipio} — {plano} — ano {ano}",
    "col_metas": "Metas",
    "col_avaliaveis": "Avaliáveis",
    "col_realiz": "% realiz.",
    "conferencias": "Conferências {ano}: {participantes_pre} participantes em {pre} "
    "pré-conferências; {participantes_municipal} na Conferência Municipal; {delegados} "
    "delegados.",
    # versoes, desfazer
    "sem_versoes": "Nenhuma versão importada.",
    "versao_atual": "atual",
    "versao": "{municipio} {ano} v{numero} {marca} {quando} {usuario} — {arquivo} ({metas} metas)",
    "sem_versao_anterior": "Não há versão anterior de {ano} para voltar.",
    "versao_voltou": "Ano {ano}: a versão {numero} voltou a ser a atual.",
    # comparar
    "anos_iguais": "--de e --para devem ser anos diferentes.",
    "sem_metas_ano": "Não há metas de {ano} no banco de dados.",
    "sem_metas_ano_anos": "Não há metas de {ano} no banco de dados (anos disponíveis: {anos}).",
    "comparacao_titulo": "{municipio} — {planos} — {de} → {para}",
    "col_realizadas": "% realizadas",
    "pareamento": "Metas pareadas: {pareadas} (código alterado: {codigo_alterado}); só em {de}: "
    "{so_em_de}; só em {para}: {so_em_para}.",
    "regrediram": "Regrediram: {regrediram}; não iniciadas nos dois anos: {estagnadas}.",
    "transicoes": "Transições ({de} → {para}):",
    # relatorio
    "relatorio_sem_saida": "informe --saida (o .docx a gravar) e/ou --campos.",
    "campos_gravados": "Campos do relatório de {ano} gravados ({campos}).",
    "campos_nenhum": "nenhum",
    "campo_em_branco": "Aviso: campo obrigatório em branco: {rotulo} (sai como ________).",
    "modelo_relatorio": "Modelo do relatório: {erro}",
    "relatorio_gravado": "Relatório de {municipio}, ano {ano}, gravado em {arquivo} ({tamanho}; "
    "{graficos} gráficos).",
    "pdf_nao_gerado": "PDF não gerado: {erro}.",
    "pdf_gravado": "PDF gravado em {arquivo} ({tamanho}).",
    # banco
    "banco_falhou": "Não foi possível atualizar o banco de dados ({erro}): confira o endereço do "
    "banco e se ele está no ar.",
    "banco_em_dia": "O banco de dados já está atualizado (revisão {revisao}).",
    "banco_atualizado": "Banco de dados atualizado: revisão {antes} → {depois}.",
    "revisao_nenhuma": "nenhuma",
    # plano
    "eixo_mal_escrito": '--eixo “{valor}”: escreva número=nome, por exemplo --eixo "1=Proteção '
    'Social Básica".',
    "sem_planos": "Nenhum plano cadastrado.",
    "plano_linha": "{municipio}/{uf} — {titulo} — {n} eixos{marca}",
    "plano_exemplo": " (dados de exemplo)",
    "plano_titulo": "{municipio}/{uf} (IBGE {ibge}) — {titulo}",
    "eixo_curto": " [curto: {curto}]",
    "informe_municipio": "informe --municipio.",
    "plano_recusado": "Plano recusado: {mensagens}",
    "eixos_copiados": " Eixos copiados de “{nome}”.",
    # aprovacao
    "aprovacao_titulo": "{municipio} — {plano} — relatório de {ano}: {situacao}",
    # deliberacoes, devolutiva
    "deliberacoes_titulo": "{municipio} — deliberações da conferência de {edicao} — situação em "
    "{ano}",
    "deliberacoes_cobertura": "{total} deliberações: {municipais} municipais ({com_meta} com meta "
    "no PMAS, {pct_com_meta}; {atendidas} atendidas, {pct_atendidas}) e {encaminhadas} estaduais "
    "ou nacionais.",
    "deliberacao": "  {numero:>4}  {situacao:<22} metas: {metas:<20} {texto}",
    "meta_inexistente": "Aviso: a deliberação nº {numero} cita a meta {codigo}, que não existe em "
    "nenhum plano do município.",
    "devolutiva_gravada": "Devolutiva da conferência de {edicao} ({municipio}, situação em {ano}) "
    "gravada em {arquivo} ({tamanho}).",
    # copiar-banco, gerar-estado
    "copia_existe": "O arquivo {arquivo} já existe; escolha outro nome.",
    "copia_gravada": "Cópia de segurança gravada em {arquivo} ({tamanho}).",
    "exportacao_existe": "O arquivo {arquivo} já existe; escolha outra pasta (nada foi gravado).",
    "exportacao_tabela": "{tabela}: {linhas} linhas ({nome}.csv e {nome}.parquet)",
    "exportacao_gravada": "Dados atuais exportados para {pasta}.",
    "progresso": "\r[{barra}] {feitos}/{total} municípios",
    "sinteticos_gravados": "{metas} metas sintéticas gravadas em {municipios} municípios.",
}


# Chart texts (pmas.saida.charts).
GRAFICOS = {
    "eixo_avaliaveis": "Metas avaliáveis (%)",
    "fora_do_calculo": "Fora do cálculo",
    "legenda_situacao": "Cada barra é 100% das metas avaliáveis (a parte verde é o % realizadas, "
    "o mesmo número dos cartões e das tabelas). Metas canceladas ou que não se aplicam no ano "
    "ficam fora do cálculo e são contadas ao lado da barra.",
    "hover_situacao": "<b>{nome}</b><br>{situacao}: {n} de {total} metas avaliáveis ({pct})",
    "hover_indice": "<b>{nome}</b><br>Índice de cumprimento: {valor}",
    "hover_edicao": "<b>{medida}</b><br>Edição {ano}: {n}",
    "edicao": "Edição",
    "hover_fluxo": "{de} em {ano_de} → {para} em {ano_para}: {n}",
    "meta": "meta",
    "metas": "metas",
    "so_em": "Só em {ano}",
    "nao_consta": "Não consta em {ano}",
    "previsto_ano": "Previsto no ano",
    "hover_previsto": "<b>{ano}</b><br>Previsto: {valor}",
    "esperado": "Esperado no ritmo do plano",
    "hover_esperado": "<b>{ano}</b><br>Esperado: {valor}",
    "meta_plano": "Meta do plano ({valor})",
    "hover_meta_plano": "Meta do plano: {valor}",
    "hover_histograma": "%{x}: %{y} municípios<extra></extra>",
    "municipios": "Municípios",
    "col_serie": "Série",
    "valores": "Valores",
    "col_quantidade": "Quantidade",
    "col_minimo": "Mínimo",
    "col_mediana": "Mediana",
    "col_maximo": "Máximo",
    "hover_deliberacoes": "<b>{nome}</b><br>{situacao}: {n} de {total} deliberações",
    "deliberacoes_municipais": "Deliberações de âmbito municipal",
}

# --- The framework's own words (Streamlit, Plotly), in Portuguese -------------------------------
# Streamlit has no locale setting: its few remaining English labels (uploader, menus, the data
# grid's toolbar, screen-reader labels) are replaced in the browser by pmas.ui.aparencia, exact
# strings first, then the patterns (a JavaScript regular expression and its replacement).
INTERFACE: dict[str, str] = {
    "Upload": "Enviar arquivo",
    "Skip to main content": "Pular para o conteúdo",
    "file upload": "enviar arquivo",
    "Browse files": "Escolher arquivo",
    "Drag and drop file here": "Arraste o arquivo para cá",
    "Drag and drop files here": "Arraste os arquivos para cá",
    "Drag and drop a file here": "Arraste o arquivo para cá",
    "Choose an option": "Escolha uma opção",
    "Choose options": "Escolha as opções",
    "No results": "Nenhum resultado",
    "Clear all": "Limpar tudo",
    "Clear value": "Limpar",
    "Clear": "Limpar",
    "Open": "Abrir",
    "Close": "Fechar",
    "Sidebar": "Barra lateral",
    "Collapse sidebar": "Recolher a barra lateral",
    "Expand sidebar": "Abrir a barra lateral",
    "App pages": "Telas do painel",
    "View more": "Ver mais",
    "View less": "Ver menos",
    "Main menu": "Menu principal",
    "Link to heading": "Link para esta seção",
    "Print": "Imprimir",
    "Record screen": "Gravar a tela",
    "Fullscreen": "Tela cheia",
    "Close fullscreen": "Sair da tela cheia",
    "Exit fullscreen": "Sair da tela cheia",
    "Search": "Buscar",
    "Show/hide columns": "Mostrar/ocultar colunas",
    "Download as CSV": "Baixar CSV",
    "Choose date": "Escolher a data",
    "Page not found": "Página não encontrada",
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "A página pedida não existe. Abrindo a Visão geral."
    ),
    "Running...": "Carregando…",
    "Stop": "Parar",
    "Delete": "Remover",
    "Remove file": "Remover o arquivo",
    "Select all": "Selecionar tudo",
    "dd": "dd",
    "mm": "mm",
    "yyyy": "aaaa",
}
INTERFACE_PADROES: list[tuple[str, str]] = [
    (r"^Help for (.+)$", "Ajuda sobre $1"),
    (r"^(\d+(?:\.\d+)?)\s?(B|KB|MB|GB) per file$", "Até $1 $2 por arquivo"),
    (r"^(\d+)\.(\d+)\s?(B|KB|MB|GB)$", "$1,$2 $3"),
    (r"^(\d+)\s?(B|KB|MB|GB)$", "$1 $2"),
    (r"^day, (.+)$", "dia, $1"),
    (r"^month, (.+)$", "mês, $1"),
    (r"^year, (.+)$", "ano, $1"),
    (r"^(\S+) icon$", "ícone"),
    (r"^Remove (.+)$", "Remover $1"),
]
# Plotly's modebar is reduced to one button; its tooltip and the words Plotly itself may show.
PLOTLY: dict[str, str] = {
    "Download plot as a PNG": "Baixar imagem (PNG)",
    "Download plot": "Baixar imagem",
    "Autoscale": "Escala automática",
    "Reset axes": "Restaurar eixos",
    "Zoom": "Zoom",
    "Pan": "Mover",
    "Zoom in": "Aproximar",
    "Zoom out": "Afastar",
    "Double-click to zoom back out": "Clique duas vezes para voltar ao zoom inicial",
    "Taking snapshot - this may take a few seconds": "Gerando a imagem…",
    "Snapshot succeeded": "Imagem gerada",
    "Sorry, there was a problem downloading your snapshot!": ("Não foi possível gerar a imagem."),
    "Produced with Plotly.js": "Gráfico feito com Plotly.js",
}
# The light HTML tables of the overview (pmas.ui.tabela): the scroll area's accessible name.
TABELA = {
    "regiao": "Tabela: {titulo}",
}

# What a chart's table of data is called (every chart has one, for who cannot see the chart).
GRAFICO = {
    "ver_dados": "Ver dados do gráfico",
    "dados": "Dados do gráfico: {titulo}",
    "imagem": "grafico",
    # the accessible name of a chart drawn in its own frame (pmas.ui.grafico)
    "quadro": "Gráfico: {titulo}",
}
# One sentence under each chart saying what it shows (its text alternative, with the data table).
RESUMOS: dict[str, str] = {
    "situacao": (
        "{total} metas em {n} {grupos}: {maior} tem a maior parte realizada ({r_maior} de "
        "{m_maior} avaliáveis) e {menor} a menor ({r_menor} de {m_menor})."
    ),
    "situacao_um": "{total} metas: {realizadas} realizadas.",
    "extremos": "{medida}: maior em {maior} ({v_maior}) e menor em {menor} ({v_menor}).",
    "um_valor": "{medida}: {nome}, {valor}.",
    "por_ano": "{medida} de cada eixo de {de} a {para}; em {para}, {extremos}",
    "edicoes": "Edições de {anos}: {valores}.",
    "edicao_valor": "{medida} {valores}",
    "representacao": "Sociedade civil e governamentais em cada etapa: {partes}.",
    "representacao_parte": "{etapa}, {pct} da sociedade civil",
    "transicao": (
        "Situação de {n} metas em {de} (à esquerda) e em {para} (à direita); "
        "{iguais} ficaram na mesma situação."
    ),
    "alvo": "{nome}: realizado {valor} em {ano}{meta}.",
    "alvo_meta": "; meta do plano {meta}",
    "alvo_vazio": "{nome}: nenhum valor realizado informado.",
    "distribuicao": "{medida} de {n} municípios: mediana {mediana}, de {minimo} a {maximo}.",
    "medianas": "{medida}, mediana nos municípios por eixo: {lista}.",
}


# --- Deliberações screen ---------------------------------------------------------------------

DELIBERACOES: dict[str, str] = {
    "titulo": "Deliberações",
    "sem_dados": "Ainda não há deliberações de conferência. Importe uma planilha com a aba "
    "“Deliberações” (edição, nº, eixo da conferência, âmbito, deliberação e os códigos das metas "
    "do PMAS que respondem a cada uma).",
    "sem_metas": "Ainda não há metas importadas: a situação das deliberações vem das metas "
    "vinculadas a elas.",
    "cabecalho": "{municipio} · deliberações da conferência de {edicao} · situação em {ano} "
    "(o ano escolhido na barra lateral), pelas metas de todos os planos do município",
    "edicao": "Edição da conferência",
    "filtro_situacao": "Situação da deliberação",
    "filtro_eixo": "Eixo da conferência",
    "card_total": "Deliberações",
    "card_com_meta": "Com meta no PMAS",
    "card_atendidas": "Atendidas",
    "card_sem_meta": "Sem meta no PMAS",
    "card_encaminhadas": "Encaminhadas",
    "de_municipais": "{pct} de {n} municipais",
    "ajuda_com_meta": "Deliberações de âmbito municipal que citam ao menos uma meta existente "
    "de algum plano do município, sobre as deliberações municipais.",
    "ajuda_atendidas": "Deliberações municipais com todas as metas vinculadas avaliáveis "
    "realizadas no ano, sobre as deliberações municipais.",
    "ajuda_sem_meta": "Deliberações municipais que nenhuma meta do PMAS responde.",
    "ajuda_encaminhadas": "Deliberações de âmbito estadual ou nacional: encaminhadas às outras "
    "esferas, contadas à parte.",
    "regra_titulo": "Como a situação é calculada",
    "sem_meta_titulo": "Deliberações sem meta no PMAS",
    "situacao_em": "Situação em",
    "a_edicao": "a edição",
    "sem_meta_aviso_um": "{n} de âmbito municipal não tem nenhuma meta no PMAS que responda a ela.",
    "sem_meta_aviso": "{n} de âmbito municipal não têm nenhuma meta no PMAS que responda a elas.",
    "deliberacao": "deliberação",
    "deliberacoes": "deliberações",
    "todas_com_meta": "Todas as deliberações municipais desta edição têm meta no PMAS.",
    "por_eixo_conferencia": "Por eixo da conferência",
    "por_eixo_plano": "Por eixo do plano",
    "legenda_eixo_plano": "Uma deliberação conta em cada eixo do plano das metas vinculadas a "
    "ela; por isso a soma pode passar do total.",
    "lista": "As deliberações",
    "resumo_grafico": "Deliberações municipais atendidas em cada grupo: {partes}.",
    "resumo_barra": "{nome}, {atendidas} de {n}",
    "lista_vazia": "Nenhuma deliberação com os filtros escolhidos.",
    "metas_vinculadas": "Metas vinculadas e o que foi feito em {ano}",
    "sem_vinculos": "Nenhuma meta vinculada às deliberações mostradas.",
    "codigos_inexistentes": "Códigos de meta que não existem em nenhum plano do município",
    "codigo_inexistente": "Deliberação nº {numero} (aba {aba}, linha {linha}): a meta “{codigo}” "
    "não existe em nenhum plano do município.",
    "encaminhadas": "Encaminhadas às esferas estadual e nacional",
    "devolutiva": "Devolutiva (.docx)",
    "baixar_devolutiva": "Baixar a Devolutiva da conferência de {edicao}",
    "ajuda_devolutiva": "Documento para a próxima conferência: cada deliberação desta edição, "
    "a situação em {ano}, as metas que respondem a ela e as justificativas.",
    "editar": "Editar as metas vinculadas (gestão)",
    "editar_ajuda": "Escolha a deliberação e escreva os códigos das metas do PMAS que respondem "
    "a ela, separados por ponto e vírgula. A mudança cria uma nova versão de {edicao} (pode ser "
    "desfeita em Importar) e fica no histórico.",
    "editar_deliberacao": "Deliberação",
    "editar_codigos": "Códigos das metas",
    "editar_salvar": "Salvar os vínculos",
    "editar_desconhecidos": "Estes códigos não existem em nenhum plano do município: {codigos}. "
    "Nada foi gravado.",
    "editar_ok": "Vínculos da deliberação nº {numero} gravados (versão {versao} de {edicao}).",
    "editar_igual": "Nada mudou: a deliberação já tinha essas metas.",
    "eixos_metas_titulo": "Deliberações de conferência que esta meta responde",
    "eixos_metas_nenhuma": "Nenhuma deliberação de conferência cita esta meta.",
    "card_visao": "Deliberações da conferência de {edicao}: {n} atendidas de {m}",
    "card_visao_detalhe": "{m} deliberações de âmbito municipal ({com_meta} com meta no PMAS, "
    "{sem_meta} sem meta); {encaminhadas} estaduais ou nacionais encaminhadas. Situação em {ano}.",
    "ver_deliberacoes": "Ver as deliberações",
}

COLUNAS_DELIBERACOES: dict[str, str] = {
    "ano": "Edição",
    "numero": "Nº",
    "eixo_conferencia": "Eixo da conferência",
    "ambito": "Âmbito",
    "texto": "Deliberação",
    "prioridade": "Prioridade",
    "metas": "Metas do PMAS",
    "situacao": "Situação",
    "motivo": "Por quê",
    "metas_no_ano": "Situação das metas no ano",
    "eixos_plano": "Eixos do plano",
    "metas_inexistentes": "Códigos inexistentes",
}

COLUNAS_COBERTURA: dict[str, str] = {
    "eixo_conferencia": "Eixo da conferência",
    "eixos_plano": "Eixo do plano",
    "municipais": "Deliberações municipais",
    "com_meta": "Com meta no PMAS",
    "sem_meta": "Sem meta no PMAS",
    "atendidas": "Atendidas",
    "em_atendimento": "Em atendimento",
    "nao_atendidas": "Não atendidas",
    "sem_avaliacao": "Sem avaliação no ano",
    "pct_com_meta": "% com meta",
    "pct_atendidas": "% atendidas",
}

COLUNAS_LIGACOES: dict[str, str] = {
    "numero": "Deliberação nº",
    "situacao_deliberacao": "Situação da deliberação",
    "codigo": "Meta",
    "plano": "Plano",
    "acao": "Ação",
    "meta": "Descrição da meta",
    "situacao": "Situação da meta",
    "justificativa": "Justificativa",
}


# The Panorama estadual screen (pages/panorama.py).
PANORAMA = {
    "sem_ano": "Nenhum município tem metas de {ano}.",
    "legenda": "Ano de referência {ano} · {n} municípios, classificados pelo índice de "
    "cumprimento.",
    "so_exemplo": "Este panorama reúne apenas planos de **dados de exemplo** (fictícios), como o "
    "plano escolhido na barra lateral. Escolha um plano real para ver os municípios reais.",
    "municipios": "Municípios",
    "mediana": "Índice de cumprimento (mediana)",
    "metas_avaliadas": "Metas avaliáveis",
    "distribuicao": "Distribuição do índice de cumprimento",
    "por_eixo": "Índice por eixo nos municípios",
    "eixos_diferentes": "Os planos dos municípios não têm os mesmos eixos (números e nomes), "
    "então o índice por eixo não é comparado entre eles; o índice geral está ao lado e na "
    "tabela.",
    "classificacao": "Classificação dos municípios",
    "col_posicao": "Posição",
    "col_municipio": "Município",
    "col_avaliaveis": "Metas avaliáveis",
    "col_indice_eixo": "Índice — eixo {numero}",
    "filtro_ano": "Ano",
    "filtro_dados": "Dados",
    "dados_exemplo": "de exemplo (fictícios)",
    "dados_reais": "reais",
}


# The "Filtros" sheet of every XLSX download (pmas/saida/export.py).
EXPORTACAO = {
    "filtro": "Filtro",
    "valor": "Valor",
    "nenhum_filtro": "Nenhum filtro aplicado",
    "exportado_em": "Exportado em",
    "fuso": "Fuso horário",
    "linhas": "Linhas exportadas",
    "sim": "Sim",
    "nao": "Não",
    "linhas_demais": "A tabela tem {n} linhas, mais do que o Excel aceita ({maximo}). Filtre os "
    "dados ou baixe em CSV.",
}


# The Relatório de Monitoramento document (pmas.saida.report): the wording of the sentences the
# report computes is in its Word template (pmas.saida.relatorio.modelo); what stays computed in
# Python is here.
RELATORIO_SITUACOES_PLURAL: dict[str, tuple[str, str]] = {
    "Realizada": ("realizada", "realizadas"),
    "Parcialmente realizada": ("parcialmente realizada", "parcialmente realizadas"),
    "Em andamento": ("em andamento", "em andamento"),
    "Não iniciada": ("não iniciada", "não iniciadas"),
    "Não realizada": ("não realizada", "não realizadas"),
    "Cancelada": ("cancelada", "canceladas"),
    "Não se aplica": ("que não se aplica ao ano", "que não se aplicam ao ano"),
}
RELATORIO_DOC: dict[str, str] = {
    "fonte_nao_informada": "Fonte não informada",
    # notes shown beside the download (and printed by the CLI)
    "nota_exemplo": "O relatório foi gerado com os dados de exemplo (fictícios); importe a "
    "planilha do município para ter o relatório real.",
    "nota_edicao_ausente": "A edição da conferência escolhida ({escolha}) não está nos dados de "
    "Conferências; o relatório diz que não houve processo conferencial citado.",
    "sem_graficos_pedido": "o relatório foi gerado sem gráficos, como pedido",
    "sem_graficos_navegador": "{motivo}; o documento traz todas as tabelas, e basta gerá-lo de "
    "novo quando o navegador estiver disponível para incluir os gráficos",
    "graficos_omitidos": "Gráficos omitidos: {motivo}.",
    "pdf_sumario_sem_paginas": "O sumário do PDF sai sem os números de página: falta neste "
    "servidor a ponte do LibreOffice para o Python (pacote python3-uno), que atualiza o sumário "
    "antes de exportar. O .docx aberto no Word atualiza o sumário.",
    "sem_marcador": "O modelo do documento em uso não tem lugar para {marcadores}: essas partes "
    "calculadas ficaram de fora do relatório. Baixe o modelo padrão para ver onde ficam.",
    "marcador_eixo": "{{{{ e.secao }}}} (Eixo {numero})",
    "progresso_lendo": "Lendo os dados do ano…",
    "progresso_graficos": "Desenhando os gráficos…",
    "progresso_grafico_n": "Desenhando os gráficos ({feitos} de {total})…",
    "progresso_montando": "Montando o documento…",
    "progresso_pronto": "Relatório pronto.",
    "sem_metas_no_ano": "Não há metas de {ano} no banco de dados para {municipio} – {plano}"
    "{disponiveis}; importe a planilha do ano antes de gerar o relatório.",
    "anos_com_metas": " (anos com metas: {anos})",
    # the document's properties
    "nota_software": "Documento gerado em {data} pelo {software}{dados}{exemplo}.",
    "nota_software_dados": ", com os dados de monitoramento de {ano} na versão {versao}"
    "{arquivo}, importada em {importada}{quem}",
    "nota_software_arquivo": " (arquivo {nome})",
    "nota_software_quem": " por {usuario}",
    "nota_software_exemplo": "; DADOS DE EXEMPLO, fictícios",
    # alt text of the charts
    "alt_geral_situacao": "Gráfico de barras empilhadas com a situação das metas de cada eixo em "
    "{ano}; percentual de metas realizadas sobre as avaliáveis. {valores}.",
    "alt_geral_indice": "Gráfico de barras com o índice de cumprimento de cada eixo em {ano}. "
    "{valores}.",
    "alt_eixo": "Gráfico de barras empilhadas com a situação das metas do Eixo {eixo} por "
    "diretriz em {ano}; percentual de metas realizadas sobre as avaliáveis. {valores}.",
    "alt_comparacao": "Gráfico de barras agrupadas com o índice de cumprimento de cada eixo em "
    "{antes} e {ano}. {valores}.",
    "alt_valor": "{rotulo}: {valor}",
    "alt_valor_ano": "{rotulo} em {ano}: {valor}",
    # the participation process (its sentence has too many optional parts for the template)
    "part_regioes": "nas regiões {lista}",
    "part_publicos": "em encontros com públicos específicos: {lista}",
    "part_pre": "{pessoas} nas {eventos}{onde}",
    "part_municipal": "{pessoas} na Conferência Municipal{eleitos}",
    "part_eleitos": ", que elegeu {delegados}",
    "part_envolveu": ", que envolveu {partes}",
    "part_durante": "O processo conferencial de {edicao}, realizado durante a elaboração deste "
    "relatório, levou a avaliação da política de assistência social à população{envolveu}.",
    "part_no_ano": "As ações do Plano em {ano} foram discutidas com a população no processo "
    "conferencial de {edicao}{envolveu}.",
    "part_antes": "Não houve conferência municipal de assistência social em {ano}. A última "
    "edição do processo conferencial foi a de {edicao}{envolveu}.",
    "part_quem": " Participaram representantes de {quem}, governamentais e não governamentais.",
    "part_nenhuma_escolhida": "Nenhuma edição do processo conferencial é citada neste "
    "relatório: a gestão registrou que não houve processo participativo relacionado às ações "
    "de {ano}.",
    "part_nenhuma": "Não houve conferência municipal de assistência social entre {de} e {ate} "
    "registrada nos dados de Conferências.{ultima}",
    "part_ultima": " A última edição registrada nos dados foi a de {edicao}.",
    # headings, table titles, figure captions and sources of the computed parts
    "processo_participativo": "Processo participativo",
    "analise_eixo": "Análise qualitativa do Eixo {eixo}",
    "fonte": "Fonte: {municipio}, monitoramento do {plano}, {anos}{versao}.",
    "fonte_versao": " (dados na versão {versao})",
    "fonte_deliberacoes": "Fonte: {municipio}, deliberações da conferência de {edicao} e "
    "monitoramento do {plano}, {ano}.",
    "fonte_conferencia": "Fonte: {municipio}, registros do processo conferencial de {edicao}.",
    "fonte_indicadores": "Fonte: {fontes}; planilha de indicadores de {municipio}.",
    "tit_deliberacoes": "Deliberações da conferência de {edicao} e situação em {ano}",
    "tit_participantes": "Participantes do processo conferencial de {edicao} por segmento",
    "tit_cumprimento_eixos": "Cumprimento das metas por eixo, {ano}",
    "fig_situacao_eixos": "Situação das metas por eixo, {ano} (percentual das metas avaliáveis "
    "de cada eixo; as canceladas e as que não se aplicam no ano, fora do cálculo, aparecem ao "
    "lado da barra)",
    "fig_indice_eixos": "Índice de cumprimento por eixo, {ano}",
    "tit_orcamento": "Orçamento previsto e executado por fonte de recurso, {ano}",
    "tit_indicadores": "Indicadores do Plano, {ano}",
    "tit_indicadores_anos": "Indicadores do Plano, {de} a {ate}",
    "tit_cumprimento_eixo": "Cumprimento das metas do Eixo {eixo}, {ano}",
    "fig_situacao_eixo": "Situação das metas avaliáveis do Eixo {eixo} por diretriz, {ano}",
    "tit_metas_eixo": "Metas do Eixo {eixo} por diretriz, {ano}",
    "tit_comparacao": "Indicadores por eixo, {antes} e {ano}",
    "fig_comparacao": "Índice de cumprimento por eixo, {antes} e {ano}",
    "tit_regressoes": "{titulo} de {antes} para {ano}",
    "tit_anexo": "{titulo} em {ano}",
    # a goal's numbers in the tables
    "previsto_realizado": "Previsto {previsto}; realizado {realizado} ({execucao})",
    "execucao": "Execução: {execucao}",
    "meta_reducao": "Meta de redução: quanto menor, melhor",
    # lists with nothing in them
    "sem_siglas": "Nenhuma sigla é usada neste relatório.",
    "nenhuma_regrediu": "Nenhuma meta regrediu.",
    "nenhuma_sem_avanco": "Nenhuma meta ficou sem avanço.",
    "nenhuma_nao_cumprida": "Nenhuma meta ficou como não realizada ou não iniciada.",
    "nenhuma_parcial": "Nenhuma meta ficou como parcialmente realizada.",
    "nenhuma_em_andamento": "Nenhuma meta ficou em andamento.",
    "nenhuma_cancelada": "Nenhuma meta foi cancelada.",
    "sem_justificativa": "Sem justificativa informada.",
    "sem_deliberacao": "Deliberação não informada.",
}
RELATORIO_CONTAGENS: dict[str, tuple[str, str]] = {
    "pessoa": ("pessoa", "pessoas"),
    "pre_conferencia": ("pré-conferência realizada", "pré-conferências realizadas"),
    "delegado": ("delegado", "delegados"),
}


# The Visão geral screen (pages/visao-geral.py).
VISAO_GERAL = {
    "cabecalho": "{plano_e_ano} · relatório do ano: {relatorio}",
    "por_eixo": "Situação das metas por eixo",
    "clique": "Clique na barra de um eixo para abrir as metas dele.",
    "indice": "Índice de cumprimento por eixo",
    "numeros": "Números por eixo",
    "conferencia": "Processo conferencial {ano}",
    "conferencia_numeros": "**{participantes} participantes** em **{pre} pré-conferências**, "
    "**{municipal}** na Conferência Municipal",
    "conferencia_delegados": " e **{delegados} delegados** eleitos.",
    "ver_conferencias": "Ver as conferências",
    "atencao": "Metas que exigem atenção",
    "sem_atencao": "Nenhuma meta não realizada ou não iniciada com os filtros escolhidos.",
    "atencao_primeiras": (
        "Mostrando as {mostradas} primeiras de {total} metas; a lista completa está nos "
        "downloads abaixo e na tela Dados (filtre por situação)."
    ),
}

# The Eixos screen (pages/eixos.py).
EIXOS = {
    "escolha": "Escolha um eixo na barra lateral ou abaixo.",
    "por_diretriz": "Situação das metas por diretriz",
    "sem_diretriz": "(sem diretriz)",
    "metas": "Metas do eixo",
    "selecione": "Selecione uma linha para ver o detalhe da meta.",
    "cada_ano": "**Situação em cada ano**",
}

# The menu: each screen's title (pmas.ui.nav; the key is its page file and URL path).
MENU = {
    "visao-geral": "Visão geral",
    "eixos": "Eixos",
    "conferencias": "Conferências",
    "deliberacoes": "Deliberações",
    "comparativo": "Comparativo anual",
    "dados": "Dados",
    "importar": "Importar",
    "plano": "Plano",
    "relatorio": "Relatório",
    "panorama": "Panorama estadual",
}

# The sidebar's filters, and the same names where the filters are listed (downloads, reports).
BARRA_LATERAL = {
    "municipio": "Município",
    "plano": "Plano",
    "ano": "Ano",
    "eixo": "Eixo",
    "situacao": "Situação",
    "territorio": "Território",
    "responsavel": "Responsável",
    "buscar": "Digite para buscar",
    "todos_eixos": "Todos os eixos",
    "todos": "Todos",
    "todas": "Todas",
    # how a notice names a filter whose value in a link was dropped ("… para o município")
    "o_municipio": "o município",
    "o_ano": "o ano",
    "o_eixo": "o eixo",
    "a_situacao": "a situação",
    "o_territorio": "o território",
    "o_responsavel": "o responsável",
}

# The Relatório screen (pages/relatorio.py; its approval, fields and template: pmas.ui.relatorio).
RELATORIO_TELA = {
    "intro": "O relatório é um documento do Word (.docx), editável, com o plano e a sua avaliação, "
    "o processo participativo, o orçamento, os indicadores e as metas de cada eixo, a comparação "
    "com o ano anterior e o anexo das metas não cumpridas em {ano}. Ele considera todas as metas "
    "do ano: os demais filtros da barra lateral não se aplicam. O ano se escolhe na barra lateral.",
    "gerar_titulo": "Gerar o relatório",
    "incluir_graficos": "Incluir os gráficos",
    "ajuda_graficos": "Os gráficos são desenhados pelo navegador Chromium do servidor; sem ele, o "
    "relatório sai com todas as tabelas e sem os gráficos.",
    "gerar": "Gerar relatório",
    "preparando": "Preparando…",
    "pronto": "Relatório de {ano} pronto: {tamanho}, {graficos}.",
    "grafico": "gráfico",
    "graficos": "gráficos",
    "faltando": "Campos obrigatórios em branco (saem como ________): {campos}.",
    "baixar_docx": "Baixar o relatório (.docx)",
    "gerar_pdf": "Gerar o PDF (PDF/A)",
    "convertendo": "Convertendo com o LibreOffice…",
    "pdf_erro": "PDF não gerado: {motivo}.",
    "baixar_pdf": "Baixar o PDF",
    "sem_libreoffice": "PDF: o LibreOffice não está instalado neste servidor.",
}

# Why the report's PDF could not be made (pmas.saida.relatorio.pdf).
PDF = {
    "sem_soffice": "o LibreOffice não está instalado neste servidor (programa soffice); baixe o "
    ".docx e exporte o PDF no Word ou no LibreOffice",
    "demorou": "o LibreOffice não terminou a conversão em {segundos} segundos",
    "nao_executou": "o LibreOffice não pôde ser executado ({erro})",
    "nao_gerou": "o LibreOffice não gerou o PDF",
}

# What the structural PDF/A-2b check finds (pmas.saida.relatorio.pdfa).
PDFA = {
    "cabecalho": "o arquivo não começa com o cabeçalho de um PDF",
    "fluxos": "o PDF usa fluxos de objetos, que esta verificação não lê",
    "criptografado": "o PDF está criptografado",
    "sem_catalogo": "o PDF não tem catálogo (/Root)",
    "sem_xmp": "o catálogo não aponta para os metadados XMP",
    "parte": "os metadados XMP não declaram pdfaid:part 2",
    "conformidade": "os metadados XMP não declaram pdfaid:conformance B",
    "icc": "falta a OutputIntent GTS_PDFA1 com um perfil de cor ICC",
    "objeto": "objeto {num}",
    "fonte_sem_descritor": "a fonte {fonte} não está incorporada (sem descritor)",
    "fonte": "a fonte {fonte} não está incorporada",
    "javascript": "o objeto {num} tem JavaScript",
    "launch": "o objeto {num} tem uma ação que abre programas",
    "anexos": "o PDF tem arquivos anexados",
}

# Why the report's charts could not be drawn (pmas.saida.render).
RENDER = {
    "indicado_ausente": "o navegador indicado ({caminho}) não foi encontrado",
    "sem_navegador": "nenhum navegador Chromium foi encontrado neste servidor (instale com "
    "“apt-get install chromium”)",
    "sem_kaleido": "o pacote kaleido não está instalado ({erro})",
    "demorou": "o navegador não terminou os gráficos em {segundos} s",
    "falhou": "falha ao desenhar os gráficos no navegador ({erro})",
}


# The report's lista de siglas (pmas.saida.report): every acronym it may use, spelled out; the
# list prints only those the text uses.
SIGLAS_RELATORIO: dict[str, str] = {
    "BPC": "Benefício de Prestação Continuada",
    "CadÚnico": "Cadastro Único para Programas Sociais",
    "CMAS": "Conselho Municipal de Assistência Social",
    "CNAS": "Conselho Nacional de Assistência Social",
    "CRAS": "Centro de Referência de Assistência Social",
    "CREAS": "Centro de Referência Especializado de Assistência Social",
    "FEAS": "Fundo Estadual de Assistência Social",
    "FMAS": "Fundo Municipal de Assistência Social",
    "FNAS": "Fundo Nacional de Assistência Social",
    "IBGE": "Instituto Brasileiro de Geografia e Estatística",
    "IGD": "Índice de Gestão Descentralizada",
    "J.O.M.": "Jornal Oficial do Município",
    "NOB-SUAS": "Norma Operacional Básica do SUAS",
    "PAEFI": "Serviço de Proteção e Atendimento Especializado a Famílias e Indivíduos",
    "PAIF": "Serviço de Proteção e Atendimento Integral à Família",
    "PBF": "Programa Bolsa Família",
    "PMAS": "Plano Municipal de Assistência Social",
    "POP": "População em situação de rua (Centro POP)",
    "p.p.": "pontos percentuais",
    "PSB": "Proteção Social Básica",
    "PSE": "Proteção Social Especial",
    "RMA": "Registro Mensal de Atendimentos",
    "SCFV": "Serviço de Convivência e Fortalecimento de Vínculos",
    "SMAS": "Secretaria Municipal de Assistência Social",
    "SUAS": "Sistema Único de Assistência Social",
}

# Numbers written out in the report's prose (pmas.saida.report.extenso); above twelve, digits.
EXTENSO: dict[int, str] = {
    1: "um",
    2: "dois",
    3: "três",
    4: "quatro",
    5: "cinco",
    6: "seis",
    7: "sete",
    8: "oito",
    9: "nove",
    10: "dez",
    11: "onze",
    12: "doze",
}

# The conference segments as the report's prose names them ("representantes de …").
SEGMENTOS_RELATORIO: dict[str, str] = {
    "usuarios": "usuários",
    "trabalhadores": "trabalhadores",
    "entidades": "entidades prestadoras de serviços",
    "gestores": "gestores",
}

# The report's figure rows in the comparison with the previous year.
ROTULOS_FIGURAS_RELATORIO: dict[str, str] = {
    "pct_realizadas": "% realizadas",
    "pct_realizadas_ou_parciais": "% realizadas ou parciais",
    "indice_cumprimento": "Índice de cumprimento",
}

# Headings, row labels and column headers of the report's computed parts (pmas.saida.report).
RELATORIO_PARTES: dict[str, str] = {
    "eixo_indice": "Índice de cumprimento (%)",
    "nao_cumpridas": "Metas não realizadas ou não iniciadas",
    "em_andamento": "Metas em andamento",
    "titulo_documento": "Relatório de Monitoramento do PMAS – {municipio} – Ano {ano}",
    "assunto_documento": "{plano} – monitoramento do ano {ano}",
    "situacao_em": "Situação em {ano}",
    "total_plano": "Total do Plano",
    "responsavel": "Responsável",
    "prazo": "Prazo",
    "territorio": "Território",
    "regrediram": "Metas que regrediram",
    "sem_avanco": "Metas sem avanço",
    "justificativa_ano": "Justificativa ({ano})",
    "deliberacao_cancelou": "Deliberação do CMAS que a cancelou",
}
RELATORIO_CABECALHOS: dict[str, list[str]] = {
    "deliberacoes": ["Nº", "Deliberação", "Metas do PMAS"],
    "participantes": ["Segmento", "Pré-conferências", "Conferência Municipal"],
    "cumprimento": [
        "Metas",
        "Avaliáveis",
        "% realizadas",
        "% realizadas ou parciais",
        "Índice de cumprimento",
    ],
    "orcamento": ["Fonte de recurso", "Previsto", "Executado", "% executado"],
    "metas_eixo": ["Cód.", "Ação", "Meta", "Situação", "Justificativa"],
    "comparacao": ["Eixo e indicador", "{antes}", "{ano}", "Variação"],
    "regressoes": ["Cód.", "Ação e meta"],
    "anexo": ["Eixo", "Cód.", "Ação e meta", "Situação"],
}


# The report's fields as the Relatório screen, the CLI and the messages name them
# (pmas.saida.relatorio.campos), the parts of the analysis per eixo, the comissão's answers.
CAMPOS_RELATORIO: dict[str, str] = {
    "elaborado_por": "Elaborado por",
    "equipe": "Equipe de elaboração",
    "prefeito": "Prefeito(a) Municipal",
    "secretario": "Secretário(a) Municipal de Assistência Social",
    "comissoes": "Comissões do CMAS que discutiram o relatório",
    "data_reuniao": "Data da reunião do CMAS",
    "data_aprovacao": "Data da aprovação pelo CMAS",
    "resolucao": "Número da resolução do CMAS",
    "veiculo": "Veículo de publicação",
    "edicao": "Edição",
    "pagina": "Página",
    "data_publicacao": "Data da publicação",
    "link": "Link da publicação",
    "publicacao": "Onde a resolução foi publicada",  # before veículo/edição/página: still read
    "conferencia": "Edição da conferência citada",
    "acompanhamento": "Comissão de acompanhamento do Plano no ano",
    "acompanhamento_texto": "Comissão de acompanhamento: composição ou motivo",
    "consideracoes": "Considerações finais",
    "analise": "Análise qualitativa por eixo",
}
ANALISE_PARTES: dict[str, str] = {
    "avancos": "Avanços",
    "dificuldades": "Dificuldades",
    "encaminhamentos": "Encaminhamentos",
}
ACOMPANHAMENTO: dict[str, str] = {"sim": "Formada", "nao": "Não formada"}
# Words a campos.toml may use for "automatic" (conferencia) and "no" (acompanhamento).
RESPOSTAS_CAMPOS: dict[str, dict[str, str]] = {
    "automatica": {"automatica": "", "automática": ""},
    "nao": {"não": "nao"},
}
# What is wrong with a report field typed on the screen or in a campos.toml.
ERROS_CAMPOS: dict[str, str] = {
    "desconhecido": "Campo desconhecido: “{campo}” (campos: {campos}).",
    "data": "{campo}: “{valor}” não é uma data no formato dd/mm/aaaa (por exemplo 08/11/2023).",
    "conferencia": "{campo}: “{valor}” deve ser o ano de uma edição, “nenhuma” ou ficar em "
    "branco (a edição do período do relatório).",
    "sim_nao": "{campo}: responda “sim” ou “não” (veio “{valor}”).",
    "link": "{campo}: “{valor}” deve começar com http:// ou https://.",
    "analise_secoes": "{campo}: esperava uma seção por eixo ([analise.1], …).",
    "analise_eixo": "{campo}: “{eixo}” não é o número de um eixo (use [analise.1]).",
    "analise_parte": "{campo}, eixo {eixo}: “{parte}” não é uma das partes ({partes}).",
    "utf8": "O arquivo de campos deve estar em UTF-8.",
    "toml": "O arquivo de campos não é um TOML válido: {erro}.",
}


# How a deliberation's situation is computed and why each one has its situation
# (pmas.analise.deliberacoes), and the groups of the coverage tables.
DELIBERACOES_SITUACAO: dict[str, str] = {
    "regra": "Situação de cada deliberação no ano, calculada a partir das metas do PMAS "
    "vinculadas a ela (nunca digitada): **Atendida** quando todas as metas vinculadas avaliáveis no ano estão "
    "Realizadas; **Em atendimento** quando ao menos uma está Realizada, Parcialmente realizada ou "
    "Em andamento; **Não atendida** quando todas estão Não iniciadas ou Não realizadas; **Sem "
    "meta no PMAS** quando nenhuma meta de nenhum plano do município responde a ela; **Sem "
    "avaliação no ano** quando tem metas, mas nenhuma avaliável no ano (Cancelada, Não se aplica "
    "ou sem dados). Deliberações de âmbito estadual ou nacional são **encaminhadas** às outras "
    "esferas e contadas à parte.",
    "encaminhada": "Deliberação de âmbito {ambito}: encaminhada, não respondida pelo PMAS.",
    "nenhuma_meta": "Nenhuma meta do PMAS vinculada.",
    "codigos_inexistentes": "Código(s) {codigos} não existe(m) em nenhum plano do município; "
    "nenhuma meta vinculada.",
    "nenhuma_avaliavel": "{n} meta(s) vinculada(s), nenhuma avaliável em {ano}.",
    "avaliaveis": "De {n} meta(s) vinculada(s) avaliável(is) em {ano}: {situacoes}.",
    "grupo_sem_meta": "(sem meta no PMAS)",
    "grupo_sem_eixo": "(sem eixo)",
}
COBERTURA_ROTULOS: dict[str, str] = {
    "total": "Deliberações",
    "municipais": "De âmbito municipal",
    "encaminhadas": "Estaduais e nacionais (encaminhadas)",
    "com_meta": "Com meta no PMAS",
    "sem_meta": "Sem meta no PMAS",
    "atendidas": "Atendidas",
    "em_atendimento": "Em atendimento",
    "nao_atendidas": "Não atendidas",
    "sem_avaliacao": "Sem avaliação no ano",
    "pct_com_meta": "% com meta",
    "pct_atendidas": "% atendidas",
}


# Why a query has nothing to show (pmas.analise.consulta; the CLI and the screens print it).
CONSULTA: dict[str, str] = {
    "banco_vazio": "O banco de dados está vazio: importe uma planilha primeiro.",
    "nome_municipio": "NOME DO MUNICÍPIO",
    "sem_metas_plano": "Não há metas importadas para este plano.",
    "sem_metas_municipio": "Não há metas importadas para este município.",
    "sem_metas_ano": "Não há metas de {ano} no banco de dados",
    "anos_disponiveis": " (anos disponíveis: {anos}).",
    "sem_deliberacoes": "Não há deliberações de conferência de {municipio} no banco de dados: "
    "importe uma planilha com a aba “Deliberações”.",
    "sem_edicao": "Não há deliberações da conferência de {edicao} (edições disponíveis: "
    "{edicoes}).",
}
# One goal's fields in its detail table (pmas.analise.consulta.goal_detail).
DETALHE_META_COLUNAS = ("Campo", "Valor")
DETALHE_META: dict[str, str] = {
    "diretriz": "Diretriz",
    "meta": "Meta",
    "estrategia": "Estratégia",
    "indicador": "Indicador",
    "responsavel": "Responsável",
    "prazo": "Prazo",
    "territorio": "Território",
    "situacao": "Situação",
    "previsto": "Previsto",
    "realizado": "Realizado",
    "execucao_pct": "Execução",
    "sentido": "Sentido",
    "justificativa": "Justificativa",
}


# The Relatório screen's approval steps and fields form (pmas.ui.relatorio).
RELATORIO_CAMPOS_TELA: dict[str, str] = {
    "congelada": "Aprovação congelada: dados na versão {versao} (SHA-256 {sha}…)",
    "congelada_documento": "; documento aprovado SHA-256 {sha}…",
    "aprovacao_guarda": "A aprovação guarda a versão atual dos dados e o documento gerado agora "
    "(com o SHA-256 de cada um).",
    "campos_legenda": "Estes dados aparecem no texto do relatório; o que ainda não se sabe sai "
    "como uma linha em branco (________) para preencher depois.",
    "elaborado_exemplo": "a Diretoria de Gestão do SUAS/SMAS",
    "elaborado_ajuda": "Escreva com o artigo, como deve ser lido depois de “elaborado por”: “a "
    "Diretoria de Gestão do SUAS/SMAS” vira “elaborado pela Diretoria de Gestão do SUAS/SMAS”.",
    "comissoes_exemplo": "Comissão de Inscrição\nComissão de Fundo\nComissão de Legislação",
    "veiculo_exemplo": "o Jornal Oficial do Município",
    "veiculo_ajuda": "Com o artigo: “o J.O.M.” vira “publicada no J.O.M.”.",
    "conferencia_automatica": "A do período do relatório (automática)",
    "conferencia_nenhuma": "Nenhuma",
    "conferencia_edicao": "Edição de {edicao}",
    "nao_informado": "Não informado",
}


# How a goal of year A was found in year B (pmas.analise.comparacao, the "correspondencia" column).
CORRESPONDENCIA: dict[str, str] = {
    "por_codigo": "código",
    "por_texto": "texto",
    "codigo_alterado": "código alterado",
    "so_em_a": "só em A",
    "so_em_b": "só em B",
}
# The detail of an audit entry (pmas.dados.mapas, pmas.dados.store), and the store's refusal to
# back up PostgreSQL.
AUDITORIA_DETALHES: dict[str, str] = {
    "mapa": "mapa de colunas e situações salvo ({n} entradas)",
    # pmas.dados.store
    "importacao": "versão {numero} de {ano}; arquivo {arquivo}",
    "desfeita": "versão {atual} desfeita; versão {anterior} voltou a valer",
    "vinculos": "versão {numero} de {ano}; metas das deliberações: {mudancas}",
    "nenhuma_mudanca": "nenhuma mudança",
    "campos_relatorio": "campos do relatório atualizados",
    "copia_so_sqlite": "Cópia de segurança por aqui só para SQLite; no PostgreSQL use pg_dump.",
}
# Proposing a plan's eixos from a workbook (pmas.entrada.eixos).
EIXOS_PROPOSTOS: dict[str, str] = {
    "sem_eixos": "Não encontrei eixos em {arquivo}: a planilha precisa de uma aba Metas com a "
    "coluna Eixo preenchida.",
}
# The default time zone's name beside every time shown (pmas.relogio).
FUSO_BRASILIA = "horário de Brasília"
# The Devolutiva's computed parts (pmas.saida.devolutiva).
DEVOLUTIVA: dict[str, str] = {
    "titulo": "Devolutiva das deliberações da conferência de {edicao}",
    "encaminhadas": " (estadual ou nacional)",
}
# Start-up checks of the import's defences (pmas.entrada.security).
SEGURANCA: dict[str, str] = {
    "sem_defusedxml": "O pacote de segurança defusedxml não está instalado: rode "
    "“pip install -r requirements.txt”.",
    "defusedxml_desligado": "A proteção contra XML malicioso está desligada "
    "(OPENPYXL_DEFUSEDXML=False): remova essa variável de ambiente.",
}
# Why an isolated analysis stopped, as its log line says (pmas.entrada.isolado; read by IT).
ISOLADO_LOG: dict[str, str] = {
    "parede": "tempo de parede",
    "saida": "saída {codigo}",
}
# The Importar screen's findings download and version labels (pmas.ui.importar).
IMPORTAR_ROTULOS: dict[str, str] = {
    "achados_titulo": "Relatório",
    "achados_arquivo": "Arquivo",
    "versao_rotulo": "{ano} · versão {numero} · {arquivo} · {quando}",
}
# Who the history names as having imported the example data (pmas.entrada.pipeline).
USUARIO_EXEMPLO = "Dados de exemplo"
# Titles and descriptions in the JSON Schemas of the CLI's outputs (pmas.entrada.findings).
ESQUEMAS_JSON: dict[str, str] = {
    "relatorio": "Relatório de uma importação",
    "importacao": "Resultado de `importar --formato json`",
    "plano": "O plano de destino; aba_plano: o que a aba Plano do arquivo faz (null: o arquivo "
    "não a traz; criar; igual; atualizar).",
}
