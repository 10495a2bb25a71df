# Kitokito: `make run` runs the app on the embedded backend, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Installs are redone only when pyproject.toml changes.
RUN_STAMP := $(VENV)/.run-deps
TEST_STAMP := $(VENV)/.test-deps
PO_FILES := $(wildcard locales/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test lint i18n catalogs clean bench soak

run: $(RUN_STAMP) catalogs
	exec $(PY) -m app

test: $(TEST_STAMP) catalogs lint
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

# Extract msgids, merge them into every language, compile, report what is untranslated.
i18n: $(RUN_STAMP)
	$(PY) tools/i18n.py all

catalogs: $(MO_FILES)

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po | $(RUN_STAMP)
	$(PY) tools/i18n.py compile

# The fault harness (issue 9, figures 15-17) over many more seeds than `make test` runs: the
# network-fault test takes KITOKITO_SOAK_SEEDS seeds, the 200-change test a 40th of them, the
# process-killing tests a 50th (tests/contract/harness.py, `seeds`).
KITOKITO_SOAK_SEEDS ?= 2000
HARNESS_TESTS := tests/contract/test_outbox_contract.py tests/contract/test_outbox_at_scale.py \
	tests/contract/test_outbox_server_kill.py tests/contract/test_outbox_client_kill.py \
	tests/contract/test_sync_cursor_kill.py tests/contract/test_booking_outbox.py
soak: $(TEST_STAMP) catalogs
	KITOKITO_SOAK_SEEDS=$(KITOKITO_SOAK_SEEDS) $(PY) -m pytest -q $(HARNESS_TESTS)

bench: $(TEST_STAMP) catalogs
	$(PY) bench/transit.py
	$(PY) bench/keystroke.py
	$(PY) bench/info.py
	$(PY) bench/search.py

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@ $(RUN_STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache locales/*/LC_MESSAGES/*.mo
