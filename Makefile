# Trait d'union – the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# manage.py defaults to portal.settings.dev; tests always use portal.settings.test.

READERS_STAMP := .venv-readers/.installed
PORT ?= 8000

.PHONY: run test install lock readers peer migrate demo lint check typecheck pytest clean serve worker bench

# The application installs from the lock, every package pinned with its hashes (runtime and the
# dev group); pyproject.toml keeps the ranges the code supports. `make lock` upgrades the lock.
LOCK := requirements-lock.txt

$(STAMP): pyproject.toml $(LOCK)
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	mkdir -p var
	touch $(STAMP)

install: $(STAMP)

# Re-resolve every pin to the newest release pyproject.toml allows, with hashes, for Python 3.11
# (the lock pins pip too). After adding a dependency without upgrading the others:
# `make lock LOCK_ARGS=`. pip-tools runs in its own venv, never in the application's.
LOCK_ARGS ?= --upgrade
LOCK_VENV := .venv-lock

lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/python -m pip install --quiet "pip-tools>=7.5,<8"; }
	mkdir -p var
	$(LOCK_VENV)/bin/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["dependency-groups"]["dev"], sep="\n")' >var/dev-group.in
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet $(LOCK_ARGS) \
		--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file $(LOCK) pyproject.toml var/dev-group.in

# Independent iCalendar readers for the feed tests, kept apart from the project's environment:
# recurring-ical-events pins python-dateutil<3; vobject has its own parser; ical.js and
# node-ical need Node.js.
$(READERS_STAMP): tests/readers/package.json
	test -x .venv-readers/bin/python || $(PYTHON) -m venv .venv-readers
	.venv-readers/bin/python -m pip install --quiet "recurring-ical-events>=3.3,<4" "vobject>=0.9.9,<1"
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

# Types of the engines and services (the files are listed under [tool.mypy] in pyproject.toml).
typecheck: install
	$(BIN)/mypy

# The SQLite pass runs on PYTEST_WORKERS processes (pytest-xdist, each with its own database and
# media folder); `make pytest PYTEST_WORKERS=0` runs it in one process. CI's PostgreSQL + Redis pass
# stays serial: its workers would share one Redis database.
PYTEST_WORKERS ?= 2

pytest: install readers
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test: lint check typecheck pytest

# Scaling, sign-up and load measurements on scratch databases (PostgreSQL on 127.0.0.1:5432,
# Redis db 14); prints the tables and writes bench/RESULTS.md. BENCH_ARGS="--sizes 100,1000 --skip-load"
# The peer of the calendar engine (django-scheduler 0.12, from PyPI) in its own venv: none of
# its code is in this repository; bench/peer/ holds only our settings and timing script.
PEER_STAMP := .venv-peer/.installed
$(PEER_STAMP):
	test -x .venv-peer/bin/python || $(PYTHON) -m venv .venv-peer
	.venv-peer/bin/python -m pip install --quiet "django-scheduler==0.12.*"
	touch $(PEER_STAMP)

peer: $(PEER_STAMP)

bench: install peer
	$(BIN)/python -m pip install --quiet --group bench
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .venv-readers .venv-peer $(LOCK_VENV) tests/readers/node_modules var
