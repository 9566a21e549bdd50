"""communes.search_name: the folded name the commune picker searches, by province

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 17:30:00

"""

import sqlalchemy as sa
from alembic import op

from services.names import fold

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("communes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_name", sa.String(length=120), nullable=True))
        batch_op.create_index(
            "ix_communes_province_id_search_name",
            ["province_id", "search_name"],
            unique=False,
        )
    # Backfill: the names already imported, folded the way the import now folds them.
    communes = sa.table(
        "communes", sa.column("id", sa.Integer), sa.column("name", sa.String)
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(communes.c.id, communes.c.name)).all()
    if rows:
        connection.execute(
            sa.text("UPDATE communes SET search_name = :folded WHERE id = :id"),
            [{"id": ident, "folded": fold(name)} for ident, name in rows],
        )


def downgrade():
    with op.batch_alter_table("communes", schema=None) as batch_op:
        batch_op.drop_index("ix_communes_province_id_search_name")
        batch_op.drop_column("search_name")
