"""`python -m personal purge [--dry-run]`: delete what is past its retention (or show what would go), store by store.
`python -m personal stores`: what is kept about a person, where, and for how long."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from bot.settings import Settings
from personal import registry
from personal.crypto import ChatRefCipher
from personal.handoff import HandoffStore


def build(settings: Settings) -> registry.Registry:
    """The database-backed stores, as the front door registers them."""
    handoffs = HandoffStore(settings.knowledge_db_url, ChatRefCipher(settings.chat_ref_key))
    return registry.build(settings.knowledge_db_url, settings.tracker_db_url, handoffs, settings.retention)


def main(argv: list[str] | None = None) -> int:
    """Parse the command and run it."""
    parser = argparse.ArgumentParser(prog="python -m personal")
    sub = parser.add_subparsers(dest="command", required=True)
    purge = sub.add_parser("purge", help="delete what is past its retention")
    purge.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    sub.add_parser("stores", help="what is kept about a person, where, and for how long")
    args = parser.parse_args(argv)
    reg = build(Settings.from_env())
    if args.command == "stores":
        for s in reg.stores:
            print(f"{s.name}: {s.database} {', '.join(s.tables) or '(memory)'}; kept {s.keep}")
        return 0
    counts = reg.purge(dt.datetime.now(dt.timezone.utc), dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    for name, n in counts.items():
        print(f"{name}: {verb} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
