"""Running several app processes on one machine: a PostgreSQL cluster, nginx in front with
sticky sessions, and N Streamlit processes (`make cluster N=4`). Not imported by the app."""
