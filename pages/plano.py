"""Plano: the municipality's plans and eixos; managers create, edit and start the next cycle."""

from pmas.ui import acesso, page, plano, state

ctx = page.start("Plano", needs_goals=False)
store = state.get_store()
gestor = acesso.painel()
plano.tela(store, (ctx.plano_id, ctx.plano) if ctx is not None else None, gestor)
