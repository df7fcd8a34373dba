"""The terminal front end (`python -m atlas …`): to the command line what `ui/` and `pages/`
are to the web app. It parses arguments and prints; every decision is in `atlas`, every map
drawn is `layers`' — which is why this lives outside `atlas` (`atlas` imports neither `layers`
nor a front end: `tests/test_architecture.py`). `atlas/__main__.py` only launches it."""
