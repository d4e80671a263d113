"""Crisis detection measured through the real front door, with Rasa and the action server down and with them up,
on the old and blind sets: writes bench/results/crisis.md.

`python -m bench.crisis --out bench/results` (scripts/bench.sh runs it). The model-level figures come from
crisis.evaluate; here every message goes through FrontDoor.handle_text as a new person, so the 10-minute reminder
never hides a block.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import re
import secrets
import tempfile
import time
from pathlib import Path

from bot.frontdoor import FrontDoor
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.texts import TEXTS
from crisis.evaluate import CALM_SETS, CRISIS_SETS, calm_texts, crisis_texts, report
from crisis.model import CrisisModel
from crisis.signal import CrisisSignal
from harness.processes import free_port, running_stack, train_model

BLOCKS = {TEXTS[lang][key] for lang in TEXTS for key in ("crisis", "crisis_third", "crisis_again")}
EMERGENCY = re.compile(r"(?<!\d)(112|113|116 ?123)(?!\d)")
_ids = itertools.count(1)


def door(urls: tuple[str, ...], model: CrisisModel) -> FrontDoor:
    """The real front door, nothing stored, no rate limit (each message is a new person anyway)."""
    settings = Settings(rasa_urls=urls, rasa_timeout=4.0, telegram_token=None, telegram_base_url=None,
                        sender_secret=secrets.token_bytes(32), tracker_db_url=None, knowledge_db_url=None,
                        max_text_chars=1000, rate_per_minute=10**6)
    return FrontDoor(settings, RasaClient(urls, 4.0), crisis=CrisisSignal(model))


async def through(d: FrontDoor, texts: list[str]) -> tuple[int, int]:
    """(messages whose first reply is the crisis block, messages where any later reply states an emergency number)."""
    blocks = numbers_later = 0
    for t in texts:
        replies = await d.handle_text("bench", next(_ids), t)
        first = bool(replies) and replies[0].text in BLOCKS
        blocks += first
        numbers_later += any(EMERGENCY.search(r.text) for r in replies[1 if first else 0:])
    return blocks, numbers_later


def measure(urls: tuple[str, ...], model: CrisisModel) -> dict[str, tuple[int, int, int]]:
    """{set: (messages, crisis blocks first, messages with an emergency number after the first reply)}."""
    async def run():
        d = door(urls, model)
        out = {}
        for name, file, _ in CRISIS_SETS:
            texts = crisis_texts(file)
            out[f"crisis: {name}"] = (len(texts), *await through(d, texts))
        for name, file, _ in CALM_SETS:
            texts = [t for t, _ in calm_texts(file)]
            out[f"calm: {name}"] = (len(texts), *await through(d, texts))
        await d.aclose()
        return out
    return asyncio.run(run())


def table(down: dict, up: dict) -> str:
    lines = ["| set | messages | block first, Rasa down | block first, Rasa up | an emergency number later in the "
             "answer, Rasa up |", "|---|---|---|---|---|"]
    for key, (n, blocks_down, _) in down.items():
        _, blocks_up, later_up = up[key]
        lines.append(f"| {key} | {n} | {blocks_down} ({blocks_down / n:.3f}) | {blocks_up} ({blocks_up / n:.3f}) | "
                     f"{later_up} |")
    return "\n".join(lines)


def main() -> None:
    """Both runs, then the report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args()
    model = CrisisModel()
    model.build()
    started = time.monotonic()
    down = measure((f"http://127.0.0.1:{free_port()}",), model)  # nobody listens there
    from knowledge import loader, migrate

    state = Path(tempfile.mkdtemp(prefix="celvedis-bench-crisis-"))
    kb = f"sqlite:///{state / 'knowledge.sqlite'}"
    migrate.upgrade(kb)
    loader.load(kb)
    with running_stack(state, kb, train_model()) as stack:
        up = measure((stack.rasa_url,), model)
    body = [
        "# Crisis detection: old and blind sets", "",
        f"Written by `python -m bench.crisis` on {time.strftime('%Y-%m-%d')} ({time.monotonic() - started:.0f} s). "
        "Which set was written by whom, and in what order they were measured: `docs/blind-sets.md`.", "",
        "## The decision (crisis.evaluate: patterns, then the statistical signal's gentle line)", "", report(model), "",
        "## Through the real front door", "",
        "Every message as a new person through `FrontDoor.handle_text`, with Rasa and the action server down (a port "
        "nobody listens on) and up (the real processes on loopback). The last column counts answers where an "
        "emergency number appears after the first reply (for calm messages: the shelter answer's 'if it is freezing, "
        "112', the after-hours handoff line; never a crisis block).", "", table(down, up), "",
    ]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "crisis.md").write_text("\n".join(body), encoding="utf-8")
    print(args.out / "crisis.md")


if __name__ == "__main__":
    main()
