# elearn — two commands: `make run` and `make test`. Everything else is a step they call.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
LOADTEST_LEARNERS ?= 200
LOADTEST_SECONDS ?= 60
export PORT  # the app's default PUBLIC_BASE_URL follows it (QR codes and links match the served port)
export FLASK_APP := wsgi.py

.PHONY: run test setup install install-dev translations translations-update lint check-content format bench mutate loadtest clean

run: setup ## set everything up and serve on http://127.0.0.1:$(PORT)
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: install-dev translations lint check-content ## set up and run the whole suite (SQLite; and PostgreSQL when TEST_DATABASE_URL is set)
	$(BIN)/python -m pytest -n 2 --dist loadgroup
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$TEST_DATABASE_URL), browser tests excluded =="; \
	  ELEARN_TEST_BACKEND=postgresql $(BIN)/python -m pytest -n 2 --dist loadgroup -m "not browser"; \
	fi

setup: install translations
	$(BIN)/flask db upgrade
	$(BIN)/flask setup

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: install ## compile the .po catalogues to .mo
	$(BIN)/python tools/translations.py compile

translations-update: install ## re-extract message ids into every domain's catalogue
	$(BIN)/python tools/translations.py update

lint: install-dev
	$(BIN)/ruff check .

check-content: install ## content checks of the shipped courses: fails on errors, lists warnings (courses/README.md)
	$(BIN)/flask courses check --strict courses/

format: install-dev
	$(BIN)/ruff format elearn tests bench tools
	$(BIN)/ruff check --fix .

bench: install-dev translations ## performance figures (see BENCHMARKS.md)
	$(BIN)/python bench/run.py

mutate: install-dev translations ## mutation testing of the invariant modules (a tool, not a gate; see README)
	$(BIN)/python tools/mutate.py $(MODULES)

clean:
	rm -rf mutants $(VENV) instance/*.sqlite3* .pytest_cache .ruff_cache

loadtest: install-dev translations ## 200 simulated learners for 60 s through nginx + 2 gunicorn + PostgreSQL + Redis
	$(BIN)/python -m tools.loadtest --learners $(LOADTEST_LEARNERS) --seconds $(LOADTEST_SECONDS)
