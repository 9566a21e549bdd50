"""A commune at real size: 10,000 learners and exactly 500,000 quiz answers.

Rows go in with bulk inserts straight into a database the migrations built (so
the indexes are the ones production has), then the dashboard's and the difficult
questions' queries are timed as a trainer's page runs them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from content import Library
from content.questions import Question
from models import (
    Answer,
    Commune,
    LessonCompletion,
    Person,
    Province,
    QuizAttempt,
    StepView,
    db,
    refresh_results,
)

LEARNERS = 10_000
ANSWERS = 500_000
NEIGHBOUR_LEARNERS = 1_000  # another commune, so the queries must filter
BATCH = 20_000


@dataclass
class Timing:
    name: str
    runs: list[float]

    @property
    def median_ms(self) -> float:
        ordered = sorted(self.runs)
        return 1000 * ordered[len(ordered) // 2]

    @property
    def worst_ms(self) -> float:
        return 1000 * max(self.runs)


class Rows:
    """Collects rows per table and inserts them in large batches."""

    def __init__(self) -> None:
        self.pending: dict[type, list[dict]] = {}
        self.counts: dict[str, int] = {}

    def add(self, model: type, row: dict) -> None:
        rows = self.pending.setdefault(model, [])
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Insert everything pending, parents before children."""
        for table in (StepView, LessonCompletion, QuizAttempt, Answer):
            rows = self.pending.pop(table, [])
            if rows:
                db.session.execute(insert(table), rows)
                name = table.__tablename__
                self.counts[name] = self.counts.get(name, 0) + len(rows)


def build(library: Library, seed: int = 6) -> tuple[int, dict[str, int]]:
    """Fill the empty database; return the big commune's id and the row counts."""
    rng = random.Random(seed)
    province = Province(code="BENCH", name="Tỉnh Đo Thử")
    big = Commune(code="BENCH-001", name="Xã Lớn (đo thử)", province=province)
    small = Commune(code="BENCH-002", name="Xã Bên (đo thử)", province=province)
    db.session.add_all([province, big, small])
    db.session.flush()
    rows = Rows()
    now = datetime.now(UTC)
    big_ids = _people(big.id, LEARNERS, now, rng)
    small_ids = _people(small.id, NEIGHBOUR_LEARNERS, now, rng)
    lessons = library.course()
    ids = _Ids()
    per_learner = ANSWERS // LEARNERS
    for person_id in big_ids:
        _activity(person_id, big.id, lessons, per_learner, rows, ids, now, rng)
    for person_id in small_ids:
        _activity(person_id, small.id, lessons, 20, rows, ids, now, rng)
    rows.flush()
    refresh_results(db.session.connection(), None)  # bulk inserts skip the listener
    db.session.commit()
    return big.id, rows.counts


def _people(
    commune_id: int, count: int, now: datetime, rng: random.Random
) -> list[int]:
    first_id = (db.session.scalar(select(db.func.max(Person.id))) or 0) + 1
    db.session.execute(
        insert(Person),
        [
            {
                "id": first_id + n,
                "name": f"Người Học Thử {commune_id}-{n}",
                "birth_year": rng.randint(1940, 2008),
                "commune_id": commune_id,
                "role": "learner",
                "created_at": now - timedelta(days=rng.randint(0, 120)),
            }
            for n in range(count)
        ],
    )
    return list(range(first_id, first_id + count))


class _Ids:
    """Attempt ids handed out here, so answers can point at them before inserting."""

    def __init__(self) -> None:
        self.attempt = db.session.scalar(select(db.func.max(QuizAttempt.id))) or 0
        self.token = 0

    def next_attempt(self) -> int:
        self.attempt += 1
        return self.attempt

    def next_token(self) -> str:
        self.token += 1
        return f"bench-{self.token}"


def _activity(
    person_id: int,
    commune_id: int,
    lessons: list,
    budget: int,
    rows: Rows,
    ids: _Ids,
    now: datetime,
    rng: random.Random,
) -> None:
    """Steps, completions and quiz attempts until ``budget`` answers are given."""
    assisted = rng.random() < 0.4
    start = now - timedelta(days=rng.randint(0, 100))
    order = lessons[:]
    rng.shuffle(order)
    done: set[tuple[str, bool]] = set()
    while budget > 0:
        for lesson in order:
            if budget <= 0:
                return
            quiz = lesson.quiz("vi")
            when = start + timedelta(minutes=rng.randint(0, 60 * 24 * 14))
            where = (person_id, commune_id, lesson.slug)
            budget = _attempt(where, quiz, assisted, budget, rows, ids, when, rng)
            if (lesson.slug, assisted) in done:
                continue
            done.add((lesson.slug, assisted))
            for step in range(1, lesson.step_count + 1):
                rows.add(
                    StepView,
                    {
                        "person_id": person_id,
                        "lesson": lesson.slug,
                        "step": step,
                        "assisted": assisted,
                        "seen_at": when,
                    },
                )
            if rng.random() < 0.85:
                rows.add(
                    LessonCompletion,
                    {
                        "person_id": person_id,
                        "lesson": lesson.slug,
                        "assisted": assisted,
                        "completed_at": when,
                    },
                )
        assisted = not assisted  # coming back: now the other way round


def _attempt(where, quiz, assisted, budget, rows, ids, when, rng) -> int:
    """One quiz attempt, finished unless the answer budget runs out in the middle."""
    person_id, commune_id, slug = where
    attempt_id = ids.next_attempt()
    score = 0
    finished = True
    answers = []
    for question in quiz.questions:
        if budget <= 0:
            finished = False
            break
        for try_number, response, correct in _tries(question, rng):
            if budget <= 0:
                break
            answers.append(
                {
                    "attempt_id": attempt_id,
                    "lesson": slug,
                    "commune_id": commune_id,
                    "question_id": question.id,
                    "try_number": try_number,
                    "response": response,
                    "correct": correct,
                    "revealed": False,
                    "token": ids.next_token(),
                    "answered_at": when,
                }
            )
            budget -= 1
            score += correct and try_number == 1
    rows.add(
        QuizAttempt,
        {
            "id": attempt_id,
            "person_id": person_id,
            "lesson": slug,
            "assisted": assisted,
            "language": "vi",
            "question_count": len(quiz.questions),
            "started_at": when,
            "finished_at": when if finished else None,
            "first_try_score": score if finished else None,
        },
    )
    for answer in answers:
        rows.add(Answer, answer)
    return budget


def _tries(question: Question, rng: random.Random) -> Iterator[tuple[int, list, bool]]:
    """First try right about 70% of the time; otherwise a wrong key, then the right one."""
    right = list(question.correct_response())
    if rng.random() < 0.7:
        yield 1, right, True
        return
    wrong = [k for k in list(question.keys()) if [k] != right] or ["?"]
    yield 1, [rng.choice(wrong)], False
    yield 2, right, True


def time_queries(
    queries: dict[str, Callable[[], object]], runs: int = 7
) -> list[Timing]:
    """Each query ``runs`` times, after one warm-up run."""
    timings = []
    for name, query in queries.items():
        query()
        spent = []
        for _ in range(runs):
            began = time.perf_counter()
            query()
            spent.append(time.perf_counter() - began)
        timings.append(Timing(name, spent))
    return timings
