"""暗查 visits have no 随机抽查通知书: a dispatch's notice number and day may be empty

Revision ID: i13_unannounced_no_notice
Revises: i16_sessions_revision
Create Date: 2026-12-03 14:10:00

Existing rows keep what they hold; from now on an unannounced visit is
dispatched with no notice and takes no number of the notice series.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'i13_unannounced_no_notice'
down_revision = 'i16_sessions_revision'
branch_labels = None
depends_on = None

_COLUMNS = (('notice_year', sa.Integer()), ('notice_seq', sa.Integer()),
            ('notice_no', sa.String(length=64)), ('notice_sent_on', sa.Date()))


def upgrade():
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        for name, type_ in _COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=True)


def downgrade():
    # An unannounced visit dispatched since has no notice; the old schema
    # cannot hold it, so it is refused rather than given an invented number.
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        for name, type_ in _COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=False)
