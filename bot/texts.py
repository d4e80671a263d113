"""The front door's own messages: what it says when Rasa cannot, and about input it cannot read."""

from __future__ import annotations

TEXTS = {
    "lv": {
        "unavailable": (
            "Atvainojiet, šobrīd nevaru atbildēt pilnībā.\n"
            "Ja ir briesmas, zvaniet 112. Ja ir ļoti smagi: 116123 (diennaktī, bez maksas)."
        ),
        "not_text": "Es protu lasīt tikai tekstu. Lūdzu, uzrakstiet savu jautājumu vārdiem.",
        "edited": "Laboto ziņu es neredzu. Lūdzu, uzrakstiet to vēlreiz kā jaunu ziņu.",
        "location_none": "Pēc atrašanās vietas vēl nevaru meklēt. Uzrakstiet pilsētas vai novada nosaukumu.",
        "location_intro": "Tuvākās vietas (jūsu atrašanās vietu neglabāju):",
        "empty": "Ziņa ir tukša. Uzrakstiet, ko jūs meklējat, piemēram: “Kur pārnakšņot Rīgā?”",
        "too_long": "Ziņa ir ļoti gara, tāpēc izlasīju tikai tās sākumu.",
        "button_expired": "Šī poga vairs nedarbojas. Lūdzu, uzrakstiet, ko meklējat.",
        "forgotten": "Viss, ko par jums glabāju, ir izdzēsts. Varat sākt no jauna ar “Sveiki”.",
        "forget_failed": "Dzēšana šobrīd neizdevās. Lūdzu, mēģiniet vēlreiz pēc brīža.",
        "unknown_command": "Šādas komandas nav. Rakstiet vārdiem vai izmantojiet /palidziba.",
        "slow_down": "Jūs rakstāt ļoti ātri. Lūdzu, pagaidiet dažas sekundes un uzrakstiet vēlreiz.",
        "start_privacy": (
            "Man nav jāzina jūsu vārds, un es nejautāju par sodu.\n"
            "Jūsu Telegram ID es neglabāju; /mani_dati parāda, kas ir saglabāts, /dzest to izdzēš."
        ),
        "choose_language": "Izvēlieties valodu. Выберите язык.",
        "my_data": (
            "Par jums glabāju: {messages} ziņas šajā sarunā; ko atceros: {remembered}; neatbildētas ziņas: {held}; "
            "dokumentu plāns: {checklist}.\n"
            "Jūsu vārdu un Telegram ID neglabāju. Visu izdzēst: /dzest"
        ),
        "my_data_none": "Par jums neko neglabāju.",
        "nothing": "neko",
        "yes": "ir",
        "no": "nav",
        "slot_municipality": "vieta",
        "slot_language": "valoda",
        "store_unavailable": "Šobrīd nevaru to pārbaudīt. Lūdzu, mēģiniet vēlāk.",
        "fallback_shelter": (
            "Naktsmītni palīdz atrast pašvaldības sociālais dienests. Naktspatversmes ir visās valstspilsētās. "
            "Ja ir sals vai briesmas, zvaniet 112."
        ),
    },
    "ru": {
        "unavailable": (
            "Извините, сейчас не могу ответить полностью.\n"
            "Если есть опасность, звоните 112. Если очень тяжело: 116123 (круглосуточно, бесплатно)."
        ),
        "not_text": "Я умею читать только текст. Пожалуйста, напишите вопрос словами.",
        "edited": "Исправленное сообщение я не вижу. Пожалуйста, напишите его ещё раз новым сообщением.",
        "location_none": "По местоположению я пока искать не умею. Напишите название города или края.",
        "location_intro": "Ближайшие места (ваше местоположение я не храню):",
        "empty": "Сообщение пустое. Напишите, что вы ищете, например: «Где переночевать в Риге?»",
        "too_long": "Сообщение очень длинное, я прочитал только его начало.",
        "button_expired": "Эта кнопка больше не работает. Пожалуйста, напишите, что вы ищете.",
        "forgotten": "Всё, что я о вас хранил, удалено. Можно начать заново.",
        "forget_failed": "Удалить сейчас не получилось. Пожалуйста, попробуйте чуть позже.",
        "unknown_command": "Такой команды нет. Пишите словами или используйте /pomosch.",
        "slow_down": "Вы пишете очень быстро. Пожалуйста, подождите несколько секунд и напишите ещё раз.",
        "start_privacy": (
            "Мне не нужно знать ваше имя, и я не спрашиваю о наказании.\n"
            "Ваш Telegram ID я не храню; /moi_dannye покажет, что сохранено, /udalit всё удалит."
        ),
        "choose_language": "Izvēlieties valodu. Выберите язык.",
        "my_data": (
            "О вас хранится: {messages} сообщений в этом разговоре; что я помню: {remembered}; "
            "сообщений без ответа: {held}; план документов: {checklist}.\nВаше имя и Telegram ID не хранятся. "
            "Удалить всё: /udalit"
        ),
        "my_data_none": "О вас ничего не хранится.",
        "nothing": "ничего",
        "yes": "есть",
        "no": "нет",
        "slot_municipality": "место",
        "slot_language": "язык",
        "store_unavailable": "Сейчас не могу это проверить. Пожалуйста, попробуйте позже.",
        "fallback_shelter": (
            "С ночлегом помогает социальная служба самоуправления (sociālais dienests). Ночлежки есть во всех "
            "государственных городах. Если мороз или опасность, звоните 112."
        ),
    },
}


def text(key: str, language: str = "lv") -> str:
    """A front-door message in the given language (Latvian when unknown)."""
    return TEXTS.get(language, TEXTS["lv"])[key]
