"""The front door's own messages: what it says when Rasa cannot, and about input it cannot read."""

from __future__ import annotations

TEXTS = {
    "lv": {
        "unavailable": (
            "Atvainojiet, šobrīd nevaru atbildēt pilnībā.\n"
            "Ja ir briesmas, zvaniet 112. Ja ir ļoti smagi: 116123 (diennaktī, bez maksas)."
        ),
        "not_text": "Es protu lasīt tikai tekstu. Lūdzu, uzrakstiet savu jautājumu vārdiem.",
        "empty": "Ziņa ir tukša. Uzrakstiet, ko jūs meklējat, piemēram: “Kur pārnakšņot Rīgā?”",
        "too_long": "Ziņa ir ļoti gara, tāpēc izlasīju tikai tās sākumu.",
        "button_expired": "Šī poga vairs nedarbojas. Lūdzu, uzrakstiet, ko meklējat.",
        "forgotten": "Viss, ko par jums glabāju, ir izdzēsts. Varat sākt no jauna ar “Sveiki”.",
        "forget_failed": "Dzēšana šobrīd neizdevās. Lūdzu, mēģiniet vēlreiz pēc brīža.",
        "unknown_command": "Šādas komandas nav. Rakstiet vārdiem vai izmantojiet /palidziba.",
    },
    "ru": {
        "unavailable": (
            "Извините, сейчас не могу ответить полностью.\n"
            "Если есть опасность, звоните 112. Если очень тяжело: 116123 (круглосуточно, бесплатно)."
        ),
        "not_text": "Я умею читать только текст. Пожалуйста, напишите вопрос словами.",
        "empty": "Сообщение пустое. Напишите, что вы ищете, например: «Где переночевать в Риге?»",
        "too_long": "Сообщение очень длинное, я прочитал только его начало.",
        "button_expired": "Эта кнопка больше не работает. Пожалуйста, напишите, что вы ищете.",
        "forgotten": "Всё, что я о вас хранил, удалено. Можно начать заново.",
        "forget_failed": "Удалить сейчас не получилось. Пожалуйста, попробуйте чуть позже.",
        "unknown_command": "Такой команды нет. Пишите словами или используйте /pomosch.",
    },
}


def text(key: str, language: str = "lv") -> str:
    """A front-door message in the given language (Latvian when unknown)."""
    return TEXTS.get(language, TEXTS["lv"])[key]
