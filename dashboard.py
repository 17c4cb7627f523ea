"""PMAS Monitor: entry point. Page config and navigation over pages/.

Each page starts with ``pmas.ui.page.start()``, which draws the shared sidebar and returns the
context (plan, filters, data); a page can so also be run on its own (as the tests do).
"""

import streamlit as st

from pmas import textos

st.set_page_config(page_title=textos.UI["app"], page_icon=":material/monitoring:",
                   layout="wide", initial_sidebar_state="expanded")

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
st.navigation(pages).run()
