#!/usr/bin/env bash
# Benchmarks (not tests; not part of `make test`): writes bench/results/report.md with PNG plots, plus kb.md and
# load.json. Starts its own PostgreSQL, Redis and nginx on loopback and stops them at the end.
#   - knowledge-base queries (bench/kb.py)
#   - end-to-end load through the Telegram front door: ours, stock Rasa, stock + rasa_server's fixes, ours scaled out
#     (bench/load.py), and a sampled profile of ours and stock at 20 users; models are trained only when their inputs
#     changed (bench/models.py)
#   - the survey report from 1,000,000 synthetic events (bench/survey.py)
#   - Rasa's SQL tracker store per turn, stock and with rasa_server's fix (bench/tracker_store.py)
#   - /dzest on a large SQLite tracker: deleting and scrubbing (bench/forget.py)
#   - the NLU comparison of the two served models and a TF-IDF baseline on the blind and old held-out sets
#     (bench/nlu.py), and crisis detection on its old and blind sets (bench/crisis.py), so that a speed change is
#     reported with its quality
# Extra arguments go to bench.load, e.g. `scripts/bench.sh --users 1,10 --duration 15` for a short run.
# Wall time here (2 cores): about 35 minutes, plus 80 to 100 minutes when the stock model must be retrained.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
scripts/setup.sh
. scripts/env.sh
. scripts/services_test.sh
scaled=0
if [ -f scripts/services_scale.sh ] && [ -f deploy/endpoints.scale.yml ]; then . scripts/services_scale.sh; scaled=1; fi
export PG_PORT=${PG_PORT:-55435}
cleanup() { if [ "$scaled" = 1 ]; then stop_scale; fi; stop_postgres; }
trap cleanup EXIT
start_postgres
.venv/app/bin/python -m crisis build >/dev/null  # the statistical crisis signal (cached in .cache/)

echo "bench: knowledge-base queries" >&2
.venv/app/bin/python -m bench.kb --pg "$TEST_PG_URL" --out bench/results >/dev/null
echo "bench: the survey report from 1,000,000 synthetic events (bench/survey.py)" >&2
ensure_chromium
.venv/app/bin/python -m bench.survey --out bench/results >/dev/null

echo "bench: crisis detection through the front door, Rasa down and up (bench/crisis.py)" >&2
.venv/app/bin/python -m bench.crisis --out bench/results >/dev/null

echo "bench: models (trained only when data, domain or config changed)" >&2
.venv/app/bin/python -m bench.models ours stock >/dev/null

echo "bench: Rasa's SQL tracker store, stock and through rasa_server (bench/tracker_store.py)" >&2
.venv/rasa/bin/python -m bench.tracker_store --out bench/results >/dev/null
echo "bench: /dzest on a large SQLite tracker (bench/forget.py)" >&2
.venv/app/bin/python -m bench.forget --out bench/results >/dev/null

echo "bench: understanding, both models on the blind and the old held-out sets (bench/nlu.py)" >&2
.venv/rasa/bin/python -m bench.nlu --out bench/results >/dev/null

configs=ours,stock,stockfix
if [ "$scaled" = 1 ]; then
  start_redis
  start_nginx_actions 2
  BENCH_PG_PID=$(head -1 "$PG_DIR/data/postmaster.pid") BENCH_REDIS_PID=$REDIS_PID BENCH_NGINX_PID=$NGINX_PID
  export BENCH_PG_PID BENCH_REDIS_PID BENCH_NGINX_PID
  configs=ours,stock,stockfix,scaled
fi
echo "bench: end-to-end load ($configs), then a profile of ours" >&2
.venv/app/bin/python -m bench.load --configs "$configs" --profile --out bench/results "$@"
.venv/rasa/bin/python -m bench.report --out bench/results --wall $((SECONDS - started))
echo "bench: bench/results/report.md ($(( (SECONDS - started) / 60 )) min)" >&2
