"""Relatório: the year's Relatório de Monitoramento (.docx), built from the data by pmas.saida.report;
the authorship and approval fields are kept per year (saving them needs a manager)."""

import json

import streamlit as st

from pmas import fmt, textos
from pmas.acesso import gestao
from pmas.acesso.actor import SemPermissao
from pmas.analise import consulta
from pmas.saida import fila, report
from pmas.ui import acesso, page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
K_RESULTADO = "_pmas_relatorio"  # the last report built in this session, with what it was built of

ctx = page.start("Relatório")
ano, plano = ctx.filtros.ano, ctx.plano
st.caption(f"{plano.municipio} · {plano.nome} · ano de referência {ano}")
st.markdown(
    f"O relatório é um documento do Word (.docx), editável, com o plano e a sua "
    f"avaliação, o processo participativo, os indicadores e as metas de cada eixo, a "
    f"comparação com o ano anterior e o anexo das metas não cumpridas em {ano}. Ele "
    f"considera todas as metas do ano: os demais filtros da barra lateral não se "
    f"aplicam. O ano se escolhe na barra lateral."
)

# --- authorship and approval, kept per year ---------------------------------------------------

st.subheader(f"Elaboração e aprovação do relatório de {ano}")
st.caption(
    "Estes dados aparecem no texto do relatório; o que ainda não se sabe sai como uma "
    "linha em branco (________) para preencher depois."
)
acesso.painel()  # log in (or see why not) to save these fields; reading stays open

campos = ctx.store.report_fields(ctx.plano_id, ano)
sufixo = f"{ctx.plano_id}_{ano}"  # the form shows the chosen year's values
with st.form(f"relatorio_campos_{sufixo}"):
    elaborado_por = st.text_input(
        report.CAMPOS["elaborado_por"],
        value=campos.get("elaborado_por", ""),
        max_chars=300,
        placeholder="a Diretoria de Gestão do SUAS/SMAS",
        help="Escreva com o artigo, como deve ser lido depois de “elaborado por”: “a Diretoria "
        "de Gestão do SUAS/SMAS” vira “elaborado pela Diretoria de Gestão do SUAS/SMAS”.",
    )
    comissoes = st.text_area(
        report.CAMPOS["comissoes"] + " (uma por linha)",
        value="\n".join(campos.get("comissoes", [])),
        height=140,
        placeholder="Comissão de Inscrição\nComissão de Acompanhamento de Serviços, Programas e "
        "Projetos\nComissão de Fundo\nComissão de Capacitação\nComissão de Legislação",
    )
    c1, c2 = st.columns(2)
    data_aprovacao = c1.date_input(
        report.CAMPOS["data_aprovacao"],
        value=report.parse_date(campos.get("data_aprovacao")),
        format="DD/MM/YYYY",
        min_value=report.MIN_DATE,
        max_value=report.MAX_DATE,
    )
    resolucao = c2.text_input(
        report.CAMPOS["resolucao"],
        value=campos.get("resolucao", ""),
        max_chars=60,
        placeholder="083/2022",
    )
    c3, c4 = st.columns(2)
    publicacao = c3.text_input(
        report.CAMPOS["publicacao"],
        value=campos.get("publicacao", ""),
        max_chars=200,
        placeholder="o J.O.M. 5041, pág. 12",
        help="Com o artigo, como deve ser lido depois de “publicada”: “o J.O.M. 5041, pág. 12” "
        "vira “publicada no J.O.M. 5041, pág. 12”.",
    )
    data_publicacao = c4.date_input(
        report.CAMPOS["data_publicacao"],
        value=report.parse_date(campos.get("data_publicacao")),
        format="DD/MM/YYYY",
        min_value=report.MIN_DATE,
        max_value=report.MAX_DATE,
    )
    salvar = st.form_submit_button("Salvar os dados do relatório", icon=":material/save:")

if salvar:
    try:
        actor = acesso.exigir_actor()
    except SemPermissao as exc:
        st.error(str(exc), icon=":material/lock:")
    else:
        novos, erros = report.clean_fields(
            {
                "elaborado_por": elaborado_por,
                "comissoes": comissoes,
                "data_aprovacao": data_aprovacao,
                "resolucao": resolucao,
                "publicacao": publicacao,
                "data_publicacao": data_publicacao,
            }
        )
        if erros:
            for erro in erros:
                st.error(erro)
        else:
            gestao.salvar_campos_relatorio(ctx.store, ctx.plano_id, ano, novos, actor=actor)
            st.session_state.pop(K_RESULTADO, None)  # a report built before is now outdated
            campos = novos
            st.success(f"Dados do relatório de {ano} salvos.", icon=":material/check:")

# --- build and download -------------------------------------------------------------------------

st.subheader("Gerar o relatório")
graficos = st.toggle(
    "Incluir os gráficos",
    value=True,
    key="relatorio_graficos",
    help="Os gráficos são desenhados pelo navegador Chromium do servidor; sem "
    "ele, o relatório sai com todas as tabelas e sem os gráficos.",
)
# What the report was built of: a new import or saved fields make the download outdated. The
# same key in another session means the same document: the server's queue caches it.
chave = (
    ctx.store.url,
    ctx.plano_id,
    ano,
    tuple(sorted(v.id for v in ctx.versoes)),
    graficos,
    json.dumps(campos, sort_keys=True, ensure_ascii=False),
)
if st.button("Gerar relatório", type="primary", icon=":material/description:"):
    lugar = st.empty()
    barra = st.empty()

    def construir() -> report.ReportResult:
        lugar.empty()
        progresso = barra.progress(0.0, text="Preparando…")
        return report.build_report(
            ctx.store,
            ano,
            plano.municipio,
            charts=graficos,
            progress=lambda f, texto: progresso.progress(f, text=texto),
        )

    try:
        resultado = fila.relatorios().gerar(
            chave,
            construir,
            ao_esperar=lambda posicao: lugar.info(
                textos.FILA_RELATORIO["esperando"].format(posicao=posicao),
                icon=":material/hourglass_top:",
            ),
        )
    except consulta.SemDados as exc:
        lugar.empty()
        barra.empty()
        st.error(str(exc))
        st.stop()
    lugar.empty()
    barra.empty()
    st.session_state[K_RESULTADO] = {"chave": chave, "resultado": resultado}

feito = st.session_state.get(K_RESULTADO)
if not (feito and feito["chave"] == chave) and (pronto := fila.relatorios().em_cache(chave)):
    feito = {"chave": chave, "resultado": pronto}  # built for another reader of the same data
    st.session_state[K_RESULTADO] = feito
if feito and feito["chave"] == chave:
    r: report.ReportResult = feito["resultado"]
    st.success(
        f"Relatório de {r.ano} pronto: {fmt.tamanho(len(r.conteudo))}, "
        f"{fmt.numero(r.graficos)} {'gráfico' if r.graficos == 1 else 'gráficos'}.",
        icon=":material/task:",
    )
    for nota in r.notas:  # charts left out (and why), example data
        st.warning(nota)
    st.download_button(
        "Baixar o relatório (.docx)",
        data=r.conteudo,
        file_name=r.nome_arquivo,
        mime=DOCX,
        type="primary",
        icon=":material/download:",
        on_click="ignore",
        key="relatorio_baixar",
    )
