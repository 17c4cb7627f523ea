"""Relatório: the year's Relatório de Monitoramento (.docx, and PDF with LibreOffice), its approval
by the CMAS (state, timeline, steps), its fields and its Word template (pmas.ui.relatorio)."""

import streamlit as st

from pmas import fmt
from pmas.analise import consulta
from pmas.saida import report
from pmas.saida.relatorio import modelo, pdf
from pmas.ui import acesso, components, page
from pmas.ui import relatorio as tela

ctx = page.start("Relatório")
ano, plano = ctx.filtros.ano, ctx.plano
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
# What the report was built of: a new import or saved fields make the download outdated.
chave = (ctx.plano_id, ano, tuple(sorted(v.id for v in ctx.versoes)), graficos)
if st.button("Gerar relatório", type="primary", icon=":material/description:"):
    barra = st.progress(0.0, text="Preparando…")
    try:
        resultado = report.build_report(
            ctx.store,
            ano,
            plano.municipio,
            charts=graficos,
            progress=lambda f, texto: barra.progress(f, text=texto),
        )
    except (consulta.SemDados, modelo.ModeloInvalido) as exc:
        barra.empty()
        st.error(str(exc))
        st.stop()
    barra.empty()
    st.session_state[tela.K_RESULTADO] = {"chave": chave, "resultado": resultado}

feito = st.session_state.get(tela.K_RESULTADO)
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
