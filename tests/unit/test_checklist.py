"""The document plan on the real procedure and benefit records: 24 situations, their order, deadlines and blocks."""

import datetime as dt

import pytest
import yaml

from knowledge.checklist import Situation, add_working_days, plan
from knowledge.loader import DATA

TODAY = dt.date(2026, 11, 25)
Y, N, U = "yes", "no", "unknown"


@pytest.fixture(scope="module")
def records():
    recs = {p["id"]: p for p in yaml.safe_load((DATA / "procedures.yaml").read_text())}
    recs.update({b["id"]: b for b in yaml.safe_load((DATA / "benefits.yaml").read_text())})
    return recs


def s(released_days_ago=1, **kw):
    has = {k: kw.pop(k) for k in list(kw) if k in
           ("id_document", "release_certificate", "declared_residence", "family_doctor", "bank_account")}
    release = None if released_days_ago is None else TODAY - dt.timedelta(days=released_days_ago)
    return Situation(municipality=kw.pop("municipality", "Rīga"), release_date=release, has=has,
                     probation=kw.pop("probation", U), working_age=kw.pop("working_age", U),
                     done=frozenset(kw.pop("done", ())))


def steps(p, status=None):
    return [i.step for i in p.items if status is None or i.status == status]


# (name, situation, expected: dict of checks)
CASES = [
    ("released yesterday in Rīga with nothing", s(1),
     dict(first="probation_registration", blocked={"residence_declaration": ("id_document",)}, dead_end=True,
          benefit_deadline=dt.date(2026, 12, 24))),
    ("has ID but no residence", s(1, id_document=Y),
     dict(todo={"residence_declaration", "bank_account", "nva_registration"}, dead_end=False,
          blocked={"social_service_application": ("residence_declaration",)})),
    ("40 days after release: the one-month deadline has passed", s(40, id_document=Y, release_certificate=Y),
     dict(overdue={"release_benefit"})),
    ("29 days after release: not yet overdue", s(29, id_document=Y, release_certificate=Y),
     dict(not_overdue={"release_benefit"}, todo={"release_benefit"})),
    ("not yet released, a family member plans ahead", s(None),
     dict(no_deadline={"release_benefit"}, dead_end=True)),
    ("Varakļāni (now Madonas novads)", s(2, municipality="Madonas novads", id_document=Y, declared_residence=Y),
     dict(todo={"social_service_application", "needy_status"}, dead_end=False)),
    ("no probation: no probation step", s(1, probation=N), dict(absent={"probation_registration"})),
    ("probation: register within 3 working days", s(1, probation=Y),
     dict(first="probation_registration", deadline={"probation_registration": dt.date(2026, 11, 27)})),
    ("not of working age: no NVA step", s(1, working_age=N), dict(absent={"nva_registration"})),
    ("working age: NVA needs the ID first", s(1, working_age=Y), dict(blocked={"nva_registration": ("id_document",)})),
    ("everything held", s(3, id_document=Y, release_certificate=Y, declared_residence=Y, family_doctor=Y,
                          bank_account=Y, probation=N, working_age=N),
     dict(done={"id_document", "residence_declaration", "family_doctor_registration", "bank_account"},
          todo={"social_service_application", "release_benefit", "needy_status"})),
    ("ID ticked off unblocks the bank account", s(1, done={"id_document"}),
     dict(done={"id_document"}, todo={"bank_account", "residence_declaration"})),
    ("ID and residence ticked: social service open", s(1, done={"id_document", "residence_declaration"}),
     dict(todo={"social_service_application", "needy_status"}, dead_end=False)),
    ("lost certificate: benefit blocked by it", s(5, id_document=Y, release_certificate=N),
     dict(blocked={"release_benefit": ("release_certificate",)})),
    ("certificate unknown counts as missing", s(5, id_document=Y, release_certificate=U),
     dict(blocked={"release_benefit": ("release_certificate",)})),
    ("has residence but no ID: not a dead end", s(1, declared_residence=Y), dict(dead_end=False)),
    ("has ID, no residence: not a dead end", s(1, id_document=Y), dict(dead_end=False)),
    ("released today", s(0), dict(benefit_deadline=dt.date(2026, 12, 25))),
    ("released a week ago in Liepāja", s(7, municipality="Liepāja", id_document=Y),
     dict(benefit_deadline=dt.date(2026, 12, 18), todo={"residence_declaration"})),
    ("released a month ago in Daugavpils", s(30, municipality="Daugavpils", id_document=Y, release_certificate=Y),
     dict(benefit_deadline=dt.date(2026, 11, 25), not_overdue={"release_benefit"})),
    ("31 days: overdue", s(31, id_document=Y, release_certificate=Y), dict(overdue={"release_benefit"})),
    ("family doctor needs nothing first", s(1), dict(todo={"family_doctor_registration"})),
    ("done steps go last", s(1, done={"release_certificate"}), dict(last="release_certificate")),
    ("Saldus, nothing known", s(2, municipality="Saldus novads"),
     dict(blocked={"needy_status": ("id_document", "residence_declaration")})),
]


@pytest.mark.parametrize("name,situation,expect", CASES, ids=[c[0] for c in CASES])
def test_plan(name, situation, expect, records):
    p = plan(situation, records, TODAY)
    items = {i.step: i for i in p.items}
    if "first" in expect:
        assert steps(p)[0] == expect["first"]
    if "last" in expect:
        assert steps(p)[-1] == expect["last"]
    for step, by in expect.get("blocked", {}).items():
        assert items[step].status == "blocked" and items[step].blocked_by == by
    for step in expect.get("todo", ()):
        assert items[step].status == "todo", (step, items[step])
    for step in expect.get("done", ()):
        assert items[step].status == "done"
    for step in expect.get("absent", ()):
        assert step not in items
    for step in expect.get("overdue", ()):
        assert items[step].overdue
    for step in expect.get("not_overdue", ()):
        assert not items[step].overdue
    for step in expect.get("no_deadline", ()):
        assert items[step].deadline is None
    for step, date in expect.get("deadline", {}).items():
        assert items[step].deadline == date
    if "benefit_deadline" in expect:
        assert items["release_benefit"].deadline == expect["benefit_deadline"]
    if "dead_end" in expect:
        assert p.dead_end is expect["dead_end"]
    # Always: nothing comes before what unblocks it.
    order = steps(p)
    for i in p.items:
        for b in i.blocked_by:
            if b in order:
                assert order.index(b) < order.index(i.step), (b, i.step)


def test_probation_deadline_counts_working_days(records):
    friday = dt.date(2026, 11, 20)
    p = plan(Situation(release_date=friday, probation=Y), records, TODAY)
    assert {i.step: i for i in p.items}["probation_registration"].deadline == dt.date(2026, 11, 25)  # Mon, Tue, Wed


def test_working_days_skip_latvian_public_holidays():
    # Released on Tuesday 22.12.2026: 24, 25 and 26 December are public holidays (Thu, Fri, Sat), 31 December too.
    assert add_working_days(dt.date(2026, 12, 22), 3) == dt.date(2026, 12, 29)  # Wed 23, Mon 28, Tue 29
    # Midsummer: 23 and 24 June 2026 (Tue, Wed) and the day off moved onto Monday 22 June.
    assert add_working_days(dt.date(2026, 6, 19), 1) == dt.date(2026, 6, 25)
    assert add_working_days(dt.date(2026, 11, 17), 1) == dt.date(2026, 11, 19)  # 18 November
    # Saturday 17 January 2026 is worked in exchange for Friday 2 January: it counts.
    assert add_working_days(dt.date(2026, 1, 16), 1) == dt.date(2026, 1, 17)
