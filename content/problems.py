"""Problems found in content files, reported as ``file:line: message``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
