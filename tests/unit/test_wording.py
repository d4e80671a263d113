"""The tests' way of naming what a person was shown (harness/wording.py)."""

from harness.wording import appears, buttons, label, response


def test_response_is_the_variation_for_the_language_and_the_writer():
    person = response("utter_ask_checklist_form_municipality")
    relative = response("utter_ask_checklist_form_municipality", requester_role="relative")
    worker_ru = response("utter_ask_checklist_form_municipality", language="ru", requester_role="worker")
    assert len({person, relative, worker_ru}) == 3
    assert response("utter_greet") != response("utter_greet", language="ru")  # a default and a conditioned variation
    relative_lv = buttons("utter_ask_cl_released", requester_role="relative")
    assert relative_lv and relative_lv != buttons("utter_ask_cl_released", requester_role="relative", language="ru")


def test_slots_no_condition_names_give_the_variation_without_a_condition_as_in_rasa():
    assert response("utter_ask_checklist_form_municipality", requester_role="neighbour") == response(
        "utter_ask_checklist_form_municipality")


def test_appears_finds_the_fixed_parts_around_the_blanks_in_order():
    template = "Labi, {municipality}. Ko jūs meklējat?"
    assert appears(template, "…\nLabi, Ogre. Ko jūs meklējat?\n  [1] Kur pārnakšņot")
    assert not appears(template, "Ko jūs meklējat? Labi, Ogre.")  # the parts out of order
    assert not appears(template, "Labi, Ogre.")
    assert appears(label("card_distance_town"), label("card_distance_town").format(km=45))
    assert appears(template, "Labi, Ogre. Ko jūs meklējat?", municipality="Ogre")
    assert not appears(template, "Labi, Rīga. Ko jūs meklējat?", municipality="Ogre")  # a blank given must match
