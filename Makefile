# Qunce 群策 — `make help` lists the targets. Long shell logic lives in scripts/.
.DEFAULT_GOAL := help
PORT ?= 8501

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## create .venv and install Qunce with all extras (skipped when already done)
	@bash scripts/setup.sh

run: setup ## set everything up and start the app on http://localhost:$(PORT)
	@.venv/bin/qunce serve --port $(PORT)

test: setup ## set everything up and run the whole test suite
	@bash scripts/test.sh

lint: setup ## ruff lint and format check
	@.venv/bin/ruff check . && .venv/bin/ruff format --check qunce

types: setup ## mypy (strict) on qunce/
	@.venv/bin/mypy

validate: setup ## check every content file
	@.venv/bin/qunce validate --coverage

bench: setup ## print the benchmarks' figures
	@for b in bench/*.py; do echo "== $$b"; .venv/bin/python $$b; done

.PHONY: help setup run test lint types validate bench
