"""The Plano screen: the municipality's plans, and (managers only) creating one from scratch or
from a spreadsheet's eixos, editing names, short names, aliases and the period, and starting the
next cycle. Every write goes through pmas.acesso.gestao (checked, audit-logged)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from pmas import fmt, textos
from pmas.acesso import gestao
from pmas.acesso.actor import Actor
from pmas.dados.plano import UFS, Eixo, Plano, proximo_ciclo
from pmas.dados.store import PlanoRecusado, Store
from pmas.entrada.eixos import eixos_da_planilha
from pmas.saida.modelo import plan_xlsx_bytes
from pmas.text import safe_filename
from pmas.ui import envios, mapa, nav, sidebar
from pmas.ui.components import escape_md

T = textos.PLANO_TELA
K_FEITO = "_pmas_plano_feito"
K_PROPOSTA = "_pmas_plano_proposta"
K_REMOVER = "_pmas_remover_exemplo"  # the confirmation step of "Remover dados de exemplo"
# (name, bytes) of a file sent on Importar for a municipality without a plan: its eixos are
# proposed here, and the manager comes back to import it
K_ARQUIVO = "_pmas_arquivo_para_plano"
K_VOLTAR = "_pmas_plano_voltar_importar"


def eixos_em_texto(eixos: tuple[Eixo, ...]) -> str:
    """One eixo per line: "1 = Nome | nome curto | outro nome; outro"."""
    linhas = []
    for e in eixos:
        partes = [f"{e.numero} = {e.nome}"]
        if e.curto or e.aliases:
            partes.append(e.curto)
        if e.aliases:
            partes.append("; ".join(e.aliases))
        linhas.append(" | ".join(partes))
    return "\n".join(linhas)


def eixos_do_texto(texto: str) -> tuple[tuple[Eixo, ...], list[str]]:
    """The eixos typed one per line (see :func:`eixos_em_texto`), and what is wrong with them."""
    eixos, erros = [], []
    for n, linha in enumerate(texto.splitlines(), start=1):
        if not linha.strip():
            continue
        numero, sep, resto = linha.partition("=")
        partes = [p.strip() for p in resto.split("|")]
        if not sep or not numero.strip().isdigit() or not partes[0]:
            erros.append(T["linha_eixo_invalida"].format(linha=n, texto=linha.strip()))
            continue
        aliases = (
            tuple(a.strip() for a in partes[2].split(";") if a.strip()) if len(partes) > 2 else ()
        )
        eixos.append(Eixo(int(numero), partes[0], partes[1] if len(partes) > 1 else "", aliases))
    return tuple(eixos), erros


def tabela_planos(plans: list[tuple[int, Plano]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            T["col_municipio"]: [p.municipio for _, p in plans],
            T["col_uf"]: [p.uf or "—" for _, p in plans],
            T["col_ibge"]: [p.ibge or "—" for _, p in plans],
            T["col_plano"]: [p.nome for _, p in plans],
            T["col_periodo"]: [p.periodo for _, p in plans],
            T["col_eixos"]: [len(p.eixos) for _, p in plans],
            T["col_exemplo"]: ["sim" if p.exemplo else "" for _, p in plans],
        }
    )


def _gravar(acao) -> bool:
    """Run a write; show the refusal's reasons (nothing is stored) and return False on one."""
    try:
        st.session_state[K_FEITO] = acao()
    except PlanoRecusado as exc:
        st.error(T["recusado"] + "\n\n" + "\n".join(f"- {escape_md(m)}" for m in exc.mensagens))
        return False
    st.rerun()
    return True


def tela(store: Store, plano_atual: tuple[int, Plano] | None, gestor: Actor | None) -> None:
    feito = st.session_state.pop(K_FEITO, None)
    if feito:
        st.success(escape_md(feito), icon=":material/check_circle:")  # names typed by people
    if st.session_state.pop(K_VOLTAR, False):
        nav.link("pages/importar.py", T["voltar_importar"], ":material/upload_file:")
    plans = store.plans()
    if plans:
        st.dataframe(tabela_planos(plans), hide_index=True, key="tabela_planos")
    else:
        st.info(T["nenhum"])
    if plano_atual is not None:
        _, p = plano_atual
        st.markdown(
            T["eixos_de"].format(plano=escape_md(p.titulo), municipio=escape_md(p.municipio))
        )
        st.dataframe(
            pd.DataFrame(
                {
                    T["col_numero"]: [e.numero for e in p.eixos],
                    T["col_nome"]: [e.nome for e in p.eixos],
                    T["col_curto"]: [e.curto for e in p.eixos],
                    T["col_aliases"]: ["; ".join(e.aliases) for e in p.eixos],
                }
            ),
            hide_index=True,
            key="tabela_eixos",
        )
        pid = plano_atual[0]
        st.download_button(
            T["baixar_plano"],
            data=lambda: plan_xlsx_bytes(p, store.load("metas", pid)),
            file_name=safe_filename(f"plano_{p.municipio}_{p.nome}.xlsx".replace(" ", "_")),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
            key="baixar_plano",
            on_click="ignore",
            help=T["baixar_plano_ajuda"],
        )
        st.subheader(textos.MAPA["salvo_titulo"])
        st.caption(textos.MAPA["plano_intro"])
        if mapa.lista(store, p, gestor, chave="plano_mapa"):
            st.rerun()
    exemplo(store, gestor)
    if gestor is None:
        st.info(T["so_gestor"], icon=":material/lock:")
        return
    abas = [T["aba_criar"]] + ([T["aba_editar"], T["aba_proximo"]] if plano_atual else [])
    tabs = st.tabs(abas)
    with tabs[0]:
        criar(store, gestor)
    if plano_atual is not None:
        with tabs[1]:
            editar(store, plano_atual, gestor)
        with tabs[2]:
            proximo(store, plano_atual, gestor)


def exemplo(store: Store, gestor: Actor | None) -> None:
    """The example data's plans, and (managers only) removing them, after a confirmation."""
    planos = store.example_plans()
    if not planos:
        st.session_state.pop(K_REMOVER, None)
        return
    nomes = "; ".join(f"{p.municipio} · {p.nome}" for _, p in planos)
    st.subheader(T["exemplo_titulo"])
    st.caption(T["exemplo_intro"].format(planos=escape_md(nomes)))
    if gestor is None:
        return
    if not st.session_state.get(K_REMOVER):
        if st.button(T["exemplo_remover"], icon=":material/delete:", key="exemplo_remover"):
            st.session_state[K_REMOVER] = True
            st.rerun()
        return
    st.warning(T["exemplo_confirmar_texto"].format(planos=escape_md(nomes)))
    c1, c2, _ = st.columns([2, 1, 2])
    if c2.button(T["exemplo_cancelar"], key="exemplo_cancelar"):
        st.session_state.pop(K_REMOVER, None)
        st.rerun()
    if c1.button(T["exemplo_confirmar"], type="primary", key="exemplo_confirmar"):
        feito = gestao.remover_exemplo(store, actor=gestor)
        st.session_state.pop(K_REMOVER, None)
        st.session_state[K_FEITO] = textos.PLANO["exemplo_removido"].format(
            planos=nomes, **{k: fmt.numero(v) for k, v in feito.items() if k != "planos"}
        )
        st.cache_data.clear()  # the screens' cached loads of the removed plans
        st.rerun()


def criar(store: Store, gestor: Actor) -> None:
    st.markdown(T["criar_intro"])
    envios.permitir()  # only managers reach this form: their upload is kept
    arquivo = st.file_uploader(T["arquivo_eixos"], type=["xlsx", "csv"], key="plano_arquivo")
    origem = None
    if arquivo is not None:
        origem = (arquivo.name, arquivo.getvalue())
    elif st.session_state.get(K_ARQUIVO):
        origem = st.session_state[K_ARQUIVO]  # sent on Importar: the same file's eixos
        st.caption(T["arquivo_da_importacao"].format(arquivo=escape_md(origem[0])))
    if origem is not None:
        nome_arquivo, conteudo = origem
        chave = (nome_arquivo, len(conteudo))
        if st.session_state.get(K_PROPOSTA, (None,))[0] != chave:
            eixos, problema = eixos_da_planilha(conteudo, nome_arquivo)
            if problema:
                st.error(problema)
            else:
                st.session_state[K_PROPOSTA] = (chave, eixos)
                st.session_state["plano_novo_eixos"] = eixos_em_texto(eixos)
        proposta = st.session_state.get(K_PROPOSTA)
        if proposta and proposta[0] == chave:
            st.info(T["proposta"].format(n=len(proposta[1]), arquivo=escape_md(nome_arquivo)))
    c1, c2, c3 = st.columns([3, 1, 2])
    municipio = c1.text_input(T["municipio"], key="plano_novo_municipio")
    uf = c2.selectbox(T["uf"], sorted(UFS), index=None, key="plano_novo_uf", placeholder="—")
    ibge = c3.text_input(T["ibge"], key="plano_novo_ibge", max_chars=7)
    c1, c2, c3 = st.columns([3, 1, 1])
    nome = c1.text_input(T["nome"], key="plano_novo_nome", placeholder="PMAS 2026-2029")
    inicio = c2.number_input(T["inicio"], 1900, 2200, value=2026, step=1, key="plano_novo_inicio")
    fim = c3.number_input(T["fim"], 1900, 2200, value=2029, step=1, key="plano_novo_fim")
    texto = st.text_area(T["eixos"], key="plano_novo_eixos", height=180, help=T["eixos_ajuda"])
    if st.button(T["criar"], type="primary", key="plano_criar"):
        eixos, erros = eixos_do_texto(texto)
        if erros:
            st.error("\n".join(f"- {escape_md(e)}" for e in erros))
            return
        plano = Plano(
            municipio=municipio.strip(),
            uf=uf or "",
            ibge=ibge.strip(),
            nome=nome.strip(),
            ano_inicio=int(inicio),
            ano_fim=int(fim),
            eixos=eixos,
        )

        def acao() -> str:
            gestao.criar_plano(store, plano, actor=gestor)
            sidebar.choose_plan(plano.municipio, plano.nome)
            texto = textos.PLANO["criado"].format(
                nome=plano.nome, municipio=plano.municipio, periodo=plano.periodo, n=len(eixos)
            )
            if st.session_state.pop(K_ARQUIVO, None):
                st.session_state[K_VOLTAR] = True  # the file sent on Importar can go in now
            return texto

        _gravar(acao)


def editar(store: Store, plano_atual: tuple[int, Plano], gestor: Actor) -> None:
    pid, p = plano_atual
    st.markdown(T["editar_intro"].format(plano=escape_md(p.titulo)))
    c1, c2, c3 = st.columns([3, 1, 1])
    nome = c1.text_input(T["nome"], value=p.nome, key=f"plano_ed_nome_{pid}")
    inicio = c2.number_input(T["inicio"], 1900, 2200, value=p.ano_inicio, key=f"plano_ed_ini_{pid}")
    fim = c3.number_input(T["fim"], 1900, 2200, value=p.ano_fim, key=f"plano_ed_fim_{pid}")
    texto = st.text_area(
        T["eixos"], value=eixos_em_texto(p.eixos), key=f"plano_ed_eixos_{pid}", height=180,
        help=T["eixos_ajuda"],
    )  # fmt: skip
    if st.button(T["salvar"], type="primary", key=f"plano_salvar_{pid}"):
        eixos, erros = eixos_do_texto(texto)
        if erros:
            st.error("\n".join(f"- {escape_md(e)}" for e in erros))
            return
        novo = replace(p, nome=nome.strip(), ano_inicio=int(inicio), ano_fim=int(fim), eixos=eixos)

        def acao() -> str:
            mudou = gestao.alterar_plano(store, pid, novo, actor=gestor)
            if not mudou:
                return textos.PLANO["sem_mudanca"]
            return T["alterado"] + " " + "; ".join(mudou)

        _gravar(acao)


def proximo(store: Store, plano_atual: tuple[int, Plano], gestor: Actor) -> None:
    pid, p = plano_atual
    duracao = p.ano_fim - p.ano_inicio
    c1, c2, c3 = st.columns([3, 1, 1])
    inicio = c2.number_input(
        T["inicio"], 1900, 2200, value=p.ano_fim + 1, key=f"plano_px_ini_{pid}"
    )
    fim = c3.number_input(
        T["fim"], 1900, 2200, value=p.ano_fim + 1 + duracao, key=f"plano_px_fim_{pid}"
    )
    sugestao = proximo_ciclo(p, int(inicio), int(fim)).nome
    nome = c1.text_input(T["nome"], value=sugestao, key=f"plano_px_nome_{pid}_{inicio}_{fim}")
    st.caption(T["proximo_intro"].format(plano=escape_md(p.titulo), n=len(p.eixos)))
    if st.button(T["proximo"], type="primary", key=f"plano_proximo_{pid}"):

        def acao() -> str:
            _, novo = gestao.proximo_ciclo(
                store, pid, int(inicio), int(fim), nome.strip() or None, actor=gestor
            )
            return textos.PLANO["criado"].format(
                nome=novo.nome, municipio=novo.municipio, periodo=novo.periodo, n=len(novo.eixos)
            )

        _gravar(acao)
