"""Who a message is written for (lvnorm/requester.yml): the person, a relative or friend, or a worker's client."""

import pytest

from lvnorm.requester import address, find


@pytest.mark.parametrize("message, relation", [
    ("Mans dēls vakar iznāca, viņam nav pases. Kur var dabūt jaunu?", "son"),
    ("Dēls iznāca no Jelgavas cietuma, kur viņam pārnakšņot?", "son"),  # no possessive, but the third person
    ("Labdien. Brālim konts ir, bet kartes nav.", "brother"),  # opens a sentence
    ("esmu māte, kā palīdzēt?", "relative"),  # the writer is the mother: the person written about is her child
    ("Sveiki, esmu mamma. Dēlam pase pazuda cietumā, kā viņam tagad dabūt jaunu?", "son"),
    ("Я мать. Сыну после освобождения нужен адвокат", "son"),
    ("Мой сын вышел на прошлой неделе, где ему ночевать?", "son"),
    ("moj syn vyshel, gde emu vzjat pasport", "son"),
    ("Sestra osvobodilas, ej nuzhny dengi", "sister"),  # no possessive, but it opens the message
    ("Esmu sociālā darbiniece. Klientam vajag pasi.", "client"),
    ("Persona atbrīvota, līdzekļu iztikai nav.", "client"),
    ("Я соцработник, подопечному нужна регистрация", "client"),
])
def test_who_the_message_is_for(message, relation):
    found = find(message)
    assert (found.relation if found else None) == relation


@pytest.mark.parametrize("message", [
    "iznacu vakar, nav kur gulet",
    "sieva sen ar citu, viņa mani nelaiž mājās",  # a man writing about his own wife
    "mamma nelaiž mājās, kur lai palieku",
    "esmu probācijas klients, ko tas nozīmē",  # the person himself
    "man vajag jumtu virs galvas",  # 'virs' (above) is not 'vīrs' (husband) without a possessive or a sentence start
    "nav personas koda, ko darīt",
])
def test_the_person_writing_for_themselves(message):
    assert find(message) is None


def test_kind_and_how_the_answer_addresses_them():
    assert find("mana meita iznāca").kind == "relative"
    assert find("mūsu klients").kind == "worker"
    assert address("son", "lv") == "Jūsu dēlam" and address("son", "ru") == "Для вашего сына"
    assert address(None, "lv") is None and address("unknown", "lv") is None
