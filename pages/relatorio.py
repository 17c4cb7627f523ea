"""Placeholder: being built."""

import streamlit as st

st.title("Relatorio")
st.info("Em construção.")
