"""The only part of pmas that imports streamlit: sidebar, cards, tables, downloads."""
