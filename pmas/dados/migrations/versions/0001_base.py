"""Baseline: the tables as main created them at a0e3101, before migrations existed.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the data tables' columns at a0e3101 (pmas/dados/schema.py then): a later change
# of schema.py must not change what this revision creates.
_METAS = (
    ("codigo", sa.Text),
    ("eixo", sa.Text),
    ("diretriz", sa.Text),
    ("objetivo", sa.Text),
    ("acao", sa.Text),
    ("estrategia", sa.Text),
    ("meta", sa.Text),
    ("indicador", sa.Text),
    ("unidade", sa.Text),
    ("sentido", sa.Text),
    ("linha_de_base", sa.Float),
    ("ano", sa.Integer),
    ("previsto", sa.Float),
    ("realizado", sa.Float),
    ("percentual", sa.Float),
    ("situacao", sa.Text),
    ("justificativa", sa.Text),
    ("prazo", sa.Text),
    ("responsavel", sa.Text),
    ("parceiros", sa.Text),
    ("fonte_recurso", sa.Text),
    ("valor_previsto", sa.Float),
    ("valor_executado", sa.Float),
    ("territorio", sa.Text),
    ("nivel_protecao", sa.Text),
    ("eixo_numero", sa.Integer),
    ("situacao_informada", sa.Text),
    ("situacao_derivada", sa.Boolean),
)
_CONFERENCIAS = (
    ("ano", sa.Integer),
    ("tipo_evento", sa.Text),
    ("regiao", sa.Text),
    ("local", sa.Text),
    ("publico", sa.Text),
    ("segmento", sa.Text),
    ("participantes", sa.Integer),
    ("delegados", sa.Integer),
)
_INDICADORES = (
    ("indicador", sa.Text),
    ("ano", sa.Integer),
    ("mes", sa.Integer),
    ("valor", sa.Float),
    ("unidade", sa.Text),
    ("territorio", sa.Text),
    ("fonte", sa.Text),
    ("eixo", sa.Text),
    ("meta_valor", sa.Float),
)


def _data_table(name: str, columns) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("versao_id", sa.Integer(), nullable=False),
        *(sa.Column(col, kind(), nullable=True) for col, kind in columns),
        sa.Column("linha", sa.Integer(), nullable=True),
        sa.Column("aba", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["versao_id"], ["versoes.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(f"ix_{name}_versao_id", name, ["versao_id"], unique=False)


def upgrade() -> None:
    op.create_table(
        "arquivos",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("nome", sa.String(length=300), nullable=False),
        sa.Column("tamanho", sa.Integer(), nullable=False),
        sa.Column("conteudo", sa.LargeBinary(), nullable=False),
        sa.Column("enviado_em", sa.DateTime(), nullable=False),
        sa.Column("enviado_por", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "auditoria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quando", sa.DateTime(), nullable=False),
        sa.Column("usuario", sa.String(length=200), nullable=False),
        sa.Column("acao", sa.String(length=40), nullable=False),
        sa.Column("plano_id", sa.Integer(), nullable=True),
        sa.Column("ano", sa.Integer(), nullable=True),
        sa.Column("versao_id", sa.Integer(), nullable=True),
        sa.Column("detalhe", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "planos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipio", sa.String(length=200), nullable=False),
        sa.Column("nome", sa.String(length=200), nullable=False),
        sa.Column("config", sa.Text(), nullable=False),
        sa.Column("criado_em", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("municipio", "nome"),
    )
    op.create_table(
        "relatorio_campos",
        sa.Column("plano_id", sa.Integer(), nullable=False),
        sa.Column("ano", sa.Integer(), nullable=False),
        sa.Column("campos", sa.Text(), nullable=False),
        sa.Column("atualizado_em", sa.DateTime(), nullable=False),
        sa.Column("atualizado_por", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["plano_id"], ["planos.id"]),
        sa.PrimaryKeyConstraint("plano_id", "ano"),
    )
    op.create_table(
        "versoes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plano_id", sa.Integer(), nullable=False),
        sa.Column("ano", sa.Integer(), nullable=False),
        sa.Column("numero", sa.Integer(), nullable=False),
        sa.Column("atual", sa.Boolean(), nullable=False),
        sa.Column("arquivo_sha256", sa.String(length=64), nullable=True),
        sa.Column("usuario", sa.String(length=200), nullable=False),
        sa.Column("criado_em", sa.DateTime(), nullable=False),
        sa.Column("exemplo", sa.Boolean(), nullable=False),
        sa.Column("anterior_id", sa.Integer(), nullable=True),
        sa.Column("n_metas", sa.Integer(), nullable=False),
        sa.Column("n_conferencias", sa.Integer(), nullable=False),
        sa.Column("n_indicadores", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["anterior_id"], ["versoes.id"]),
        sa.ForeignKeyConstraint(["arquivo_sha256"], ["arquivos.sha256"]),
        sa.ForeignKeyConstraint(["plano_id"], ["planos.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plano_id", "ano", "numero"),
    )
    op.create_index("ix_versoes_atual", "versoes", ["plano_id", "ano", "atual"], unique=False)
    _data_table("conferencias", _CONFERENCIAS)
    _data_table("indicadores", _INDICADORES)
    _data_table("metas", _METAS)
