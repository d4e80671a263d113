"""What a person tells about their release and passport before the plan's questions (lvnorm/told.py)."""

import datetime as dt

import pytest

from lvnorm.told import NOT_YET, id_missing, release

ON = dt.date(2026, 12, 8)


@pytest.mark.parametrize("text, days", [
    ("sveiki. vakar iznacu no Jelgavas cietuma, pase beigusies, dzivosu Madona pie mates.", 1),  # the trial's man
    ("Labdien, mans dēls šodien atbrīvots no Olaines cietuma", 0),
    ("Mans dēls iznāca pirms 3 dienām", 3),
    ("я освободился позавчера", 2),
    ("ja otkinulsja nedelju nazad", 7),  # slang, Russian in Latin letters
    ("vysel vchera, pasporta net", 1),
    ("mani izlaida pirms mēneša, tagad dzīvoju pie māsas", 30),
    ("atbrīvoja 2.12.2026, ko darīt tālāk?", 6),
])
def test_a_release_and_when(text, days):
    assert release(text, ON) == (ON - dt.timedelta(days=days)).isoformat()


@pytest.mark.parametrize("text", ["iznākšu rīt", "brālis vēl sēž, iznāks nākamgad", "сын освободится через неделю"])
def test_a_release_still_to_come(text):
    assert release(text, ON) == NOT_YET


@pytest.mark.parametrize("text", [
    "vakar biju pie ārsta",  # a time, but no release
    "iznācu. vakar biju pie ārsta",  # the release and the time in different sentences
    "мне нужна справка об освобождении",
    "mani palaida 12.12.",  # a date still to come, said in the past: not read
    "paldies",
])
def test_nothing_read_where_nothing_is_said_plainly(text):
    assert release(text, ON) is None


@pytest.mark.parametrize("text, missing", [
    ("pase beigusies", True), ("nav pases", True), ("pazaudēju eID karti", True), ("паспорт просрочен", True),
    ("pasport poterjal", True), ("у него нет паспорта", True),
    ("pase man ir, bet naudas nav", False),  # "nav" is about the money
    ("pase ir derīga", False), ("ko man darit ar dokumentiem", False),
])
def test_a_passport_said_to_be_missing(text, missing):
    assert id_missing(text) is missing
