# capsim: two commands on a fresh machine with Python 3.11+ and make.
#   make run    set up, then run the default scenario through to its output folder
#   make test   set up, then run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out/base

.PHONY: run test setup bench clean

$(BIN)/capsim: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/capsim

run: setup
	$(BIN)/capsim run scenarios/base.yaml --out $(OUT)

test: setup
	$(BIN)/python -m pytest -n 2 -q

bench: setup
	$(BIN)/python benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) out .pytest_cache
