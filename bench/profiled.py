"""`python -m bench.profiled OUT MODULE [ARGS...]`: run MODULE as `python -m MODULE ARGS` with a profiler that is
off until SIGUSR1 and writes OUT at SIGUSR2. Works in either virtual environment (standard library only).

BENCH_PROFILER=sample (default): a thread samples the stack of every other thread (the main thread runs the event
loop, where Rasa, Sanic and python-telegram-bot do their work; worker threads run blocking calls) every 5 ms; OUT
is JSON {seconds, ticks, stacks: [[count, is_main_thread, [[file, function], ... leaf first]]]}. Sampling costs
about 1-2 % and, unlike cProfile, does not distort where the time goes.
BENCH_PROFILER=cprofile: cProfile of the main thread; OUT is a pstats file. Exact call counts, but the profiler
slows Python-heavy code several times more than code that runs in C, so its time shares are skewed.

The load benchmark uses it to look inside the Rasa server, the action server and the front door during the
20-user phase only, without start-up and model loading in the figures.
"""

from __future__ import annotations

import cProfile
import json
import os
import runpy
import signal
import sys
import threading
import time
from collections import Counter


class Sampler(threading.Thread):
    def __init__(self, interval: float = 0.005):
        super().__init__(daemon=True)
        self.interval = interval
        self.on = threading.Event()
        self.stacks: Counter = Counter()
        self.started = 0.0
        self.ticks = 0

    def run(self) -> None:
        main, me = threading.main_thread().ident, threading.get_ident()
        while True:
            self.on.wait()
            for ident, frame in sys._current_frames().items():
                if ident == me:
                    continue
                stack = [ident == main]
                while frame is not None:
                    stack.append((frame.f_code.co_filename, frame.f_code.co_name))
                    frame = frame.f_back
                self.stacks[tuple(stack)] += 1
            del frame
            self.ticks += 1
            time.sleep(self.interval)

    def start_sampling(self) -> None:
        self.stacks.clear()
        self.ticks = 0
        self.started = time.monotonic()
        self.on.set()

    def dump(self, out: str) -> None:
        self.on.clear()
        seconds = time.monotonic() - self.started
        stacks = [[n, s[0], [list(f) for f in s[1:]]] for s, n in self.stacks.items()]
        with open(out + ".tmp", "w") as fh:
            json.dump({"seconds": seconds, "ticks": self.ticks, "stacks": stacks}, fh)
        os.replace(out + ".tmp", out)


def main() -> None:
    out, module = sys.argv[1], sys.argv[2]
    if os.environ.get("BENCH_PROFILER", "sample") == "cprofile":
        profile = cProfile.Profile()
        on = lambda *_: profile.enable()  # noqa: E731

        def off(*_):
            profile.disable()
            profile.dump_stats(out)
    else:
        sampler = Sampler()
        sampler.start()
        on = lambda *_: sampler.start_sampling()  # noqa: E731
        off = lambda *_: sampler.dump(out)  # noqa: E731
    signal.signal(signal.SIGUSR1, on)
    signal.signal(signal.SIGUSR2, off)
    sys.argv = [module] + sys.argv[3:]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
