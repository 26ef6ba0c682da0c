# Cocharter: `make run` to try it, `make test` to check it, `make bench` to measure it.
# pipefail: a failing `pip install` must stop make, even piped through the grep below.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
export PORT

.PHONY: run test bench install lint format messages clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 | { grep -v "is ignored" || true; }
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]" 2>&1 | { grep -v "is ignored" || true; }
	$(PY) -c "import django, celery, allauth, playwright" 
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

run: export DJANGO_DEBUG ?= true
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	mkdir -p var/celery/queue var/celery/processed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@echo ""
	@echo "  Cocharter runs at http://$(HOST):$(PORT)/  (Ctrl-C stops web, worker and beat)"
	@echo ""
	$(VENV)/bin/honcho start -f Procfile.dev

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) bench/run.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	$(PY) manage.py makemessages -l fr --no-obsolete --ignore=.venv --ignore=var --ignore=bench
	$(PY) manage.py compilemessages -l fr --ignore=.venv

clean:
	rm -rf var/celery var/cache var/staticfiles
