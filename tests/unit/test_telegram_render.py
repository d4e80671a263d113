"""Pure rendering for Telegram: splitting long replies at boundaries and never over the limit."""

import pytest

from bot.telegram_app import TELEGRAM_LIMIT, split_message


@pytest.mark.parametrize("body", ["īss", "a" * 5000, ("vārds " * 2000).strip(), "\n\n".join(["rindkopa " * 80] * 30),
                                  "x\n" * 5000, ""])
def test_no_part_over_the_limit_and_nothing_lost(body):
    parts = split_message(body)
    assert all(0 < len(p) <= TELEGRAM_LIMIT for p in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == body.replace("\n", "").replace(" ", "")


def test_splits_at_paragraphs_first():
    a, b = "A" * 3000, "B" * 3000
    assert split_message(f"{a}\n\n{b}") == [a, b]
