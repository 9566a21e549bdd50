"""The session cookie, opened once per worker.

Flask checks a session cookie's signature and decodes it on every request: about a
twentieth of a lesson step's cost. A browser sends the same cookie again and again
(it changes only when the session does), so each worker keeps what a cookie it has
already checked holds, with the time it was signed, and hands every request its own
copy. The age limit is checked on every request as before. Ending a sign-in does not
depend on this: that is checked against the database (services/sign_ins.py).
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

# Cookies a worker keeps (about 1 KB each with the decoded session): enough for every
# learner a worker serves in an hour or so; past this it starts again. Kept small so
# a worker stays within its 130 MiB (make bench, province part).
MAX_COOKIES = 5_000


@dataclass(frozen=True)
class Opened:
    """What a checked cookie holds, and when it was signed (seconds since the epoch)."""

    data: dict
    signed_at: float


class KeptSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, each distinct cookie checked once per worker."""

    def __init__(self) -> None:
        self.opened: dict[str, Opened] = {}

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not app.secret_key:
            return None  # as Flask does: a session cannot be kept without one
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = app.permanent_session_lifetime.total_seconds()
        known = self.opened.get(value)
        if known is None or time.time() - known.signed_at > max_age:
            known = self.check(app, value, max_age)
            if known is None:
                return self.session_class()
        return self.session_class(copy.deepcopy(known.data))

    def check(self, app: Flask, value: str, max_age: float) -> Opened | None:
        """The cookie's contents if its signature holds and it is not too old."""
        try:
            data, signed_at = self.get_signing_serializer(app).loads(
                value, max_age=int(max_age), return_timestamp=True
            )
        except BadSignature:
            return None
        known = Opened(data, signed_at.timestamp())
        if len(self.opened) >= MAX_COOKIES:
            self.opened.clear()
        self.opened[value] = known
        return known
