"""Questions that point back at what was just answered, and questions that name nothing (lvnorm/pointing.py)."""

import pytest

from lvnorm.pointing import names_nothing, points_back, words


@pytest.mark.parametrize("text", ["cik maksā?", "cik maksa", "kad tur strada", "Сколько стоит?", "а где это?",
                                  "cik ilgi?", "kur tas ir", "skolko stoit", "cik tas maksā", "cikos atver",
                                  "līdz cikiem strādā", "cik maksās", "скока стоит", "когда работают",
                                  "до скольки работает", "во сколько открывается", "kogda otkryto", "skoka nado platit"])
def test_a_question_that_names_nothing(text):
    assert names_nothing(words(text)), text


@pytest.mark.parametrize("text", ["cik maksā ārsts", "kur var strādāt", "kā tas strādā?", "как это работает",
                                  "kur dabūt pasi", "paldies", "jā", "", "cik maksā, ja esmu bez naudas un bez pases",
                                  "сколько стоит паспорт"])
def test_a_question_that_names_something_or_is_no_question(text):
    assert not names_nothing(words(text)), text  # "kā tas strādā?" asks how the assistant works


def test_a_short_message_with_a_pointing_word_points_back():
    assert points_back(words("vai tur vajag pasi")) and points_back(words("сколько это стоит"))
    assert not points_back(words("vai vajag pasi")) and not points_back(
        words("vai tur vajag pasi, ja esmu tikko iznācis un man nav nekā"))
