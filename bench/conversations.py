"""The conversations the load benchmark plays: Latvian, Russian and Russian typed in Latin letters.

Fixed sentences come from the conversation tests (tests/conversations/*.yml) and the end-to-end tests; steps
written `@lang:intent` take a sentence of that intent from the held-out NLU sets (tests/nlu/test_nlu_lv.yml,
test_nlu_ru.yml; `tr` is the Latin-transliterated Russian at the end of each Russian block), picked by a seeded
random generator, so every virtual user asks its own mix of paraphrases the model never saw in training.
Buttons are pressed by their title, as a person would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Step:
    kind: str  # "text" | "command" | "button" | "intent"
    value: str
    expect: str | None = None  # a substring one of the turn's messages must contain (checked, counted, reported)


def T(value: str, expect: str | None = None) -> Step:
    return Step("command" if value.startswith("/") else "text", value, expect)


def B(title: str, expect: str | None = None) -> Step:
    return Step("button", title, expect)


def I(spec: str) -> Step:  # noqa: E743 - "intent"
    return Step("intent", spec)


SHELTER_DAUGAVPILS = "Šaurā iela 23"

SCRIPTS: dict[str, list[Step]] = {
    # Latvian, by the menu: greet -> a bed in a town (buttons) -> money -> documents -> thanks.
    "lv_menu": [T("/start", "automātisks palīgs"), B("Kur pārnakšņot", "Kur jūs esat?"),
                B("Daugavpils", SHELTER_DAUGAVPILS), I("lv:ask_benefits"), I("lv:ask_id_document"), T("paldies")],
    # Latvian typed without diacritics, another place typed after "Cita vieta".
    "lv_typed": [T("sveiki", "automātisks palīgs"), T("kur var parnakshnot", "Kur jūs esat?"),
                 B("Cita vieta", "Uzrakstiet"), T("ogre"), I("lv:ask_job"), I("lv:ask_residence_declaration"),
                 T("atā")],
    # A mother asks for her son, third person, the town in the message.
    "lv_family": [T("mans dēls rīt iznāk no cietuma, kur viņš var pārnakšņot Liepājā?", "Liepāja"),
                  I("lv:ask_food"), I("lv:ask_family_doctor"), I("lv:ask_legal_aid"), I("lv:thank")],
    # The personal document plan: questions answered by buttons and one typed "nezinu", then the plan and its PDF.
    "lv_checklist": [T("/saraksts", "Kurā pilsētā"), B("Daugavpils"), B("Turpat, kur dzīvošu"), B("Vakar"), T("nezinu"), B("Jā"), B("Nē"),
                     B("Nē"), B("Nē"), B("Nē"), B("Jā", "Jūsu plāns"), B("📄 Plāns PDF", "[document]")],
    # Hard night: a crisis sentence among ordinary questions (the front door answers it first).
    "lv_crisis": [T("Labvakar"), T("man viss apnicis, negribu vairs dzīvot", "116123"), I("lv:ask_psychologist"),
                  I("lv:ask_social_worker")],
    # Russian, by the menu.
    "ru_menu": [T("Здравствуйте", "Я Ceļvedis"), B("Где переночевать", "Где вы находитесь?"),
                B("Daugavpils (Даугавпилс)", SHELTER_DAUGAVPILS), I("ru:ask_benefits"), I("ru:ask_id_document"),
                T("спасибо")],
    # Russian mixed with Latvian words, the town in the message.
    "ru_mixed": [T("где переночевать в Даугавпилсе?", SHELTER_DAUGAVPILS),
                 T("какой пабалстс можно получить после освобождения?"), I("ru:ask_job"), I("ru:ask_health"),
                 I("ru:thank")],
    # Russian in Latin letters.
    "ru_translit": [I("tr:greet"), I("tr:ask_id_document"), I("tr:ask_benefits"), I("tr:ask_food"), I("tr:thank")],
}


def _blocks(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for block in yaml.load(path.read_text(encoding="utf-8"), yaml.CSafeLoader)["nlu"]:
        lines = [l.strip().removeprefix("- ").strip() for l in (block.get("examples") or "").splitlines()]
        out[block["intent"]] = [l for l in lines if l]
    return out


def heldout() -> dict[str, dict[str, list[str]]]:
    """{"lv"|"ru"|"tr": {intent: sentences}} from the held-out NLU sets."""
    lv = _blocks(ROOT / "tests/nlu/test_nlu_lv.yml")
    ru_all = _blocks(ROOT / "tests/nlu/test_nlu_ru.yml")
    return {"lv": lv, "ru": {k: v[:-2] for k, v in ru_all.items()}, "tr": {k: v[-2:] for k, v in ru_all.items()}}


class Sentences:
    """Resolves `@lang:intent` steps to held-out sentences with a seeded generator."""

    def __init__(self, seed: int):
        self._pools = heldout()
        self._rnd = random.Random(seed)

    def text(self, step: Step) -> str:
        if step.kind != "intent":
            return step.value
        lang, intent = step.value.split(":")
        return self._rnd.choice(self._pools[lang][intent])


def check() -> None:
    """Every `@lang:intent` step names a pool that exists."""
    pools = heldout()
    for name, steps in SCRIPTS.items():
        for s in steps:
            if s.kind == "intent":
                lang, intent = s.value.split(":")
                assert pools[lang].get(intent), f"{name}: no held-out sentences for {s.value}"


if __name__ == "__main__":
    check()
    print(f"{len(SCRIPTS)} scripts, {sum(len(s) for s in SCRIPTS.values())} turns per round")
