"""Crisis detection in the front door, before Rasa: it must work when Rasa, the actions or the database are down.

Deliberately a transparent list of patterns over folded text (no model to load, nothing to fail): a missed crisis
costs far more than an extra line with emergency numbers, so the patterns lean towards recall.
"""

from __future__ import annotations

import re

from lvnorm.text import fold

_PATTERNS = [
    # suicide and self-harm (lv)
    r"pasnavib", r"nogalin\w* sevi", r"sevi nogalin", r"(negribu|nevelos|nav jegas|apnicis|negrib) (vairs )?dziv",
    r"gribu nomirt", r"labak (butu )?(nomirt|mirt)", r"(izbeigt|beigt|pabeigt) (savu |ar )?dziv", r"manis (vairs )?nebutu",
    r"(griez|sagriez|parigriez)\w* (sev )?(venas|rokas)", r"pakart(ies|os)", r"noslicin", r"nolekt no",
    r"nav (vairs )?(jegas|speka) dzivot", r"visu izbeigt",
    # overdose and medical emergency (lv)
    r"pardoz", r"overdoz", r"(sadzer|saeda|iedzer|norij)\w* (daudz |visas )?tablet", r"nepamostas", r"neelpo",
    r"nevar (paelpot|elpot)", r"bez samanas", r"zaudej\w* samanu", r"stipri asino", r"sirdslekm", r"krampj",
    # violence now (lv)
    r"\b(sit|sita|situ|sitis|piekauj\w*|draud)\s(mani|manu|man)\b", r"mani (sit|piekauj|draud|grib nogalinat)",
    r"draud nogalinat", r"grib (mani )?nogalinat", r"izvaroj", r"draud ar nazi",
    # freezing outside now (lv)
    r"(salstu|nosalstu|nosalu|sasalu|sals mani)", r"(gulu|gulesu|paliksu) (uz ielas|ara|lauka) .*(sals|auksts|salst)",
    r"(ara|uz ielas) .*(salstu|nosalstu)",
    # Russian
    r"суицид", r"поконч\w* с собой", r"убить себя", r"убью себя", r"не хочу (больше )?жить", r"жить не хочу",
    r"повес(иться|ится|илс)", r"вскры\w* вены", r"передоз", r"не дышит", r"без сознания", r"замерза(ю|ет)",
    r"(бьет|бьёт|избива)\w* (меня|нас)", r"убь(ет|ёт) меня", r"изнасил", r"наглотал\w* таблет",
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
