"""The phone_call type: a scam call answered line by line, graded on how it ends."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from content import load_library
from tests.samples.phone_call import (
    CALL_VI,
    LONG_SAFE_PATH,
    WRONG_PATH,
    call_files,
)

from ..samples import write


def load_call(tmp_path, vi: str = CALL_VI):
    library = load_library(write(tmp_path, call_files(vi)))
    assert library.problems == []
    return library.get("otp").quiz("vi").question(1)


def test_a_call_that_ends_safely_is_right(tmp_path):
    call = load_call(tmp_path)
    assert call.correct_response() == ["start:b"]
    right = call.grade(["start:b"])
    assert right.correct and right.feedback == ()
    assert right.parts[0].label == "“Tôi sẽ tự đến công an xã.”"
    assert right.parts[0].correct
    # A longer way round still ends safely: right, and each reply has its own line.
    longer = call.grade(LONG_SAFE_PATH)
    assert longer.correct
    assert [p.correct for p in longer.parts] == [False, False, True]
    assert longer.parts[1].feedback == "Bắt giữ bí mật là dấu hiệu lừa đảo."


def test_losing_money_is_wrong_and_the_ending_says_why(tmp_path):
    call = load_call(tmp_path)
    grade = call.grade(WRONG_PATH)
    assert not grade.correct
    assert grade.feedback == (
        "Bạn đã mất tiền. Kẻ gian giả làm công an, bắt giữ bí mật rồi bảo chuyển tiền.",
    )
    assert [p.label for p in grade.parts] == [
        "“Trời ơi, tôi phải làm gì?”",
        "“Vâng, tôi không kể với ai.”",
        "“Vâng, tôi chuyển ngay.”",
    ]
    assert [p.feedback for p in grade.parts][2] == (
        "Công an không bao giờ gọi điện bắt chuyển tiền."
    )
    assert not any(p.correct for p in grade.parts)
    # A shorter way to the same loss.
    assert not call.grade(["start:c", "transfer:a"]).correct


@pytest.mark.parametrize(
    "response",
    [
        [],
        ["start:a"],  # the call has not ended
        ["secret:b"],  # not where the call starts
        ["start:z"],
        ["start"],
        ["", ":", "::"],
        ["start:b:x"],
        ["x" * 10_000],
        ["start:a", "start:a"],
        [None, 3, {"a": 1}],  # not even strings (an edited store)
        ["start:a,secret:b"],
        ["start:a"] * 1000,
    ],
)
def test_any_other_response_is_wrong_without_failing(tmp_path, response):
    grade = load_call(tmp_path).grade(response)
    assert not grade.correct
    assert all(part.label and part.feedback for part in grade.parts)


def test_entries_after_the_end_are_ignored(tmp_path):
    call = load_call(tmp_path)
    assert call.grade(["start:b", "secret:a"]).correct
    assert len(call.grade(["start:b", "secret:a"]).parts) == 1


def test_the_form_sends_a_whole_call_or_nothing(tmp_path):
    call = load_call(tmp_path)

    def form(*entries):
        return MultiDict([("answer", e) for e in entries])

    assert call.response_from_form(form(*WRONG_PATH)) == WRONG_PATH
    assert call.response_from_form(form("start:b")) == ["start:b"]
    assert call.response_from_form(form()) is None
    assert call.response_from_form(form("start:a")) is None  # not ended yet
    assert call.response_from_form(form("start:b", "secret:a")) is None  # too long
    assert call.response_from_form(form("start:a", "transfer:a")) is None
    assert call.response_from_form(form("garbage")) is None


def test_view_state_follows_the_path_and_ignores_garbage(tmp_path):
    call = load_call(tmp_path)
    fresh = call.view_state(MultiDict())
    assert fresh["path"] == [] and fresh["call"].turn.id == "start"
    assert fresh["links"] == {
        "a": "start:a",
        "b": "start:b",
        "c": "start:c",
    }
    middle = call.view_state(MultiDict({"path": "start:a,secret:a"}))
    assert middle["call"].turn.id == "transfer"
    assert middle["links"]["b"] == "start:a,secret:a,transfer:b"
    # Garbage after a good start is dropped; garbage first means the call starts over.
    cut = call.view_state(MultiDict({"path": "start:a,<script>,secret:a"}))
    assert cut["path"] == ["start:a"] and cut["call"].turn.id == "secret"
    assert call.view_state(MultiDict({"path": "zzz,start:a"}))["path"] == []
    assert call.view_state(MultiDict({"path": ",,,"}))["path"] == []
    ended = call.view_state(MultiDict({"path": ",".join(WRONG_PATH)}))
    assert ended["call"].ending.id == "lost-money" and ended["links"] == {}
    assert call.view_state({"path": "x" * 100_000})["path"] == []
    assert call.view_state(None)["path"] == []


def test_shape_summary_and_labels(tmp_path):
    call = load_call(tmp_path)
    assert call.summary() == "Một số lạ gọi đến. Bạn trả lời thế nào?"
    assert call.label_of("start:b") == "Tôi sẽ tự đến công an xã."
    assert call.label_of("nope") == "nope"
    assert "transfer:a" in list(call.keys())
    english = load_library(write(tmp_path, call_files())).get("otp").quiz("en")
    assert english.question(1).shape() == call.shape()


def test_a_loop_the_caller_can_leave_is_allowed(tmp_path):
    looping = CALL_VI.replace(
        '            next: transfer\n            feedback: "Đừng',
        '            next: start\n            feedback: "Đừng',
    )
    files = call_files(looping, looping)
    library = load_library(write(tmp_path, files))
    assert library.problems == []
    call = library.get("otp").quiz("vi").question(1)
    assert call.grade(["start:c", "start:c", "start:b"]).correct
