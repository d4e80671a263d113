#!/usr/bin/env bash
# Sets up and runs every test tier: unit (fakes), integration (real SQLite, rasa data validate),
# end-to-end (real action server, Rasa server and front door on loopback). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
exec .venv/app/bin/python -m pytest "$@"
