"""Streamlit helpers shared by the pages: sidebar, cached pack loading, small widgets.

Only presentation lives here. Reading, validating and computing on packs is `atlas`'s job,
and every user-facing string comes from `atlas.i18n`.
"""
