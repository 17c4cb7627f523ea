"""Markers the app keeps about the database itself (``marcas``: e.g. that the manager removed
the example data, so it is not loaded again on the next start), and the example data's plans
named apart from real ones ("PMAS 2022-2025 (exemplo)"), so that the municipality's real plan
of the same period can be created next to it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SUFIXO = " (exemplo)"  # pmas.dados.plano.SUFIXO_EXEMPLO at the time of this revision


def upgrade() -> None:
    bind = op.get_bind()
    if "marcas" not in sa.inspect(bind).get_table_names():
        op.create_table(
            "marcas",
            sa.Column("chave", sa.String(length=60), nullable=False),
            sa.Column("valor", sa.Text(), nullable=False),
            sa.Column("quando", sa.DateTime(), nullable=False),
            sa.Column("usuario", sa.String(length=200), nullable=False),
            sa.PrimaryKeyConstraint("chave"),
        )
    planos = sa.table(
        "planos",
        sa.column("id", sa.Integer),
        sa.column("nome", sa.String),
        sa.column("config", sa.Text),
        sa.column("exemplo", sa.Boolean),
    )
    rows = bind.execute(
        sa.select(planos.c.id, planos.c.nome, planos.c.config).where(planos.c.exemplo.is_(True))
    ).all()
    for row in rows:
        if row.nome.endswith(SUFIXO):
            continue
        config = json.loads(row.config)
        config["nome"] = row.nome + SUFIXO
        bind.execute(
            sa.update(planos)
            .where(planos.c.id == row.id)
            .values(nome=row.nome + SUFIXO, config=json.dumps(config, ensure_ascii=False))
        )
