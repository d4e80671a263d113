"""The language of an answer: Cyrillic or Russian typed in Latin letters is answered in Russian (lvnorm/translit.yml)."""

import pytest

from lvnorm.text import language


@pytest.mark.parametrize("message", [
    "iz Daugavpilsa, seichas v Rige, kuda mne obrashchatsja za pomoshchju?",
    "gde perenochevat v Rige",
    "vyshel segodnja, net pasporta i net deneg, chto delat",
    "moj syn vyshel, gde emu vzjat pasport",
    "где переночевать",
])
def test_russian(message):
    assert language(message) == "ru"


@pytest.mark.parametrize("message", [
    "iznacu no zonas, kur te ir bomzatnica daugavpili",  # Latvian without diacritics, with Russian-born slang
    "es nezinu ko darit",
    "Sveiki",
    "ok",
    "propiska bija liepaja, tagad esmu rigaa",  # one Russian word among Latvian ones
])
def test_latvian(message):
    assert language(message) == "lv"
