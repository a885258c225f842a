# The front door. Every target sets up what it needs first (idempotent).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TOPIC ?= why bread goes stale

HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup chromium run video test test-fast lint typecheck bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Browser tests drive Debian's Chromium (Playwright cannot download a browser here). Installed
# when missing and we are root; otherwise the browser tests skip and say how to enable them.
chromium:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium not installed: browser tests will skip (apt-get install chromium)"; }

# The whole studio on embedded defaults: API + worker, SQLite, files and mail under .reelforge/.
run: setup
	$(BIN)/reelforge serve --host $(HOST) --port $(PORT) --with-worker

# One video, offline, no server: out/<topic>.mp4 (+ .srt, .ass).
video: setup
	$(BIN)/reelforge make "$(TOPIC)"

test: setup chromium
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy
	$(BIN)/pytest -n 2 --dist loadgroup

test-fast: setup
	$(BIN)/pytest -n 2 -m "not slow and not postgres and not redis and not browser"

lint: setup
	$(BIN)/ruff check --fix src tests bench tools
	$(BIN)/ruff format src tests bench tools

typecheck: setup
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/render.py
	$(BIN)/python bench/analytics.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
