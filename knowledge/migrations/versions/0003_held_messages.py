"""held messages

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 13:38:54.033561
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('held_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sender', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('held_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_held_message_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_held_message_sender'), ['sender'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('held_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_held_message_sender'))
        batch_op.drop_index(batch_op.f('ix_held_message_expires_at'))

    op.drop_table('held_message')
