"""The SMS inbox question: reading and checking its YAML, grading, and its page without JavaScript."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.support import Translations
from werkzeug.datastructures import MultiDict

from content import load_library
from content.questions.sms_inbox import FLAGS, SmsInbox
from tests.samples.sms_inbox import SLUG, content_files, content_root

from .conftest import ROOT, answer_token, start_quiz, stored_answers
from .samples import changed

RIGHT = {"mark-balance": "safe", "mark-update": "scam", "mark-otp": "scam"}


def inbox(tmp_path: Path, language: str = "vi") -> SmsInbox:
    library = load_library(content_root(tmp_path))
    assert library.problems == [], library.problems
    return library.get(SLUG).quiz(language).question(1)


def problems_of(tmp_path: Path, files: dict[str, str]) -> list[str]:
    return [str(p) for p in load_library(content_root(tmp_path, files)).problems]


# --- Reading ---------------------------------------------------------------------------


def test_the_inbox_is_read_in_threads_by_sender(tmp_path):
    question = inbox(tmp_path)
    threads = question.threads()
    assert [t.sender for t in threads] == ["Ngân hàng ABC (mẫu)", "09xx xxx xxx"]
    assert [[m.id for m in t.messages] for t in threads] == [
        ["balance", "otp"],
        ["update"],
    ]
    update = threads[1].messages[0]
    assert update.link == "vneid.gov.vn.xyz-login.top"
    assert update.notes == ("urgency", "lookalike")
    assert question.correct_response() == ["balance=safe", "otp=scam", "update=scam"]


def test_a_single_flag_may_be_written_without_brackets(tmp_path):
    files = content_files()
    for language in ("vi", "en"):
        name = f"quizzes/{SLUG}.{language}.yaml"
        files[name] = files[name].replace("flags: [same_thread, otp]", "flags: otp")
    library = load_library(content_root(tmp_path, files))
    assert library.problems == []
    assert library.get(SLUG).quiz("vi").question(1).items[2].notes == ("otp",)


# --- Grading ---------------------------------------------------------------------------


def test_all_marked_rightly_is_right_and_explains_every_message(tmp_path):
    question = inbox(tmp_path)
    grade = question.grade(question.correct_response())
    assert grade.correct
    assert [p.label for p in grade.parts] == [
        "Ngân hàng ABC (mẫu), 08:15",
        "Ngân hàng ABC (mẫu), 10:30",
        "09xx xxx xxx, 09:02",
    ]
    assert all(p.correct and (p.feedback or p.notes) for p in grade.parts)
    otp = grade.parts[1]
    assert otp.notes == (FLAGS["same_thread"], FLAGS["otp"])
    assert otp.feedback == "Tin này mang tên ngân hàng nhưng xin mã OTP."


def test_a_wrong_mark_points_at_that_messages_red_flags_only(tmp_path):
    question = inbox(tmp_path)
    grade = question.grade(["balance=safe", "otp=safe", "update=scam"])
    assert not grade.correct
    assert [p.correct for p in grade.parts] == [True, False, True]
    assert grade.parts[0].feedback == grade.parts[2].feedback == ""
    assert grade.parts[0].notes == grade.parts[2].notes == ()
    assert FLAGS["otp"] in grade.parts[1].notes
    assert question.wrong_ids(["balance=safe", "otp=safe", "update=scam"]) == {"otp"}


def test_a_safe_message_marked_scam_says_why_it_is_safe(tmp_path):
    question = inbox(tmp_path)
    grade = question.grade(["balance=scam", "otp=scam", "update=scam"])
    assert not grade.correct
    assert grade.parts[0] == grade.parts[0].__class__(
        "Ngân hàng ABC (mẫu), 08:15",
        False,
        "Tin báo số dư bình thường: không có đường link, không xin mã.",
    )


def test_the_red_flags_are_worded_in_the_learners_language(client, tmp_path):
    """Grades carry the English sentences; the page shows them translated."""
    from flask import render_template_string

    grade = inbox(tmp_path, "en").grade(["update=safe"])
    assert grade.parts[2].notes == (FLAGS["urgency"], FLAGS["lookalike"])
    catalogue = Translations.load(str(ROOT / "translations"), ["vi"])
    with client.application.test_request_context():
        page = render_template_string(
            '{% from "quiz/_parts.html" import parts_list %}{{ parts_list(grade) }}',
            grade=grade,
        )
    assert catalogue.gettext(FLAGS["urgency"]) in page


@pytest.mark.parametrize(
    "response",
    [
        [],
        ["balance"],
        ["balance=maybe", "otp=scam", "update=scam"],
        ["nobody=scam", "otp=scam", "update=scam"],
        ["balance=safe=scam", "otp=scam", "update=scam"],
        ["balance=safe", "balance=scam", "otp=scam", "update=scam"],
        [None, 3, {"balance": "safe"}, "otp=scam", "update=scam"],
        ["", "=", "=safe"],
        "balance=safe",
    ],
)
def test_garbage_responses_are_graded_wrong_without_failing(tmp_path, response):
    question = inbox(tmp_path)
    grade = question.grade(response)
    assert not grade.correct
    assert len(grade.parts) == 3


def test_the_same_mark_twice_still_counts(tmp_path):
    question = inbox(tmp_path)
    response = question.correct_response() + ["otp=scam"]
    assert question.grade(response).correct


def test_the_form_is_read_only_when_every_message_is_marked(tmp_path):
    question = inbox(tmp_path)
    assert question.response_from_form(MultiDict(RIGHT)) == question.correct_response()
    assert question.response_from_form(MultiDict({"mark-balance": "safe"})) is None
    assert question.response_from_form(MultiDict(RIGHT | {"mark-otp": "odd"})) is None
    both = MultiDict(list(RIGHT.items()) + [("mark-otp", "safe")])
    assert question.response_from_form(both) is None
    assert question.response_from_form(MultiDict()) is None


def test_labels_for_reports_name_the_message_and_the_verdict(tmp_path):
    question = inbox(tmp_path)
    assert question.label_of("otp=scam") == "Ngân hàng ABC (mẫu), 10:30: Scam"
    assert question.label_of("nope") == "nope"
    assert question.summary() == "Tin nào lừa đảo, tin nào an toàn?"


def test_every_red_flag_is_translated_into_vietnamese():
    catalogue = Translations.load(str(ROOT / "translations"), ["vi"])
    for text in FLAGS.values():
        assert catalogue.gettext(text) != text, text


# --- Checking the YAML -----------------------------------------------------------------

VI = f"quizzes/{SLUG}.vi.yaml"
EN = f"quizzes/{SLUG}.en.yaml"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            VI,
            "        verdict: scam\n        flags: [same_thread, otp]\n",
            "        flags: [same_thread, otp]\n",
            f"{VI}:21: message 3 has no 'verdict'",
        ),
        (
            VI,
            "flags: [urgency, lookalike]",
            "flags: [urgency, typo]",
            f"{VI}:20: 'flags' must be words from: link, urgency, otp, money, "
            "install_app, lookalike, same_thread (found 'typo')",
        ),
        (
            VI,
            "flags: [urgency, lookalike]",
            "flags: [urgency, urgency]",
            f"{VI}:20: 'flags' lists 'urgency' twice",
        ),
        (
            VI,
            "      - id: otp",
            "      - id: balance",
            f"{VI}:21: message id 'balance' is listed twice (first on line 8)",
        ),
        (
            VI,
            "      - id: update",
            "      - id: Update now",
            f"{VI}:14: 'id' must be lower-case letters and digits joined by '-' "
            "(found 'Update now')",
        ),
        (
            VI,
            "        verdict: safe\n",
            "        verdict: safe\n        flags: [link]\n",
            f"{VI}:13: message 1 is safe, so it cannot have 'flags'",
        ),
        (
            VI,
            '        feedback: "Tin báo số dư bình thường: không có đường link, '
            'không xin mã."\n',
            "",
            f"{VI}:8: message 1 is safe, so it needs its own 'feedback' saying why",
        ),
        (
            VI,
            "        flags: [urgency, lookalike]\n",
            "",
            f"{VI}:14: message 2 is a scam, so it needs 'flags' or its own 'feedback' "
            "to say what gives it away",
        ),
        (
            VI,
            "        verdict: scam\n        flags: [urgency",
            "        verdict: maybe\n        flags: [urgency",
            f"{VI}:19: 'verdict' must be one of: scam, safe (found 'maybe')",
        ),
        (
            VI,
            '        sender: "09xx xxx xxx"\n',
            "",
            f"{VI}:14: message 2 has no 'sender'",
        ),
        (
            VI,
            '        link: "vneid.gov.vn.xyz-login.top"',
            '        url: "vneid.gov.vn.xyz-login.top"',
            f"{VI}:18: unknown field 'url' (expected one of: feedback, flags, id, "
            "link, sender, text, time, verdict)",
        ),
        (
            VI,
            '    prompt: "Tin nào lừa đảo, tin nào an toàn?"\n',
            "",
            f"{VI}:2: the question has no 'prompt'",
        ),
        (
            VI,
            "    messages:\n",
            "    messagez:\n",
            f"{VI}:7: unknown field 'messagez'",
        ),
        # The English file must match the Vietnamese one: verdicts, threads, links, flags.
        (
            EN,
            "        verdict: safe",
            "        verdict: scam\n        flags: [link]",
            f"{EN}:2: question 'inbox' must have the same type, options, right answer",
        ),
        (
            EN,
            '        sender: "ABC Bank (sample)"\n        time: "10:30"',
            '        sender: "ABC Bank"\n        time: "10:30"',
            f"{EN}:2: question 'inbox' must have the same type, options, right answer",
        ),
        (
            EN,
            "flags: [same_thread, otp]",
            "flags: [otp]",
            f"{EN}:2: question 'inbox' must have the same type, options, right answer",
        ),
        (
            EN,
            '        link: "vneid.gov.vn.xyz-login.top"',
            '        link: "vneid.gov.vn"',
            f"{EN}:2: question 'inbox' must have the same type, options, right answer",
        ),
    ],
)
def test_each_problem_names_its_file_and_line(tmp_path, file, old, new, expected):
    found = problems_of(tmp_path, changed(content_files(), file, old, new))
    assert any(m.startswith(expected) for m in found), found


def test_an_inbox_needs_two_messages(tmp_path):
    files = content_files()
    start = files[VI].index("      - id: update")
    end = files[VI].index("    explanation:")
    files[VI] = files[VI][:start] + files[VI][end:]
    assert f"{VI}:7: 'messages' needs at least 2 entries (found 1)" in problems_of(
        tmp_path, files
    )


# --- The page, without JavaScript, through the test client -------------------------------


@pytest.fixture
def app(content_app, tmp_path):
    """The app serving the inbox lesson instead of HọcSố's own content."""
    return content_app(content_root(tmp_path))


def test_the_page_is_a_phone_inbox_of_plain_radio_buttons(client, learner):
    url = start_quiz(client, SLUG)
    page = client.get(url).get_data(as_text=True)
    assert "Hãy chọn cho từng tin nhắn: lừa đảo hay an toàn." in page
    assert page.count('<fieldset class="mark-item"') == 3
    assert page.count('<section class="thread"') == 2
    assert "2 tin nhắn cùng một tên người gửi, nằm chung một cuộc trò chuyện" in page
    for message in ("balance", "update", "otp"):
        assert f'aria-describedby="text-{message}"' in page
        assert (
            f'<input type="radio" name="mark-{message}" value="scam" required>' in page
        )
        assert f'<input type="radio" name="mark-{message}" value="safe">' in page
    assert page.count("<span>Lừa đảo</span>") == page.count("<span>An toàn</span>") == 3
    # The fake link is shown as text, never as a link.
    assert '<p class="sms-link" translate="no">vneid.gov.vn.xyz-login.top</p>' in page
    assert 'href="vneid' not in page and 'xyz-login.top"' not in page
    assert "/static/css/types/marking.css" in page
    assert "/static/js/types/marking.js" in page
    assert "style=" not in page


def test_answering_wrong_then_right_by_plain_post(client, learner):
    url = start_quiz(client, SLUG)
    wrong = RIGHT | {"mark-balance": "scam"}
    response = client.post(url, data={"token": answer_token(client, url)} | wrong)
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert (
        '<span class="sr-only">Chưa đúng:</span> <strong>Ngân hàng ABC (mẫu), 08:15'
        in page
    )
    assert "Tin báo số dư bình thường: không có đường link, không xin mã." in page
    assert (
        "Gợi ý:" in page and "Tên người gửi giống nhau chưa chắc là tin thật." in page
    )
    assert "Thử lại" in page and "Hãy xem lại tin nhắn này nhé." in page
    assert page.count("Hãy xem lại tin nhắn này nhé.") == 1
    # The marks given are kept, so only the wrong one needs changing.
    assert 'name="mark-balance" value="scam" required checked' in page
    assert 'name="mark-otp" value="scam" required checked' in page
    assert "Tin này mang tên ngân hàng nhưng xin mã OTP." not in page  # right already

    client.post(url, data={"token": answer_token(client, url)} | RIGHT)
    page = client.get(url).get_data(as_text=True)
    assert "Đúng rồi!" in page
    assert "Tin này mang tên ngân hàng nhưng xin mã OTP." in page
    assert "Ngân hàng không bao giờ hỏi mã OTP của bạn" in page
    assert "Tin giả có thể nằm chung với tin thật." in page
    assert stored_answers(client.application) == [
        (["balance=scam", "otp=scam", "update=scam"], False),
        (["balance=safe", "otp=scam", "update=scam"], True),
    ]


def test_an_inbox_not_fully_marked_is_not_recorded(client, learner):
    url = start_quiz(client, SLUG)
    data = {"token": answer_token(client, url), "mark-balance": "safe"}
    response = client.post(url, data=data)
    assert response.location.endswith("?empty=1")
    assert stored_answers(client.application) == []


def test_show_me_the_answer_lists_every_message_with_its_reason(client, learner):
    url = start_quiz(client, SLUG)
    client.post(
        url, data={"token": answer_token(client, url)} | RIGHT | {"mark-otp": "safe"}
    )
    client.post(url, data={"token": answer_token(client, url), "reveal": "1"})
    page = client.get(url).get_data(as_text=True)
    assert "Câu trả lời đúng:" in page
    assert page.count('<li class="right">') == 3
    assert "Tin nhắn giục bạn làm gấp" in page
