"""`python -m knowledge export-verifications`: the volunteers' answers written into the data files, for review in
git. Only the answered records' lines change (the files are hand-written; a YAML round trip would re-indent them):
`verified_on`, `verified_how: phone` and `confidence: verified` for a confirmed or changed listing, the new value and a
`facts` entry `{by_phone: DAY}` for a changed address, phone or hours, `closed_on: DAY` for a closed one (the loader
skips it; the file keeps its history). ru.yaml follows: a changed phone drops its Russian labels, changed hours get
the volunteer's Latvian words to translate. The files are validated before anything is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path


from knowledge import loader
from knowledge.verifications import RU_KEYS, Check, Verifications, current_answers, found_closed, phone_numbers

SERVICE_FILES = ("services.yaml", "institutions.yaml")
TO_TRANSLATE = "  # no zvana latviski – pārtulkot"


@dataclass
class Outcome:
    """What the answers about one listing add up to."""

    day: str | None = None  # the newest confirmed or changed answer
    closed_on: str | None = None
    values: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (value, day)


def summarise(checks: list[Check], verified_on: dt.date | None) -> Outcome:
    """Fold one listing's answers, oldest first; answers older than the record's own date (loader.verified_on, as
    the queries read it) are superseded by the file."""
    current = current_answers(checks, verified_on)
    out = Outcome(closed_on=current[-1].day if found_closed(current) else None)
    for c in (c for c in current if c.outcome != "closed"):  # as verifications.apply folds them
        out.day = c.day
        if c.outcome == "changed" and c.field and c.value:
            out.values[c.field] = (c.value, c.day)
    return out


def _q(value) -> str:
    """A scalar as YAML (JSON's double-quoted strings are YAML too)."""
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


class Block:
    """One record's lines in a hand-written file: its keys at one indentation, each with the lines under it."""

    def __init__(self, lines: list[str], indent: int):
        self.lines, self.indent = lines, indent
        self._key = re.compile(rf"^(?:- |\s{{{indent}}})([A-Za-z_]+):")

    def _span(self, key: str) -> tuple[int, int] | None:
        for i, line in enumerate(self.lines):
            m = self._key.match(line)
            if m and m.group(1) == key:
                j = i + 1
                while j < len(self.lines) and not self._key.match(self.lines[j]) and (
                        not self.lines[j].strip() or len(self.lines[j]) - len(self.lines[j].lstrip()) > self.indent):
                    j += 1
                while j > i + 1 and not self.lines[j - 1].strip():
                    j -= 1
                return i, j
        return None

    def set(self, key: str, text: list[str], before: str | None = None, after: str | None = None) -> None:
        """Replace a key's lines, or insert them before/after another key (else at the end)."""
        span = self._span(key)
        if span is not None:
            self.lines[span[0]:span[1]] = text
            return
        anchor = self._span(before) if before else None
        if anchor is not None:
            self.lines[anchor[0]:anchor[0]] = text
            return
        anchor = self._span(after) if after else None
        at = anchor[1] if anchor is not None else len(self.lines)
        while anchor is None and at > 0 and not self.lines[at - 1].strip():
            at -= 1
        self.lines[at:at] = text

    def drop(self, key: str) -> None:
        span = self._span(key)
        if span is not None:
            del self.lines[span[0]:span[1]]


def _record_span(lines: list[str], start: re.Pattern, indent: int) -> tuple[int, int] | None:
    """Where a record starts and ends: from its first line to the last line indented under it."""
    for i, line in enumerate(lines):
        if start.match(line):
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent):
                j += 1
            while not lines[j - 1].strip():
                j -= 1
            return i, j
    return None


def _edit_service(block: Block, rec: dict, out: Outcome) -> None:
    pad = " " * 2
    if out.closed_on:
        block.set("closed_on", [f"{pad}closed_on: {_q(out.closed_on)}"], after="name")
        return
    block.drop("closed_on")
    for name, (value, _day) in out.values.items():
        if name == "address":
            block.set("address", [f"{pad}address: {_q(value)}"], after="municipality")
        elif name == "phones":
            block.set("phones", [f"{pad}phones:"] + [f"{pad}  - {{number: {_q(n)}, label: null, note: null}}"
                                                     for n in phone_numbers(value)], after="address")
        elif name == "hours":
            below = (rec.get("hours") or {}).get("all_day_below_c")
            block.set("hours", [f"{pad}hours:", f"{pad}  text: {_q(value)}", f"{pad}  rules: []",
                                f"{pad}  all_day_below_c: {_q(below)}"], after="website")
    facts = dict(rec.get("facts") or {})
    for name, (_value, day) in out.values.items():
        facts[name] = {"by_phone": day}
    if facts:
        rows = [f"{pad}  {k}: {{" + ", ".join(f"{a}: {_q(str(b))}" for a, b in v.items()) + "}"
                for k, v in facts.items()]
        block.set("facts", [f"{pad}facts:"] + rows, before="source_url")
    block.set("confidence", [f"{pad}confidence: verified"])
    block.set("verified_on", [f"{pad}verified_on: {_q(out.day)}"], after="confidence")
    block.set("verified_how", [f"{pad}verified_how: phone"], after="verified_on")


def _edit_russian(lines: list[str], sid: str, out: Outcome) -> list[str]:
    """ru.yaml's entry of one listing follows a changed phone or hours."""
    if out.closed_on or not ({"phones", "hours"} & set(out.values)):
        return lines
    span = _record_span(lines, re.compile(rf"^  {re.escape(sid)}:\s*$"), 2)
    if span is None:  # no Russian entry yet: one is added at the end of the services section
        end = next(i for i, line in enumerate(lines) if re.match(r"^[a-z]+:", line) and not line.startswith("services:")
                   and i > lines.index("services:")) if "procedures:" in lines else len(lines)
        while end > 0 and not lines[end - 1].strip():
            end -= 1
        lines[end:end] = [f"  {sid}:"]
        span = (end, end + 1)
    block = Block(lines[span[0] + 1:span[1]], 4)
    if "phones" in out.values:
        block.drop(RU_KEYS["phones"])
    if "hours" in out.values:
        block.set(RU_KEYS["hours"], [f"    {RU_KEYS['hours']}: {_q(out.values['hours'][0])}{TO_TRANSLATE}"])
    return lines[:span[0] + 1] + block.lines + lines[span[1]:]


def export(url: str | None = None, data_dir: Path = loader.DATA) -> int:
    """Write every answer not yet exported into the data files; returns how many answers went in. Nothing is kept
    when the edited files do not validate."""
    store = Verifications(url)
    pending = store.pending_export()
    if not pending:
        return 0
    by_service: dict[str, list[Check]] = {}
    for c in pending:
        by_service.setdefault(c.service_id, []).append(c)
    ds = loader.read(data_dir)  # the records, each with the file it came from
    paths = [data_dir / name for name in (*SERVICE_FILES, "ru.yaml")]
    before = {p: p.read_text(encoding="utf-8") for p in paths}
    files = {p: before[p].split("\n") for p in paths}
    for rec in ds.services:
        sid, path = rec["id"], data_dir / rec["_file"]
        if sid not in by_service:
            continue
        out = summarise(by_service[sid], loader.verified_on(rec, ds.reviews))
        if out.day is None and out.closed_on is None:
            continue
        lines = files[path]
        start, end = _record_span(lines, re.compile(rf"^- id: {re.escape(sid)}\s*$"), 0) or (None, None)
        if start is None or end is None:
            continue
        block = Block(lines[start:end], 2)
        _edit_service(block, rec, out)
        files[path] = lines[:start] + block.lines + lines[end:]
        files[paths[-1]] = _edit_russian(files[paths[-1]], sid, out)
    for p in paths:
        p.write_text("\n".join(files[p]), encoding="utf-8")
    errors = loader.read(data_dir).errors
    if errors:
        for p in paths:
            p.write_text(before[p], encoding="utf-8")
        raise ValueError("the exported files do not validate (nothing was changed):\n" + "\n".join(errors))
    store.exported([c.id for c in pending])
    return len(pending)
