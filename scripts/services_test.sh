# Sourced by scripts/test.sh: installs (from Debian packages) and starts the engines the tests use, on loopback.
# shellcheck shell=bash

pg_bin() {  # directory of initdb/pg_ctl, installing PostgreSQL when it is missing
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
    echo "test: installing PostgreSQL from Debian packages" >&2
    as_root apt-get update -qq >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    d=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$d"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

start_postgres() {  # a throw-away cluster on 127.0.0.1:$PG_PORT; exports TEST_PG_URL
  local bin dir
  bin=$(pg_bin)
  dir=$(mktemp -d /tmp/celvedis-pg.XXXXXX)
  chmod 755 "$dir"
  local run=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; run=(runuser -u postgres --); fi  # initdb refuses root
  "${run[@]}" "$bin/initdb" -D "$dir/data" -U celvedis --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-h 127.0.0.1 -p $PG_PORT -k $dir -c fsync=off" start >/dev/null
  "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U celvedis -d postgres -qc "CREATE DATABASE celvedis_test" >/dev/null
  export TEST_PG_URL="postgresql+psycopg://celvedis@127.0.0.1:$PG_PORT/celvedis_test"
  PG_STOP=("${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop)
  PG_DIR=$dir
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ]; then "${PG_STOP[@]}" >/dev/null 2>&1 || true; rm -rf "$PG_DIR"; fi
}

ensure_chromium() {  # headless Chromium renders the survey report to a PNG (tests/integration/test_survey_report.py)
  if ! command -v chromium >/dev/null; then
    echo "test: installing Chromium from Debian packages" >&2
    as_root apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 \
      && as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium >&2
  fi
  CHROMIUM=$(command -v chromium)
  export CHROMIUM
}
