# The front door. Every target sets up what it needs first (idempotent).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TOPIC ?= why bread goes stale

HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run video test test-fast lint typecheck bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# The whole studio on embedded defaults: API + worker, SQLite, files and mail under .reelforge/.
run: setup
	$(BIN)/reelforge serve --host $(HOST) --port $(PORT) --with-worker

# One video, offline, no server: out/<topic>.mp4 (+ .srt, .ass).
video: setup
	$(BIN)/reelforge make "$(TOPIC)"

test: setup
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
