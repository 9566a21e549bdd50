"""Read one lesson file: front matter, then one step per '## ' section."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .fields import Fields
from .frontmatter import split_front_matter
from .problems import ProblemList, parse_file
from .render import ADMONITION_KINDS, render_markdown

LESSON_FIELDS = {"title", "summary", "minutes", "order", "sources", "practice"}

_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]*)[^)]*\)")
_IMAGE_NAME = re.compile(r"images/([A-Za-z0-9_.-]+\.svg)")
_RAW_HTML = re.compile(r"<[A-Za-z/!]")
_ADMONITION = re.compile(r"^!!!\s*(\S*)")
_URL = re.compile(r"https://[a-z0-9.-]+\.[a-z]{2,}(/[^\s]*)?")


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass
class Step:
    """One screen of a lesson: one action or one idea."""

    number: int
    title: str
    html: str
    line: int
    images: list[str] = field(default_factory=list)


@dataclass
class LessonText:
    """A lesson in one language."""

    slug: str
    language: str
    path: str
    title: str
    summary: str
    minutes: int
    order: int
    sources: list[Source]
    steps: list[Step]
    practice: bool = False  # a practice room, shown apart from the course


def read_lesson(
    file: Path,
    shown_path: str,
    slug: str,
    language: str,
    image_dir: Path,
    image_url: Callable[[str, str], str],
) -> tuple[LessonText | None, ProblemList]:
    """Parse and check one lesson file; return the lesson (None if unusable) and its problems."""
    problems = ProblemList(shown_path)
    ok, parts = parse_file(
        file, problems, lambda text: split_front_matter(text, shown_path)
    )
    if not ok:
        return None, problems
    meta, body, body_line = parts

    fields = Fields(meta, problems, "the front matter", first_line=2)
    fields.unknown(LESSON_FIELDS)
    title = fields.text("title") or ""
    summary = fields.text("summary") or ""
    minutes = fields.integer("minutes", 1, 240) or 1
    order = fields.integer("order", 1, 999) or 999
    sources = _read_sources(fields)
    practice = fields.boolean("practice")
    steps = _read_steps(
        body, body_line, problems, image_dir, lambda name: image_url(name, language)
    )
    if not steps and not problems:
        problems.add(
            body_line, "the lesson has no steps: start each step with a '## ' heading"
        )
    lesson = LessonText(
        slug,
        language,
        shown_path,
        title,
        summary,
        minutes,
        order,
        sources,
        steps,
        practice,
    )
    return lesson, problems


def _read_sources(fields: Fields) -> list[Source]:
    sources = []
    for node, _ in fields.items("sources"):
        source = Fields(node, fields.problems, "a source", fields.first_line)
        source.unknown({"title", "url"})
        title, url = source.text("title"), source.text("url")
        if url and not _URL.fullmatch(url):
            source.problem(
                "url", f"source address '{url}' must be a full https:// address"
            )
        if title and url:
            sources.append(Source(title, url))
    return sources


def _read_steps(
    body: list[str],
    first_line: int,
    problems: ProblemList,
    image_dir: Path,
    image_url: Callable[[str], str],
) -> list[Step]:
    sections: list[tuple[str, int, list[str]]] = []
    for offset, text in enumerate(body):
        line = first_line + offset
        if text.startswith("## "):
            sections.append((text[3:].strip(), line, []))
            continue
        if text.startswith("# "):
            problems.add(
                line,
                "use '## ' for a step heading; the lesson title goes in the front matter",
            )
        elif not sections and text.strip():
            problems.add(
                line,
                "text before the first step: start the first step with a '## ' heading",
            )
        _check_line(text, line, problems, image_dir)
        if sections:
            sections[-1][2].append(text)

    steps = []
    for number, (title, line, lines) in enumerate(sections, start=1):
        if not title:
            problems.add(line, f"step {number} has an empty heading")
        text = "\n".join(lines).strip()
        if not text:
            problems.add(line, f"step {number} ('{title}') has no text")
        images = [m.group(1) for m in _IMAGE_NAME.finditer(text)]
        steps.append(
            Step(number, title, render_markdown(text, image_url), line, images)
        )
    return steps


def _check_line(text: str, line: int, problems: ProblemList, image_dir: Path) -> None:
    """Problems a single Markdown line can show on its own."""
    for match in _IMAGE.finditer(text):
        alt, src = match.group(1).strip(), match.group(2)
        name = _IMAGE_NAME.fullmatch(src)
        if not alt:
            problems.add(line, f"image '{src}' needs a description between the [ ]")
        if not name:
            problems.add(
                line,
                f"image '{src}' must be an SVG in images/, written images/NAME.svg",
            )
        elif not (image_dir / name.group(1)).is_file():
            problems.add(line, f"image '{src}' does not exist in lessons/images/")
    for match in _LINK.finditer(text):
        if not match.group(1).startswith("https://"):
            problems.add(
                line, f"link '{match.group(1)}' must be a full https:// address"
            )
    if _RAW_HTML.search(_IMAGE.sub("", text)):
        problems.add(line, "HTML tags are not allowed in lessons; use Markdown")
    admonition = _ADMONITION.match(text)
    if admonition and admonition.group(1) not in ADMONITION_KINDS:
        kinds = ", ".join(ADMONITION_KINDS)
        problems.add(
            line, f"unknown box '!!! {admonition.group(1)}': use one of {kinds}"
        )
