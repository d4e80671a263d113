"""The benchmark report's shared pieces: the configurations, reading load.json's levels, peaks, and the PNG plots
(bench/report.py puts the report together)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["ours", "stock", "stockfix", "scaled"]
SHORT = {"ours": "ours (embedded)", "stock": "stock Rasa", "stockfix": "stock Rasa + rasa_server's fixes",
         "scaled": "ours, scaled out"}
COLOURS = {"ours": "tab:blue", "stock": "tab:red", "stockfix": "tab:orange", "scaled": "tab:green"}
MEMORY_TARGET_MB = 700  # all processes together, peak resident
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
    ax.axhline(MEMORY_TARGET_MB, color="black", linestyle="--", linewidth=1, label=f"{MEMORY_TARGET_MB} MB target")
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
