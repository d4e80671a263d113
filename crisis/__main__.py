"""`python -m crisis build`: train the statistical signal and choose its thresholds (cached in .cache/).
`python -m crisis evaluate`: recall and false alarms on the old and blind sets, patterns alone and with the model."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Dispatch the two commands."""
    parser = argparse.ArgumentParser(prog="python -m crisis")
    parser.add_argument("command", choices=["build", "evaluate"])
    args = parser.parse_args(argv)
    if args.command == "build":
        from crisis.model import CrisisModel

        print(CrisisModel().build())
        return 0
    from crisis.evaluate import report

    print(report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
