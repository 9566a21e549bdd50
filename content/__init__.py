"""HọcSố content: lessons and quizzes read from Markdown and YAML files.

Pure Python with no Flask: the web app and the ``content check`` command both use it.
"""

from .lessons import LessonText, Source, Step
from .library import Lesson, Library, load_library
from .problems import ContentError, Problem
from .questions import QUESTION_TYPES, Grade, Question
from .quizzes import Quiz

__all__ = [
    "QUESTION_TYPES",
    "ContentError",
    "Grade",
    "Lesson",
    "LessonText",
    "Library",
    "Problem",
    "Question",
    "Quiz",
    "Source",
    "Step",
    "load_library",
]
