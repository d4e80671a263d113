"""The front door's own messages: what it says when Rasa cannot, and about input it cannot read."""

from __future__ import annotations

TEXTS = {
    "lv": {
        "crisis": (
            "🆘 Ja ir briesmas dzīvībai, zvaniet 112 tagad. Ātrā palīdzība: 113.\n"
            "Ja ir ļoti smagi vai ir domas par pašnāvību: 116123 (krīzes tālrunis “Skalbes”, diennaktī, bez maksas)."
        ),
        "crisis_third": (
            "🆘 Zvaniet 112 tagad. Ātrā palīdzība: 113.\n"
            "Ja tas ir droši, palieciet pie viņa un neatstājiet vienu, līdz atbrauc palīdzība.\n"
            "Arī jums pašam var palīdzēt 116123 (diennaktī, bez maksas)."
        ),
        "crisis_again": "🆘 112 · ātrā palīdzība 113 · krīzes tālrunis 116123",
        "distress_line": "Ja ir ļoti grūti, var parunāt ar cilvēku: 116123 (diennaktī, bez maksas).",
        "unavailable": "Atvainojiet, šobrīd nevaru atbildēt pilnībā. Lūdzu, mēģiniet vēlreiz pēc brīža.",
        "held": "Jūsu jautājumu saglabāju. Kad atkal varēšu atbildēt, piedāvāšu uz to atbildēt (glabāju ne ilgāk par {held_days} dienām).",
        "held_offer": "Iepriekš jūs jautājāt: “{words}”. Vai atbildēt tagad?",
        "btn_held_answer": "Jā, atbildēt",
        "document_failed": "Dokumentu šobrīd izveidot neizdevās. Lūdzu, mēģiniet vēlreiz pēc brīža.",
        "forgotten_wait": "Jūsu dati tikko izdzēsti. Lūdzu, pagaidiet minūti un mēģiniet vēlreiz.",
        "language_name_lv": "latviešu",
        "language_name_ru": "krievu",
        "not_text": "Es protu lasīt tikai tekstu. Lūdzu, uzrakstiet savu jautājumu vārdiem.",
        "edited": "Laboto ziņu es neredzu. Lūdzu, uzrakstiet to vēlreiz kā jaunu ziņu.",
        "location_none": "Tuvumā neko neatradu. Uzrakstiet pilsētas vai novada nosaukumu.",
        "location_intro": "Tuvākās vietas (jūsu atrašanās vietu neglabāju):",
        "empty": "Ziņa ir tukša. Uzrakstiet, ko jūs meklējat, piemēram: “Kur pārnakšņot Rīgā?”",
        "too_long": "Ziņa ir ļoti gara, tāpēc izlasīju tikai tās sākumu.",
        "button_expired": "Šī poga vairs nedarbojas. Lūdzu, uzrakstiet, ko meklējat.",
        "forgotten": "Viss, ko par jums glabāju, ir izdzēsts. Varat sākt no jauna ar “Sveiki”.",
        "forget_failed": "Dzēšana šobrīd neizdevās. Lūdzu, mēģiniet vēlreiz pēc brīža.",
        "unknown_command": "Šādas komandas nav. Rakstiet vārdiem vai izmantojiet /palidziba.",
        "slow_down": "Jūs rakstāt ļoti ātri. Lūdzu, pagaidiet dažas sekundes un uzrakstiet vēlreiz.",
        "reminder_set": "Labi. Rīt plkst. {time} uzrakstīšu, ar ko sākt dienu.",
        "reminder_today": "Labi. Šodien plkst. {time} uzrakstīšu, ar ko sākt dienu.",
        "reminder_on": "Labi. {date} plkst. {time} (nākamajā darba dienā) uzrakstīšu, ar ko sākt dienu.",
        "reminder_cancelled": "Atgādinājums atcelts.",
        "btn_reminder_cancel": "Atcelt atgādinājumu",
        "reminder_telegram_only": "Atgādinājumu varu nosūtīt tikai Telegram.",
        "reminder_refused": "Pēc /dzest es minūti neko nesaglabāju. Lūdzu, pamēģiniet vēlāk.",
        "checkin_set": "Labi. Rīt plkst. {time} pajautāšu, vai izdevās. Ja nevajag, uzrakstiet “stop”.",
        "checkin_today": "Labi. Šodien plkst. {time} pajautāšu, vai izdevās. Ja nevajag, uzrakstiet “stop”.",
        "checkin_no": "Labi, nejautāšu.",
        "checkin_stopped": "Labi, vairs nejautāšu.",
        "checkin_telegram_only": "Pajautāt varu tikai Telegram.",
        "checkin_q_shelter": "Labdien! Vakar runājām par šo vietu: {name}. Vai izdevās dabūt gultu?",
        "checkin_q_food": "Labdien! Vakar runājām par šo vietu: {name}. Vai izdevās paēst?",
        "checkin_q_social_service": "Labdien! Vakar runājām par šo vietu: {name}. Vai sociālais dienests palīdzēja?",
        "btn_checkin_yes": "Jā",
        "btn_checkin_full": "Bija pilns",
        "btn_checkin_closed": "Bija slēgts",
        "btn_checkin_refused": "Atteica",
        "btn_checkin_not_gone": "Negāju",
        "btn_checkin_other": "Cits",
        "btn_checkin_stop": "Vairs nejautāt",
        "checkin_thanks": "Paldies, ka pastāstījāt. Ja vajag vēl ko, rakstiet.",
        "checkin_doubt": "Paldies. Šo vietu pārbaudīsim. Ja vajag citu vietu, uzrakstiet, kur esat.",
        "checkin_why": "Kāpēc atteica?",
        "btn_reason_no_address": "Nav dzīvesvietas",
        "btn_reason_no_income_docs": "Nav ienākumu vai konta papīru",
        "btn_reason_deadline": "Nokavēts termiņš",
        "btn_reason_no_nva": "Nav reģistrācijas NVA",
        "btn_reason_declared_elsewhere": "Deklarēts citur",
        "btn_reason_not_eligible": "Neatbilstu prasībām",
        "btn_reason_other": "Cits iemesls",
        "checkin_refusal": "Paldies, ka pastāstījāt. Te ir, ko var darīt tālāk:",
        "btn_checkin_what_now": "Ko darīt, ja atteica",
        "morning_plan": "Labrīt! Šodienas pirmie soļi no jūsu plāna:",
        "morning_place": "Labrīt! Šodien vispirms – sociālais dienests ({municipality}).",
        "morning_unknown": "Labrīt! Uzrakstiet, kurā pilsētā esat, un es pateikšu, kur iet šodien.",
        "shared_plan_no_plan": "Vispirms sagatavojiet plānu: /saraksts. Tad to varēs nodot.",
        "shared_plan_link": (
            "Pārsūtiet šo saiti cilvēkam, kam plāns paredzēts. To var atvērt vienu reizi {days} dienu laikā, un tajā "
            "nav nekā personiska:\n{link}\nJums pateikšu tikai to, ka saite ir atvērta."
        ),
        "shared_plan_opened": "Jūsu nodoto plānu atvēra.",
        "shared_plan_preview": "Jums ir sagatavots dokumentu plāns. Pirmie soļi:",
        "shared_plan_consent": (
            "Vai saglabāt šo plānu kā jūsu plānu? Ja jums jau ir plāns, šis to aizstās. Glabāšu to {days} dienas pēc "
            "pēdējām izmaiņām; /dzest to izdzēš."
        ),
        "shared_plan_taken": "Saglabāts. Jūsu plāns:",
        "shared_plan_declined": "Labi, nesaglabāju. Saite vairs nav derīga.",
        "shared_plan_invalid": "Šī saite jau ir izmantota, atcelta vai novecojusi.",
        "shared_plan_cancelled": "Saite atcelta.",
        "shared_plan_nothing_to_cancel": "Nav nevienas saites, ko atcelt.",
        "btn_shared_plan_cancel": "Atcelt saiti",
        "btn_shared_plan_take": "Jā, saglabāt",
        "btn_shared_plan_decline": "Nē",
        "start_privacy": (
            "Man nav jāzina jūsu vārds, un es nejautāju par sodu.\n"
            "Sarunu glabāju ar kodu, nevis ar jūsu Telegram ID, {conversation_days} dienas pēc pēdējās ziņas. "
            "/mani_dati parāda, kas ir saglabāts, /dzest visu izdzēš."
        ),
        "choose_language": "Izvēlieties valodu. Выберите язык.",
        "my_data": (
            "Par jums glabāju: {messages} ziņas šajā sarunā ({conversation_days} dienas pēc pēdējās); ko atceros: {remembered}; "
            "neatbildētas ziņas: {held} (līdz {held_days} dienām); dokumentu plāns: {checklist} ({checklist_days} dienas pēc pēdējām izmaiņām); "
            "jautājumi brīvprātīgajiem: {requests} ({handoff_days} dienas pēc slēgšanas); rīta atgādinājums: {reminder} "
            "(līdz nosūtīšanai); nodotā plāna saites: {shared} (līdz atvēršanai, ne ilgāk par 7 dienām); jautājums, vai "
            "izdevās: {checkin} (līdz atbildei, ne ilgāk par {checkin_days} dienām).\n"
            "Jūsu vārdu neglabāju. Telegram ID glabāju tikai šifrētu: kamēr brīvprātīgais var jums atbildēt, līdz rīta "
            "atgādinājumam vai jautājumam, vai izdevās, vai līdz jūsu nodotā plāna saite ir atvērta, un tad izdzēšu. "
            "Visu izdzēst: /dzest"
        ),
        "my_data_none": "Par jums neko neglabāju.",
        "nothing": "neko",
        "yes": "ir",
        "no": "nav",
        "unknown": "nav zināms",
        "slot_municipality": "vieta",
        "slot_language": "valoda",
        "slot_requester": "par ko rakstāt",
        "slot_declared_municipality": "deklarētā dzīvesvieta",
        "store_unavailable": "Šobrīd nevaru to pārbaudīt. Lūdzu, mēģiniet vēlāk.",
        "fallback_shelter": (
            "Naktsmītni palīdz atrast pašvaldības sociālais dienests. Naktspatversmes ir visās valstspilsētās. "
            "Ja ir sals vai briesmas, zvaniet 112."
        ),

        "handoff_consent": (
            "Brīvprātīgajam (cilvēkam, nevis robotam) nosūtīšu tikai šo:\n{summary}\n"
            "Jūsu vārdu un Telegram kontu brīvprātīgais neredzēs. Vai sūtīt?"
        ),
        "report_consent": "Pārbaudei nosūtīšu tikai šo:\n{summary}\nVai sūtīt?",
        "sum_topics": "Tēmas: {topics}",
        "sum_no_topics": "nav norādītas",
        "sum_shown": "Rādītās ziņas: {shown}",
        "sum_place": "Vieta: {place}",
        "sum_unknown": "nav zināma",
        "sum_urgent": "Steidzami (krīze)",
        "sum_words": "Jūsu vārdiem: “{words}”",
        "btn_send": "Jā, sūtīt",
        "btn_add_words": "Pievienot savus vārdus",
        "btn_dont_send": "Nē, nesūtīt",
        "btn_withdraw": "Atsaukt",
        "btn_crisis_handoff": "Lai man uzraksta cilvēks",
        "btn_handoff": "Runāt ar cilvēku",
        "handoff_ask_words": "Uzrakstiet vienā ziņā, ko vēl pateikt brīvprātīgajam.\nVārds, personas kods un sods nav vajadzīgi.",
        "handoff_gone": "Šis pieprasījums vairs nav spēkā. Ja vajag cilvēku, rakstiet /cilveks.",
        "handoff_cancelled": "Labi, neko nenosūtīju.",
        "handoff_sent": (
            "Nosūtīts brīvprātīgajiem (Nr. {id}).\nKad kāds to pieņems, es jums uzrakstīšu šeit. Līdz tam atbild robots."
        ),
        "handoff_sent_after_hours": (
            "Nosūtīts (Nr. {id}).\nBrīvprātīgie atbild no {start} līdz {end}, tāpēc atbilde būs darba laikā.\n"
            "Ja gribat runāt ar cilvēku tagad: 116123 (diennaktī, bez maksas)."
        ),
        "handoff_queued": (
            "Saglabāts rindā (Nr. {id}), bet brīvprātīgajiem to vēl neizdevās paziņot. Mēģināšu vēlreiz; atbilde var "
            "kavēties.\nPa to laiku zvaniet sociālajam dienestam darba laikā. Ar cilvēku var runāt arī pa 116123 "
            "(diennaktī, bez maksas)."
        ),
        "handoff_too_many": (
            "Šodien jau esat vairākas reizes rakstījis brīvprātīgajiem. Jūsu jautājumi ir rindā, viņi atbildēs.\n"
            "Ar cilvēku var runāt arī pa 116123 (diennaktī, bez maksas)."
        ),
        "handoff_already_open": "Jūsu jautājums jau ir rindā (Nr. {id}). Brīvprātīgais jums uzrakstīs šeit.",
        "report_already": "Tas jau ir nosūtīts pārbaudei (Nr. {id}). Paldies!",
        "report_sent": "Paldies! Nosūtīts pārbaudei (Nr. {id}).\nPirms došanās vienmēr labāk piezvaniet.",
        "handoff_claimed": (
            "🙋 Jūsu jautājumu pieņēma brīvprātīgais {name}.\n"
            "Tagad jums atbild cilvēks, nevis robots. Lai atgrieztos pie robota: /beigt"
        ),
        "from_volunteer": "🙋 {name}: {words}",
        "relayed": "✓ Nodots brīvprātīgajam.",
        "relay_failed": "Brīvprātīgajam ziņu nodot neizdevās. Lūdzu, mēģiniet vēlreiz pēc brīža.",
        "handoff_resolved": "Brīvprātīgais sarunu pabeidza. Tagad atkal atbild robots.\nJa vajag cilvēku vēlreiz: /cilveks",
        "handoff_ended": "Saruna ar brīvprātīgo ir beigta. Tagad atkal atbild robots.",
        "handoff_withdrawn": "Labi, jūsu jautājums ir atsaukts. Brīvprātīgie to vairs neredzēs.",
        "not_in_handoff": "Jūs šobrīd nerunājat ar brīvprātīgo. Lai sāktu: /cilveks",
        "handoff_handed_back": (
            "Brīvprātīgais nodeva jūsu jautājumu atpakaļ rindā. To pieņems cits brīvprātīgais.\nLīdz tam atbild robots."
        ),
        "handoff_expired": (
            "Jūsu jautājums Nr. {id} ir slēgts, jo ilgi nebija atbildes.\nJa vajag cilvēku, rakstiet /cilveks vēlreiz."
        ),
        "v_refused": "Šī komanda ir tikai brīvprātīgajiem.",
        "v_help": "Brīvprātīgo komandas:",
        "v_queue_empty": "Rinda ir tukša.",
        "v_moderation_empty": "Labojumu nav.",
        "v_queue_head": "Rinda ({n}):",
        "v_moderation_head": "Labojumi ({n}):",
        "v_queue_line": "Nr. {id} · {urgency} · {place} · gaida {minutes} min · {status}{who}",
        "v_queue_foot": "Pieņemt: /nemt NR · Skatīt: /skatit NR",
        "v_status_new": "jauns",
        "v_status_claimed": "pieņemts",
        "v_status_waiting": "gaida personu",
        "v_status_resolved": "atrisināts",
        "v_status_expired": "beidzies termiņš",
        "v_status_draft": "melnraksts",
        "v_status_cancelled": "atsaukts",
        "v_usage": "Lietošana: {usage}",
        "v_claim_failed": "Nr. {id} nevar pieņemt: to jau pieņēma cits, vai tas ir slēgts.",
        "v_claimed": (
            "Nr. {id} ir jūsu. Personai pateicu, ka tagad atbild cilvēks.\n{summary}\n"
            "Atbildēt: /atb {id} teksts · Pabeigt: /gatavs {id} · Atdot: /atdot {id}"
        ),
        "v_not_yours": "Nr. {id} nav jūsu pieņemts vai ir slēgts. Pieņemt: /nemt {id}",
        "v_delivery_failed": "Nr. {id}: personai nosūtīt neizdevās. Mēģiniet vēlreiz.",
        "v_replied": "✓ Nosūtīts personai (Nr. {id}).",
        "v_resolved": "Nr. {id} atrisināts. Robots atkal atbild personai.",
        "v_handed_back": "Nr. {id} atdots rindā.",
        "v_noted": "Piezīme pievienota (Nr. {id}).",
        "v_no_such": "Nr. {id} nav atrasts.",
        "v_note_line": "📝 {at} {by}: {text}",
        "v_status_line": "Statuss: {status}",
        "v_added": "Brīvprātīgais {name} pievienots.",
        "v_removed": "Brīvprātīgais noņemts. Atpakaļ rindā: {n}.",
        "v_volunteers": "Brīvprātīgie ({n}):",
        "v_audit_empty": "Ierakstu nav.",
        "v_sum_head": "Nr. {id} · {urgency} · {place} · valoda: {language}",
        "v_sum_topics": "Tēmas: {topics}",
        "v_sum_shown": "Rādītās ziņas: {shown}",
        "v_sum_words": "Personas vārdiem: “{words}”",
        "v_announce": "{mark} {summary}\nPieņemt: /nemt {id}",
        "v_announce_short": "{mark} Nr. {id} · {urgency} · {place} · pieņemt: /nemt {id}",
        "v_announce_short_moderation": "{mark} 📝 Labojums Nr. {id} · {place} · sīkāk: /skatit {id}",
        "v_announce_short_foot": "Sīkāk (sūtīšu privāti): /skatit NR",
        "v_sent_privately": "Sīkāk nosūtīju jums privāti.",
        "v_start_private_chat": "Sīkāk varu sūtīt tikai privāti: uzrakstiet man privātā sarunā /start un mēģiniet vēlreiz.",
        "v_announce_moderation": "{mark} 📝 Labojums: {summary}\nPārbaudīts: /gatavs {id}",
        "v_announce_repeat": "(Atkārtots paziņojums: iespējams, jau redzēts.)",
        "v_reannounce": "⏰ Vēl neviens nav pieņēmis: Nr. {id} · {urgency} · {place} · gaida {minutes} min\nPieņemt: /nemt {id}",
        "v_person_wrote": "💬 Nr. {id}: {words}\nAtbildēt: /atb {id} teksts",
        "v_person_crisis": "🔴 Nr. {id} (krīze; personai jau doti 112, 113 un 116123): {words}\nAtbildēt: /atb {id} teksts",
        "v_person_left": "Nr. {id}: persona beidza sarunu. Robots atkal atbild.",
        "v_person_forgot": "Nr. {id}: persona izdzēsa savus datus, pieprasījums dzēsts.",
        "v_expired": "Nr. {id}: termiņš beidzies, pieprasījums slēgts.",
    },
    "ru": {
        "crisis": (
            "🆘 Если есть угроза жизни, звоните 112 сейчас. Скорая помощь: 113.\n"
            "Если очень тяжело или есть мысли о самоубийстве: 116123 (кризисный телефон «Skalbes», круглосуточно, "
            "бесплатно, можно по-русски)."
        ),
        "crisis_third": (
            "🆘 Звоните 112 сейчас. Скорая помощь: 113.\n"
            "Если это безопасно, оставайтесь рядом с ним и не оставляйте одного, пока не приедет помощь.\n"
            "Вам самим тоже может помочь 116123 (круглосуточно, бесплатно)."
        ),
        "crisis_again": "🆘 112 · скорая помощь 113 · кризисный телефон 116123",
        "distress_line": "Если очень тяжело, можно поговорить с человеком: 116123 (круглосуточно, бесплатно, по-русски).",
        "unavailable": "Извините, сейчас не могу ответить полностью. Пожалуйста, попробуйте ещё раз чуть позже.",
        "held": "Я сохранил ваш вопрос. Когда снова смогу отвечать, предложу на него ответить (храню не дольше {held_days} дней).",
        "held_offer": "Раньше вы спрашивали: «{words}». Ответить сейчас?",
        "btn_held_answer": "Да, ответить",
        "document_failed": "Документ сейчас создать не получилось. Пожалуйста, попробуйте ещё раз чуть позже.",
        "forgotten_wait": "Ваши данные только что удалены. Пожалуйста, подождите минуту и попробуйте ещё раз.",
        "not_text": "Я умею читать только текст. Пожалуйста, напишите вопрос словами.",
        "edited": "Исправленное сообщение я не вижу. Пожалуйста, напишите его ещё раз новым сообщением.",
        "location_none": "Рядом ничего не нашел. Напишите название города или края.",
        "location_intro": "Ближайшие места (ваше местоположение я не храню):",
        "empty": "Сообщение пустое. Напишите, что вы ищете, например: «Где переночевать в Риге?»",
        "too_long": "Сообщение очень длинное, я прочитал только его начало.",
        "button_expired": "Эта кнопка больше не работает. Пожалуйста, напишите, что вы ищете.",
        "forgotten": "Всё, что я о вас хранил, удалено. Можно начать заново.",
        "forget_failed": "Удалить сейчас не получилось. Пожалуйста, попробуйте чуть позже.",
        "unknown_command": "Такой команды нет. Пишите словами или используйте /pomosch.",
        "slow_down": "Вы пишете очень быстро. Пожалуйста, подождите несколько секунд и напишите ещё раз.",
        "reminder_set": "Хорошо. Завтра в {time} напишу, с чего начать день.",
        "reminder_today": "Хорошо. Сегодня в {time} напишу, с чего начать день.",
        "reminder_on": "Хорошо. {date} в {time} (в следующий рабочий день) напишу, с чего начать день.",
        "reminder_cancelled": "Напоминание отменено.",
        "btn_reminder_cancel": "Отменить напоминание",
        "reminder_telegram_only": "Напоминание я могу прислать только в Telegram.",
        "reminder_refused": "После /udalit я минуту ничего не сохраняю. Пожалуйста, попробуйте позже.",
        "checkin_set": "Хорошо. Завтра в {time} спрошу, получилось ли. Если не нужно, напишите «стоп».",
        "checkin_today": "Хорошо. Сегодня в {time} спрошу, получилось ли. Если не нужно, напишите «стоп».",
        "checkin_no": "Хорошо, не буду спрашивать.",
        "checkin_stopped": "Хорошо, больше не буду спрашивать.",
        "checkin_telegram_only": "Спросить я могу только в Telegram.",
        "checkin_q_shelter": "Здравствуйте! Вчера мы говорили об этом месте: {name}. Удалось получить кровать?",
        "checkin_q_food": "Здравствуйте! Вчера мы говорили об этом месте: {name}. Удалось поесть?",
        "checkin_q_social_service": "Здравствуйте! Вчера мы говорили об этом месте: {name}. Социальная служба помогла?",
        "btn_checkin_yes": "Да",
        "btn_checkin_full": "Мест не было",
        "btn_checkin_closed": "Было закрыто",
        "btn_checkin_refused": "Отказали",
        "btn_checkin_not_gone": "Не ходил(а)",
        "btn_checkin_other": "Другое",
        "btn_checkin_stop": "Больше не спрашивать",
        "checkin_thanks": "Спасибо, что рассказали. Если нужно что-то ещё, пишите.",
        "checkin_doubt": "Спасибо. Мы проверим это место. Если нужно другое место, напишите, где вы.",
        "checkin_why": "Почему отказали?",
        "btn_reason_no_address": "Нет места жительства",
        "btn_reason_no_income_docs": "Нет бумаг о доходах или счёте",
        "btn_reason_deadline": "Пропущен срок",
        "btn_reason_no_nva": "Нет регистрации в NVA",
        "btn_reason_declared_elsewhere": "Задекларирован в другом месте",
        "btn_reason_not_eligible": "Не подхожу по требованиям",
        "btn_reason_other": "Другая причина",
        "checkin_refusal": "Спасибо, что рассказали. Вот что можно сделать дальше:",
        "btn_checkin_what_now": "Что делать, если отказали",
        "morning_plan": "Доброе утро! Первые шаги на сегодня из вашего плана:",
        "morning_place": "Доброе утро! Сегодня сначала – социальная служба (sociālais dienests, {municipality}).",
        "morning_unknown": "Доброе утро! Напишите, в каком городе вы, и я скажу, куда идти сегодня.",
        "shared_plan_no_plan": "Сначала подготовьте план: /spisok. Потом его можно будет передать.",
        "shared_plan_link": (
            "Перешлите эту ссылку человеку, для которого план. Её можно открыть один раз в течение {days} дней, и в ней "
            "нет ничего личного:\n{link}\nЯ скажу вам только, что ссылку открыли."
        ),
        "shared_plan_opened": "Переданный вами план открыли.",
        "shared_plan_preview": "Для вас подготовлен план документов. Первые шаги:",
        "shared_plan_consent": (
            "Сохранить этот план как ваш? Если у вас уже есть план, этот его заменит. Я буду хранить его {days} дней "
            "после последнего изменения; /udalit его удалит."
        ),
        "shared_plan_taken": "Сохранено. Ваш план:",
        "shared_plan_declined": "Хорошо, не сохраняю. Ссылка больше не действует.",
        "shared_plan_invalid": "Эта ссылка уже использована, отменена или устарела.",
        "shared_plan_cancelled": "Ссылка отменена.",
        "shared_plan_nothing_to_cancel": "Нет ссылок, которые можно отменить.",
        "btn_shared_plan_cancel": "Отменить ссылку",
        "btn_shared_plan_take": "Да, сохранить",
        "btn_shared_plan_decline": "Нет",
        "start_privacy": (
            "Мне не нужно знать ваше имя, и я не спрашиваю о наказании.\n"
            "Разговор я храню под кодом, а не под вашим Telegram ID, {conversation_days} дней после последнего сообщения. "
            "/moi_dannye покажет, что сохранено, /udalit всё удалит."
        ),
        "choose_language": "Izvēlieties valodu. Выберите язык.",
        "my_data": (
            "О вас хранится: {messages} сообщений в этом разговоре ({conversation_days} дней после последнего); что я помню: "
            "{remembered}; сообщений без ответа: {held} (до {held_days} дней); план документов: {checklist} ({checklist_days} дней после "
            "последнего изменения); вопросов волонтёрам: {requests} ({handoff_days} дней после закрытия); утреннее "
            "напоминание: {reminder} (до отправки); ссылки на переданный план: {shared} (до открытия, не дольше 7 дней); "
            "вопрос, получилось ли: {checkin} (до ответа, не дольше {checkin_days} дней).\n"
            "Ваше имя не хранится. Telegram ID хранится только зашифрованным: пока волонтёр может вам ответить, до "
            "утреннего напоминания или вопроса, получилось ли, или пока ссылку на переданный вами план не открыли, и "
            "потом удаляется. Удалить всё: /udalit"
        ),
        "my_data_none": "О вас ничего не хранится.",
        "nothing": "ничего",
        "yes": "есть",
        "no": "нет",
        "unknown": "неизвестно",
        "slot_municipality": "место",
        "slot_language": "язык",
        "slot_requester": "о ком пишете",
        "slot_declared_municipality": "задекларированное место жительства",
        "store_unavailable": "Сейчас не могу это проверить. Пожалуйста, попробуйте позже.",
        "fallback_shelter": (
            "С ночлегом помогает социальная служба самоуправления (sociālais dienests). Ночлежки есть во всех "
            "государственных городах. Если мороз или опасность, звоните 112."
        ),

        "handoff_consent": (
            "Волонтёру (человеку, а не роботу) я отправлю только это:\n{summary}\n"
            "Ваше имя и аккаунт Telegram волонтёр не увидит. Отправить?"
        ),
        "report_consent": "На проверку я отправлю только это:\n{summary}\nОтправить?",
        "sum_topics": "Темы: {topics}",
        "sum_no_topics": "не указаны",
        "sum_shown": "Показанные сведения: {shown}",
        "sum_place": "Место: {place}",
        "sum_unknown": "неизвестно",
        "sum_urgent": "Срочно (кризис)",
        "sum_words": "Вашими словами: «{words}»",
        "btn_send": "Да, отправить",
        "btn_add_words": "Добавить своими словами",
        "btn_dont_send": "Нет, не отправлять",
        "btn_withdraw": "Отозвать",
        "btn_crisis_handoff": "Пусть мне напишет человек",
        "btn_handoff": "Поговорить с человеком",
        "handoff_ask_words": "Напишите одним сообщением, что ещё передать волонтёру.\nИмя, персональный код и наказание не нужны.",
        "handoff_gone": "Этот запрос больше не действует. Если нужен человек, напишите /chelovek.",
        "handoff_cancelled": "Хорошо, я ничего не отправил.",
        "handoff_sent": (
            "Отправлено волонтёрам (№ {id}).\nКогда кто-то возьмёт вопрос, я напишу вам здесь. Пока отвечает робот."
        ),
        "handoff_sent_after_hours": (
            "Отправлено (№ {id}).\nВолонтёры отвечают с {start} до {end}, поэтому ответ будет в рабочее время.\n"
            "Если хотите поговорить с человеком сейчас: 116123 (круглосуточно, бесплатно)."
        ),
        "handoff_queued": (
            "Сохранено в очереди (№ {id}), но сообщить волонтёрам пока не получилось. Попробую ещё раз; ответ может "
            "задержаться.\nПока звоните в sociālais dienests (социальную службу) в рабочее время. С человеком можно "
            "поговорить и по 116123 (круглосуточно, бесплатно)."
        ),
        "handoff_too_many": (
            "Сегодня вы уже несколько раз писали волонтёрам. Ваши вопросы в очереди, они ответят.\n"
            "С человеком можно поговорить и по 116123 (круглосуточно, бесплатно)."
        ),
        "handoff_already_open": "Ваш вопрос уже в очереди (№ {id}). Волонтёр напишет вам здесь.",
        "report_already": "Это уже отправлено на проверку (№ {id}). Спасибо!",
        "report_sent": "Спасибо! Отправлено на проверку (№ {id}).\nПеред тем как идти, лучше всегда позвонить.",
        "handoff_claimed": (
            "🙋 Ваш вопрос взял волонтёр {name}.\n"
            "Теперь вам отвечает человек, а не робот. Чтобы вернуться к роботу: /zakonchit"
        ),
        "from_volunteer": "🙋 {name}: {words}",
        "relayed": "✓ Передано волонтёру.",
        "relay_failed": (
            "Передать сообщение волонтёру не получилось. Пожалуйста, попробуйте ещё раз чуть позже."
        ),
        "handoff_resolved": "Волонтёр закончил разговор. Теперь снова отвечает робот.\nЕсли снова нужен человек: /chelovek",
        "handoff_ended": "Разговор с волонтёром закончен. Теперь снова отвечает робот.",
        "handoff_withdrawn": "Хорошо, ваш вопрос отозван. Волонтёры его больше не увидят.",
        "not_in_handoff": "Сейчас вы не разговариваете с волонтёром. Чтобы начать: /chelovek",
        "handoff_handed_back": (
            "Волонтёр вернул ваш вопрос в очередь. Его возьмёт другой волонтёр.\nПока отвечает робот."
        ),
        "handoff_expired": (
            "Ваш вопрос № {id} закрыт, потому что долго не было ответа.\nЕсли нужен человек, напишите /chelovek ещё раз."
        ),
    },
}


def text(key: str, language: str = "lv") -> str:
    """A front-door message in the given language (Latvian when unknown; volunteers' texts exist in Latvian only)."""
    table = TEXTS.get(language, TEXTS["lv"])
    return table[key] if key in table else TEXTS["lv"][key]
