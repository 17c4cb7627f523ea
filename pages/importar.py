"""Importar: send the year's spreadsheet (checks, report, preview, confirm), the versions with
their original files and undo, the audit log and the blank template."""

import streamlit as st

from pmas.ui import acesso, importar, page, state

ctx = page.start("Importar", needs_goals=False)
store = state.get_store()
plano = importar.plano_destino(store, ctx)
gestor = acesso.painel()

enviar, versoes, registro, modelo = st.tabs(importar.ABAS)
with enviar:
    importar.envio(store, plano, gestor)
with versoes:
    importar.versoes(store, plano, gestor)
with registro:
    importar.registro(store, plano)
with modelo:
    importar.modelo(plano)
