"""A short message that points back at what was just answered ("cik tas maksā", "vai tur vajag pasi", "сколько это
стоит"), and a question that names nothing at all ("cik maksā", "kad tur strādā", "сколько стоит?").

A place and nothing else ("а в Олайне?", "un Cēsīs?", "Daugavpilī ir kaut kas?") asks for what was just answered,
there: `nlu_components/points_back.py` reads it as naming the place (`inform_municipality`), and the answer is the
last topic's local part for that place (`actions/place.py`). In the terminal chat of 2026-12-07 "Daugavpili ir kaut
kas?" after the addiction answer asked for the town was out of scope, and "а в Олайне?" after housing got "what are
you looking for".

A question that names nothing has no topic of its own: the NLU does not guess one (`nlu_components/points_back.py`
makes it "not understood"), and the fallback offers the topic just answered first (`actions/fallback.follow_up`). In
the terminal chat of 2026-12-07 such questions were read as the cost of healthcare (after the passport), as out of
scope (after a shelter, in Russian) and as a report of wrong information (after a day centre's card). A short
message with a pointing word that does name a topic ("vai tur vajag pasi") is asked about instead
(`actions/fallback.points_back`).
"""

from __future__ import annotations

from lvnorm.text import fold, sentences, tokens, words

MAX_WORDS = 6  # "kas man jāpaņem līdzi", "a kur tas ir?": longer messages say what they are about
# Words that point back at what was just said, folded ("tam": Latvian and Russian).
POINTING = frozenset({"tas", "ta", "to", "tam", "tur", "turp", "tie", "tos", "sis", "si",
                      "это", "эта", "этот", "там", "туда", "eto", "tuda"})
# Question words that ask about something already named. Not "kā" / "как": "kā tas strādā?" asks how this assistant
# works (help).
QUESTION_WORDS = frozenset({"cik", "cikos", "cikiem", "kur", "kad", "kapec", "ilgi",
                            "сколько", "скока", "скольки", "где", "когда", "долго",
                            "skolko", "skoka", "skolki", "gde", "kogda", "dolgo"})
# With the question words, what a question that names nothing is made of, folded.
NAMES_NOTHING = QUESTION_WORDS | POINTING | frozenset({
    "maksa", "maksas", "jamaksa", "maksat", "strada", "atverts", "atvert", "atver", "vajag", "ir", "var", "lidz", "a",
    "un", "bet", "tad", "nu", "vai", "tagad",
    "стоит", "стоят", "работает", "работают", "открыто", "открыт", "открывается", "надо", "нужно", "платить", "а", "и",
    "до", "во", "stoit", "stojat", "rabotaet", "rabotajut", "otkryto", "otkryt", "nado", "nuzno", "platit", "do", "vo"})


# With the words a question that names nothing is made of, what else a message that only names a place may say
# ("ir kaut kas", "я тоже", "a v Rige?", and a correction: "ne, pareizi Rezekne. sajaucu"), compared folded.
PLACE_ONLY = NAMES_NOTHING | frozenset(map(fold, {
    "kaut", "kas", "kautkas", "ari", "es", "esmu", "man", "te", "seit", "sheit", "uz", "par",
    "ne", "nevis", "pareizi", "sajaucu", "sajauca", "kludijos", "domaju",
    # a reason for asking there ("un Rīgā? tur laikam vairāk iespēju": the terminal chat, 2026-12-07)
    "laikam", "varbut", "vairak", "iespeju", "iespejas", "labak", "lielaka",
    "наверное", "может", "больше", "возможностей", "лучше", "naverno", "mozet", "bolse", "vozmoznostej", "lucse",
    "что", "нибудь", "есть", "тоже", "я", "мне", "в", "на", "такое", "такой", "такая", "место", "сейчас", "как",
    "нет", "не", "точнее", "правильно", "ошибся", "ошиблась", "перепутал", "перепутала",
    "chto", "nibud", "est", "tozhe", "ja", "mne", "v", "na", "takoe", "mesto", "sejchas", "kak",
    "net", "tochnee", "pravilno", "oshibsja", "pereputal"}))


# A place's phone or address asked for on its own ("telefons ir?", "adrese un telefons vajag", "а телефон есть?"),
# folded: in the terminal chat of 2026-12-07 these, asked after a social service's card, were read as a bank account
# ("telefons ir? man kredits maz palicis") and as a report of wrong information.
CONTACT = frozenset(map(fold, {
    "telefons", "telefonu", "telefona", "telefoni", "tel", "talrunis", "talruni", "talrunu", "numurs", "numuru",
    "adrese", "adresi", "adreses", "kontakti", "kontaktus",
    "телефон", "телефона", "телефоны", "номер", "номера", "адрес", "адреса", "контакты",
    "telefon", "nomer", "nomera", "adres", "adresa", "kontakty"}))
# What else such a request may say: "man vajag", "kāds ir", "dod lūdzu", "есть?", "какой", "нужен".
CONTACT_ONLY = NAMES_NOTHING | CONTACT | frozenset(map(fold, {
    "man", "kads", "kada", "nav", "dod", "iedod", "ludzu", "pls", "vinu", "vinam", "vinas", "vins",
    "есть", "какой", "какие", "дай", "дайте", "пожалуйста", "нужен", "нужна", "нет", "их", "его", "мне",
    "est", "kakoj", "daj", "nuzhen", "net", "ih", "ego", "mne"}))


def is_short(text_words: list[str]) -> bool:
    """Short enough to be a question about what was just answered."""
    return 0 < len(text_words) <= MAX_WORDS


def points_back(text_words: list[str]) -> bool:
    """A short message with a word that points back ("vai tur vajag pasi")."""
    return is_short(text_words) and bool(POINTING.intersection(text_words))


def names_nothing(text_words: list[str]) -> bool:
    """A short question made only of question words, pointing words and verbs ("cik maksā", "kad tur strādā")."""
    return is_short(text_words) and bool(QUESTION_WORDS.intersection(text_words)) and set(text_words) <= NAMES_NOTHING


def asks_for_contact(text: str) -> bool:
    """A short message, or a message's first sentence ("telefons ir? man kredits maz palicis"), asking for a phone or
    an address and naming nothing else: it is about the place just shown."""
    return any(is_short(found := words(part)) and bool(CONTACT.intersection(found)) and set(found) <= CONTACT_ONLY
               for part in (text, sentences(text)[0]))


def only_a_place(text: str, places: list[tuple[int, int]]) -> bool:
    """The message names a place (`places`: where in the text, as the municipality extractor found them) and its
    other words are all of the kind that name nothing ("a", "un", "ir kaut kas", "такое место"): it asks for the
    place itself."""
    rest = [fold(t) for t, start, end in tokens(text) if not any(s <= start and end <= e for s, e in places)]
    return bool(places) and len(rest) < MAX_WORDS and set(rest) <= PLACE_ONLY


# Words that open a question in Latvian and Russian, compared folded: with a question mark anywhere, what makes a
# message a question rather than a statement.
QUESTION_OPENERS = QUESTION_WORDS | frozenset(map(fold, {
    "ka", "vai", "kas", "kada", "kads", "kura", "kurs", "kadel", "kapec", "ko",
    "как", "что", "можно", "почему", "зачем", "какой", "какие", "куда", "ли",
    "kak", "chto", "mozhno", "pochemu", "zachem", "kakoj", "kakie", "kuda"}))


def is_question(text: str) -> bool:
    """A question: a question mark, or a question word first ("kā pierakstīties pie ārsta", "можно ли без паспорта").
    "izziņu iedeva, tā man ir" and "Atbrīvots 28. oktobrī." are statements."""
    text_words = words(text)
    return "?" in text or bool(text_words) and text_words[0] in QUESTION_OPENERS
