"""The ordering type: put the steps of a task in order, with position lists (no script)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from werkzeug.datastructures import MultiDict

from content import load_library
from content.questions.ordering import Ordering, OrderStep
from tests.samples.ordering import ORDER_EN, ORDER_VI, RIGHT, order_files

from .conftest import ROOT, start_quiz, stored_answers, token_in
from .samples import line, messages, write


def load_order(tmp_path, language: str = "vi") -> Ordering:
    library = load_library(write(tmp_path, order_files()))
    assert library.problems == []
    return library.get("otp").quiz(language).question(1)


def positions(order: list[str]) -> MultiDict:
    """The form a learner sends when the steps are in ``order``."""
    return MultiDict(
        [(f"position-{step}", str(order.index(step) + 1)) for step in RIGHT]
    )


# --- Grading -------------------------------------------------------------------------


def test_the_exact_order_is_right(tmp_path):
    question = load_order(tmp_path)
    assert question.correct_response() == RIGHT
    grade = question.grade(RIGHT)
    assert grade.correct and grade.feedback == ()
    assert [p.correct for p in grade.parts] == [True] * 5
    assert grade.parts[2].label == "Tự tay gõ mã OTP trong tin nhắn"
    assert (grade.parts[2].placed, grade.parts[2].expected) == (3, 3)


def test_each_step_out_of_place_says_which_step_it_is(tmp_path):
    question = load_order(tmp_path)
    swapped = ["id-and-phone", "otp", "send-request", "password", "passcode"]
    grade = question.grade(swapped)
    assert not grade.correct
    assert [(p.label, p.correct, p.placed, p.expected) for p in grade.parts[:3]] == [
        ("Nhập số định danh cá nhân và số điện thoại", True, 1, 1),
        ("Tự tay gõ mã OTP trong tin nhắn", False, 2, 3),
        ("Bấm “Gửi yêu cầu”", False, 3, 2),
    ]


def test_the_place_of_each_step_is_worded_in_the_learners_language(client, tmp_path):
    """The page, not the content, words "position 2, but step 3" (so it is translated)."""
    from flask import render_template_string

    grade = load_order(tmp_path).grade(
        ["id-and-phone", "otp", "send-request", "password", "passcode"]
    )
    with client.application.test_request_context():
        page = render_template_string(
            '{% from "quiz/_parts.html" import parts_list %}{{ parts_list(grade) }}',
            grade=grade,
        )
    assert "Đúng chỗ: đây là bước 1." in page
    assert "Bạn xếp ở vị trí 2, nhưng đây là bước 3." in page
    left_out = load_order(tmp_path).grade(RIGHT[:4])
    with client.application.test_request_context():
        page = render_template_string(
            '{% from "quiz/_parts.html" import parts_list %}{{ parts_list(grade) }}',
            grade=left_out,
        )
    assert "Bước này chưa được xếp; đây là bước 5." in page


@pytest.mark.parametrize(
    "response",
    [
        [],
        RIGHT[:4],
        [*RIGHT, "passcode"],
        [*RIGHT, "extra"],
        ["otp", "otp", "otp", "otp", "otp"],
        ["nope", "", ":", "x" * 10_000],
        [None, 1, {"a": 1}],  # not even strings (an edited store)
        list(reversed(RIGHT)),
        ["id-and-phone,send-request,otp,password,passcode"],
    ],
)
def test_any_other_response_is_wrong_without_failing(tmp_path, response):
    grade = load_order(tmp_path).grade(response)
    assert not grade.correct
    # Every step still gets its own line, placed or not.
    assert sorted(p.label for p in grade.parts) == sorted(
        s.text for s in load_order(tmp_path).steps
    )


def test_a_step_left_out_is_named(tmp_path):
    grade = load_order(tmp_path).grade(RIGHT[:4])
    assert (grade.parts[-1].placed, grade.parts[-1].expected) == (None, 5)
    assert not grade.parts[-1].correct


def test_the_form_needs_each_position_once(tmp_path):
    question = load_order(tmp_path)
    mixed = ["otp", "id-and-phone", "passcode", "send-request", "password"]
    assert question.response_from_form(positions(mixed)) == mixed
    assert question.response_from_form(positions(RIGHT)) == RIGHT
    same = positions(RIGHT)
    same["position-otp"] = "1"  # two steps at position 1
    assert question.response_from_form(same) is None
    missing = positions(RIGHT)
    del missing["position-otp"]
    assert question.response_from_form(missing) is None
    for bad in ("0", "6", "-1", "", "two", "1.5", "٣", "1e1"):
        form = positions(RIGHT)
        form["position-otp"] = bad
        assert question.response_from_form(form) is None, bad
    twice = positions(RIGHT)
    twice.add("position-otp", "3")
    assert question.response_from_form(twice) is None
    assert question.response_from_form(MultiDict()) is None


def test_the_steps_are_shown_shuffled_the_same_way_every_time(tmp_path):
    question = load_order(tmp_path)
    shown = [s.id for s in question.shuffled()]
    assert shown != RIGHT and sorted(shown) == sorted(RIGHT)
    assert [s.id for s in load_order(tmp_path, "en").shuffled()] == shown
    # The same in another process, whatever its hash seed.
    code = (
        "from content.questions.ordering import Ordering, OrderStep\n"
        f"steps = [OrderStep(i, i) for i in {RIGHT!r}]\n"
        "q = Ordering(id='vneid-activation', prompt='?', explanation='', line=1,"
        " steps=steps)\n"
        "print(','.join(s.id for s in q.shuffled()))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345"},
    )
    assert other.stdout.strip() == ",".join(shown)


@pytest.mark.parametrize("count", range(3, 11))
def test_the_shuffle_is_never_the_right_order(count):
    for number in range(200):
        steps = [OrderStep(f"s{n}", f"Bước {n}") for n in range(count)]
        question = Ordering(
            id=f"q{number}", prompt="?", explanation="", line=1, steps=steps
        )
        shown = question.shuffled()
        assert shown != steps and sorted(s.id for s in shown) == sorted(
            s.id for s in steps
        )


def test_after_a_wrong_try_the_learners_order_is_shown(tmp_path):
    question = load_order(tmp_path)
    mine = ["otp", "id-and-phone", "passcode", "send-request", "password"]
    assert [s.id for s in question.display_order(mine)] == mine
    shuffled = [s.id for s in question.shuffled()]
    for odd in (None, [], ["otp"], [*RIGHT, "otp"], ["x"] * 5):
        assert [s.id for s in question.display_order(odd)] == shuffled


def test_shape_summary_and_labels(tmp_path):
    question = load_order(tmp_path)
    assert question.shape() == load_order(tmp_path, "en").shape()
    assert question.summary() == "Xếp các bước kích hoạt VNeID theo đúng thứ tự."
    assert question.label_of("otp") == "Tự tay gõ mã OTP trong tin nhắn"
    assert question.label_of("nope") == "nope"
    assert list(question.keys()) == RIGHT


# --- Checking the quiz file ----------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "expected"),
    [
        (
            "      - id: password",
            "      - id: otp",
            ("      - id: otp", 2),
            f"step 'otp' is listed twice (first on line {line(ORDER_VI, '- id: otp')})",
        ),
        (
            'text: "Tạo mật khẩu"',
            'text: "Tự tay gõ mã OTP  trong tin nhắn"',
            ("      - id: password", 1),
            "step 4 is listed twice: its text is the same as step 'otp' on line"
            f" {line(ORDER_VI, '- id: otp')}",
        ),
        (
            '        text: "Tạo mật khẩu"\n',
            "",
            ("      - id: password", 1),
            "step 4 has no 'text'",
        ),
        (
            "      - id: password\n",
            "      - text2: x\n",
            ("text2: x", 1),
            "unknown field 'text2'",
        ),
        (
            '    steps:\n      - id: id-and-phone\n        text: "Nhập số định danh cá nhân và số điện thoại"\n'
            '      - id: send-request\n        text: "Bấm “Gửi yêu cầu”"\n'
            '      - id: otp\n        text: "Tự tay gõ mã OTP trong tin nhắn"\n',
            "    steps:\n",
            ("    steps:", 1),
            "'steps' needs at least 3 entries (found 2)",
        ),
        (
            "      - id: otp\n",
            "      - id: mã otp\n",
            ("- id: mã otp", 1),
            "step id 'mã otp' may only use letters, digits, '-' and '_'",
        ),
        (
            '    prompt: "Xếp các bước kích hoạt VNeID theo đúng thứ tự."\n',
            "",
            ("- id: vneid-activation", 1),
            "the question has no 'prompt'",
        ),
        (
            "    steps:\n",
            "    stepz:\n",
            ("- id: vneid-activation", 1),
            "question 1 needs a list 'steps'",
        ),
        (
            '      - id: passcode\n        text: "Tạo passcode 6 chữ số"\n',
            "".join(
                f'      - id: more-{n}\n        text: "Bước thêm {n}"\n'
                for n in range(7)
            ),
            ("    steps:", 1),
            "'steps' has 11 entries: give at most 10",
        ),
    ],
)
def test_each_mistake_names_its_file_and_line(tmp_path, old, new, where, expected):
    assert old in ORDER_VI, "the test's fixture changed"
    broken = ORDER_VI.replace(old, new, 1)
    wanted = f"quizzes/otp.vi.yaml:{line(broken, *where)}: {expected}"
    found = messages(write(tmp_path, order_files(vi=broken)))
    assert any(m.startswith(wanted) for m in found), (wanted, found)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("      - id: otp\n", "      - id: code\n"),  # another id
        (  # two steps the other way round
            '      - id: password\n        text: "Create a password"\n'
            '      - id: passcode\n        text: "Create a 6-digit passcode"\n',
            '      - id: passcode\n        text: "Create a 6-digit passcode"\n'
            '      - id: password\n        text: "Create a password"\n',
        ),
        ("    review_step: 2\n", "    review_step: 1\n"),
    ],
)
def test_a_different_order_in_english_is_a_mismatch(tmp_path, old, new):
    assert old in ORDER_EN
    found = messages(write(tmp_path, order_files(en=ORDER_EN.replace(old, new, 1))))
    assert found == [
        f"quizzes/otp.en.yaml:{line(ORDER_EN, '- id: vneid-activation')}: question"
        " 'vneid-activation' must have the same type, options, right answer and"
        " review_step as in quizzes/otp.vi.yaml"
    ]


# --- Through the web app, without JavaScript -------------------------------------------


@pytest.fixture
def app(content_app, tmp_path):
    """The app serving a lesson whose quiz is one ordering question."""
    return content_app(write(tmp_path / "content", order_files()))


def shown_order(page: str) -> list[str]:
    return re.findall(r'<li class="order-step" data-step="([^"]+)">', page)


def selected(page: str) -> dict[str, str]:
    """Each step's position as the page has it chosen."""
    found = re.findall(
        r'<select id="position-([^"]+)" name="position-[^"]+">(.*?)</select>',
        page,
        flags=re.S,
    )
    return {
        step: re.search(r'<option value="(\d+)" selected>', options).group(1)
        for step, options in found
    }


def test_the_page_works_with_position_lists(client, learner, app):
    url = start_quiz(client, "otp")
    page = client.get(url).get_data(as_text=True)
    question = app.extensions["hocso_library"].get("otp").quiz("vi").question(1)
    shuffled = [s.id for s in question.shuffled()]
    assert shown_order(page) == shuffled != RIGHT
    assert selected(page) == {step: str(n) for n, step in enumerate(shuffled, 1)}
    assert "Chọn vị trí cho từng bước: số 1 là việc làm đầu tiên." in page
    assert '<label class="order-position" for="position-otp">Vị trí' in page
    assert "js/types/ordering.js" in page and "css/types/ordering.css" in page
    # The Up/Down buttons wait for the script; without it they stay hidden.
    assert page.count('class="button secondary move"') == 10
    assert page.count('<span class="order-moves" hidden>') == 5
    assert 'aria-label="Lên: Tự tay gõ mã OTP trong tin nhắn"' in page
    assert 'aria-label="Xuống: Tạo passcode 6 chữ số"' in page

    # Sent as shown (never the right order): wrong, with a line for every step.
    form = {f"position-{step}": str(n) for n, step in enumerate(shuffled, 1)}
    client.post(url, data=form | {"token": token_in(page)})
    page = client.get(url).get_data(as_text=True)
    assert "Không sao, mình cùng xem lại nhé." in page
    assert "nhưng đây là bước" in page
    # The next try starts from the learner's own order.
    assert shown_order(page) == shuffled

    right = {f"position-{step}": str(n) for n, step in enumerate(RIGHT, 1)}
    client.post(url, data=right | {"token": token_in(page)})
    page = client.get(url).get_data(as_text=True)
    assert "Đúng rồi!" in page and "Đúng chỗ: đây là bước 5." in page
    assert stored_answers(client.application) == [(shuffled, False), (RIGHT, True)]


def test_two_steps_at_one_position_are_sent_back_with_a_reason(client, learner):
    url = start_quiz(client, "otp")
    page = client.get(url).get_data(as_text=True)
    form = {f"position-{step}": "1" for step in RIGHT}
    response = client.post(url, data=form | {"token": token_in(page)})
    assert response.status_code == 303 and response.location.endswith("?empty=1")
    page = client.get(response.location).get_data(as_text=True)
    assert "Có hai bước đang cùng một vị trí." in page
    assert stored_answers(client.application) == []
