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

# PYTHONWARNINGS reaches the build of the project itself: setuptools' deprecation
# notices are for whoever maintains pyproject.toml, not for someone trying Cocharter.
$(STAMP): pyproject.toml
	@echo "Installing Cocharter and its dependencies into $(VENV) (once)..."
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 | { grep -v "is ignored" || true; }
	@PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]" 2>&1 | { grep -v "is ignored" || true; }
	@$(PY) -c "import django, celery, allauth, playwright"
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

run: export DJANGO_DEBUG ?= true
run: export SITE_URL ?= http://$(HOST):$(PORT)
# Quiet on purpose: once everything answers, config/devrun.py prints one short block
# (the address, the demo logins, where e-mails go) and stops all it started on Ctrl-C.
run: install
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py seed_demo --if-empty -v 0
	@exec $(PY) -m config.devrun

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
