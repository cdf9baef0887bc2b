# Flowline: `make run` starts it with embedded defaults, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat requirements/dev.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install run test fuzz lint schema bench clean

# The embedded installation: without SECRET_KEY it makes its own, kept in var/secret-key
# (anything else started without SECRET_KEY refuses to start).
run schema bench: export FLOWLINE_EMBEDDED = true

$(STAMP): requirements/dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements/dev.lock
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: install
	@$(BIN)/python manage.py migrate --noinput -v0
	@$(BIN)/python manage.py collectstatic --noinput -v0
	@$(BIN)/python manage.py bootstrap --url http://$(HOST):$(PORT)
	FRONTEND_URL=$${FRONTEND_URL:-http://$(HOST):$(PORT)} \
	  $(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --no-access-log

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

# Schema fuzzing (fuzz/): every operation of the OpenAPI schema, a fixed seed, no 500s and
# every answer as documented. FUZZ_OPERATIONS='^POST /api/v1/planner' narrows it; the
# operations are split over FUZZ_WORKERS processes (default 2), stopped after FUZZ_TIMEOUT s.
fuzz: install
	FUZZ_OPERATIONS="$(FUZZ_OPERATIONS)" $(BIN)/python fuzz/run.py $(FUZZ_ARGS)

# Ruff, the import contracts of pyproject.toml (layers, no cycles, public.py facades),
# then mypy on core and the public facades.
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# API speed against a raw ASGI app on the same queries (benchmarks/README.md).
# BENCH_ARGS="--db postgres" with DATABASE_URL set measures on PostgreSQL.
bench: install
	$(BIN)/python benchmarks/run_api.py $(BENCH_ARGS)

schema: install
	$(BIN)/python manage.py spectacular --file var/openapi.yml --validate

clean:
	rm -rf $(VENV) var staticfiles
