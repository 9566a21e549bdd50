"""a quiz attempt remembers the one-time token of the form that started it

The same "Start" form sent twice (a double tap, a replay) fails on the unique
constraint and leads to the attempt it made. Attempts started before have none.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


# A unique index, not a constraint: SQLite would need the table copied ("batch"), and
# dropping the old quiz_attempts would cascade to every answer.
def upgrade():
    op.add_column('quiz_attempts', sa.Column('start_token', sa.String(length=64), nullable=True))
    op.create_index(op.f('ix_quiz_attempts_start_token'), 'quiz_attempts', ['start_token'], unique=True)


def downgrade():
    op.drop_index(op.f('ix_quiz_attempts_start_token'), table_name='quiz_attempts')
    op.drop_column('quiz_attempts', 'start_token')
