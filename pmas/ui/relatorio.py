"""The Relatório screen's parts: the approval workflow (state, timeline, checks, the next steps),
the report's fields (authorship, approval, publication, conference edition, comissão de
acompanhamento, analysis per eixo, considerações finais) and the Word template.

Every write goes through :mod:`pmas.acesso.gestao` with the session's actor (a reader gets the
reason in Portuguese, nothing is stored)."""

from __future__ import annotations

import streamlit as st

from pmas import fmt, textos
from pmas.acesso import gestao
from pmas.acesso.actor import SemPermissao
from pmas.analise import consulta
from pmas.dados import aprovacao
from pmas.saida import report
from pmas.saida.relatorio import campos as cm
from pmas.saida.relatorio import modelo
from pmas.ui import acesso, envios
from pmas.ui.components import escape_md

R = textos.RELATORIO
RC = textos.RELATORIO_CAMPOS_TELA

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
K_RESULTADO = "_pmas_relatorio"  # the last report built in this session, with what it was built of
ICONES = {
    "rascunho": ":material/edit_note:",
    "enviado": ":material/send:",
    "em_analise": ":material/groups:",
    "aprovado": ":material/verified:",
    "devolvido": ":material/undo:",
    "publicado": ":material/public:",
}


def _actor():
    try:
        return acesso.exigir_actor()
    except SemPermissao as exc:
        st.error(str(exc), icon=":material/lock:")
        return None


# --- the approval workflow ---------------------------------------------------------------------


def fluxo(ctx, ano: int, graficos: bool) -> None:
    """State, timeline, warnings and the forms of the steps that may be taken now."""
    s = aprovacao.situacao(ctx.store, ctx.plano_id, ano)
    st.subheader(R["fluxo_titulo"].format(ano=ano))
    st.markdown(R["situacao"].format(icone=ICONES[s.estado], estado=s.rotulo))
    if s.etapas:
        linhas = []
        for e in s.etapas:
            extra = "; ".join(
                f"{textos.APROVACAO_DADOS.get(k, k)}: {escape_md(v)}" for k, v in e.dados.items()
            )
            linhas.append(
                f"- {fmt.data_hora(e.quando)} · **{textos.APROVACAO_ESTADOS[e.estado]}** · "
                f"{escape_md(e.usuario)}" + (f" · {extra}" if extra else "")
            )
        st.markdown("\n".join(linhas))
    else:
        st.caption(R["nao_enviado"])
    if s.congelado is not None:
        st.caption(
            RC["congelada"].format(versao=s.congelado.numeros, sha=s.congelado.dados_sha256[:12])
            + (
                RC["congelada_documento"].format(sha=s.congelado.documento_sha256[:12])
                if s.congelado.documento_sha256
                else ""
            )
        )
        doc = aprovacao.documento_aprovado(ctx.store, ctx.plano_id, ano)
        if doc is not None:
            st.download_button(
                R["baixar_aprovado"],
                data=doc[0],
                file_name=f"relatorio_aprovado_{ano}.docx",
                mime=DOCX,
                icon=":material/download:",
                on_click="ignore",
                key="relatorio_aprovado_baixar",
            )
    for aviso in aprovacao.verificacoes(ctx.store.report_fields(ctx.plano_id, ano)):
        st.warning(escape_md(aviso), icon=":material/rule:")
    substituida = aprovacao.substituicao(ctx.store, ctx.plano_id, ano)
    if substituida:
        st.warning(substituida, icon=":material/history:")

    acoes = aprovacao.acoes_possiveis(s.estado)
    if not acoes:
        return
    abas = st.tabs([textos.APROVACAO_ACOES[a] for a in acoes])
    for aba, acao in zip(abas, acoes):
        with aba, st.form(f"fluxo_{acao}_{ctx.plano_id}_{ano}"):
            dados = _campos_da_etapa(acao, ano)
            if st.form_submit_button(textos.APROVACAO_ACOES[acao], type="primary"):
                _mover(ctx, ano, acao, dados, graficos)


def _campos_da_etapa(acao: str, ano: int) -> dict:
    rot = textos.APROVACAO_DADOS
    if acao == "enviar":
        st.caption(R["enviar_explica"])
        return {}
    if acao == "analisar":
        return {"comissoes": st.text_input(rot["comissoes"], key=f"etapa_comissoes_{ano}")}
    if acao == "aprovar":
        c1, c2, c3 = st.columns(3)
        st.caption(RC["aprovacao_guarda"])
        return {
            "resolucao": c1.text_input(
                rot["resolucao"], placeholder="012/2024", key=f"et_res_{ano}"
            ),
            "data": c2.date_input(
                R["data_aprovacao"],
                value=None,
                format="DD/MM/YYYY",
                min_value=cm.MIN_DATE,
                max_value=cm.MAX_DATE,
                key=f"et_data_{ano}",
            ),
            "reuniao": c3.date_input(
                rot["reuniao"],
                value=None,
                format="DD/MM/YYYY",
                min_value=cm.MIN_DATE,
                max_value=cm.MAX_DATE,
                key=f"et_reuniao_{ano}",
            ),
        }
    if acao == "devolver":
        return {"motivo": st.text_area(rot["motivo"], key=f"et_motivo_{ano}")}
    c1, c2, c3 = st.columns(3)
    dados: dict[str, object] = {
        "veiculo": c1.text_input(
            rot["veiculo"], placeholder=RC["veiculo_exemplo"], key=f"et_veic_{ano}"
        ),
        "edicao": c2.text_input(rot["edicao"], key=f"et_ed_{ano}"),
        "pagina": c3.text_input(rot["pagina"], key=f"et_pag_{ano}"),
    }
    c4, c5 = st.columns([1, 2])
    dados["data"] = c4.date_input(
        R["data_publicacao"],
        value=None,
        format="DD/MM/YYYY",
        min_value=cm.MIN_DATE,
        max_value=cm.MAX_DATE,
        key=f"et_pub_{ano}",
    )
    dados["link"] = c5.text_input(rot["link"], placeholder="https://", key=f"et_link_{ano}")
    return dados


def _mover(ctx, ano: int, acao: str, dados: dict, graficos: bool) -> None:
    actor = _actor()
    if actor is None:
        return
    documento = None
    try:
        aprovacao.limpar_dados(acao, dados)
        if acao == "aprovar":
            aprovacao.proximo(aprovacao.situacao(ctx.store, ctx.plano_id, ano).estado, acao)
            with st.spinner(R["gerando_aprovado"]):
                documento = report.build_report(
                    ctx.store, ano, ctx.plano.municipio, charts=graficos, nome=ctx.plano.nome
                ).conteudo
        s = gestao.mover_relatorio(
            ctx.store, ctx.plano_id, ano, acao, actor=actor, dados=dados, documento=documento
        )
    except aprovacao.TransicaoInvalida as exc:
        st.error(escape_md(exc))
        return
    except (consulta.SemDados, modelo.ModeloInvalido) as exc:
        st.error(escape_md(exc))
        return
    st.session_state.pop(K_RESULTADO, None)
    st.success(R["movido"].format(ano=ano, estado=s.rotulo), icon=":material/check:")
    st.rerun()


# --- the report's fields ---------------------------------------------------------------------


def campos(ctx, ano: int) -> None:
    """The fields form (kept per year; the commissions remembered from the previous year)."""
    valores, herdados = cm.for_year(ctx.store, ctx.plano_id, ano)
    st.subheader(R["campos_titulo"].format(ano=ano))
    st.caption(RC["campos_legenda"])
    faltam = cm.faltando(valores)
    if faltam:
        st.warning(R["faltam"].format(campos="; ".join(faltam)))
    if "comissoes" in herdados:
        st.info(
            R["herdadas"].format(ano=herdados["comissoes"]),
            icon=":material/history:",
        )
    sufixo = f"{ctx.plano_id}_{ano}"
    edicoes = [str(e["ano"]) for e in _edicoes(ctx)]
    with st.form(f"relatorio_campos_{sufixo}"):
        c1, c2 = st.columns(2)
        prefeito = c1.text_input(cm.CAMPOS["prefeito"], value=valores.get("prefeito", ""))
        secretario = c2.text_input(cm.CAMPOS["secretario"], value=valores.get("secretario", ""))
        elaborado_por = st.text_input(
            cm.CAMPOS["elaborado_por"],
            value=valores.get("elaborado_por", ""),
            max_chars=300,
            placeholder=RC["elaborado_exemplo"],
            help=RC["elaborado_ajuda"],
        )
        equipe = st.text_area(
            cm.CAMPOS["equipe"] + R["uma_pessoa_por_linha"],
            value="\n".join(valores.get("equipe", [])),
            height=100,
        )
        comissoes = st.text_area(
            cm.CAMPOS["comissoes"] + R["uma_por_linha"],
            value="\n".join(valores.get("comissoes", [])),
            height=120,
            placeholder=RC["comissoes_exemplo"],
        )
        c1, c2, c3 = st.columns(3)
        data_reuniao = c1.date_input(
            cm.CAMPOS["data_reuniao"],
            value=cm.parse_date(valores.get("data_reuniao")),
            format="DD/MM/YYYY",
            min_value=cm.MIN_DATE,
            max_value=cm.MAX_DATE,
        )
        data_aprovacao = c2.date_input(
            cm.CAMPOS["data_aprovacao"],
            value=cm.parse_date(valores.get("data_aprovacao")),
            format="DD/MM/YYYY",
            min_value=cm.MIN_DATE,
            max_value=cm.MAX_DATE,
        )
        resolucao = c3.text_input(
            cm.CAMPOS["resolucao"],
            value=valores.get("resolucao", ""),
            max_chars=60,
            placeholder="083/2023",
        )
        c1, c2, c3 = st.columns(3)
        veiculo = c1.text_input(
            cm.CAMPOS["veiculo"],
            value=valores.get("veiculo", ""),
            placeholder=RC["veiculo_exemplo"],
            help=RC["veiculo_ajuda"],
        )
        edicao = c2.text_input(cm.CAMPOS["edicao"], value=valores.get("edicao", ""))
        pagina = c3.text_input(cm.CAMPOS["pagina"], value=valores.get("pagina", ""))
        c1, c2 = st.columns([1, 2])
        data_publicacao = c1.date_input(
            cm.CAMPOS["data_publicacao"],
            value=cm.parse_date(valores.get("data_publicacao")),
            format="DD/MM/YYYY",
            min_value=cm.MIN_DATE,
            max_value=cm.MAX_DATE,
        )
        link = c2.text_input(
            cm.CAMPOS["link"], value=valores.get("link", ""), placeholder="https://"
        )
        opcoes = ["", cm.CONFERENCIA_NENHUMA, *edicoes]
        atual = valores.get("conferencia", "")
        conferencia = st.selectbox(
            cm.CAMPOS["conferencia"],
            opcoes,
            index=opcoes.index(atual) if atual in opcoes else 0,
            format_func=lambda v: (
                RC["conferencia_automatica"]
                if v == ""
                else (
                    RC["conferencia_nenhuma"]
                    if v == cm.CONFERENCIA_NENHUMA
                    else RC["conferencia_edicao"].format(edicao=v)
                )
            ),
        )
        acomp_opcoes = ["", "sim", "nao"]
        acompanhamento = st.radio(
            cm.CAMPOS["acompanhamento"],
            acomp_opcoes,
            index=acomp_opcoes.index(valores.get("acompanhamento", "")),
            format_func=lambda v: {"": RC["nao_informado"], **cm.ACOMPANHAMENTO}[v],
            horizontal=True,
        )
        acompanhamento_texto = st.text_input(
            cm.CAMPOS["acompanhamento_texto"], value=valores.get("acompanhamento_texto", "")
        )
        analise = {}
        with st.expander(cm.CAMPOS["analise"]):
            for eixo in ctx.plano.eixos:
                st.markdown(f"**Eixo {eixo.numero} – {escape_md(eixo.nome)}**")
                atual_e = valores.get("analise", {}).get(str(eixo.numero), {})
                analise[str(eixo.numero)] = {
                    parte: st.text_area(
                        f"{rotulo} (Eixo {eixo.numero})",
                        value=atual_e.get(parte, ""),
                        height=80,
                        key=f"analise_{sufixo}_{eixo.numero}_{parte}",
                    )
                    for parte, rotulo in cm.ANALISE_PARTES.items()
                }
        consideracoes = st.text_area(
            cm.CAMPOS["consideracoes"] + R["paragrafos"],
            value=valores.get("consideracoes", ""),
            height=160,
        )
        salvar = st.form_submit_button(R["salvar"], icon=":material/save:")
    if not salvar:
        return
    actor = _actor()
    if actor is None:
        return
    digitados = {
        "elaborado_por": elaborado_por,
        "equipe": equipe,
        "prefeito": prefeito,
        "secretario": secretario,
        "comissoes": comissoes,
        "data_reuniao": data_reuniao,
        "data_aprovacao": data_aprovacao,
        "resolucao": resolucao,
        "veiculo": veiculo,
        "edicao": edicao,
        "pagina": pagina,
        "data_publicacao": data_publicacao,
        "link": link,
        "conferencia": conferencia,
        "acompanhamento": acompanhamento,
        "acompanhamento_texto": acompanhamento_texto,
        "analise": analise,
        "consideracoes": consideracoes,
    }
    novos, erros = cm.clean_fields(digitados)
    if erros:
        for erro in erros:
            st.error(escape_md(erro))
        return
    antigos = ctx.store.report_fields(ctx.plano_id, ano)
    if "publicacao" in antigos and "veiculo" not in novos:
        novos["publicacao"] = antigos["publicacao"]  # the older single field, kept
    gestao.salvar_campos_relatorio(ctx.store, ctx.plano_id, ano, novos, actor=actor)
    st.session_state.pop(K_RESULTADO, None)  # a report built before is now outdated
    st.success(R["salvos"].format(ano=ano), icon=":material/check:")
    limpos = cm.fields_with_controls(digitados)
    if limpos:
        st.info(R["controles_removidos"].format(campos=escape_md(", ".join(limpos))))
    for aviso in aprovacao.verificacoes(novos):
        st.warning(escape_md(aviso), icon=":material/rule:")


def _edicoes(ctx) -> list[dict]:
    from pmas.analise import metrics

    return metrics.conference_summary(ctx.conferencias)


# --- the Word template ----------------------------------------------------------------------


def modelo_docx(ctx) -> None:
    """The plan's two Word templates (the report's and the Devolutiva's): download the one in
    use, upload an edited one (a manager), go back to the default."""
    st.subheader(R["modelo_titulo"])
    st.caption(R["modelo_explica"])
    for tipo in (modelo.RELATORIO, modelo.DEVOLUTIVA):
        _modelo(ctx, tipo)


def _modelo(ctx, tipo: str) -> None:
    t = {k.removeprefix(tipo + "_"): v for k, v in R.items() if k.startswith(tipo + "_modelo")}
    guardado = modelo.stored(ctx.store, ctx.plano_id, tipo)
    if aviso := st.session_state.pop(f"_pmas_{tipo}_modelo_aviso", None):
        st.success(aviso)
    st.markdown(t["modelo_em_uso"].format(nome=escape_md(guardado[0]) if guardado else R["padrao"]))
    c1, c2 = st.columns(2)
    c1.download_button(
        t["modelo_baixar"],
        data=guardado[1] if guardado else modelo.default_for(tipo),
        file_name=f"modelo_{tipo}.docx",
        mime=DOCX,
        icon=":material/download:",
        on_click="ignore",
        key=f"{tipo}_modelo_baixar",
    )
    if acesso.actor_atual() is None:
        c2.caption(R["modelo_so_gestor"])
        return
    if guardado and c2.button(
        R["modelo_padrao"], icon=":material/restart_alt:", key=f"{tipo}_modelo_padrao"
    ):
        actor = _actor()
        if actor is not None:
            gestao.salvar_modelo_relatorio(
                ctx.store, ctx.plano_id, "", b"", actor=actor, amostra={}, tipo=tipo
            )
            st.session_state[f"_pmas_{tipo}_modelo_aviso"] = R["padrao_voltou"]
            st.rerun()
    envios.permitir()  # a manager's upload is kept (a reader's is dropped on arrival)
    enviado = st.file_uploader(t["modelo_enviar"], type=["docx"], key=f"{tipo}_modelo_enviar")
    if enviado is not None and st.button(
        R["usar_modelo"], icon=":material/upload:", key=f"{tipo}_modelo_usar"
    ):
        actor = _actor()
        if actor is None:
            return
        try:
            gestao.salvar_modelo_relatorio(
                ctx.store,
                ctx.plano_id,
                enviado.name,
                enviado.getvalue(),
                actor=actor,
                amostra={"municipio": ctx.plano.municipio},
                tipo=tipo,
            )
        except modelo.ModeloInvalido as exc:
            st.error(R["modelo_recusado"].format(erro=escape_md(exc)))
            return
        aviso = R["modelo_guardado"].format(nome=escape_md(enviado.name))
        st.session_state[f"_pmas_{tipo}_modelo_aviso"] = aviso
        st.rerun()
