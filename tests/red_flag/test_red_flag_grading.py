"""The red_flag type: a tap on a picture of a phone screen, read and graded."""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from content import load_library
from content.questions.red_flag import RedFlag
from tests.samples.red_flag import QUIZ, SVG, files

from ..samples import write


def question(tmp_path: Path, language: str = "vi") -> RedFlag:
    library = load_library(write(tmp_path, files()))
    assert library.problems == []
    return library.get("otp").quiz(language).question(1)


def form(**fields: str) -> MultiDict:
    return MultiDict({name.replace("_", "."): value for name, value in fields.items()})


def test_the_question_reads_its_picture_and_regions(tmp_path):
    q = question(tmp_path)
    assert q.image == "red-flag-bank-sms.svg"
    assert (q.picture.width, q.picture.height) == (300, 540)
    assert q.view_box == "0 0 300 540"
    assert [r.id for r in q.regions] == ["sender", "urgent", "link", "otp"]
    assert q.regions[2].rect == (28, 264, 244, 54)
    assert q.flag_count == 3
    assert q.keys() == ["region:sender", "region:urgent", "region:link", "region:otp"]
    assert q.summary() == "Tin nhắn này có gì đáng ngờ?"
    assert q.label_of("region:link") == "Đường link trong tin nhắn"


def test_the_example_picture_is_marked_as_an_example():
    assert "HÌNH MINH HỌA" in SVG and "EXAMPLE" not in SVG  # Vietnamese only
    assert "Ngân hàng ABC (mẫu)" in SVG and "vneid.gov.vn.xyz-login.top" in SVG


def test_a_tap_on_a_red_flag_is_right_with_its_reason(tmp_path):
    q = question(tmp_path)
    grade = q.grade(["region:link"])
    assert grade.correct and grade.feedback == ()
    (part,) = grade.parts
    assert part.label == "Đường link trong tin nhắn" and part.correct
    assert "vneid.gov.vn" in part.feedback


def test_a_spot_inside_a_red_flag_counts_as_that_flag(tmp_path):
    grade = question(tmp_path).grade(["spot:150,350"])
    assert grade.correct and grade.parts[0].label == "Lời nhắn trả lời bằng mã OTP"


def test_a_region_that_is_no_red_flag_says_why(tmp_path):
    grade = question(tmp_path).grade(["region:sender"])
    assert not grade.correct and grade.feedback == ()
    (part,) = grade.parts
    assert not part.correct and part.feedback.startswith("Tên người gửi không chứng")


def test_an_empty_spot_gets_its_own_message(tmp_path):
    q = question(tmp_path)
    grade = q.grade(["spot:150,20"])
    assert not grade.correct and grade.parts == ()
    assert grade.feedback == (q.empty_feedback,)


def test_the_right_answer_names_every_red_flag(tmp_path):
    q = question(tmp_path)
    assert q.correct_response() == ["region:urgent", "region:link", "region:otp"]
    grade = q.grade(q.correct_response())
    assert grade.correct and [p.feedback for p in grade.parts] == [
        r.feedback for r in q.regions if r.flag
    ]


@pytest.mark.parametrize(
    "response",
    [
        [],
        [""],
        ["region:"],
        ["region:nope"],
        ["region:LINK"],
        ["link"],
        ["spot:"],
        ["spot:a,b"],
        ["spot:1e999,300"],
        ["spot:nan,nan"],
        ["spot:150"],
        ["spot:-40,-40"],
        ["region:link", "region:sender"],
        ["region:link", "spot:1,1"],
        ["x" * 10_000],
    ],
)
def test_any_other_response_is_wrong_and_never_fails(tmp_path, response):
    q = question(tmp_path)
    grade = q.grade(response)
    assert grade.correct is False
    q.marker_of(response)
    q.label_of(response[0] if response else "")


@pytest.mark.parametrize(
    ("fields", "response"),
    [
        ({"region": "link"}, ["region:link"]),
        ({"region": "sender"}, ["region:sender"]),
        ({"tap_x": "100", "tap_y": "290"}, ["region:link"]),
        ({"tap_x": "150", "tap_y": "20"}, ["spot:150,20"]),
        ({"tap_x": "280.6", "tap_y": "420.4"}, ["spot:281,420"]),  # from the script
        ({"region": "link", "tap_x": "150", "tap_y": "20"}, ["region:link"]),
        ({"region": "nope", "tap_x": "150", "tap_y": "20"}, ["spot:150,20"]),
    ],
)
def test_a_list_choice_or_a_tap_becomes_one_response(tmp_path, fields, response):
    assert question(tmp_path).response_from_form(form(**fields)) == response


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"region": "nope"},
        {"answer": "a"},
        {"tap_x": "0", "tap_y": "0"},  # the picture pressed with Enter: no place at all
        {"tap_x": "150"},
        {"tap_x": "301", "tap_y": "20"},
        {"tap_x": "150", "tap_y": "-1"},
        {"tap_x": "one", "tap_y": "two"},
        {"tap_x": "inf", "tap_y": "3"},
    ],
)
def test_no_place_and_no_choice_is_no_answer(tmp_path, fields):
    assert question(tmp_path).response_from_form(form(**fields)) is None


def test_a_picture_shown_smaller_than_drawn_maps_taps_back_to_its_units(tmp_path):
    big = SVG.replace('width="300" height="540"', 'width="600" height="1080"').replace(
        'viewBox="0 0 300 540"', 'viewBox="0 0 600 1080"'
    )
    vi, en = QUIZ["vi"], QUIZ["en"]
    for old, new in [
        ("[44, 96, 216, 32]", "[88, 192, 432, 64]"),
        ("[28, 178, 244, 76]", "[56, 356, 488, 152]"),
        ("[28, 264, 244, 54]", "[56, 528, 488, 108]"),
        ("[28, 326, 244, 76]", "[56, 652, 488, 152]"),
    ]:
        vi, en = vi.replace(old, new), en.replace(old, new)
    root = write(
        tmp_path, files(vi, en) | {"lessons/images/red-flag-bank-sms.svg": big}
    )
    library = load_library(root)
    assert library.problems == []
    q = library.get("otp").quiz("vi").question(1)
    assert (q.picture.width, q.picture.height) == (300, 540)  # at most 300 px wide
    assert q.marker_size == 32
    assert q.response_from_form(form(tap_x="100", tap_y="290")) == ["region:link"]
    assert q.response_from_form(form(tap_x="150", tap_y="20")) == ["spot:300,40"]


def test_the_marker_stands_on_the_last_tap(tmp_path):
    q = question(tmp_path)
    assert q.marker_of(["spot:150,20"]) == (150, 20)
    assert q.marker_of(["region:link"]) == (150, 291)
    assert q.marker_of([]) is None and q.marker_of(["nonsense"]) is None
