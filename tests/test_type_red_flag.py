"""The red_flag practice type: tap the red flag on a picture of a phone screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from content import load_library
from content.questions.red_flag import RedFlag
from tests.samples.red_flag import QUIZ, SVG, files

from .conftest import answer_token, start_quiz, stored_answers
from .samples import line, write


def question(tmp_path: Path, language: str = "vi") -> RedFlag:
    library = load_library(write(tmp_path, files()))
    assert library.problems == []
    return library.get("otp").quiz(language).question(1)


def problems(tmp_path: Path, vi: str, en: str | None = None) -> list[str]:
    root = write(tmp_path, files(vi, QUIZ["en"] if en is None else en))
    return [str(p) for p in load_library(root).problems]


# --- Reading ------------------------------------------------------------------------------


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
    assert "HÌNH MINH HỌA" in SVG and "EXAMPLE" in SVG
    assert "Ngân hàng ABC (mẫu)" in SVG and "vneid.gov.vn.xyz-login.top" in SVG


# --- Grading ------------------------------------------------------------------------------


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


# --- The learner's answer from a form -----------------------------------------------------


def form(**fields: str) -> MultiDict:
    return MultiDict({name.replace("_", "."): value for name, value in fields.items()})


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


# --- Problems in the quiz file, each with its line ----------------------------------------

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


# --- Both languages must agree ------------------------------------------------------------


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


# --- The page, without JavaScript, through the Flask test client -------------------------


@pytest.fixture
def app(content_app, tmp_path):
    """The app serving the test lesson, whose quiz starts with the red_flag question."""
    app = content_app(write(tmp_path / "content", files()))
    assert app.extensions["hocso_library"].problems == []
    return app


def send(client, url: str, **fields: str):
    """Answer the question at ``url`` as a browser without JavaScript would."""
    token = answer_token(client, url)
    data = {name.replace("_", "."): value for name, value in fields.items()}
    return client.post(url, data={"token": token} | data)


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&#34;").replace("'", "&#39;")


def test_the_question_page_works_without_javascript(client, learner):
    url = start_quiz(client, "otp")
    page = client.get(url).get_data(as_text=True)
    q = client.application.extensions["hocso_library"].get("otp").quiz("vi").question(1)
    # The picture is a plain image button inside the form, at its own fixed size.
    image = re.search(r'<input type="image"[^>]*>', page).group(0)
    assert (
        'name="tap"' in image and 'src="/lessons/images/red-flag-bank-sms.svg"' in image
    )
    assert 'width="300"' in image and 'height="540"' in image
    assert f'alt="{escaped(q.description)}"' in image
    assert "Trong hình có 3 dấu hiệu lừa đảo." in page
    # The list, for a keyboard or a screen reader, folded away until asked for.
    assert "<details" in page and "Không chạm được? Chọn từ danh sách" in page
    assert "Tôi nghĩ dấu hiệu lừa đảo là:" in page
    for region in q.regions:
        assert (
            f'name="region" value="{region.id}">{escaped(region.label)}</button>'
            in page
        )
        assert escaped(region.feedback) not in page  # nothing gives the answer away
    form = page.split('class="answer-form"', 1)[1].split("</form>", 1)[0]
    assert re.findall(r"data-[a-z-]+", form) == ["data-view-box"]  # no regions
    assert '<g class="marker" hidden>' in page
    assert 'href="/static/css/types/red_flag.css"' in page
    assert 'src="/static/js/types/red_flag.js"' in page
    assert client.get("/lessons/images/red-flag-bank-sms.svg").status_code == 200


def test_a_tap_on_an_empty_spot_then_a_region_then_a_red_flag(client, learner):
    url = start_quiz(client, "otp")
    q = client.application.extensions["hocso_library"].get("otp").quiz("vi").question(1)

    assert send(client, url, tap_x="150", tap_y="20").status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert escaped(q.empty_feedback) in page and "Đúng rồi!" not in page
    assert '<g class="marker" transform="translate(150 20)">' in page
    assert "Vòng tròn đỏ là chỗ bạn đã chạm lần trước." in page

    send(client, url, region="sender")
    page = client.get(url).get_data(as_text=True)
    sender = q.regions[0]
    assert escaped(sender.label) in page and escaped(sender.feedback) in page
    assert '<g class="marker" transform="translate(152 112)">' in page

    send(client, url, tap_x="100", tap_y="290")
    page = client.get(url).get_data(as_text=True)
    link = q.regions[2]
    assert "Đúng rồi!" in page
    assert escaped(link.feedback) in page and escaped(q.explanation) in page
    assert stored_answers(client.application) == [
        (["spot:150,20"], False),
        (["region:sender"], False),
        (["region:link"], True),
    ]


def test_pressing_the_picture_with_a_key_is_no_answer(client, learner):
    url = start_quiz(client, "otp")
    response = send(client, url, tap_x="0", tap_y="0")
    assert response.status_code == 303 and response.location.endswith("?empty=1")
    assert stored_answers(client.application) == []
    page = client.get(response.location).get_data(as_text=True)
    assert "Xin chọn một câu trả lời trước." in page


def test_show_me_the_answer_lists_every_red_flag(client, learner):
    url = start_quiz(client, "otp")
    send(client, url, region="sender")
    page = client.get(url).get_data(as_text=True)
    token = re.findall(r'name="token" value="([^"]+)"', page)[-1]
    client.post(url, data={"token": token, "reveal": "1"})
    page = client.get(url).get_data(as_text=True)
    q = client.application.extensions["hocso_library"].get("otp").quiz("vi").question(1)
    for region in q.regions:
        assert (escaped(region.feedback) in page) == region.flag


def test_the_question_page_in_english(client, learner):
    client.post("/language", data={"language": "en"})
    url = start_quiz(client, "otp")
    page = client.get(url).get_data(as_text=True)
    assert "This picture has 3 red flags. Tap any one of them." in page
    assert "<summary>Can't tap? Choose from a list</summary>" in page
    assert "I think the red flag is:" in page
    assert 'value="link">The link in the message</button>' in page
