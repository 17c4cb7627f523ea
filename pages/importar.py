"""Placeholder: being built."""

import streamlit as st

st.title("Importar")
st.info("Em construção.")
