# Atlas Hạ tầng — District Infrastructure Atlas
#
#   make run    set up .venv, then serve the app  (PORT=8501, ATLAS_PACK=cang_long)
#   make test   set up .venv with the dev tools and Chromium, then ruff + the whole pytest suite
#
# Needs python3 (3.11+) with venv, make, and PyPI/Debian access the first time only.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
APP_STAMP := $(VENV)/.requirements.stamp
DEV_STAMP := $(VENV)/.requirements-dev.stamp
CHROMIUM := /usr/bin/chromium

# Runs a Debian install as root: directly when we are root, else through sudo if there is one.
APT_INSTALL = if [ "$$(id -u)" = 0 ]; then as_root=""; \
	elif command -v sudo >/dev/null 2>&1; then as_root="sudo"; \
	else echo "error: installing $(1) needs root (or sudo): apt-get install -y $(1)" >&2; exit 1; fi; \
	$$as_root apt-get update && $$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y $(1)

.PHONY: help run test cluster prepare chromium postgresql nginx clean FORCE

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

run: prepare  ## Serve the app on PORT (8501) with the pack ATLAS_PACK (cang_long)
	ATLAS_PACK="$${ATLAS_PACK:-cang_long}" exec $(BIN)/streamlit run app.py \
		--server.port "$${PORT:-8501}" --server.headless true

cluster: prepare postgresql nginx  ## N app processes (N=4) on one PostgreSQL behind nginx on PORT (8500)
	$(PIP) install -q -r requirements-postgres.txt
	exec $(BIN)/python -m deploy.cluster --processes "$${N:-4}" --port "$${PORT:-8500}"

test: prepare $(DEV_STAMP) chromium postgresql nginx  ## ruff check + the whole pytest suite (browser tests, PostgreSQL too)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

prepare: $(APP_STAMP)  ## Set up .venv and prepare what the app serves (offline map assets)
	@if ! command -v npm >/dev/null 2>&1; then $(call APT_INSTALL,nodejs npm); fi
	$(BIN)/python assets/prepare.py
	@# The 2025 crosswalk and the gazetteer are derived from the installed vietnamadminunits
	@# package, not committed.
	@[ -f geodata/crosswalk/crosswalk_2025.csv ] && [ geodata/crosswalk/crosswalk_2025.csv -nt $(APP_STAMP) ] \
		|| $(BIN)/python geodata/build_crosswalk.py
	@[ -f geodata/crosswalk/gazetteer.csv ] && [ geodata/crosswalk/gazetteer.csv -nt $(APP_STAMP) ] \
		&& [ geodata/crosswalk/gazetteer.csv -nt geodata/build_gazetteer.py ] \
		|| $(BIN)/python geodata/build_gazetteer.py
	@# The national pack geodata/vietnam is generated from the gazetteer (about 5 s, 8 MB).
	@[ -f geodata/vietnam/pack.toml ] && [ geodata/vietnam/pack.toml -nt geodata/crosswalk/gazetteer.csv ] \
		&& [ geodata/vietnam/pack.toml -nt geodata/build_vietnam.py ] \
		|| $(BIN)/python geodata/build_vietnam.py

# --- the virtualenv ------------------------------------------------------------------------

# A venv whose interpreter no longer runs or is older than 3.11 is stale: rebuild it.
VENV_OK := $(shell $(BIN)/python -c 'import sys; print(int(sys.version_info >= (3, 11)))' 2>/dev/null)
ifneq ($(VENV_OK),1)
$(VENV)/pyvenv.cfg: FORCE
endif

$(VENV)/pyvenv.cfg:
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install python3 (3.11+)" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: $(PYTHON) is older than 3.11; run with PYTHON=python3.11 (or newer)" >&2; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { $(call APT_INSTALL,python3-venv); }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)

$(APP_STAMP): requirements.txt $(VENV)/pyvenv.cfg
	$(PIP) install -q -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements-dev.txt $(APP_STAMP)
	$(PIP) install -q -r requirements-dev.txt
	@touch $@

# --- Chromium for the browser tests (Debian's; Playwright never downloads a browser) ---------

chromium:
	@if [ ! -e $(CHROMIUM) ]; then $(call APT_INSTALL,chromium); fi
	@# pdftotext / pdftoppm check the exported print sheets
	@if ! command -v pdftoppm >/dev/null 2>&1; then $(call APT_INSTALL,poppler-utils); fi

# --- PostgreSQL and PostGIS for the store tests (Debian's; the suite starts a throwaway cluster of its own:
# tests/pg.py, never the machine's own server) ------------------------------------------------

postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then $(call APT_INSTALL,postgresql); fi
	@if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then \
		$(call APT_INSTALL,postgresql-postgis); fi

nginx:
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then $(call APT_INSTALL,nginx-light); fi

FORCE:

clean:  ## Remove .venv, caches and test output
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-output
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
