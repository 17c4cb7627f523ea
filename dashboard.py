"""PMAS Monitor: entry point. Page config, navigation over pages/, the shared sidebar."""

import streamlit as st

from pmas import textos
from pmas.ui import boot, sidebar

st.set_page_config(page_title=textos.UI["app"], page_icon=":material/monitoring:",
                   layout="wide", initial_sidebar_state="expanded")

boot.check_environment()
loaded_examples = boot.first_run()

pages = [
    st.Page("pages/visao_geral.py", title="Visão geral", icon=":material/dashboard:",
            url_path="visao-geral", default=True),
    st.Page("pages/eixos.py", title="Eixos", icon=":material/account_tree:", url_path="eixos"),
    st.Page("pages/conferencias.py", title="Conferências", icon=":material/groups:",
            url_path="conferencias"),
    st.Page("pages/comparativo.py", title="Comparativo anual", icon=":material/compare_arrows:",
            url_path="comparativo"),
    st.Page("pages/dados.py", title="Dados", icon=":material/table:", url_path="dados"),
    st.Page("pages/importar.py", title="Importar", icon=":material/upload_file:",
            url_path="importar"),
    st.Page("pages/relatorio.py", title="Relatório", icon=":material/description:",
            url_path="relatorio"),
]
page = st.navigation(pages)
sidebar.render()
if loaded_examples:
    st.toast(textos.UI["banner_primeira_execucao"], icon=":material/science:")
page.run()
