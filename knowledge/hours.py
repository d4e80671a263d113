"""Opening hours as data: weekly rules with seasons, overnight spans and cold-weather all-day opening.

A rule is {season_from: "MM-DD"|None, season_to: "MM-DD"|None, days: "mon-sun" | "mon-fri" | "tue,thu" | "wed",
open: "HH:MM", close: "HH:MM", last_entry: "HH:MM" (optional)}. A close time earlier than the open time means the span
runs overnight; `days` and the season name the day on which a span opens. `last_entry` is the last time a new person
is taken in on a span that stays open later (the Jēkabpils night shelter takes people 18.00–21.00, who then stay until
morning). Times are local (Europe/Riga).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

RIGA = ZoneInfo("Europe/Riga")
DAYTIME = (8, 16)  # Riga hours when a social service can still be reached; outside them a bed is a night question


_MOVED_FROM = re.compile(r"substituted from (\d\d)/(\d\d)/(\d{4})")


@lru_cache(maxsize=1)
def _latvian_holidays() -> Any:
    import holidays  # the maintained calendar of public holidays and moved days off, not a hand-written list

    return holidays.country_holidays("LV")  # grows by itself to any year asked about


@lru_cache(maxsize=16)
def _days_off(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(public holidays and moved days off, Saturdays worked in exchange) of one year, read once per year."""
    calendar = _latvian_holidays()
    off = set(calendar[dt.date(year, 1, 1):dt.date(year + 1, 1, 1)])
    around = calendar[dt.date(year - 1, 1, 1):dt.date(year + 2, 1, 1)]  # a day off may be paid back across New Year
    worked = {dt.date(int(y), int(m), int(d)) for day in around for m, d, y in _MOVED_FROM.findall(calendar.get(day))}
    return frozenset(off), frozenset(w for w in worked if w.year == year)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday except Latvia's public holidays and days off moved onto a weekday; a Saturday worked in
    exchange for such a day off is a working day (the package names it: "Day off (substituted from 01/17/2026)")."""
    off, worked = _days_off(day.year)
    return day in worked or (day.weekday() < 5 and day not in off)


def as_riga(at: dt.datetime) -> dt.datetime:
    """The moment in Riga's local time; a naive time is taken to be Riga's already (never the host's zone)."""
    return at.astimezone(RIGA) if at.tzinfo else at.replace(tzinfo=RIGA)


def after_hours(at: dt.datetime) -> bool:
    """Evening, night, a weekend or a public holiday in Riga: the social service cannot be reached, so the answer to
    "where can I sleep" is tonight's plan, not a list for the day."""
    local = as_riga(at)
    return not (is_working_day(local.date()) and DAYTIME[0] <= local.hour < DAYTIME[1])
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAYS_RE = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?(,(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?)*$")


def valid_days(spec: str) -> bool:
    """True for day specs such as 'mon-sun', 'mon-fri', 'tue,thu', 'sat-sun'."""
    return bool(_DAYS_RE.match(spec or ""))


@lru_cache(maxsize=256)
def parse_days(spec: str) -> frozenset[int]:
    """'mon-fri' -> {0..4}; 'fri-mon' wraps; 'tue,thu' -> {1, 3}."""
    out: set[int] = set()
    for part in spec.split(","):
        a, _, b = part.partition("-")
        i, j = DAYS.index(a), DAYS.index(b or a)
        k = i
        while True:
            out.add(k)
            if k == j:
                break
            k = (k + 1) % 7
    return frozenset(out)


@lru_cache(maxsize=256)
def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _in_season(rule: dict[str, Any], day: dt.date) -> bool:
    start, end = rule.get("season_from"), rule.get("season_to")
    if not start and not end:
        return True
    md = day.strftime("%m-%d")
    start, end = start or "01-01", end or "12-31"
    return start <= md <= end if start <= end else (md >= start or md <= end)


def _span_covers(rule: dict[str, Any], opened_on: dt.date, minute_of_that_day: int) -> bool:
    """Does the span that opens on `opened_on` cover the given minute (counted from that day's midnight)?"""
    if opened_on.weekday() not in parse_days(rule.get("days") or "mon-sun") or not _in_season(rule, opened_on):
        return False
    o, c = _minutes(rule["open"]), _minutes(rule["close"])
    if c <= o:
        c += 24 * 60  # overnight
    return o <= minute_of_that_day < c


def is_open(rules: list[dict[str, Any]], when: dt.datetime, all_day_below_c: int | None = None,
            temperature_c: float | None = None) -> bool | None:
    """Open at `when`? None when there are no rules to tell (the text must be read instead)."""
    if all_day_below_c is not None and temperature_c is not None and temperature_c < all_day_below_c:
        return True
    if not rules:
        return None
    local = as_riga(when)
    minute = local.hour * 60 + local.minute
    today, yesterday = local.date(), local.date() - dt.timedelta(days=1)
    return any(_span_covers(r, today, minute) or _span_covers(r, yesterday, minute + 24 * 60) for r in rules)


def entry_over(rules: list[dict[str, Any]], when: dt.datetime) -> str | None:
    """The last entry time ("21.00") when `when` falls in a span that is open but takes no one new any more; None
    otherwise (also for a place whose rules say nothing of it)."""
    local = as_riga(when)
    minute = local.hour * 60 + local.minute
    for rule in rules:
        if not rule.get("last_entry"):
            continue
        for opened_on, at in ((local.date(), minute), (local.date() - dt.timedelta(days=1), minute + 24 * 60)):
            if _span_covers(rule, opened_on, at):
                last = _minutes(rule["last_entry"])
                last += 24 * 60 if last < _minutes(rule["open"]) else 0
                if at >= last:
                    return str(rule["last_entry"]).replace(":", ".")
    return None


def tonight(day: dt.date) -> dt.datetime:
    """'Tonight' is 23:00 local time of the given day: when a person without a bed needs one."""
    return dt.datetime.combine(day, dt.time(23, 0), tzinfo=RIGA)


def opens_next(rules: list[dict[str, Any]], now: dt.datetime, within: dt.timedelta = dt.timedelta(hours=24),
               all_day_below_c: int | None = None) -> dt.datetime | None:
    """When a place closed at `now` opens next by its rules, to the minute, if within `within` (None: not by then,
    or no rules to tell)."""
    local = as_riga(now)
    days = range(within.days + 2)  # today, tomorrow and the days the window reaches
    starts = sorted(dt.datetime.combine(local.date() + dt.timedelta(days=d), dt.time(0), tzinfo=RIGA)
                    + dt.timedelta(minutes=_minutes(r["open"])) for d in days for r in rules)
    return next((at for at in starts if local < at <= local + within and is_open(rules, at, all_day_below_c)), None)


NIGHT_ENDS = 6  # Riga hour: before it, "tonight" is the night under way; from it, the coming one


def tonight_from(now: dt.datetime) -> dt.datetime:
    """The moment "tonight" means, seen from `now`: `now` itself late at night (from 23:00 to 06:00), else 23:00 of
    today. Asked at 08:37, a night shelter that opens at 18:00 is tonight's bed, though it is closed now."""
    local = as_riga(now)
    return local if local.hour < NIGHT_ENDS else max(local, tonight(local.date()))
