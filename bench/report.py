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

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["ours", "stock", "stockfix", "scaled"]
SHORT = {"ours": "ours (embedded)", "stock": "stock Rasa", "stockfix": "stock Rasa + validator fix",
         "scaled": "ours, scaled out"}
COLOURS = {"ours": "tab:blue", "stock": "tab:red", "stockfix": "tab:orange", "scaled": "tab:green"}
GB = 1.5 * 1024  # MB: the memory target
BUSY_LOAD = 1.5  # 1-minute load average before the run above which the machine counts as shared with other work



def _save(fig, out, name: str) -> str:
    """Lay out, write as a PNG and close one figure; returns its file name."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(out / name, dpi=80)
    plt.close(fig)
    return name

def fmt(v, digits: int = 0) -> str:
    if v is None:
        return "–"
    return f"{v:,.{digits}f}"


def measured(d: dict) -> dict:
    return {k: d["configs"][k] for k in ORDER if k in d["configs"] and "levels" in d["configs"][k]}


def plots(d: dict, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cfgs = measured(d)
    files = []
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for name, c in cfgs.items():
        users = [int(u) for u in c["levels"]]
        for ax, key, style in ((axes[0], "p50_ms", "o--"), (axes[0], "p95_ms", "o-"), (axes[1], "p99_ms", "s-")):
            ax.plot(users, [c["levels"][str(u)][key] or float("nan") for u in users], style, color=COLOURS[name],
                    label=f"{SHORT[name]} {key.split('_')[0]}")
    for ax, title in ((axes[0], "Turn latency p50 (dashed) and p95"), (axes[1], "Turn latency p99")):
        ax.set_xlabel("concurrent users (closed loop, no think time)")
        ax.set_ylabel("ms, end to end through fake Telegram")
        ax.set_yscale("log")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    files.append(_save(fig, out, "load_latency.png"))

    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    for name, c in cfgs.items():
        users = [int(u) for u in c["levels"]]
        ax.plot(users, [c["levels"][str(u)]["throughput"] for u in users], "o-", color=COLOURS[name], label=SHORT[name])
    ax.set_xlabel("concurrent users")
    ax.set_ylabel("answered messages per second")
    ax.set_ylim(bottom=0)
    ax.set_title("Throughput")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    files.append(_save(fig, out, "load_throughput.png"))

    fig, ax = plt.subplots(figsize=(9, 4.5))
    names = list(cfgs)
    roles = sorted({r for c in cfgs.values() for r in peak_by_group(c)})
    bottom = [0.0] * len(names)
    cmap = plt.get_cmap("tab10")
    for i, role in enumerate(roles):
        vals = [peak_by_group(cfgs[n]).get(role, 0.0) for n in names]
        ax.bar([SHORT[n] for n in names], vals, bottom=bottom, label=role, color=cmap(i))
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.axhline(GB, color="black", linestyle="--", linewidth=1, label="1.5 GB target")
    ax.set_ylabel("peak resident memory, MB (VmRSS)")
    ax.set_title("Memory of every process, peak over the run")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    files.append(_save(fig, out, "load_memory.png"))
    return files


def group(role: str) -> str:
    """Rasa 1 + Rasa 2 -> Rasa, and so on: one colour or column per kind of process."""
    return re.sub(r" \d+$", "", role)


def peak_by_group(c: dict) -> dict[str, float]:
    out: dict[str, float] = {}
    for role, mb in peak_by_role(c).items():
        out[group(role)] = out.get(group(role), 0.0) + mb
    return out


def peak_by_role(c: dict) -> dict[str, float]:
    """Peak RSS per process over all levels (the driver excluded)."""
    out: dict[str, float] = {}
    for lvl in c["levels"].values():
        for role, mb in lvl["memory"]["peak_rss_mb"].items():
            if role.startswith("load driver"):
                continue
            out[role] = max(out.get(role, 0.0), mb)
    return out


def peak_total(c: dict, key: str = "peak_total_rss_mb") -> float:
    return max(lvl["memory"][key] for lvl in c["levels"].values())


def capacity(c: dict) -> tuple[float, str]:
    best = max(c["levels"].values(), key=lambda l: l["throughput"])
    return best["throughput"], str(best["users"])


def errors(lvl: dict) -> str:
    parts = []
    for key, word in (("unavailable", "unavailable"), ("timeouts", "timeouts"), ("no_reply", "no reply")):
        if lvl[key]:
            parts.append(f"{lvl[key]} {word}")
    return ", ".join(parts) or "0"


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
    if "ours" not in cfgs or "stock" not in cfgs:
        return ["Targets need both `ours` and `stock` measured; one of them is missing in this run."]
    o, s = cfgs["ours"], cfgs["stock"]
    lines = ["| target | ours | stock Rasa | met? |", "|---|---|---|---|"]
    lvl = "20" if "20" in o["levels"] and "20" in s["levels"] else max(o["levels"], key=int)
    op95, sp95 = o["levels"][lvl]["p95_ms"], s["levels"][lvl]["p95_ms"]
    ok = op95 is not None and sp95 is not None and op95 <= sp95 / 2
    lines.append(f"| turn p95 at {lvl} concurrent users ≤ half of stock's | {fmt(op95)} ms | {fmt(sp95)} ms "
                 f"(half: {fmt(sp95 / 2 if sp95 else None)} ms) | {'**met**' if ok else '**not met**'} "
                 f"({op95 / sp95:.2f} of stock) |")
    ot, ou = capacity(o)
    st, su = capacity(s)
    ok = ot >= 2 * st
    users = lambda n: f"{n} user" + ("" if n == "1" else "s")  # noqa: E731
    lines.append(f"| throughput ≥ 2× stock (best of 1–50 users) | {ot:.1f} msg/s (at {users(ou)}) | "
                 f"{st:.1f} msg/s (at {users(su)}) | {'**met**' if ok else '**not met**'} ({ot / st:.2f}×) |")
    ot20, st20 = o["levels"][lvl]["throughput"], s["levels"][lvl]["throughput"]
    lines.append(f"| (same, at {lvl} users) | {ot20:.1f} msg/s | {st20:.1f} msg/s | {ot20 / st20:.2f}× |")
    om, sm = peak_total(o), peak_total(s)
    lines.append(f"| all processes together < 1.5 GB resident (peak VmRSS, front door + Rasa + action server) | "
                 f"{om:,.0f} MB | {sm:,.0f} MB | {'**met**' if om < GB else '**not met**'} |")
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


def profile_section(d: dict) -> list[str]:
    profs = {k: v for k, v in (d.get("profile") or {}).items() if "processes" in v}
    lines = []
    for k, v in (d.get("profile") or {}).items():
        if "failed" in v:
            lines.append(f"Profiling {SHORT.get(k, k)} failed in this run: `{v['failed'].splitlines()[-1][:200]}`")
    if not profs:
        return lines or ["Not profiled in this run."]
    first = next(iter(profs.values()))
    lines += [f"A separate run per configuration, {first['users']} users for {first['seconds']:.0f} s, with a sampling "
              "profiler in Rasa, the action server and the front door (`bench/profiled.py`: the stack of every Python "
              "thread every 5 ms; a sample is charged to the most specific place on its stack, `AREAS` in "
              "`bench/load.py`). The figures are wall time a thread spent there per answered message, so on this "
              "shared 2-core machine they include waiting for a core. While profiled: "
              + "; ".join(f"{SHORT.get(k, k)} {v['turns']} messages, p50 {fmt(v['p50_ms_under_profiler'])} ms, "
                          f"p95 {fmt(v['p95_ms_under_profiler'])} ms" for k, v in profs.items()) + ".", ""]
    names = list(profs)
    rasa = {k: v["processes"].get("Rasa", {}) for k, v in profs.items()}
    areas: list[str] = []
    for r in rasa.values():
        for a in r.get("areas", []):
            if a["area"] not in areas and a["ms_per_turn"] >= 0.5:
                areas.append(a["area"])
    lines += ["**Rasa**, ms per message:", "", "| where | " + " | ".join(SHORT.get(n, n) for n in names) + " |",
              "|---" * (len(names) + 1) + "|"]
    for area in areas:
        cells = []
        for n in names:
            hit = next((a for a in rasa[n].get("areas", []) if a["area"] == area), None)
            cells.append(f"{hit['ms_per_turn']:.1f} ({hit['share'] * 100:.0f} %)" if hit else "–")
        lines.append(f"| {area} | " + " | ".join(cells) + " |")
    lines.append("| **total, not idle** | " + " | ".join(
        f"**{rasa[n].get('busy_ms_per_turn', 0):.0f}** (event loop busy "
        f"{rasa[n].get('main_thread_busy_share', 0) * 100:.0f} % of the time)" for n in names) + " |")
    lines.append("")
    for role in ("front door", "action server"):
        for n in names:
            r = profs[n]["processes"].get(role) or {}
            if "areas" not in r or n != names[0]:
                continue
            lines.append(f"**{role}** ({SHORT.get(n, n)}): {r['busy_ms_per_turn']:.0f} ms per message, of which "
                         + "; ".join(f"{a['area']} {a['ms_per_turn']:.1f}" for a in r["areas"][:5]) + ".")
            lines.append("")
    if d.get("crisis_model"):
        lines.append(f"The front door's statistical crisis signal (e5 sentence vector + logistic regression, run in a "
                     f"worker thread) costs {d['crisis_model']['ms_per_message']:.0f} ms per message measured alone.")
    return lines


def _area(d: dict, name: str, role: str, area: str) -> dict | None:
    r = ((d.get("profile") or {}).get(name) or {}).get("processes", {}).get(role) or {}
    return next((a for a in r.get("areas", []) if a["area"] == area), None)


def findings(d: dict, cfgs: dict) -> list[str]:
    """Findings written from the figures of this run: numbers filled in, statements only where the data holds them."""
    out = []
    prof = d.get("profile") or {}
    rasa = ((prof.get("ours") or {}).get("processes") or {}).get("Rasa") or {}
    if rasa.get("areas"):
        top = rasa["areas"][:3]
        out.append("In ours, Rasa's time per message goes first to " + "; ".join(
            f"{a['area']} ({a['ms_per_turn']:.0f} ms, {a['share'] * 100:.0f} %)" for a in top)
            + f", of {rasa['busy_ms_per_turn']:.0f} ms in all.")
    checking = "checking each action server answer (jsonschema)"
    js, sj = _area(d, "ours", "Rasa", checking), _area(d, "stock", "Rasa", checking)
    if js or sj:
        out.append("Rasa checks every answer of the action server against a JSON schema "
                   "(`RemoteAction._validate_action_result`). Stock Rasa does it with `jsonschema.validate`, which "
                   "first checks the schema itself, which never changes, against the JSON Schema meta-schema, on every "
                   "call" + (f": {sj['ms_per_turn']:.0f} ms per message in stock" if sj else "") + ". Ours starts Rasa "
                   "through `rasa_server`, which builds the validator once; the check and its errors are unchanged ("
                   + (f"{js['ms_per_turn']:.1f} ms per message" if js else "too little to show in the profile") + ").")
    e5 = _area(d, "ours", "Rasa", "NLU: e5 sentence encoder")
    if e5:
        cm = (d.get("crisis_model") or {}).get("ms_per_message")
        out.append(f"The e5 sentence encoder of our NLU pipeline costs {e5['ms_per_turn']:.0f} ms per message in Rasa"
                   + (f"; the front door's crisis signal encodes the same text again with the same model "
                      f"({cm:.0f} ms), so every message is embedded twice, in two processes" if cm else "") + ".")
    def cost(name: str, shared: bool) -> float | None:
        r = ((prof.get(name) or {}).get("processes") or {}).get("Rasa") or {}
        if not r.get("areas"):
            return None
        model = lambda a: a.startswith(("NLU:", "policies:"))  # noqa: E731
        return sum(a["ms_per_turn"] for a in r["areas"] if model(a["area"]) != shared)

    om, sm, osh, ssh = cost("ours", False), cost("stock", False), cost("ours", True), cost("stock", True)
    if None not in (om, sm, osh, ssh):
        out.append(f"What the two configurations do differently, NLU and policies, costs ours {om:.0f} ms and stock "
                   f"{sm:.0f} ms per message in Rasa; everything else in Rasa (checking action answers, the tracker "
                   f"store, the REST channel, responses) costs {osh:.0f} and {ssh:.0f} ms. "
                   + ("Even an NLU and policies that cost nothing would leave ours at "
                      f"{osh / (sm + ssh):.0%} of stock's Rasa time per message."
                      if osh > (sm + ssh) / 2 else
                      f"In all, Rasa's time per message in ours is {(om + osh) / (sm + ssh):.0%} of stock's."))
    ts = _area(d, "ours", "Rasa", "tracker store (SQL, serialisation)")
    if ts:
        out.append(f"The SQL tracker store costs {ts['ms_per_turn']:.0f} ms per message, synchronously on Rasa's "
                   "event loop: every other conversation waits meanwhile.")
    if "ours" in cfgs and "20" in cfgs["ours"]["levels"]:
        busy = cfgs["ours"]["levels"]["20"]["cpu_cores_busy"]
        part = lambda p: sum(v for r, v in busy.items() if r.startswith(p))  # noqa: E731
        background = d["meta"]["load_average_before"][0]
        out.append(f"At 20 users, ours keeps {part('Rasa'):.2f} of the 2 cores busy in Rasa, {part('front door'):.2f} "
                   f"in the front door and {part('action server'):.2f} in the action server (the load driver with the "
                   f"fake Telegram: {busy.get('load driver + fake Telegram', 0):.2f})"
                   + (f"; the machine's other work (load average {background:.1f} before the run) took some of "
                      "the rest" if background > BUSY_LOAD else "")
                   + ". One Rasa process does its work on one event loop, so it never uses more than one core: once "
                   "that loop is always busy, throughput stops growing and latency grows with the number of users"
                   + (f" (in the profile at 20 users Rasa's event loop was busy "
                      f"{rasa['main_thread_busy_share']:.0%} of the time)."
                      if rasa.get("main_thread_busy_share") else "."))
    if "stock" in cfgs and "ours" in cfgs and "20" in cfgs["ours"]["levels"] and "20" in cfgs["stock"]["levels"]:
        oc = sum(v for r, v in cfgs["ours"]["levels"]["20"]["cpu_ms_per_turn"].items() if r.startswith("Rasa"))
        sc = sum(v for r, v in cfgs["stock"]["levels"]["20"]["cpu_ms_per_turn"].items() if r.startswith("Rasa"))
        out.append(f"CPU per answered message in Rasa at 20 users: ours {oc:.0f} ms, stock {sc:.0f} ms "
                   f"({sc / oc:.2f}× ours). Halving latency and doubling throughput needs Rasa to do each message in "
                   "half the CPU time of stock (or more Rasa processes on more cores)"
                   + (": ours does." if sc >= 2 * oc else "; ours does not yet."))
    if {"ours", "stock", "stockfix"} <= cfgs.keys():
        cap = {n: capacity(cfgs[n])[0] for n in ("ours", "stock", "stockfix")}
        p95 = {n: cfgs[n]["levels"].get("20", {}).get("p95_ms") for n in cap}
        out.append("Which part is the validator fix and which our pipeline: stock's model started through "
                   f"`rasa_server` reaches {cap['stockfix']:.1f} messages/s (stock {cap['stock']:.1f}, ours {cap['ours']:.1f})"
                   + (f", p95 at 20 users {p95['stockfix']:,.0f} ms (stock {p95['stock']:,.0f}, ours "
                      f"{p95['ours']:,.0f})" if None not in p95.values() else "")
                   + f". The fix alone makes stock {cap['stockfix'] / cap['stock']:.2f}× faster; our NLU pipeline and "
                   f"policies add {cap['ours'] / cap['stockfix']:.2f}× on top of it.")
    quality = {n: (sum(l["expected_ok"] for l in c["levels"].values()),
                   sum(l["expected_total"] for l in c["levels"].values())) for n, c in cfgs.items()}
    if "stock" in quality and "ours" in quality and quality["stock"][1] and quality["ours"][1]:
        (so, stt), (oo, ott) = quality["stock"], quality["ours"]
        if so / stt < oo / ott:
            out.append(f"Not only speed: over all levels, the answer held the fact the conversation expects in "
                       f"{oo}/{ott} turns for ours and {so}/{stt} for stock. The stock pipeline does not find a town "
                       "named in an inflected form (\"kur viņš var pārnakšņot Liepājā?\", \"где переночевать в "
                       "Даугавпилсе?\") and asks where the person is instead (seen with "
                       "`python -m bench.load --trace`).")
    if "scaled" in cfgs and "ours" in cfgs:
        ot, _ = capacity(cfgs["ours"])
        st, _ = capacity(cfgs["scaled"])
        if st < 1.3 * ot:
            out.append(f"Scaled out (2 Rasa + 2 action servers) reaches {st:.1f} messages/s against {ot:.1f} for one "
                       "Rasa: on 2 cores the second Rasa competes with the first, the front door and the action "
                       "servers for the same cores. Scaling out pays with more cores or hosts, not here.")
        else:
            out.append(f"Scaled out (2 Rasa + 2 action servers) reaches {st:.1f} messages/s against {ot:.1f} for one "
                       f"Rasa ({st / ot:.2f}×).")
    return out


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
          "`python -m rasa_server run`: the same Rasa with one fix, a JSON-schema validator built once instead of on "
          "every action call (`rasa_server/__init__.py`; its effect is in the profile below).", ""]
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
    L += ["## NLU quality (bench/nlu.py, `nlu.md`)", "",
          "Not recomputed by `make bench` (it retrains both pipelines; run `.venv/rasa/bin/python -m bench.nlu` or "
          "`BENCH_NLU=1 make bench`). As last written:", ""] + include(out / "nlu.md") + [""]
    if (out / "nlu_confusion_lv.png").exists():
        L += ["![NLU confusion matrix, Latvian held-out set](nlu_confusion_lv.png)", ""]
    L += ["## Knowledge-base queries (bench/kb.py, `kb.md`)", ""] + include(out / "kb.md") + [""]
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
