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
from dataclasses import dataclass, field, replace

from pmas import textos
from pmas.acesso.actor import Actor, exigir
from pmas.dados.plano import Plano, diferencas
from pmas.dados.store import Store, Version
from pmas.entrada import mapa as mapa_mod
from pmas.entrada import preview
from pmas.entrada.findings import finding
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


CRIAR, IGUAL, DIFERENTE = "criar", "igual", "diferente"


@dataclass
class PlanoDoArquivo:
    """The plan a file's Plano sheet describes, against the stored plans: to be created
    (``criar``), the same as the stored one (``igual``) or different (``diferente``: the
    manager keeps the stored plan or updates it with the file's)."""

    plano: Plano  # as the file says (the stored one's diretrizes and example mark kept)
    situacao: str
    guardado: Plano | None = None
    plano_id: int | None = None
    diferencas: list[str] = field(default_factory=list)
    problemas: list[str] = field(default_factory=list)  # why it could not be stored


def plano_do_arquivo(store: Store, plano: Plano) -> PlanoDoArquivo:
    """Compare the plan of a file's Plano sheet with the stored plan of the same municipality
    and name."""
    found = store.plan(plano.municipio, plano.nome)
    if found is None:
        return PlanoDoArquivo(plano, CRIAR, problemas=store.plan_problems(plano))
    pid, guardado = found
    # The sheet carries no diretrizes: the stored ones stay.
    diretrizes = {e.numero: e.diretrizes for e in guardado.eixos}
    plano = replace(
        plano,
        exemplo=guardado.exemplo,
        eixos=tuple(replace(e, diretrizes=diretrizes.get(e.numero, ())) for e in plano.eixos),
    )
    difs = diferencas(guardado, plano)
    if not difs:
        return PlanoDoArquivo(guardado, IGUAL, guardado, pid)
    return PlanoDoArquivo(
        plano, DIFERENTE, guardado, pid, difs, store.plan_problems(plano, ignore_id=pid)
    )


@dataclass
class Conferencia:
    """A checked upload, before anything is stored."""

    analysis: Analysis
    previas: list[preview.PreviaAno] = field(default_factory=list)
    repetido: Version | None = None  # the current version that came from this same file
    base: tuple[int, ...] = ()  # ids of the plan's current versions the preview was made against
    plano: Plano | None = None  # the plan the file goes to (None: there is none)
    plano_arquivo: PlanoDoArquivo | None = None  # the file's Plano sheet, compared
    atualizar_plano: bool = False  # the stored plan is updated with the file's on import

    @property
    def pode_importar(self) -> bool:
        return (
            self.analysis.ok
            and self.repetido is None
            and bool(self.analysis.frames)
            and self.plano is not None
        )


def current_state(store: Store, plano: Plano) -> tuple[int | None, list[Version]]:
    """The plan's id in the database (None if not stored yet) and its current versions."""
    found = store.plan(plano.municipio, plano.nome)
    if found is None:
        return None, []
    return found[0], store.current_versions(found[0])


def conferir(
    store: Store,
    plano: Plano | None,
    nome: str,
    data: bytes,
    ano: int | None = None,
    on_step: Callable[[str], None] | None = None,
    mapa: Mapa | None = None,
    atualizar_plano: bool = False,
) -> Conferencia:
    """Read and check an upload (in a limited child process) and compare it with the current
    data. Stores nothing.

    ``plano`` is the plan chosen on screen (None: the municipality has none). A file with a
    Plano sheet goes to the plan it describes: created on import when it is not stored; when
    it is stored and differs, checked against the stored plan, or against the file's with
    ``atualizar_plano`` (the stored plan is then updated on import).
    ``on_step`` is told each step: ``"ler"``, ``"conferir"``, ``"comparar"``.
    """
    codigos = (
        store.goal_codes(plano.municipio, exemplo=plano.exemplo) if plano is not None else set()
    )
    analysis = analyse_isolated(
        data, nome, plano, ano, on_step=on_step, mapa=mapa, codigos=codigos, plano_do_arquivo=True
    )
    info = None
    atualizar = False
    if analysis.plano_arquivo is not None:
        info = plano_do_arquivo(store, analysis.plano_arquivo)
        if info.situacao == DIFERENTE and not atualizar_plano:
            plano = info.guardado  # checked again with the stored plan's eixos
            analysis = analyse_isolated(
                data, nome, plano, ano, on_step=on_step, mapa=mapa, codigos=codigos
            )
        else:
            plano = info.plano
            atualizar = info.situacao == DIFERENTE
            if info.situacao == CRIAR or atualizar:
                analysis.findings.extend(
                    finding("plano_sobreposto", aba=analysis.aba_plano, motivo=m)
                    for m in info.problemas
                )
    conf = Conferencia(analysis, plano=plano, plano_arquivo=info, atualizar_plano=atualizar)
    if not analysis.ok or plano is None:
        return conf
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
    conf.previas = preview.preview(
        analysis.frames, atuais, plano, {v.ano: v.numero for v in versoes}
    )
    conf.repetido = repetido
    conf.base = tuple(sorted(v.id for v in versoes))
    return conf


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
    atualizar_plano: bool = False,
) -> ImportResult:
    """Store the file as a new version of each year it holds (``simular``: check only).

    ``mapa`` is the mapping the file was read with; with ``salvar_mapa`` it is saved with the
    plan once the file is stored, so the same file shape imports directly next year. A plan
    not stored yet is created, and with ``atualizar_plano`` the stored plan of that name is
    changed to ``plano`` (audit-logged), in the import's transaction."""
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
        atualizar_plano=atualizar_plano,
    )
    if salvar_mapa and mapa is not None and result.situacao == "importado":
        mapa_mod.save(store, plano, mapa, usuario=actor.registro)
    return result


def salvar_mapa(store: Store, plano: Plano, mapa: Mapa, *, actor: Actor | None) -> None:
    """Replace the plan's saved mapping (the Plano screen removes entries with it)."""
    actor = exigir(actor)
    mapa_mod.save(store, plano, mapa, usuario=actor.registro)


def remover_do_mapa(
    store: Store, plano: Plano, entradas: list[tuple[str, str]], *, actor: Actor | None
) -> Mapa:
    """Remove entries (part — "colunas", "situacoes" or "reducao" — and the text as written)
    from the plan's saved mapping; the audit line names each one. Returns the mapping left."""
    actor = exigir(actor)
    mapa = mapa_mod.saved(store, plano)
    partes = {p: [w for q, w in entradas if q == p] for p in mapa_mod.PARTES}
    restante = mapa.without(partes["colunas"], partes["situacoes"], partes["reducao"])
    detalhe = textos.MAPA["auditoria_removido"].format(
        entradas="; ".join(f"{textos.MAPA['parte_' + p]} “{w}”" for p, w in entradas)
    )
    mapa_mod.save(store, plano, restante, usuario=actor.registro, detalhe=detalhe[:2000])
    _log.info("mapa: %s; %s, %s; por %s", detalhe, plano.municipio, plano.nome, actor.registro)
    return restante


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
    store: Store,
    plano_id: int,
    nome: str,
    conteudo: bytes,
    *,
    actor: Actor | None,
    amostra: dict,
    tipo: str = "relatorio",
) -> None:
    """Keep an uploaded Word template for the plan's reports (``tipo="relatorio"``) or its
    Devolutiva (``"devolutiva"``), after checking that it fills (``conteudo=b""`` goes back to
    the default template)."""
    from pmas.saida.relatorio import modelo

    actor = exigir(actor)
    modelo.save(store, plano_id, nome, conteudo, usuario=actor.registro, sample=amostra, tipo=tipo)


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
