# Open to Help — developer commands. Only Python 3.11 and make are needed on a fresh machine.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

# Development defaults are chosen here, by the dev commands, never by the settings module.
# `VERBOSE=1 make run`: the full log, whole e-mails included (quiet by default).
LOUD := $(filter-out 0,$(VERBOSE))
DEV_ENV := OTH_ENV=development DEBUG=True SECRET_KEY=dev-only-insecure-key \
	DATABASE_URL=$${DATABASE_URL:-sqlite:///data/dev.sqlite3} \
	EMAIL_BACKEND=$${EMAIL_BACKEND:-$(if $(LOUD),console,file)}
# PYTHONDONTWRITEBYTECODE is emptied for the tests: each test process would otherwise compile every module of
# the project and pytest would rewrite every test module's asserts again (about 4 s of CPU per process).
TEST_ENV := OTH_ENV=test DEBUG=False SECRET_KEY=test-only-insecure-key PYTHONDONTWRITEBYTECODE=
# Test processes: the browser journeys mostly wait (on Chromium and the live server), so more processes
# than cores keep both cores busy (docs/benchmarks.md, "The suite").
WORKERS ?= 4

.PHONY: setup run screenshots test coverage lint bench lock browsers test-servers clean cluster cluster-stop cluster-faults

setup: $(STAMP)

$(STAMP): requirements.lock
	@$(PYTHON) -c "import sys; assert sys.version_info[:2] == (3, 11), sys.version" || { echo "Python 3.11 is required"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@touch $(STAMP)

# `make run PORT=8001 HOST=0.0.0.0`: where to serve (SITE_URL follows unless set). A quiet log: one line per
# request and per e-mail (written to data/mail/); `VERBOSE=1 make run` shows everything, e-mails included.
PORT ?= 8000
HOST ?= 127.0.0.1
run: setup
	@mkdir -p data
	@$(if $(LOUD),,echo "Preparing the database (migrations, demo organisation)…")
	@$(DEV_ENV) $(PY) manage.py migrate --no-input $(if $(LOUD),,--verbosity 0)
	@$(DEV_ENV) $(PY) manage.py seed_demo --if-empty
	@$(DEV_ENV) $(PY) scripts/run_dev.py --host "$(HOST)" --port "$(PORT)" $(if $(LOUD),--verbose)

# Screenshots of the main pages (desktop and phone, light and dark) into docs/screenshots/, from a fresh
# demo organisation on a temporary database (scripts/screenshots.py --help).
screenshots: setup browsers
	$(PY) scripts/screenshots.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(TEST_ENV) $(BIN)/mypy
	$(BIN)/djlint --lint --quiet .

# The whole suite (lint is `make lint`; CI runs both). `make test WORKERS=2`: fewer test processes.
test: setup browsers test-servers
	@mkdir -p data
	$(TEST_ENV) $(PY) -m pytest -q -n $(WORKERS) --dist loadgroup

# The whole suite under coverage (pytest-cov, combined across the workers); the total is the last line.
# Separate from `make test` because tracing every line costs about 60 % more CPU.
coverage: setup browsers test-servers
	@mkdir -p data
	$(TEST_ENV) $(PY) -m pytest -q -n $(WORKERS) --dist loadgroup --cov --cov-report=
	@echo "Coverage: $$($(BIN)/coverage report --format=total) % of lines (details: $(BIN)/coverage report)"

browsers:
	@sh scripts/ensure_chromium.sh

# The real servers some tests talk to, installed once and cached (each script does nothing the second time):
# node-ical (calendar feeds), node oidc-provider and xmlsec1 (company login), Synapse in .venv-synapse (Matrix),
# HAProxy (the cluster balancer's retry rules).
test-servers:
	@sh scripts/ensure_node_ical.sh
	@sh scripts/ensure_sso_servers.sh
	@sh scripts/ensure_synapse.sh
	@sh scripts/ensure_haproxy.sh

bench: setup
	$(TEST_ENV) $(PY) bench/run.py
	$(TEST_ENV) $(PY) bench/booking.py
	$(TEST_ENV) $(PY) bench/matching.py
	$(TEST_ENV) $(PY) bench/network.py
	$(TEST_ENV) $(PY) bench/insights.py
	$(TEST_ENV) $(PY) bench/imports.py
# The API probe at 4 generated requests per operation (`make test` sends 2: docs/benchmarks.md, "The suite").
	$(TEST_ENV) OTH_PROBE_EXAMPLES=4 $(PY) -m pytest -q -p no:randomly tests/api/test_probe_schemathesis.py
# The property tests at their full number of examples (`make test` tries a share: tests/harness/examples.py).
	$(TEST_ENV) OTH_FULL_EXAMPLES=1 $(PY) -m pytest -q -p no:randomly \
		tests/outbox/test_rollups_equal_a_rebuild.py tests/officehours/test_slots_dst.py

# The production topology on this machine, on loopback (scripts/cluster/cluster.py):
# HAProxy → 3 gunicorn → PgBouncer → PostgreSQL, Redis, 2 task workers (TASKS_BACKEND=rq: RQ workers), an
# SMTP sink. `make cluster-faults` runs each fault under a write load and audits (bench/cluster/faults.py).
cluster: setup
	$(PY) scripts/cluster/cluster.py up

cluster-stop:
	$(PY) scripts/cluster/cluster.py down

cluster-faults: cluster
	$(PY) bench/cluster/faults.py

# The load test on ONE app server (gunicorn, 5 workers, production settings) over a
# PostgreSQL database `openhelp_load` seeded with 100,000 people and a year of activity (reused when already
# seeded; bench/load/run_single.py --help). bench/load/driver.py runs the same mix against any --base-url.
.PHONY: load
load: setup
	$(PY) bench/load/run_single.py --write-docs $(LOAD_ARGS)

lock:
	$(PY) -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .venv-synapse .pytest_cache
