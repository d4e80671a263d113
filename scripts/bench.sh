#!/usr/bin/env bash
# Benchmarks (not tests): writes Markdown reports to bench/results/. Starts its own PostgreSQL on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
. scripts/services_test.sh
export PG_PORT=${PG_PORT:-55433}
trap stop_postgres EXIT
start_postgres
.venv/app/bin/python -m bench.kb --pg "$TEST_PG_URL" --out bench/results "$@"
