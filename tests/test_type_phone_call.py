"""The phone_call type: a scam call answered line by line, graded on how it ends."""

from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from content import load_library
from tests.samples.phone_call import (
    CALL_EN,
    CALL_VI,
    LONG_SAFE_PATH,
    WRONG_PATH,
    call_files,
)

from .conftest import start_quiz, stored_answers, token_in
from .samples import line, messages, write


def load_call(tmp_path, vi: str = CALL_VI):
    library = load_library(write(tmp_path, call_files(vi)))
    assert library.problems == []
    return library.get("otp").quiz("vi").question(1)


# --- Grading -------------------------------------------------------------------------


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


# --- Checking the quiz file ----------------------------------------------------------


ORPHAN_TURN = """\
      - id: orphan
        says: "Alô?"
        replies:
          - text: "Ai đấy?"
            next: hung-up
            safe: true
            feedback: "Hỏi lại là tốt."
          - text: "Vâng."
            next: lost-money
            feedback: "Đừng làm theo người lạ."
    endings:
"""

LOOP_TURN = """\
      - id: loop
        says: "Bác nghe rõ không?"
        replies:
          - text: "Ông nói lại đi."
            next: loop
            feedback: "Đừng nói chuyện tiếp."
          - text: "Vâng, tôi nghe."
            next: loop
            feedback: "Đừng nói chuyện tiếp."
    endings:
"""


@pytest.mark.parametrize(
    ("changes", "where", "expected"),
    [
        (
            [("next: lost-money", "next: lost-monye")],
            ("next: lost-monye", 1),
            "reply a of turn 'transfer' has 'next: lost-monye', but there is no turn"
            " or ending with that id",
        ),
        (
            [("    endings:\n", ORPHAN_TURN)],
            ("- id: orphan", 1),
            "turn 'orphan' is never reached: no reply on the way from the first"
            " turn has 'next: orphan'",
        ),
        (
            [("next: lost-money", "next: hung-up")],
            ("- id: lost-money", 1),
            "ending 'lost-money' is never reached",
        ),
        (
            [
                ("    endings:\n", LOOP_TURN),
                (
                    'next: transfer\n            feedback: "Đừng',
                    'next: loop\n            feedback: "Đừng',
                ),
            ],
            ("- id: loop", 1),
            "turn 'loop' never reaches an ending: its replies go round in a loop",
        ),
        (
            [("        safe: false\n", "        safe: true\n")],
            ("endings:", 1),
            "the call needs an ending with 'safe: false' (the call ends with money lost)",
        ),
        (
            [
                (
                    "      - id: hung-up\n        safe: true",
                    "      - id: hung-up\n        safe: false",
                )
            ],
            ("endings:", 1),
            "the call needs an ending with 'safe: true' (the call ends safely)",
        ),
        (
            [("      - id: secret", "      - id: start")],
            ("      - id: start", 2),
            f"id 'start' is used twice (first on line {line(CALL_VI, '- id: start')})",
        ),
        (
            [("      - id: lost-money", "      - id: transfer")],
            ("      - id: transfer", 2),
            f"id 'transfer' is used twice (first on line {line(CALL_VI, '- id: transfer')})",
        ),
        (
            [
                (
                    "            next: lost-money\n            feedback",
                    "            next: lost-money\n            safe: true\n            feedback",
                )
            ],
            ("next: lost-money", 1),
            "reply a of turn 'transfer' has 'safe: true' but leads to the ending"
            " 'lost-money', which has 'safe: false'",
        ),
        (
            [('        says: "Bác phải', '        said: "Bác phải')],
            ("said:", 1),
            "unknown field 'said'",
        ),
        (
            [('        says: "Bác phải', '        said: "Bác phải')],
            ("- id: secret", 1),
            "turn 'secret' has no 'says'",
        ),
        (
            [('            feedback: "Kể cho', '            feedbak: "Kể cho')],
            ("Tôi cúp máy và gọi cho con", 1),
            "reply b of turn 'secret' has no 'feedback'",
        ),
        (
            [('    caller: "Số lạ 09xx xxx xxx"\n', "")],
            ("- id: fake-police", 1),
            "question 1 has no 'caller'",
        ),
        (
            [('    prompt: "Một số lạ gọi đến. Bạn trả lời thế nào?"\n', "")],
            ("- id: fake-police", 1),
            "the question has no 'prompt'",
        ),
        (
            [("        safe: false\n", "")],
            ("- id: lost-money", 1),
            "ending 2 has no 'safe' (write 'safe: true' or 'safe: false')",
        ),
        (
            [('        title: "Bạn đã mất tiền"\n', "")],
            ("- id: lost-money", 1),
            "ending 2 has no 'title'",
        ),
        (
            [("      - id: transfer", "      - id: chuyển tiền")],
            ("- id: chuyển tiền", 1),
            "turn id 'chuyển tiền' may only use letters, digits, '-' and '_'",
        ),
        (
            [
                (
                    '          - text: "Vâng, tôi không kể với ai."\n'
                    "            next: transfer\n"
                    '            feedback: "Bắt giữ bí mật là dấu hiệu lừa đảo."\n',
                    "",
                )
            ],
            ("replies:", 2),
            "'replies' needs at least 2 entries (found 1)",
        ),
        (
            [
                (
                    '          - text: "Tôi cúp máy và gọi cho con tôi."\n',
                    '          - text: "Tôi cúp máy."\n'
                    "            next: hung-up\n"
                    "            safe: true\n"
                    '            feedback: "Tốt."\n'
                    '          - text: "Tôi hỏi ngân hàng."\n'
                    "            next: hung-up\n"
                    "            safe: true\n"
                    '            feedback: "Tốt."\n'
                    '          - text: "Tôi cúp máy và gọi cho con tôi."\n',
                )
            ],
            ("replies:", 2),
            "turn 'secret' has 4 replies: give at most 3 (the buttons must fit on a"
            " phone screen)",
        ),
    ],
)
def test_each_mistake_names_its_file_and_line(tmp_path, changes, where, expected):
    broken = CALL_VI
    for old, new in changes:
        assert old in broken, "the test's fixture changed"
        broken = broken.replace(old, new, 1)
    expected_line = line(broken, *where)
    found = messages(write(tmp_path, call_files(vi=broken)))
    wanted = f"quizzes/otp.vi.yaml:{expected_line}: {expected}"
    assert any(m.startswith(wanted) for m in found), (wanted, found)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # Another way through the call.
        (
            '            next: transfer\n            feedback: "Do not',
            '            next: secret\n            feedback: "Do not',
        ),
        # A reply that is safe in Vietnamese but not in English.
        (
            '            safe: true\n            feedback: "Right',
            '            feedback: "Right',
        ),
    ],
)
def test_a_different_dialogue_in_english_is_a_mismatch(tmp_path, old, new):
    assert old in CALL_EN
    english = CALL_EN.replace(old, new, 1)
    found = messages(write(tmp_path, call_files(en=english)))
    assert found == [
        f"quizzes/otp.en.yaml:{line(CALL_EN, '- id: fake-police')}: question"
        " 'fake-police' must have the same type, options, right answer and review_step"
        " as in quizzes/otp.vi.yaml"
    ]


# --- Through the web app, without JavaScript -------------------------------------------


@pytest.fixture
def app(content_app, tmp_path):
    """The app serving a lesson whose quiz is one phone call."""
    return content_app(write(tmp_path / "content", call_files()))


def reply_links(page: str) -> list[str]:
    return re.findall(r'<a class="button secondary reply" href="([^"]+)"', page)


def test_the_call_is_played_with_links_only(client, learner):
    url = start_quiz(client, "otp")
    page = client.get(url).get_data(as_text=True)
    assert "Cuộc gọi đến" in page and "Số lạ 09xx xxx xxx" in page
    assert "Số của bác liên quan đến một vụ rửa tiền." in page
    assert "Bạn trả lời thế nào?" in page
    assert "css/types/phone_call.css" in page
    assert 'name="answer"' not in page  # nothing to send before the call ends
    links = reply_links(page)
    assert len(links) == 3
    assert links[0].endswith("?path=start:a#now") or links[0].endswith(
        "?path=start%3Aa#now"
    )

    # Tap "What must I do?", then "I tell nobody": the conversation so far is shown.
    page = client.get(links[0]).get_data(as_text=True)
    assert "Trời ơi, tôi phải làm gì?" in page and 'class="says you"' in page
    assert 'id="now"' in page and "Bác phải giữ bí mật" in page
    page = client.get(reply_links(page)[0]).get_data(as_text=True)
    assert "Bác chuyển tiền vào tài khoản này" in page
    page = client.get(reply_links(page)[0]).get_data(as_text=True)

    # The call ended badly: the page says what happened, and the answer can be sent.
    assert "Cuộc gọi đã kết thúc." in page and "Bạn đã mất tiền" in page
    assert 'class="call-ending unsafe"' in page
    assert reply_links(page) == []
    sent = re.findall(r'<input type="hidden" name="answer" value="([^"]+)">', page)
    assert sent == WRONG_PATH
    assert "Gửi câu trả lời" in page

    response = client.post(url, data={"token": token_in(page), "answer": sent})
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Không sao, mình cùng xem lại nhé." in page
    assert "Công an không bao giờ gọi điện bắt chuyển tiền." in page
    assert "Kẻ gian giả làm công an, bắt giữ bí mật rồi bảo chuyển tiền." in page
    # The call starts again from its first line for another try.
    assert len(reply_links(page)) == 3 and 'class="says you"' not in page

    right = client.get(url + "?path=start:b").get_data(as_text=True)
    assert "Bạn đã an toàn" in right and 'class="call-ending safe"' in right
    client.post(url, data={"token": token_in(right), "answer": ["start:b"]})
    page = client.get(url).get_data(as_text=True)
    assert "Đúng rồi!" in page
    assert "Công an không gọi điện bắt chuyển tiền hay giữ bí mật." in page
    assert stored_answers(client.application) == [
        (WRONG_PATH, False),
        (["start:b"], True),
    ]


def test_garbage_in_the_query_string_starts_the_call_over(client, learner):
    url = start_quiz(client, "otp")
    for query in ("?path=%3Cscript%3E", "?path=secret:a", "?path=start:q", "?path="):
        response = client.get(url + query)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "Số của bác liên quan đến một vụ rửa tiền." in page
        assert 'class="says you"' not in page and "<script>" not in page


def test_an_unfinished_call_is_not_recorded(client, learner):
    url = start_quiz(client, "otp")
    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data={"token": token_in(page), "answer": ["start:a"]})
    assert response.status_code == 303 and response.location.endswith("?empty=1")
    assert stored_answers(client.application) == []
