"""A learner's whole journey in real Chromium: register, the VNeID lesson, its quiz, progress.

The phone test runs axe-core (WCAG 2.2 A/AA, target size on) on every page it visits and
saves a screenshot of each in test-artifacts/. The right answers come from the quiz file
itself, so the test follows the content when it changes.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from models import Answer, LessonCompletion, Person, QuizAttempt, StepView, db

from .conftest import (
    DESKTOP,
    Problems,
    answer_button,
    commune_label,
    fill_learner_form,
)

pytestmark = pytest.mark.browser

SLUG = "vneid"
LEARNER = "Bà Nga (thử)"
BIRTH_YEAR = 1946
STEP_COUNT = re.compile(r"^Bước (\d+)/(\d+)$")
VERDICT_LABELS = {"scam": "Lừa đảo", "safe": "An toàn"}
THATS_RIGHT = "Đúng rồi!"


@pytest.fixture(scope="module")
def lesson(library):
    """The VNeID lesson and quiz as the files say, read from the repository once."""
    assert not library.problems, library.problems
    return library.get(SLUG)


@pytest.fixture(scope="module")
def questions(lesson):
    return lesson.quiz("vi").questions


# --- What a learner does on a page --------------------------------------------------------


def step_position(page) -> tuple[int, int]:
    """(N, M) from the "Bước N/M" line of a step page."""
    text = page.get_by_text(STEP_COUNT).inner_text().strip()
    number, total = STEP_COUNT.match(text).groups()
    return int(number), int(total)


def answer_keys(question, right: bool) -> list[str]:
    """The option keys to choose: the right answer, or a plainly wrong one."""
    if right:
        return question.correct_response()
    return [next(o.key for o in question.options if not o.correct)]


def choose_answer(page, question, keys: list[str]):
    """Choose ``keys`` the way a person does, up to (not including) the answer button.

    Returns that button, or None where choosing is answering (a scam/safe verdict)."""
    if question.name == "ordering":
        for position, step_id in enumerate(keys, start=1):
            text = question.label_of(step_id)
            box = page.get_by_role("combobox", name=re.compile(re.escape(text)))
            box.select_option(str(position))
        return answer_button(page)
    if question.name == "phone_call":
        for entry in keys:
            turn_id, _, reply_key = entry.partition(":")
            reply = next(
                r for r in question.turns[turn_id].replies if r.key == reply_key
            )
            page.get_by_role("link", name=reply.text, exact=True).click()
        return page.get_by_role("button", name="Gửi câu trả lời")
    if question.name == "scam_or_safe":
        (key,) = keys
        page.get_by_role("button", name=VERDICT_LABELS[key]).click()
        return None
    if question.name in ("sms_inbox", "web_address"):  # a chip on every message
        items = {item.id: item for item in question.items}
        for key in keys:
            item_id, _, verdict = key.partition("=")
            if not verdict:  # "pick the real address": one radio group
                chosen = f'input[name="answer"][value="{item_id}"]'
            else:
                field = question.field_name(items[item_id])
                chosen = f'input[name="{field}"][value="{verdict}"]'
            page.locator(f"label:has({chosen})").click()
        return answer_button(page)
    for option in question.options:
        box = page.get_by_label(option.text, exact=True)
        if option.key in keys:
            box.check()
        else:
            expect(box).not_to_be_checked()
    return answer_button(page)


def give_answer(page, question, keys: list[str]) -> None:
    """Choose ``keys`` the way a person does: tap the options' labels, then the button."""
    button = choose_answer(page, question, keys)
    if button is not None:
        button.click()


def expected_wrong_feedback(question, keys: list[str]) -> list[str]:
    """The kind words the quiz file has for this wrong answer."""
    if question.name == "scam_or_safe":
        return [question.feedback]
    return [o.feedback for o in question.options if o.key in keys and o.feedback]


def wrong_first(questions) -> set[str]:
    """Questions answered wrongly on purpose: the first single choice and first scam/safe."""
    chosen = set()
    for kind in ("single", "scam_or_safe"):
        chosen.add(next(q.id for q in questions if q.name == kind))
    return chosen


# --- The whole journey on a phone ---------------------------------------------------------


def test_whole_vneid_lesson_and_quiz_on_a_phone(
    live_server, page, visit, lesson, questions
):
    problems = Problems.watching(page)
    title = lesson.text("vi").title
    missed = wrong_first(questions)

    # Home, as a first-time visitor.
    page.goto(live_server("/"))
    expect(page).to_have_title(re.compile("HọcSố"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    visit(page, "home")

    # "Who is learning?": first sent empty, then filled in by label.
    page.get_by_role("link", name="Bắt đầu: cho biết ai đang học").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ai đang học?")
    visit(page, "learner-form")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Xin xem lại các ô được đánh dấu bên dưới."
    )
    expect(page.get_by_label("Họ và tên")).to_have_attribute("aria-invalid", "true")
    visit(page, "learner-form-errors")
    fill_learner_form(page, LEARNER, BIRTH_YEAR, commune_label(0))

    # Back home, remembered.
    expect(page).to_have_url(live_server("/"))
    expect(page.get_by_role("status")).to_contain_text(f"Chào {LEARNER}!")
    expect(page.get_by_role("link", name=f"Người học: {LEARNER}")).to_be_visible()
    visit(page, "home-with-learner")

    # The lesson's start page.
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    visit(page, "lesson-start")
    page.get_by_role("link", name="Bắt đầu học").click()

    # Every step, as many as the page says there are.
    number, total = step_position(page)
    assert number == 1
    assert total == lesson.step_count, "the page and the lesson file disagree"
    for expected in range(1, total + 1):
        assert step_position(page) == (expected, total)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            lesson.text("vi").steps[expected - 1].title
        )
        visit(page, f"step-{expected}")
        if expected < total:
            page.get_by_role("link", name=re.compile(r"^Tiếp theo")).click()
        else:
            expect(
                page.get_by_role("link", name=re.compile(r"^Tiếp theo"))
            ).to_have_count(0)
            page.get_by_role("button", name=re.compile(r"^Hoàn thành")).click()

    # The quiz's start page, with the "well done" for the lesson.
    expect(page.get_by_role("status")).to_contain_text(f"bài “{title}”")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bài kiểm tra: {title}")
    expect(
        page.get_by_text(f"{len(questions)} câu hỏi, mỗi trang một câu.")
    ).to_be_visible()
    visit(page, "quiz-intro")
    page.get_by_role("button", name="Bắt đầu làm bài").click()

    # Every question: the right answer from the quiz file; some wrong on purpose first.
    for number, question in enumerate(questions, start=1):
        expect(
            page.get_by_text(f"Câu {number}/{len(questions)}", exact=True)
        ).to_be_visible()
        if question.name == "scam_or_safe":
            expect(page.locator("blockquote")).to_have_text(question.situation)
        else:
            expect(page.get_by_role("heading", level=1)).to_have_text(question.prompt)
        visit(page, f"question-{number}")

        if question.id in missed:
            wrong = answer_keys(question, right=False)
            give_answer(page, question, wrong)
            feedback = page.get_by_role("status")
            expect(feedback).not_to_contain_text(THATS_RIGHT)
            for text in expected_wrong_feedback(question, wrong):
                expect(feedback).to_contain_text(text)
            if question.hint:
                expect(feedback).to_contain_text(question.hint)
            expect(
                page.get_by_role("button", name="Xem câu trả lời đúng")
            ).to_be_visible()
            visit(page, f"question-{number}-wrong")

        give_answer(page, question, answer_keys(question, right=True))
        feedback = page.get_by_role("status")
        expect(feedback).to_contain_text(THATS_RIGHT)
        expect(feedback).to_contain_text(question.explanation)
        visit(page, f"question-{number}-right")
        if number < len(questions):
            page.get_by_role("link", name=re.compile(r"^Câu tiếp theo")).click()
        else:
            page.get_by_role("button", name="Xem kết quả").click()

    # The result: the score on first tries, and the steps worth looking at again.
    score = len(questions) - len(missed)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết quả của bạn")
    expect(page.locator(".score")).to_have_text(
        f"Trả lời đúng ngay lần đầu: {score}/{len(questions)} câu"
    )
    for question in questions:
        if question.id in missed and question.review_step:
            step_title = lesson.text("vi").steps[question.review_step - 1].title
            expect(
                page.get_by_role(
                    "link", name=f"Xem lại bước {question.review_step}: {step_title}"
                )
            ).to_be_visible()
    visit(page, "result")

    # The progress page, from the learner's name in the header.
    page.get_by_role("link", name=f"Người học: {LEARNER}").click()
    expect(page).to_have_url(live_server("/progress"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Quá trình học của {LEARNER}"
    )
    card = page.locator("li.tile").filter(has=page.get_by_role("heading", name=title))
    cells = dict(
        zip(
            card.locator("dt").all_inner_texts(),
            card.locator("dd").all_inner_texts(),
            strict=True,
        )
    )
    assert cells == {
        "Số bước đã xem": f"{total}/{total}",
        "Đã học xong": "Rồi",
        "Kiểm tra: lần đầu": f"{score}/{len(questions)}",
        "Kiểm tra: tốt nhất": f"{score}/{len(questions)}",
    }
    problems.assert_none()

    # What the database kept.
    with live_server.app.app_context():
        person = db.session.scalars(select(Person).where(Person.name == LEARNER)).one()
        assert person.birth_year == BIRTH_YEAR
        assert person.commune.full_name == commune_label(0)
        steps = db.session.scalars(
            select(StepView.step).where(
                StepView.person_id == person.id, StepView.lesson == SLUG
            )
        ).all()
        assert sorted(steps) == list(range(1, total + 1))
        assert db.session.scalars(
            select(LessonCompletion).where(
                LessonCompletion.person_id == person.id, LessonCompletion.lesson == SLUG
            )
        ).one()
        attempt = db.session.scalars(
            select(QuizAttempt).where(QuizAttempt.person_id == person.id)
        ).one()
        assert attempt.lesson == SLUG
        assert attempt.language == "vi"
        assert attempt.finished_at is not None
        assert attempt.first_try_score == score
        recorded = [
            (a.question_id, a.try_number, a.response, a.correct, a.revealed)
            for a in db.session.scalars(
                select(Answer)
                .where(Answer.attempt_id == attempt.id)
                .order_by(Answer.id)
            )
        ]
        expected = []
        for question in questions:
            if question.id in missed:
                wrong = answer_keys(question, right=False)
                expected.append((question.id, 1, wrong, False, False))
            right = answer_keys(question, right=True)
            expected.append(
                (question.id, 1 + (question.id in missed), right, True, False)
            )
        assert recorded == expected

    visit(page, "progress")


# --- Without JavaScript ----------------------------------------------------------------------


def test_lesson_and_a_quiz_answer_work_without_javascript(
    live_server, new_context, visit, lesson, questions
):
    """Everything is plain links and forms: no script is needed to learn or answer."""
    page = new_context(java_script_enabled=False, bypass_csp=False).new_page()
    problems = Problems.watching(page)

    page.goto(live_server("/learner/start"))
    fill_learner_form(page, LEARNER, BIRTH_YEAR, commune_label(1))
    expect(page.get_by_role("link", name=f"Người học: {LEARNER}")).to_be_visible()

    page.goto(live_server(f"/lessons/{SLUG}"))
    page.get_by_role("link", name="Bắt đầu học").click()
    first_steps = 3
    for expected in range(1, first_steps + 1):
        assert step_position(page) == (expected, lesson.step_count)
        visit(page, f"step-{expected}", accessibility=False)
        page.get_by_role("link", name=re.compile(r"^Tiếp theo")).click()
    assert step_position(page) == (first_steps + 1, lesson.step_count)

    page.goto(live_server(f"/lessons/{SLUG}"))
    page.get_by_role("link", name="Làm bài kiểm tra").click()
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    question = questions[0]
    give_answer(page, question, answer_keys(question, right=True))
    expect(page.get_by_role("status")).to_contain_text(THATS_RIGHT)
    visit(page, "question-1-right", accessibility=False)
    problems.assert_none()

    with live_server.app.app_context():
        person = db.session.scalars(select(Person).where(Person.name == LEARNER)).one()
        assert person.steps_seen(SLUG) == set(range(1, first_steps + 2))
        (answer,) = db.session.scalars(
            select(Answer).join(QuizAttempt).where(QuizAttempt.person_id == person.id)
        ).all()
        assert (answer.question_id, answer.correct) == (question.id, True)

    # "Read aloud" needs a script: without one it must not be offered (it would do nothing).
    page.goto(live_server(f"/lessons/{SLUG}/steps/1"))
    expect(page.locator(".read-aloud")).to_be_hidden()


# --- On a desktop screen -----------------------------------------------------------------------


def test_step_page_on_a_desktop_screen(live_server, new_context, visit, lesson):
    """A wide screen: the step keeps a readable width; the CSP allows everything the page loads."""
    strict = new_context(viewport=DESKTOP, bypass_csp=False).new_page()
    problems = Problems.watching(strict)
    strict.goto(live_server("/learner/start"))
    fill_learner_form(strict, LEARNER, BIRTH_YEAR, commune_label(2))
    with_image = next(step.number for step in lesson.text("vi").steps if step.images)
    strict.goto(live_server(f"/lessons/{SLUG}/steps/{with_image}"))
    assert step_position(strict) == (with_image, lesson.step_count)
    expect(strict.get_by_role("img").first).to_be_visible()
    # No console error: the CSP (on here) blocked nothing the page needs.
    problems.assert_none()
    visit(strict, f"step-{with_image}-desktop", accessibility=False)
    main_width = strict.locator("main").bounding_box()["width"]
    assert main_width < DESKTOP["width"] * 0.75, (
        "lines too long to read on a wide screen"
    )

    # The same page checked with axe (in a context that lets axe's script in).
    checked = new_context(viewport=DESKTOP).new_page()
    checked.context.add_cookies(strict.context.cookies())
    checked.goto(strict.url)
    visit(checked, f"step-{with_image}-desktop-axe")


# --- The learner form's messages ---------------------------------------------------------------


def test_an_empty_learner_form_points_at_every_field(live_server, page):
    """Sent empty, each field says what it needs, all at once, in words that fit."""
    page.goto(live_server("/learner/start"))
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Xin xem lại các ô được đánh dấu bên dưới."
    )
    needs = {
        "Họ và tên": "Xin ghi họ và tên người học.",
        # An empty box needs the year written, not "only digits".
        "Năm sinh": "Xin ghi năm sinh, ví dụ 1950.",
    }
    for label, message in needs.items():
        field = page.get_by_label(label)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    picker = page.get_by_role("group", name="Xã hoặc phường")
    expect(picker).to_have_accessible_description("Xin chọn xã hoặc phường.")
