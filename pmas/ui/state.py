"""The app's shared state: one Store per server, the first-run example data, cached loads."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

import pandas as pd
import streamlit as st

from pmas import textos
from pmas.analise import consulta, metrics
from pmas.analise import filtros as flt
from pmas.analise.consulta import goal_years
from pmas.dados.plano import DEFAULT_PLANO, Plano
from pmas.dados.store import Store, Version, database_url
from pmas.entrada.pipeline import load_examples


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def get_store() -> Store:
    return _store(database_url())


def examples_enabled() -> bool:
    """PMAS_EXEMPLO=0 turns off loading the example data into an empty database."""
    return os.environ.get("PMAS_EXEMPLO", "1") != "0"


def ensure_data(store: Store) -> bool:
    """On first run with an empty database, load the example workbooks (into their own plan,
    flagged ``exemplo``). Never again once a manager removed them. True if it loaded them."""
    if not examples_enabled() or not store.is_empty() or store.examples_removed():
        return False
    with st.spinner(textos.UI["carregando_exemplo"]):
        results = load_examples(store, DEFAULT_PLANO)
    return any(r.situacao == "importado" for r in results)


@st.cache_data(show_spinner=False, max_entries=64)
def _load(url: str, plano_id: int, signature: tuple[int, ...]) -> dict[str, pd.DataFrame]:
    store = _store(url)
    return {name: store.load(name, plano_id) for name in ("metas", "conferencias", "indicadores")}


@dataclass
class Contexto:
    """What every page draws from: the plan, the filters and the current data."""

    store: Store
    plano_id: int
    plano: Plano
    filtros: flt.Filtros
    anos: list[int]
    metas_todas: pd.DataFrame
    conferencias: pd.DataFrame
    indicadores: pd.DataFrame
    versoes: list[Version] = field(default_factory=list)
    municipios: list[str] = field(default_factory=list)

    @property
    def exemplo(self) -> bool:
        """The plan on screen is the example data's (its data is never mixed with real)."""
        return self.plano.exemplo or (bool(self.versoes) and all(v.exemplo for v in self.versoes))

    @property
    def ano(self) -> int:
        """The chosen year: a screen with goals always has one (page.start stops otherwise)."""
        if self.filtros.ano is None:
            raise LookupError("page.start(needs_goals=True) guarantees a chosen year")
        return self.filtros.ano

    @property
    def metas_ano(self) -> pd.DataFrame:
        """The chosen year's goals, before the other filters."""
        if self.filtros.ano is None or self.metas_todas.empty:
            return self.metas_todas
        return self.metas_todas[self.metas_todas["ano"] == self.filtros.ano]

    @property
    def metas(self) -> pd.DataFrame:
        """The chosen year's goals with every filter applied."""
        return flt.apply(self.metas_todas, self.filtros)

    def previous_figures(self) -> tuple[int | None, dict | None]:
        """The previous stored year and its figures under the same filters (for the deltas)."""
        year = metrics.previous_year(self.anos, self.filtros.ano)
        if year is None:
            return None, None
        return year, metrics.figures(flt.apply(self.metas_todas, replace(self.filtros, ano=year)))

    def versao_do_ano(self) -> Version | None:
        for v in self.versoes:
            if v.ano == self.filtros.ano:
                return v
        return None


def load_context(
    store: Store, plano_id: int, plano: Plano, filtros: flt.Filtros, municipios: list[str]
) -> Contexto:
    versoes = store.current_versions(plano_id)
    data = _load(store.url, plano_id, tuple(sorted(v.id for v in versoes)))
    return Contexto(
        store=store,
        plano_id=plano_id,
        plano=plano,
        filtros=filtros,
        anos=goal_years(data["metas"]),
        metas_todas=data["metas"],
        conferencias=data["conferencias"],
        indicadores=data["indicadores"],
        versoes=versoes,
        municipios=municipios,
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _em_ciclos(url: str, plano_id: int, signature: tuple[int, ...]):
    return consulta.metas_em_ciclos(_store(url), plano_id)


def metas_em_ciclos(ctx: Contexto) -> tuple[list[tuple[int, Plano]], pd.DataFrame]:
    """The plan on screen with the plans just before and after it, and their goals in one frame
    (with ``plano``), cached until any data changes (:func:`pmas.analise.consulta.metas_em_ciclos`)."""
    return _em_ciclos(ctx.store.url, ctx.plano_id, ctx.store.current_signature())


def context() -> Contexto | None:
    """The context the sidebar built for this run (None when the database is empty)."""
    return st.session_state.get("_pmas_contexto")


@st.cache_data(show_spinner=False, max_entries=16)
def _ranking(url: str, signature: tuple[int, ...], ano: int, eixos: tuple[int, ...], exemplo: bool):
    metas = _store(url).load_all("metas", [ano], columns=metrics.RANKING_COLUMNS, exemplo=exemplo)
    return metrics.ranking(metas, list(eixos))


def ranking(store: Store, ano: int, eixos: tuple[int, ...], *, exemplo: bool) -> pd.DataFrame:
    """Every municipality's figures for a year (cached until any data changes): of the example
    plans or of the real ones, never both (example data never mixes with real data)."""
    return _ranking(store.url, store.current_signature(), ano, eixos, exemplo)


def many_municipalities() -> bool:
    return len(get_store().municipalities()) > 1


_MEMO: dict = {}


def memo(fn):
    """``fn`` (a pure function of data frames and plain values) cached across reruns and
    sessions, keyed on its arguments: figures that do not change are not computed again."""
    if fn not in _MEMO:
        _MEMO[fn] = st.cache_data(show_spinner=False, max_entries=64)(fn)
    return _MEMO[fn]


_SHARED: dict = {}


def shared(fn):
    """Like :func:`memo`, but every caller gets the very same object, never a copy: for results
    nobody modifies, such as Plotly figures (``st.cache_data`` hands out an unpickled copy, and
    unpickling a figure rebuilds and re-validates it)."""
    if fn not in _SHARED:
        _SHARED[fn] = st.cache_resource(show_spinner=False, max_entries=64)(fn)
    return _SHARED[fn]
