#!/usr/bin/env bash
# Trains the Rasa model only when the training data, config, domain or NLU code changed since the last model.
# Prints the model path on stdout.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$ROOT"
fp=$(find config.yml domain data nlu_components lvnorm crisis/detect.py crisis/embedding.py crisis/patterns.yml knowledge/data/municipalities.yaml requirements/rasa.lock \
      -type f \( -name '*.yml' -o -name '*.yaml' -o -name '*.py' -o -name '*.lock' \) -print0 \
     | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
model="models/celvedis-$fp.tar.gz"
if [ ! -f "$model" ]; then
  echo "train: data or config changed, training $model" >&2
  mkdir -p models
  # Two OpenMP threads while training: the e5 encoder then takes 19 instead of 38 ms a training example (cold training
  # 4.5 instead of 6 minutes on 2 cores, 2026-12-06). The runtime reads the variable once, when Rasa's imports first
  # load it; env.sh's 1 stays for serving, where one message at a time is encoded.
  OMP_NUM_THREADS=2 .venv/rasa/bin/python -m rasa_server train --config config.yml --domain domain --data data --out models \
    --fixed-model-name "celvedis-$fp" >"$STATE_DIR/train.log" 2>&1 || { tail -40 "$STATE_DIR/train.log" >&2; exit 1; }
  find models -name 'celvedis-*.tar.gz' ! -name "celvedis-$fp.tar.gz" -delete
fi
echo "$model"
