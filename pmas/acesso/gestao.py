"""The write services the dashboard and the command line call: check a file (anyone), import
it, undo an import, save the report's fields, move the report through the council's approval,
keep the report's Word template (an :class:`~pmas.acesso.actor.Actor` only).

Each write service takes ``actor=`` explicitly and refuses ``None`` (a reader) with
:class:`~pmas.acesso.actor.SemPermissao` before touching the store; the name that goes into the
history and the audit log is ``actor.registro``. Front ends never call the store's write methods
themselves (a test reads pages/, pmas/ui and the CLI for that).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pmas.acesso.actor import Actor, exigir
from pmas.dados.plano import Plano
from pmas.dados.store import Store, Version
from pmas.entrada import mapa as mapa_mod
from pmas.entrada import preview
from pmas.entrada.mapa import Mapa
from pmas.entrada.pipeline import (
    Analysis,
    ImportResult,
    analyse_isolated,
    approved_years,
    import_file,
    previous_import,
    repeated_file,
)
from pmas.registro import logger

_log = logger(__name__)


@dataclass
class Conferencia:
    """A checked upload, before anything is stored."""

    analysis: Analysis
    previas: list[preview.PreviaAno] = field(default_factory=list)
    repetido: Version | None = None  # the current version that came from this same file
    base: tuple[int, ...] = ()  # ids of the plan's current versions the preview was made against

    @property
    def pode_importar(self) -> bool:
        return self.analysis.ok and self.repetido is None and bool(self.analysis.frames)


def current_state(store: Store, plano: Plano) -> tuple[int | None, list[Version]]:
    """The plan's id in the database (None if not stored yet) and its current versions."""
    found = store.plan(plano.municipio, plano.nome)
    if found is None:
        return None, []
    return found[0], store.current_versions(found[0])


def conferir(
    store: Store,
    plano: Plano,
    nome: str,
    data: bytes,
    ano: int | None = None,
    on_step: Callable[[str], None] | None = None,
    mapa: Mapa | None = None,
) -> Conferencia:
    """Read and check an upload (in a limited child process) and compare it with the current
    data. Stores nothing.

    ``on_step`` is told each step: ``"ler"``, ``"conferir"``, ``"comparar"``.
    """
    analysis = analyse_isolated(
        data,
        nome,
        plano,
        ano,
        on_step=on_step,
        mapa=mapa,
        codigos=store.goal_codes(plano.municipio, exemplo=plano.exemplo),
    )
    if not analysis.ok:
        return Conferencia(analysis)
    repetido = previous_import(store, plano, analysis.sha256)
    if repetido is not None:
        analysis.findings.append(repeated_file(repetido))
    analysis.findings.extend(approved_years(store, plano, analysis.anos))
    if on_step:
        on_step("comparar")
    plano_id, versoes = current_state(store, plano)
    atuais = (
        {
            name: store.load(name, plano_id)
            for name in ("metas", "conferencias", "indicadores", "deliberacoes")
        }
        if plano_id is not None
        else {}
    )
    previas = preview.preview(analysis.frames, atuais, plano, {v.ano: v.numero for v in versoes})
    return Conferencia(analysis, previas, repetido, tuple(sorted(v.id for v in versoes)))


def mudou_desde(store: Store, plano: Plano, conferencia: Conferencia) -> bool:
    """True when someone stored or undid an import of this plan after the check was made."""
    _, versoes = current_state(store, plano)
    return tuple(sorted(v.id for v in versoes)) != conferencia.base


def importar(
    store: Store,
    plano: Plano,
    nome: str,
    data: bytes,
    *,
    actor: Actor | None,
    ano: int | None = None,
    analysis: Analysis | None = None,
    simular: bool = False,
    mapa: Mapa | None = None,
    salvar_mapa: bool = False,
) -> ImportResult:
    """Store the file as a new version of each year it holds (``simular``: check only).

    ``mapa`` is the mapping the file was read with; with ``salvar_mapa`` it is saved with the
    plan once the file is stored, so the same file shape imports directly next year."""
    actor = exigir(actor)
    result = import_file(
        store,
        data,
        nome,
        plano,
        usuario=actor.registro,
        ano=ano,
        analysis=analysis,
        simular=simular,
        mapa=mapa,
    )
    if salvar_mapa and mapa is not None and result.situacao == "importado":
        mapa_mod.save(store, plano, mapa, usuario=actor.registro)
    return result


def salvar_mapa(store: Store, plano: Plano, mapa: Mapa, *, actor: Actor | None) -> None:
    """Replace the plan's saved mapping (the Plano screen removes entries with it)."""
    actor = exigir(actor)
    mapa_mod.save(store, plano, mapa, usuario=actor.registro)


def desfazer(store: Store, plano: Plano, ano: int, *, actor: Actor | None) -> Version:
    """Make the previous version of ``ano`` current again."""
    actor = exigir(actor)
    versao = store.undo(plano.municipio, ano, usuario=actor.registro, plano_nome=plano.nome)
    _log.info(
        "desfazer: %s, %s, ano %s → versão %s; por %s",
        plano.municipio,
        plano.nome,
        ano,
        versao.numero,
        actor.registro,
    )
    return versao


def salvar_campos_relatorio(
    store: Store, plano_id: int, ano: int, campos: dict, *, actor: Actor | None
) -> None:
    """Save the report's fields of ``ano`` (already cleaned by ``report.clean_fields``)."""
    actor = exigir(actor)
    store.save_report_fields(plano_id, ano, campos, usuario=actor.registro)


def criar_plano(store: Store, plano: Plano, *, actor: Actor | None) -> int:
    """Store a new plan (checked; PlanoRecusado says why not)."""
    actor = exigir(actor)
    pid = store.create_plan(plano, usuario=actor.registro)
    _log.info("plano criado: %s, %s; por %s", plano.municipio, plano.nome, actor.registro)
    return pid


def alterar_plano(store: Store, plano_id: int, plano: Plano, *, actor: Actor | None) -> list[str]:
    """Change a stored plan; returns what changed (as written to the audit log)."""
    actor = exigir(actor)
    mudou = store.update_plan(plano_id, plano, usuario=actor.registro)
    _log.info("plano alterado: %s, %s; por %s", plano.municipio, plano.nome, actor.registro)
    return mudou


def proximo_ciclo(
    store: Store,
    plano_id: int,
    inicio: int,
    fim: int,
    nome: str | None = None,
    *,
    actor: Actor | None,
) -> tuple[int, Plano]:
    """The next plan of the municipality, with the same eixos and a new period."""
    actor = exigir(actor)
    return store.next_cycle(plano_id, inicio, fim, nome, usuario=actor.registro)


def mover_relatorio(
    store: Store,
    plano_id: int,
    ano: int,
    acao: str,
    *,
    actor: Actor | None,
    dados: dict | None = None,
    documento: bytes | None = None,
):
    """Move the year's report one step in the council's workflow (:mod:`pmas.dados.aprovacao`);
    on approval ``documento`` (the .docx) is frozen with the data versions."""
    from pmas.dados import aprovacao

    actor = exigir(actor)
    situacao = aprovacao.mover(
        store, plano_id, ano, acao, usuario=actor.registro, dados=dados, documento=documento
    )
    _log.info("relatório %s: %s → %s; por %s", ano, acao, situacao.estado, actor.registro)
    return situacao


def salvar_modelo_relatorio(
    store: Store, plano_id: int, nome: str, conteudo: bytes, *, actor: Actor | None, amostra: dict
) -> None:
    """Keep an uploaded Word template for the plan's reports, after checking that it fills
    (``conteudo=b""`` goes back to the default template)."""
    from pmas.saida.relatorio import modelo

    actor = exigir(actor)
    modelo.save(store, plano_id, nome, conteudo, usuario=actor.registro, sample=amostra)


def vincular(
    store: Store,
    plano_id: int,
    edicao: int,
    links: dict[str, str | None],
    *,
    actor: Actor | None,
) -> Version:
    """Change the goals linked to deliberations of an edition (number → "1.2.1; 3.1.2" or
    None): a new version of that year, audited."""
    actor = exigir(actor)
    return store.save_links(plano_id, edicao, links, usuario=actor.registro)


def remover_exemplo(store: Store, *, actor: Actor | None) -> dict[str, int]:
    """Delete the example data (every example plan and what hangs from it) and keep it from
    being loaded again; returns what was removed (:meth:`Store.remove_examples`)."""
    actor = exigir(actor)
    feito = store.remove_examples(usuario=actor.registro)
    _log.info(
        "dados de exemplo removidos: %s planos, %s versões; por %s",
        feito["planos"],
        feito["versoes"],
        actor.registro,
    )
    return feito
