"""The document plan for print: the plan's records and each step's lines, and the PDF of a stored plan. Shared by
the action server (the plan in the chat) and the front door (which renders the PDF, so none is ever stored)."""

from __future__ import annotations

import datetime as dt

from cards import checklist_pdf
from cards.render import localized, templates
from knowledge.checklist import PHASES, Plan, Situation, plan, steps
from knowledge.hours import RIGA
from knowledge.records import BenefitInfo, ProcedureInfo, owed_by
from knowledge.repository import KnowledgeRepository
from lvnorm.residence import NOWHERE, UNKNOWN


def today() -> dt.date:
    """Today in Latvia."""
    return dt.datetime.now(RIGA).date()


def records(repo: KnowledgeRepository, situation: Situation) -> tuple[dict, dict]:
    """(planner records, procedure and benefit details) for the steps of the plan. The release benefit is the one
    of the municipality that owes it (knowledge/data/duties.yaml): the declared one when known."""
    procs = repo.procedures([s["procedure"] for s in steps() if s.get("procedure")])
    duty = next((d for d in repo.duties() if d.id == "release_benefit"), None)
    owes = owed_by(duty, situation.declared, situation.municipality) if duty else situation.municipality
    benefits = repo.benefits(["release_benefit"], owes)
    records_ = {p.id: {"requires": list(p.requires), "deadline_days_after_release": p.deadline_days_after_release}
                for p in procs}
    details: dict[str, ProcedureInfo | BenefitInfo] = {p.id: p for p in procs}
    if benefits:  # the municipality's own release benefit first, else the national description
        b = benefits[0]
        records_["release_benefit"] = {"bring": list(b.bring_ids),
                                       "deadline_days_after_release": b.deadline_days_after_release}
        details["release_benefit"] = b
    return records_, details


def name(item, details) -> str:
    """A step's name, from its record when there is one."""
    record = details.get(item.record)
    return record.name if record else item.record


def item_lines(item, details, t) -> list[str]:
    """A step as lines of the plan: its mark and name, what comes first, where, by when."""
    record = details.get(item.record)
    mark = {"todo": "item_todo", "blocked": "item_blocked", "done": "item_done"}[item.status]
    lines = [t[mark].format(name=name(item, details))]
    if item.blocked_by:
        lines.append(t["item_first"].format(names=", ".join(_name_of_step(b, details) for b in item.blocked_by)))
    where = getattr(record, "where_text", None)
    if where:
        lines.append(t["item_where"].format(where=where))
    if item.overdue:
        lines.append(t["item_overdue"].format(date=item.deadline.strftime("%d.%m.%Y.")))
    elif item.deadline:
        lines.append(t["item_deadline"].format(date=item.deadline.strftime("%d.%m.%Y.")))
    elif getattr(record, "deadline_text", None):
        lines.append(t["item_deadline_text"].format(text=record.deadline_text))
    return lines


def _name_of_step(step: str, details) -> str:
    record_id = next((s.get("procedure") or s.get("benefit") for s in steps() if s["id"] == step), step)
    record = details.get(record_id)
    return record.name if record else step


def open_step_lines(repo: KnowledgeRepository, situation: Situation, language: str, limit: int | None = None,
                    blocked: bool = False) -> list[str]:
    """The plan's steps that can be done now (and, with `blocked`, those waiting for another) as lines: name, what
    comes first, where, by when; the first `limit` of them."""
    records_, details = records(repo, situation)
    details = {k: localized(v, language) for k, v in details.items()}
    t = templates(language)
    wanted = ("todo", "blocked") if blocked else ("todo",)
    items = [i for i in plan(situation, records_, today()).items if i.status in wanted][:limit]
    return [line for i in items for line in item_lines(i, details, t)]


def declared_label(declared: str | None, t: dict) -> str:
    """The declared residence as the plan shows it: a municipality, "none", or "not known"."""
    return t["plan_declared_none"] if declared == NOWHERE else (
        t["plan_unknown"] if declared in (None, UNKNOWN) else declared)


def basis(situation: Situation, t: dict) -> list[str]:
    """What the plan was made from, in the chat and on the PDF: the place, the release, the declared residence (some
    of it read from what the person wrote before the questions: actions/checklist.told_before)."""
    release = (situation.release_date.strftime("%d.%m.%Y.") if situation.release_date
               else t["plan_unknown"] if situation.has.get("release_certificate") != "no" else t["plan_not_released"])
    return [t["plan_for"].format(municipality=situation.municipality or t["plan_unknown"], release=release),
            t["plan_declared"].format(declared=declared_label(situation.declared, t))]


def _pdf(situation: Situation, the_plan: Plan, details: dict, language: str) -> bytes:
    """The plan as a printable PDF."""
    t = templates(language)
    title = basis(situation, t)
    phases = []
    for phase in PHASES:
        items = []
        for item in (i for i in the_plan.items if i.phase == phase):
            record = details.get(item.record)
            # DejaVu has no emoji: the clock mark stays in the chat, the PDF says it in words.
            lines = [line.replace("⏰", "").strip() for line in item_lines(item, details, t)[1:]]
            bring, cost = getattr(record, "bring", None), getattr(record, "cost_text", None)
            if bring:
                lines.append(t["pdf_bring"].format(bring=", ".join(bring)))
            if cost:
                lines.append(t["pdf_cost"].format(cost=cost))
            items.append({"mark": "☑" if item.status == "done" else "☐", "name": name(item, details), "lines": lines,
                          "source": record.provenance.source_url if record else "",
                          "date": record.provenance.source_date if record else None})
        if items:
            phases.append((t[f"phase_{phase}"], items))
    return checklist_pdf.render(title, phases, language, today())


def plan_pdf(situation: Situation, repo: KnowledgeRepository, language: str) -> bytes:
    """The PDF of a stored plan, in the person's language."""
    records_, details = records(repo, situation)
    details = {k: localized(v, language) for k, v in details.items()}
    return _pdf(situation, plan(situation, records_, today()), details, language)
