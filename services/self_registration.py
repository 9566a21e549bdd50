"""Limits on people registering themselves, through the "who is learning" form or
as a self-study account (/register): so many per address (IPv6: per /64) per hour
and per day, and per browser per hour. Counted in the
database, in the sign-in limiter's table under keys kept a day (``DAILY``), so every
server shares them. Helpers, trainers and imports register people without a limit.

Why these numbers (app.py, ``LEARNER_STARTS_*``) is in the README's "Self-registration limits".
"""

from __future__ import annotations

from datetime import timedelta
from enum import Enum

from flask import current_app
from sqlalchemy import func, select

from models import SignInAttempt, db, utcnow
from models.access import DAILY

from .addresses import network_of

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


class Blocked(Enum):
    """Which limit a new registration would pass (and so how long to wait)."""

    BROWSER = "browser"  # this browser, this hour
    ADDRESS_HOUR = "address-hour"  # this network, this hour
    ADDRESS_DAY = "address-day"  # this network, today


def keys(remote_addr: str | None, browser: str) -> tuple[str, str]:
    return (
        f"{DAILY}start-address:{network_of(remote_addr)}",
        f"{DAILY}start-browser:{browser}",
    )


def blocked(remote_addr: str | None, browser: str) -> Blocked | None:
    """Which limit registering one more learner from here would pass, if any (one
    statement)."""
    config = current_app.config
    address_key, browser_key = keys(remote_addr, browser)
    now = utcnow()
    within_hour = SignInAttempt.attempted_at >= now - HOUR
    key, at = SignInAttempt.key, SignInAttempt.attempted_at
    address_hour, address_day, browser_hour = db.session.execute(
        select(
            func.count().filter(key == address_key, within_hour),
            func.count().filter(key == address_key),
            func.count().filter(key == browser_key, within_hour),
        ).where(key.in_([address_key, browser_key]), at >= now - DAY)
    ).one()
    if browser_hour >= config["LEARNER_STARTS_PER_BROWSER_HOUR"]:
        return Blocked.BROWSER
    if address_hour >= config["LEARNER_STARTS_PER_ADDRESS_HOUR"]:
        return Blocked.ADDRESS_HOUR
    if address_day >= config["LEARNER_STARTS_PER_ADDRESS_DAY"]:
        return Blocked.ADDRESS_DAY
    return None


def count(remote_addr: str | None, browser: str) -> None:
    """Count one learner registered from here (the caller commits with the learner)."""
    SignInAttempt.record(list(keys(remote_addr, browser)), forget_before=utcnow() - DAY)
