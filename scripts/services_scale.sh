# Sourced by scripts/test.sh: the scale-out engines the tests use, on loopback only, with state in a temp folder.
#   start_redis             a private Redis (no persistence); exports TEST_REDIS_PORT, TEST_REDIS_URL
#   start_nginx_actions N   nginx round-robining N action servers (deploy/nginx-actions.conf.template); exports
#                           TEST_ACTION_PORTS (comma-separated ports the action servers must listen on),
#                           TEST_ACTIONS_URL (nginx, base URL) and TEST_NGINX_PORT
# The ports are picked afresh each time (never from .env, whose REDIS_PORT is the production one).
#   stop_redis / stop_nginx / stop_scale
# Missing packages are installed from Debian (as root, or with sudo); a failure to install or start is an error.
# shellcheck shell=bash

SCALE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

_scale_as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

_scale_nginx_bin() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }; }

_scale_install() {  # Debian packages...; the packages' own services are not started (policy-rc.d), only ours run
  local policy=/usr/sbin/policy-rc.d added=0 rc=0
  echo "test: installing $* from Debian packages" >&2
  if [ ! -e "$policy" ]; then
    _scale_as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy" && added=1
  fi
  _scale_as_root apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 \
    && _scale_as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
         --no-install-recommends "$@" >&2 || rc=$?
  if [ "$added" = 1 ]; then _scale_as_root rm -f "$policy"; fi
  return "$rc"
}

_scale_ensure_packages() {  # installs whatever of redis-server / nginx is missing, in one apt run
  local want=()
  command -v redis-server >/dev/null 2>&1 || want+=(redis-server)
  if [ -z "$(_scale_nginx_bin)" ]; then
    if apt-cache show nginx-light >/dev/null 2>&1; then want+=(nginx-light); else want+=(nginx); fi
  fi
  [ ${#want[@]} -eq 0 ] || _scale_install "${want[@]}"
  command -v redis-server >/dev/null 2>&1 || { echo "test: redis-server is not available" >&2; return 1; }
  [ -n "$(_scale_nginx_bin)" ] || { echo "test: nginx is not available" >&2; return 1; }
}

_scale_port() {  # a free loopback port below the kernel's ephemeral range, so no later bind(0) can be handed it
  local low port i
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for i in $(seq 1 200); do
    port=$((20000 + RANDOM % (low - 20000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "test: no free port found" >&2; return 1
}

_scale_wait_port() {  # port, pid, seconds, name, log
  local deadline=$((SECONDS + $3))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    kill -0 "$2" 2>/dev/null || { echo "test: $4 exited:" >&2; tail -20 "$5" >&2; return 1; }
    if [ $SECONDS -ge $deadline ]; then
      echo "test: $4 did not listen on :$1 within $3 s" >&2; tail -20 "$5" >&2; return 1
    fi
    sleep 0.2
  done
}

start_redis() {  # a throw-away Redis on 127.0.0.1:$TEST_REDIS_PORT, nothing written to disk
  _scale_ensure_packages
  REDIS_DIR=$(mktemp -d /tmp/celvedis-redis.XXXXXX)
  TEST_REDIS_PORT=$(_scale_port)
  redis-server --port "$TEST_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log" >/dev/null 2>&1 &
  REDIS_PID=$!
  _scale_wait_port "$TEST_REDIS_PORT" "$REDIS_PID" 20 redis "$REDIS_DIR/redis.log"
  export TEST_REDIS_PORT TEST_REDIS_URL="redis://127.0.0.1:$TEST_REDIS_PORT"
}

stop_redis() {
  if [ -n "${REDIS_PID:-}" ]; then kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; fi
  if [ -n "${REDIS_DIR:-}" ]; then rm -rf "$REDIS_DIR"; fi
  REDIS_PID= REDIS_DIR=
}

start_nginx_actions() {  # N: nginx on 127.0.0.1:$TEST_NGINX_PORT round-robining N action servers (started by the tests)
  local n=${1:-2} servers="" ports=() i p bin
  _scale_ensure_packages
  bin=$(_scale_nginx_bin)
  NGINX_DIR=$(mktemp -d /tmp/celvedis-nginx.XXXXXX)
  chmod 755 "$NGINX_DIR"  # as root, nginx workers run as nobody and create their temp folders in here
  TEST_NGINX_PORT=$(_scale_port)
  for i in $(seq 1 "$n"); do
    p=$(_scale_port)
    while [ "$p" = "$TEST_NGINX_PORT" ] || [[ " ${ports[*]} " == *" $p "* ]]; do p=$(_scale_port); done
    ports+=("$p")
    servers+="        server 127.0.0.1:$p max_fails=1 fail_timeout=10s;"$'\n'
  done
  UPSTREAMS=${servers%$'\n'} PREFIX=$NGINX_DIR LISTEN="127.0.0.1:$TEST_NGINX_PORT" awk '
    { line = $0
      for (k = 1; k <= 3; k++) {
        key = k == 1 ? "UPSTREAMS" : k == 2 ? "PREFIX" : "LISTEN"; pat = "@" key "@"
        while ((i = index(line, pat)) > 0) line = substr(line, 1, i - 1) ENVIRON[key] substr(line, i + length(pat))
      }
      print line }' "$SCALE_ROOT/deploy/nginx-actions.conf.template" >"$NGINX_DIR/nginx.conf"
  "$bin" -t -q -p "$NGINX_DIR" -e "$NGINX_DIR/error.log" -c "$NGINX_DIR/nginx.conf" \
    || { echo "test: generated nginx config is invalid" >&2; return 1; }
  "$bin" -p "$NGINX_DIR" -e "$NGINX_DIR/error.log" -c "$NGINX_DIR/nginx.conf" -g 'daemon off;' \
    >"$NGINX_DIR/stdout.log" 2>&1 &
  NGINX_PID=$!
  _scale_wait_port "$TEST_NGINX_PORT" "$NGINX_PID" 20 nginx "$NGINX_DIR/error.log"
  TEST_ACTION_PORTS=$(IFS=,; echo "${ports[*]}")
  export TEST_NGINX_PORT TEST_ACTION_PORTS TEST_ACTIONS_URL="http://127.0.0.1:$TEST_NGINX_PORT"
}

stop_nginx() {
  if [ -n "${NGINX_PID:-}" ]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
  if [ -n "${NGINX_DIR:-}" ]; then rm -rf "$NGINX_DIR"; fi
  NGINX_PID= NGINX_DIR=
}

stop_scale() { stop_nginx; stop_redis; }
