"""`content check` on drill banks: the quiz parser, plus the drill rules."""

from __future__ import annotations

import shutil
from pathlib import Path

from content import load_library
from tests.conftest import ROOT, SAMPLE_DRILLS


def content_with(tmp_path: Path, **files: str) -> Path:
    """HọcSố's lessons and quizzes, with these drill files (name: text)."""
    (tmp_path / "lessons").symlink_to(ROOT / "lessons")
    (tmp_path / "quizzes").symlink_to(ROOT / "quizzes")
    drills = tmp_path / "drills"
    drills.mkdir()
    for name, text in files.items():
        (drills / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return tmp_path


def messages(root: Path) -> list[str]:
    return [str(p) for p in load_library(root).problems]


def sample(name: str) -> str:
    return (SAMPLE_DRILLS / name).read_text(encoding="utf-8")


def test_the_sample_banks_pass(tmp_path):
    root = content_with(tmp_path)
    for name in ("vneid.vi.yaml", "vneid.en.yaml"):
        shutil.copy(SAMPLE_DRILLS / name, root / "drills" / name)
    library = load_library(root)
    assert library.problems == []
    assert len(library.get("vneid").drill_ids) == 10


def test_the_drill_rules_are_checked(tmp_path):
    bad = sample("vneid.vi.yaml")
    bad = bad.replace("id: drill-vneid-sos-1", "id: sos-1", 1)
    bad = bad.replace("id: drill-vneid-sos-2", "id: approval-sms", 1)
    root = content_with(tmp_path, **{"vneid_vi_yaml": bad})
    found = "\n".join(messages(root))
    assert "drill id 'sos-1' must start with 'drill-'" in found
    assert "drill id 'approval-sms' is also a question of the quiz" in found
    assert "no English drill bank: add drills/vneid.en.yaml" in found


def test_too_few_items_or_types_and_a_quiz_only_type(tmp_path):
    text = (
        "questions:\n"
        + sample("vneid.vi.yaml")
        .split("questions:\n")[1]
        .split("  - id: drill-vneid-sos-4")[0]
    )
    text += (
        "  - id: drill-single\n    type: single\n    prompt: Q?\n    review_step: 1\n"
        "    options:\n      - text: A\n        correct: true\n      - text: B\n"
        "        feedback: No.\n    explanation: E.\n"
    )
    root = content_with(tmp_path, vneid_vi_yaml=text, vneid_en_yaml=text)
    found = "\n".join(messages(root))
    assert "has type 'single': a drill uses only the practice types" in found
    assert "a drill file needs at least 10 items; this one has 4" in found
    assert "at least 4 different practice types; this one has 2" in found


def test_a_broken_bank_leaves_the_lesson_served(tmp_path):
    root = content_with(tmp_path, vneid_vi_yaml="questions: []\n")
    library = load_library(root)
    assert library.problems and library.get("vneid") is not None
    assert library.get("vneid").drills == {}


def test_the_languages_must_agree(tmp_path):
    en = sample("vneid.en.yaml").replace("answer: scam", "answer: safe", 1)
    root = content_with(
        tmp_path, vneid_vi_yaml=sample("vneid.vi.yaml"), vneid_en_yaml=en
    )
    assert any("must have the same type, options" in m for m in messages(root))
