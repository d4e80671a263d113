"""Pure functions that turn knowledge-base records into message text, using the labels in templates.yml."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from knowledge.records import BenefitInfo, Council, Duty, PhoneInfo, ProcedureInfo, Provenance, ServiceInfo, owed_by
from lvnorm.residence import NOWHERE

_TEMPLATES = Path(__file__).resolve().parent / "templates.yml"


@cache
def _labels() -> dict:
    with open(_TEMPLATES, encoding="utf-8") as fh:
        return yaml.load(fh, yaml.CSafeLoader)


def templates(language: str = "lv") -> dict:
    """The card labels of one language (read once)."""
    return _labels()[language]


def topic_titles(language: str) -> dict[str, str]:
    """What a topic is called wherever it is offered: the buttons under an answer, the menus, the handoff summary."""
    titles: dict[str, str] = templates(language)["topic_titles"]
    return titles


def city_buttons(language: str, intent: str) -> list[dict]:
    """The seven state cities as buttons that send `intent` with the city as the place (one list for every place
    question: the shelter form, the document plan, the fallback when a municipality has no shelter)."""
    return [{"title": title, "payload": f'/{intent}{{"municipality": "{city}"}}'}
            for city, title in templates(language)["state_cities"].items()]


def person_button(language: str, reason: str) -> dict:
    """A person (the volunteer handoff), with why it was offered: "no_data", "asked"."""
    return {"title": topic_titles(language)["request_handoff"], "payload": f"#h:{reason}"}


def localized(record, language: str):
    """The record with its Russian texts when the person reads Russian (knowledge/data/ru.yaml). Proper names,
    addresses and numbers stay Latvian; a service's name gets a short Russian explanation after it."""
    ru = getattr(record, "ru", None)
    if language != "ru" or not ru:
        return record
    changes = {}
    for key in ("hours_text", "where_text", "cost_text", "deadline_text", "amount_text", "rule"):
        if ru.get(key) and hasattr(record, key):
            changes[key] = ru[key]
    for key in ("conditions", "summary", "bring"):
        if ru.get(key) is not None and hasattr(record, key):
            changes[key] = tuple(ru[key])
    if isinstance(record, ServiceInfo):
        if ru.get("name_hint"):
            changes["name"] = f"{record.name} ({ru['name_hint']})"
        labels = ru.get("phone_labels") or []
        changes["phones"] = tuple(
            PhoneInfo(p.number, labels[i] if i < len(labels) and labels[i] else p.label, p.note)
            for i, p in enumerate(record.phones))
    elif ru.get("name"):
        changes["name"] = ru["name"]
    return replace(record, **changes)


def source_label(url: str) -> str:
    """A short, readable name of the source: its host without 'www.' (the first of several URLs)."""
    first = url.split(";")[0].strip()
    host = urlsplit(first).netloc or first
    return host.removeprefix("www.").removeprefix("m.")


def source_date(value: str | None, language: str = "lv") -> str | None:
    """'2024-10' -> '2024. gada oktobris'; '2024-10-01' -> '01.10.2024.'; None stays None."""
    if not value:
        return None
    t = templates(language)
    parts = value.split("-")
    if len(parts) == 1:
        return t["date_year"].format(year=parts[0])
    if len(parts) == 2:
        return t["date_month"].format(year=parts[0], month=t["months"][int(parts[1]) - 1])
    return t["date_day"].format(day=parts[2], month_number=parts[1], year=parts[0])


def phones(service: ServiceInfo, language: str = "lv") -> str | None:
    """'63485269 (dežurants), 63485270' or None when the service has no number."""
    if not service.phones:
        return None
    t = templates(language)
    return ", ".join(t["phone_label"].format(number=p.number, label=p.label) if p.label else p.number for p in service.phones)


def provenance_lines(record: ServiceInfo | ProcedureInfo | BenefitInfo, language: str = "lv",
                     shown: tuple[str, ...] = ()) -> list[str]:
    """Where the facts come from, how old they are, and a call-ahead warning when they are not verified. A shown
    fact (`shown`: address, phones, hours, amount) with a source of its own gets its own line and date."""
    t = templates(language)
    prov: Provenance = record.provenance
    date = source_date(prov.source_date, language)
    source = source_label(prov.source_url)
    lines = [t["card_source"].format(source=source, date=date) if date else t["card_source_undated"].format(source=source)]
    council: Council | None = getattr(record, "council", None)  # a fact of the municipality, with its own page
    for fact in (*prov.facts, *((council.fact,) if council else ())):
        if fact.field not in shown:
            continue
        name = t["fact_fields"][fact.field]
        if fact.by_phone and prov.verified_how == "phone" and fact.date == prov.verified_on:
            continue  # the whole record was checked by that call: said once, below
        if fact.by_phone:
            lines.append(t["card_fact_by_phone"].format(field=name, date=source_date(fact.date, language)))
        elif fact.date is None:
            lines.append(t["card_fact_source_undated"].format(field=name, source=source_label(fact.source_url or "")))
        else:
            lines.append(t["card_fact_source"].format(field=name, source=source_label(fact.source_url or ""),
                                                      date=source_date(fact.date, language)))
    if prov.verified_how == "phone":
        lines.append(t["card_checked_by_phone"].format(date=source_date(prov.verified_on, language)))
    if prov.call_ahead:
        lines.append(t["card_call_ahead"])
    return lines


def service_card(service: ServiceInfo, language: str = "lv", with_conditions: bool = True) -> str:
    """One message about one service: name, address, hours, conditions, phone, source and date."""
    t = templates(language)
    service = localized(service, language)
    lines = [t["card_name"].format(name=service.name)]
    if service.address:
        lines.append(t["card_address"].format(address=service.address))
    if service.hours_text:
        lines.append(t["card_hours"].format(hours=service.hours_text))
    if service.open_now is False and service.opens_at is not None:
        day, time = service.opens_at
        lines.append(t["card_opens"][day].format(time=time))
    elif service.entry_over is not None:
        lines.append(t["card_entry_over"].format(time=service.entry_over))
    elif service.open_now is not None:
        lines.append(t["card_open_now"] if service.open_now else t["card_closed_now"])
    if with_conditions:
        lines.extend(t["card_conditions"].format(conditions=c) for c in service.conditions)
        if service.bring:
            lines.append(t["card_bring"].format(bring=", ".join(service.bring)))
    if service.residence_required:
        lines.append(t["card_residence_required"])
    number = phones(service, language)
    council = None if number else service.council  # no number of its own: its municipality's office, said so
    if number:
        lines.append(t["card_phones"].format(phones=number))
    elif council:
        lines.append(t["card_council_phone"].format(phone=council.phone,
                                                    where=f" ({council.address})" if council.address else ""))
    else:
        lines.append(t["card_no_phone"])
    if service.distance_km is not None:
        km = max(1, round(service.distance_km))
        label = {"exact": "card_distance", "town": "card_distance_town"}.get(service.location_precision or "",
                                                                            "card_distance_centre")
        lines.append(t[label].format(km=km))
    shown = tuple(k for k, v in (("address", service.address), ("hours", service.hours_text),
                                 ("phones", service.phones), ("council", council)) if v)
    lines.extend(provenance_lines(service, language, shown))
    return "\n".join(lines)


def procedure_card(step: ProcedureInfo, language: str = "lv") -> str:
    """One message about one step: what, where, what to bring, cost, deadline, source and date."""
    t = templates(language)
    step = localized(step, language)
    lines = [t["step_name"].format(name=step.name)] + [t["step_line"].format(line=x) for x in step.summary]
    if step.where_text:
        lines.append(t["step_where"].format(where=step.where_text))
    if step.bring:
        lines.append(t["step_bring"].format(bring=", ".join(step.bring)))
    if step.cost_text:
        lines.append(t["step_cost"].format(cost=step.cost_text))
    if step.deadline_text:
        lines.append(t["step_deadline"].format(deadline=step.deadline_text))
    return "\n".join(lines + provenance_lines(step, language))


def benefit_card(benefit: BenefitInfo, language: str = "lv") -> str:
    """One message about one benefit: amount, conditions, what to bring, deadline, source and date."""
    t = templates(language)
    benefit = localized(benefit, language)
    lines = [t["benefit_name"].format(name=benefit.name)]
    if benefit.amount_text:
        lines.append(t["benefit_amount"].format(amount=benefit.amount_text))
    lines += [t["step_line"].format(line=x) for x in benefit.conditions]
    if benefit.bring:
        lines.append(t["step_bring"].format(bring=", ".join(benefit.bring)))
    if benefit.deadline_text:
        lines.append(t["step_deadline"].format(deadline=benefit.deadline_text))
    return "\n".join(lines + provenance_lines(benefit, language, ("amount",) if benefit.amount_text else ()))


def duties_card(duties: list[Duty], declared: str | None, present: str | None, language: str = "lv",
                role: str | None = None) -> str:
    """Which municipality owes which help: named where the person's two places are known, the rule where not; about
    "your relative" or "the client" when a relative or a worker writes (`role`)."""
    t = templates(language)
    lines = [t["duties_title"]]
    duties = [d for d in duties if d.basis != "nowhere" or declared == NOWHERE]
    for duty in duties:
        duty = localized(duty, language)
        where = owed_by(duty, declared, present)
        if duty.basis == "declared" and where and where == declared:
            lines.append(t["duty_declared_for"].get(role, t["duty_declared"]).format(name=duty.name, municipality=where))
        elif duty.basis == "present" and where:
            lines.append(t["duty_present_for"].get(role, t["duty_present"]).format(name=duty.name, municipality=where))
        else:
            lines.append(t["duty_rule"].format(name=duty.name, rule=duty.rule))
    sources = dict.fromkeys(
        f"{source_label(d.provenance.source_url)}, {source_date(d.provenance.source_date, language)}"
        if d.provenance.source_date else source_label(d.provenance.source_url) for d in duties)
    lines.append(t["duties_sources"].format(sources="; ".join(sources)))
    if any(d.provenance.call_ahead for d in duties):  # a rule read from one municipality's page, or undated
        lines.append(t["duties_check"])
    return "\n".join(lines)


def night_plan(first: ServiceInfo, second: ServiceInfo | None, language: str = "lv", no_data_in: str | None = None,
               office: ServiceInfo | None = None) -> str:
    """One message for tonight: where to go (the whole card: address, hours, who, what to bring, phone, source),
    where next if it is full (and how far), the social service for its working hours, and 112 on a freezing night.
    `no_data_in`: the person's municipality, which has no shelter on record (the places are elsewhere)."""
    t = templates(language)
    title = t["night_title_elsewhere"].format(municipality=no_data_in) if no_data_in else t["night_title"]
    lines = [title, service_card(first, language)]
    if second is not None:
        lines.append(t["night_if_full"].format(place=in_a_line(second, language)))
    if office is not None:
        lines.append(t["night_office"].format(place=in_a_line(office, language)))
    lines.append(t["night_freezing"])
    return "\n".join(lines)


def in_a_line(service: ServiceInfo, language: str = "lv") -> str:
    """A place in one line: its name (whom it takes only, how far), address and phone, each only when known."""
    t = templates(language)
    service = localized(service, language)
    notes = [t["only_for"].get(service.gender or "")]  # the next place may take only women or only men: say so
    if service.distance_km is not None:
        notes.append(t["night_km"].format(km=max(1, round(service.distance_km))))
    note = "; ".join(n for n in notes if n)
    number = phones(service, language)
    parts = [f"{service.name} ({note})" if note else service.name, service.address,
             t["night_phone"].format(phones=number) if number else None]
    return ", ".join(p for p in parts if p)
