#!/usr/bin/env bash
# Renders page 1 of a sample checklist PDF to PNG, for looking at it as a person would:
#   scripts/render_checklist.sh [lv|ru] [out-dir]
# The sample person was released yesterday in Daugavpils with a release certificate and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
lang=${1:-lv}
out=${2:-$STATE_DIR}
mkdir -p "$out"
command -v pdftoppm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; }
.venv/app/bin/python -m knowledge prepare >/dev/null
.venv/app/bin/python - "$lang" "$out/checklist-$lang.pdf" <<'PY'
import asyncio, base64, datetime as dt, sys
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from actions.checklist import ActionChecklistPdf, ActionShowChecklist

lang, path = sys.argv[1], sys.argv[2]
slots = {"municipality": "Daugavpils", "cl_released": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
         "cl_id": "no", "cl_certificate": "yes", "cl_residence": "no", "cl_doctor": "no", "cl_bank": "no",
         "cl_probation": "unknown", "cl_working_age": "yes", "language": lang}
t = Tracker("sample-person", slots, {"intent": {"name": "x"}, "entities": []}, [], False, None, {}, "action_listen")
asyncio.run(ActionShowChecklist().run(CollectingDispatcher(), t, {}))
d = CollectingDispatcher()
asyncio.run(ActionChecklistPdf().run(d, t, {}))
doc = next(m["custom"]["document"] for m in d.messages if m.get("custom"))
open(path, "wb").write(base64.b64decode(doc["base64"]))
PY
pdftoppm -png -r 70 -f 1 -l 1 "$out/checklist-$lang.pdf" "$out/checklist-$lang"
ls "$out"/checklist-"$lang"*.png
