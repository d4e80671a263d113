"""Turns the benchmark results into bench/results/report.md with PNG plots. Runs in the Rasa environment, which
has matplotlib (the app environment does not):

    .venv/rasa/bin/python -m bench.report [--out bench/results]

Reads load.json (bench/load.py), and includes kb.md (bench/kb.py) and nlu.md (bench/nlu.py) as they are.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from bench.report_data import (BUSY_LOAD, MEMORY_TARGET_MB, ORDER, ROOT, SHORT, capacity, errors, fmt, group,
                               measured, peak_by_role, peak_total, plots)
from bench.report_findings import findings, profile_section


def main_table(cfgs: dict) -> list[str]:
    lines = ["| users | configuration | turns | p50 ms | p95 ms | p99 ms | messages/s | errors / 'unavailable' | "
             "over 4 s | 'not understood' | expected content | peak RSS, all processes | load before |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    users = sorted({int(u) for c in cfgs.values() for u in c["levels"]})
    for u in users:
        for name, c in cfgs.items():
            l = c["levels"].get(str(u))
            if l is None:
                continue
            exp = f"{l['expected_ok']}/{l['expected_total']}" if l["expected_total"] else "–"
            load = c.get("load_average", {}).get(str(u))
            lines.append(f"| {u} | {SHORT[name]} | {l['turns']} | {fmt(l['p50_ms'])} | {fmt(l['p95_ms'])} | "
                         f"{fmt(l['p99_ms'])} | {fmt(l['throughput'], 1)} | {errors(l)} | "
                         f"{l.get('over_default_timeout', '–')} | "
                         f"{l['fallback']} | {exp} | "
                         f"{fmt(l['memory']['peak_total_rss_mb'])} MB | {fmt(load, 1)} |")
    return lines


def targets(cfgs: dict) -> list[str]:
    """The speed issue's figures: ours against both baselines, measured back to back in this run."""
    if not {"ours", "stock", "stockfix"} <= cfgs.keys():
        return ["Targets need `ours`, `stock` and `stockfix` measured; one of them is missing in this run."]
    o = cfgs["ours"]
    lvl = "20" if all("20" in cfgs[k]["levels"] for k in ("ours", "stock", "stockfix")) else max(o["levels"], key=int)
    lines = ["| target | ours | baseline | ratio | met? |", "|---|---|---|---|---|"]

    def row(what: str, mine: float | None, base: float | None, unit: str, bound: float) -> None:
        """`bound` < 1: ours at most that share of the baseline (latency); > 1: at least that many times (throughput)."""
        digits = 0 if unit == "ms" else 1
        if not mine or not base:  # a level where no turn succeeded has no percentile: nothing to compare
            lines.append(f"| {what} | {fmt(mine, digits)} {unit} | {fmt(base, digits)} {unit} | – | **not measured** |")
            return
        ok = mine <= base * bound if bound < 1 else mine >= base * bound
        lines.append(f"| {what} | {fmt(mine, digits)} {unit} | {fmt(base, digits)} {unit} | {mine / base:.2f} | "
                     f"{'**met**' if ok else '**not met**'} |")

    for base, share in (("stock", 1 / 3), ("stockfix", 2 / 3)):
        row(f"turn p95 at {lvl} users ≤ {'⅓' if share < 0.5 else '⅔'} of {SHORT[base]}", o["levels"][lvl]["p95_ms"],
            cfgs[base]["levels"][lvl]["p95_ms"], "ms", share)
    for base, times in (("stock", 3.0), ("stockfix", 1.5)):
        row(f"throughput at {lvl} users ≥ {times:g}× {SHORT[base]}", o["levels"][lvl]["throughput"],
            cfgs[base]["levels"][lvl]["throughput"], "msg/s", times)
        row(f"best throughput (1–50 users) ≥ {times:g}× {SHORT[base]}", capacity(o)[0], capacity(cfgs[base])[0],
            "msg/s", times)
    cpu = {group(r): v for r, v in o["levels"][lvl]["cpu_ms_per_turn"].items()}
    for role, limit in (("Rasa", 25.0), ("front door", 5.0)):
        lines.append(f"| {role} CPU per message at {lvl} users ≤ {limit:.0f} ms | {cpu.get(role, 0):.1f} ms | – | – | "
                     f"{'**met**' if cpu.get(role, 0) <= limit else '**not met**'} |")
    om = peak_total(o)
    lines.append(f"| all processes ≤ {MEMORY_TARGET_MB} MB resident (peak VmRSS, front door + Rasa + action server) | "
                 f"{om:,.0f} MB | {peak_total(cfgs['stock']):,.0f} MB (stock) | – | "
                 f"{'**met**' if om <= MEMORY_TARGET_MB else '**not met**'} |")
    return lines


def resources(cfgs: dict) -> list[str]:
    lines = ["| configuration | training (from scratch) | model | start-up to first answer | idle RSS | peak RSS "
             "(sum; PSS) | peak RSS per process |", "|---|---|---|---|---|---|---|"]
    for name, c in cfgs.items():
        m = c["model"]
        train = f"{m['train_seconds'] / 60:.1f} min" if m.get("train_seconds") else "not measured (model given)"
        if m.get("train_seconds") and m.get("load_average"):
            train += f" (load {m['load_average']:.1f})"
        idle = sum(v for k, v in c["idle_rss_mb"].items() if not k.startswith("load driver"))
        per = ", ".join(f"{r} {v:,.0f}" for r, v in sorted(peak_by_role(c).items(), key=lambda kv: -kv[1]))
        lines.append(f"| {SHORT[name]} | {train} | {m['size_mb']} MB | {c['startup']['first answer s']:.0f} s | "
                     f"{idle:,.0f} MB | {peak_total(c):,.0f} MB; {peak_total(c, 'peak_total_pss_mb'):,.0f} MB | "
                     f"{per} MB |")
    return lines


def cpu_table(cfgs: dict, lvl: str = "20") -> list[str]:
    def grouped(d: dict) -> dict[str, float]:
        out: dict[str, float] = {}
        for r, v in d.items():
            out[group(r)] = out.get(group(r), 0.0) + v
        return out

    order = ["Rasa", "action server", "front door", "PostgreSQL", "Redis", "nginx"]
    roles = sorted({group(r) for c in cfgs.values() if lvl in c["levels"] for r in c["levels"][lvl]["cpu_ms_per_turn"]},
                   key=lambda r: (order.index(r) if r in order else len(order), r))
    lines = [f"| configuration ({lvl} users) | " + " | ".join(roles) + " |", "|---" * (len(roles) + 1) + "|"]
    for name, c in cfgs.items():
        if lvl not in c["levels"]:
            continue
        l = c["levels"][lvl]
        ms, cores = grouped(l["cpu_ms_per_turn"]), grouped(l["cpu_cores_busy"])
        cells = [f"{ms[r]:.0f} ms ({cores[r]:.2f} cores)" if r in ms else "–" for r in roles]
        lines.append(f"| {SHORT[name]} | " + " | ".join(cells) + " |")
    return lines


def include(path: Path, drop_title: bool = True) -> list[str]:
    if not path.exists():
        return [f"(`{path.name}` not found: run its benchmark.)"]
    lines = path.read_text(encoding="utf-8").splitlines()
    if drop_title and lines and lines[0].startswith("# "):
        lines = lines[1:]
    return [re.sub(r"^#", "###", l) if l.startswith("#") else l for l in lines]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench/results")
    ap.add_argument("--wall", type=float, help="seconds the whole `make bench` took (scripts/bench.sh passes it)")
    args = ap.parse_args()
    out = ROOT / args.out
    d = json.loads((out / "load.json").read_text(encoding="utf-8"))
    cfgs = measured(d)
    m = d["meta"]
    pngs = plots(d, out) if cfgs else []
    too_many = sum(l["telegram_429"] for c in cfgs.values() for l in c["levels"].values())
    L = ["# Ceļvedis benchmarks", "",
         f"Run {m['date']}, `make bench`, {m['wall_s'] / 60:.0f} min for the load part"
         + (f", {args.wall / 60:.0f} min for all of `make bench` (training included when a model was retrained)"
            if args.wall else "")
         + f". Machine: {m['cpus']} cores, {m['mem_total_mb'] / 1024:.0f} GB"
         + (", **shared with other work**" if m["load_average_before"][0] > BUSY_LOAD else "")
         + f" (load average {m['load_average_before'][0]:.1f} before the run): treat the figures as relative "
         "between configurations "
         "measured back to back in one run, not as absolute capacity.", "",
         "## How it is measured", "",
         "Every figure is end to end. A fake Telegram Bot API (`harness/fake_telegram.py`) runs in the load driver; "
         "the bot is the real python-telegram-bot application (`bot.telegram_app.build_application`, long polling the "
         "fake) with the real front door, Rasa 3.6.21's REST channel, the action server and the knowledge base. "
         "A turn is timed from pushing the user's update into the fake Telegram to the arrival there of the bot's last "
         "message for it (`bench/bot_process.py` adds one observer after the bot's own handlers that says when the "
         "bot is done with an update). "
         f"Virtual users run concurrently in a closed loop with no think time: each sends its next message as soon "
         f"as the previous answer is complete. Each level runs {m['ramp_s']:.0f} s unmeasured, then "
         f"{m['duration_s']:.0f} s measured (turns started in that window); throughput counts answers completed in "
         f"the window. The users play {len(m['scripts'])} conversations in turn (`bench/conversations.py`: Latvian "
         "by the menu buttons, typed without diacritics, a mother asking for her son, the document plan with its "
         "PDF, a crisis sentence among ordinary questions; Russian by the menu, Russian mixed with Latvian words, "
         "Russian in Latin letters), each a new chat, with paraphrases drawn from the held-out NLU test sets.", "",
         "For the benchmark only: the front door's per-person rate limit is raised to "
         f"RATE_PER_MINUTE={m['rate_per_minute']:,} "
         "(a person with no think time would otherwise be throttled at 20 a minute), and the fake Telegram's "
         "per-chat limit is lifted so that no 429 answers (and their 1 s retry) enter the latencies "
         f"(429s during the measured windows: {too_many}). "
         f"The front door waits up to {m['rasa_timeout_s']:.0f} s for Rasa instead of its default "
         f"{m.get('default_rasa_timeout_s', 4):.0f} s, so that slow turns show their real latency instead of ending at "
         "the timeout; 'over 4 s' counts the turns that in production would have got the front door's 'unavailable' "
         "answer (with the emergency numbers) instead. Errors count 'unavailable' answers that happened anyway, "
         "turns with no answer and turns not finished within 90 s. 'Not understood' "
         "counts Rasa's fallback answer; 'expected content' counts turns whose answer held the fact the conversation "
         "expects (for example the Daugavpils shelter's address after pressing Daugavpils).", "",
         "Each configuration is started alone (its start-up is timed without the others starting), with a fresh "
         "tracker and knowledge base, and then kept running; at each user level the configurations are measured back "
         "to back, so that changes in the shared machine's background load hit them about equally ('load before' is "
         "the 1-minute load average when a level started; an idle configuration uses almost no CPU).", "",
         "Configurations:", ""]
    for name in ORDER:
        if name in d["configs"]:
            c = d["configs"][name]
            note = ""
            if "skipped" in c:
                note = f" — **not measured in this run** ({c['skipped']})"
            elif "failed" in c:
                note = f" — **failed in this run**: `{c['failed'].splitlines()[-1][:200] if c['failed'] else ''}`"
            L.append(f"- **{SHORT[name]}**: {c['label']}{note}")
    L += ["", "The stock baseline is `bench/stock/config.yml`: the pipeline and policies `rasa init` trains with "
          "(WhitespaceTokenizer, RegexFeaturizer, LexicalSyntacticFeaturizer, two CountVectorsFeaturizers, DIET, "
          "EntitySynonymMapper, ResponseSelector, FallbackClassifier; Memoization, Rule, UnexpecTED and TED policies), "
          "with our `language: lv`, trained on the same `domain/` and `data/` with `--fixed-model-name`, and served "
          "with the same action server, front door and endpoints by plain `rasa run`. Ours is started by "
          "`python -m rasa_server run`: the same Rasa with a JSON-schema validator built once instead of on every "
          "action call (`rasa_server/__init__.py`; its effect is in the profile below), the logistic regression's "
          "weights in column order, each event's class remembered by name (the tracker store), skops imported before Rasa "
          "(a shorter start) and, for a model without TensorFlow components such as ours, no TensorFlow "
          "(`rasa_server/without_tensorflow.py`; less memory). The stock model through `rasa_server` keeps "
          "TensorFlow: DIET and TED need it.", ""]
    L += ["## Targets", ""] + targets(cfgs) + [""]
    L += ["## Latency, throughput, errors", ""] + main_table(cfgs) + [""]
    L += [f"![latency]({f})" for f in pngs if "latency" in f] + [""]
    L += [f"![throughput]({f})" for f in pngs if "throughput" in f] + [""]
    L += ["## Memory, training, start-up", "",
          "Resident memory is VmRSS from /proc, summed over every process of the configuration (and their child "
          "processes; PostgreSQL, Redis and nginx where used); the load driver is not included. RSS counts shared "
          "pages once per process; PSS shares them out and is the better sum. Start-up is from launching the "
          "processes (all at once, as `make run` does) to the first real answer through the front door.", ""]
    L += resources(cfgs) + [""]
    L += [f"![memory]({f})" for f in pngs if "memory" in f] + [""]
    L += ["CPU time per answered message, by process (from /proc, whole measured window):", ""] + cpu_table(cfgs) + [""]
    L += ["## Where the time goes", ""] + profile_section(d) + [""]
    f = findings(d, cfgs)
    if f:
        L += ["Findings (and what holds the targets back):", ""] + [f"- {x}" for x in f] + [""]
    L += ["## Understanding, this run: the two models the load test served (bench/nlu.py, `nlu.md`)", "",
          "On the blind sets, written by people outside the team who never saw the training data, and on the old "
          "held-out sets, written by the same hands as the training data (`docs/blind-sets.md` says who wrote "
          "what):", ""] + include(out / "nlu.md") + [""]
    if (out / "nlu_confusion_lv.png").exists():
        L += ["![NLU confusion matrix, Latvian blind set](nlu_confusion_lv.png)", ""]
    L += ["## Crisis detection, this run (bench/crisis.py, `crisis.md`)", ""] + include(out / "crisis.md") + [""]
    L += ["## Knowledge-base queries (bench/kb.py, `kb.md`)", ""] + include(out / "kb.md") + [""]
    L += ["## Rasa's tracker store alone (bench/tracker_store.py, `tracker_store.md`)", ""] + \
        include(out / "tracker_store.md") + [""]
    L += ["## Reproduce", "",
          "```sh", "make bench                                  # everything; extra arguments go to bench.load",
          "scripts/bench.sh --users 1,10 --duration 15  # a shorter load run",
          ".venv/app/bin/python -m bench.load --help", "```", "",
          "Raw figures: `load.json`. Models are trained once per change of their inputs and kept in `models/bench/` "
          "(the stock model takes 10–20 minutes to train here; its training time is measured with an empty Rasa "
          "cache).", ""]
    (out / "report.md").write_text("\n".join(L), encoding="utf-8")
    print(f"wrote {out / 'report.md'}")


if __name__ == "__main__":
    main()
