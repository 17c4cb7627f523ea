"""Relatório: the year's Relatório de Monitoramento (.docx, and PDF with LibreOffice), its approval
by the CMAS (state, timeline, steps), its fields and its Word template (pmas.ui.relatorio)."""

import streamlit as st

from pmas import fmt, textos
from pmas.analise import consulta
from pmas.saida import fila, report
from pmas.saida.relatorio import modelo, pdf
from pmas.ui import acesso, components, nav, page
from pmas.ui import relatorio as tela

T = textos.RELATORIO_TELA

ctx = page.start(nav.title("pages/relatorio.py"))
ano, plano = ctx.ano, ctx.plano
st.caption(components.plano_e_ano(plano, ano))
st.markdown(T["intro"].format(ano=ano))
acesso.painel()  # log in (or see why not) to save; reading stays open

# --- build and download -------------------------------------------------------------------------

st.subheader(T["gerar_titulo"])
graficos = st.toggle(
    T["incluir_graficos"], value=True, key="relatorio_graficos", help=T["ajuda_graficos"]
)
# What the report was built of: a new import, saved fields, an approval or a new template make
# the download outdated. The same key in another session is the same document: the server's
# queue builds one report at a time and caches it (pmas.saida.fila).
chave = fila.versao_dos_dados(
    ctx.store, ctx.plano_id, ano, tuple(sorted(v.id for v in ctx.versoes)), graficos
)
if st.button(T["gerar"], type="primary", icon=":material/description:"):
    lugar = st.empty()
    barra = st.empty()

    def construir() -> report.ReportResult:
        lugar.empty()
        progresso = barra.progress(0.0, text=T["preparando"])
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
        T["pronto"].format(
            ano=r.ano,
            tamanho=fmt.tamanho(len(r.conteudo)),
            graficos=textos.plural(r.graficos, T["grafico"], T["graficos"]),
        ),
        icon=":material/task:",
    )
    for nota in r.notas:  # charts left out (and why), example data, approved version replaced
        st.warning(nota)
    if r.faltando:
        st.warning(T["faltando"].format(campos="; ".join(r.faltando)))
    c1, c2 = st.columns(2)
    c1.download_button(
        T["baixar_docx"],
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
        if c2.button(T["gerar_pdf"], icon=":material/picture_as_pdf:"):
            with st.spinner(T["convertendo"]):
                try:
                    st.session_state["_pmas_relatorio_pdf"] = (chave, pdf.to_pdf(r.conteudo))
                except pdf.PdfIndisponivel as exc:
                    st.error(T["pdf_erro"].format(motivo=exc))
        feito_pdf = st.session_state.get("_pmas_relatorio_pdf")
        if feito_pdf and feito_pdf[0] == chave:
            c2.download_button(
                T["baixar_pdf"],
                data=feito_pdf[1],
                file_name=r.nome_arquivo.removesuffix(".docx") + ".pdf",
                mime="application/pdf",
                icon=":material/download:",
                on_click="ignore",
                key="relatorio_pdf_baixar",
            )
    else:
        c2.caption(T["sem_libreoffice"])

tela.fluxo(ctx, ano, graficos)
tela.campos(ctx, ano)
tela.modelo_docx(ctx)
