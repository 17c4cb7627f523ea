"""Plans as data: the municipality's UF and IBGE code, the plan's period and the example mark
become columns of ``planos`` (filled from each plan's stored JSON), and the audit log gets an
index for reading one plan's history a page at a time.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN only: no table rebuild on SQLite, where planos is referenced by versoes (the
    # period columns stay nullable in the database; the Store always writes them).
    op.add_column("planos", sa.Column("uf", sa.String(2), nullable=False, server_default=""))
    op.add_column("planos", sa.Column("ibge", sa.String(7), nullable=True))
    op.add_column("planos", sa.Column("ano_inicio", sa.Integer(), nullable=True))
    op.add_column("planos", sa.Column("ano_fim", sa.Integer(), nullable=True))
    op.add_column(
        "planos", sa.Column("exemplo", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    conn = op.get_bind()
    planos = sa.table(
        "planos",
        sa.column("id", sa.Integer),
        sa.column("config", sa.Text),
        sa.column("uf", sa.String),
        sa.column("ano_inicio", sa.Integer),
        sa.column("ano_fim", sa.Integer),
        sa.column("exemplo", sa.Boolean),
    )
    versoes = sa.table(
        "versoes", sa.column("plano_id", sa.Integer), sa.column("exemplo", sa.Boolean)
    )
    for row in conn.execute(sa.select(planos.c.id, planos.c.config)).all():
        config = json.loads(row.config)
        flags = [
            bool(x)
            for x in conn.execute(
                sa.select(versoes.c.exemplo).where(versoes.c.plano_id == row.id)
            ).scalars()
        ]
        # a plan is the example's when every version it holds is example data
        exemplo = bool(flags) and all(flags)
        config["exemplo"] = exemplo
        conn.execute(
            sa.update(planos)
            .where(planos.c.id == row.id)
            .values(
                uf=config.get("uf") or "",
                ano_inicio=int(config["ano_inicio"]),
                ano_fim=int(config["ano_fim"]),
                exemplo=exemplo,
                config=json.dumps(config, ensure_ascii=False),
            )
        )
    op.create_index("ix_auditoria_plano", "auditoria", ["plano_id", "id"], unique=False)
