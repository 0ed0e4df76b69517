# Two commands on a fresh machine with only python3: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SHARED ?= ../shared

.PHONY: install demo test lint eval bench fuzz clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,dask]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	bash scripts/demo.sh

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check redact tests
	$(BIN)/mypy

eval: $(STAMP)
	SHARED=$(SHARED) bash scripts/eval.sh

# the fuzz target of make test, with many more examples (FUZZ_EXAMPLES, default 5000 per reader)
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-5000} $(BIN)/python -m pytest -q tests/test_fuzz.py

bench: $(STAMP)
	SHARED=$(SHARED) bash scripts/bench.sh

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
