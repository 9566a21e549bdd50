"""Spaced drills after a module's quiz: the clock, the schedule and taking a drill.

The rules are pure functions in ``schedule``; ``runs`` applies them to the tables.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, has_app_context

from reports.dates import local_today


def today() -> date:
    """Today for drills: the app's HOCSO_TODAY (YYYY-MM-DD) if it is set, so tests
    and demonstrations can move through the weeks; else Vietnam's date."""
    if has_app_context():
        fixed = current_app.config.get("HOCSO_TODAY")
        if fixed:
            return fixed if isinstance(fixed, date) else date.fromisoformat(fixed)
    return local_today()
