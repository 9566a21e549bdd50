"""Demo data: communes of the former Hải Dương province (now Hải Phòng), learners, progress.

Everything here is marked as demo: the codes are not official unit codes.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

from sqlalchemy import func, select, update

from content import Library, Question
from models import (
    Commune,
    CourseSession,
    DrillAnswer,
    DrillAttempt,
    DrillSchedule,
    LessonCompletion,
    Participant,
    Person,
    Province,
    QuizAttempt,
    StepView,
    db,
    refresh_results,
    utcnow,
)

from .communes import set_name
from .drills import schedule as drill_rules
from .drills import today as drills_today

DEMO_PROVINCE = ("DEMO-HP", "Hải Phòng (demo)")
DEMO_COMMUNES = [
    ("DEMO-001", "Nam Sách (demo)"),
    ("DEMO-002", "Ninh Giang (demo)"),
    ("DEMO-003", "Kiến Phúc (demo)"),
    ("DEMO-004", "Lê Thanh Nghị (demo)"),
]
# Demo sign-ins, printed by `make run`. The .invalid domain can never be a real address.
DEMO_STAFF = [
    ("Quản trị (demo)", "admin", "admin@demo.hocso.invalid", "hocso-demo-admin", 0),
    (
        "Anh Hùng, giảng viên (demo)",
        "trainer",
        "hung@demo.hocso.invalid",
        "hocso-demo-trainer",
        0,
    ),
    (
        "Linh, người hỗ trợ (demo)",
        "helper",
        "linh@demo.hocso.invalid",
        "hocso-demo-helper",
        0,
    ),
]
DEMO_LEARNERS = [
    ("Nguyễn Thị Nga (demo)", 1946, 0),
    ("Trần Văn Bình (demo)", 1952, 0),
    ("Phạm Thị Hoa (demo)", 1960, 1),
    ("Lê Văn Tâm (demo)", 1958, 1),
    ("Vũ Thị Lan (demo)", 1971, 2),
    ("Đỗ Minh Mai (demo)", 2004, 3),
]
# The demo course session: the first demo commune, the coming Saturday, every demo
# learner on its list (neighbours come too), the first few marked as present.
DEMO_SESSION_PLACE = "Nhà văn hóa thôn Đông (dữ liệu mẫu, demo)"
DEMO_ATTENDED = 3  # the first few on the list came


def load_demo_data(
    library: Library, force: bool = False, seed: int = 2025
) -> dict | None:
    """Add demo communes, learners and their progress; None if communes already exist."""
    if not force and db.session.scalar(select(func.count(Commune.id))):
        return None
    rng = random.Random(seed)
    province = db.session.scalar(
        select(Province).where(Province.code == DEMO_PROVINCE[0])
    )
    if province is None:
        province = Province(code=DEMO_PROVINCE[0], name=DEMO_PROVINCE[1])
        db.session.add(province)
    communes = []
    for code, name in DEMO_COMMUNES:
        commune = db.session.scalar(select(Commune).where(Commune.code == code))
        if commune is None:
            commune = Commune(code=code, province=province)
            set_name(commune, name)
            db.session.add(commune)
        communes.append(commune)
    db.session.flush()

    staff_by_role = {}
    for name, role, email, password, commune_index in DEMO_STAFF:
        staff_by_role[role] = staff = Person(
            name=name,
            birth_year=1995,
            commune=communes[commune_index],
            email=email,
            role=role,
        )
        staff.set_password(password)
        db.session.add(staff)
    people = []
    for name, year, commune_index in DEMO_LEARNERS:
        person = Person(name=name, birth_year=year, commune=communes[commune_index])
        db.session.add(person)
        people.append(person)
    db.session.flush()
    helper = staff_by_role["helper"]
    for person in people:
        # Older learners of the helper's commune learned with the helper beside them.
        beside = person.commune_id == helper.commune_id and person.birth_year < 1960
        _demo_progress(person, library, rng, helper if beside else None)
        _spread_over_weeks(person, rng)
    _demo_drills(library, rng, people, drills_today())
    _demo_session(library, communes[0], staff_by_role, people)
    db.session.commit()
    return {"communes": len(communes), "people": len(people)}


def _demo_session(
    library: Library, commune: Commune, staff: dict[str, Person], people: list[Person]
) -> None:
    """A course session on the coming Saturday (today if it is one), taught by the demo
    trainer with the demo helper, with ``people`` on its list."""
    today = date.today()
    course_session = CourseSession(
        commune=commune,
        held_on=today + timedelta(days=(5 - today.weekday()) % 7),
        place=DEMO_SESSION_PLACE,
        modules=[lesson.slug for lesson in library.course()],
        created_by_id=staff["trainer"].id,
        helpers=[staff["helper"]],
    )
    db.session.add(course_session)
    db.session.flush()
    for index, person in enumerate(people):
        db.session.add(
            Participant(
                session_id=course_session.id,
                person_id=person.id,
                attended=index < DEMO_ATTENDED,
            )
        )


def _spread_over_weeks(person: Person, rng: random.Random) -> None:
    """Date a demo learner's registration and work some days or weeks back, so the
    dashboard's week-by-week trend has something to show."""
    days_ago = rng.randint(2, 45)
    joined = utcnow() - timedelta(days=days_ago, hours=rng.randint(0, 8))
    person.created_at = joined
    done = joined + timedelta(days=rng.randint(0, days_ago - 1), hours=1)
    for model, columns in [
        (StepView, ("seen_at",)),
        (LessonCompletion, ("completed_at",)),
        (QuizAttempt, ("started_at", "finished_at")),
    ]:
        db.session.execute(
            update(model)
            .where(model.person_id == person.id)
            .values({column: done for column in columns})
            .execution_options(synchronize_session=False)
        )
    # Only finished attempts get a finishing time; answers keep their order.
    # (The module results are rebuilt below, from the dates set here.)
    db.session.execute(
        update(QuizAttempt)
        .where(
            QuizAttempt.person_id == person.id, QuizAttempt.first_try_score.is_(None)
        )
        .values(finished_at=None)
        .execution_options(synchronize_session=False)
    )
    refresh_results(db.session.connection(), [person.id])


# How long ago demo learners passed a quiz: some drills due today, some a week or
# more late, some taken already with the next one still to come.
DEMO_PASSED_DAYS_AGO = (7, 20, 9, 40, 100, 3)


def _demo_drills(
    library: Library, rng: random.Random, people: list[Person], today: date
) -> None:
    """Drill schedules for every demo quiz passed, and the drills taken so far."""
    n = 0
    for person in people:
        for lesson in library.course():
            quiz = lesson.quiz("vi")
            scores = db.session.scalars(
                select(QuizAttempt.first_try_score).where(
                    QuizAttempt.person_id == person.id,
                    QuizAttempt.lesson == lesson.slug,
                    QuizAttempt.first_try_score.is_not(None),
                )
            ).all()
            if quiz is None or not any(quiz.passed(score) for score in scores):
                continue
            passed_on = today - timedelta(days=DEMO_PASSED_DAYS_AGO[n % 6])
            n += 1
            plan = DrillSchedule(
                person_id=person.id,
                commune_id=person.commune_id,
                lesson=lesson.slug,
                passed_on=passed_on,
                stage=1,
                catch_up=False,
                due_on=drill_rules.first_due(passed_on),
                seen=[],
                wrong=[],
            )
            db.session.add(plan)
            # Drills taken a day or two after they fell due, while that is past
            # (the latest one left for the learner now and then).
            while (
                lesson.drills
                and plan.due_on is not None
                and plan.due_on + timedelta(days=2) < today
                and rng.random() < 0.8
            ):
                _demo_drill(lesson, plan, rng, plan.due_on + timedelta(days=1))


def _demo_drill(lesson, plan: DrillSchedule, rng: random.Random, on: date) -> None:
    """One drill taken on ``on``: mostly right, and the schedule moved on."""
    choice = drill_rules.choose_items(lesson.drill_ids, plan.seen, plan.wrong)
    bank = {question.id: question for question in lesson.drill_bank("vi").questions}
    attempt = DrillAttempt(
        person_id=plan.person_id,
        lesson=plan.lesson,
        stage=plan.stage,
        catch_up=plan.catch_up,
        language="vi",
        items=choice.items,
    )
    db.session.add(attempt)
    db.session.flush()
    wrong = []
    for item in choice.items:
        response = _demo_response(bank[item], rng)
        correct = bank[item].grade(response).correct
        if not correct:
            wrong.append(item)
        db.session.add(
            DrillAnswer(
                attempt_id=attempt.id,
                item_id=item,
                commune_id=plan.commune_id,
                lesson=plan.lesson,
                stage=plan.stage,
                catch_up=plan.catch_up,
                correct=correct,
                response=response,
            )
        )
    attempt.started_at = attempt.finished_at = utcnow() - timedelta(
        days=(drills_today() - on).days
    )
    attempt.right = len(choice.items) - len(wrong)
    after = drill_rules.after_drill(
        plan.stage, plan.catch_up, plan.passed_on, on, bool(wrong)
    )
    plan.seen, plan.wrong = choice.seen, wrong
    plan.stage, plan.catch_up, plan.due_on = after.stage, after.catch_up, after.due_on


def _demo_progress(
    person: Person, library: Library, rng: random.Random, helper: Person | None
) -> None:
    """Some steps seen; for most, the lesson finished and one or two quiz attempts."""
    for lesson in library.ordered():
        seen = (
            lesson.step_count
            if rng.random() < 0.6
            else rng.randint(0, lesson.step_count)
        )
        for step in range(1, seen + 1):
            person.see_step(lesson.slug, step, helper)
        quiz = lesson.quiz("vi")
        if seen < lesson.step_count or quiz is None:
            continue
        person.complete_lesson(lesson.slug, helper)
        for _ in range(rng.randint(1, 2)):
            attempt = QuizAttempt(
                person=person,
                lesson=lesson.slug,
                language="vi",
                question_count=len(quiz.questions),
                assisted=helper is not None,
                assisted_by_id=helper.id if helper else None,
            )
            db.session.add(attempt)
            for question in quiz.questions:
                while True:
                    response = _demo_response(question, rng)
                    grade = question.grade(response)
                    token = secrets.token_urlsafe(16)
                    attempt.record(question.id, response, grade.correct, token)
                    if grade.correct:
                        break
            attempt.finish([q.id for q in quiz.questions])


def _demo_response(question: Question, rng: random.Random) -> list[str]:
    """Mostly the right answer; otherwise one key picked at random (usually wrong)."""
    if rng.random() < 0.7:
        return list(question.correct_response())
    keys = list(question.keys())
    return [rng.choice(keys)] if keys else []
