"""Synthetic events for trying the report and measuring it (`python -m survey synth`): never mixed with real ones
unless asked — write them to their own database."""

from __future__ import annotations

import random

from sqlalchemy import insert, select

from knowledge.db import engine, session_scope
from knowledge.models import Municipality
from survey.events import CHECKIN_ANSWERS, REFUSAL_REASONS
from survey.models import SurveyEvent
from survey.report import months_of

TOPICS = ("ask_shelter_tonight", "ask_food", "ask_id_document", "ask_benefits", "ask_social_worker", "ask_job",
          "ask_residence_declaration", "ask_family_doctor", "ask_health", "ask_refusal", "ask_first_steps",
          "ask_addiction", "ask_clothes_hygiene", "ask_probation", "request_handoff", "nlu_fallback")
CHUNK = 50_000


def generate(url: str | None, spec: str, n: int, seed: int = 7) -> int:
    """n events spread over the period's months and the municipalities (the state cities busiest)."""
    rnd = random.Random(seed)
    _, months = months_of(spec)
    with session_scope(url) as s:
        places = list(s.execute(select(Municipality.name, Municipality.kind)
                                .where(Municipality.merged_into.is_(None))).all())
    names = [p for p, _ in places] + [None]
    weights = [(8.0 if p == "Rīga" else 3.0 if k == "state_city" else 1.0) for p, k in places] + [2.0]
    topic_w = [10, 8, 7, 7, 5, 4, 4, 3, 3, 2, 3, 2, 2, 1, 1, 2]
    rows = []
    written = 0
    with engine(url).begin() as conn:
        for i in range(n):
            place = rnd.choices(names, weights)[0]
            roll = rnd.random()
            if roll < 0.82:
                topic = rnd.choices(TOPICS, topic_w)[0]
                outcome = "fallback" if topic == "nlu_fallback" else ("no_data" if rnd.random() < 0.2 else "answered")
                reason = None
            elif roll < 0.92:
                topic = rnd.choice(list(CHECKIN_ANSWERS))
                outcome, reason = "checkin", rnd.choice(CHECKIN_ANSWERS[topic])
            elif roll < 0.96:
                topic, outcome, reason = "social_service", "refused", rnd.choice(REFUSAL_REASONS)
            else:
                topic, outcome, reason = rnd.choice(TOPICS[:6]), "handoff", None
            rows.append({"month": months[i % len(months)], "municipality": place, "topic": topic,
                         "outcome": outcome, "reason": reason, "language": "ru" if rnd.random() < 0.25 else "lv",
                         "requester": rnd.choices(("person", "relative", "worker"), (70, 22, 8))[0]})
            if len(rows) == CHUNK:
                conn.execute(insert(SurveyEvent), rows)
                written += len(rows)
                rows = []
        if rows:
            conn.execute(insert(SurveyEvent), rows)
            written += len(rows)
    return written
