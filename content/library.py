"""All lessons and quizzes, read and checked once at start-up and then served from memory."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .drills import MIN_ITEMS, MIN_TYPES, read_drills
from .lessons import LessonText, read_lesson
from .problems import Problem, ProblemList
from .quizzes import Quiz, read_quiz

LANGUAGE_NAMES = {"vi": "Vietnamese", "en": "English"}
_FILE_NAME = re.compile(
    r"(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<lang>[a-z]{2})\.(?P<ext>md|yaml)"
)
# "Hãy nhớ lại bước 4: …" / "Think back to step 4: …" must name the review step.
_HINT_STEP = re.compile(r"\b(?:bước|step)\s+(\d+)", re.IGNORECASE)


@dataclass
class Lesson:
    """A lesson in every language, with its quiz (if it has one)."""

    slug: str
    texts: dict[str, LessonText]
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    drills: dict[str, Quiz] = field(default_factory=dict)  # the drill bank, if any

    @property
    def order(self) -> int:
        return next(iter(self.texts.values())).order

    @property
    def minutes(self) -> int:
        return next(iter(self.texts.values())).minutes

    @property
    def practice(self) -> bool:
        return next(iter(self.texts.values())).practice

    @property
    def step_count(self) -> int:
        return len(next(iter(self.texts.values())).steps)

    @property
    def question_count(self) -> int:
        return len(next(iter(self.quizzes.values())).questions) if self.quizzes else 0

    def text(self, language: str) -> LessonText:
        """The lesson in ``language``, or in the first language if it is missing."""
        return self.texts.get(language) or next(iter(self.texts.values()))

    def quiz(self, language: str) -> Quiz | None:
        if not self.quizzes:
            return None
        return self.quizzes.get(language) or next(iter(self.quizzes.values()))

    def drill_bank(self, language: str) -> Quiz | None:
        """The drill items in ``language`` (or the first language), if any."""
        if not self.drills:
            return None
        return self.drills.get(language) or next(iter(self.drills.values()))

    @property
    def drill_ids(self) -> list[str]:
        """The drill items' ids, in the bank's order (the same in every language)."""
        bank = next(iter(self.drills.values()), None)
        return [question.id for question in bank.questions] if bank else []


@dataclass
class Library:
    """The lessons that passed every check, and the problems of those that did not."""

    lessons: dict[str, Lesson]
    problems: list[Problem]

    def ordered(self) -> list[Lesson]:
        """Every lesson, in the recommended order."""
        return sorted(
            self.lessons.values(), key=lambda lesson: (lesson.order, lesson.slug)
        )

    def course(self) -> list[Lesson]:
        """The lessons of the course, in order (not the practice rooms)."""
        return [lesson for lesson in self.ordered() if not lesson.practice]

    def practice_rooms(self) -> list[Lesson]:
        return [lesson for lesson in self.ordered() if lesson.practice]

    def get(self, slug: str) -> Lesson | None:
        return self.lessons.get(slug)

    def drilled(self) -> list[Lesson]:
        """The course lessons that have a drill bank, in order."""
        return [lesson for lesson in self.course() if lesson.drills]


def load_library(
    root: Path,
    languages: Sequence[str] = ("vi", "en"),
    image_url: Callable[[str, str], str] = lambda name, language: f"images/{name}",
    drill_min_items: int = MIN_ITEMS,
) -> Library:
    """Read ``root``/lessons, ``root``/quizzes and ``root``/drills (drill banks are
    optional). A lesson with any problem is left out.

    ``image_url(name, language)`` is where a lesson in ``language`` finds its picture.
    """
    lesson_dir, quiz_dir = root / "lessons", root / "quizzes"
    drill_dir = root / "drills"
    drills: dict[str, dict[str, Quiz]] = {}
    broken_drills: set[str] = set()
    problems: list[Problem] = []
    texts: dict[str, dict[str, LessonText]] = {}
    quizzes: dict[str, dict[str, Quiz]] = {}
    broken: set[str] = set()
    present: set[str] = set()

    def shown(path: Path) -> str:
        return path.relative_to(root).as_posix()

    def record(slug: str, found: ProblemList) -> None:
        if found:
            problems.extend(found)
            broken.add(slug)

    for path, slug, language in _content_files(
        lesson_dir, "md", languages, problems, shown
    ):
        text, found = read_lesson(
            path, shown(path), slug, language, lesson_dir / "images", image_url
        )
        record(slug, found)
        present.add(shown(path))
        if text is not None and not found:
            texts.setdefault(slug, {})[language] = text
    for path, slug, language in _content_files(
        quiz_dir, "yaml", languages, problems, shown
    ):
        quiz, found = read_quiz(path, shown(path), lesson_dir / "images")
        record(slug, found)
        present.add(shown(path))
        if quiz is not None and not found:
            quizzes.setdefault(slug, {})[language] = quiz
    if drill_dir.is_dir():
        for path, slug, language in _content_files(
            drill_dir, "yaml", languages, problems, shown
        ):
            quiz_ids = {
                question.id
                for quiz in quizzes.get(slug, {}).values()
                for question in quiz.questions
            }
            bank, found = read_drills(
                path,
                shown(path),
                lesson_dir / "images",
                quiz_ids,
                drill_min_items,
                MIN_TYPES,
            )
            # A broken drill bank is left out, not its lesson: the lesson and quiz
            # still serve, and `content check` names every problem.
            problems.extend(found)
            present.add(shown(path))
            if bank is not None and not found:
                drills.setdefault(slug, {})[language] = bank
            else:
                broken_drills.add(slug)

    # Files with problems of their own are left out of the checks between files,
    # so one mistake is reported once, not again as a difference or a missing file.
    slugs = {path.split("/")[-1].split(".")[0] for path in present}
    for slug in sorted(slugs):
        found = _check_lesson(
            slug, texts.get(slug, {}), quizzes.get(slug, {}), languages, present
        )
        record(slug, found)
        if any(path.startswith(f"drills/{slug}.") for path in present):
            found = _check_drills(slug, texts.get(slug, {}), drills, languages, present)
            problems.extend(found)
            if found:
                broken_drills.add(slug)

    lessons = {
        slug: Lesson(
            slug,
            _in_order(by_language, languages),
            _in_order(quizzes.get(slug, {}), languages),
            {} if slug in broken_drills else _in_order(drills.get(slug, {}), languages),
        )
        for slug, by_language in texts.items()
        if slug not in broken
    }
    return Library(lessons, sorted(set(problems)))


def _in_order(by_language: dict, languages: Sequence[str]) -> dict:
    return {
        language: by_language[language]
        for language in languages
        if language in by_language
    }


def _content_files(
    folder: Path,
    extension: str,
    languages: Sequence[str],
    problems: list[Problem],
    shown: Callable[[Path], str],
):
    """Yield (path, slug, language) for each content file; report misnamed files."""
    if not folder.is_dir():
        problems.append(
            Problem(folder.name, 0, f"the folder '{folder.name}/' is missing")
        )
        return
    for path in sorted(folder.iterdir()):
        if path.is_dir() or path.name == "README.md" or path.name.startswith("."):
            continue
        match = _FILE_NAME.fullmatch(path.name)
        if not match or match["ext"] != extension or match["lang"] not in languages:
            expected = (
                f"NAME.LANGUAGE.{extension}, LANGUAGE one of {', '.join(languages)}"
            )
            problems.append(
                Problem(shown(path), 1, f"file name must look like {expected}")
            )
            continue
        yield path, match["slug"], match["lang"]


def _check_lesson(
    slug: str,
    texts: dict[str, LessonText],
    quizzes: dict[str, Quiz],
    languages: Sequence[str],
    present: set[str],
) -> ProblemList:
    """Check that every language has the lesson and quiz, and that they agree."""
    reference = texts.get(languages[0]) or next(iter(texts.values()), None)
    first_path = reference.path if reference else f"lessons/{slug}.{languages[0]}.md"
    problems = ProblemList(first_path)
    has_quiz = any(path.startswith(f"quizzes/{slug}.") for path in present)
    for language in languages:
        if f"lessons/{slug}.{language}.md" not in present:
            problems.add(
                1,
                f"no {LANGUAGE_NAMES.get(language, language)} version: add lessons/{slug}.{language}.md",
            )
        if has_quiz and f"quizzes/{slug}.{language}.yaml" not in present:
            problems.add(
                1,
                f"no {LANGUAGE_NAMES.get(language, language)} quiz: add quizzes/{slug}.{language}.yaml",
            )
    if reference is None:
        return problems

    for text in texts.values():
        if text is reference:
            continue
        own = ProblemList(text.path)
        if len(text.steps) != len(reference.steps):
            own.add(
                1,
                f"has {len(text.steps)} steps but {reference.path} has {len(reference.steps)}",
            )
        for name in ("order", "minutes", "practice"):
            if getattr(text, name) != getattr(reference, name):
                own.add(2, f"'{name}' differs from {reference.path}")
        for step, other in zip(text.steps, reference.steps, strict=False):
            if sorted(step.images) != sorted(other.images):
                own.add(
                    step.line,
                    f"step {step.number} shows other images than in {reference.path}",
                )
        problems.extend(own)

    problems.extend(_agree(quizzes, reference, languages))
    return problems


def _check_drills(
    slug: str,
    texts: dict[str, LessonText],
    drills: dict[str, dict[str, Quiz]],
    languages: Sequence[str],
    present: set[str],
) -> ProblemList:
    """A drill bank belongs to a course lesson with a quiz, in every language, and
    its files agree the way a quiz's do."""
    reference = texts.get(languages[0]) or next(iter(texts.values()), None)
    first = f"drills/{slug}.{languages[0]}.yaml"
    problems = ProblemList(first)
    if reference is None:
        problems.add(
            1, f"no lesson '{slug}' for this drill bank: add lessons/{slug}.vi.md"
        )
        return problems
    if reference.practice:
        problems.add(1, "a practice room has no drill bank: it is practice already")
    for language in languages:
        if f"drills/{slug}.{language}.yaml" not in present:
            problems.add(
                1,
                f"no {LANGUAGE_NAMES.get(language, language)} drill bank: add "
                f"drills/{slug}.{language}.yaml",
            )
    problems.extend(_agree(drills.get(slug, {}), reference, languages))
    return problems


def _agree(
    quizzes: dict[str, Quiz], reference: LessonText, languages: Sequence[str]
) -> ProblemList:
    """Every language's questions point at steps the lesson has, and have the same
    ids, types, options, right answers and review steps as the first language's."""
    problems = ProblemList(reference.path)
    for quiz in quizzes.values():
        own = ProblemList(quiz.path)
        for question in quiz.questions:
            if question.review_step and question.review_step > len(reference.steps):
                own.add(
                    question.line,
                    f"'review_step: {question.review_step}' but the lesson has {len(reference.steps)} steps",
                )
            named = _HINT_STEP.search(question.hint or "")
            if named and int(named.group(1)) != question.review_step:
                own.add(
                    question.line,
                    f"the hint names step {named.group(1)} but 'review_step' is "
                    f"{question.review_step}: make them the same step",
                )
        problems.extend(own)
    quiz_reference = quizzes.get(languages[0]) or next(iter(quizzes.values()), None)
    for quiz in quizzes.values():
        if quiz_reference is None or quiz is quiz_reference:
            continue
        own = ProblemList(quiz.path)
        ids = [q.id for q in quiz.questions]
        reference_ids = [q.id for q in quiz_reference.questions]
        if ids != reference_ids:
            own.add(
                1,
                f"question ids {ids} differ from {quiz_reference.path} {reference_ids}",
            )
        for question, other in zip(
            quiz.questions, quiz_reference.questions, strict=False
        ):
            if question.id == other.id and question.shape() != other.shape():
                own.add(
                    question.line,
                    f"question '{question.id}' must have the same type, options, right answer and "
                    f"review_step as in {quiz_reference.path}",
                )
        if quiz.pass_percent != quiz_reference.pass_percent:
            own.add(1, f"'pass_percent' differs from {quiz_reference.path}")
        problems.extend(own)
    return problems
