"""Lessons and quizzes written for tests: a good lesson and quiz in two languages,
and for each question type a sample module (tests/samples/<type>.py) that the unit
and browser tests of that type share."""

from __future__ import annotations

from pathlib import Path

from content import load_library

GOOD_LESSON_VI = """\
---
title: Bài thử
summary: Một bài để thử.
minutes: 5
order: 1
sources:
  - title: "Nguồn thử"
    url: https://lawnet.vn
---

## Bước một

Xin chào **bạn**.

![Màn hình mẫu](images/phone.svg)

## Bước hai

!!! warning "Cẩn thận"
    Không đưa mã OTP cho ai.
"""

GOOD_LESSON_EN = """\
---
title: Test lesson
summary: A lesson to test with.
minutes: 5
order: 1
sources:
  - title: "Test source"
    url: https://lawnet.vn
---

## Step one

Hello **you**.

![Example screen](images/phone.svg)

## Step two

!!! warning "Careful"
    Never give the OTP to anyone.
"""

GOOD_QUIZ = """\
questions:
  - id: otp
    type: single
    prompt: "{prompt}"
    review_step: 2
    options:
      - text: "{right}"
        correct: true
      - text: "{wrong}"
        feedback: "{feedback}"
    explanation: "{explanation}"
  - id: call
    type: scam_or_safe
    situation: "{situation}"
    answer: scam
    feedback: "{feedback}"
    explanation: "{explanation}"
"""


def quiz(lang: str) -> str:
    words = {
        "vi": dict(
            prompt="Ai được biết mã OTP?",
            right="Chỉ mình bạn",
            wrong="Nhân viên ngân hàng",
            feedback="Ngân hàng không bao giờ hỏi OTP.",
            explanation="OTP là của riêng bạn.",
            situation="Gọi điện: hãy đọc mã OTP.",
        ),
        "en": dict(
            prompt="Who may know the OTP?",
            right="Only you",
            wrong="Bank staff",
            feedback="Banks never ask for an OTP.",
            explanation="The OTP is yours alone.",
            situation="A call: read me the OTP.",
        ),
    }
    return GOOD_QUIZ.format(**words[lang])


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def good_files() -> dict[str, str]:
    return {
        "lessons/otp.vi.md": GOOD_LESSON_VI,
        "lessons/otp.en.md": GOOD_LESSON_EN,
        "lessons/images/phone.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "quizzes/otp.vi.yaml": quiz("vi"),
        "quizzes/otp.en.yaml": quiz("en"),
    }


def messages(root: Path) -> list[str]:
    return [str(p) for p in load_library(root).problems]


def changed(files: dict[str, str], file: str, old: str, new: str) -> dict[str, str]:
    """``files`` with the first ``old`` in ``file`` replaced by ``new`` (it must be there)."""
    assert old in files[file], "the test's fixture changed"
    return files | {file: files[file].replace(old, new, 1)}


def line(text: str, snippet: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` line of ``text`` containing ``snippet``."""
    found = [n for n, row in enumerate(text.splitlines(), 1) if snippet in row]
    return found[nth - 1]
