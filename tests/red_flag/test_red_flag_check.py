"""The red_flag type's content check: every mistake named with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from content import load_library
from tests.samples.red_flag import QUIZ, SVG, files

from ..samples import line, write


def problems(tmp_path: Path, vi: str, en: str | None = None) -> list[str]:
    root = write(tmp_path, files(vi, QUIZ["en"] if en is None else en))
    return [str(p) for p in load_library(root).problems]


VI = "quizzes/otp.vi.yaml"


def broken(old: str, new: str) -> str:
    assert old in QUIZ["vi"], old
    return QUIZ["vi"].replace(old, new, 1)


def test_a_missing_image_field_and_other_missing_fields(tmp_path):
    text = QUIZ["vi"]
    for part in (
        "    image:",
        "    empty_feedback:",
        "    prompt:",
        "    description:",
    ):
        text = "\n".join(t for t in text.splitlines() if not t.startswith(part)) + "\n"
    assert problems(tmp_path, text) == [
        f"{VI}:2: question 1 has no 'description'",
        f"{VI}:2: question 1 has no 'empty_feedback'",
        f"{VI}:2: question 1 has no 'image'",
        f"{VI}:2: the question has no 'prompt'",
    ]


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (
            "images/nope.svg",
            "image 'images/nope.svg' does not exist in lessons/images/",
        ),
        (
            "pictures/sms.png",
            "image 'pictures/sms.png' must be an SVG in images/, written images/NAME.svg",
        ),
        (
            "images/phone.svg",  # good_files()' SVG has no viewBox, width or height
            "image 'images/phone.svg' has no size: give its <svg> a viewBox, or a width and height",
        ),
    ],
)
def test_a_bad_image(tmp_path, image, message):
    text = broken("image: images/red-flag-bank-sms.svg", f"image: {image}")
    assert problems(tmp_path, text) == [f"{VI}:{line(text, 'image:')}: {message}"]


def test_a_region_outside_the_image(tmp_path):
    text = broken("[28, 326, 244, 76]", "[28, 480, 244, 76]")
    assert problems(tmp_path, text) == [
        f"{VI}:{line(text, '[28, 480')}: region 4 ('otp') goes outside the image, "
        "which runs from (0, 0) to (300, 540)"
    ]


def test_overlapping_regions(tmp_path):
    text = broken("[28, 264, 244, 54]", "[28, 240, 244, 54]")
    assert problems(tmp_path, text) == [
        f"{VI}:{line(text, '[28, 240')}: region 3 ('link') overlaps region 2 ('urgent'): "
        "regions must not cover the same place"
    ]


def test_regions_that_only_touch_do_not_overlap(tmp_path):
    text = broken("[28, 264, 244, 54]", "[28, 254, 244, 72]")  # from 254 to 326
    en = QUIZ["en"].replace("[28, 264, 244, 54]", "[28, 254, 244, 72]")
    assert problems(tmp_path, text, en) == []


def test_no_red_flag_at_all(tmp_path):
    text = QUIZ["vi"].replace("flag: true", "flag: false")
    assert problems(tmp_path, text) == [
        f"{VI}:{line(text, 'regions:')}: a 'red_flag' question needs a region with 'flag: true'"
    ]


def test_only_red_flags_would_give_the_answer_away(tmp_path):
    text = QUIZ["vi"].replace("flag: false", "flag: true")
    assert problems(tmp_path, text) == [
        f"{VI}:{line(text, 'regions:')}: a 'red_flag' question needs a region with "
        "'flag: false' too, or the list of regions gives the answer away"
    ]


@pytest.mark.parametrize(
    ("rect", "message"),
    [
        (
            "[28, 264, 244]",
            "region 3: 'rect' must be four numbers [x, y, width, height]",
        ),
        (
            "[28, 264, 244, 54, 1]",
            "region 3: 'rect' must be four numbers [x, y, width, height]",
        ),
        (
            "[28, 264, wide, 54]",
            "region 3: 'rect' must be four numbers [x, y, width, height]",
        ),
        (
            "[28, 264, true, 54]",
            "region 3: 'rect' must be four numbers [x, y, width, height]",
        ),
        ("big", "region 3: 'rect' must be four numbers [x, y, width, height]"),
        (
            "[28, 264, 0, 54]",
            "region 3: the width and height in 'rect' must be above 0",
        ),
        (
            "[28, 264, 244, -54]",
            "region 3: the width and height in 'rect' must be above 0",
        ),
        (
            "[28, 264, 20, 54]",
            "region 3 ('link') is too small to tap: make it at least 24 × 24",
        ),
    ],
)
def test_a_bad_rectangle(tmp_path, rect, message):
    text = broken("rect: [28, 264, 244, 54]", f"rect: {rect}")
    assert problems(tmp_path, text) == [
        f"{VI}:{line(text, f'rect: {rect}')}: {message}"
    ]


def test_a_region_without_its_fields(tmp_path):
    text = broken(
        """      - id: link
        label: "Đường link trong tin nhắn"
        rect: [28, 264, 244, 54]
        flag: true
        feedback: "Ngân hàng không gửi đường link trong tin nhắn; trang thật của VNeID là vneid.gov.vn."
""",
        """      - colour: red
        flag: yes
""",
    )
    at = line(text, "colour: red")
    assert problems(tmp_path, text) == [
        f"{VI}:{at}: region 3 has no 'feedback'",
        f"{VI}:{at}: region 3 has no 'id'",
        f"{VI}:{at}: region 3 has no 'label'",
        f"{VI}:{at}: region 3 has no 'rect'",
        f"{VI}:{at}: unknown field 'colour' (expected one of: feedback, flag, id, label, rect)",
        f"{VI}:{at + 1}: 'flag' must be true or false",
    ]


def lines(text: str, part: str) -> list[int]:
    return [n for n, t in enumerate(text.splitlines(), 1) if part in t]


def test_region_ids_are_plain_and_unique(tmp_path):
    text = broken("id: link", "id: urgent").replace("id: otp", "id: Mã OTP")
    first, second = lines(text, "id: urgent")
    assert problems(tmp_path, text) == [
        f"{VI}:{second}: region id 'urgent' is used twice (first on line {first})",
        f"{VI}:{line(text, 'id: Mã OTP')}: region id 'Mã OTP' must be lower-case "
        "letters and digits joined by '-'",
    ]


def test_too_few_regions(tmp_path):
    start, end = (
        QUIZ["vi"].index("      - id: sender"),
        QUIZ["vi"].index("      - id: otp"),
    )
    text = QUIZ["vi"][:start] + QUIZ["vi"][end:]
    assert problems(tmp_path, text) == [
        f"{VI}:{line(text, 'regions:')}: 'regions' needs at least 2 entries (found 1)",
        f"{VI}:{line(text, 'regions:')}: a 'red_flag' question needs a region with "
        "'flag: false' too, or the list of regions gives the answer away",
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("[28, 264, 244, 54]", "[28, 264, 244, 50]"),
        ("        flag: false", "        flag: true"),
        ("id: link", "id: web-link"),
    ],
)
def test_the_languages_must_have_the_same_regions(tmp_path, old, new):
    en = QUIZ["en"].replace(old, new, 1)
    if new.endswith("flag: true"):  # keep one region that is no flag
        en = en.replace(
            'flag: true\n        feedback: "Banks never',
            'flag: false\n        feedback: "Banks never',
        )
    assert problems(tmp_path, QUIZ["vi"], en) == [
        "quizzes/otp.en.yaml:2: question 'bank-sms' must have the same type, options, "
        "right answer and review_step as in quizzes/otp.vi.yaml"
    ]


def test_the_languages_must_show_the_same_picture(tmp_path):
    other = "lessons/images/red-flag-other.svg"
    en = QUIZ["en"].replace("red-flag-bank-sms.svg", "red-flag-other.svg")
    root = write(tmp_path, files(QUIZ["vi"], en) | {other: SVG})
    assert [str(p) for p in load_library(root).problems] == [
        "quizzes/otp.en.yaml:2: question 'bank-sms' must have the same type, options, "
        "right answer and review_step as in quizzes/otp.vi.yaml"
    ]
