"""The import, end to end: bytes → read → normalise → validate → (preview) → store.

``analyse`` never writes; ``import_file`` stores only when there is no error, in one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from pmas import textos
from pmas.analise import deliberacoes as delib
from pmas.dados import schema
from pmas.dados.plano import Plano, de_exemplo
from pmas.dados.store import ROOT, AlreadyImported, Store, Version
from pmas.entrada import isolado, memoria, validate
from pmas.entrada.aba_plano import plan_sheet
from pmas.entrada.findings import (
    Finding,
    Rejected,
    Relatorio,
    com_codigo,
    finding,
    has_errors,
    relatorio,
    with_goals,
)
from pmas.entrada.mapa import Mapa
from pmas.entrada.normalize import Normalized, normalize_workbook
from pmas.entrada.reader import DEFAULT_LIMITS, Limits, read
from pmas.entrada.reader import tamanho as reader_size
from pmas.registro import logger, registrar_erro
from pmas.text import clean_display

_log = logger(__name__)


@dataclass
class Analysis:
    filename: str
    sha256: str
    size: int
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    sheets: list[Normalized] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # The workbook's Plano sheet (pmas.entrada.aba_plano): its name, and the plan it describes
    # (None: no such sheet, left blank, or with errors); and the plan the data was checked with.
    aba_plano: str | None = None
    plano_arquivo: Plano | None = None
    plano: Plano | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)

    @property
    def anos(self) -> list[int]:
        years: set[int] = set()
        for frame in self.frames.values():
            if len(frame) and "ano" in frame:
                years.update(int(a) for a in frame["ano"].dropna().unique())
        return sorted(years)

    @property
    def anos_plano(self) -> list[int]:
        """The years that choose the plan the file belongs to: its goals' (a monitoring
        workbook may also hold the previous conference), else every year it holds."""
        metas = self.frames.get("metas")
        if metas is not None and len(metas) and "ano" in metas:
            return sorted(int(a) for a in metas["ano"].dropna().unique())
        return self.anos

    @property
    def linhas(self) -> int:
        return sum(len(f) for f in self.frames.values())

    @property
    def colunas_desconhecidas(self) -> list[str]:
        """Headings no alias (nor the user's mapping) recognised: the user may map them."""
        out: list[str] = []
        for norm in self.sheets:
            out.extend(c for c in norm.desconhecidas if c not in out)
        return out

    @property
    def situacoes_desconhecidas(self) -> list[str]:
        """Status values no word family (nor the user's mapping) recognised."""
        out: list[str] = []
        for norm in self.sheets:
            out.extend(c for c in norm.situacoes_desconhecidas if c not in out)
        return out

    @property
    def reducoes_pendentes(self) -> list[str]:
        """Goal texts starting with Reduzir/Diminuir whose direction the user has not given."""
        out: list[str] = []
        for norm in self.sheets:
            out.extend(c for c in norm.reducoes_pendentes if c not in out)
        return out

    @property
    def contagens(self) -> dict[str, int]:
        """Data rows read under the headers, stored (distinct rows behind the records) and
        skipped by reason; records stored (a row of year blocks makes one per year)."""
        out = {"linhas_lidas": 0, "linhas_guardadas": 0, "linhas_puladas": 0}
        for norm in self.sheets:
            for k, v in norm.contagem.items():
                name = "linhas_lidas" if k == "lidas" else k
                out[name] = out.get(name, 0) + v
            out["linhas_puladas"] += norm.linhas_puladas
            if len(norm.frame) and "_linha" in norm.frame:
                out["linhas_guardadas"] += int(norm.frame["_linha"].nunique())
        out["registros"] = self.linhas
        return out

    @property
    def relatorio(self) -> Relatorio:
        return relatorio(self.filename, self.findings, self.contagens)


@dataclass
class ImportResult:
    situacao: str  # "importado" | "simulado" | "rejeitado" | "repetido"
    analysis: Analysis
    versions: list[Version] = field(default_factory=list)
    repetido: Version | None = None

    def as_dict(self) -> dict:
        """The CLI's JSON (:data:`pmas.entrada.findings.IMPORTACAO_SCHEMA`)."""
        a = self.analysis
        return {
            "situacao": self.situacao,
            "anos": a.anos,
            "linhas": a.linhas,
            **a.relatorio.as_dict(),
            "colunas_desconhecidas": a.colunas_desconhecidas,
            "situacoes_desconhecidas": a.situacoes_desconhecidas,
            "reducoes_pendentes": a.reducoes_pendentes,
        }


def analyse(
    data: bytes,
    filename: str,
    plano: Plano | None,
    ano: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    on_step: Callable[[str], None] | None = None,
    mapa: Mapa | None = None,
    codigos: set[str] | None = None,
    plano_do_arquivo: bool = False,
) -> Analysis:
    """Everything short of storing: what the file holds and what is wrong with it.

    The data is checked against ``plano``; against the plan of the file's Plano sheet instead
    when ``plano_do_arquivo`` is true or ``plano`` is None and the sheet is there (without either,
    an error: there are no eixos to check the goals with). ``Analysis.plano`` is the plan used.

    The size is checked before anything else is done with the bytes (not even hashed).
    ``codigos`` are the keys of the goal códigos already stored for the municipality
    (:meth:`Store.goal_codes`): a deliberation may cite them, or the file's own goals.
    ``on_step`` is told each step as it starts: ``"ler"`` (read the file), ``"conferir"`` (find
    the tables, check the values).
    """
    step = on_step or (lambda _name: None)
    filename = clean_display(filename)  # shown and stored: no control or bidi characters
    if len(data) > limits.max_bytes:
        too_big = finding(
            "arquivo_grande", tamanho=reader_size(len(data)), limite=reader_size(limits.max_bytes)
        )
        return Analysis(filename=filename, sha256="", size=len(data), findings=[too_big])
    result = Analysis(filename=filename, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    step("ler")
    try:
        raw = read(data, filename, limits)
    except Rejected as exc:
        result.findings = exc.findings
        if exc.__cause__ is not None:  # an unexpected parser failure behind the refusal
            codigo = registrar_erro(_log, f"leitura recusada: {filename!r}", exc.__cause__)
            result.findings = [com_codigo(f, codigo) for f in exc.findings]
        return result
    memoria.devolver(len(data))  # the reader's freed memory, before normalising adds to it
    step("conferir")
    aba = plan_sheet(raw)
    plan_findings = aba.findings if aba is not None else []
    if aba is not None:
        result.aba_plano, result.plano_arquivo = aba.aba, aba.plano
        if aba.plano is not None and (plano is None or plano_do_arquivo):
            plano = aba.plano
    result.plano = plano
    if plano is None:
        result.findings = [*raw.findings, *plan_findings]
        if not has_errors(plan_findings):
            result.findings.append(finding("plano_sem_plano"))
        return result
    sheets, findings = normalize_workbook(raw, ano=ano, plano=plano, mapa=mapa)
    findings[len(raw.findings) : len(raw.findings)] = plan_findings
    del raw  # the raw cells are the largest object of an import: free them before checking
    memoria.devolver(len(data))
    result.sheets = sheets
    collected: dict[str, list[pd.DataFrame]] = {}
    for norm in sheets:
        findings.extend(norm.findings)
        if has_errors(norm.findings) or norm.frame.empty:
            continue
        frame, checks = validate.check(norm, plano, mapa)
        findings.extend(checks)
        collected.setdefault(norm.table.name, []).append(frame)
    result.frames = {
        name: pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        for name, parts in collected.items()
    }
    if "deliberacoes" in result.frames:
        known = (codigos or set()) | delib.known_codes(result.frames.get("metas"))
        label = next(
            (
                validate._first_label(n, "metas")
                for n in sheets
                if n.table.name == "deliberacoes" and "metas" in n.mapped.values()
            ),
            schema.DELIBERACOES.column("metas").label,
        )
        findings.extend(validate.check_links(result.frames["deliberacoes"], known, label))
    result.findings = with_goals(findings, _goals(result.frames.get("metas"), findings))
    return result


def previous_import(store: Store, plano: Plano, sha256: str) -> Version | None:
    """The plan's current version that came from these exact bytes (the same file may go to
    another municipality or plan)."""
    found = store.plan(plano.municipio, plano.nome)
    return store.find_file(sha256, found[0]) if found is not None else None


def _goals(metas: pd.DataFrame | None, findings: list[Finding]) -> dict[tuple[str, int], tuple]:
    """(sheet, Excel row) → (código, ação or meta) of the goals stored from the rows that have
    a finding (only those: a large file with few findings looks up only their rows)."""
    if metas is None or metas.empty:
        return {}
    wanted = {(f.aba, f.linha) for f in findings if f.aba and f.linha}
    if not wanted:
        return {}
    rows = metas[metas["_linha"].isin({linha for _, linha in wanted})]
    out: dict[tuple[str, int], tuple] = {}
    text = rows["acao"].where(rows["acao"].notna(), rows["meta"])
    for aba, linha, codigo, acao in zip(
        rows["_aba"].tolist(), rows["_linha"].tolist(), rows["codigo"].tolist(), text.tolist()
    ):
        k = (aba, int(linha))
        if k in wanted and k not in out:
            out[k] = (_text_or_none(codigo), _text_or_none(acao))
    return out


def _text_or_none(v: object) -> str | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    return str(v)[:200]


def analyse_isolated(
    data: bytes,
    filename: str,
    plano: Plano | None,
    ano: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    on_step: Callable[[str], None] | None = None,
    mapa: Mapa | None = None,
    **opcoes: Any,
) -> Analysis:
    """:func:`analyse` in a child process under CPU-time, wall-time and memory limits
    (:mod:`pmas.entrada.isolado`), so no parser bug can stall or kill this process; a limit hit
    is an ``erro`` finding. An oversized file is answered here, before its bytes are copied."""
    if len(data) > limits.max_bytes:
        return analyse(data, filename, plano, ano, limits, mapa=mapa, **opcoes)
    result = isolado.analyse(
        data, filename, plano, ano, limits, on_step=on_step, mapa=mapa, **opcoes
    )
    if isinstance(result, isolado.Interrompida):
        return Analysis(filename=filename, sha256="", size=len(data), findings=[result.achado])
    return result


def repeated_file(previous: Version) -> Finding:
    """The warning for a file whose exact bytes made a version that is current."""
    return finding(
        "arquivo_ja_importado",
        quando=previous.criado_em.strftime("%d/%m/%Y %H:%M"),
        quem=previous.usuario,
    )


def import_file(
    store: Store,
    data: bytes,
    filename: str,
    plano: Plano,
    *,
    usuario: str,
    ano: int | None = None,
    simular: bool = False,
    exemplo: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    on_commit=None,
    analysis: Analysis | None = None,
    mapa: Mapa | None = None,
    isolar: bool = True,
    atualizar_plano: bool = False,
) -> ImportResult:
    """Analyse and, when there is no error and the file is new, store it (one transaction).

    ``analysis`` is the result of :func:`analyse` for these very bytes, plan and year when the
    caller already has it (the dashboard shows it before confirming); it is used only when its
    SHA-256 matches ``data``. Otherwise the file is analysed in a limited child process
    (:func:`analyse_isolated`), unless ``isolar`` is False (the example files shipped with the
    code).

    The plan is created in the same transaction when it is not stored yet (a file's Plano
    sheet); with ``atualizar_plano`` the stored plan of that municipality and name becomes
    ``plano`` (audit-logged), also in that transaction: nothing is stored if the import fails.
    """
    filename = clean_display(filename)
    if (
        analysis is None
        or not analysis.sha256
        or analysis.sha256 != hashlib.sha256(data).hexdigest()
    ):
        codigos = store.goal_codes(plano.municipio, exemplo=plano.exemplo)
        run = analyse_isolated if isolar else analyse
        analysis = run(data, filename, plano, ano, limits, mapa=mapa, codigos=codigos)
    else:
        analysis = replace(analysis, findings=list(analysis.findings))  # the caller's stays as is
    if not analysis.ok:
        return ImportResult("rejeitado", analysis)
    previous = previous_import(store, plano, analysis.sha256)
    if previous is not None:
        analysis.findings.append(repeated_file(previous))
        return ImportResult("repetido", analysis, repetido=previous)
    if not any(f.codigo == "relatorio_aprovado" for f in analysis.findings):
        analysis.findings.extend(approved_years(store, plano, analysis.anos))
    if simular:
        return ImportResult("simulado", analysis)
    try:
        versions = store.save_import(
            plano,
            analysis.frames,
            usuario=usuario,
            arquivo=data,
            nome_arquivo=filename,
            exemplo=exemplo,
            on_commit=on_commit,
            only_new_file=True,
            atualizar_plano=atualizar_plano,
        )
    except AlreadyImported as exc:
        # The same file, sent twice at the same instant: the other upload stored it first.
        previous = next(v for v in store.versions() if v.id == exc.version_id)
        analysis.findings.append(repeated_file(previous))
        return ImportResult("repetido", analysis, repetido=previous)
    _log.info(
        "importação: %s (%s) → %s, %s; anos %s; por %s; sha256 %s",
        filename,
        f"{len(data)} bytes",
        plano.municipio,
        plano.nome,
        ", ".join(str(v.ano) for v in versions),
        usuario,
        analysis.sha256[:12],
    )
    return ImportResult("importado", analysis, versions)


def approved_years(store: Store, plano: Plano, anos: list[int]) -> list[Finding]:
    """A warning per year whose report the council already approved: the import replaces the
    approved version (which stays stored, and the report says which one was approved)."""
    from pmas.dados import aprovacao

    found = store.plan(plano.municipio, plano.nome)
    avisos = aprovacao.aviso_importacao(store, found[0] if found else None, anos)
    return [finding("relatorio_aprovado", aviso=a) for a in avisos]


EXAMPLE_USER = textos.USUARIO_EXEMPLO
# The example workbooks shipped with the project (generated by tools/exemplo.py).
EXAMPLE_FOLDER = ROOT / "data" / "exemplo"


def load_examples(store: Store, plano: Plano, pasta=None) -> list[ImportResult]:
    """Import the example workbooks shipped in data/exemplo/ (marked as example data)."""

    pasta = pasta or EXAMPLE_FOLDER
    plano = de_exemplo(plano)  # its own plan, flagged and named apart from real data's
    results = []
    for path in sorted(pasta.glob("*.xlsx")):
        results.append(
            import_file(
                store,
                path.read_bytes(),
                path.name,
                plano,
                usuario=EXAMPLE_USER,
                exemplo=True,
                isolar=False,
            )
        )
    return results
