# The LSTM book. `make book` and `make test` are the two commands of the README.
# Both create .venv if it is missing and (re)install the pinned requirements
# only when requirements.txt or pyproject.toml changed, so a second run is fast.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
JB     := $(VENV)/bin/jupyter-book
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(shell find chapters -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | sort)
# Per-cell limit when executing notebooks: ipywidgets' interactive() has been
# seen to stall nbclient until the timeout fires.
CELL_TIMEOUT ?= 300
# make test runs on this many pytest-xdist workers. --dist loadscope keeps a test file (a
# notebook's cells share one kernel; a module's fixtures start once) or a class together.
TEST_JOBS ?= 2

.PHONY: book test lab outputs bench translations clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $(STAMP)

# Both editions: English into _build/html/, Chinese into _build/html/zh_CN/.
book: $(STAMP)
	$(PY) tools/build_book.py

# After an English change: extract the messages and update locales/*/LC_MESSAGES/*.po
# (new messages arrive untranslated, changed ones fuzzy; tests/test_translations.py
# fails until every one is translated).
translations: $(STAMP)
	$(PY) tools/build_book.py --gettext
	$(VENV)/bin/sphinx-intl update --pot-dir _build/gettext --locale-dir locales --language zh_CN \
	    --line-width 0 --no-obsolete

# Unit tests, nbval over every notebook, the strict book build (-W -n --keep-going)
# and the browser tests, in one pytest run.
test: $(STAMP)
	$(PY) -m pytest tests chapters --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg \
	    --nbval-cell-timeout=$(CELL_TIMEOUT) -n $(TEST_JOBS) --dist loadscope

# Jupyter refuses to start as root without --allow-root (containers, CI boxes).
lab: $(STAMP)
	$(VENV)/bin/jupyter lab chapters $(if $(filter 0,$(shell id -u)),--allow-root)

# Re-execute every notebook in place, storing outputs and widget state.
outputs: $(STAMP)
	$(PY) tools/execute_notebooks.py --timeout $(CELL_TIMEOUT) $(NOTEBOOKS)

bench: $(STAMP)
	$(PY) benchmarks/bench_forward.py
	$(PY) benchmarks/bench_backward.py
	$(PY) benchmarks/bench_projection.py

clean:
	rm -rf _build test-artifacts
