"""Placeholder: being built."""

import streamlit as st

st.title("Comparativo")
st.info("Em construção.")
