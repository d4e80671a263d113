"""Memory and CPU of process trees, read from /proc (a benchmark's measuring, not the product's)."""

from __future__ import annotations

import itertools
import os
import threading
from collections import defaultdict
from pathlib import Path


# --- /proc: memory and CPU of process trees --------------------------------------------------------------------
CLK = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = defaultdict(list)
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                ppid = int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids[ppid].append(int(d))
    return kids


def tree(pid: int, kids: dict[int, list[int]]) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += kids.get(p, [])
    return out


def rss_pss_kb(pid: int, pss_too: bool = True) -> tuple[int, int]:
    """(VmRSS, Pss) in kB; PSS shares pages between the processes that map them, so it can be summed."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines() if pss_too else []:
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def cpu_seconds(pid: int) -> float:
    try:
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / CLK
    except (OSError, IndexError, ValueError):
        return 0.0


class Monitor:
    """Samples RSS of every role's process tree each second (PSS every 5 s: reading it costs more); CPU on demand.

    `solo` roles are one process without its children (the driver: the stack's processes are its children)."""

    def __init__(self, roles: dict[str, int], solo: dict[str, int] | None = None):
        self.roles, self.solo = roles, solo or {}
        self.peak: dict[str, int] = defaultdict(int)  # role -> peak RSS kB (since reset)
        self.peak_total = self.peak_total_pss = 0  # over `roles` only
        self.last: dict[str, int] = {}
        self._trees: dict[str, list[int]] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _refresh_trees(self) -> None:
        kids = _children()
        self._trees = {**{r: tree(p, kids) for r, p in self.roles.items()}, **{r: [p] for r, p in self.solo.items()}}

    def sample(self, pss: bool = False) -> dict[str, tuple[int, int]]:
        if not self._trees:
            self._refresh_trees()
        out = {}
        for role, pids in self._trees.items():
            rss = pss_kb = 0
            for p in pids:
                r, s = rss_pss_kb(p, pss)
                rss, pss_kb = rss + r, pss_kb + s
            out[role] = (rss, pss_kb)
        return out

    def _run(self) -> None:
        for n in itertools.count():
            if n % 5 == 0:
                self._refresh_trees()
            s = self.sample(pss=n % 5 == 0)
            with self._lock:
                self.last = {r: v[0] for r, v in s.items()}
                for role, (rss, _) in s.items():
                    self.peak[role] = max(self.peak[role], rss)
                self.peak_total = max(self.peak_total, sum(v[0] for r, v in s.items() if r in self.roles))
                if n % 5 == 0:
                    self.peak_total_pss = max(self.peak_total_pss, sum(v[1] for r, v in s.items() if r in self.roles))
            if self._stop.wait(1.0):
                return

    def reset(self) -> None:
        with self._lock:
            self.peak.clear()
            self.peak_total = self.peak_total_pss = 0

    def snapshot(self) -> dict:
        with self._lock:
            return {"peak_rss_mb": {r: round(v / 1024, 1) for r, v in self.peak.items()},
                    "peak_total_rss_mb": round(self.peak_total / 1024, 1),
                    "peak_total_pss_mb": round(self.peak_total_pss / 1024, 1),
                    "now_rss_mb": {r: round(v / 1024, 1) for r, v in self.last.items()}}

    def cpu(self) -> dict[str, float]:
        kids = _children()
        out = {role: sum(cpu_seconds(p) for p in tree(pid, kids)) for role, pid in self.roles.items()}
        return out | {role: cpu_seconds(pid) for role, pid in self.solo.items()}

    def stop(self) -> None:
        self._stop.set()
