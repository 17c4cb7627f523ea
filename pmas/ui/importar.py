"""The Importar screen's parts: send a file (checks, report, preview, confirm), the versions
(download the original, undo), the audit log and the blank template.

Writing goes through :mod:`pmas.acesso.gestao`, which checks the manager itself; this module only hides
the buttons from readers. Text that came from the file (sheet and column names, cell values,
file names) is shown through ``st.dataframe`` or escaped, never as HTML or live Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy.exc import OperationalError

from pmas import fmt, relogio, textos
from pmas.acesso import gestao
from pmas.acesso.actor import Actor, SemPermissao
from pmas.dados import aprovacao
from pmas.dados.plano import Plano, diferencas
from pmas.dados.store import NothingToUndo, PlanoRecusado, Store, Version
from pmas.entrada import findings, isolado
from pmas.entrada import mapa as mapa_mod
from pmas.entrada.findings import ERRO
from pmas.entrada.mapa import IGNORAR, Mapa
from pmas.entrada.reader import DEFAULT_LIMITS
from pmas.entrada.reader import tamanho as reader_size
from pmas.registro import logger, registrar_erro
from pmas.saida import export
from pmas.saida.modelo import template_xlsx_bytes
from pmas.text import safe_filename
from pmas.ui import acesso, components, envios, nav, sidebar
from pmas.ui import mapa as mapa_ui
from pmas.ui.components import escape_md
from pmas.ui.plano import K_ARQUIVO as K_PARA_PLANO
from pmas.ui.state import Contexto

T = textos.IMPORTAR
IR = textos.IMPORTAR_ROTULOS
_log = logger(__name__)
MAX_MB = DEFAULT_LIMITS.max_bytes // (1024 * 1024)
PREVIEW_ROWS = 1000  # rows of a sheet shown in "the file as it was understood"
TABLE_MAX_FINDINGS = 30  # up to this many findings: a static table whose texts wrap

K_UPLOAD = "_pmas_upload_n"  # bumped after an import, so the uploader starts empty
K_CONF = "_pmas_conferencia"  # (key of the upload, Conferencia, steps shown)
K_FEITO = "_pmas_importacao_feita"  # what the last import stored, shown once after the rerun
K_DESFEITO = "_pmas_desfeito"
K_MUDOU = "_pmas_previa_refeita"
K_MAPA = "_pmas_mapa_ensinado"  # {"colunas": {heading: target}, "situacoes": {value: target}}
K_DECISAO = "importar_plano_decisao"  # keep the stored plan or update it with the file's
MANTER, ATUALIZAR = "manter", "atualizar"

ABAS = (T["aba_enviar"], T["aba_versoes"], T["aba_registro"], T["aba_modelo"])
_ERRO_BG = "background-color: #FDE2E1"
_AVISO_BG = "background-color: #FFF4CE"


def plano_destino(store: Store, ctx: Contexto | None) -> Plano | None:
    """The plan chosen in the sidebar (None: there is no plan yet; a file then brings its own
    in a Plano sheet, or the manager creates it on the Plano screen first). Never a guessed
    plan: a municipality's eixos are its own."""
    return ctx.plano if ctx is not None else None


# --- send a file -------------------------------------------------------------------------------


def envio(store: Store, plano: Plano | None, gestor: Actor | None) -> None:
    """The upload, its report and preview, and the confirm button (managers only)."""
    _last_import()
    if gestor is None:
        envios.revogar()  # nothing this session sent is kept, nor will be
        st.info(T["so_gestor"], icon=":material/lock:")
        return
    exemplo = plano is not None and plano.exemplo
    if exemplo:
        # Real data never goes into the example data's plan (the store refuses): a file brings
        # its own plan in a Plano sheet, or the manager creates it first (as with no plan).
        st.warning(textos.PLANO["exemplo_mistura"], icon=":material/science:")
        plano = None
    envios.permitir()
    envios.esquecer_sessoes_encerradas()
    isolado.aquecer()  # the analysis worker imports its libraries while the file is chosen
    if plano is not None:
        st.markdown(
            T["intro"].format(municipio=escape_md(plano.municipio), plano=escape_md(plano.nome))
        )
    else:
        st.markdown(T["intro_exemplo" if exemplo else "intro_sem_plano"])
        nav.link("pages/plano.py", T["ir_para_plano"], ":material/account_tree:")
    n = st.session_state.get(K_UPLOAD, 0)
    c1, c2 = st.columns([3, 1])
    rotulo = T["arquivo_rotulo"].format(limite=reader_size(DEFAULT_LIMITS.max_bytes))
    arquivo = c1.file_uploader(
        rotulo,
        type=["xlsx", "csv"],
        max_upload_size=MAX_MB,
        key=f"upload_{n}",
        help=T["arquivo_ajuda"],
    )
    ano = c2.number_input(
        T["ano_rotulo"],
        min_value=1990,
        max_value=2100,
        value=None,
        step=1,
        placeholder=T["ano_placeholder"],
        help=T["ano_ajuda"],
        key=f"ano_{n}",
    )
    # Only the file on screen stays in the server's memory (a replaced one is freed now).
    envios.liberar(manter=arquivo.file_id if arquivo is not None else None)
    if plano is not None:
        mapa_salvo(store, plano)
    if arquivo is None:
        st.session_state.pop(K_CONF, None)
        return
    data = arquivo.getvalue()
    ano = int(ano) if ano is not None else None
    taught = st.session_state.setdefault(K_MAPA, {"colunas": {}, "situacoes": {}})
    taught.setdefault("reducao", {})
    salvo = saved_mapa(store, plano) if plano is not None else Mapa()
    mapa = salvo.with_(taught["colunas"], taught["situacoes"], taught["reducao"])
    atualizar = st.session_state.get(K_DECISAO) == ATUALIZAR
    alvo = (plano.municipio, plano.nome) if plano is not None else None
    conf = handle_upload(
        store,
        plano,
        arquivo.name,
        data,
        ano,
        key=(arquivo.file_id, len(data), ano, alvo, mapa.to_json(), atualizar),
        mapa=mapa or None,
        atualizar_plano=atualizar,
    )
    plano_do_arquivo(conf, arquivo.name, data)
    report(conf)
    ensinar(conf, taught)
    if conf.analysis.ok and conf.previas:
        previa(conf)
    if conf.pode_importar and conf.plano is not None:
        _confirm(
            store,
            conf.plano,
            arquivo.name,
            data,
            ano,
            conf,
            mapa=mapa or None,
            salvar_mapa=bool(taught["colunas"] or taught["situacoes"] or taught["reducao"]),
        )


def saved_mapa(store: Store, plano: Plano) -> Mapa:
    """The plan's saved mapping (empty, with a warning, if it cannot be read)."""
    return mapa_ui.saved(store, plano)


_NAO_MAPEAR = ""


def mapa_salvo(store: Store, plano: Plano) -> None:
    """The plan's saved mapping, listed, with a way to remove entries (managers only: this is
    the Importar screen's manager part; the Plano screen lists it too)."""
    if not saved_mapa(store, plano):
        return
    with st.expander(textos.MAPA["salvo_titulo"], icon=":material/translate:"):
        if mapa_ui.lista(store, plano, acesso.actor_atual(), chave="mapa", vazio=False):
            st.session_state.pop(K_CONF, None)
            st.rerun()


def ensinar(conf: gestao.Conferencia, taught: dict) -> None:
    """Offer to map each unknown column and status value (and those mapped in this session, so
    they can be changed back). A choice re-checks the file at once (the upload's key includes
    the mapping)."""
    a = conf.analysis
    colunas: list[tuple[str, str, list[str]]] = []  # (sheet, heading, targets)
    for norm in a.sheets:
        names = [c.name for c in norm.table.columns]
        here = list(norm.desconhecidas) + [
            w
            for w in taught["colunas"]
            if w in norm.mapped or w in norm.colunas_ignoradas and w not in norm.desconhecidas
        ]
        for w in dict.fromkeys(here):
            colunas.append((norm.sheet, w, [_NAO_MAPEAR, *names, IGNORAR]))
    situacoes = list(dict.fromkeys([*a.situacoes_desconhecidas, *taught["situacoes"]]))
    reducoes = list(dict.fromkeys([*a.reducoes_pendentes, *taught.get("reducao", {})]))
    if not colunas and not situacoes and not reducoes:
        return
    M = textos.MAPA
    labels = {}
    for norm in a.sheets:
        labels.update(norm.table.labels())
    labels.update({_NAO_MAPEAR: M["nao_mapear"], IGNORAR: M["ignorar"]})
    with st.container(border=True, key="ensinar"):
        st.subheader(M["titulo"])
        st.caption(M["intro"])
        for sheet, written, targets in colunas:
            current = taught["colunas"].get(written, _NAO_MAPEAR)
            st.selectbox(
                M["coluna"].format(coluna=escape_md(written)),
                targets,
                index=targets.index(current) if current in targets else 0,
                format_func=lambda v: labels.get(v, v),
                key=f"mapa_coluna_{_widget_id(sheet, written)}",
                on_change=_taught_changed,
                args=("colunas", written, f"mapa_coluna_{_widget_id(sheet, written)}"),
            )
        status_targets = [_NAO_MAPEAR, *mapa_mod.status_targets()]
        for valor in situacoes:
            current = taught["situacoes"].get(valor, _NAO_MAPEAR)
            key = f"mapa_situacao_{_widget_id('', valor)}"
            st.selectbox(
                M["situacao"].format(situacao=escape_md(valor)),
                status_targets,
                index=status_targets.index(current) if current in status_targets else 0,
                format_func=lambda v: labels.get(v, v),
                key=key,
                on_change=_taught_changed,
                args=("situacoes", valor, key),
            )
        if reducoes:
            st.markdown(M["reducao_intro"])
        respostas = [_NAO_MAPEAR, mapa_mod.SIM, mapa_mod.NAO]
        rotulos = {
            _NAO_MAPEAR: M["reducao_sem_resposta"],
            mapa_mod.SIM: M["reducao_pergunta_sim"],
            mapa_mod.NAO: M["reducao_pergunta_nao"],
        }
        for meta in reducoes:
            current = taught["reducao"].get(meta, _NAO_MAPEAR)
            key = f"mapa_reducao_{_widget_id('reducao', meta)}"
            st.selectbox(
                M["reducao_pergunta"].format(meta=escape_md(meta[:200])),
                respostas,
                index=respostas.index(current) if current in respostas else 0,
                format_func=lambda v: rotulos[v],
                key=key,
                on_change=_taught_changed,
                args=("reducao", meta, key),
            )


def _widget_id(sheet: str, written: str) -> str:
    import hashlib

    return hashlib.sha1(f"{sheet}\0{written}".encode()).hexdigest()[:12]


def _taught_changed(kind: str, written: str, widget: str) -> None:
    taught = st.session_state.setdefault(K_MAPA, {"colunas": {}, "situacoes": {}})
    taught.setdefault("reducao", {})
    value = st.session_state.get(widget)
    if value:
        taught[kind][written] = value
    else:
        taught[kind].pop(written, None)


def handle_upload(
    store: Store,
    plano: Plano | None,
    nome: str,
    data: bytes,
    ano: int | None,
    key: tuple,
    mapa: Mapa | None = None,
    atualizar_plano: bool = False,
) -> gestao.Conferencia:
    """Check the uploaded bytes (once per upload: kept in the session) with a progress box."""
    cached = st.session_state.get(K_CONF)
    with st.status(T["etapa_ler"], expanded=False) as status:
        if cached is None or cached[0] != key:
            steps: list[str] = []

            def step(name: str) -> None:
                steps.append(name)
                status.update(label=T[f"etapa_{name}"])
                status.write(T[f"etapa_{name}"])

            conf = gestao.conferir(
                store,
                plano,
                nome,
                data,
                ano,
                on_step=step,
                mapa=mapa,
                atualizar_plano=atualizar_plano,
            )
            st.session_state[K_CONF] = (key, conf, steps)
        else:
            _, conf, steps = cached
            for name in steps:
                status.write(T[f"etapa_{name}"])
        if not conf.analysis.ok:
            status.update(label=T["status_erro"], state="error")
        elif conf.repetido is not None:
            status.update(label=T["status_repetido"], state="complete")
        else:
            status.update(label=T["status_ok"], state="complete")
    if st.session_state.pop(K_MUDOU, False):
        st.warning(T["mudou"], icon=":material/sync_problem:")
    return conf


def plano_do_arquivo(conf: gestao.Conferencia, nome: str, data: bytes) -> None:
    """What the file's Plano sheet does (a plan created, or the same as the stored one, or
    different: the differences and the manager's choice), said before confirming; and, for a
    municipality without a plan and a file without the sheet, the way to the Plano screen."""
    P = textos.PLANO
    info = conf.plano_arquivo
    if info is None:
        st.session_state.pop(K_DECISAO, None)
        if any(f.codigo == "plano_sem_plano" for f in conf.analysis.findings):
            st.session_state[K_PARA_PLANO] = (nome, data)  # its eixos are proposed there
            with st.container(border=True, key="importar_sem_plano"):
                st.warning(T["sem_plano"], icon=":material/account_tree:")
                nav.link("pages/plano.py", T["criar_plano_do_arquivo"], ":material/account_tree:")
        return
    p = info.plano
    campos = {"nome": p.nome, "municipio": p.municipio, "periodo": p.periodo, "n": len(p.eixos)}
    with st.container(border=True, key="importar_plano_do_arquivo"):
        if info.situacao == gestao.CRIAR:
            st.session_state.pop(K_DECISAO, None)
            st.info(escape_md(P["sera_criado"].format(**campos)), icon=":material/add_circle:")
            _tabela_eixos(p)
        elif info.situacao == gestao.IGUAL:
            st.session_state.pop(K_DECISAO, None)
            st.caption(escape_md(P["plano_igual"].format(plano=p.titulo, municipio=p.municipio)))
        elif info.guardado is not None:
            st.warning(
                escape_md(
                    P["plano_difere"].format(plano=info.guardado.titulo, municipio=p.municipio)
                ),
                icon=":material/difference:",
            )
            st.markdown("\n".join(f"- {escape_md(d)}" for d in info.diferencas))
            st.radio(
                T["decisao"],
                (MANTER, ATUALIZAR),
                format_func=lambda v: T[f"decisao_{v}"],
                key=K_DECISAO,
                help=T["decisao_ajuda"],
            )


def _tabela_eixos(p: Plano) -> None:
    PT = textos.PLANO_TELA
    st.dataframe(
        pd.DataFrame(
            {
                PT["col_numero"]: [e.numero for e in p.eixos],
                PT["col_nome"]: [e.nome for e in p.eixos],
                PT["col_curto"]: [e.curto for e in p.eixos],
                PT["col_aliases"]: ["; ".join(e.aliases) for e in p.eixos],
            }
        ),
        hide_index=True,
        key="importar_plano_eixos",
    )


def report(conf: gestao.Conferencia) -> None:
    """Counts, the findings table and its download, and the file as it was understood."""
    a = conf.analysis
    st.subheader(T["relatorio"])
    rel = a.relatorio
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(T["erros"], fmt.numero(rel.erros), help=T["ajuda_erros"], border=True)
    m2.metric(T["avisos"], fmt.numero(rel.avisos), help=T["ajuda_avisos"], border=True)
    m3.metric(T["linhas"], fmt.numero(a.linhas), border=True)
    m4.metric(T["anos"], ", ".join(map(str, a.anos)) or fmt.VAZIO, border=True)
    if not a.ok:
        st.error(T["tem_erros"], icon=":material/error:")
    elif conf.repetido is not None:
        f = next(f for f in a.findings if f.codigo == "arquivo_ja_importado")
        st.info(f"{escape_md(f.mensagem)} {escape_md(f.acao)}", icon=":material/content_copy:")
    if rel.contagens.get("linhas_lidas"):
        st.caption(
            textos.MAPA["contagens"].format(**{k: fmt.numero(v) for k, v in rel.contagens.items()})
        )
    if rel.achados:
        table = rel.to_frame()
        if len(table) <= TABLE_MAX_FINDINGS:
            # a static table wraps the long texts; st.table reads Markdown, so every cell is
            # escaped (messages quote what the file holds)
            safe = table.astype("string").fillna("").map(escape_md)
            st.table(safe.style.apply(_paint_level, axis=1).hide(axis="index"))
        else:
            r = textos.ROTULOS_ACHADOS
            st.dataframe(
                table.style.apply(_paint_level, axis=1),
                hide_index=True,
                key="achados",
                column_config={
                    r["mensagem"]: st.column_config.TextColumn(width="large"),
                    r["acao"]: st.column_config.TextColumn(width="large"),
                },
            )
            st.caption(T["achados_muitos"].format(n=fmt.numero(len(table))))
        st.download_button(
            T["baixar_achados"],
            key="baixar_achados",
            icon=":material/download:",
            data=lambda: export.to_xlsx_bytes(
                table,
                None,
                titulo=IR["achados_titulo"],
                filtros=[(IR["achados_arquivo"], a.filename)],
            ),
            file_name=f"relatorio_{safe_filename(a.filename).rsplit('.', 1)[0]}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            help=T["ajuda_baixar_achados"],
            on_click="ignore",
        )
    else:
        st.success(T["sem_achados"], icon=":material/check_circle:")
    if a.sheets:
        understood(conf)


def findings_table(items: list) -> pd.DataFrame:
    """The findings with Portuguese headers and levels (the same table on screen and in the
    download)."""
    return findings.relatorio("", items, {}).to_frame()


def _paint_level(row: pd.Series) -> list[str]:
    level = row[textos.ROTULOS_ACHADOS["nivel"]]
    bg = _ERRO_BG if level == textos.NIVEIS[ERRO] else ""
    return [bg] * len(row)


def _cell_text(v: object) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, float):
        return fmt.numero(v, 0 if v.is_integer() else 2)
    return str(v)


def understood(conf: gestao.Conferencia) -> None:
    """Per sheet: the header row used, the columns mapped and ignored, and the rows, with the
    rows that have findings painted."""
    st.subheader(T["entendida"])
    st.caption(T["entendida_ajuda"])
    a = conf.analysis
    labels_by_table: dict[str, dict[str, str]] = {}
    for norm in a.sheets:
        labels = labels_by_table.setdefault(norm.table.name, norm.table.labels())
        frame = norm.frame
        title = T["aba_resumo"].format(
            aba=escape_md(norm.sheet),
            tabela=norm.table.label,
            cabecalho=norm.header_row,
            linhas=fmt.numero(len(frame)),
        )
        errors = {
            f.linha for f in a.findings if f.aba == norm.sheet and f.linha and f.nivel == ERRO
        }
        warnings = {
            f.linha for f in a.findings if f.aba == norm.sheet and f.linha and f.nivel != ERRO
        } - errors
        with st.expander(title, expanded=bool(errors), icon=":material/table_view:"):
            mapped = pd.DataFrame(
                {
                    T["coluna_arquivo"]: list(norm.mapped),
                    T["coluna_entendida"]: [labels.get(c, c) for c in norm.mapped.values()],
                }
            )
            st.markdown(f"**{T['colunas_mapeadas']}**")
            st.dataframe(mapped, hide_index=True, key=f"mapa_{id(norm)}")
            if norm.ignored:
                st.text(
                    T["colunas_ignoradas"].format(colunas=", ".join(f"“{c}”" for c in norm.ignored))
                )
            else:
                st.caption(T["sem_ignoradas"])
            if frame.empty:
                continue
            shown_cols = [c for c in labels if c in frame.columns and frame[c].notna().any()]
            only = st.toggle(
                T["so_problemas"],
                value=False,
                key=f"so_problemas_{norm.sheet}",
                disabled=not (errors or warnings),
            )
            rows = frame[frame["_linha"].isin(errors | warnings)] if only else frame
            total = len(rows)
            rows = rows.head(PREVIEW_ROWS)
            table = pd.DataFrame({T["linha"]: rows["_linha"].astype("Int64").to_numpy()})
            for c in shown_cols:
                table[labels[c]] = [_cell_text(v) for v in rows[c]]

            def paint(row: pd.Series, errors=errors, warnings=warnings) -> list[str]:
                n = row[T["linha"]]
                bg = _ERRO_BG if n in errors else _AVISO_BG if n in warnings else ""
                return [bg] * len(row)

            st.dataframe(
                table.style.apply(paint, axis=1),
                hide_index=True,
                key=f"linhas_{norm.sheet}_{norm.table.name}",
            )
            if total > len(rows):
                st.caption(
                    T["linhas_cortadas"].format(
                        mostradas=fmt.numero(len(rows)), total=fmt.numero(total)
                    )
                )


def previa(conf: gestao.Conferencia) -> None:
    """What changes, year by year, against the current version."""
    st.subheader(T["previa"])
    goal_labels = {  # the key columns first: the goal's code and situação, then its text
        "codigo": textos.COLUNAS_METAS["codigo"],
        "situacao": textos.COLUNAS_METAS["situacao"],
        "descricao": T["descricao"],
        "eixo": textos.COLUNAS_METAS["eixo"],
    }
    for p in conf.previas:
        with st.container(border=True):
            if p.versao_atual is None:
                st.markdown(T["ano_novo"].format(ano=p.ano))
            else:
                st.markdown(
                    T["ano_existente"].format(
                        ano=p.ano, atual=p.versao_atual, nova=p.versao_atual + 1
                    )
                )
            c = st.columns(4)
            c[0].metric(T["novas"], fmt.numero(len(p.adicionadas)))
            c[1].metric(T["removidas"], fmt.numero(len(p.removidas)))
            c[2].metric(T["alteradas"], fmt.numero(len(p.alteradas)))
            c[3].metric(T["iguais"], fmt.numero(p.iguais))
            for name, t in p.tabelas.items():
                if name == "metas" or (t.antes == 0 and t.depois == 0):
                    continue
                text = (
                    T["mantida"].format(tabela=textos.TABELAS[name], n=fmt.numero(t.antes))
                    if t.mantida
                    else T["substituida"].format(
                        tabela=textos.TABELAS[name],
                        antes=fmt.numero(t.antes),
                        depois=fmt.numero(t.depois),
                    )
                )
                st.caption(text)
            if not p.muda_metas and p.versao_atual is not None:
                st.caption(T["nada_muda"])
            for frame, title, key in (
                (p.adicionadas, T["novas"], "novas"),
                (p.removidas, T["removidas"], "removidas"),
            ):
                if len(frame):
                    st.markdown(f"**{title}**")
                    components.table(
                        components.status_style(components.formatted(frame, goal_labels)),
                        key=f"previa_{key}_{p.ano}",
                        long=(T["descricao"],),
                    )
            if len(p.alteradas):
                st.markdown(f"**{T['alteradas']}**")
                labels = {  # what changed next to the code, the goal's text after
                    "codigo": goal_labels["codigo"],
                    "situacao_antes": T["situacao_antes"],
                    "situacao_depois": T["situacao_depois"],
                    "campos": T["campos"],
                    **{k: v for k, v in goal_labels.items() if k not in ("codigo", "situacao")},
                }
                table = components.formatted(p.alteradas, labels)
                components.table(
                    components.status_style(table, (T["situacao_antes"], T["situacao_depois"])),
                    key=f"previa_alteradas_{p.ano}",
                    long=(T["descricao"],),
                    column_config={T["campos"]: st.column_config.Column(width="medium")},
                )
            st.markdown(f"**{T['por_eixo']}**")
            components.table(
                before_after_table(p.por_eixo),
                key=f"previa_eixos_{p.ano}",
                column_config={
                    textos.COLUNAS_METAS["eixo"]: st.column_config.Column(
                        width="medium", pinned=True
                    )
                },
            )


def before_after_table(por_eixo: pd.DataFrame) -> pd.DataFrame:
    """The per-eixo figures as "before → after" (or one value when it does not change)."""
    out = pd.DataFrame({textos.COLUNAS_METAS["eixo"]: por_eixo["rotulo"].to_numpy()})
    for k in ("metas", "pct_realizadas", "pct_realizadas_ou_parciais", "indice_cumprimento"):
        show = fmt.numero if k == "metas" else fmt.pct
        cells = []
        for a, d in zip(por_eixo[f"{k}_antes"], por_eixo[f"{k}_depois"]):
            a, d = show(a), show(d)
            cells.append(d if a == d else f"{a} → {d}")
        out[textos.FIGURAS[k]] = cells
    return out


def _confirm(
    store: Store,
    plano: Plano,
    nome: str,
    data: bytes,
    ano: int | None,
    conf: gestao.Conferencia,
    mapa: Mapa | None = None,
    salvar_mapa: bool = False,
) -> None:
    if not st.button(
        T["confirmar"],
        type="primary",
        icon=":material/save:",
        key="confirmar_importacao",
        help=T["confirmar_ajuda"],
    ):
        return
    if gestao.mudou_desde(store, plano, conf) or _plano_mudou(store, conf):
        st.session_state.pop(K_CONF, None)
        st.session_state[K_MUDOU] = True
        st.rerun()
    try:
        result = gestao.importar(
            store,
            plano,
            nome,
            data,
            actor=acesso.exigir_actor(),
            ano=ano,
            analysis=conf.analysis,
            mapa=mapa,
            salvar_mapa=salvar_mapa,
            atualizar_plano=conf.atualizar_plano,
        )
    except SemPermissao as exc:
        st.error(str(exc), icon=":material/lock:")
        return
    except PlanoRecusado as exc:  # another plan took these years meanwhile
        if plano is not None and plano.exemplo:  # real data sent to the example data's plan
            st.error(escape_md(" ".join(exc.mensagens)), icon=":material/science:")
            return
        st.error(
            textos.PLANO["plano_recusado"]
            + "\n\n"
            + "\n".join(f"- {escape_md(m)}" for m in exc.mensagens)
        )
        return
    except OperationalError as exc:
        codigo = registrar_erro(_log, "importação: banco ocupado", exc)
        st.error(_com_codigo(T["banco_ocupado"], codigo), icon=":material/hourglass_top:")
        return
    if result.situacao != "importado":  # the same file was stored meanwhile
        st.session_state.pop(K_CONF, None)
        st.rerun()
    info = conf.plano_arquivo
    plano_msg = None
    if info is not None and info.situacao == gestao.CRIAR:
        plano_msg = textos.PLANO["foi_criado"].format(
            nome=plano.nome, municipio=plano.municipio, periodo=plano.periodo, n=len(plano.eixos)
        )
    elif conf.atualizar_plano:
        plano_msg = textos.PLANO["plano_atualizado"]
    sidebar.choose_plan(plano.municipio, plano.nome)  # the screens show the plan imported into
    st.session_state.pop(K_DECISAO, None)
    st.session_state.pop(K_PARA_PLANO, None)
    st.session_state[K_FEITO] = {
        "plano": plano_msg,
        "arquivo": nome,
        "versoes": [
            (v.ano, v.numero, v.n_metas, v.n_conferencias, v.n_indicadores) for v in result.versions
        ],
    }
    st.session_state[K_UPLOAD] = st.session_state.get(K_UPLOAD, 0) + 1
    st.session_state.pop(K_CONF, None)
    st.session_state.pop(K_MAPA, None)  # saved with the plan now
    envios.liberar(tudo=True)  # the stored file is in the database now: free its memory
    st.rerun()  # so the sidebar and every cached load see the new version


def _plano_mudou(store: Store, conf: gestao.Conferencia) -> bool:
    """True when the plan the file goes to was created or changed after the check."""
    info = conf.plano_arquivo
    if info is None or conf.plano is None:
        return False
    found = store.plan(conf.plano.municipio, conf.plano.nome)
    if info.situacao == gestao.CRIAR:
        return found is not None
    return found is None or info.guardado is None or bool(diferencas(info.guardado, found[1]))


def _last_import() -> None:
    feito = st.session_state.pop(K_FEITO, None)
    if not feito:
        return
    with st.container(border=True, key="importacao_feita"):
        st.success(
            T["importado"].format(arquivo=escape_md(feito["arquivo"])), icon=":material/task_alt:"
        )
        if feito.get("plano"):
            st.markdown(escape_md(feito["plano"]))
        for ano, versao, metas, conferencias, indicadores in feito["versoes"]:
            st.markdown(
                "- "
                + T["importado_ano"].format(
                    ano=ano,
                    versao=versao,
                    metas=fmt.numero(metas),
                    conferencias=fmt.numero(conferencias),
                    indicadores=fmt.numero(indicadores),
                )
            )
        nav.link("pages/visao-geral.py", T["ver_visao_geral"], ":material/dashboard:")


# --- versions and undo -------------------------------------------------------------------------


def plan_versions(store: Store, plano: Plano | None) -> list[Version]:
    if plano is None:
        return []
    return [v for v in store.versions(plano.municipio) if v.plano == plano.nome]


def versions_table(versoes: list[Version]) -> pd.DataFrame:
    """One row per version, newest first within each year, with Portuguese labels."""
    rows = [
        {
            "ano": v.ano,
            "numero": v.numero,
            "atual": T["atual"] if v.atual else "",
            "usuario": v.usuario,
            "criado_em": fmt.data_hora(v.criado_em),
            "arquivo": v.arquivo_nome or fmt.VAZIO,
            "tamanho": fmt.tamanho(v.arquivo_tamanho),
            "n_metas": fmt.numero(v.n_metas),
            "n_conferencias": fmt.numero(v.n_conferencias),
            "n_indicadores": fmt.numero(v.n_indicadores),
            "origem": T["exemplo"] if v.exemplo else T["importacao"],
        }
        for v in versoes
    ]
    frame = pd.DataFrame(rows, columns=list(textos.COLUNAS_VERSOES))
    if not any(v.exemplo for v in versoes):
        frame = frame.drop(columns=["origem"])
    return frame.rename(columns=textos.COLUNAS_VERSOES)


def versoes(store: Store, plano: Plano | None, gestor: Actor | None) -> None:
    """Every version per year; for managers, the original files and undo."""
    desfeito = st.session_state.pop(K_DESFEITO, None)
    if desfeito:
        st.success(desfeito, icon=":material/undo:")
    todas = plan_versions(store, plano)
    if not todas:
        st.info(T["sem_versoes"])
        return
    st.caption(T["versoes_intro"] + " " + textos.UI["horarios"].format(fuso=relogio.rotulo()))
    table = versions_table(todas)
    right = st.column_config.TextColumn(alignment="right")
    st.dataframe(
        table.style.apply(
            lambda r: ["font-weight: bold" if r[textos.COLUNAS_VERSOES["atual"]] else ""] * len(r),
            axis=1,
        ),
        hide_index=True,
        key="tabela_versoes",
        column_config={
            textos.COLUNAS_VERSOES[k]: right
            for k in ("tamanho", "n_metas", "n_conferencias", "n_indicadores")
        },
    )
    if gestor is None:
        st.caption(T["so_gestor_original"])
        return
    _download_original(store, todas)
    if plano is not None:  # (there are versions only when there is a plan)
        _undo(store, plano, todas)


def _label(v: Version) -> str:
    return IR["versao_rotulo"].format(
        ano=v.ano,
        numero=v.numero,
        arquivo=v.arquivo_nome or fmt.VAZIO,
        quando=fmt.data_hora(v.criado_em),
    )


def _download_original(store: Store, todas: list[Version]) -> None:
    with_file = [v for v in todas if v.arquivo_sha256]
    if not with_file:
        return
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    v = c1.selectbox(T["escolher_original"], with_file, format_func=_label, key="original")
    stored = store.file(v.arquivo_sha256) if v.arquivo_sha256 else None
    if stored is None:
        return
    nome, conteudo = stored
    c2.download_button(
        T["baixar_original"],
        data=conteudo,
        file_name=safe_filename(nome),
        mime="application/octet-stream",
        icon=":material/download:",
        key="baixar_original",
        on_click="ignore",
    )


def _undo(store: Store, plano: Plano, todas: list[Version]) -> None:
    st.subheader(T["desfazer_titulo"])
    pairs = {}
    for v in todas:
        if not v.atual:
            continue
        anterior = next((o for o in todas if o.id == v.anterior_id), None)
        if anterior is not None:
            pairs[v.ano] = (v, anterior)
    if not pairs:
        st.caption(T["desfazer_nada"])
        return
    ano = st.selectbox(T["desfazer_ano"], sorted(pairs, reverse=True), key="desfazer_ano")
    atual, anterior = pairs[ano]
    st.text(
        T["desfazer_explica"].format(
            ano=ano,
            atual=atual.numero,
            arquivo=atual.arquivo_nome or fmt.VAZIO,
            quando=fmt.data_hora(atual.criado_em),
            quem=atual.usuario,
            anterior=anterior.numero,
            arquivo_anterior=anterior.arquivo_nome or fmt.VAZIO,
            quando_anterior=fmt.data_hora(anterior.criado_em),
            quem_anterior=anterior.usuario,
        )
    )
    found = store.plan(plano.municipio, plano.nome)
    for aviso in aprovacao.aviso_importacao(store, found[0] if found else None, [ano]):
        st.warning(aviso, icon=":material/verified:")  # the council approved this year's report
    ok = st.checkbox(
        T["desfazer_confirmo"].format(atual=atual.numero, ano=ano),
        key=f"desfazer_ok_{ano}_{atual.numero}",
    )
    if not st.button(
        T["desfazer_botao"], icon=":material/undo:", disabled=not ok, key="desfazer_botao"
    ):
        return
    try:
        v = gestao.desfazer(store, plano, ano, actor=acesso.exigir_actor())
    except SemPermissao as exc:
        st.error(str(exc), icon=":material/lock:")
        return
    except NothingToUndo:
        st.rerun()
    except OperationalError as exc:
        codigo = registrar_erro(_log, "desfazer: banco ocupado", exc)
        st.error(_com_codigo(T["banco_ocupado"], codigo), icon=":material/hourglass_top:")
        return
    st.session_state[K_DESFEITO] = T["desfeito"].format(ano=v.ano, versao=v.numero)
    st.rerun()


def _com_codigo(mensagem: str, codigo: str) -> str:
    return f"{mensagem} {textos.CODIGO_ERRO.format(codigo=codigo)}"


# --- audit log and template --------------------------------------------------------------------


AUDIT_PAGE = 200  # audit entries per page


def audit_table(store: Store, municipio: str | None = None, pagina: int = 1) -> pd.DataFrame:
    """One page of the audit log (newest first), of one municipality: filtered in the query,
    so that a municipality's history is complete however many others share the database."""
    log = store.audit(AUDIT_PAGE, (pagina - 1) * AUDIT_PAGE, municipio=municipio)
    frame = pd.DataFrame(
        {
            "quando": [fmt.data_hora(q) for q in pd.to_datetime(log["quando"])],
            "usuario": log["usuario"].to_numpy(),
            "acao": log["acao"].map(lambda a: textos.ACOES_AUDITORIA.get(a, a)).to_numpy(),
            "municipio": log["municipio"].fillna("").to_numpy(),
            "ano": log["ano"].astype("Int64").astype("string").fillna("").to_numpy(),
            "detalhe": log["detalhe"].fillna("").to_numpy(),
        },
        columns=list(textos.COLUNAS_AUDITORIA),
    )
    return frame.rename(columns=textos.COLUNAS_AUDITORIA)


def registro(store: Store, plano: Plano | None) -> None:
    if plano is None:
        st.info(T["sem_registro"])
        return
    total = store.audit_count(municipio=plano.municipio)
    if not total:
        st.info(T["sem_registro"])
        return
    paginas = -(-total // AUDIT_PAGE)
    pagina = 1
    if paginas > 1:
        pagina = st.number_input(
            T["registro_pagina"].format(paginas=fmt.numero(paginas)),
            min_value=1,
            max_value=paginas,
            value=1,
            step=1,
            key="registro_pagina",
        )
    table = audit_table(store, plano.municipio, int(pagina))
    st.caption(T["registro_intro"] + " " + textos.UI["horarios"].format(fuso=relogio.rotulo()))
    st.dataframe(table, hide_index=True, key="tabela_registro")


def modelo(plano: Plano | None) -> None:
    """The blank template of the chosen plan (its eixos, years and Plano sheet filled), or,
    without a plan, the template of any municipality (a Plano sheet to fill)."""
    if plano is not None:
        st.markdown(T["modelo_intro"].format(plano=escape_md(plano.titulo)))
        nome = f"modelo_{plano.municipio}_{plano.nome}.xlsx".replace(" ", "_")
    else:
        st.markdown(T["modelo_intro_sem_plano"])
        nome = "modelo_pmas.xlsx"
    st.download_button(
        T["baixar_modelo"],
        data=lambda: template_xlsx_bytes(plano),
        file_name=safe_filename(nome),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key="baixar_modelo",
        on_click="ignore",
        type="primary",
    )
