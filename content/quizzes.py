"""Read one quiz file (YAML): a pass mark and a list of questions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .fields import Fields
from .problems import ProblemList, parse_file
from .questions import Question, parse_question
from .yamlio import parse_yaml

DEFAULT_PASS_PERCENT = 75


@dataclass
class Quiz:
    """The questions of one lesson in one language."""

    path: str
    pass_percent: int
    questions: list[Question]

    def question(self, number: int) -> Question:
        """The question at 1-based position ``number``."""
        return self.questions[number - 1]

    def passed(self, score: int) -> bool:
        return score * 100 >= self.pass_percent * len(self.questions)


def read_quiz(
    file: Path, shown_path: str, image_dir: Path | None = None
) -> tuple[Quiz | None, ProblemList]:
    """Parse and check one quiz file; return the quiz (None if unusable) and its problems."""
    problems = ProblemList(shown_path)
    ok, data = parse_file(file, problems, lambda text: parse_yaml(text, shown_path))
    if not ok:
        return None, problems

    fields = Fields(data, problems, "the quiz file")
    fields.unknown({"pass_percent", "questions"})
    pass_percent = (
        fields.integer("pass_percent", 1, 100, required=False) or DEFAULT_PASS_PERCENT
    )
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for number, (node, line) in enumerate(fields.items("questions"), start=1):
        question = parse_question(
            Fields(node, problems, f"question {number}", image_dir=image_dir), line
        )
        if question is None:
            continue
        if question.id in seen:
            problems.add(
                line,
                f"question id '{question.id}' is used twice (first on line {seen[question.id]})",
            )
        seen.setdefault(question.id, line)
        questions.append(question)
    return Quiz(shown_path, pass_percent, questions), problems
