"""a service carries its phones as a list (number, label, note, in order), written with them: a card is read in one
query, without the phone table

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 19:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

SERVICE = sa.table("service", sa.column("id", sa.String), sa.column("phone_list", sa.JSON))
PHONE = sa.table("phone", sa.column("service_id", sa.String), sa.column("position", sa.Integer),
                 sa.column("number", sa.String), sa.column("label", sa.Text), sa.column("note", sa.Text))


def upgrade() -> None:
    with op.batch_alter_table('service') as batch:
        batch.add_column(sa.Column('phone_list', sa.JSON(), nullable=True))
    bind = op.get_bind()
    lists: dict[str, list[list[str | None]]] = {}
    for row in bind.execute(sa.select(PHONE).order_by(PHONE.c.service_id, PHONE.c.position)):
        lists.setdefault(row.service_id, []).append([row.number, row.label, row.note])
    for service_id, phones in lists.items():
        bind.execute(SERVICE.update().where(SERVICE.c.id == service_id).values(phone_list=phones))


def downgrade() -> None:
    with op.batch_alter_table('service') as batch:
        batch.drop_column('phone_list')
