# Model Lake — set-up, run and test. `make run` and `make test` do all the set-up themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DATA   ?= var/lake
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install bench-install fuseki-install run lake-real test test-fast lint typecheck \
	fuseki-start fuseki-stop bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

## The benchmark extra (MLflow, for the comparison in bench/run.py).
bench-install: $(VENV)/.bench-installed

$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

fuseki-install:
	bash fuseki/install.sh >/dev/null

## Serve the lake on the embedded store, with the paper's worked example loaded.
# A demo token so the README's curl calls can write; set MODELLAKE_TOKENS to use your own.
export MODELLAKE_TOKENS ?= {"demo-writer-token": "writer", "demo-officer-token": "officer"}

run: install
	$(BIN)/modellake --data-dir $(DATA) serve --demo --host $(HOST) --port $(PORT)

## The combined real lake: every public catalogue of ../shared/corpus in one embedded lake.
CORPUS ?= ../shared/corpus
REAL   ?= var/real-lake
lake-real: install
	$(BIN)/modellake --data-dir $(REAL) import corpus $(CORPUS)

## The whole suite, on the embedded store and on a Fuseki the tests start themselves. The
# benchmark smoke test needs MLflow, so the bench extra is installed too.
test: install bench-install fuseki-install
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -x -q

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

## The benchmarks: make bench SIZE="1000 10000" [BENCH_ARGS="--stores embedded --repeat 100"]
SIZE       ?= 1000 10000
BENCH_ARGS ?=
bench: bench-install fuseki-install
	$(BIN)/python -m bench.run --sizes $(SIZE) --json var/bench/results.json $(BENCH_ARGS)

## A Fuseki for local use: make fuseki-start [FUSEKI_DIR=var/fuseki FUSEKI_PORT=3030]
FUSEKI_DIR  ?= var/fuseki
FUSEKI_PORT ?= 3030
fuseki-start: fuseki-install
	bash fuseki/start.sh $(FUSEKI_DIR) $(FUSEKI_PORT)

fuseki-stop:
	bash fuseki/stop.sh $(FUSEKI_DIR)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
