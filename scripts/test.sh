#!/usr/bin/env bash
# Sets up and runs every test tier: unit (fakes), integration (real SQLite and PostgreSQL, rasa data validate),
# end-to-end (real action server, Rasa server and front door on loopback). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
. scripts/services_test.sh
. scripts/services_scale.sh
export PG_PORT=${PG_PORT:-55432}
trap 'stop_scale; stop_postgres' EXIT
start_postgres
start_redis                # the shared lock store of the scale-out tests
start_nginx_actions 2      # nginx round-robining the scale-out tests' two action servers
ensure_chromium            # the survey report, looked at as a person would
.venv/app/bin/python -m crisis build >/dev/null  # the statistical crisis signal (cached in .cache/)
.venv/app/bin/python -m mypy  # types of the production packages (pyproject.toml, [tool.mypy])
scripts/train.sh >/dev/null  # the Rasa model, once, before the workers (each one's `model` fixture then finds it)
# Two workers (pytest-xdist; one on a single core): the end-to-end tests mostly wait for servers, so a second worker
# uses the idle core. --dist loadfile keeps a file on one worker: its module fixtures start once, and what one file
# holds alone stays with it (test_scale_out's nginx ports). Each worker starts its own session stack on free ports and
# gets its own PostgreSQL database (tests/conftest.py).
.venv/app/bin/python -m pytest --numprocesses auto --maxprocesses 2 --dist loadfile "$@"
