"""The plan's Word template for the Devolutiva of the conference deliberations
(devolutiva_modelos), beside the report's (relatorio_modelos). Idempotent like 0004.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "devolutiva_modelos" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "devolutiva_modelos",
        sa.Column("plano_id", sa.Integer(), nullable=False),
        sa.Column("nome", sa.String(length=300), nullable=False),
        sa.Column("conteudo", sa.LargeBinary(), nullable=False),
        sa.Column("enviado_em", sa.DateTime(), nullable=False),
        sa.Column("enviado_por", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["plano_id"], ["planos.id"]),
        sa.PrimaryKeyConstraint("plano_id"),
    )


def downgrade() -> None:
    op.drop_table("devolutiva_modelos")
