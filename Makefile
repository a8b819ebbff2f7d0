# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000
DEMO_PASSWORD ?= demo-admin-2025
CATALOGS := $(wildcard satisfaction/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: demo test install translations extract lint format clean

demo: install instance/config.py
	$(BIN)/satisfaction db upgrade
	$(BIN)/satisfaction units load vn-2024
	$(BIN)/satisfaction units load vn-2025
	$(BIN)/satisfaction questionnaires sync
	$(BIN)/satisfaction demo staff --password '$(DEMO_PASSWORD)'
	$(BIN)/satisfaction demo seed --responses 100000 --dataset vn-2024 --if-empty
	$(BIN)/satisfaction demo seed --responses 100000 --dataset vn-2025 --if-empty
	@echo
	@echo "  Open http://$(HOST):$(PORT)/login and sign in with the password $(DEMO_PASSWORD) as:"
	@echo "    admin (administrator), buudien.badinh (Ba Dinh post office), caicach.hanoi (Ha Noi officer)"
	@echo "  (the citizen's home page is http://$(HOST):$(PORT)/ ; stop with Ctrl+C)"
	@echo
	$(BIN)/satisfaction run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(STAMP) $(COMPILED)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# Compiled catalogs are build output: made from the .po files, never committed.
%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

translations: $(COMPILED)

# Refresh the catalogs from the source after changing any text.
extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o satisfaction/translations/messages.pot --project=satisfaction --copyright-holder="the satisfaction authors" .
	$(BIN)/pybabel update -i satisfaction/translations/messages.pot -d satisfaction/translations \
		--no-fuzzy-matching --ignore-obsolete

# A development instance: a random secret key, development settings, SQLite in instance/.
instance/config.py:
	@mkdir -p instance
	@$(PYTHON) -c "import secrets; print('# Written by make demo for a local demonstration.'); print('ENVIRONMENT = \"development\"'); print('SECRET_KEY = ' + repr(secrets.token_hex(32)))" > $@
	@echo "wrote $@"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
