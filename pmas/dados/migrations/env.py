"""Alembic's environment: always run through pmas.dados.migrations.upgrade, which hands in the
connection (inside its transaction and lock)."""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the alembic command line is not how this is run
    raise RuntimeError("Use python -m pmas banco atualizar (pmas.dados.migrations.upgrade).")

context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
