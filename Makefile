# neurocode: every target calls tools; the venv is created on demand with a Python >= 3.12.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
SHARED ?= ../shared
EXAMPLE ?= examples/epilepsy_clinic_note.txt

.PHONY: install run test lint bench eval train clean

$(VENV)/.installed: pyproject.toml
	@interp=$$(scripts/find_python.sh) || exit 1; \
	if [ ! -x $(PY) ]; then echo "creating $(VENV) with $$interp"; $$interp -m venv $(VENV); fi
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev,spark]'
	$(BIN)/neurocode codeset build-default
	@touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/neurocode suggest $(EXAMPLE)

test: install
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
