"""A whole country's worth of province data on PostgreSQL, and the admin's pages on it.

In a database of its own (created here, dropped afterwards) on the PostgreSQL at
BENCH_POSTGRES (127.0.0.1:5432 by default), built by the migrations: 34
provinces, 3,300 communes, 1,000,000 learners, and for about 35% of the pairs of
learner and course module one step seen, a completion (97.8% of them) and a
finished quiz attempt (93.6%): about 1.4M step views, 1.37M completions and 1.31M
attempts, all with set-based SQL (generate_series). The measured commune's
attempts get their answers too, for its difficult questions. The app's own
refresh then derives module results, flags and commune summaries, as a migration
or a bulk import would.

One gunicorn sync worker then serves the pages to an admin (and a lesson step to a
learner of the measured commune), each fetched once to
warm up and 5 times measured; the worker's memory (RSS) is read afterwards.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from .big_commune import Timing
from .client import fetch
from .report import table

ADMIN_URL = "postgresql+psycopg://root@127.0.0.1:5432/test"
PROVINCES = 34
COMMUNES = 3_300
LEARNERS = 1_000_000
PAIR_SHARE = 0.35  # of (learner, module) pairs with a step seen
COMPLETED = 0.978  # of those, completed
ATTEMPTED = 0.936  # of those, with a finished quiz attempt
RUNS = 5
BUDGET_MS = 1000.0
RSS_BUDGET_MIB = 130.0


@dataclass
class ProvinceResult:
    """What was built, how long it took, the pages' timings and the worker's memory."""

    counts: dict[str, int]
    build_seconds: float
    timings: list[Timing]
    rss_mib: float | None


def admin_url() -> str:
    return os.environ.get("BENCH_POSTGRES", ADMIN_URL)


def postgres_answers() -> str | None:
    """None if PostgreSQL answers; else why not, in plain words."""
    try:
        engine = create_engine(admin_url(), connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means "skip this part"
        first_line = str(error).strip().splitlines()[0] if str(error) else ""
        return f"{make_url(admin_url()).render_as_string()}: {first_line}"
    return None


def _statements(lessons, commune_id: int) -> list[str]:
    """The SQL that fills the empty schema."""
    pairs = ", ".join(
        f"('{ls.slug}', {len(ls.quiz('vi').questions)})" for ls in lessons
    )
    questions = ", ".join(
        f"('{ls.slug}', {n}, '{q.id}')"
        for ls in lessons
        for n, q in enumerate(ls.quiz("vi").questions, start=1)
    )
    return [
        "SELECT setseed(0.42)",
        f"""INSERT INTO provinces (id, code, name)
        SELECT n, 'BP' || lpad(n::text, 2, '0'), 'Tỉnh Đo Thử ' || n
        FROM generate_series(1, {PROVINCES}) n""",
        f"""INSERT INTO communes (id, code, name, province_id)
        SELECT n, 'BX' || lpad(n::text, 4, '0'), 'Xã Đo Thử ' || n,
               (n - 1) % {PROVINCES} + 1
        FROM generate_series(1, {COMMUNES}) n""",
        f"""INSERT INTO people (id, name, birth_year, commune_id, role, created_at,
                                reached, helped)
        SELECT n, 'Người Học Thử ' || n, 1940 + n % 66, (n - 1) % {COMMUNES} + 1,
               'learner', now() - random() * interval '365 days', false, false
        FROM generate_series(1, {LEARNERS}) n""",
        f"""CREATE TEMP TABLE bench_work AS
        SELECT p.id AS person_id, l.slug AS lesson, l.questions,
               random() < 0.4 AS assisted, random() AS roll,
               p.created_at + random() * (now() - p.created_at) AS at
        FROM people p CROSS JOIN (VALUES {pairs}) AS l(slug, questions)
        WHERE random() < {PAIR_SHARE}""",
        """INSERT INTO step_views (person_id, lesson, step, assisted, seen_at)
        SELECT person_id, lesson, 1, assisted, at FROM bench_work""",
        f"""INSERT INTO lesson_completions (person_id, lesson, assisted, completed_at)
        SELECT person_id, lesson, assisted, at + interval '5 minutes'
        FROM bench_work WHERE roll < {COMPLETED}""",
        f"""INSERT INTO quiz_attempts (person_id, lesson, language, question_count,
            started_at, finished_at, first_try_score, assisted)
        SELECT person_id, lesson, 'vi', questions, at + interval '6 minutes',
               at + interval '15 minutes', floor(random() * (questions + 1))::int,
               assisted
        FROM bench_work WHERE roll < {ATTEMPTED}""",
        f"""INSERT INTO answers (attempt_id, lesson, commune_id, question_id,
            try_number, response, correct, revealed, token, answered_at)
        SELECT a.id, a.lesson, p.commune_id, q.question, 1, '["a"]'::jsonb,
               random() < 0.7, false, 'bench-' || a.id || '-' || q.n, a.finished_at
        FROM quiz_attempts a JOIN people p ON p.id = a.person_id
        JOIN (VALUES {questions}) AS q(lesson, n, question) ON q.lesson = a.lesson
        WHERE p.commune_id = {commune_id}""",
        "DROP TABLE bench_work",
        *(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"(SELECT max(id) FROM {name}))"
            for name in ("provinces", "communes", "people")
        ),
    ]


def build(app, progress: Callable[[str], None], commune_id: int) -> dict[str, int]:
    """Fill the database; the app's refresh derives the rest. Returns row counts."""
    from models import db, refresh_results

    lessons = app.extensions["hocso_library"].course()
    with app.app_context():
        with db.engine.begin() as connection:
            for statement in _statements(lessons, commune_id):
                connection.execute(text(statement))
            connection.execute(text("ANALYZE"))
            progress("deriving module results, reached flags and commune summaries")
            refresh_results(connection, None)
        auto = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        with auto as connection:
            connection.execute(text("VACUUM ANALYZE"))
            return {
                name: connection.execute(text(f"SELECT count(*) FROM {name}")).scalar()
                for name in COUNTED_TABLES
            }


COUNTED_TABLES = (
    "people",
    "step_views",
    "lesson_completions",
    "quiz_attempts",
    "answers",
    "module_results",
)


def _cookies(app, commune_id: int) -> tuple[str, str]:
    """Session cookies signed with the app's key: an admin signed in (a sign-in of
    their own, as since migration 0009), and a learner of ``commune_id`` remembered in
    the browser, who has seen the step timed before."""
    from models import Person, db
    from services import sign_ins

    serializer = app.session_interface.get_signing_serializer(app)
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    with app.app_context():
        admin = Person(name="Quản Trị Đo Thử", birth_year=1985, commune_id=commune_id)
        admin.role = "admin"
        db.session.add(admin)
        db.session.flush()
        token = sign_ins.start(admin)
        db.session.commit()
        learner = db.session.scalar(
            select(Person.id).where(
                Person.commune_id == commune_id, Person.role == "learner"
            )
        )
    admin_session = {"_user_id": token, "_fresh": True}
    learner_session = {"person_id": learner, "_permanent": True}
    return (
        f"{name}={serializer.dumps(admin_session)}",
        f"{name}={serializer.dumps(learner_session)}",
    )


def _worker_rss_mib(master_pid: int) -> float | None:
    """Resident memory of the gunicorn worker (the master's one child), in MiB."""
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text()
        worker = children.split()[0]
        for line in Path(f"/proc/{worker}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, IndexError, ValueError):
        return None
    return None


STEP = "/lessons/vneid/steps/3"


def _time_pages(port: int, cookie: str, paths: dict[str, str]) -> list[Timing]:
    timings = []
    for name, path in paths.items():
        spent = []
        for run in range(RUNS + 1):  # the first warms up
            began = time.perf_counter()
            reply = fetch(port, path, headers={"Cookie": cookie})
            if reply.status != 200:
                raise RuntimeError(f"GET {path} answered {reply.status}")
            if run:
                spent.append(time.perf_counter() - began)
        timings.append(Timing(name, spent))
    return timings


def measure_province(progress: Callable[[str], None]) -> ProvinceResult:
    """Create the database, build, serve, time the three pages, drop the database."""
    from flask_migrate import upgrade

    from app import create_app

    from .servers import app_environment, running

    name = f"hocso_bench_province_{os.getpid()}"
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url()).set(database=name).render_as_string(hide_password=False)
    try:
        with tempfile.TemporaryDirectory(prefix="hocso-bench-province-") as tmp:
            env = app_environment(Path(tmp)) | {
                "DATABASE_URL": url,
                "SECRET_KEY": secrets.token_hex(32),
            }
            os.environ.update(DATABASE_URL=url, SECRET_KEY=env["SECRET_KEY"])
            app = create_app()
            with app.app_context():
                upgrade()
            progress(
                f"building {PROVINCES} provinces, {COMMUNES:,} communes and "
                f"{LEARNERS:,} learners on PostgreSQL (a few minutes)"
            )
            measured = 1
            began = time.perf_counter()
            counts = build(app, progress, measured)
            build_seconds = time.perf_counter() - began
            cookie, learner_cookie = _cookies(app, measured)
            with app.app_context():  # the worker alone holds connections now
                app.extensions["sqlalchemy"].engine.dispose()
            where = f"{LEARNERS:,} learners, {COMMUNES:,} communes, PostgreSQL"
            people_here = LEARNERS // COMMUNES
            paths = {
                f"page /province ({where})": "/province",
                f"page /province/BP01 (its communes, {where})": "/province/BP01",
                f"page /communes/{measured} (one commune: {people_here} learners, "
                "PostgreSQL)": f"/communes/{measured}",
            }
            progress("timing the admin's pages on one gunicorn worker")
            with running(
                "province", "app:create_app()", env, Path(tmp), "/", workers=1
            ) as server:
                timings = _time_pages(server.port, cookie, paths)
                step = {f"page {STEP} (a learner's step seen again, {where})": STEP}
                timings += _time_pages(server.port, learner_cookie, step)
                rss = _worker_rss_mib(server.process.pid)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return ProvinceResult(counts, build_seconds, timings, rss)


def province_table(result: ProvinceResult) -> str:
    rows = [
        [
            t.name,
            f"{t.median_ms:.1f}",
            f"{t.worst_ms:.1f}",
            "within budget" if t.worst_ms <= BUDGET_MS else "OVER BUDGET",
        ]
        for t in result.timings
    ]
    rss = "-" if result.rss_mib is None else f"{result.rss_mib:.1f}"
    verdict = (
        ""
        if result.rss_mib is None
        else (" (within" if result.rss_mib < RSS_BUDGET_MIB else " (OVER")
        + f" the {RSS_BUDGET_MIB:.0f} MiB budget)"
    )
    return "\n".join(
        [
            table(
                ["measured", "median ms", "worst ms", f"<= {BUDGET_MS:.0f} ms"], rows
            ),
            "",
            f"gunicorn worker memory (RSS) after these requests: {rss} MiB{verdict}",
        ]
    )
