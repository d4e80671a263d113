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
