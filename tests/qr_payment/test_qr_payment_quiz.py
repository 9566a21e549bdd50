"""The qr_payment question type: loading, the content check, and grading."""

from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from content import load_library
from content.questions.qr_payment import QrPayment
from content.vietqr import (
    parse_payload,
    vietqr_payload,
)
from tests.samples.qr_payment import QUIZ_EN, SLUG, qr_files

from ..samples import changed, write


def questions(tmp_path, language: str = "vi") -> list[QrPayment]:
    library = load_library(write(tmp_path, qr_files()))
    assert library.problems == []
    return library.get(SLUG).quiz(language).questions


def messages(tmp_path, files: dict[str, str]) -> list[str]:
    return [str(p) for p in load_library(write(tmp_path, files)).problems]


def test_the_three_payments_load_with_their_qr_codes(tmp_path):
    swapped, wrong_amount, genuine = questions(tmp_path)
    assert swapped.sticker.payload == vietqr_payload("999999", "0009876543")
    assert parse_payload(wrong_amount.sticker.payload).amount == 350000
    assert parse_payload(wrong_amount.sticker.payload).one_time
    assert parse_payload(wrong_amount.sticker.payload).message == "tien rau"
    assert swapped.amount == 45000 and swapped.amount_typed
    assert wrong_amount.amount == 350000 and not wrong_amount.amount_typed
    assert genuine.correct_response() == ["confirm"]
    assert "MẪU" in genuine.sticker.svg
    assert swapped.summary() == swapped.prompt


def test_the_situation_is_optional(tmp_path):
    files = qr_files()
    vi = files["quizzes/pay.vi.yaml"]
    files["quizzes/pay.vi.yaml"] = re.sub(r"    situation: .*\n", "", vi, count=1)
    library = load_library(write(tmp_path, files))
    assert library.problems == []
    first = library.get(SLUG).quiz("vi").question(1)
    assert first.situation is None and first.prompt == "Trả tiền cơm bằng mã QR"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    price: 45000\n",
            "",
            "quizzes/pay.vi.yaml:2: question 1 has no 'price'",
        ),
        (
            "    price: 45000\n",
            "    price: 45.000\n",
            "quizzes/pay.vi.yaml:7: 'price' must be a whole number of đồng from 1 to "
            "1000000000, written with digits only: 180000, not 180.000",
        ),
        (
            "      amount: 350000",
            "      amount: -350000",
            "quizzes/pay.vi.yaml:29: 'amount' must be a whole number of đồng",
        ),
        (
            '      bin: "999999"',
            '      bin: "99999"',
            "quizzes/pay.vi.yaml:10: 'bin' must be 6 digits (found '99999')",
        ),
        (
            '      bin: "999999"',
            "      bin: 999999",
            "quizzes/pay.vi.yaml:10: 'bin' must be written in quotes",
        ),
        (
            '      account: "0009876543"',
            "      account: 0009876543",
            "quizzes/pay.vi.yaml:11: 'account' must be written in quotes, "
            'e.g. account: "9876543" (a number loses its leading zeros)',
        ),
        (
            '      account: "0009876543"',
            '      account: "0009 876 543"',
            "quizzes/pay.vi.yaml:11: 'account' must be 1 to 19 letters or digits, "
            "without spaces (found '0009 876 543')",
        ),
        (
            '      account: "0009876543"\n',
            "",
            "quizzes/pay.vi.yaml:9: the sticker has no 'account'",
        ),
        (
            '      message: "tien rau"',
            '      message: "tiền rau"',
            "quizzes/pay.vi.yaml:30: 'message' must be written without accents",
        ),
        (
            '      shop: "Quán cơm Cô A (mẫu)"',
            '      shp: "Quán cơm Cô A (mẫu)"',
            "quizzes/pay.vi.yaml:9: unknown field 'shp'",
        ),
        (
            '    sticker:\n      shop: "Quán cơm Cô A (mẫu)"\n      bin: "999999"\n'
            '      account: "0009876543"\n',
            "    sticker: QR\n",
            "quizzes/pay.vi.yaml:8: 'sticker' must be a set of 'key: value' lines",
        ),
        (
            '      name: "TRAN VAN B"\n',
            "",
            "quizzes/pay.vi.yaml:13: the banking app screen has no 'name'",
        ),
        (
            "    answer: refuse",
            "    answer: maybe",
            "quizzes/pay.vi.yaml:15: 'answer' must be one of: confirm, refuse",
        ),
        (
            '    reason: "Không chuyển: tên người nhận trên màn hình khác tên chủ quán."\n',
            "",
            "quizzes/pay.vi.yaml:2: question 1 has no 'reason'",
        ),
        (
            '    answer: refuse\n    feedback: "Chưa đúng. Hãy nhìn số tiền',
            '    answer: confirm\n    feedback: "Chưa đúng. Hãy nhìn số tiền',
            "quizzes/pay.vi.yaml:34: 'answer: confirm' but the QR code asks for "
            "350.000\u00a0đ and the price is 35.000\u00a0đ: a wrong amount is refused",
        ),
        (
            '      name: "NGUYEN THI A"\n',
            '      name: "NGUYEN THI A"\n      warning: "Cảnh báo (mẫu): tài khoản nghi lừa đảo."\n',
            "quizzes/pay.vi.yaml:52: 'answer: confirm' but the screen shows a 'warning'",
        ),
    ],
)
def test_each_problem_names_its_file_and_line(tmp_path, old, new, expected):
    found = messages(tmp_path, changed(qr_files(), "quizzes/pay.vi.yaml", old, new))
    assert any(m.startswith(expected) for m in found), found


def test_a_warning_with_refuse_is_fine_and_the_same_in_both_languages(tmp_path):
    files = qr_files()
    for name, words in (("vi", "Cảnh báo (mẫu)"), ("en", "Warning (sample)")):
        path = f"quizzes/pay.{name}.yaml"
        files[path] = files[path].replace(
            '      name: "TRAN VAN B"\n',
            f'      name: "TRAN VAN B"\n      warning: "{words}"\n',
            1,
        )
    assert messages(tmp_path, files) == []
    files["quizzes/pay.en.yaml"] = QUIZ_EN
    assert messages(tmp_path / "again", files) == [
        "quizzes/pay.en.yaml:2: question 'swapped-sticker' must have the same type, "
        "options, right answer and review_step as in quizzes/pay.vi.yaml"
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    answer: confirm", "    answer: refuse"),
        ('      account: "0001112223"', '      account: "0001112224"'),
        ("    price: 45000\n    sticker:\n      shop: \"Cô A's rice stall (sample)\"\n"
         '      bin: "999999"\n      account: "0001112223"',
         "    price: 46000\n    sticker:\n      shop: \"Cô A's rice stall (sample)\"\n"
         '      bin: "999999"\n      account: "0001112223"'),
    ],
)  # fmt: skip
def test_languages_must_agree_on_answer_and_qr_code(tmp_path, old, new):
    files = qr_files()
    assert old in files["quizzes/pay.en.yaml"]
    files["quizzes/pay.en.yaml"] = files["quizzes/pay.en.yaml"].replace(old, new, 1)
    assert messages(tmp_path, files) == [
        "quizzes/pay.en.yaml:38: question 'genuine' must have the same type, options, "
        "right answer and review_step as in quizzes/pay.vi.yaml"
    ]


def test_grading_right_wrong_and_garbage(tmp_path):
    swapped, wrong_amount, genuine = questions(tmp_path)
    right = swapped.grade(["refuse"])
    assert right.correct and right.feedback == ()
    assert right.parts[0].correct and right.parts[0].feedback == swapped.reason
    assert right.parts[0].label == "TRAN VAN B · 45.000\u00a0đ"

    wrong = swapped.grade(["confirm"])
    assert not wrong.correct and wrong.feedback == (swapped.feedback,)
    assert not wrong.parts[0].correct and "khác tên chủ quán" in wrong.parts[0].feedback

    assert wrong_amount.grade(["confirm"]).parts[0].label == "LE THI C · 350.000\u00a0đ"
    assert genuine.grade(["confirm"]).correct
    assert genuine.grade(["refuse"]).feedback == (genuine.feedback,)
    for garbage in ([], ["maybe"], ["refuse", "refuse"], ["confirm", "refuse"], [""]):
        assert not swapped.grade(garbage).correct
        assert not genuine.grade(garbage).correct
    for question in (swapped, wrong_amount, genuine):
        assert question.grade(question.correct_response()).correct


def test_the_answer_comes_from_the_button_pressed(tmp_path):
    swapped = questions(tmp_path)[0]
    assert swapped.response_from_form(MultiDict([("answer", "refuse")])) == ["refuse"]
    assert swapped.response_from_form(MultiDict([("answer", "confirm")])) == ["confirm"]
    assert swapped.response_from_form(MultiDict([("answer", "maybe")])) is None
    assert swapped.response_from_form(MultiDict()) is None
    both = MultiDict([("answer", "confirm"), ("answer", "refuse")])
    assert swapped.response_from_form(both) is None
