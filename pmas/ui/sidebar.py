"""The sidebar on every screen: plan, year and filters, and where the data came from. The
values are kept for the session by :mod:`pmas.ui.vista` (so every path between screens keeps
them) and mirrored in the URL on every run (so a link reproduces the view)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from pmas import fmt, relogio, textos
from pmas.analise import filtros as flt
from pmas.dados.schema import STATUS_ORDER
from pmas.ui import state, vista
from pmas.ui.components import escape_md

K_MUN, K_ANO, K_EIXO = "f_municipio", "f_ano", "f_eixo"
K_SIT, K_TER, K_RESP = "f_situacao", "f_territorio", "f_responsavel"
K_PLANO = "f_plano"


B = textos.BARRA_LATERAL


def choose_eixo(numero: int | None) -> None:
    """Select an eixo from a screen (a bar, a button); the sidebar shows it on the next run."""
    vista.put(K_EIXO, numero)


def choose_plan(municipio: str, nome: str) -> None:
    """Select a plan from a screen (the one an import just created); shown on the next run."""
    vista.put(K_MUN, municipio)
    vista.put(K_PLANO, nome)


def _options(series) -> list[str]:
    return sorted({str(v) for v in series.dropna() if str(v).strip()})


def _plano_padrao(choices: list) -> str:
    """The plan shown first: the one in force this year (real data's before the example's),
    else the latest."""
    ano = dt.date.today().year
    em_vigor = sorted(
        (p for _, p in choices if p.vigente_em(ano)), key=lambda p: (p.exemplo, p.ano_inicio)
    )
    if em_vigor:
        return em_vigor[0].nome
    return max((p for _, p in choices), key=lambda p: (not p.exemplo, p.ano_inicio)).nome


def render() -> state.Contexto | None:
    """Draw the sidebar; store and return this run's context (None when there is no data)."""
    vista.start()
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
            municipio = st.selectbox(
                B["municipio"],
                municipios,
                help=textos.UI["ajuda_municipio"],
                placeholder=B["buscar"],
                **vista.bind(
                    K_MUN,
                    flt.Q_MUNICIPIO,
                    municipios,
                    default=municipios[0],
                    rotulo=B["o_municipio"],
                ),
            )
        else:
            municipio = municipios[0]
        plan_choices = [(pid, p) for pid, p in plans if p.municipio == municipio]
        if len(plan_choices) > 1:
            names = [p.nome for _, p in plan_choices]
            titulos = {p.nome: p.titulo for _, p in plan_choices}
            nome = st.selectbox(
                "Plano",
                names,
                format_func=lambda n: titulos[n],
                **vista.bind(K_PLANO, None, names, default=_plano_padrao(plan_choices)),
            )
            plano_id, plano = next(x for x in plan_choices if x[1].nome == nome)
        else:
            plano_id, plano = plan_choices[0]
        uf = f"/{plano.uf}" if plano.uf else ""
        # typed by people: escaped, never live Markdown
        st.caption(f"{escape_md(plano.municipio)}{uf} · {escape_md(plano.titulo)}")

        ctx = state.load_context(
            store, plano_id, plano, flt.Filtros(municipio=municipio), municipios
        )
        if not ctx.anos:
            st.info(textos.UI["sem_metas_sidebar"])
            ctx.filtros = flt.Filtros(municipio=municipio if len(municipios) > 1 else None)
            st.session_state["_pmas_contexto"] = ctx
            _sync_url(ctx.filtros)
            return ctx

        ano = st.selectbox(
            B["ano"],
            ctx.anos,
            help=textos.UI["ajuda_ano"],
            **vista.bind(
                K_ANO, flt.Q_ANO, ctx.anos, default=ctx.anos[-1], parse=int, rotulo=B["o_ano"]
            ),
        )

        eixo_nums = [None] + [e.numero for e in plano.eixos]
        rotulos = {e.numero: e.rotulo for e in plano.eixos}
        # placeholder: a None value reads as "no choice" and would show Streamlit's English one
        eixo = st.selectbox(
            B["eixo"],
            eixo_nums,
            placeholder=B["todos_eixos"],
            format_func=lambda n: B["todos_eixos"] if n is None else rotulos[n],
            **vista.bind(K_EIXO, flt.Q_EIXO, eixo_nums, parse=int, rotulo=B["o_eixo"]),
        )

        metas_ano = ctx.metas_todas[ctx.metas_todas["ano"] == ano]
        situacoes = st.multiselect(
            B["situacao"],
            STATUS_ORDER,
            placeholder=B["todas"],
            **vista.bind(K_SIT, flt.Q_SITUACAO, STATUS_ORDER, multi=True, rotulo=B["a_situacao"]),
        )
        territorios_opts = _options(metas_ano["territorio"])
        territorios = st.multiselect(
            B["territorio"],
            territorios_opts,
            placeholder=B["todos"],
            **vista.bind(
                K_TER, flt.Q_TERRITORIO, territorios_opts, multi=True, rotulo=B["o_territorio"]
            ),
        )
        resp_opts = _options(metas_ano["responsavel"])
        responsaveis = st.multiselect(
            B["responsavel"],
            resp_opts,
            placeholder=B["todos"],
            **vista.bind(
                K_RESP, flt.Q_RESPONSAVEL, resp_opts, multi=True, rotulo=B["o_responsavel"]
            ),
        )

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
                fuso=relogio.rotulo(),
                usuario=escape_md(v.usuario),
                versao=v.numero,
            )
        )


def _sync_url(f: flt.Filtros) -> None:
    """The filters' URL parameters follow the filters; a screen's own parameters stay."""
    wanted = f.to_query()
    for k in flt.QUERY_KEYS:
        vista.to_url(k, wanted.get(k))
