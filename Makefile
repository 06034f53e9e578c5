# Two commands set everything up from a clean clone: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test bench lint check-docs clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

$(DEVSTAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(DEVSTAMP)

run: $(STAMP)
	$(VENV)/bin/research-tui demo demo.rtui

test: $(DEVSTAMP)
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q

lint: $(DEVSTAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: $(DEVSTAMP)
	$(PY) -m benchmarks

check-docs: $(DEVSTAMP)
	$(PY) -m pytest -q -m slow

clean:
	rm -rf $(VENV) build *.egg-info
