"""Each version's data table as one compressed blob (``versao_tabelas``: Arrow IPC, zstd)
instead of one database row per record: the rows of every version, current and old, of
``metas``, ``conferencias``, ``indicadores`` and ``deliberacoes`` are carried into blobs, then
those four tables are dropped. One transaction (pmas.dados.migrations.upgrade): a failure leaves
the database as it was.

The blob's columns and their types are the row table's own (as the database describes them),
so this revision does not depend on what pmas.dados.schema says later; the store reads blobs by
column name and fills a column a blob lacks with nulls.

No downgrade (like 0001-0005): go back by restoring the backup taken before upgrading.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.ipc as ipc
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("metas", "conferencias", "indicadores", "deliberacoes")


def _arrow_type(column: sa.Column) -> pa.DataType:
    t = column.type
    if isinstance(t, sa.Boolean):
        return pa.bool_()
    if isinstance(t, sa.Integer):
        return pa.int64()
    if isinstance(t, (sa.Float, sa.Numeric)):
        return pa.float64()
    return pa.string()


def _blob(columns: list[sa.Column], rows: Sequence) -> bytes:
    arrays = [pa.array([r[i] for r in rows], type=_arrow_type(c)) for i, c in enumerate(columns)]
    data = pa.Table.from_arrays(arrays, names=[c.name for c in columns])
    sink = pa.BufferOutputStream()
    options = ipc.IpcWriteOptions(compression="zstd")
    with ipc.new_file(sink, data.schema, options=options) as writer:
        writer.write_table(data)
    return sink.getvalue().to_pybytes()


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    if "versao_tabelas" not in existing:
        op.create_table(
            "versao_tabelas",
            sa.Column("versao_id", sa.Integer(), nullable=False),
            sa.Column("tabela", sa.String(length=40), nullable=False),
            sa.Column("linhas", sa.Integer(), nullable=False),
            sa.Column("conteudo", sa.LargeBinary(), nullable=False),
            sa.ForeignKeyConstraint(["versao_id"], ["versoes.id"]),
            sa.PrimaryKeyConstraint("versao_id", "tabela"),
        )
    blobs = sa.table(
        "versao_tabelas",
        sa.column("versao_id", sa.Integer),
        sa.column("tabela", sa.String),
        sa.column("linhas", sa.Integer),
        sa.column("conteudo", sa.LargeBinary),
    )
    for name in TABLES:
        if name not in existing:
            continue
        table = sa.Table(name, sa.MetaData(), autoload_with=bind)
        columns = [c for c in table.c if c.name not in ("id", "versao_id")]
        vids = bind.execute(
            sa.select(table.c.versao_id).distinct().order_by(table.c.versao_id)
        ).scalars()
        for vid in list(vids):
            rows = bind.execute(
                sa.select(*columns).where(table.c.versao_id == vid).order_by(table.c.id)
            ).all()
            bind.execute(
                sa.insert(blobs).values(
                    versao_id=vid, tabela=name, linhas=len(rows), conteudo=_blob(columns, rows)
                )
            )
        op.drop_table(name)
