"""The drill banks of scam-calls and strange-links: the fixed drill format, and every item shown.

Until the drill engine reads drills/, these banks are checked with the quiz machinery the
format is built on: ``read_quiz`` reads each file, and a content root that serves a bank
in place of its lesson's quiz runs the cross-language check and shows every item.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from markupsafe import escape

from content import load_library
from content.lessons import read_lesson
from content.quizzes import read_quiz

from .conftest import ROOT, start_quiz

SLUGS = ("scam-calls", "strange-links")
LANGUAGES = ("vi", "en")
PRACTICE_TYPES = {
    "sms_inbox",
    "web_address",
    "qr_payment",
    "phone_call",
    "red_flag",
    "scam_or_safe",
}
IMAGES = ROOT / "lessons" / "images"


def bank(slug: str, language: str):
    path = ROOT / "drills" / f"{slug}.{language}.yaml"
    quiz, problems = read_quiz(path, f"drills/{path.name}", IMAGES)
    assert list(problems) == [], problems
    return quiz


def step_count(slug: str) -> int:
    path = ROOT / "lessons" / f"{slug}.vi.md"
    lesson, problems = read_lesson(
        path, path.name, slug, "vi", IMAGES, lambda name, language: name
    )
    assert list(problems) == [], problems
    return len(lesson.steps)


def every_quiz_id() -> set[str]:
    ids = set()
    for path in (ROOT / "quizzes").glob("*.yaml"):
        quiz, _ = read_quiz(path, path.name, IMAGES)
        ids |= {question.id for question in quiz.questions}
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", SLUGS)
def test_a_bank_keeps_the_drill_format(slug, language):
    questions = bank(slug, language).questions
    assert len(questions) >= 10
    types = {question.name for question in questions}
    assert types <= PRACTICE_TYPES
    assert len(types) >= 4
    ids = [question.id for question in questions]
    assert len(set(ids)) == len(ids)
    assert all(id.startswith("drill-") for id in ids)
    assert not set(ids) & every_quiz_id()
    steps = step_count(slug)
    for question in questions:
        assert question.review_step and 1 <= question.review_step <= steps
        assert question.explanation and question.hint, question.id


@pytest.mark.parametrize("slug", SLUGS)
def test_both_languages_have_the_same_items_and_answers(slug):
    vi, en = bank(slug, "vi").questions, bank(slug, "en").questions
    assert [q.id for q in vi] == [q.id for q in en]
    assert [q.shape() for q in vi] == [q.shape() for q in en]


@pytest.mark.parametrize("slug", SLUGS)
def test_a_bank_has_safe_situations_as_well_as_scams(slug):
    questions = bank(slug, "vi").questions
    safe = [
        q
        for q in questions
        if q.name == "scam_or_safe" and q.correct_response() == ["safe"]
    ]
    safe_messages = [
        m
        for q in questions
        if q.name == "sms_inbox"
        for m in q.items
        if m.verdict == "safe"
    ]
    assert len(safe) >= 2 and len(safe_messages) >= 2


def test_the_pictures_are_marked_as_examples_in_vietnamese_only():
    pictures = {
        q.image
        for slug in SLUGS
        for q in bank(slug, "vi").questions
        if q.name == "red_flag"
    }
    assert pictures
    for name in pictures:
        assert name.startswith("drill-")
        svg = (IMAGES / name).read_text(encoding="utf-8")
        assert "HÌNH MINH HỌA" in svg and "EXAMPLE" not in svg


def test_fake_data_is_visibly_fake():
    for slug in SLUGS:
        for language in LANGUAGES:
            text = (ROOT / "drills" / f"{slug}.{language}.yaml").read_text("utf-8")
            # Long digit runs are sample accounts (0000…) or the brief's real hotline;
            # phone numbers are written 09xx xxx xxx.
            numbers = set(re.findall(r"\d[\d ]{6,}\d", text))
            assert all(n == "1900 1288" or n.startswith("0000") for n in numbers)
            assert "09xx xxx xxx" in text and "(mẫu)" in text


# --- Every item shown, through the quiz pages ------------------------------------------


def drill_root(tmp_path: Path, slug: str) -> Path:
    """HọcSố's lessons, with ``slug``'s drill bank served as its quiz."""
    root = tmp_path / "content"
    shutil.copytree(ROOT / "lessons", root / "lessons")
    (root / "quizzes").mkdir()
    for language in LANGUAGES:
        shutil.copy(
            ROOT / "drills" / f"{slug}.{language}.yaml",
            root / "quizzes" / f"{slug}.{language}.yaml",
        )
    return root


@pytest.mark.parametrize("slug", SLUGS)
def test_the_cross_language_check_finds_nothing(tmp_path, slug):
    library = load_library(drill_root(tmp_path, slug))
    assert library.problems == []
    assert library.get(slug).quiz("en").questions


@pytest.fixture(params=SLUGS)
def slug(request) -> str:
    return request.param


@pytest.fixture
def app(content_app, tmp_path, slug):
    """An app serving ``slug``'s drill bank as its lesson's quiz."""
    return content_app(drill_root(tmp_path, slug))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_item_is_shown(client, learner, slug, language):
    client.post("/language", data={"language": language})
    first = start_quiz(client, slug)
    for number, question in enumerate(bank(slug, language).questions, start=1):
        response = client.get(re.sub(r"/1$", f"/{number}", first))
        assert response.status_code == 200, question.id
        page = response.get_data(as_text=True)
        assert str(escape(question.summary())) in page, question.id
