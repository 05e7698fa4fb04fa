# neurocode: every target calls tools; the venv is created on demand with a Python >= 3.12.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
SHARED ?= ../shared
EXAMPLE ?= examples/epilepsy_clinic_note.txt

.PHONY: install run test lint bench eval train clean browser report-demo

$(VENV)/.installed: pyproject.toml
	@interp=$$(scripts/find_python.sh) || exit 1; \
	if [ ! -x $(PY) ]; then echo "creating $(VENV) with $$interp"; $$interp -m venv $(VENV); fi
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev,spark]'
	$(BIN)/neurocode codeset build-default
	@touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/neurocode suggest $(EXAMPLE)

test: install browser
	$(PY) -m pytest

lint: install
	$(BIN)/ruff check nlp tests scripts
	$(BIN)/mypy

bench: install
	$(PY) scripts/benchmark.py --notes $(SHARED)/data/mtsamples_neuro/notes

eval: install
	$(BIN)/neurocode evaluate $(SHARED)/data/mtsamples_neuro/gold_dev.jsonl --notes $(SHARED)/data/mtsamples_neuro/notes

clean:
	rm -rf $(VENV) build *.egg-info

train: install
	$(BIN)/neurocode train --dev-gold $(SHARED)/data/mtsamples_neuro/gold_dev.jsonl --dev-notes $(SHARED)/data/mtsamples_neuro/notes

# Debian's chromium for the headless-browser tests (Playwright's own browser download is not used).
# Never fails the build: without apt the browser tests are skipped with a stated reason.
# poppler-utils (pdftotext) lets the report test check that a provider summary prints on one page.
browser:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null; then \
	  echo "installing chromium and poppler-utils with apt-get"; \
	  (apt-get update -q && apt-get install -y -q chromium poppler-utils) >/dev/null 2>&1 \
	    || echo "chromium could not be installed: the browser tests will be skipped"; \
	fi

# The synthetic archive (examples/archive) through batch scoring into the provider report.
DEMO_OUT ?= build/report-demo
report-demo: install
	rm -rf $(DEMO_OUT) && mkdir -p $(DEMO_OUT)
	$(BIN)/neurocode batch examples/archive/notes.jsonl -o $(DEMO_OUT)/results --quiet
	$(BIN)/neurocode report $(DEMO_OUT)/results -o $(DEMO_OUT)/report.html --min-notes 5
	@echo "open $(DEMO_OUT)/report.html in a browser (it makes no network request)"
