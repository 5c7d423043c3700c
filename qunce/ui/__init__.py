"""Streamlit-only helpers shared by pages. The only part of qunce that imports streamlit."""
