"""The sidebar on every screen: plan, year and filters, bound to the URL, and where the data came
from. Filters live in ``st.session_state`` (so they carry across screens) and are mirrored into
``st.query_params`` on every run (so a link reproduces the view)."""

from __future__ import annotations

import streamlit as st

from pmas import fmt, textos
from pmas.analise import filtros as flt
from pmas.dados.schema import STATUS_ORDER
from pmas.ui import state
from pmas.ui.components import escape_md

K_MUN, K_ANO, K_EIXO = "f_municipio", "f_ano", "f_eixo"
K_SIT, K_TER, K_RESP = "f_situacao", "f_territorio", "f_responsavel"
_INIT = "_pmas_filtros_iniciados"
PENDING_EIXO = "_pmas_eixo_pendente"


def choose_eixo(numero: int | None) -> None:
    """Select an eixo from a screen; the sidebar applies it on the next run."""
    st.session_state[PENDING_EIXO] = numero


_KEYS = (K_MUN, K_ANO, K_EIXO, K_SIT, K_TER, K_RESP)
_KEPT = "_pmas_filtros"  # copies that survive Streamlit's clean-up of widget state between pages


def _restore() -> None:
    """Re-seed the widgets from the kept copies (widget state is dropped on page change)."""
    for k, v in st.session_state.get(_KEPT, {}).items():
        if k not in st.session_state:
            st.session_state[k] = v


def _keep() -> None:
    st.session_state[_KEPT] = {k: st.session_state[k] for k in _KEYS if k in st.session_state}


def _init_from_url() -> None:
    """On a session's first run, the URL decides the filters."""
    if st.session_state.get(_INIT):
        _restore()
        return
    st.session_state[_INIT] = True
    f = flt.from_query(st.query_params.get_all)
    if f.municipio:
        st.session_state[K_MUN] = f.municipio
    if f.ano is not None:
        st.session_state[K_ANO] = f.ano
    if f.eixo is not None:
        st.session_state[K_EIXO] = f.eixo
    st.session_state[K_SIT] = list(f.situacoes)
    st.session_state[K_TER] = list(f.territorios)
    st.session_state[K_RESP] = list(f.responsaveis)


def _keep_valid(key: str, options: list, multi: bool = False) -> None:
    """Drop a remembered value the options no longer offer (a stale link, another plan)."""
    if key not in st.session_state:
        return
    value = st.session_state[key]
    if multi:
        st.session_state[key] = [v for v in value if v in options]
    elif value not in options:
        del st.session_state[key]


def _options(series) -> list[str]:
    return sorted({str(v) for v in series.dropna() if str(v).strip()})


def render() -> state.Contexto | None:
    """Draw the sidebar; store and return this run's context (None when there is no data)."""
    _init_from_url()
    store = state.get_store()
    plans = store.plans()
    st.session_state["_pmas_contexto"] = None
    if not plans:
        with st.sidebar:
            st.info(textos.UI["sem_dados_sidebar"])
        return None

    municipios = sorted({p.municipio for _, p in plans})
    with st.sidebar:
        st.markdown(f"### {textos.UI['filtros']}")
        if len(municipios) > 1:
            _keep_valid(K_MUN, municipios)
            municipio = st.selectbox(
                "Município",
                municipios,
                key=K_MUN,
                help=textos.UI["ajuda_municipio"],
                placeholder="Digite para buscar",
            )
        else:
            municipio = municipios[0]
        plan_choices = [(pid, p) for pid, p in plans if p.municipio == municipio]
        if len(plan_choices) > 1:
            names = [p.nome for _, p in plan_choices]
            nome = st.selectbox("Plano", names, index=len(names) - 1, key="f_plano")
            plano_id, plano = next(x for x in plan_choices if x[1].nome == nome)
        else:
            plano_id, plano = plan_choices[0]
            st.caption(f"{plano.municipio} · {plano.nome}")

        ctx = state.load_context(
            store, plano_id, plano, flt.Filtros(municipio=municipio), municipios
        )
        if not ctx.anos:
            st.info(textos.UI["sem_metas_sidebar"])
            ctx.filtros = flt.Filtros(municipio=municipio if len(municipios) > 1 else None)
            st.session_state["_pmas_contexto"] = ctx
            _sync_url(ctx.filtros)
            return ctx

        _keep_valid(K_ANO, ctx.anos)
        if K_ANO not in st.session_state:
            st.session_state[K_ANO] = ctx.anos[-1]
        ano = st.selectbox("Ano", ctx.anos, key=K_ANO, help=textos.UI["ajuda_ano"])

        eixo_nums = [None] + [e.numero for e in plano.eixos]
        if PENDING_EIXO in st.session_state:  # an eixo picked on a screen (a bar, a button)
            st.session_state[K_EIXO] = st.session_state.pop(PENDING_EIXO)
        _keep_valid(K_EIXO, eixo_nums)
        rotulos = {e.numero: e.rotulo for e in plano.eixos}
        # placeholder: a None value reads as "no choice" and would show Streamlit's English one
        eixo = st.selectbox(
            "Eixo",
            eixo_nums,
            key=K_EIXO,
            placeholder="Todos os eixos",
            format_func=lambda n: "Todos os eixos" if n is None else rotulos[n],
        )

        metas_ano = ctx.metas_todas[ctx.metas_todas["ano"] == ano]
        _keep_valid(K_SIT, STATUS_ORDER, multi=True)
        situacoes = st.multiselect("Situação", STATUS_ORDER, key=K_SIT, placeholder="Todas")
        territorios_opts = _options(metas_ano["territorio"])
        _keep_valid(K_TER, territorios_opts, multi=True)
        territorios = st.multiselect("Território", territorios_opts, key=K_TER, placeholder="Todos")
        resp_opts = _options(metas_ano["responsavel"])
        _keep_valid(K_RESP, resp_opts, multi=True)
        responsaveis = st.multiselect("Responsável", resp_opts, key=K_RESP, placeholder="Todos")

        ctx.filtros = flt.Filtros(
            municipio=municipio if len(municipios) > 1 else None,
            ano=ano,
            eixo=eixo,
            situacoes=tuple(situacoes),
            territorios=tuple(territorios),
            responsaveis=tuple(responsaveis),
        )
        _provenance(ctx)
    st.session_state["_pmas_contexto"] = ctx
    _keep()
    _sync_url(ctx.filtros)
    return ctx


def _provenance(ctx: state.Contexto) -> None:
    st.divider()
    v = ctx.versao_do_ano()
    if ctx.exemplo:
        st.badge(textos.UI["badge_exemplo"], icon=":material/science:", color="orange")
    if v is not None:
        # the file name and the user were typed by people: escaped, never live Markdown
        st.caption(
            textos.UI["origem"].format(
                arquivo=escape_md(v.arquivo_nome or "—"),
                data=fmt.data_hora(v.criado_em),
                usuario=escape_md(v.usuario),
                versao=v.numero,
            )
        )


def _sync_url(f: flt.Filtros) -> None:
    wanted = f.to_query()
    current = {
        k: (
            st.query_params.get_all(k)
            if isinstance(wanted.get(k), list)
            else st.query_params.get(k)
        )
        for k in flt.QUERY_KEYS
        if k in st.query_params
    }
    if current != wanted:
        # only the filters' own parameters change: a screen's (Comparativo's de, para) stay
        others = {
            k: st.query_params.get_all(k)
            for k in st.query_params.to_dict()
            if k not in flt.QUERY_KEYS
        }
        st.query_params.from_dict({**others, **wanted})
