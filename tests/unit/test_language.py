"""The language of an answer: Cyrillic or Russian typed in Latin letters is answered in Russian (lvnorm/translit.yml)."""

import pytest

from lvnorm.text import language


@pytest.mark.parametrize("message", [
    "iz Daugavpilsa, seichas v Rige, kuda mne obrashchatsja za pomoshchju?",
    "gde perenochevat v Rige",
    "vyshel segodnja, net pasporta i net deneg, chto delat",
    "moj syn vyshel, gde emu vzjat pasport",
    "где переночевать",
    "gde besplatno poest v liepaje",  # was answered in Latvian (2026-12-06): only "gde" was in the list
    "nuzhen vrach",
    "negde spat segodnja",
])
def test_russian(message):
    assert language(message) == "ru"


@pytest.mark.parametrize("message", [
    "iznacu no zonas, kur te ir bomzatnica daugavpili",  # Latvian without diacritics, with Russian-born slang
    "es nezinu ko darit",
    "Sveiki",
    "ok",
    "propiska bija liepaja, tagad esmu rigaa",  # one Russian word among Latvian ones
    "vakar ēdu zupu, šodien nav ko ēst",  # "ēdu" is Latvian: not in the Russian list
    "kur var besplatno paēst rīgā",  # one Russian word in a Latvian sentence
])
def test_latvian(message):
    assert language(message) == "lv"


@pytest.mark.parametrize("message, current, expected", [
    ("spasibo", "ru", "ru"),  # was answered in Latvian after a Russian conversation (2026-12-07)
    ("ok", "ru", "ru"),
    ("112", "ru", "ru"),
    ("spasibo", "lv", "lv"),  # one Russian word does not switch a Latvian conversation
    ("paldies", "ru", "lv"),  # a Latvian word does
    ("šodien", "ru", "lv"),  # so does a Latvian letter
    ("gde poest", "lv", "ru"),  # two Russian words switch it
    ("спасибо", "lv", "ru"),
])
def test_a_message_that_shows_no_language_keeps_the_conversations(message, current, expected):
    assert language(message, current) == expected


def _after(text: str, metadata: dict, **slots) -> list:
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.language import ActionDetectLanguage

    message = {"text": text, "intent": {"name": "help"}, "entities": []}
    tracker = Tracker("u", slots, message, [{"event": "user", "text": text, "metadata": metadata}], False, None, {},
                      "action_listen")
    return asyncio.run(ActionDetectLanguage().run(CollectingDispatcher(), tracker, {}))


def test_a_command_is_answered_in_the_language_the_front_door_says_it_came_in():
    """/pomosch has no words to read: the front door's metadata says Russian, and the action sets the slot from it."""
    russian = [{"event": "slot", "timestamp": None, "name": "language", "value": "ru"}]
    assert _after("/help", {"language": "ru"}, language="lv") == russian
    assert _after("/help", {"language": "lv"}, language="lv") == []  # already so
    assert _after("/help", {}, language="ru") == []  # no word on it: the language stays
    assert _after("/help", {"language": "ru"}, language="lv", language_chosen=True) == []  # the person's choice wins


def test_a_typed_choice_of_language_is_short_a_question_about_one_is_not_a_choice():
    # "а это всё на латышском? он латышский почти не знает" switched a Russian conversation to Latvian (2026-12-07)
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.language import ActionDetectLanguage

    def after(text):
        message = {"text": text, "intent": {"name": "set_language"}, "entities": []}
        tracker = Tracker("u", {"language": "ru"}, message, [{"event": "user", "text": text}], False, None, {},
                          "action_listen")
        return asyncio.run(ActionDetectLanguage().run(CollectingDispatcher(), tracker, {}))

    chosen = {"event": "slot", "timestamp": None, "name": "language_chosen", "value": True}
    assert chosen in after("давай по-латышски") and chosen in after("vari rakstīt latviski?")
    assert chosen not in after("а это всё на латышском? он латышский почти не знает")
