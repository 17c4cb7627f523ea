"""The conference deliberations table (added on main while migrations arrived). Idempotent: a
database main created with create_all in between already has it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "deliberacoes" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "deliberacoes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("versao_id", sa.Integer(), nullable=False),
        sa.Column("ano", sa.Integer(), nullable=True),
        sa.Column("numero", sa.Text(), nullable=True),
        sa.Column("eixo_conferencia", sa.Text(), nullable=True),
        sa.Column("ambito", sa.Text(), nullable=True),
        sa.Column("texto", sa.Text(), nullable=True),
        sa.Column("prioridade", sa.Text(), nullable=True),
        sa.Column("metas", sa.Text(), nullable=True),
        sa.Column("linha", sa.Integer(), nullable=True),
        sa.Column("aba", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["versao_id"], ["versoes.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_deliberacoes_versao_id", "deliberacoes", ["versao_id"], unique=False)
