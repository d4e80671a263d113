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


def test_a_handler_error_is_logged_with_where_it_was_raised_and_never_its_text(caplog):
    import asyncio
    import logging
    from types import SimpleNamespace

    from bot.telegram_app import on_error

    def handler(text: str) -> None:
        raise TypeError(f"cannot handle {text}")

    try:
        handler("mans dēls vakar iznāca")
    except TypeError as exc:
        error = exc
    with caplog.at_level(logging.ERROR, logger="bot.telegram_app"):
        asyncio.run(on_error(None, SimpleNamespace(error=error)))
    (record,) = caplog.records
    assert "TypeError at test_telegram_render.py:" in record.getMessage() and ":handler" in record.getMessage()
    assert "iznāca" not in record.getMessage()
