"""The drill banks of VNeID and QR payment keep the fixed drill format (issue 14 item 1).

A drill file is a quiz file restricted to the practice types, so it is read here with
the quiz machinery, and served in place of its module's quiz in a copy of the content
to show that every item renders and grades right in both languages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from markupsafe import escape
from werkzeug.datastructures import MultiDict

from content.quizzes import read_quiz
from content.yamlio import parse_yaml

from .conftest import answer_token, start_quiz
from .factories import make_communes

ROOT = Path(__file__).resolve().parent.parent
SLUGS = ("vneid", "qr-payment")
LANGUAGES = ("vi", "en")
PRACTICE_TYPES = {
    "sms_inbox",
    "web_address",
    "qr_payment",
    "phone_call",
    "red_flag",
    "scam_or_safe",
}
RIGHT = {"vi": "Đúng rồi!", "en": "That's right!"}


def bank_path(slug: str, language: str) -> Path:
    return ROOT / "drills" / f"{slug}.{language}.yaml"


def read_bank(slug: str, language: str):
    path = bank_path(slug, language)
    quiz, problems = read_quiz(
        path, f"drills/{path.name}", image_dir=ROOT / "lessons" / "images"
    )
    assert not list(problems), [str(problem) for problem in problems]
    return quiz


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", SLUGS)
def test_a_bank_has_ten_new_practice_items_of_four_types(library, slug, language):
    path = bank_path(slug, language)
    data = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    assert set(data) == {"questions"}
    quiz = read_bank(slug, language)
    assert len(quiz.questions) >= 10
    types = {question.name for question in quiz.questions}
    assert types <= PRACTICE_TYPES and len(types) >= 4
    quiz_ids = {
        question.id
        for lesson in library.lessons.values()
        for one in lesson.quizzes.values()
        for question in one.questions
    }
    steps = library.get(slug).step_count
    for question in quiz.questions:
        assert question.id.startswith("drill-") and question.id not in quiz_ids
        assert question.review_step and 1 <= question.review_step <= steps
        assert question.explanation


@pytest.mark.parametrize("slug", SLUGS)
def test_both_languages_have_the_same_items_and_answers(slug):
    vi, en = (read_bank(slug, language) for language in LANGUAGES)
    assert [q.id for q in vi.questions] == [q.id for q in en.questions]
    for ours, theirs in zip(vi.questions, en.questions, strict=True):
        assert ours.shape() == theirs.shape(), ours.id


@pytest.mark.parametrize("slug", SLUGS)
def test_pictures_are_the_banks_own_and_labelled_in_vietnamese_only(slug):
    pictures = {
        question.image
        for question in read_bank(slug, "vi").questions
        if question.name == "red_flag"
    }
    assert pictures
    for name in pictures:
        assert name.startswith(f"drill-{slug}-")
        svg = (ROOT / "lessons" / "images" / name).read_text(encoding="utf-8")
        assert "HÌNH MINH HỌA" in svg and "EXAMPLE" not in svg


@pytest.mark.parametrize("slug", SLUGS)
def test_every_item_shows_and_its_right_answer_is_right(content_app, tmp_path, slug):
    """Each bank stands in for its module's quiz: every page shows, every answer grades."""
    shutil.copytree(ROOT / "lessons", tmp_path / "lessons")
    shutil.copytree(ROOT / "quizzes", tmp_path / "quizzes")
    for language in LANGUAGES:
        bank = bank_path(slug, language)
        shutil.copy(bank, tmp_path / "quizzes" / bank.name)
    app = content_app(tmp_path)
    library = app.extensions["hocso_library"]
    assert not library.problems, [str(problem) for problem in library.problems]
    client = app.test_client()
    commune = make_communes(app)[0]
    client.post(
        "/learner/start",
        data={"name": "Bà Tư", "birth_year": "1948", "commune": commune},
    )
    for language in LANGUAGES:
        client.post("/language", data={"language": language})
        quiz = library.get(slug).quiz(language)
        base = start_quiz(client, slug).rsplit("/", 1)[0]
        for number, question in enumerate(quiz.questions, start=1):
            url = f"{base}/{number}"
            page = client.get(url)
            assert page.status_code == 200
            assert str(escape(question.summary())) in page.get_data(as_text=True)
            right = MultiDict(question.form_for(question.correct_response()))
            right["token"] = answer_token(client, url)
            client.post(url, data=right)
            feedback = client.get(url).get_data(as_text=True)
            assert RIGHT[language] in feedback, question.id
        assert client.post(f"{base}/finish").status_code == 303
