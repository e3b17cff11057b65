# On Record — set-up, run, test. `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE := build/sample-draft.md

# Debian packages the app needs at run time (Qt, weasyprint, fonts) and to look at its output.
DEB_PACKAGES := libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 \
	libdbus-1-3 libglib2.0-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
	libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 \
	libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libcairo2 \
	fonts-dejavu-core fonts-liberation2 fonts-crosextra-carlito fonts-crosextra-caladea \
	xvfb xauth poppler-utils

.PHONY: run test lint format bench dist deps venv clean languagetool

deps:
	@scripts/install-deb-packages $(DEB_PACKAGES)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

venv: $(STAMP)

# LanguageTool (grammar) from Maven Central into .cache/languagetool, once; see scripts/languagetool.
languagetool:
	@scripts/languagetool ensure

run: deps venv languagetool
	@mkdir -p build
	@test -f $(SAMPLE) || cp templates/samples/sample-exit-interview.md $(SAMPLE)
	$(BIN)/onrecord $(SAMPLE)

test: deps venv languagetool
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: deps venv languagetool
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/bench.py

dist: deps venv
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec

clean:
	rm -rf build dist $(VENV) .pytest_cache
