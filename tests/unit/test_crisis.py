"""Crisis detection: a labelled set of direct, indirect and near-miss messages (Latvian and Russian)."""

import pytest

from bot.crisis import is_crisis

CRISIS = [
    "es negribu vairs dzīvot", "negribu vairs dzivot", "domāju par pašnāvību", "gribu nogalināt sevi",
    "labāk būtu, ja manis nebūtu", "viņš nepamostas, sadzēra tabletes", "draugs pārdozēja", "viņam ir pārdoze",
    "mani sit mājās", "viņš draud nogalināt", "guļu uz ielas un salstu", "ārā ir -15 un es nosalstu",
    "не хочу жить", "хочу покончить с собой", "он не дышит", "замерзаю на улице", "у него передоз",
]
NOT_CRISIS = [
    "kur var pārnakšņot", "ārā ir auksts, kur var paēst?", "man vajag pasi", "mans brālis iznāk no cietuma",
    "kā piereģistrēties pie ģimenes ārsta", "где переночевать в Риге", "ziemā ir grūti atrast darbu", "situācija man ir slikta, vajag pabalstu", "griezu maizi ar nazi",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_detected(text):
    assert is_crisis(text)


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_near_misses_not_flagged(text):
    assert not is_crisis(text)


def test_patterns_are_written_folded():
    """Text is folded before matching, so a Latvian letter with a diacritic in a pattern could never match."""
    from bot.crisis import _PATTERNS

    assert [p for p in _PATTERNS if any(c in p for c in "āčēģīķļņšūž")] == []
