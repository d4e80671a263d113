#!/usr/bin/env bash
# Creates the two virtual environments from exact pins. Idempotent: a venv is rebuilt only when its pins change.
#   .venv/rasa  Rasa 3.6.21 server (+ our NLU components' deps); pinned by requirements/rasa.lock
#   .venv/app   action server, knowledge base, Telegram front door, tests; pinned by requirements/app.lock
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(scripts/find_python.sh)
mkdir -p .venv

# The checklist PDF needs a font with Latvian and Cyrillic letters: Debian's DejaVu.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  echo "setup: installing fonts-dejavu-core (Debian package) for the checklist PDF"
  run_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  run_root apt-get update -qq && run_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core
fi

build() {  # name, pip args...
  local name=$1; shift
  local stamp=".venv/$name/.pins" want
  want=$(cat "$@" 2>/dev/null | sha256sum | cut -c1-16; "$PY" --version)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  echo "setup: building .venv/$name (first run takes a few minutes)"
  rm -rf ".venv/$name"
  "$PY" -m venv ".venv/$name"
  echo "$want" > "$stamp.tmp"
}

build rasa requirements/rasa.in requirements/rasa.lock
if [ -f .venv/rasa/.pins.tmp ]; then
  # The constraints file stops pip from backtracking through ~1 GB of jax wheels; nothing is installed into
  # this venv afterwards, because a later unconstrained install upgrades `packaging` and breaks `import rasa`.
  .venv/rasa/bin/pip install --quiet --disable-pip-version-check -c requirements/rasa.lock -r requirements/rasa.in
  .venv/rasa/bin/pip check
  .venv/rasa/bin/python -c "import yaml; assert yaml.__with_libyaml__, 'PyYAML without libyaml (yaml.CSafeLoader)'"
  mv .venv/rasa/.pins.tmp .venv/rasa/.pins
fi

build app requirements/app.in requirements/test.in requirements/app.lock
if [ -f .venv/app/.pins.tmp ]; then
  .venv/app/bin/pip install --quiet --disable-pip-version-check -c requirements/app.lock -r requirements/app.in -r requirements/test.in
  .venv/app/bin/pip check
  .venv/app/bin/python -c "import yaml; assert yaml.__with_libyaml__, 'PyYAML without libyaml (yaml.CSafeLoader)'"
  mv .venv/app/.pins.tmp .venv/app/.pins
fi
echo "setup: environments ready"
