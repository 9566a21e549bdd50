"""A quiz is started once: the same "Start" form sent twice, in a row or at the same
moment from a double tap, leads to the same attempt; "start again" still starts anew."""

from __future__ import annotations

import http.client
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from models import QuizAttempt, db

INTRO = "/lessons/vneid/quiz/"
START = "/lessons/vneid/quiz/start"


def start_tokens(client) -> list[str]:
    """The one-time tokens of the start forms on the quiz's first page."""
    page = client.get(INTRO).get_data(as_text=True)
    return re.findall(r'name="token" value="([^"]+)"', page)


def attempts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(QuizAttempt))


@pytest.fixture
def live(app):
    """``app`` served on a free local port by threads, as gunicorn's gthread would."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


def test_the_same_start_form_ten_times_at_once_makes_one_attempt(
    app, client, learner, live
):
    """A double-tapped "Bắt đầu" on a live server: every answer leads to one attempt."""
    token = start_tokens(client)[0]
    cookie = f"session={client.get_cookie('session').value}"
    body = f"token={token}"
    barrier = threading.Barrier(10)

    def send(_: int) -> tuple[int, str | None]:
        connection = http.client.HTTPConnection("127.0.0.1", live, timeout=30)
        barrier.wait()
        connection.request(
            "POST",
            START,
            body=body,
            headers={
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status, response.getheader("Location")

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(send, range(10)))

    assert [status for status, _ in answers] == [303] * 10
    assert len({location for _, location in answers}) == 1
    assert attempts(app) == 1
    with app.app_context():
        attempt_id = db.session.scalar(select(QuizAttempt.id))
    assert answers[0][1].endswith(f"/quiz/{attempt_id}/1")


def test_a_replayed_start_form_leads_to_the_attempt_it_made(app, client, learner):
    token = start_tokens(client)[0]
    first = client.post(START, data={"token": token})
    with app.app_context():  # even once that attempt is finished
        db.session.execute(
            QuizAttempt.__table__.update().values(finished_at=func.now())
        )
        db.session.commit()
    again = client.post(START, data={"token": token})
    assert again.status_code == 303
    assert again.location == first.location
    assert attempts(app) == 1


def test_start_again_makes_a_new_attempt_once_per_form(app, client, learner):
    first = client.post(START, data={"token": start_tokens(client)[0]})
    tokens = start_tokens(client)  # "continue" and "start again from the first"
    assert len(tokens) == 2 and tokens[1] == tokens[0] + "-r"
    carry_on = client.post(START, data={"token": tokens[0]})
    assert carry_on.location == first.location
    restart = client.post(START, data={"token": tokens[1], "restart": "1"})
    assert restart.location != first.location
    replayed = client.post(START, data={"token": tokens[1], "restart": "1"})
    assert replayed.location == restart.location
    assert attempts(app) == 2
