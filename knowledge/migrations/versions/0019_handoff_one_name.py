"""the handoff has one name: the intent request_human is request_handoff, the category 'human' is 'asked' (rows
already stored say so too: survey counts, requests and their topics, the audit's consent lines). The topics are
rewritten row by row in Python, so this revision needs a database connection (no `alembic upgrade --sql`).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 18:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

REQUESTS = sa.table("handoff_request", sa.column("id", sa.Integer), sa.column("topics", sa.JSON))


def _rename(old_intent: str, new_intent: str, old_category: str, new_category: str) -> None:
    op.execute(sa.text("UPDATE survey_event SET topic = :new WHERE topic = :old")
               .bindparams(new=new_intent, old=old_intent))
    op.execute(sa.text("UPDATE handoff_request SET category = :new WHERE category = :old")
               .bindparams(new=new_category, old=old_category))
    op.execute(sa.text("UPDATE handoff_audit SET detail = :new WHERE detail = :old")  # consent: "queue/category"
               .bindparams(new=f"help/{new_category}", old=f"help/{old_category}"))
    bind = op.get_bind()
    for rid, topics in bind.execute(sa.select(REQUESTS.c.id, REQUESTS.c.topics)).all():
        if topics and old_intent in topics:
            bind.execute(REQUESTS.update().where(REQUESTS.c.id == rid)
                         .values(topics=[new_intent if t == old_intent else t for t in topics]))


def upgrade() -> None:
    _rename("request_human", "request_handoff", "human", "asked")


def downgrade() -> None:
    _rename("request_handoff", "request_human", "asked", "human")
