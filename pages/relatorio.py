"""Relatório: the year's Relatório de Monitoramento (.docx, and PDF with LibreOffice), its approval
by the CMAS (state, timeline, steps), its fields and its Word template (pmas.ui.relatorio)."""

import streamlit as st

from pmas import fmt, textos
from pmas.analise import consulta
from pmas.saida import fila, report
from pmas.saida.relatorio import modelo, pdf
from pmas.ui import acesso, components, page
from pmas.ui import relatorio as tela

ctx = page.start("Relatório")
ano, plano = ctx.ano, ctx.plano
st.caption(components.plano_e_ano(plano, ano))
st.markdown(
    f"O relatório é um documento do Word (.docx), editável, com o plano e a sua "
    f"avaliação, o processo participativo, o orçamento, os indicadores e as metas de cada eixo, "
    f"a comparação com o ano anterior e o anexo das metas não cumpridas em {ano}. Ele "
    f"considera todas as metas do ano: os demais filtros da barra lateral não se "
    f"aplicam. O ano se escolhe na barra lateral."
)
acesso.painel()  # log in (or see why not) to save; reading stays open

# --- build and download -------------------------------------------------------------------------

st.subheader("Gerar o relatório")
graficos = st.toggle(
    "Incluir os gráficos",
    value=True,
    key="relatorio_graficos",
    help="Os gráficos são desenhados pelo navegador Chromium do servidor; sem "
    "ele, o relatório sai com todas as tabelas e sem os gráficos.",
)
# What the report was built of: a new import, saved fields, an approval or a new template make
# the download outdated. The same key in another session is the same document: the server's
# queue builds one report at a time and caches it (pmas.saida.fila).
chave = fila.versao_dos_dados(
    ctx.store, ctx.plano_id, ano, tuple(sorted(v.id for v in ctx.versoes)), graficos
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
            nome=plano.nome,
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
    except (consulta.SemDados, modelo.ModeloInvalido) as exc:
        lugar.empty()
        barra.empty()
        st.error(str(exc))
        st.stop()
    lugar.empty()
    barra.empty()
    st.session_state[tela.K_RESULTADO] = {"chave": chave, "resultado": resultado}

feito = st.session_state.get(tela.K_RESULTADO)
if not (feito and feito["chave"] == chave) and (pronto := fila.relatorios().em_cache(chave)):
    feito = {"chave": chave, "resultado": pronto}  # built for another reader of the same data
    st.session_state[tela.K_RESULTADO] = feito
if feito and feito["chave"] == chave:
    r: report.ReportResult = feito["resultado"]
    st.success(
        f"Relatório de {r.ano} pronto: {fmt.tamanho(len(r.conteudo))}, "
        f"{fmt.numero(r.graficos)} {'gráfico' if r.graficos == 1 else 'gráficos'}.",
        icon=":material/task:",
    )
    for nota in r.notas:  # charts left out (and why), example data, approved version replaced
        st.warning(nota)
    if r.faltando:
        st.warning(
            "Campos obrigatórios em branco (saem como ________): " + "; ".join(r.faltando) + "."
        )
    c1, c2 = st.columns(2)
    c1.download_button(
        "Baixar o relatório (.docx)",
        data=r.conteudo,
        file_name=r.nome_arquivo,
        mime=tela.DOCX,
        type="primary",
        icon=":material/download:",
        on_click="ignore",
        key="relatorio_baixar",
    )
    if pdf.available():
        if not pdf.sumario_atualizado():
            c2.caption(textos.RELATORIO_DOC["pdf_sumario_sem_paginas"])
        if c2.button("Gerar o PDF (PDF/A)", icon=":material/picture_as_pdf:"):
            with st.spinner("Convertendo com o LibreOffice…"):
                try:
                    st.session_state["_pmas_relatorio_pdf"] = (chave, pdf.to_pdf(r.conteudo))
                except pdf.PdfIndisponivel as exc:
                    st.error(f"PDF não gerado: {exc}.")
        feito_pdf = st.session_state.get("_pmas_relatorio_pdf")
        if feito_pdf and feito_pdf[0] == chave:
            c2.download_button(
                "Baixar o PDF",
                data=feito_pdf[1],
                file_name=r.nome_arquivo.removesuffix(".docx") + ".pdf",
                mime="application/pdf",
                icon=":material/download:",
                on_click="ignore",
                key="relatorio_pdf_baixar",
            )
    else:
        c2.caption("PDF: o LibreOffice não está instalado neste servidor.")

tela.fluxo(ctx, ano, graficos)
tela.campos(ctx, ano)
tela.modelo_docx(ctx)
