# make run   — set everything up and serve the workbench at http://127.0.0.1:$(PORT)
# make test  — the whole suite: migrations check, lint, types, JS, Python, worker and browser tests

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test install lint types test-js test-py bench lock clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# ReplayWeb.page, which replays preserved sources inside the app: npm installs the locked package
# under replay/, and its prebuilt ui.js and sw.js are copied to frontend/replay/ for the app to serve.
replay/node_modules/.installed: replay/package.json replay/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to install ReplayWeb.page (Debian: apt-get install npm)"; exit 1; }
	cd replay && npm ci --ignore-scripts --omit=dev --no-audit --no-fund --loglevel=error
	touch $@

frontend/replay/%.js: replay/node_modules/.installed
	mkdir -p $(@D)
	cp replay/node_modules/replaywebpage/$*.js $@

install: $(VENV)/.installed frontend/replay/ui.js frontend/replay/sw.js

run: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python -m workbench.launcher

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install
	DJANGO_DEBUG=1 $(BIN)/mypy .

test-js:
	node --test frontend/tests/

test-py: install
	$(BIN)/pytest

test: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(MAKE) lint types test-js test-py

bench: install
	$(BIN)/python bench/reanchor.py
	$(BIN)/python bench/api_claims.py
	$(BIN)/python bench/peer_doccano.py  # installs doccano 1.8.4 under var/ on its first run
	$(BIN)/python bench/similar.py

# Re-pin every dependency after changing pyproject.toml.
lock: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

clean:
	rm -rf $(VENV) staticfiles test-artifacts replay/node_modules frontend/replay
