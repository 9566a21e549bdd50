"""Problems found in content files, reported as ``file:line: message``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one content file, at one line (1-based)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised while reading one file; carries the problem it found."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        self.problem = Problem(str(path), line, message)
        super().__init__(str(self.problem))


class ProblemList(list[Problem]):
    """Collects problems for one file so parsing can go on after the first."""

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = str(path)

    def add(self, line: int, message: str) -> None:
        self.append(Problem(self.path, line, message))


def parse_file(
    file: Path, problems: ProblemList, parse: Callable[[str], Any]
) -> tuple[bool, Any]:
    """Read a UTF-8 file and parse it; on failure, add the problem and return (False, None)."""
    try:
        return True, parse(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.add(1, "the file is not UTF-8 text: save it again as UTF-8")
    except ContentError as error:
        problems.append(error.problem)
    return False, None
