"""What other work added while migrations were being introduced: the report's approval flow
(relatorio_etapas, relatorio_aprovado), the plan's Word template (relatorio_modelos), the
mappings the user taught the importer (mapas), and two data columns (conferencias.eventos,
metas.meta_plano).

Idempotent: a database created by main between those changes and the arrival of migrations
already has some of them (made by ``create_all``); it is stamped at 0001 and then only what it
lacks is added here.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    insp = sa.inspect(op.get_bind())
    tables = set(insp.get_table_names())
    if "relatorio_etapas" not in tables:
        op.create_table(
            "relatorio_etapas",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("plano_id", sa.Integer(), nullable=False),
            sa.Column("ano", sa.Integer(), nullable=False),
            sa.Column("acao", sa.String(length=20), nullable=False),
            sa.Column("estado", sa.String(length=20), nullable=False),
            sa.Column("quando", sa.DateTime(), nullable=False),
            sa.Column("usuario", sa.String(length=200), nullable=False),
            sa.Column("dados", sa.Text(), nullable=False),
            sa.ForeignKeyConstraint(["plano_id"], ["planos.id"]),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_relatorio_etapas", "relatorio_etapas", ["plano_id", "ano"])
    if "relatorio_modelos" not in tables:
        op.create_table(
            "relatorio_modelos",
            sa.Column("plano_id", sa.Integer(), nullable=False),
            sa.Column("nome", sa.String(length=300), nullable=False),
            sa.Column("conteudo", sa.LargeBinary(), nullable=False),
            sa.Column("enviado_em", sa.DateTime(), nullable=False),
            sa.Column("enviado_por", sa.String(length=200), nullable=False),
            sa.ForeignKeyConstraint(["plano_id"], ["planos.id"]),
            sa.PrimaryKeyConstraint("plano_id"),
        )
    if "relatorio_aprovado" not in tables:
        op.create_table(
            "relatorio_aprovado",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("etapa_id", sa.Integer(), nullable=False),
            sa.Column("plano_id", sa.Integer(), nullable=False),
            sa.Column("ano", sa.Integer(), nullable=False),
            sa.Column("versoes", sa.Text(), nullable=False),
            sa.Column("dados_sha256", sa.String(length=64), nullable=False),
            sa.Column("documento", sa.LargeBinary(), nullable=True),
            sa.Column("documento_sha256", sa.String(length=64), nullable=True),
            sa.ForeignKeyConstraint(["etapa_id"], ["relatorio_etapas.id"]),
            sa.ForeignKeyConstraint(["plano_id"], ["planos.id"]),
            sa.PrimaryKeyConstraint("id"),
        )
    if "mapas" not in tables:
        op.create_table(
            "mapas",
            sa.Column("plano_id", sa.Integer(), nullable=False),
            sa.Column("mapa", sa.Text(), nullable=False),
            sa.Column("atualizado_em", sa.DateTime(), nullable=False),
            sa.Column("atualizado_por", sa.String(length=200), nullable=False),
            sa.ForeignKeyConstraint(["plano_id"], ["planos.id"]),
            sa.PrimaryKeyConstraint("plano_id"),
        )
    for table, column, kind in (
        ("conferencias", "eventos", sa.Integer()),
        ("metas", "meta_plano", sa.Float()),
    ):
        if column not in {c["name"] for c in insp.get_columns(table)}:
            op.add_column(table, sa.Column(column, kind, nullable=True))
