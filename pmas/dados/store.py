"""The database: plans, versions per (plan, year), goals, conference rows, indicators, the uploaded
files (addressed by SHA-256) and an audit log.

SQLAlchemy Core; SQLite by default (a file under ``data/``, WAL, busy timeout), or the URL in
``PMAS_DATABASE_URL`` (PostgreSQL in a deployment with several app servers).

Each import is one transaction that adds, for every year the file holds, a new version and makes
it current. Tables the file does not hold for a year are carried over from that year's previous
version, so nothing is ever lost. Earlier versions stay; :meth:`Store.undo` makes the previous one
current again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    create_engine,
    event,
    false,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.engine import Engine

from pmas import fmt, relogio
from pmas.dados import blobs, migrations, schema
from pmas.dados.plano import Plano, diferencas, problemas, proximo_ciclo
from pmas.text import key
from pmas.textos import AUDITORIA_DETALHES as T_AUDITORIA
from pmas.textos import PLANO as T_PLANO

ROOT = Path(__file__).resolve().parents[2]
# In a checkout the database sits in its data/ folder; an installed package (pip install .)
# has no such folder beside it, and uses pmas.db in the current directory instead.
DEFAULT_DB = ROOT / "data" / "pmas.db" if (ROOT / "data").is_dir() else Path.cwd() / "pmas.db"

md = MetaData()

planos = Table(
    "planos",
    md,
    Column("id", Integer, primary_key=True),
    Column("municipio", String(200), nullable=False),
    Column("nome", String(200), nullable=False),
    Column("config", Text, nullable=False),  # Plano as JSON: years, eixos and aliases
    Column("criado_em", DateTime, nullable=False),
    # Copies of the JSON's fields that queries filter on (revision 0002)
    Column("uf", String(2), nullable=False, server_default=""),
    Column("ibge", String(7)),
    Column("ano_inicio", Integer),
    Column("ano_fim", Integer),
    Column("exemplo", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("municipio", "nome"),
)

arquivos = Table(
    "arquivos",
    md,
    Column("sha256", String(64), primary_key=True),
    Column("nome", String(300), nullable=False),
    Column("tamanho", Integer, nullable=False),
    Column("conteudo", LargeBinary, nullable=False),
    Column("enviado_em", DateTime, nullable=False),
    Column("enviado_por", String(200), nullable=False),
)

versoes = Table(
    "versoes",
    md,
    Column("id", Integer, primary_key=True),
    Column("plano_id", Integer, ForeignKey("planos.id"), nullable=False),
    Column("ano", Integer, nullable=False),
    Column("numero", Integer, nullable=False),
    Column("atual", Boolean, nullable=False, default=False),
    Column("arquivo_sha256", String(64), ForeignKey("arquivos.sha256")),
    Column("usuario", String(200), nullable=False),
    Column("criado_em", DateTime, nullable=False),
    Column("exemplo", Boolean, nullable=False, default=False),
    # The version that was current when this one was imported: what undo brings back.
    Column("anterior_id", Integer, ForeignKey("versoes.id")),
    Column("n_metas", Integer, nullable=False, default=0),
    Column("n_conferencias", Integer, nullable=False, default=0),
    Column("n_indicadores", Integer, nullable=False, default=0),
    UniqueConstraint("plano_id", "ano", "numero"),
)
Index("ix_versoes_atual", versoes.c.plano_id, versoes.c.ano, versoes.c.atual)


# Each version's data table is one compressed blob (pmas.dados.blobs), revision 0007: a version
# of 50.000 goals is one row here, not 50.000. ``linhas`` is how many rows the blob holds.
versao_tabelas = Table(
    "versao_tabelas",
    md,
    Column("versao_id", Integer, ForeignKey("versoes.id"), primary_key=True),
    Column("tabela", String(40), primary_key=True),
    Column("linhas", Integer, nullable=False),
    Column("conteudo", LargeBinary, nullable=False),  # Arrow IPC file, zstd
)

metas = blobs.data_table(
    schema.METAS,
    (
        ("eixo_numero", schema.INTEGER),
        ("situacao_informada", schema.TEXT),
        ("situacao_derivada", blobs.BOOLEAN),
    ),
)
conferencias = blobs.data_table(schema.CONFERENCIAS)
indicadores = blobs.data_table(schema.INDICADORES)
# Conference deliberations: ``ano`` is the edition, so they are versioned with that year's
# conference rows. (No count column in ``versoes``: they are always carried over.)
deliberacoes = blobs.data_table(schema.DELIBERACOES)
DATA_TABLES = {
    "metas": metas,
    "conferencias": conferencias,
    "indicadores": indicadores,
    "deliberacoes": deliberacoes,
}
_COUNT_COLUMN = {
    "metas": "n_metas",
    "conferencias": "n_conferencias",
    "indicadores": "n_indicadores",
}

auditoria = Table(
    "auditoria",
    md,
    Column("id", Integer, primary_key=True),
    Column("quando", DateTime, nullable=False),
    Column("usuario", String(200), nullable=False),
    Column("acao", String(40), nullable=False),
    Column("plano_id", Integer),
    Column("ano", Integer),
    Column("versao_id", Integer),
    Column("detalhe", Text),
)
Index("ix_auditoria_plano", auditoria.c.plano_id, auditoria.c.id)

relatorio_campos = Table(
    "relatorio_campos",
    md,
    Column("plano_id", Integer, ForeignKey("planos.id"), primary_key=True),
    Column("ano", Integer, primary_key=True),
    Column("campos", Text, nullable=False),  # JSON
    Column("atualizado_em", DateTime, nullable=False),
    Column("atualizado_por", String(200), nullable=False),
)

# The year's report through the council (pmas.dados.aprovacao): each step of the workflow, and
# what an approval froze (the data versions and the document, with their SHA-256).
relatorio_etapas = Table(
    "relatorio_etapas",
    md,
    Column("id", Integer, primary_key=True),
    Column("plano_id", Integer, ForeignKey("planos.id"), nullable=False),
    Column("ano", Integer, nullable=False),
    Column("acao", String(20), nullable=False),
    Column("estado", String(20), nullable=False),  # the state the step led to
    Column("quando", DateTime, nullable=False),
    Column("usuario", String(200), nullable=False),
    Column("dados", Text, nullable=False),  # JSON: resolução, data, motivo, veículo...
)
Index("ix_relatorio_etapas", relatorio_etapas.c.plano_id, relatorio_etapas.c.ano)

relatorio_aprovado = Table(
    "relatorio_aprovado",
    md,
    Column("id", Integer, primary_key=True),
    Column("etapa_id", Integer, ForeignKey("relatorio_etapas.id"), nullable=False),
    Column("plano_id", Integer, ForeignKey("planos.id"), nullable=False),
    Column("ano", Integer, nullable=False),
    Column("versoes", Text, nullable=False),  # JSON: [{id, numero, arquivo_sha256}]
    Column("dados_sha256", String(64), nullable=False),
    Column("documento", LargeBinary),
    Column("documento_sha256", String(64)),
)


def _modelos(nome: str) -> Table:
    """A Word template per plan, uploaded on the Relatório screen."""
    return Table(
        nome,
        md,
        Column("plano_id", Integer, ForeignKey("planos.id"), primary_key=True),
        Column("nome", String(300), nullable=False),
        Column("conteudo", LargeBinary, nullable=False),
        Column("enviado_em", DateTime, nullable=False),
        Column("enviado_por", String(200), nullable=False),
    )


relatorio_modelos = _modelos("relatorio_modelos")  # the report's wording


# The mappings users teach, one JSON document per plan (kept by pmas.dados.mapas).
mapas = Table(
    "mapas",
    md,
    Column("plano_id", Integer, ForeignKey("planos.id"), primary_key=True),
    Column("mapa", Text, nullable=False),  # JSON: {"colunas": {...}, "situacoes": {...}}
    Column("atualizado_em", DateTime, nullable=False),
    Column("atualizado_por", String(200), nullable=False),
)

# the Devolutiva's (pmas.saida.devolutiva), revision 0006
devolutiva_modelos = _modelos("devolutiva_modelos")


# Markers about the database itself (revision 0005): e.g. EXEMPLO_REMOVIDO, set when a manager
# removed the example data, so the app does not load it again on the next start.
marcas = Table(
    "marcas",
    md,
    Column("chave", String(60), primary_key=True),
    Column("valor", Text, nullable=False),
    Column("quando", DateTime, nullable=False),
    Column("usuario", String(200), nullable=False),
)
EXEMPLO_REMOVIDO = "exemplo_removido"


def database_url(url: str | None = None) -> str:
    """The database's URL: ``url``, else ``PMAS_DATABASE_URL``, else ``data/pmas.db``. A plain
    file path (no ``scheme://``) is a SQLite file there."""
    chosen = url or os.environ.get("PMAS_DATABASE_URL") or f"sqlite:///{DEFAULT_DB}"
    if "://" not in chosen:
        return f"sqlite:///{Path(chosen).expanduser().resolve()}"
    return chosen


def _now() -> dt.datetime:
    """Wall-clock time in the app's one time zone (pmas.relogio), not the server's clock."""
    return relogio.agora()


def _sqlite_wait_s() -> float:
    """How long a SQLite writer waits for another's lock before giving up (PMAS_SQLITE_ESPERA_S,
    30 s by default): the screens then say the database is busy and nothing was stored."""
    try:
        return max(0.1, float(os.environ.get("PMAS_SQLITE_ESPERA_S", "30")))
    except ValueError:
        return 30.0


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={int(_sqlite_wait_s() * 1000)}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
    dbapi_conn.isolation_level = None  # transactions are begun by _sqlite_begin


@dataclass(frozen=True)
class Version:
    id: int
    plano_id: int
    municipio: str
    plano: str
    ano: int
    numero: int
    atual: bool
    usuario: str
    criado_em: dt.datetime
    arquivo_nome: str | None
    arquivo_sha256: str | None
    arquivo_tamanho: int | None
    exemplo: bool
    n_metas: int
    n_conferencias: int
    n_indicadores: int
    anterior_id: int | None = None  # the version undo brings back


class NothingToUndo(Exception):
    pass


class PlanoRecusado(ValueError):
    """A plan that cannot be stored; ``mensagens`` say why, in Portuguese."""

    def __init__(self, mensagens: list[str]):
        super().__init__(" ".join(mensagens))
        self.mensagens = mensagens


# pg_advisory_xact_lock class key for one municipality's plans: "PLAN" in ASCII.
_PLAN_LOCK = 0x504C414E


def _plan_columns(plano: Plano) -> dict:
    return {
        "uf": plano.uf or "",
        "ibge": plano.ibge or None,
        "ano_inicio": plano.ano_inicio,
        "ano_fim": plano.ano_fim,
        "exemplo": plano.exemplo,
    }


class AlreadyImported(Exception):
    """The file's exact bytes already made a current version (found inside the write lock)."""

    def __init__(self, version_id: int):
        super().__init__(version_id)
        self.version_id = version_id


class Store:
    """All reads and writes of the database. Safe to share between Streamlit sessions."""

    def __init__(self, url: str | None = None, engine: Engine | None = None, migrate: bool = True):
        self.url = database_url(url)
        if engine is None:
            if self.url.startswith("sqlite"):
                path = self.url.split("///", 1)[-1]
                if path and path != ":memory:":
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                engine = create_engine(self.url, connect_args={"timeout": _sqlite_wait_s()})
                event.listen(engine, "connect", _sqlite_pragmas)
                event.listen(engine, "begin", _sqlite_begin)
            else:
                engine = create_engine(self.url, pool_pre_ping=True)
        self.engine = engine
        self._writer = engine.execution_options(write=True)
        if migrate:
            self.upgrade()

    def upgrade(self) -> tuple[str | None, str]:
        """Bring the tables to the newest migration (see pmas.dados.migrations); returns the
        revision before (None: an empty database, or one made before migrations) and after."""
        return migrations.upgrade(self.engine, self._writer)

    # --- plans ----------------------------------------------------------------------------

    def ensure_plan(self, plano: Plano, *, usuario: str = "sistema") -> int:
        """The stored plan's id (by municipality and name), creating it (checked) if absent."""
        with self._writer.begin() as conn:
            return self._ensure_plan(conn, plano, usuario)

    def _ensure_plan(self, conn, plano: Plano, usuario: str = "sistema") -> int:
        found = self._plan_id(conn, plano.municipio, plano.nome)
        if found is not None:
            return found
        return self._create_plan(conn, plano, usuario)

    @staticmethod
    def _plan_id(conn, municipio: str, nome: str) -> int | None:
        return conn.execute(
            select(planos.c.id).where(planos.c.municipio == municipio, planos.c.nome == nome)
        ).scalar()

    @staticmethod
    def _lock_municipality(conn, municipio: str) -> None:
        """Serialise plan creation and changes of one municipality until the transaction ends
        (PostgreSQL: a transaction-level advisory lock on the name; SQLite: BEGIN IMMEDIATE
        already holds the database's write lock). Two first imports of a new municipality at
        once: the second waits, then finds the plan the first created."""
        if conn.dialect.name == "postgresql":
            conn.execute(
                sql_text("SELECT pg_advisory_xact_lock(:k, hashtext(:m))"),
                {"k": _PLAN_LOCK, "m": municipio},
            )

    def _check_plan(self, conn, plano: Plano, ignore_id: int | None = None) -> None:
        """Refuse (PlanoRecusado) a plan with problems, one overlapping another plan of its
        municipality, or one whose UF/IBGE contradict the municipality's other plans."""
        erros = problemas(plano)
        others = [
            (pid, p)
            for pid, p in self._plans(conn, plano.municipio)
            if pid != ignore_id and p.exemplo == plano.exemplo
        ]
        for _pid, outro in others:
            if plano.sobrepoe(outro):
                erros.append(
                    T_PLANO["sobreposto"].format(
                        periodo=plano.periodo,
                        outro=outro.nome,
                        periodo_outro=outro.periodo,
                        municipio=plano.municipio,
                    )
                )
            if (outro.uf and plano.uf and outro.uf != plano.uf) or (
                outro.ibge and plano.ibge and outro.ibge != plano.ibge
            ):
                erros.append(
                    T_PLANO["municipio_diferente"].format(
                        municipio=plano.municipio,
                        uf=outro.uf or "—",
                        ibge=outro.ibge or "—",
                        uf_novo=plano.uf or "—",
                        ibge_novo=plano.ibge or "—",
                    )
                )
        if erros:
            raise PlanoRecusado(list(dict.fromkeys(erros)))

    def _create_plan(self, conn, plano: Plano, usuario: str) -> int:
        self._lock_municipality(conn, plano.municipio)
        found = self._plan_id(conn, plano.municipio, plano.nome)  # again, under the lock
        if found is not None:
            return found
        self._check_plan(conn, plano)
        pid = conn.execute(
            insert(planos).values(
                municipio=plano.municipio,
                nome=plano.nome,
                config=plano.to_json(),
                criado_em=_now(),
                **_plan_columns(plano),
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(auditoria).values(
                quando=_now(),
                usuario=usuario,
                acao="plano_criado",
                plano_id=pid,
                detalhe=T_PLANO["criado"].format(
                    nome=plano.nome,
                    municipio=plano.municipio,
                    periodo=plano.periodo,
                    n=len(plano.eixos),
                ),
            )
        )
        return pid

    def create_plan(self, plano: Plano, *, usuario: str) -> int:
        """Store a new plan (checked: PlanoRecusado with Portuguese reasons); audit-logged."""
        with self._writer.begin() as conn:
            self._lock_municipality(conn, plano.municipio)
            if self._plan_id(conn, plano.municipio, plano.nome) is not None:
                raise PlanoRecusado(
                    [T_PLANO["ja_existe"].format(nome=plano.nome, municipio=plano.municipio)]
                )
            return self._create_plan(conn, plano, usuario)

    def update_plan(self, plano_id: int, plano: Plano, *, usuario: str) -> list[str]:
        """Change a stored plan (names, short names, aliases, period, eixos); returns what
        changed, in Portuguese, as written to the audit log. The stored rows keep their eixo
        numbers, so a renamed eixo keeps its figures."""
        with self._writer.begin() as conn:
            return self._update_plan(conn, plano_id, plano, usuario)

    def _update_plan(self, conn, plano_id: int, plano: Plano, usuario: str) -> list[str]:
        row = conn.execute(select(planos).where(planos.c.id == plano_id)).first()
        if row is None:
            raise PlanoRecusado(
                [T_PLANO["nao_encontrado"].format(nome=plano.nome, municipio=plano.municipio)]
            )
        antes = Plano.from_json(row.config)
        self._lock_municipality(conn, antes.municipio)
        if plano.municipio != antes.municipio:
            self._lock_municipality(conn, plano.municipio)
        plano = replace(plano, exemplo=antes.exemplo)
        self._check_plan(conn, plano, ignore_id=plano_id)
        other = self._plan_id(conn, plano.municipio, plano.nome)
        if other is not None and other != plano_id:
            raise PlanoRecusado(
                [T_PLANO["ja_existe"].format(nome=plano.nome, municipio=plano.municipio)]
            )
        mudou = diferencas(antes, plano)
        if not mudou:
            return []
        conn.execute(
            update(planos)
            .where(planos.c.id == plano_id)
            .values(
                municipio=plano.municipio,
                nome=plano.nome,
                config=plano.to_json(),
                **_plan_columns(plano),
            )
        )
        conn.execute(
            insert(auditoria).values(
                quando=_now(),
                usuario=usuario,
                acao="plano_alterado",
                plano_id=plano_id,
                detalhe="; ".join(mudou),
            )
        )
        return mudou

    def plan_problems(self, plano: Plano, ignore_id: int | None = None) -> list[str]:
        """Why ``plano`` could not be stored (empty: it can), as create_plan/update_plan would
        say: its own problems, and overlaps or contradictions with the municipality's plans."""
        with self.engine.connect() as conn:
            try:
                self._check_plan(conn, plano, ignore_id=ignore_id)
            except PlanoRecusado as exc:
                return list(exc.mensagens)
        return []

    def next_cycle(
        self, plano_id: int, inicio: int, fim: int, nome: str | None = None, *, usuario: str
    ) -> tuple[int, Plano]:
        """A new plan for the next period with the same municipality and eixos."""
        atual = self.plan_by_id(plano_id)
        if atual is None:
            raise PlanoRecusado([T_PLANO["sem_plano_municipio"].format(municipio="?")])
        novo = proximo_ciclo(atual, inicio, fim, nome)
        return self.create_plan(novo, usuario=usuario), novo

    @staticmethod
    def _plans(conn, municipio: str | None = None) -> list[tuple[int, Plano]]:
        q = select(planos.c.id, planos.c.config).order_by(
            planos.c.municipio, planos.c.ano_inicio, planos.c.nome
        )
        if municipio is not None:
            q = q.where(planos.c.municipio == municipio)
        return [(r.id, Plano.from_json(r.config)) for r in conn.execute(q).all()]

    def plans(self, municipio: str | None = None) -> list[tuple[int, Plano]]:
        """Every stored plan (of one municipality), by municipality and first year."""
        with self.engine.connect() as conn:
            return self._plans(conn, municipio)

    def plan_by_id(self, plano_id: int) -> Plano | None:
        with self.engine.connect() as conn:
            config = conn.execute(select(planos.c.config).where(planos.c.id == plano_id)).scalar()
        return Plano.from_json(config) if config is not None else None

    def plan(
        self, municipio: str | None = None, nome: str | None = None
    ) -> tuple[int, Plano] | None:
        """A stored plan: by municipality (and name), or the first one; None if there is none."""
        for pid, p in self.plans(municipio):
            if nome is None or p.nome == nome:
                return pid, p
        return None

    def plan_in_force(self, municipio: str, ano: int) -> tuple[int, Plano] | None:
        """The municipality's plan whose period holds the year (real data's before example's)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(planos.c.id, planos.c.config)
                .where(
                    planos.c.municipio == municipio,
                    planos.c.ano_inicio <= ano,
                    planos.c.ano_fim >= ano,
                )
                .order_by(planos.c.exemplo, planos.c.id)
            ).first()
        return (row.id, Plano.from_json(row.config)) if row else None

    def municipalities(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(planos.c.municipio).distinct().order_by(planos.c.municipio)
                ).scalars()
            )

    # --- writing --------------------------------------------------------------------------

    def find_file(self, sha256: str, plano_id: int | None = None) -> Version | None:
        """The current version of the plan (of any plan when None) that came from this exact
        file, if any: the same file may go to another municipality's or plan's data."""
        for v in self.versions(plano_id=plano_id, current_only=True):
            if v.arquivo_sha256 == sha256:
                return v
        return None

    def save_import(
        self,
        plano: Plano,
        frames: dict[str, pd.DataFrame],
        *,
        usuario: str,
        arquivo: bytes | None = None,
        nome_arquivo: str = "",
        exemplo: bool = False,
        on_commit=None,
        only_new_file: bool = False,
        atualizar_plano: bool = False,
    ) -> list[Version]:
        """Store the tables of one import in one transaction: a new current version per year.

        ``frames`` maps table name → checked frame (with ``ano``). ``on_commit`` is called inside
        the transaction just before it commits (used by the fault-injection tests). With
        ``only_new_file``, raises :class:`AlreadyImported` (storing nothing) when a current
        version came from these same bytes. The plan is created when it is not stored (checked:
        :class:`PlanoRecusado`); with ``atualizar_plano`` the stored plan of that municipality
        and name is changed to ``plano`` (audit-logged), in the same transaction.
        """
        years: set[int] = set()
        for frame in frames.values():
            if frame is not None and len(frame):
                years.update(int(a) for a in frame["ano"].dropna().unique())
        sha = hashlib.sha256(arquivo).hexdigest() if arquivo is not None else None
        now = _now()
        # The values are converted before the write lock is taken.
        prepared = {
            name: _Rows(DATA_TABLES[name], frame)
            for name, frame in frames.items()
            if name in DATA_TABLES and frame is not None and len(frame)
        }
        with self._writer.begin() as conn:
            plano_id = self._ensure_plan(conn, plano, usuario)
            if atualizar_plano:
                self._update_plan(conn, plano_id, plano, usuario)
            self._lock_plan(conn, plano_id)
            stored_example = conn.execute(
                select(planos.c.exemplo).where(planos.c.id == plano_id)
            ).scalar()
            if bool(stored_example) != exemplo:
                # Example data lives only in example plans, real data only in real ones.
                raise PlanoRecusado(
                    [T_PLANO["exemplo_mistura" if stored_example else "real_mistura"]]
                )
            if sha is not None and only_new_file:
                # Checked again under the lock: two uploads of the same file at the same instant
                # both pass the caller's check, and only the first may be stored.
                same = conn.execute(
                    select(versoes.c.id).where(
                        versoes.c.plano_id == plano_id,
                        versoes.c.arquivo_sha256 == sha,
                        versoes.c.atual.is_(True),
                    )
                ).first()
                if same is not None:
                    raise AlreadyImported(same.id)
            if arquivo is not None and sha is not None:
                exists = conn.execute(
                    select(arquivos.c.sha256).where(arquivos.c.sha256 == sha)
                ).first()
                if not exists:
                    conn.execute(
                        insert(arquivos).values(
                            sha256=sha,
                            nome=nome_arquivo[:300],
                            tamanho=len(arquivo),
                            conteudo=arquivo,
                            enviado_em=now,
                            enviado_por=usuario,
                        )
                    )
            created = []
            for ano in sorted(years):
                prev = _current_version(conn, plano_id, ano)
                vid, numero = _new_current_version(
                    conn,
                    plano_id,
                    ano,
                    prev,
                    arquivo_sha256=sha,
                    usuario=usuario,
                    criado_em=now,
                    exemplo=exemplo,
                )
                counts = {}
                for name in DATA_TABLES:
                    blob = prepared[name].blobs.get(ano) if name in prepared else None
                    count_column = _COUNT_COLUMN.get(name)
                    if blob is not None:
                        n = _put(conn, vid, name, *blob)
                    elif prev is not None and (count_column is None or getattr(prev, count_column)):
                        n = self._copy_rows(conn, name, prev.id, vid)
                    else:
                        continue
                    if count_column is not None:
                        counts[count_column] = n
                if counts:
                    conn.execute(update(versoes).where(versoes.c.id == vid).values(**counts))
                conn.execute(
                    insert(auditoria).values(
                        quando=now,
                        usuario=usuario,
                        acao="importacao",
                        plano_id=plano_id,
                        ano=ano,
                        versao_id=vid,
                        detalhe=T_AUDITORIA["importacao"].format(
                            numero=numero, ano=ano, arquivo=nome_arquivo
                        ),
                    )
                )
                created.append(vid)
            if on_commit is not None:
                on_commit()
        return [v for v in self.versions(plano_id=plano_id) if v.id in created]

    @staticmethod
    def _lock_plan(conn, plano_id: int) -> None:
        """Serialise writers of one plan (PostgreSQL: a row lock; SQLite: BEGIN IMMEDIATE
        already holds the database's write lock)."""
        conn.execute(select(planos.c.id).where(planos.c.id == plano_id).with_for_update())

    @staticmethod
    def _copy_rows(conn, name: str, from_id: int, to_id: int) -> int:
        """Carry a table over from one version to another (its blob, as it is)."""
        row = conn.execute(_blob_of(from_id, name)).first()
        return _put(conn, to_id, name, row.linhas, bytes(row.conteudo)) if row else 0

    def undo(
        self, municipio: str, ano: int, *, usuario: str, plano_nome: str | None = None
    ) -> Version:
        """Make the previous version of a year current again; returns it."""
        found = self.plan(municipio, plano_nome)
        if found is None:
            raise NothingToUndo(municipio)
        plano_id = found[0]
        with self._writer.begin() as conn:
            self._lock_plan(conn, plano_id)
            current = conn.execute(
                select(versoes).where(
                    versoes.c.plano_id == plano_id, versoes.c.ano == ano, versoes.c.atual.is_(True)
                )
            ).first()
            if current is None:
                raise NothingToUndo(ano)
            if current.anterior_id is None:
                raise NothingToUndo(ano)
            # Not "the previous number": after import v2, undo, import v3, undo, v1 comes back.
            prev = conn.execute(select(versoes).where(versoes.c.id == current.anterior_id)).one()
            conn.execute(update(versoes).where(versoes.c.id == current.id).values(atual=False))
            conn.execute(update(versoes).where(versoes.c.id == prev.id).values(atual=True))
            conn.execute(
                insert(auditoria).values(
                    quando=_now(),
                    usuario=usuario,
                    acao="desfazer",
                    plano_id=plano_id,
                    ano=ano,
                    versao_id=prev.id,
                    detalhe=T_AUDITORIA["desfeita"].format(
                        atual=current.numero, anterior=prev.numero
                    ),
                )
            )
        return next(v for v in self.versions() if v.id == prev.id)

    # --- reading --------------------------------------------------------------------------

    def versions(
        self,
        municipio: str | None = None,
        *,
        plano_id: int | None = None,
        current_only: bool = False,
    ) -> list[Version]:
        q = (
            select(
                versoes,
                planos.c.municipio,
                planos.c.nome.label("plano_nome"),
                arquivos.c.nome.label("arquivo_nome"),
                arquivos.c.tamanho,
            )
            .join(planos, planos.c.id == versoes.c.plano_id)
            .outerjoin(arquivos, arquivos.c.sha256 == versoes.c.arquivo_sha256)
            .order_by(planos.c.municipio, versoes.c.ano.desc(), versoes.c.numero.desc())
        )
        if municipio is not None:
            q = q.where(planos.c.municipio == municipio)
        if plano_id is not None:
            q = q.where(versoes.c.plano_id == plano_id)
        if current_only:
            q = q.where(versoes.c.atual.is_(True))
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        return [
            Version(
                r.id,
                r.plano_id,
                r.municipio,
                r.plano_nome,
                r.ano,
                r.numero,
                bool(r.atual),
                r.usuario,
                r.criado_em,
                r.arquivo_nome,
                r.arquivo_sha256,
                r.tamanho,
                bool(r.exemplo),
                r.n_metas,
                r.n_conferencias,
                r.n_indicadores,
                r.anterior_id,
            )
            for r in rows
        ]

    def current_versions(self, plano_id: int) -> list[Version]:
        return self.versions(plano_id=plano_id, current_only=True)

    def current_signature(self) -> tuple[int, ...]:
        """The ids of every current version: changes whenever any data changes."""
        with self.engine.connect() as conn:
            return tuple(
                conn.execute(
                    select(versoes.c.id).where(versoes.c.atual.is_(True)).order_by(versoes.c.id)
                ).scalars()
            )

    @staticmethod
    def _current_blobs(table: str, *extras):
        """The query of the current versions' blobs of ``table``: ``versao_id``, ``conteudo``
        and ``extras`` (columns of ``versoes`` or ``planos``), for :meth:`_frames`."""
        return (
            select(versao_tabelas.c.versao_id, versao_tabelas.c.conteudo, *extras)
            .join(versoes, versoes.c.id == versao_tabelas.c.versao_id)
            .join(planos, planos.c.id == versoes.c.plano_id)
            .where(versoes.c.atual.is_(True), versao_tabelas.c.tabela == table)
        )

    def _frames(self, q, table: str, columns: list[str] | None, extras: list[str]) -> pd.DataFrame:
        """The rows of the blobs ``q`` selects (``versao_id``, ``conteudo`` and ``extras``, in
        the order wanted) as one frame: ``versao_id`` (unless only ``columns`` are wanted), the
        table's columns, then each extra repeated over its version's rows."""
        t = DATA_TABLES[table]
        with self.engine.connect() as conn:
            found = conn.execute(q).all()
        parts = [blobs.decode(bytes(r.conteudo), t, columns) for r in found]
        counts = [p.num_rows for p in parts]
        data = blobs.concat(parts, t, columns)

        def repeated(values: list) -> pa.Array:
            return pa.array(np.repeat(np.array(values + [None], dtype=object)[:-1], counts))

        lead = [] if columns is not None else ["versao_id"]
        names = [*lead, *data.column_names, *extras]
        arrays = [
            *(repeated([r.versao_id for r in found]) for _ in lead),
            *data.columns,
            *(repeated([getattr(r, e) for r in found]) for e in extras),
        ]
        frame = blobs.to_frame(pa.Table.from_arrays(arrays, names=names))
        if table == "metas" and len(frame) and "eixo_numero" in frame:
            frame["eixo_numero"] = frame["eixo_numero"].astype("Int64")
        return frame

    def load_all(
        self,
        table: str,
        anos: list[int] | None = None,
        columns: tuple[str, ...] | None = None,
        *,
        exemplo: bool | None = None,
    ) -> pd.DataFrame:
        """Rows of a data table from the current versions of every plan, with ``municipio``
        (only ``columns`` of the table when given: a state-wide read is mostly the columns);
        with ``exemplo``, only the example plans (True) or only the real ones (False)."""
        q = self._current_blobs(table, planos.c.municipio.label("municipio")).order_by(versoes.c.id)
        if anos is not None:
            q = q.where(versoes.c.ano.in_(anos))
        if exemplo is not None:
            q = q.where(planos.c.exemplo.is_(exemplo))
        return self._frames(q, table, list(columns) if columns is not None else None, ["municipio"])

    def load_current(self, table: str, *, exemplo: bool | None = False) -> pd.DataFrame:
        """Every row of a data table in the current versions of every plan, for exports of all
        the data (pmas.saida.dados_bi): the table's columns, then ``municipio``, ``plano``,
        ``versao`` (the version's number) and ``exemplo``; by municipality, plan, year. Only
        the real plans' rows by default (``exemplo=True``: the example plans'; None: both)."""
        q = self._current_blobs(
            table,
            planos.c.municipio.label("municipio"),
            planos.c.nome.label("plano"),
            versoes.c.numero.label("versao"),
            planos.c.exemplo.label("exemplo"),
        ).order_by(planos.c.municipio, planos.c.ano_inicio, planos.c.nome, versoes.c.ano)
        if exemplo is not None:
            q = q.where(planos.c.exemplo.is_(exemplo))
        frame = self._frames(q, table, None, ["municipio", "plano", "versao", "exemplo"])
        frame = frame.drop(columns=["versao_id"])
        if "ano" in frame:
            frame["ano"] = frame["ano"].astype("Int64")
        return frame

    def load(self, table: str, plano_id: int, anos: list[int] | None = None) -> pd.DataFrame:
        """Rows of a data table from the current versions of a plan (optionally some years)."""
        q = (
            self._current_blobs(table)
            .where(versoes.c.plano_id == plano_id)
            .order_by(versoes.c.ano, versoes.c.id)
        )
        if anos is not None:
            q = q.where(versoes.c.ano.in_(anos))
        frame = self._frames(q, table, None, [])
        if "ano" in frame:
            frame["ano"] = frame["ano"].astype("Int64")
        return frame

    def load_municipality(
        self, table: str, municipio: str, *, exemplo: bool = False
    ) -> pd.DataFrame:
        """Rows of a data table from the current versions of every plan of a municipality, with
        ``plano`` (its name) and ``plano_id``: the real plans' (``exemplo``: the example plans'),
        never both. Deliberations stored under more than one plan (same edition and number) are
        kept once: the most recently imported."""
        q = (
            self._current_blobs(
                table,
                planos.c.nome.label("plano"),
                planos.c.id.label("plano_id"),
                versoes.c.criado_em.label("_criado_em"),
            )
            .where(planos.c.municipio == municipio, planos.c.exemplo.is_(bool(exemplo)))
            .order_by(versoes.c.ano, planos.c.nome, versoes.c.id)
        )
        frame = self._frames(q, table, None, ["plano", "plano_id", "_criado_em"])
        if table == "deliberacoes" and len(frame):
            keyed = frame.assign(_k=frame["numero"].map(key))
            newest = keyed.sort_values("_criado_em", kind="stable").drop_duplicates(
                ["ano", "_k"], keep="last"
            )
            frame = frame.loc[sorted(newest.index)]
        frame = frame.drop(columns=["_criado_em"]).reset_index(drop=True)
        if "ano" in frame:
            frame["ano"] = frame["ano"].astype("Int64")
        return frame

    def goal_codes(self, municipio: str, *, exemplo: bool = False) -> set[str]:
        """Keys of every goal código in the current versions of the municipality's real plans
        (``exemplo``: of its example plans)."""
        q = (
            select(versao_tabelas.c.conteudo)
            .join(versoes, versoes.c.id == versao_tabelas.c.versao_id)
            .join(planos, planos.c.id == versoes.c.plano_id)
            .where(
                planos.c.municipio == municipio,
                planos.c.exemplo.is_(bool(exemplo)),
                versoes.c.atual.is_(True),
                versao_tabelas.c.tabela == "metas",
            )
        )
        with self.engine.connect() as conn:
            found = conn.execute(q).scalars().all()
        codes: set = set()
        for blob in found:
            codes.update(
                blobs.decode(bytes(blob), metas, ["codigo"]).column(0).unique().to_pylist()
            )
        return {key(c) for c in codes if c is not None and key(c)}

    def save_links(
        self, plano_id: int, ano: int, links: dict[str, str | None], *, usuario: str
    ) -> Version:
        """Change the goals linked to deliberations of edition ``ano`` (number → "1.2.1; 3.1.2"
        or None): a new current version of that year, every table carried over, the links
        changed, and an audit entry. Undo brings the previous links back."""
        with self._writer.begin() as conn:
            self._lock_plan(conn, plano_id)
            prev = _current_version(conn, plano_id, ano)
            if prev is None:
                raise LookupError(ano)
            now = _now()
            vid, numero = _new_current_version(
                conn,
                plano_id,
                ano,
                prev,
                arquivo_sha256=prev.arquivo_sha256,
                usuario=usuario,
                criado_em=now,
                exemplo=prev.exemplo,  # example data with an edited link is still example
            )
            counts = {
                _COUNT_COLUMN[name]: self._copy_rows(conn, name, prev.id, vid)
                for name in _COUNT_COLUMN
            }
            conn.execute(update(versoes).where(versoes.c.id == vid).values(**counts))
            wanted = {key(n): v for n, v in links.items()}
            changed = []
            stored = conn.execute(_blob_of(prev.id, "deliberacoes")).first()
            if stored is not None:
                rows = blobs.decode(bytes(stored.conteudo), deliberacoes)
                numeros = rows.column("numero").to_pylist()
                antes = rows.column("metas").to_pylist()
                depois = list(antes)
                for i, (deliberacao, atual) in enumerate(zip(numeros, antes, strict=True)):
                    k = key(deliberacao)
                    if k in wanted and (wanted[k] or None) != (atual or None):
                        depois[i] = wanted[k] or None
                        changed.append(f"nº {deliberacao}: {atual or '—'} → {wanted[k] or '—'}")
                rows = rows.set_column(
                    rows.column_names.index("metas"),
                    "metas",
                    pa.array(depois, rows.schema.field("metas").type),
                )
                _put(conn, vid, "deliberacoes", rows.num_rows, blobs.encode(rows))
            conn.execute(
                insert(auditoria).values(
                    quando=now,
                    usuario=usuario,
                    acao="vinculos",
                    plano_id=plano_id,
                    ano=ano,
                    versao_id=vid,
                    detalhe=T_AUDITORIA["vinculos"].format(
                        numero=numero,
                        ano=ano,
                        mudancas="; ".join(changed) or T_AUDITORIA["nenhuma_mudanca"],
                    ),
                )
            )
        return next(v for v in self.versions(plano_id=plano_id) if v.id == vid)

    def file(self, sha256: str) -> tuple[str, bytes] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(arquivos.c.nome, arquivos.c.conteudo).where(arquivos.c.sha256 == sha256)
            ).first()
        return (row.nome, bytes(row.conteudo)) if row else None

    def _audit_filter(self, q, municipio: str | None, plano_id: int | None):
        if plano_id is not None:
            q = q.where(or_(auditoria.c.plano_id == plano_id, auditoria.c.plano_id.is_(None)))
        elif municipio is not None:
            q = q.where(or_(planos.c.municipio == municipio, auditoria.c.plano_id.is_(None)))
        return q

    def audit(
        self,
        limit: int = 200,
        offset: int = 0,
        *,
        municipio: str | None = None,
        plano_id: int | None = None,
    ) -> pd.DataFrame:
        """The audit log, newest first, a page at a time; with ``municipio`` or ``plano_id``
        only their entries (and those of no plan), filtered in the query."""
        q = (
            select(
                auditoria.c.quando,
                auditoria.c.usuario,
                auditoria.c.acao,
                auditoria.c.ano,
                auditoria.c.detalhe,
                planos.c.municipio,
                planos.c.nome.label("plano"),
            )
            .outerjoin(planos, planos.c.id == auditoria.c.plano_id)
            .order_by(auditoria.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as conn:
            return pd.read_sql(self._audit_filter(q, municipio, plano_id), conn)

    def audit_count(self, *, municipio: str | None = None, plano_id: int | None = None) -> int:
        q = select(func.count()).select_from(
            auditoria.outerjoin(planos, planos.c.id == auditoria.c.plano_id)
        )
        with self.engine.connect() as conn:
            return conn.execute(self._audit_filter(q, municipio, plano_id)).scalar_one()

    # --- markers and the example data -----------------------------------------------------

    def marker(self, chave: str) -> str | None:
        """A marker's value (None: never set)."""
        with self.engine.connect() as conn:
            return conn.execute(select(marcas.c.valor).where(marcas.c.chave == chave)).scalar()

    def _set_marker(self, conn, chave: str, valor: str, usuario: str) -> None:
        values = {"valor": valor, "quando": _now(), "usuario": usuario}
        done = conn.execute(update(marcas).where(marcas.c.chave == chave).values(**values))
        if not done.rowcount:
            conn.execute(insert(marcas).values(chave=chave, **values))

    def examples_removed(self) -> bool:
        """True once a manager removed the example data: it is not loaded again."""
        return self.marker(EXEMPLO_REMOVIDO) is not None

    def example_plans(self) -> list[tuple[int, Plano]]:
        return [(pid, p) for pid, p in self.plans() if p.exemplo]

    def remove_examples(self, *, usuario: str) -> dict[str, int]:
        """Delete every example plan and everything hanging from it (versions and their rows,
        files no other version uses, report fields, steps, approvals and template, mappings),
        in one transaction; mark the database so the example is not loaded again; audit-logged.
        Returns what was removed (``planos``, ``versoes``, ``linhas``, ``arquivos``). Real
        plans and their data are not touched. The audit entries of the removed plans stay,
        detached from them (``plano_id`` emptied: a new plan never inherits them)."""

        with self._writer.begin() as conn:
            rows = conn.execute(
                select(planos.c.id, planos.c.municipio, planos.c.nome).where(
                    planos.c.exemplo.is_(True)
                )
            ).all()
            ids = [r.id for r in rows]
            vids = list(
                conn.execute(select(versoes.c.id).where(versoes.c.plano_id.in_(ids))).scalars()
            )
            shas = set(
                conn.execute(
                    select(versoes.c.arquivo_sha256)
                    .distinct()
                    .where(versoes.c.plano_id.in_(ids), versoes.c.arquivo_sha256.is_not(None))
                ).scalars()
            )
            linhas = conn.execute(
                select(func.coalesce(func.sum(versao_tabelas.c.linhas), 0)).where(
                    versao_tabelas.c.versao_id.in_(vids)
                )
            ).scalar_one()
            conn.execute(versao_tabelas.delete().where(versao_tabelas.c.versao_id.in_(vids)))
            # every table that hangs from a plan (report fields, steps, approvals, templates,
            # mappings, and whatever a later revision adds), the dependent ones first
            for table in reversed(md.sorted_tables):
                if table is versoes or "plano_id" not in table.c:
                    continue
                if any(fk.column.table is planos for fk in table.c.plano_id.foreign_keys):
                    conn.execute(table.delete().where(table.c.plano_id.in_(ids)))
            conn.execute(update(versoes).where(versoes.c.id.in_(vids)).values(anterior_id=None))
            conn.execute(versoes.delete().where(versoes.c.id.in_(vids)))
            used = set(
                conn.execute(
                    select(versoes.c.arquivo_sha256).where(versoes.c.arquivo_sha256.in_(shas))
                ).scalars()
            )
            gone = shas - used
            if gone:
                conn.execute(arquivos.delete().where(arquivos.c.sha256.in_(gone)))
            conn.execute(
                update(auditoria).where(auditoria.c.plano_id.in_(ids)).values(plano_id=None)
            )
            conn.execute(planos.delete().where(planos.c.id.in_(ids)))
            self._set_marker(conn, EXEMPLO_REMOVIDO, _now().isoformat(), usuario)
            feito = {
                "planos": len(ids),
                "versoes": len(vids),
                "linhas": linhas,
                "arquivos": len(gone),
            }
            conn.execute(
                insert(auditoria).values(
                    quando=_now(),
                    usuario=usuario,
                    acao="exemplo_removido",
                    detalhe=T_PLANO["exemplo_removido"].format(
                        planos="; ".join(f"{r.municipio} · {r.nome}" for r in rows) or "nenhum",
                        **{k: fmt.numero(v) for k, v in feito.items() if k != "planos"},
                    ),
                )
            )
        return feito

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(versoes)).scalar() == 0

    # --- report fields (per plan and year) ------------------------------------------------

    def report_fields(self, plano_id: int, ano: int) -> dict:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(relatorio_campos.c.campos).where(
                    and_(relatorio_campos.c.plano_id == plano_id, relatorio_campos.c.ano == ano)
                )
            ).first()
        return json.loads(row.campos) if row else {}

    def save_report_fields(self, plano_id: int, ano: int, campos: dict, *, usuario: str) -> None:
        text = json.dumps(campos, ensure_ascii=False)
        with self._writer.begin() as conn:
            # two first saves of a year at once would both find no row and both insert
            self._lock_plan(conn, plano_id)
            done = conn.execute(
                update(relatorio_campos)
                .where(and_(relatorio_campos.c.plano_id == plano_id, relatorio_campos.c.ano == ano))
                .values(campos=text, atualizado_em=_now(), atualizado_por=usuario)
            ).rowcount
            if not done:
                conn.execute(
                    insert(relatorio_campos).values(
                        plano_id=plano_id,
                        ano=ano,
                        campos=text,
                        atualizado_em=_now(),
                        atualizado_por=usuario,
                    )
                )
            conn.execute(
                insert(auditoria).values(
                    quando=_now(),
                    usuario=usuario,
                    acao="relatorio",
                    plano_id=plano_id,
                    ano=ano,
                    detalhe=T_AUDITORIA["campos_relatorio"],
                )
            )

    def backup(self, destino: str | Path) -> Path:
        """A consistent copy of a SQLite database while the app keeps running (SQLite's online
        backup API). PostgreSQL is backed up with its own tools (pg_dump)."""
        if not self.url.startswith("sqlite"):
            raise ValueError(T_AUDITORIA["copia_so_sqlite"])
        import sqlite3

        destino = Path(destino)
        raw = self.engine.raw_connection()
        try:
            target = sqlite3.connect(destino)
            with target:
                cast(sqlite3.Connection, raw.driver_connection).backup(target)
            target.close()
        finally:
            raw.close()
        return destino

    def integrity_ok(self) -> bool:
        """The database is sound: SQLite's own integrity check where it applies, and on every
        backend the store's invariants: at most one current version per plan and year, each
        version's row counts equal to the rows stored for it, and every blob readable, holding
        the rows it is said to hold."""
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "sqlite":
                if conn.exec_driver_sql("PRAGMA integrity_check").scalar() != "ok":
                    return False
            two_current = conn.execute(
                select(versoes.c.plano_id, versoes.c.ano)
                .where(versoes.c.atual)
                .group_by(versoes.c.plano_id, versoes.c.ano)
                .having(func.count() > 1)
                .limit(1)
            ).first()
            if two_current is not None:
                return False
            for name, count_column in _COUNT_COLUMN.items():  # deliberations have no count
                stored = (
                    select(versao_tabelas.c.versao_id, versao_tabelas.c.linhas.label("n"))
                    .where(versao_tabelas.c.tabela == name)
                    .subquery()
                )
                wrong_count = conn.execute(
                    select(versoes.c.id)
                    .select_from(versoes.outerjoin(stored, stored.c.versao_id == versoes.c.id))
                    .where(func.coalesce(stored.c.n, 0) != versoes.c[count_column])
                    .limit(1)
                ).first()
                if wrong_count is not None:
                    return False
            stored_blobs = conn.execution_options(yield_per=64).execute(
                select(versao_tabelas.c.linhas, versao_tabelas.c.conteudo)
            )
            for linhas, conteudo in stored_blobs:
                if blobs.rows_in(bytes(conteudo)) != linhas:
                    return False
        return True


def _current_version(conn, plano_id: int, ano: int):
    """The current version row of a plan's year, or None."""
    return conn.execute(
        select(versoes).where(
            versoes.c.plano_id == plano_id, versoes.c.ano == ano, versoes.c.atual.is_(True)
        )
    ).first()


def _new_current_version(conn, plano_id: int, ano: int, prev, **values) -> tuple[int, int]:
    """Add the next version of a plan's year and make it the only current one (``prev``, the
    version current until now, is what undo brings back); returns its id and number."""
    numero = (
        conn.execute(
            select(func.max(versoes.c.numero)).where(
                versoes.c.plano_id == plano_id, versoes.c.ano == ano
            )
        ).scalar()
        or 0
    ) + 1
    conn.execute(
        update(versoes)
        .where(versoes.c.plano_id == plano_id, versoes.c.ano == ano)
        .values(atual=False)
    )
    vid = conn.execute(
        insert(versoes).values(
            plano_id=plano_id,
            ano=ano,
            numero=numero,
            atual=True,
            anterior_id=prev.id if prev is not None else None,
            **values,
        )
    ).inserted_primary_key[0]
    return vid, numero


def _sqlite_begin(conn) -> None:
    # Writers take the lock when their transaction starts (BEGIN IMMEDIATE), so two imports queue
    # up behind the busy timeout instead of failing with "database is locked" on upgrade.
    immediate = conn.get_execution_options().get("write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class _Rows:
    """One checked frame's rows as one blob per year, encoded before the write lock is taken."""

    def __init__(self, table: blobs.DataTable, frame: pd.DataFrame):
        rows = blobs.to_arrow(table, frame)
        anos = frame["ano"].to_numpy(dtype="float64", na_value=np.nan)
        self.blobs: dict[int, tuple[int, bytes]] = {}
        for ano in np.unique(anos[~np.isnan(anos)]):
            chosen = rows.take(np.flatnonzero(anos == ano))
            self.blobs[int(ano)] = (chosen.num_rows, blobs.encode(chosen))


def _blob_of(versao_id: int, name: str):
    return select(versao_tabelas.c.linhas, versao_tabelas.c.conteudo).where(
        versao_tabelas.c.versao_id == versao_id, versao_tabelas.c.tabela == name
    )


def _put(conn, versao_id: int, name: str, linhas: int, conteudo: bytes) -> int:
    """Store a version's table (nothing for no rows); returns how many rows it holds."""
    if linhas:
        conn.execute(
            insert(versao_tabelas).values(
                versao_id=versao_id, tabela=name, linhas=linhas, conteudo=conteudo
            )
        )
    return linhas
