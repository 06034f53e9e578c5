# Two commands set everything up from a clean clone: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

# System programs some tests drive (Debian packages): a browser for the HTML map page, ffmpeg for recordings.
# `make test` installs the missing ones with apt-get when it can (CI runs as root); elsewhere those tests skip.
SYSTEM_PACKAGES := chromium:chromium ffmpeg:ffmpeg /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core

.PHONY: run test bench lint check-docs clean system-packages

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

system-packages:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do \
	  what="$${pair%%:*}"; command -v "$$what" >/dev/null 2>&1 || [ -e "$$what" ] || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing$$missing (Debian packages for the browser and recording tests)"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    (apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null) \
	      || echo "could not install$$missing: the tests that need them will skip"; \
	  else echo "missing$$missing (not root, or no apt-get): the tests that need them will skip"; fi; \
	fi

test: $(DEVSTAMP) system-packages
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
