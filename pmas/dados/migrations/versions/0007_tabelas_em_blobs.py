"""Each version's data table as one compressed blob (``versao_tabelas``: an Arrow IPC file
compressed with zstd, after its uncompressed size in 8 bytes; see pmas.dados.blobs)
instead of one database row per record: the rows of every version, current and old, of
``metas``, ``conferencias``, ``indicadores`` and ``deliberacoes`` are carried into blobs, then
those four tables are dropped. One transaction (pmas.dados.migrations.upgrade): a failure leaves
the database as it was.

The blob's columns and their types are the row table's own (as the database describes them),
so this revision does not depend on what pmas.dados.schema says later; the store reads blobs by
column name and fills a column a blob lacks with nulls.

The downgrade rebuilds the four row tables as revision 0006 had them (columns frozen below,
``meta_plano`` and ``eventos`` last, as 0003 added them) from the blobs, row for row and in the
same order, then drops ``versao_tabelas``.

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
    return pa.large_string()


def _blob(columns: list[sa.Column], rows: Sequence) -> bytes:
    arrays = [pa.array([r[i] for r in rows], type=_arrow_type(c)) for i, c in enumerate(columns)]
    data = pa.Table.from_arrays(arrays, names=[c.name for c in columns])
    sink = pa.BufferOutputStream()
    with ipc.new_file(sink, data.schema) as writer:
        writer.write_table(data)
    raw = sink.getvalue()
    # pmas.dados.blobs' format: the uncompressed size (8 bytes, little-endian), then zstd
    return raw.size.to_bytes(8, "little") + pa.compress(raw, codec="zstd", asbytes=True)


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


_T, _F, _I, _B = sa.Text, sa.Float, sa.Integer, sa.Boolean
# The row tables at revision 0006 (0001, 0003, 0004), between ``id, versao_id`` and ``linha, aba``
# except the two columns 0003 added, which came last.
_ROWS_0006: dict[str, tuple[list, list]] = {
    "metas": (
        [
            ("codigo", _T),
            ("eixo", _T),
            ("diretriz", _T),
            ("objetivo", _T),
            ("acao", _T),
            ("estrategia", _T),
            ("meta", _T),
            ("indicador", _T),
            ("unidade", _T),
            ("sentido", _T),
            ("linha_de_base", _F),
            ("ano", _I),
            ("previsto", _F),
            ("realizado", _F),
            ("percentual", _F),
            ("situacao", _T),
            ("justificativa", _T),
            ("prazo", _T),
            ("responsavel", _T),
            ("parceiros", _T),
            ("fonte_recurso", _T),
            ("valor_previsto", _F),
            ("valor_executado", _F),
            ("territorio", _T),
            ("nivel_protecao", _T),
            ("eixo_numero", _I),
            ("situacao_informada", _T),
            ("situacao_derivada", _B),
        ],
        [("meta_plano", _F)],
    ),
    "conferencias": (
        [
            ("ano", _I),
            ("tipo_evento", _T),
            ("regiao", _T),
            ("local", _T),
            ("publico", _T),
            ("segmento", _T),
            ("participantes", _I),
            ("delegados", _I),
        ],
        [("eventos", _I)],
    ),
    "indicadores": (
        [
            ("indicador", _T),
            ("ano", _I),
            ("mes", _I),
            ("valor", _F),
            ("unidade", _T),
            ("territorio", _T),
            ("fonte", _T),
            ("eixo", _T),
            ("meta_valor", _F),
        ],
        [],
    ),
    "deliberacoes": (
        [
            ("ano", _I),
            ("numero", _T),
            ("eixo_conferencia", _T),
            ("ambito", _T),
            ("texto", _T),
            ("prioridade", _T),
            ("metas", _T),
        ],
        [],
    ),
}


def downgrade() -> None:
    bind = op.get_bind()
    blobs = sa.table(
        "versao_tabelas",
        sa.column("versao_id", sa.Integer),
        sa.column("tabela", sa.String),
        sa.column("conteudo", sa.LargeBinary),
    )
    for name in TABLES:
        first, added = _ROWS_0006[name]
        columns = [
            *(sa.Column(c, kind(), nullable=True) for c, kind in first),
            sa.Column("linha", sa.Integer(), nullable=True),
            sa.Column("aba", sa.Text(), nullable=True),
            *(sa.Column(c, kind(), nullable=True) for c, kind in added),
        ]
        table = op.create_table(
            name,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("versao_id", sa.Integer(), nullable=False),
            *columns,
            sa.ForeignKeyConstraint(["versao_id"], ["versoes.id"]),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(f"ix_{name}_versao_id", name, ["versao_id"], unique=False)
        names = [c.name for c in columns]
        found = bind.execute(
            sa.select(blobs.c.versao_id, blobs.c.conteudo)
            .where(blobs.c.tabela == name)
            .order_by(blobs.c.versao_id)
        ).all()
        for vid, conteudo in found:
            blob = bytes(conteudo)
            raw = pa.decompress(
                blob[8:], decompressed_size=int.from_bytes(blob[:8], "little"), codec="zstd"
            )
            data = ipc.open_file(pa.BufferReader(raw)).read_all()
            values = {
                c: data.column(c).to_pylist() if c in data.column_names else None for c in names
            }
            rows = [
                {
                    "versao_id": vid,
                    **{c: (v[i] if v is not None else None) for c, v in values.items()},
                }
                for i in range(data.num_rows)
            ]
            if rows:
                bind.execute(sa.insert(table), rows)
    op.drop_table("versao_tabelas")
