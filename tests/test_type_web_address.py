"""The web address question in both modes: its YAML checks, grading, and its page without JavaScript."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.support import Translations
from werkzeug.datastructures import MultiDict

from content import load_library
from content.questions.base import Part
from content.questions.web_address import TRICKS, WebAddress
from tests.samples.web_address import EN, SLUG, VI, content_files, content_root

from .conftest import ROOT, answer_token, start_quiz, stored_answers
from .samples import changed

RIGHT = {"mark-real-check": "real", "mark-one-for-l": "fake", "mark-odd-ending": "fake"}


VI_CATALOGUE = Translations.load(str(ROOT / "translations"), ["vi"])


def said(part: Part) -> str:
    """What the page shows for a part in Vietnamese: its notes translated, then feedback."""
    notes = [VI_CATALOGUE.gettext(note) for note in part.notes]
    return " ".join([*notes, *([part.feedback] if part.feedback else [])])


def shown(grade) -> tuple:
    return tuple((p.label, p.correct, said(p)) for p in grade.parts)


def questions(tmp_path: Path, language: str = "vi") -> list[WebAddress]:
    library = load_library(content_root(tmp_path))
    assert library.problems == [], library.problems
    return library.get(SLUG).quiz(language).questions


def problems_of(tmp_path: Path, files: dict[str, str]) -> list[str]:
    return [str(p) for p in load_library(content_root(tmp_path, files)).problems]


# --- Reading ---------------------------------------------------------------------------


def test_both_modes_are_read(tmp_path):
    each, pick = questions(tmp_path)
    assert (each.mode, pick.mode) == ("mark_each", "pick_real")
    assert [a.address for a in each.items] == [
        "chongluadao.vn",
        "chong1uadao.vn",
        "tinnhiemmang.top",
    ]
    assert [a.notes for a in each.items] == [(), ("one_for_l",), ("odd_ending",)]
    assert each.correct_response() == [
        "real-check=real",
        "one-for-l=fake",
        "odd-ending=fake",
    ]
    assert pick.correct_response() == ["real"]
    assert pick.keys() == ["extra", "real", "in-front"]


# --- Grading: mark each ------------------------------------------------------------------


def test_mark_each_right_explains_every_trick(tmp_path):
    each, _ = questions(tmp_path)
    grade = each.grade(each.correct_response())
    assert grade.correct
    assert shown(grade) == (
        (
            "chongluadao.vn",
            True,
            "Đúng tên chongluadao.vn, trang nhận báo cáo lừa đảo.",
        ),
        ("chong1uadao.vn", True, "Số 1 (số một) được đặt vào chỗ của chữ l."),
        (
            "tinnhiemmang.top",
            True,
            "Phần đuôi không phải đuôi thật: trang giả hay dùng đuôi như .xyz, .top "
            "hoặc .vip. Trang web thật của cơ quan nhà nước có đuôi .gov.vn. "
            "Trang thật là tinnhiemmang.vn.",
        ),
    )


def test_mark_each_wrong_names_the_trick_of_each_address_missed(tmp_path):
    each, _ = questions(tmp_path)
    grade = each.grade(["real-check=real", "one-for-l=real", "odd-ending=fake"])
    assert not grade.correct
    assert [p.correct for p in grade.parts] == [True, False, True]
    assert said(grade.parts[1]) == "Số 1 (số một) được đặt vào chỗ của chữ l."
    assert said(grade.parts[0]) == said(grade.parts[2]) == ""
    real_missed = each.grade(["real-check=fake", "one-for-l=fake", "odd-ending=fake"])
    assert shown(real_missed)[0] == (
        "chongluadao.vn",
        False,
        "Đúng tên chongluadao.vn, trang nhận báo cáo lừa đảo.",
    )


def test_the_tricks_are_carried_as_sentences_the_page_translates(tmp_path):
    each, pick = questions(tmp_path, "en")
    assert each.grade([]).parts[1].notes == (TRICKS["one_for_l"],)
    assert pick.grade(["extra"]).parts[0].notes == (TRICKS["extra_letter"],)


@pytest.mark.parametrize(
    "response",
    [
        [],
        ["real"],
        ["real-check=scam", "one-for-l=fake", "odd-ending=fake"],
        ["real-check=real", "real-check=fake", "one-for-l=fake", "odd-ending=fake"],
        [None, 7, ["real-check=real"], "one-for-l=fake", "odd-ending=fake"],
        "real-check=real",
    ],
)
def test_mark_each_garbage_is_wrong_without_failing(tmp_path, response):
    each, _ = questions(tmp_path)
    grade = each.grade(response)
    assert not grade.correct and len(grade.parts) == 3


def test_mark_each_form_needs_every_address_marked(tmp_path):
    each, _ = questions(tmp_path)
    assert each.response_from_form(MultiDict(RIGHT)) == each.correct_response()
    assert each.response_from_form(MultiDict({"mark-real-check": "real"})) is None
    assert each.response_from_form(MultiDict(RIGHT | {"mark-extra": "x"})) == (
        each.correct_response()
    )
    assert (
        each.response_from_form(MultiDict(RIGHT | {"mark-one-for-l": "scam"})) is None
    )


# --- Grading: pick the real one -------------------------------------------------------------


def test_pick_real_right_explains_every_address(tmp_path):
    _, pick = questions(tmp_path)
    grade = pick.grade(["real"])
    assert grade.correct
    assert [p.label for p in grade.parts] == [
        "vneidd.gov.vn",
        "vneid.gov.vn",
        "vneid.gov.vn.xyz-login.top",
    ]
    assert said(grade.parts[0]) == "Tên thật bị chèn thêm một chữ cái."
    assert said(grade.parts[1]) == "Đúng tên vneid, đuôi .gov.vn."
    assert said(grade.parts[2]).startswith("Tên thật được đặt ở phía trước")


def test_pick_real_wrong_explains_the_trick_of_the_address_picked_only(tmp_path):
    _, pick = questions(tmp_path)
    grade = pick.grade(["in-front"])
    assert not grade.correct
    assert shown(grade) == (
        (
            "vneid.gov.vn.xyz-login.top",
            False,
            "Tên thật được đặt ở phía trước, nhưng phần cuối địa chỉ mới cho biết đó "
            "là trang nào: địa chỉ này thuộc về một trang khác.",
        ),
    )
    assert pick.wrong_ids(["in-front"]) == {"in-front"}


@pytest.mark.parametrize(
    "response",
    [[], ["nope"], ["real", "extra"], [None], [3, "real"], "real", ["real=real"]],
)
def test_pick_real_garbage_is_wrong_without_failing(tmp_path, response):
    _, pick = questions(tmp_path)
    assert not pick.grade(response).correct


def test_pick_real_form_takes_one_known_address(tmp_path):
    _, pick = questions(tmp_path)
    assert pick.response_from_form(MultiDict({"answer": "real"})) == ["real"]
    assert pick.response_from_form(MultiDict({"answer": "nope"})) is None
    assert pick.response_from_form(MultiDict()) is None
    two = MultiDict([("answer", "real"), ("answer", "extra")])
    assert pick.response_from_form(two) is None


def test_labels_for_reports(tmp_path):
    each, pick = questions(tmp_path)
    assert each.label_of("one-for-l=fake") == "chong1uadao.vn: Fake"
    assert each.label_of("real-check=real") == "chongluadao.vn: Real"
    assert pick.label_of("real") == "vneid.gov.vn"
    assert pick.label_of("nope") == "nope"


def test_every_trick_is_translated_into_vietnamese():
    for text in TRICKS.values():
        assert VI_CATALOGUE.gettext(text) != text, text


# --- Checking the YAML -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            VI,
            '        real: true\n        feedback: "Đúng tên vneid',
            '        trick: swapped_letter\n        feedback: "Đúng tên vneid',
            f"{VI}:26: a 'pick_real' question needs exactly one address with "
            "'real: true' (found 0)",
        ),
        (
            VI,
            "        trick: extra_letter\n",
            '        real: true\n        feedback: "Cũng thật?"\n',
            f"{VI}:26: a 'pick_real' question needs exactly one address with "
            "'real: true' (found 2)",
        ),
        (
            VI,
            "trick: one_for_l",
            "trick: typo",
            f"{VI}:14: 'trick' must be one of: extra_letter, swapped_letter, zero_for_o, "
            "one_for_l, odd_ending, name_in_front (found 'typo')",
        ),
        (
            VI,
            "      - id: odd-ending",
            "      - id: one-for-l",
            f"{VI}:15: address id 'one-for-l' is listed twice (first on line 12)",
        ),
        (
            VI,
            '        address: "tinnhiemmang.top"',
            '        address: "chong1uadao.vn"',
            f"{VI}:15: address 'chong1uadao.vn' is listed twice (first on line 12)",
        ),
        (
            VI,
            "        real: true\n",
            "        real: true\n        trick: odd_ending\n",
            f"{VI}:11: address 1 is real, so it cannot have a 'trick'",
        ),
        (
            VI,
            '        feedback: "Đúng tên chongluadao.vn, trang nhận báo cáo lừa đảo."\n',
            "",
            f"{VI}:8: address 1 is real, so it needs its own 'feedback' saying how to "
            "tell",
        ),
        (
            VI,
            "        trick: one_for_l\n",
            "",
            f"{VI}:12: address 2 is fake, so it needs a 'trick' (one of: extra_letter, "
            "swapped_letter, zero_for_o, one_for_l, odd_ending, name_in_front)",
        ),
        (
            VI,
            "        real: true\n",
            "        real: yes\n",
            f"{VI}:10: 'real' must be true or false",
        ),
        (
            VI,
            "mode: pick_real",
            "mode: pick_one",
            f"{VI}:22: 'mode' must be one of: mark_each, pick_real (found 'pick_one')",
        ),
        (
            VI,
            '        address: "vneidd.gov.vn"',
            '        address: "vneidd gov vn"',
            f"{VI}:28: an address has no spaces (found 'vneidd gov vn')",
        ),
        (
            VI,
            "        trick: name_in_front\n",
            "        trick: name_in_front\n        why: typo\n",
            f"{VI}:37: unknown field 'why' (expected one of: address, feedback, id, "
            "real, trick)",
        ),
        (
            VI,
            '    prompt: "Địa chỉ nào là trang VNeID thật?"\n',
            "",
            f"{VI}:20: the question has no 'prompt'",
        ),
        # The English file must match: mode, ids, addresses, which is real, tricks.
        (
            EN,
            '        address: "chong1uadao.vn"',
            '        address: "chong1uadao.com"',
            f"{EN}:2: question 'check-sites' must have the same type, options",
        ),
        (
            EN,
            "trick: odd_ending",
            "trick: swapped_letter",
            f"{EN}:2: question 'check-sites' must have the same type, options",
        ),
        (
            EN,
            "    mode: pick_real\n",
            "",
            f"{EN}:20: question 'pick-vneid' must have the same type, options",
        ),
    ],
)
def test_each_problem_names_its_file_and_line(tmp_path, file, old, new, expected):
    found = problems_of(tmp_path, changed(content_files(), file, old, new))
    assert any(m.startswith(expected) for m in found), found


def test_an_unknown_trick_is_reported_once(tmp_path):
    files = content_files()
    files[VI] = files[VI].replace("trick: one_for_l", "trick: typo")
    found = [m for m in problems_of(tmp_path, files) if m.startswith(f"{VI}:")]
    assert len(found) == 1, found


# --- The pages, without JavaScript, through the test client ------------------------------


@pytest.fixture
def app(content_app, tmp_path):
    """The app serving the web address lesson instead of HọcSố's own content."""
    return content_app(content_root(tmp_path))


def test_mark_each_page_and_answers_by_plain_post(client, learner):
    url = start_quiz(client, SLUG)
    page = client.get(url).get_data(as_text=True)
    assert "Hãy chọn cho từng địa chỉ: giả mạo hay thật." in page
    assert page.count('<fieldset class="mark-item address-item"') == 3
    assert (
        '<span class="sr-only">Địa chỉ: </span>'
        '<span class="address" translate="no">chong1uadao.vn</span></legend>' in page
    )
    assert '<input type="radio" name="mark-one-for-l" value="fake" required>' in page
    assert page.count("<span>Giả mạo</span>") == page.count("<span>Thật</span>") == 3
    assert "<a " not in page.split('class="answer-form"')[1].split("</form>")[0]

    client.post(
        url,
        data={"token": answer_token(client, url)} | RIGHT | {"mark-one-for-l": "real"},
    )
    page = client.get(url).get_data(as_text=True)
    assert "Số 1 (số một) được đặt vào chỗ của chữ l." in page
    assert "Gợi ý:" in page and "Hãy xem lại địa chỉ này nhé." in page
    assert 'name="mark-one-for-l" value="real" checked' in page

    client.post(url, data={"token": answer_token(client, url)} | RIGHT)
    page = client.get(url).get_data(as_text=True)
    assert "Đúng rồi!" in page and "Trang thật là tinnhiemmang.vn." in page


def test_pick_real_page_and_answers_by_plain_post(client, learner):
    url = start_quiz(client, SLUG).rsplit("/", 1)[0] + "/2"
    page = client.get(url).get_data(as_text=True)
    assert "Hãy chọn địa chỉ thật (chỉ có một)." in page
    assert page.count('<input type="radio" name="answer"') == 3
    assert (
        '<input type="radio" name="answer" value="real" required> '
        '<span class="address" translate="no">vneid.gov.vn</span>' in page
    )

    client.post(url, data={"token": answer_token(client, url), "answer": "extra"})
    page = client.get(url).get_data(as_text=True)
    assert "Tên thật bị chèn thêm một chữ cái." in page
    assert "Trang của cơ quan nhà nước có đuôi .gov.vn." in page  # the hint
    assert "Đúng tên vneid, đuôi .gov.vn." not in page  # the answer is not given away

    client.post(url, data={"token": answer_token(client, url), "answer": "real"})
    page = client.get(url).get_data(as_text=True)
    assert "Đúng rồi!" in page and "Đúng tên vneid, đuôi .gov.vn." in page
    answers = stored_answers(client.application, "question_id", "response", "correct")
    assert answers == [
        ("pick-vneid", ["extra"], False),
        ("pick-vneid", ["real"], True),
    ]
