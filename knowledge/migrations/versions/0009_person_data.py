"""person data in one home: handoff tables renamed, encrypted chat references, volunteers' removal date, tombstones

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 14:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('new', 'claimed', 'waiting')")


def upgrade() -> None:
    op.drop_index('ux_help_request_open', table_name='help_request')
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_index('ix_help_request_sender')
        batch_op.drop_index('ix_help_request_status_urgency')
        batch_op.alter_column('chat_ref', type_=sa.Text(), existing_type=sa.String(length=32), existing_nullable=True)
    op.rename_table('help_request', 'handoff_request')
    with op.batch_alter_table('handoff_request', schema=None) as batch_op:
        batch_op.create_index('ix_handoff_request_sender', ['sender'], unique=False)
        batch_op.create_index('ix_handoff_request_status_urgency', ['status', 'urgency', 'created_at'], unique=False)
    op.create_index('ux_handoff_request_open', 'handoff_request', ['sender', 'queue'], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)
    # Chat references were stored in clear before this revision: nothing unencrypted is carried over.
    op.execute("UPDATE handoff_request SET chat_ref = NULL")

    with op.batch_alter_table('triage_audit', schema=None) as batch_op:
        batch_op.drop_index('ix_triage_audit_at')
        batch_op.drop_index('ix_triage_audit_request_id')
    op.rename_table('triage_audit', 'handoff_audit')
    with op.batch_alter_table('handoff_audit', schema=None) as batch_op:
        batch_op.create_index('ix_handoff_audit_at', ['at'], unique=False)
        batch_op.create_index('ix_handoff_audit_request_id', ['request_id'], unique=False)
    # Refusals were audited with a prefix of the refused person's pseudonym: it goes.
    op.execute("UPDATE handoff_audit SET actor = 'refused' WHERE actor LIKE 'refused:%'")

    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table('forgotten_sender',
    sa.Column('sender', sa.String(length=64), nullable=False),
    sa.Column('forgotten_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recheck_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sender')
    )
    with op.batch_alter_table('forgotten_sender', schema=None) as batch_op:
        batch_op.create_index('ix_forgotten_sender_recheck_at', ['recheck_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('forgotten_sender', schema=None) as batch_op:
        batch_op.drop_index('ix_forgotten_sender_recheck_at')
    op.drop_table('forgotten_sender')
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.drop_column('removed_at')
    with op.batch_alter_table('handoff_audit', schema=None) as batch_op:
        batch_op.drop_index('ix_handoff_audit_request_id')
        batch_op.drop_index('ix_handoff_audit_at')
    op.rename_table('handoff_audit', 'triage_audit')
    with op.batch_alter_table('triage_audit', schema=None) as batch_op:
        batch_op.create_index('ix_triage_audit_at', ['at'], unique=False)
        batch_op.create_index('ix_triage_audit_request_id', ['request_id'], unique=False)
    op.drop_index('ux_handoff_request_open', table_name='handoff_request')
    with op.batch_alter_table('handoff_request', schema=None) as batch_op:
        batch_op.drop_index('ix_handoff_request_status_urgency')
        batch_op.drop_index('ix_handoff_request_sender')
    op.execute("UPDATE handoff_request SET chat_ref = NULL")  # encrypted references would not fit the old column
    op.rename_table('handoff_request', 'help_request')
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.alter_column('chat_ref', type_=sa.String(length=32), existing_type=sa.Text(), existing_nullable=True)
        batch_op.create_index('ix_help_request_sender', ['sender'], unique=False)
        batch_op.create_index('ix_help_request_status_urgency', ['status', 'urgency', 'created_at'], unique=False)
    op.create_index('ux_help_request_open', 'help_request', ['sender', 'queue'], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)
