# capsim: two commands on a fresh machine with Python 3.11+ and make.
#   make run    set up, then run the default scenario through to its output folder
#   make test   set up, then run the test suite
# and: make web (the web page, at http://127.0.0.1:8501), make docs (build the documentation site into site/), make serve-docs (browse it while
# editing), make wheel (build the wheel into dist/, to install elsewhere with pip).
# Setup installs capsim editable with its test extras (Dask, MkDocs, Ciw, Jupyter for notebooks).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out/base

.PHONY: run test test-floors setup bench docs serve-docs wheel clean web

$(BIN)/capsim: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/capsim

run: setup
	$(BIN)/capsim run scenarios/base.yaml --out $(OUT)

test: setup
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

# The oldest versions pyproject.toml allows (.ci/floors.txt), in a venv of their own: the main job,
# the engine's tests and one run of the web page (its pyarrow on numpy 1.x) on them (CI runs it after
# make test). The whole web suite takes minutes on a busy machine, so only that one test.
FLOORS := .venv-floors
test-floors:
	$(PYTHON) -m venv $(FLOORS)
	$(FLOORS)/bin/pip install --quiet --upgrade pip
	$(FLOORS)/bin/pip install --quiet -c .ci/floors.txt -e '.[web]' pytest
	NUMBA_CACHE_DIR=$(FLOORS)/numba-cache $(FLOORS)/bin/python -m pytest -q -p no:cacheprovider \
	  tests/test_floors_run.py tests/test_passes.py tests/test_theory.py \
	  tests/test_web_app.py::test_a_widget_writes_its_key_and_the_page_runs

web: setup
	$(BIN)/capsim web

bench: setup
	$(BIN)/python benchmarks/bench_engine.py

docs: setup
	$(BIN)/mkdocs build --strict --site-dir site

serve-docs: setup
	$(BIN)/mkdocs serve

wheel: setup
	$(BIN)/pip wheel --no-deps --quiet -w dist .

clean:
	rm -rf $(VENV) $(FLOORS) out site build dist .pytest_cache
