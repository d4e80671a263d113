"""Crisis detection in the front door, before Rasa: it must work when Rasa, the actions or the database are down.

Deliberately a transparent list of patterns over folded text (no model to load, nothing to fail): a missed crisis
costs far more than an extra line with emergency numbers, so the patterns lean towards recall.
"""

from __future__ import annotations

import re

from lvnorm.text import fold

# Patterns over folded text (lowercase, no diacritics, "sh"/"zh"/"ch" folded to s/z/c in Latin script), by kind.
_PATTERNS = [
    # --- suicide: direct and indirect (lv) ---
    r"pasnavib", r"nogalin\w* sevi", r"sevi nogalin", r"nosaut\w* sevi|nosauties", r"pakart(ies|os)|pakarsos",
    r"noslicin", r"(negrib|nevelos|apnicis|nav jegas|nav speka)\w* (vairs |vispar )?dziv", r"kapec (vispar )?dzivot",
    r"(gribu|labak butu|labak|ja es) (vienkarsi |vispar )?(nomirt|nomirtu|mirt|vairs nebut|nebut)", r"vairs nebut",
    r"manis (vairs )?(nebutu|nebus)", r"bez manis", r"aizmigt un (vairs )?nepamost", r"\bvirv(e|i|es)\b",
    r"(lekt|leks|leksu|nolek\w*|lec)\b.{0,40}(tilt|jumt|log|stav|balkon|marg)",
    r"(tilt|jumt|palodz|balkon|marg)\w*.{0,40}(lekt|leks|nolek|leju|stav)", r"zem (vilciena|masinas|auto)",
    r"atvadu (vestul|zin)", r"atvadij\w*.{0,40}uz visiem laikiem", r"pedeja (zina|vestule)",
    r"(izbeigt|pabeigt|beigt) (so |savu |ar )?(visu|dzivi)", r"(visu|dzivi) (izbeigt|pabeigt|beigt)", r"nasta (visiem|citiem)",
    r"(sakraj|sakrajis|sakrajusi)\w* tablet", r"(visas|visu pac\w*) tablet", r"tablet\w*.{0,30}(visas|izdzers)",
    r"(izdal|atdev)\w* (savas )?mantas", r"ies\w* (vinai|vinam) pakal",
    # --- self-harm (lv) ---
    r"(griez|sagriez|grieju|grieu)\w* (sevi|sev|rokas|venas)", r"sevi (griez|sagriez|dedzin)", r"sagriezos",
    r"(nodarit|nodaru) (sev )?pari|sev nodarit", r"zilet", r"dedzin\w* sev", r"situ galvu", r"norij\w* (stikl|lausk|adat)",
    # --- violence now (lv) ---
    r"\b(sit|sitis|sist|nosist|sparda|spardi|piekauj)\b\W+(\w+\W+)?(mani|mus|bernus|vinu|vinu|mammu|sievu|tevi|mani)\b",
    r"\bmani\W+(\w+\W+)?(sit|sparda|piekauj|zna?udz|zmaudz)\b", r"piekava\w*.{0,30}(asin|slimn)",
    r"(sadur|nodur|uzbruk|sadauz)\w*", r"\bsit\w* ar (kresl|naz|pudel|cirv|dur|kaj)", r"zna?udz\w*|zmaudz\w*", r"draud\w*.{0,40}(nogalin|nosist|nodur|naz|cirv)",
    r"(kliedz|saka|teica|draud)\w*,? ka .{0,25}(nogalin|nosit|nodur)",
    r"lauz\w* (durvis|ieksa)", r"dzen\w* pakal", r"izvaroj", r"seko.{0,40}(draud|nodur|nogalin)",
    # --- overdose, poisoning, medical emergency (lv) ---
    r"pardoz|overdoz", r"(sadzer|saeda|iedzer|izdzer|norij|dzer)\w*.{0,30}(daudz|visas|visu|paku|iepakojum|miega|antifriz)",
    r"(daudz|visas|visu)\b.{0,20}(tablet|tables|zal)",
    r"antifriz", r"ne?elpo", r"(nevar|nevaru) (paelpot|elpot)", r"elpo (loti )?(divaini|slikti)", r"\bsmok",
    r"bez samanas|pie samanas|zaudej\w* samanu", r"nereage", r"nekustas", r"neatver acis", r"(nevaru|nevar) pamodin",
    r"nepamostas", r"lupas zilas", r"nogib", r"sirdslekm", r"(sap|spiez)\w* krut|krutis (sap|spiez)", r"saskieb",
    r"nevar (parunat|runat)", r"krampj", r"vem\w* asin", r"asino|asinis tek|asinis pa (seju|galvu|rokam)", r"saindej",
    # --- freezing outside now (lv) ---
    r"(salstu|nosalstu|nosalu|sasalu)", r"nejut\w* (kajas|pirkst|rokas)", r"pirksti (balti|zili)",
    r"(aizmig|gul)\w* sniega", r"sniega.{0,30}nekust", r"(ara|uz ielas|parka|solin|stacij).{0,60}(auksts|auksti|salst|-\s?\d+|minus \d+).{0,40}(nejut|piecel|aizmig|tric|reibst)",
    r"(-\s?\d+|minus \d+).{0,60}(nejut|tric|aizmig|reibst)", r"(auksts|auksti).{0,30}(nevaru piecel|saku aizmigt|tricu)",
    # --- Russian ---
    r"суицид", r"самоуби", r"поконч\w* с собой", r"убить себя|убью себя", r"не ?(хочу|хочет|хотят) (больше )?жить|жить не ?хочу",
    r"жить незачем|незачем жить", r"без меня", r"меня не было|меня не станет", r"лучше (бы )?умереть",
    r"уснуть и не проснуться", r"(все|всё) законч|хочу (все|всё) закончить", r"прыгн|спрыгн|прыгать с", r"веревк|верёвк",
    r"прощальн", r"подоконник", r"повес(иться|ится|илс|юсь)", r"накопил\w* таблет|таблет\w*.{0,20}(выпью|все)",
    r"вскры\w* вены", r"порез|режу себя|режет себ|резать себя|лезви", r"\b(бьет|бьёт|избива|избили|ударил\w* нож)",
    r"душит", r"ломится|ломает дверь|гонятся", r"нож(ом)?\b.{0,30}(угрож|убь|ломит)|угрожа\w* нож|с ножом",
    r"(кричит|угрожает|обещает|говорит),? (что )?(убь|убьет|убьёт)", r"изнасил", r"не дышит|не могу дышать|без сознания|не просыпается", r"судорог",
    r"кровь не останав|кровотечен|теч(е|ё)т кровь|рв(е|ё)т кровью|истека\w* кровью", r"перекосило",
    r"(давит|болит) в груди", r"передоз", r"снотворн", r"наглотал", r"замерза", r"не чувствую (ног|рук|пальц)",
    # --- Russian in Latin letters (folded: sh->s, zh->z, ch->c) ---
    r"ne ?(hocu|xocu) (bolse )?zit", r"bez men(j|y)a", r"pokoncit s sob", r"\bbjot|b'?jot menja|bet menja",
    r"ne dysit|ne mogu dysat", r"naglotal", r"nozom", r"ne cuvstvu\w* nog", r"bolit v grudi",
]
_CRISIS = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


def is_crisis(text: str) -> bool:
    """True when the message may describe suicide, self-harm, violence, overdose, a medical emergency or freezing."""
    return bool(_CRISIS.search(fold(text)))


# Rasa's own crisis responses start with the same marker, so the front door can drop the repeat.
CRISIS_MARK = "🆘"

CRISIS_REPLY = {
    "lv": (
        "🆘 Ja ir briesmas dzīvībai, zvaniet 112 tagad. Ātrā palīdzība: 113.\n"
        "Ja ir ļoti smagi vai ir domas par pašnāvību: 116123 (krīzes tālrunis “Skalbes”, diennaktī, bez maksas)."
    ),
    "ru": (
        "🆘 Если есть угроза жизни, звоните 112 сейчас. Скорая помощь: 113.\n"
        "Если очень тяжело или есть мысли о самоубийстве: 116123 (кризисный телефон «Skalbes», круглосуточно, бесплатно)."
    ),
}
