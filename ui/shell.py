"""Keeps every run inside app.py's `st.navigation` frame.

Because the pages live in `pages/`, Streamlit starts in its legacy "pages/ directory" mode
and only leaves it once some run has called `st.navigation`. Until then (the first run
after the server starts) it executes app.py, or for a page URL pages/<page>.py alone,
inside a navigation of its own. Widgets drawn in that run get other ids than in every later
run, so the first click on the sidebar after a server start was lost, and a page opened by
URL had no sidebar. AppTest goes back to that mode before every run.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_shell() -> None:
    """Call first in app.py and in every page, before any widget.

    In the legacy mode, leave it (clear the flag `st.navigation` clears) and rerun at once:
    the rerun executes app.py normally, and its `st.navigation` opens the same page.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


PAGE_KEY = "atlas.page"
ARRIVED_KEY = "atlas.page_arrived"


def note_page(name: str) -> None:
    """Remember the page this run opens (app.py, before running it), so a page can tell a run
    that brought the user to it from one of its own reruns (`just_arrived`)."""
    st.session_state[ARRIVED_KEY] = st.session_state.get(PAGE_KEY) != name
    st.session_state[PAGE_KEY] = name


def just_arrived() -> bool:
    """True on the first run of a page after another page (False when app.py did not say)."""
    return bool(st.session_state.get(ARRIVED_KEY, False))
