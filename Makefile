# HọcSố — `make run` serves the app, `make test` runs every test, `make bench` measures.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
# pytest-xdist processes for `make test`: one per core (each has its own databases).
TEST_WORKERS ?= auto
export FLASK_APP := app

MO := translations/vi/LC_MESSAGES/messages.mo

.PHONY: run test bench lint format translations extract-messages clean

run: $(VENV)/.run $(MO)
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data
	@echo
	@echo "  HọcSố is starting on http://$(HOST):$(PORT)"
	@echo "  Learners need no password: press 'Bắt đầu', find the commune, type a name and a year of birth."
	@echo "  Demo sign-ins (footer link 'Đăng nhập'), only in the demo data:"
	@echo "    admin@demo.hocso.invalid / hocso-demo-admin     (admin)"
	@echo "    hung@demo.hocso.invalid  / hocso-demo-trainer   (trainer)"
	@echo "    linh@demo.hocso.invalid  / hocso-demo-helper    (helper)"
	@echo "  Demo communes are marked '(demo)'. Stop with Ctrl+C."
	@echo
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - "app:create_app()"

test: $(VENV)/.dev $(MO) node_modules/axe-core/axe.min.js
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/flask content check
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

bench: $(VENV)/.dev $(MO)
	$(BIN)/python -m bench

lint: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

translations: $(MO)

$(MO): translations/vi/LC_MESSAGES/messages.po $(VENV)/.run
	$(BIN)/pybabel compile -d translations

# After changing interface strings: update the catalogue, then translate the new entries.
extract-messages: $(VENV)/.run
	PYTHONPATH=. $(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --ignore-dirs=".venv node_modules tests" .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --ignore-obsolete --no-fuzzy-matching

$(VENV)/.run: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.run requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache $(MO)
