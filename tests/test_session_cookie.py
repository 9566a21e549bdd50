"""The session cookie is checked once per worker and kept (views/session_cookie.py):
it must still be refused once too old or tampered with, and one request's changes to
its session must never reach another request's."""

from __future__ import annotations

import time
from datetime import timedelta

from flask import session

STEP = "/lessons/vneid/steps/2"


def shows_her_name(client) -> bool:
    return "<strong>Bà Nga</strong>" in client.get(STEP).get_data(as_text=True)


def test_a_kept_cookie_is_refused_once_too_old(app, client, learner, monkeypatch):
    assert shows_her_name(client) and shows_her_name(client)  # checked, then kept
    cookie = client.get_cookie("session").value
    app.permanent_session_lifetime = timedelta(days=1)
    later = time.time() + timedelta(days=2).total_seconds()
    monkeypatch.setattr(time, "time", lambda: later)
    assert not shows_her_name(client)
    monkeypatch.undo()
    client.set_cookie("session", cookie)
    assert shows_her_name(client)  # the same cookie, within its age again


def test_a_tampered_cookie_is_refused(app, client, learner):
    assert shows_her_name(client)
    cookie = client.get_cookie("session")
    data, signature = cookie.value.rsplit(".", 1)
    changed = "A" if signature[0] != "A" else "B"
    client.set_cookie("session", f"{data}.{changed}{signature[1:]}")
    assert not shows_her_name(client)
    client.set_cookie("session", cookie.value)
    assert shows_her_name(client)


def test_each_request_changes_only_its_own_copy(app, client, learner):
    """Two requests with one cookie (two tabs, or a retry) start from the same
    session; what the first changes in place is not seen by the second."""
    cookie = client.get_cookie("session").value
    headers = {"Cookie": f"session={cookie}"}
    with app.test_request_context(STEP, headers=headers):
        welcome = list(session["_flashes"])  # the welcome, not shown yet
        session["_flashes"].append(("message", "Đã lưu."))  # as flash() does
        session["person_id"] = -1
    with app.test_request_context(STEP, headers=headers):
        assert session["_flashes"] == welcome and session["person_id"] == learner
