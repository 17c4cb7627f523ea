"""Placeholder: being built."""

import streamlit as st

st.title("Conferencias")
st.info("Em construção.")
