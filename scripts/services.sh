# Sourced: start_actions / start_rasa / wait_http / stop_all for the run script and the end-to-end tests.
# shellcheck shell=bash
PIDS=()

start_actions() {  # logs to $STATE_DIR/actions.log
  "$ROOT/.venv/app/bin/python" -m actions.server --actions actions --port "$ACTION_PORT" \
    >"$STATE_DIR/actions.log" 2>&1 &
  PIDS+=($!)
}

start_rasa() {  # model path; listens on 127.0.0.1 only, REST channel only, no HTTP API; rasa_server: see its docstring
  "$ROOT/.venv/rasa/bin/python" -m rasa_server run --model "$1" --interface 127.0.0.1 --port "$RASA_PORT" \
    --endpoints endpoints.yml --credentials credentials.yml >"$STATE_DIR/rasa.log" 2>&1 &
  PIDS+=($!)
}

wait_http() {  # url, seconds, name
  local deadline=$((SECONDS + $2))
  until "$ROOT/.venv/app/bin/python" -c "import httpx,sys; httpx.get(sys.argv[1], timeout=2)" "$1" 2>/dev/null; do
    for pid in "${PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "$3 exited; see $STATE_DIR/*.log" >&2; tail -20 "$STATE_DIR"/*.log >&2; return 1; }
    done
    [ $SECONDS -lt $deadline ] || { echo "$3 did not start within $2 s" >&2; return 1; }
    sleep 1
  done
}

stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
