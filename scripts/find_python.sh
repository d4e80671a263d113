#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 needs exactly 3.10), or fails with a clear message.
set -euo pipefail
for cand in "${PYTHON310:-}" python3.10 "$HOME/.pyenv/versions/3.10"*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do
  [ -n "$cand" ] || continue
  if path=$(command -v "$cand" 2>/dev/null) && "$path" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    echo "$path"; exit 0
  fi
done
echo "Ceļvedis needs Python 3.10 (Rasa 3.6 supports nothing newer)." >&2
echo "Install it (e.g. 'apt-get install python3.10' or 'pyenv install 3.10') or set PYTHON310=/path/to/python3.10." >&2
exit 1
