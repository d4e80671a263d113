# The two commands of the quick start. Everything else is a step they call.
.PHONY: run test bench setup train kb clean

run:            ## set up, train if needed, start everything, chat (terminal, or Telegram with TELEGRAM_BOT_TOKEN)
	scripts/run.sh

test:           ## set up and run every test tier (CI runs exactly this)
	scripts/test.sh

bench:          ## benchmarks with reports in bench/results/ (not part of make test)
	scripts/bench.sh

setup:
	scripts/setup.sh

train: setup
	scripts/train.sh

kb: setup
	. scripts/env.sh && .venv/app/bin/python -m knowledge prepare

clean:
	rm -rf .state models .rasa
