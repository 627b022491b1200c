# 随查 suicha – two commands: `make run` and `make test`.
# Each first runs scripts/setup-system (Debian packages, installed when missing –
# the same script CI runs), then builds the venv from pyproject.toml (PyPI).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
SYSTEM := PYTHON=$(PYTHON) scripts/setup-system
export FLASK_APP := server

.PHONY: browser-test-deps run test test-fast app setup venv lint bench clean serve-prod js

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

# The system check comes before anything is written (the venv included).
setup:
	@$(SYSTEM) run
	@$(MAKE) --no-print-directory venv
	$(BIN)/flask setup

run: setup
	$(BIN)/python -m server.devserver --host 127.0.0.1 --port $(PORT)

# The demo's registries and plans are 长子县's: `make run` (and the `setup` it
# runs) name the bureau so on every document, unless BUREAU_NAME/BUREAU_ABBR are
# set (a real bureau sets its own; the server's default is a neutral 示范县).
setup run: export BUREAU_NAME ?= 长子县应急管理局
setup run: export BUREAU_ABBR ?= 长

# The whole suite; server tests run on SQLite and on a PostgreSQL server that the
# test setup starts itself (Debian's postgresql package). One pytest worker per
# core (TEST_WORKERS=1 runs it in one process).
TEST_WORKERS ?= auto
test:
	@$(SYSTEM) test
	@$(MAKE) --no-print-directory venv browser-test-deps
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --durations=25

# axe-core for the accessibility test (test-only, from the npm registry; never served).
AXE_STAMP := tests/browser/node_modules/.installed
$(AXE_STAMP): tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --silent
	touch $@

browser-test-deps: $(AXE_STAMP)

test-fast:
	@$(SYSTEM) test
	@$(MAKE) --no-print-directory venv
	SUICHA_TEST_BACKENDS=sqlite $(BIN)/python -m pytest -q -x -m "not slow and not ui and not browser"

# Production: gunicorn (gunicorn.conf.py) on PostgreSQL. Needs SECRET_KEY and
# DATABASE_URL in the environment; docs/deploy.md has the rest.
serve-prod: venv
	SUICHA_ENV=production $(BIN)/flask db upgrade
	SUICHA_ENV=production $(BIN)/gunicorn -c gunicorn.conf.py

# The tablet app on the desktop: Kivy needs GL and a system CJK font (the test packages).
app:
	@$(SYSTEM) test
	@$(MAKE) --no-print-directory venv
	$(BIN)/python -m mobile

# Rebuild the browser's draw verifier (server/static/draw/suicha-verify.js) from
# js/verify/src; the bundle is committed, so this is only needed after a change.
js:
	cd js/verify && npm ci && npm run build

lint: venv
	$(BIN)/ruff check server shared mobile tests bench p4a

bench: venv
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance .pytest_cache
