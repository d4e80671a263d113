"""Opening-hours rules: seasons that wrap the year, overnight spans, weekdays, cold-weather opening."""

import datetime as dt

import pytest

from knowledge.hours import RIGA, is_open, parse_days, valid_days

RIGA_NIGHT = [
    {"season_from": "10-01", "season_to": "10-31", "days": "mon-sun", "open": "18:00", "close": "08:00"},
    {"season_from": "11-01", "season_to": "03-01", "days": "mon-sun", "open": "17:00", "close": "09:00"},
    {"season_from": "03-02", "season_to": "04-30", "days": "mon-sun", "open": "18:00", "close": "08:00"},
    {"season_from": "05-01", "season_to": "09-30", "days": "mon-sun", "open": "20:00", "close": "07:00"},
]


def at(y, m, d, h, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=RIGA)


@pytest.mark.parametrize(
    "when,expected",
    [
        (at(2026, 11, 25, 23), True),   # winter evening
        (at(2026, 11, 25, 17, 30), True),  # winter opens at 17
        (at(2026, 11, 26, 8, 30), True),  # winter closes at 9: the span opened yesterday
        (at(2026, 11, 26, 12), False),
        (at(2026, 1, 15, 3), True),     # the winter season wraps the new year
        (at(2026, 3, 2, 8, 30), True),  # opened 1 March (winter, till 9)
        (at(2026, 3, 3, 8, 30), False),  # opened 2 March (spring, till 8)
        (at(2026, 7, 1, 19), False),    # summer opens at 20
        (at(2026, 7, 1, 21), True),
        (at(2026, 10, 1, 6, 59), True),  # opened 30 September (summer span, till 07:00)
        (at(2026, 10, 1, 7), False),     # ... and closed at 07:00 sharp
    ],
)
def test_riga_night_shelter(when, expected):
    assert is_open(RIGA_NIGHT, when) is expected


def test_utc_input_is_converted_to_riga_time():
    utc = dt.datetime(2026, 7, 1, 17, 30, tzinfo=dt.timezone.utc)  # 20:30 in Riga (UTC+3 in summer)
    assert is_open(RIGA_NIGHT, utc) is True


def test_weekdays():
    rules = [{"season_from": None, "season_to": None, "days": "tue,thu", "open": "15:00", "close": "18:00"}]
    assert is_open(rules, at(2026, 11, 24, 16)) is True   # Tuesday
    assert is_open(rules, at(2026, 11, 25, 16)) is False  # Wednesday


def test_cold_opens_all_day_and_unknown_hours_are_unknown():
    assert is_open(RIGA_NIGHT, at(2026, 1, 15, 13), all_day_below_c=-10, temperature_c=-12) is True
    assert is_open(RIGA_NIGHT, at(2026, 1, 15, 13), all_day_below_c=-10, temperature_c=-5) is False
    assert is_open([], at(2026, 1, 15, 13)) is None


def test_day_specs():
    assert parse_days("mon-fri") == {0, 1, 2, 3, 4} and parse_days("sat-sun") == {5, 6} and parse_days("fri-mon") == {4, 5, 6, 0}
    assert valid_days("wed,thu,fri") and not valid_days("monday") and not valid_days("")


def test_after_hours_is_evening_night_weekend_or_holiday():
    import datetime as dt

    from knowledge.hours import RIGA, after_hours

    assert not after_hours(dt.datetime(2026, 12, 7, 12, 0, tzinfo=RIGA))  # Monday noon: the social service is open
    assert after_hours(dt.datetime(2026, 12, 7, 17, 0, tzinfo=RIGA))
    assert after_hours(dt.datetime(2026, 12, 5, 12, 0, tzinfo=RIGA))  # Saturday
    assert after_hours(dt.datetime(2026, 11, 18, 12, 0, tzinfo=RIGA))  # Proclamation Day


NIGHTS = [{"season_from": None, "season_to": None, "days": "mon-sun", "open": "18:00", "close": "08:00"}]
WEEKDAYS = [{"season_from": None, "season_to": None, "days": "mon-fri", "open": "09:00", "close": "17:00"}]


def test_when_a_closed_place_opens_next_today_tomorrow_or_not_within_a_day():
    from knowledge.hours import opens_next

    sunday = lambda h, m=0: dt.datetime(2026, 12, 6, h, m, tzinfo=RIGA)  # noqa: E731
    assert opens_next(NIGHTS, sunday(8, 37)) == sunday(18)
    assert opens_next(NIGHTS, dt.datetime(2026, 12, 6, 6, 37, tzinfo=dt.timezone.utc)) == sunday(18)  # 08:37 Riga
    assert opens_next(WEEKDAYS, sunday(18)) == dt.datetime(2026, 12, 7, 9, 0, tzinfo=RIGA)  # Monday morning
    assert opens_next(WEEKDAYS, dt.datetime(2026, 12, 5, 12, 0, tzinfo=RIGA)) is None  # Saturday noon: not within a day
    assert opens_next([], sunday(12)) is None


def test_a_naive_time_is_riga_time_everywhere():
    from knowledge.hours import after_hours, as_riga, tonight_from

    naive = dt.datetime(2026, 12, 7, 12, 0)  # a Monday noon, whatever zone the host is in
    assert as_riga(naive) == dt.datetime(2026, 12, 7, 12, 0, tzinfo=RIGA)
    assert not after_hours(naive) and is_open(WEEKDAYS, naive) and tonight_from(naive).hour == 23
    for hour, minute, expected in ((5, 59, (5, 59)), (6, 0, (23, 0)), (23, 0, (23, 0)), (23, 1, (23, 1))):
        got = tonight_from(dt.datetime(2026, 12, 7, hour, minute, tzinfo=RIGA))
        assert (got.hour, got.minute) == expected and got.date() == dt.date(2026, 12, 7), (hour, minute)


def test_the_last_entry_of_a_span_open_until_morning():
    from knowledge.hours import entry_over

    rules = [{"days": "mon-sun", "open": "18:00", "close": "07:00", "last_entry": "21:00"}]
    at = lambda day, hour, minute=0: dt.datetime(2026, 12, day, hour, minute, tzinfo=RIGA)  # noqa: E731
    assert entry_over(rules, at(7, 20, 59)) is None and entry_over(rules, at(7, 21)) == "21.00"
    assert entry_over(rules, at(8, 3)) == "21.00"  # the night under way
    assert entry_over(rules, at(8, 12)) is None  # closed: the card says when it opens instead
    assert entry_over([{"days": "mon-sun", "open": "18:00", "close": "08:00"}], at(7, 23)) is None  # nothing said
