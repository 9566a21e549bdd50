"""Days and weeks as people in Vietnam count them (UTC+7 all year, no summer time)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.sql.elements import ColumnElement

from models import db, figures

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def local_today() -> date:
    return datetime.now(VIETNAM).date()


def local_date(moment: datetime) -> date:
    """The Vietnamese calendar day of a moment (an aware datetime, as every column
    gives back)."""
    return moment.astimezone(VIETNAM).date()


def day_text(moment: datetime) -> str:
    """The Vietnamese calendar day of a moment, as people there write it: 25/11/2025."""
    return local_date(moment).strftime("%d/%m/%Y")


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def local_day(column: ColumnElement) -> ColumnElement:
    """SQL for the Vietnamese calendar day of a UTC timestamp column."""
    return figures.local_day(column, db.session.get_bind().dialect.name)


def start_of_local_day(day: date) -> datetime:
    """The UTC moment ``day`` begins in Vietnam."""
    return datetime.combine(day, datetime.min.time(), VIETNAM).astimezone(UTC)
