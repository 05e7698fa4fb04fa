# neurocode: every target calls tools; the venv is created on demand with a Python >= 3.12.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
SHARED ?= ../shared
EXAMPLE ?= examples/epilepsy_clinic_note.txt

.PHONY: install run test lint bench eval train clean serve browser report-demo

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
	$(PY) -m pytest -rs

lint: install
	$(BIN)/ruff check nlp tests scripts
	$(BIN)/mypy

bench: install
	$(PY) scripts/benchmark.py --notes $(SHARED)/data/mtsamples_neuro/notes

eval: install
	$(BIN)/neurocode evaluate --suite eval_data/splits/suite.json --shared $(SHARED)

clean:
	rm -rf $(VENV) build *.egg-info

train: install
	$(BIN)/neurocode train --dev-gold $(SHARED)/data/mtsamples_neuro/gold_dev.jsonl --dev-notes $(SHARED)/data/mtsamples_neuro/notes

# the coder's web page on http://127.0.0.1:$(PORT)/ (set NEUROCODE_TOKEN to require a token)
PORT ?= 8000
WORKERS ?= 1
serve: install
	$(BIN)/neurocode serve --port $(PORT) --workers $(WORKERS)

# headless Chromium for the browser tests (web page, report): Debian's packages, as Playwright's own
# download does not work on these machines; poppler-utils (pdftotext) lets the report test check that a
# provider summary prints on one page. Never fails the build: without root/apt the tests skip, saying why.
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ -x $(CHROMIUM) ] && command -v pdftotext >/dev/null; then echo "browser tests: $(CHROMIUM) and pdftotext present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian chromium and poppler-utils for the browser tests (apt-get)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null) \
	    || echo "browser tests: chromium could not be installed; they will be skipped"; \
	else echo "browser tests: no $(CHROMIUM) and no root apt-get; they will be skipped (apt-get install chromium)"; fi

# The synthetic archive (examples/archive) through batch scoring into the provider report.
DEMO_OUT ?= build/report-demo
report-demo: install
	rm -rf $(DEMO_OUT) && mkdir -p $(DEMO_OUT)
	$(BIN)/neurocode batch examples/archive/notes.jsonl -o $(DEMO_OUT)/results --quiet
	$(BIN)/neurocode report $(DEMO_OUT)/results -o $(DEMO_OUT)/report.html --min-notes 5
	@echo "open $(DEMO_OUT)/report.html in a browser (it makes no network request)"

# claim readiness (issue 14): the type-of-service classifier (weak labels from ../shared MTSamples titles + training_data)
.PHONY: train-service-type
train-service-type: install
	$(PY) -m nlp.claim.train --manifest $(SHARED)/data/mtsamples_neuro/manifest.csv --notes $(SHARED)/data/mtsamples_neuro/notes
