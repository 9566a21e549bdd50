"""Two gunicorn servers on one PostgreSQL behind nginx (deploy/nginx.conf, round robin,
HTTPS) serve everyone as one: a learner, a helper and a trainer whose requests go to
each server in turn, answers stored once, sign-in limits shared."""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from bench.servers import free_port, start_server, stop_server, wait_until_up
from models import (
    Answer,
    CourseSession,
    LessonCompletion,
    Participant,
    Person,
    QuizAttempt,
    StepView,
    db,
)

from .behind_nginx import (
    HOST,
    Browser,
    nginx_config,
    nginx_or_skip,
    start_nginx,
    stop_nginx,
)
from .conftest import ROOT, close, make_app, migrate, own_library
from .factories import PASSWORD, make_communes, make_person
from .own_database import postgres_databases

TOO_MANY = "Bạn đã thử quá nhiều lần"
SAMPLE = ROOT / "docs" / "samples" / "participants.csv"


# --- The site: a database, two servers, nginx ---------------------------------------


@dataclass
class Site:
    """Where the browser goes, and what to look at behind it."""

    https: str
    http: str
    database: str
    servers: dict[str, str]  # "127.0.0.1:port" -> server name
    access_log: Path
    cafile: Path
    session_id: int
    communes: list[int]
    app: object  # an app on the same database, to look at what was stored

    def browser(self) -> Browser:
        """A new phone."""
        return Browser(self.https, self.cafile)


def seed(url: str) -> tuple[list[int], int]:
    """The schema, two communes, a helper and a trainer, and a course session."""
    migrate(url)
    app = make_app(url)
    try:
        communes = make_communes(app)
        for name, role in (("Linh", "helper"), ("Anh Hùng", "trainer")):
            login = f"{role}@example.org"
            make_person(app, name, communes[0], role, email=login, password=PASSWORD)
        with app.app_context():
            course = CourseSession(
                commune_id=communes[0], held_on=date.today(), place="Nhà văn hóa",
                modules=["vneid"],
            )  # fmt: skip
            db.session.add(course)
            db.session.commit()
            return communes, course.id
    finally:
        close(app)


@pytest.fixture
def site(tmp_path) -> Iterator[Site]:
    """The whole site; every process is stopped afterwards, also when the test fails."""
    nginx = nginx_or_skip()
    folder = tmp_path  # nginx's configuration, certificate and logs; the servers' logs
    # Servers stop (the stack) before their database is dropped.
    with postgres_databases("servers") as (url,), ExitStack() as stack:
        communes, session_id = seed(url)
        env = dict(os.environ) | {
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(32),
            "HOCSO_SECURE_COOKIES": "1",
            "HOCSO_PROXIES": "1",
        }
        env.pop("GUNICORN_CMD_ARGS", None)
        started = {}
        for name in ("one", "two"):
            server = start_server(name, "app:create_app()", env, folder)
            stack.callback(stop_server, server)
            started[f"{HOST}:{server.port}"] = server
        for server in started.values():
            wait_until_up(server, "/healthz", timeout=90)  # a busy machine
        ports = {"http": free_port(), "https": free_port()}
        config = nginx_config(folder, ports, list(started))
        process = start_nginx(nginx, folder, config, ports["https"])
        stack.callback(stop_nginx, process)
        app = make_app(url)
        stack.callback(close, app)
        yield Site(
            https=f"https://{HOST}:{ports['https']}",
            http=f"http://{HOST}:{ports['http']}",
            database=url,
            servers={address: s.name for address, s in started.items()},
            access_log=folder / "hocso.access.log",
            cafile=folder / "cert.pem",
            session_id=session_id,
            communes=communes,
            app=app,
        )


# --- What was stored, and which server answered -------------------------------------


def counted(site: Site, model, **where) -> int:
    """How many rows of ``model`` the database holds (``where`` as filter_by)."""
    with site.app.app_context():
        query = select(func.count()).select_from(model).filter_by(**where)
        return db.session.scalar(query)


def person_id(site: Site, name: str) -> int:
    with site.app.app_context():
        return db.session.scalar(select(Person.id).where(Person.name == name))


def access_log(site: Site) -> str:
    """nginx's access log, once every request sent so far is in it (nginx writes a
    line after the response has left, so a request to mark the end is waited for)."""
    mark = secrets.token_hex(8)
    assert site.browser().get(f"/healthz?end={mark}").status == 200
    deadline = time.monotonic() + 10
    while mark not in (text := site.access_log.read_text()):
        assert time.monotonic() < deadline, "nginx did not log the request"
        time.sleep(0.02)
    return text


def served_by(site: Site) -> list[str]:
    """The server that answered each request nginx passed on, in order."""
    lines = access_log(site).splitlines()
    found = [re.search(r"upstream=(\S+)$", line).group(1) for line in lines]
    return [site.servers[address] for address in found if address != "-"]


# --- The walks ----------------------------------------------------------------------


def walk_lesson_and_quiz(browser: Browser, site: Site) -> int:
    """A learner registers, reads every step (twice), finishes and passes the quiz,
    sending the first answer twice; returns the number of steps."""
    browser.get("/learner/start")
    fields = {"name": "Bà Nga", "birth_year": "1946", "commune": site.communes[0]}
    assert browser.post("/learner/start", fields).status == 303
    quiz = own_library().get("vneid").quiz("vi")
    steps = len(own_library().get("vneid").text("vi").steps)
    for number in [*range(1, steps + 1), *range(1, steps + 1)]:
        assert browser.get(f"/lessons/vneid/steps/{number}").status == 200
    assert browser.post("/lessons/vneid/complete").status == 303
    started = browser.post("/lessons/vneid/quiz/start")
    assert started.status == 303
    attempt = re.search(r"/quiz/(\d+)/1$", started.location).group(1)
    for number, question in enumerate(quiz.questions, start=1):
        path = f"/lessons/vneid/quiz/{attempt}/{number}"
        page = browser.get(path)
        right = MultiDict(question.form_for(question.correct_response()))
        form = [*right.items(multi=True), ("token", page.field("token"))]
        for _ in range(2 if number == 1 else 1):  # a double tap: counted once
            assert browser.post(path, form).status == 303
    finished = browser.post(f"/lessons/vneid/quiz/{attempt}/finish")
    assert finished.status == 303 and finished.location.endswith("/result")
    assert browser.get(finished.location).status == 200
    return steps


def walk_assisted_session(browser: Browser, site: Site) -> None:
    """A helper signs in, registers Bà Hoa and helps her through a step."""
    assert browser.sign_in("helper@example.org").status == 303
    browser.get("/help/")
    new = {"new-name": "Bà Hoa", "new-birth_year": "1950", "new-consent": "y"}
    new["new-commune"] = site.communes[0]
    assert browser.post("/help/register", new).status == 303
    for number in (1, 2):
        page = browser.get(f"/lessons/vneid/steps/{number}")
        assert page.status == 200 and "Bà Hoa" in page.text
    assert browser.post("/help/end").status == 303


def walk_import(browser: Browser, site: Site) -> None:
    """A trainer imports three participants: upload, preview, confirm."""
    assert browser.sign_in("trainer@example.org").status == 303
    path = f"/sessions/{site.session_id}/import"
    browser.get(path)
    preview = browser.upload(path, "list.csv", SAMPLE.read_bytes())
    assert preview.status == 200
    saved = browser.post(
        f"{path}/confirm", {"rows": preview.field("rows"), "consent": "y"}
    )
    assert saved.status == 303, saved.text


def test_two_servers_behind_nginx_serve_everyone_as_one(site):
    steps = walk_lesson_and_quiz(site.browser(), site)
    nga = {"person_id": person_id(site, "Bà Nga")}
    assert counted(site, StepView, **nga) == steps
    assert counted(site, LessonCompletion, **nga) == 1
    assert counted(site, QuizAttempt, **nga) == 1
    assert counted(site, Answer) == len(own_library().get("vneid").quiz("vi").questions)

    walk_assisted_session(site.browser(), site)
    hoa = {"person_id": person_id(site, "Bà Hoa")}
    assert counted(site, StepView, assisted=True, **hoa) == 2

    walk_import(site.browser(), site)
    assert counted(site, Participant, session_id=site.session_id) == 5

    sign_in_tries_count_across_servers(site)
    plain_http_goes_to_https_and_card_links_are_not_logged(site)
    served = served_by(site)
    assert set(served) == {"one", "two"}
    assert all(a != b for a, b in zip(served, served[1:], strict=False)), served


def sign_in_tries_count_across_servers(site: Site) -> None:
    browser = site.browser()
    browser.get("/sign-in")
    before = len(served_by(site))
    for _ in range(5):  # the limit per account, reached on both servers in turn
        page = browser.sign_in("helper@example.org", "not the password")
        assert page.status == 200 and TOO_MANY not in page.text
    refused = browser.sign_in("helper@example.org")
    assert refused.status == 200 and TOO_MANY in refused.text
    assert set(served_by(site)[before:]) == {"one", "two"}
    assert site.browser().sign_in("trainer@example.org").status == 303


def plain_http_goes_to_https_and_card_links_are_not_logged(site: Site) -> None:
    browser = site.browser()
    moved = browser.open(f"{site.http}/lessons/vneid")
    assert moved.status == 301 and moved.location.startswith("https://")
    token = secrets.token_urlsafe(32)
    assert browser.get(f"/card/{token}").status == 404
    log = access_log(site)
    assert token not in log and "/card/[token]" in log
