# Trait d'union – the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# manage.py defaults to portal.settings.dev; tests always use portal.settings.test.

READERS_STAMP := .venv-readers/.installed
PORT ?= 8000

.PHONY: run test install readers migrate demo lint check pytest clean serve worker bench

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --group dev -e .
	mkdir -p var
	touch $(STAMP)

install: $(STAMP)

# Independent iCalendar readers for the feed tests, kept apart from the project's environment:
# recurring-ical-events pins python-dateutil<3; ical.js needs Node.js (skipped without it).
$(READERS_STAMP): tests/readers/package.json
	test -x .venv-readers/bin/python || $(PYTHON) -m venv .venv-readers
	.venv-readers/bin/python -m pip install --quiet "recurring-ical-events>=3.3,<4"
	if command -v npm >/dev/null 2>&1; then npm install --prefix tests/readers --no-audit --no-fund --silent; fi
	touch $(READERS_STAMP)

readers: $(READERS_STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	@echo ""
	@echo "  Portail :        http://127.0.0.1:$(PORT)/"
	@echo "  Administration : http://127.0.0.1:$(PORT)/admin/"
	@echo "  Identifiant : admin    Mot de passe : $${DEMO_ADMIN_PASSWORD:-demo-trait-d-union}"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production-like, on this machine: set SECRET_KEY, ALLOWED_HOSTS (and DATABASE_URL, REDIS_URL…)
# first; see "Production" in the README. `make worker` runs the e-mail/task worker beside it.
PROD := DJANGO_SETTINGS_MODULE=portal.settings.production

serve: install
	$(PROD) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(PROD) $(BIN)/python manage.py migrate --noinput
	$(PROD) $(BIN)/gunicorn -c portal/gunicorn.py portal.wsgi

worker: install
	$(PROD) $(BIN)/python manage.py db_worker --queue-name '*'

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

pytest: install readers
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/pytest $(PYTEST_ARGS)

test: lint check pytest

# Scaling, sign-up and load measurements on scratch databases (PostgreSQL on 127.0.0.1:5432,
# Redis db 14); prints the tables and writes bench/RESULTS.md. BENCH_ARGS="--sizes 100,1000 --skip-load"
bench: install
	$(BIN)/python -m pip install --quiet --group bench
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .venv-readers tests/readers/node_modules var
