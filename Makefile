# Two commands: `make book` builds the HTML book, `make test` runs every test.
# Both bootstrap .venv from requirements.txt (skipped when nothing changed).
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JB_FLAGS := -W -n --keep-going

.PHONY: venv book test test-unit test-notebooks test-book test-browser lab serve outputs bench freeze clean

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml book/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	@# the library, then the book's machinery (a separate project that imports the library)
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . -e book
	@# Build matplotlib's font cache now: on a fresh machine a slow first build logs a warning
	@# to stderr, which would otherwise land in a notebook cell and fail nbval.
	$(BIN)/python -c "import matplotlib.font_manager"
	@touch $@

## make book: strict build of the HTML book from a clean _build
book: $(STAMP)
	rm -rf _build
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo
	@echo "Book built: file://$(CURDIR)/_build/html/index.html"

## make test: unit tests + doctests + nbval, then the strict book build, then the browser test
test: $(STAMP)
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory book
	$(MAKE) --no-print-directory test-browser

## make test-unit / test-notebooks: the package's tests and doctests / nbval over the chapters
test-unit: $(STAMP)
	$(BIN)/python -m pytest tests softmax_ce

test-notebooks: $(STAMP)
	$(BIN)/python -m pytest chapters

## make test-book: the strict build alone (same as make book)
test-book: book

## make test-browser: the built book in headless chromium, network off (after make book)
test-browser: $(STAMP)
	@if [ -z "$$SOFTMAX_CE_CHROMIUM" ] && ! command -v chromium >/dev/null 2>&1; then \
	  echo "browser test SKIPPED: chromium not found (apt-get install chromium, or set SOFTMAX_CE_CHROMIUM)"; fi
	$(BIN)/python -m pytest -m browser tests/test_browser.py

## make lab: JupyterLab from the same venv, the package importable
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=chapters

## make serve: serve the built book on http://127.0.0.1:8000 (search excerpts need http)
serve:
	$(BIN)/python -m http.server --directory _build/html --bind 127.0.0.1 8000

## make outputs: re-execute every notebook in place, deterministically (no timing metadata)
outputs: $(STAMP)
	$(BIN)/python scripts/refresh_outputs.py

## make bench: the benchmark against SciPy (and PyTorch CPU, when installed: it is not in requirements.txt)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

## make freeze: re-pin requirements.txt from the current venv (which must not have torch:
## torch and its dependencies would be pinned; the tests use stored torch fixtures instead)
freeze: $(STAMP)
	@if $(BIN)/python -c "import importlib.util as u, sys; sys.exit(u.find_spec('torch') is None)"; then \
	  echo "make freeze: torch is installed in $(VENV) and would be pinned with its dependencies;" \
	    "freeze from a venv without it: rm -rf $(VENV) && make freeze" >&2; exit 1; fi
	{ head -3 requirements.txt; $(BIN)/python -m pip freeze --exclude-editable | grep -v -i '^softmax.ce'; } > requirements.txt.new
	mv requirements.txt.new requirements.txt

clean:
	rm -rf _build .pytest_cache .hypothesis
