"""Grading of each question type, and reading answers from a submitted form."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from content.questions import QUESTION_TYPES
from content.questions.base import Option
from content.questions.choice import MultipleChoice, ScamOrSafe, SingleChoice


def single() -> SingleChoice:
    return SingleChoice(
        id="q",
        prompt="Ai được biết mã OTP?",
        explanation="OTP là của riêng bạn.",
        line=1,
        options=[
            Option("a", "Nhân viên ngân hàng", feedback="Ngân hàng không hỏi OTP."),
            Option("b", "Chỉ mình bạn", correct=True),
            Option("c", "Công an", feedback="Công an không hỏi OTP."),
        ],
    )


def multiple() -> MultipleChoice:
    return MultipleChoice(
        id="m",
        prompt="Dấu hiệu lừa đảo?",
        explanation="…",
        line=1,
        options=[
            Option("a", "Giục chuyển tiền gấp", correct=True),
            Option("b", "Xin mã OTP", correct=True),
            Option("c", "Gọi bằng tên bạn", feedback="Kẻ gian cũng biết tên bạn."),
        ],
    )


def test_the_registry_knows_every_built_in_type():
    assert {"single", "multiple", "scam_or_safe"} <= set(QUESTION_TYPES)
    for cls in QUESTION_TYPES.values():
        assert cls.template.startswith("quiz/types/")


def test_single_choice_right_and_wrong():
    question = single()
    assert question.grade(["b"]).correct
    wrong = question.grade(["a"])
    assert not wrong.correct and wrong.feedback == ("Ngân hàng không hỏi OTP.",)
    assert wrong.missed == 0  # "tick one more" is for several-choice questions only
    assert question.correct_response() == ["b"]


def test_single_choice_reads_one_known_key_only():
    question = single()
    assert question.response_from_form(MultiDict([("answer", "b")])) == ["b"]
    assert question.response_from_form(MultiDict([("answer", "z")])) is None
    assert (
        question.response_from_form(MultiDict([("answer", "a"), ("answer", "b")]))
        is None
    )
    assert question.response_from_form(MultiDict()) is None


def test_multiple_choice_needs_exactly_the_right_set():
    question = multiple()
    assert question.grade(["a", "b"]).correct
    partial = question.grade(["a"])
    assert not partial.correct and partial.missed == 1 and partial.feedback == ()
    with_wrong = question.grade(["a", "b", "c"])
    assert not with_wrong.correct and with_wrong.feedback == (
        "Kẻ gian cũng biết tên bạn.",
    )
    assert question.response_from_form(
        MultiDict([("answer", "b"), ("answer", "a")])
    ) == [
        "a",
        "b",
    ]


def test_scam_or_safe():
    question = ScamOrSafe(
        id="s",
        prompt=None,
        explanation="Công an không gọi điện bắt chuyển tiền.",
        line=1,
        situation="Alô, tôi là công an…",
        answer="scam",
        feedback="Đây là kịch bản lừa đảo quen thuộc.",
        options=[Option("scam", "scam", correct=True), Option("safe", "safe")],
    )
    assert question.grade(["scam"]).correct
    wrong = question.grade(["safe"])
    assert not wrong.correct and wrong.feedback == (
        "Đây là kịch bản lừa đảo quen thuộc.",
    )
    assert question.response_from_form(MultiDict([("answer", "safe")])) == ["safe"]
    assert question.response_from_form(MultiDict([("answer", "maybe")])) is None


def test_every_question_in_the_real_content_reads_back_its_own_answer_form(library):
    """For every type, the form for the right answer is read back as a right answer."""
    from werkzeug.datastructures import MultiDict

    seen = set()
    for lesson in library.ordered():
        for language in ("vi", "en"):
            for question in lesson.quiz(language).questions:
                right = question.correct_response()
                form = MultiDict(question.form_for(right))
                sent = question.response_from_form(form)
                assert sent is not None and question.grade(sent).correct, question.id
                assert question.grade(right).correct, question.id
                seen.add(question.name)
    assert seen == set(QUESTION_TYPES)
