"""signed-in browsers: one row per sign-in, so the server can end it

A browser keeps a random token (in its session and remember cookies); the row keeps
its SHA-256, who it signs in, the card it was opened with, and when it expires.
Browsers signed in before this migration hold no token and sign in once again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('renewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['learner_cards.id'], name=op.f('fk_sign_ins_card_id_learner_cards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_sign_ins_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_ins')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sign_ins_token_hash'))
    )
    op.create_index(op.f('ix_sign_ins_card_id'), 'sign_ins', ['card_id'], unique=False)
    op.create_index(op.f('ix_sign_ins_expires_at'), 'sign_ins', ['expires_at'], unique=False)
    op.create_index(op.f('ix_sign_ins_person_id'), 'sign_ins', ['person_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_sign_ins_person_id'), table_name='sign_ins')
    op.drop_index(op.f('ix_sign_ins_expires_at'), table_name='sign_ins')
    op.drop_index(op.f('ix_sign_ins_card_id'), table_name='sign_ins')
    op.drop_table('sign_ins')
