#!/usr/bin/env bash
# One command: set up, prepare the knowledge base, train if needed, start the servers, open the chat
# (Telegram long polling when TELEGRAM_BOT_TOKEN is set, the terminal otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >&2
. scripts/env.sh
. scripts/services.sh
trap stop_all EXIT INT TERM

.venv/app/bin/python -m knowledge prepare >&2
.venv/app/bin/python -m crisis build >&2  # the statistical crisis signal: built once, cached in .cache/ until its data changes
model=$(scripts/train.sh)
start_actions
start_rasa "$model"
echo "starting: action server :$ACTION_PORT, Rasa :$RASA_PORT (a few seconds)..." >&2
wait_http "http://127.0.0.1:$ACTION_PORT/health" 60 "action server"
wait_http "http://127.0.0.1:$RASA_PORT/" 180 "Rasa"
.venv/app/bin/python -m bot
