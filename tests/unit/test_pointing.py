"""Questions that point back at what was just answered, and questions that name nothing (lvnorm/pointing.py)."""

import pytest

from lvnorm.pointing import is_question, names_nothing, only_a_place, points_back
from lvnorm.text import words


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


@pytest.mark.parametrize("text, alone", [
    ("а в Олайне?", True), ("un Cēsīs?", True), ("Daugavpili ir kaut kas?", True), ("a v Rige?", True),
    ("А в Резекне есть такое место?", True), ("Liepāja", True), ("kur Rīgā?", True),
    ("ne, pareizi Rezekne. sajaucu", True), ("нет, точнее в Елгаве", True),
    ("un Rīgā? tur laikam vairāk iespēju", True), ("а в Риге? там больше возможностей", True),
    ("Rīgā vairāk iespēju darbam?", False),  # names a topic
    ("a Rīgā patversme?", False), ("Tukuma ir NVA?", False), ("esmu deklarēts Cēsīs", False),
    ("kur dabūt pasi", False),  # no place
])
def test_a_message_that_names_only_a_place(text, alone):
    # "а в Олайне?" after housing got "what are you looking for"; "Daugavpili ir kaut kas?" after the addiction
    # answer had asked for the town was out of scope (the terminal chat, 2026-12-07)
    from pathlib import Path

    from lvnorm.places import PlaceResolver, load_gazetteer

    resolver = PlaceResolver(load_gazetteer(Path(__file__).resolve().parents[2] / "knowledge/data/municipalities.yaml"))
    assert only_a_place(text, [(m.start, m.end) for m in resolver.find(text)]) is alone, text



def test_a_question_is_a_question_mark_or_a_question_word_first():
    assert all(map(is_question, ["Vai var dabūt mentoru", "kā pierakstīties pie ārsta", "можно ли без паспорта",
                                 "un kur Liepājā var saņemt juridisko palīdzību?", "gde pasport delat"]))
    assert not any(map(is_question, ["izziņu par atbrīvošanu iedeva, tā man ir", "Atbrīvots 28. oktobrī.",
                                     "Rīgā deklarēts biju", "nezinu, pase palika pie mentiem", ""]))


@pytest.mark.parametrize("text, asks", [
    ("telefons ir?", True), ("adrese un telefons vajag", True), ("а телефон есть?", True), ("kāds ir numurs", True),
    ("telefon est?", True), ("un adrese?", True),
    ("telefons ir? man kredits maz palicis", True),  # the question first, then why (the terminal chat, 2026-12-07)
    ("soc dienesta telefons", False), ("телефон социальной службы", False), ("tālrunis neatbild", False),
    ("mans telefons izlādējies", False), ("nomer ne rabotaet", False), ("man kredits maz palicis. telefons?", False),
])
def test_a_phone_or_an_address_asked_for_alone(text, asks):
    from lvnorm.pointing import asks_for_contact

    assert asks_for_contact(text) is asks, text
