# The two commands of the quick start. Everything else is a step they call.
# scripts/env.sh is sourced, and it is bash.
SHELL := /bin/bash
.PHONY: run test test-fast bench report setup train kb clean

run:            ## set up, train if needed, start everything, chat (terminal, or Telegram with TELEGRAM_BOT_TOKEN)
	scripts/run.sh

test:           ## set up and run every test tier (CI runs exactly this)
	scripts/test.sh

test-fast:      ## the unit tier only (fakes, no servers, no databases; seconds): the inner loop, not a substitute for test
	scripts/setup.sh && .venv/app/bin/python -m pytest tests/unit -q

bench:          ## benchmarks with reports in bench/results/ (not part of make test)
	scripts/bench.sh

report:         ## the survey report (HTML and PDF) under reports/: make report MONTH=2026-12 (default: last month)
	scripts/setup.sh && . scripts/env.sh && .venv/app/bin/python -m knowledge prepare >/dev/null \
	&& .venv/app/bin/python -m survey report $(if $(MONTH),--month $(MONTH))

setup:
	scripts/setup.sh

train: setup
	scripts/train.sh

kb: setup
	. scripts/env.sh && .venv/app/bin/python -m knowledge prepare

clean:
	rm -rf .state models .rasa
