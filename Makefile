# Krabuan: `make run` serves the app with demo data on http://127.0.0.1:8000, `make test` tests it.
SHELL := /bin/bash
UV := scripts/uv.sh
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run setup test check bench lint format

run: setup
	scripts/serve.sh

setup:
	scripts/bootstrap.sh
	scripts/setup_app.sh

test:
	scripts/bootstrap.sh --test
	DJANGO_SETTINGS_MODULE=config.settings.test $(UV) run pytest -n auto $(PYTEST_ARGS)

check:
	scripts/bootstrap.sh
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy krabuan config bench
	$(UV) run lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(UV) run krabuan makemigrations --check --dry-run

bench:
	scripts/bootstrap.sh
	DJANGO_SETTINGS_MODULE=config.settings.test $(UV) run python -m bench

format:
	$(UV) run ruff format .
	$(UV) run ruff check --fix .
