# Brug: `make run` serves the demo network, `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
BRUG := $(VENV)/bin/brug
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test bench bench-growth lint format clean

# Find a Python >= 3.12: $PYTHON, python3.14/3.13/3.12/python3 on PATH, then pyenv's.
define find_python
for c in "$$PYTHON" python3.14 python3.13 python3.12 python3; do \
  [ -n "$$c" ] || continue; \
  p=$$(command -v "$$c" 2>/dev/null) || continue; \
  "$$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null && { echo "$$p"; exit 0; }; \
done; \
if command -v pyenv >/dev/null 2>&1; then \
  for v in 3.14 3.13 3.12; do \
    p=$$(PYENV_VERSION=$$v pyenv which python3 2>/dev/null) || continue; \
    "$$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null && { echo "$$p"; exit 0; }; \
  done; \
fi; \
for p in $$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.*/bin/python3 2>/dev/null | sort -rV); do \
  "$$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null && { echo "$$p"; exit 0; }; \
done; \
exit 1
endef

$(PY):
	@py=$$( $(find_python) ) || { echo "Brug needs Python 3.12 or newer, and none was found." >&2; \
	  echo "Install one (e.g. 'apt-get install python3.12' or 'pyenv install 3.12') or set PYTHON=/path/to/python3.12." >&2; exit 1; }; \
	echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@ $(STAMP)

run: $(STAMP)
	$(BRUG) migrate --no-input -v 0
	@$(BRUG) demo --if-empty --size small
	$(BRUG) run

test: $(DEV_STAMP)
	@bash scripts/test.sh

# The medium tier lives in its own data directory (and, with BRUG_DATABASE_URL,
# in the database named there: give it one of its own), loaded once.
BENCH_DATA ?= var/bench-medium
bench: $(DEV_STAMP)
	@mkdir -p $(BENCH_DATA)
	BRUG_DATA_DIR=$(BENCH_DATA) $(BRUG) migrate --no-input -v 0
	BRUG_DATA_DIR=$(BENCH_DATA) $(BRUG) collectstatic --no-input -v 0
	BRUG_DATA_DIR=$(BENCH_DATA) $(BRUG) demo --size medium --if-empty
	BRUG_DATA_DIR=$(BENCH_DATA) $(BRUG) bench

# Growth (BENCHMARKS.md): the medium tier measured (its misses do not stop this),
# then the large tier against the newest medium result. On PostgreSQL each tier
# needs a database of its own: BRUG_DATABASE_URL for the medium tier and
# BENCH_LARGE_DATABASE_URL for the large one.
BENCH_LARGE ?= var/bench-large
BENCH_LARGE_DATABASE_URL ?=
export BENCH_LARGE_DATABASE_URL
# The URL is read from the environment by the shell (quoted), never pasted into the line.
LARGE_ENV = BRUG_DATA_DIR=$(BENCH_LARGE) $(if $(BENCH_LARGE_DATABASE_URL),BRUG_DATABASE_URL="$$BENCH_LARGE_DATABASE_URL")
bench-growth: $(DEV_STAMP)
	@if [ -n "$$BRUG_DATABASE_URL" ] && { [ -z "$$BENCH_LARGE_DATABASE_URL" ] || \
	  [ "$$BENCH_LARGE_DATABASE_URL" = "$$BRUG_DATABASE_URL" ]; }; then \
	  echo "On PostgreSQL the large tier needs a database of its own: set BENCH_LARGE_DATABASE_URL." >&2; exit 2; fi
	-$(MAKE) bench
	@mkdir -p $(BENCH_LARGE)
	$(LARGE_ENV) $(BRUG) migrate --no-input -v 0
	$(LARGE_ENV) $(BRUG) collectstatic --no-input -v 0
	$(LARGE_ENV) $(BRUG) demo --size large --if-empty
	$(LARGE_ENV) $(BRUG) bench \
	  --against "$$(ls -t $(BENCH_DATA)/bench/*-medium-*.json | head -n 1)"

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var/test-* test-artifacts
