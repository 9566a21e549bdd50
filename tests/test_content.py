"""The content pipeline: reading, rendering and checking lessons and quizzes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from content import QUESTION_TYPES, load_library
from content.render import render_markdown
from tests.conftest import ROOT
from tests.samples import GOOD_LESSON_VI, changed, good_files, messages, write


def test_good_content_loads_in_both_languages(tmp_path):
    library = load_library(
        write(tmp_path, good_files()), image_url=lambda n, lang: f"/img/{n}"
    )
    assert library.problems == []
    lesson = library.get("otp")
    assert [s.title for s in lesson.text("vi").steps] == ["Bước một", "Bước hai"]
    assert [s.title for s in lesson.text("en").steps] == ["Step one", "Step two"]
    first = lesson.text("vi").steps[0]
    assert "<strong>bạn</strong>" in first.html
    assert 'src="/img/phone.svg"' in first.html and 'alt="Màn hình mẫu"' in first.html
    warning = lesson.text("en").steps[1].html
    assert 'class="admonition warning"' in warning and "Careful" in warning
    assert lesson.minutes == 5 and lesson.question_count == 2
    assert lesson.text("vi").sources[0].url == "https://lawnet.vn"
    assert lesson.quiz("en").question(1).prompt == "Who may know the OTP?"


def test_unknown_language_falls_back_to_vietnamese(tmp_path):
    lesson = load_library(write(tmp_path, good_files())).get("otp")
    assert lesson.text("fr").title == "Bài thử"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "lessons/otp.vi.md",
            "minutes: 5",
            "minutes: năm",
            "lessons/otp.vi.md:4: 'minutes' must be a whole number from 1 to 240",
        ),
        (
            "lessons/otp.vi.md",
            "title: Bài thử\n",
            "",
            "lessons/otp.vi.md:2: the front matter has no 'title'",
        ),
        (
            "lessons/otp.vi.md",
            "## Bước hai",
            "# Bước hai",
            "lessons/otp.vi.md:17: use '## ' for a step heading",
        ),
        (
            "lessons/otp.vi.md",
            "images/phone.svg",
            "images/missing.svg",
            "lessons/otp.vi.md:15: image 'images/missing.svg' does not exist",
        ),
        (
            "lessons/otp.vi.md",
            "![Màn hình mẫu]",
            "![]",
            "lessons/otp.vi.md:15: image 'images/phone.svg' needs a description",
        ),
        (
            "lessons/otp.vi.md",
            "Xin chào **bạn**.",
            "Xin chào <script>alert(1)</script>",
            "lessons/otp.vi.md:13: HTML tags are not allowed",
        ),
        (
            "lessons/otp.vi.md",
            '!!! warning "Cẩn thận"',
            '!!! danger "Cẩn thận"',
            "lessons/otp.vi.md:19: unknown box '!!! danger'",
        ),
        (
            "lessons/otp.vi.md",
            "url: https://lawnet.vn",
            "url: lawnet.vn",
            "lessons/otp.vi.md:8: source address 'lawnet.vn' must be a full https:// address",
        ),
        (
            "lessons/otp.vi.md",
            "---\n\n## Bước một",
            "---\nLời mở đầu.\n## Bước một",
            "lessons/otp.vi.md:10: text before the first step",
        ),
        (
            "lessons/otp.en.md",
            '## Step two\n\n!!! warning "Careful"\n    Never give the OTP to anyone.\n',
            "",
            "lessons/otp.en.md:1: has 1 steps but lessons/otp.vi.md has 2",
        ),
        (
            "quizzes/otp.vi.yaml",
            '        feedback: "Ngân hàng không bao giờ hỏi OTP."\n',
            "",
            "quizzes/otp.vi.yaml:9: option 2 is wrong, so it needs its own 'feedback'",
        ),
        (
            "quizzes/otp.vi.yaml",
            "type: single",
            "type: essay",
            "quizzes/otp.vi.yaml:3: 'type' must be one of: "
            + ", ".join(sorted(QUESTION_TYPES)),
        ),
        (
            "quizzes/otp.vi.yaml",
            "  - id: call",
            "  - id: otp",
            "quizzes/otp.vi.yaml:12: question id 'otp' is used twice (first on line 2)",
        ),
        (
            "quizzes/otp.vi.yaml",
            "answer: scam",
            "answer: maybe",
            "quizzes/otp.vi.yaml:15: 'answer' must be one of: scam, safe",
        ),
        (
            "quizzes/otp.vi.yaml",
            "review_step: 2",
            "review_step: 9",
            "quizzes/otp.vi.yaml:2: 'review_step: 9' but the lesson has 2 steps",
        ),
        (
            "quizzes/otp.vi.yaml",
            "        correct: true",
            "        correct: yes please",
            "quizzes/otp.vi.yaml:8: 'correct' must be true or false",
        ),
        (
            "quizzes/otp.vi.yaml",
            'prompt: "Ai được biết mã OTP?"',
            "prompt: [unclosed",
            "quizzes/otp.vi.yaml:5: cannot read YAML",
        ),
        (
            "quizzes/otp.en.yaml",
            "answer: scam",
            "answer: safe",
            "quizzes/otp.en.yaml:12: question 'call' must have the same type, options, "
            "right answer",
        ),
        (
            "quizzes/otp.vi.yaml",
            "    review_step: 2",
            "    review_step: 2\n    hnit: typo",
            "quizzes/otp.vi.yaml:6: unknown field 'hnit'",
        ),
        (
            "quizzes/otp.vi.yaml",
            "    review_step: 2",
            '    review_step: 2\n    hint: "Hãy nhớ lại bước 1: ai gõ mã?"',
            "quizzes/otp.vi.yaml:2: the hint names step 1 but 'review_step' is 2",
        ),
    ],
)
def test_each_problem_names_its_file_and_line(tmp_path, file, old, new, expected):
    found = messages(write(tmp_path, changed(good_files(), file, old, new)))
    assert any(m.startswith(expected) for m in found), found


def test_a_broken_lesson_is_not_served_but_others_are(tmp_path):
    files = good_files()
    other = {
        name.replace("otp", "calls"): text
        for name, text in files.items()
        if not name.startswith("lessons/images")
    }
    files |= other
    files["quizzes/calls.en.yaml"] = files["quizzes/calls.en.yaml"].replace(
        "answer: scam", "answer: nope"
    )
    library = load_library(write(tmp_path, files))
    assert sorted(library.lessons) == ["otp"]
    assert [p.path for p in library.problems] == ["quizzes/calls.en.yaml"]


@pytest.mark.parametrize(
    ("remove", "expected"),
    [
        (
            "lessons/otp.en.md",
            "lessons/otp.vi.md:1: no English version: add lessons/otp.en.md",
        ),
        (
            "quizzes/otp.en.yaml",
            "lessons/otp.vi.md:1: no English quiz: add quizzes/otp.en.yaml",
        ),
    ],
)
def test_a_missing_translation_is_reported(tmp_path, remove, expected):
    files = good_files()
    del files[remove]
    assert expected in messages(write(tmp_path, files))


def test_a_badly_named_file_is_reported(tmp_path):
    files = good_files() | {"lessons/Otp lesson.md": GOOD_LESSON_VI}
    assert any(
        m.startswith(
            "lessons/Otp lesson.md:1: file name must look like NAME.LANGUAGE.md"
        )
        for m in messages(write(tmp_path, files))
    )


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    files = good_files()
    files["lessons/otp.vi.md"] = (
        files["lessons/otp.vi.md"]
        .replace("minutes: 5", "minutes: 0")
        .replace("images/phone.svg", "images/nope.svg")
    )
    found = [
        m for m in messages(write(tmp_path, files)) if m.startswith("lessons/otp.vi")
    ]
    assert len(found) >= 2, found


def test_markdown_output_is_sanitised():
    """Even if a check were missed, the HTML served can carry no script or bad link."""
    html = render_markdown(
        "Hi <script>alert(1)</script> [x](javascript:alert(1)) "
        '<img src=x onerror="alert(1)">\n\n![ok](images/a.svg)',
        image_url=lambda name: f"/lessons/images/{name}",
    )
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html
    assert '<img alt="ok" src="/lessons/images/a.svg">' in html


def test_a_link_that_is_not_https_is_reported(tmp_path):
    files = good_files()
    files["lessons/otp.vi.md"] = files["lessons/otp.vi.md"].replace(
        "Xin chào **bạn**.", "[bấm vào](javascript:alert(1))"
    )
    assert (
        "lessons/otp.vi.md:13: link 'javascript:alert(1' must be a full https:// address"
        in (messages(write(tmp_path, files)))
    )


COURSE = ["vneid", "qr-payment", "scam-calls", "strange-links"]
URL = re.compile(r"https://[a-z0-9-]+(\.[a-z0-9-]+)+(/[^\s]*)?")
LAST_STEP = {"vi": "Điều cần nhớ", "en": "Things to remember"}


def test_real_content_has_no_problems(library):
    assert library.problems == [], "\n".join(map(str, library.problems))


def test_the_course_is_the_four_modules_in_order(library):
    assert [lesson.slug for lesson in library.course()] == COURSE


@pytest.mark.parametrize("slug", COURSE)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_module_is_complete_in_each_language(library, slug, language):
    lesson = library.get(slug)
    text, quiz = lesson.text(language), lesson.quiz(language)
    assert text.language == language and quiz.path.endswith(f".{language}.yaml")
    assert len(text.steps) >= 6  # one action or idea per step: short steps, not few
    assert text.steps[-1].title == LAST_STEP[language]
    assert len(quiz.questions) >= 8
    assert {q.name for q in quiz.questions} - {"single", "multiple", "scam_or_safe"}
    for question in quiz.questions:
        assert question.explanation and question.review_step, question.id
    for step in text.steps:
        for image in step.images:
            assert (ROOT / "lessons" / "images" / image).is_file(), image
    assert text.sources and all(URL.fullmatch(s.url) for s in text.sources)


def test_yaml_words_like_no_stay_words(tmp_path):
    """YAML 1.2: an option written `no` is the word, not False."""
    files = good_files()
    files["quizzes/otp.vi.yaml"] = files["quizzes/otp.vi.yaml"].replace(
        'text: "Nhân viên ngân hàng"', "text: no"
    )
    library = load_library(write(tmp_path, files))
    assert library.problems == []
    assert library.get("otp").quiz("vi").question(1).options[1].text == "no"


def test_the_authoring_guides_examples_pass_the_check(tmp_path):
    """Every YAML example in quizzes/README.md is valid as a trainer pastes it, and
    the guide shows every question type there is."""
    root = Path(__file__).resolve().parent.parent
    guide = (root / "quizzes" / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", guide, flags=re.S)
    questions = [block.split("questions:\n", 1)[-1] for block in blocks]
    quiz_text = "questions:\n" + "".join(questions)
    count = max(int(n) for n in re.findall(r"review_step: (\d+)", guide))
    steps = "".join(f"## Bước {n}\n\nNội dung.\n\n" for n in range(1, count + 1))
    lesson = GOOD_LESSON_VI.split("## Bước một")[0] + steps
    files = {
        "lessons/guide.vi.md": lesson,
        "lessons/guide.en.md": lesson,
        "quizzes/guide.vi.yaml": quiz_text,
        "quizzes/guide.en.yaml": quiz_text,
    }
    for image in (root / "lessons" / "images").glob("*.svg"):
        files[f"lessons/images/{image.name}"] = image.read_text(encoding="utf-8")
    library = load_library(write(tmp_path, files))
    assert library.problems == []
    types = [q.name for q in library.get("guide").quiz("vi").questions]
    assert sorted(set(types)) == sorted(QUESTION_TYPES)


@pytest.mark.parametrize(
    "image", sorted(path.name for path in (ROOT / "lessons" / "images").glob("*.svg"))
)
def test_every_picture_is_marked_as_an_example_in_vietnamese_only(image):
    """The pictures show Vietnamese phone screens: their label is Vietnamese, with no
    English word beside it."""
    svg = (ROOT / "lessons" / "images" / image).read_text(encoding="utf-8")
    assert ">HÌNH MINH HỌA</text>" in svg
    assert "EXAMPLE" not in svg
