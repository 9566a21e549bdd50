"""The tables. Content (lessons, questions) lives in files: rows point at it by slug and number.

One module per area; everything is importable from ``models`` itself.
"""

from .access import AssistSession, LearnerCard, SignIn, SignInAttempt
from .base import Base, UtcDateTime, commit_keeping_loaded, db, insert_once, utcnow
from .courses import Certificate, CourseSession, Participant
from .drills import DrillAnswer, DrillAttempt, DrillSchedule
from .figures import (
    CommuneCompletions,
    CommuneJoins,
    CommuneResults,
    CommuneTotals,
    refresh_communes,
)
from .people import ROLES, Commune, Person, Province, person_communes
from .progress import COUNTED_ROLES, Answer, LessonCompletion, QuizAttempt, StepView
from .results import ModuleResult, refresh_results

__all__ = [
    "Answer",
    "AssistSession",
    "Base",
    "Certificate",
    "COUNTED_ROLES",
    "Commune",
    "CommuneCompletions",
    "CommuneJoins",
    "CommuneResults",
    "CommuneTotals",
    "CourseSession",
    "DrillAnswer",
    "DrillAttempt",
    "DrillSchedule",
    "LearnerCard",
    "LessonCompletion",
    "ModuleResult",
    "Participant",
    "Person",
    "Province",
    "QuizAttempt",
    "ROLES",
    "SignIn",
    "SignInAttempt",
    "StepView",
    "commit_keeping_loaded",
    "db",
    "insert_once",
    "person_communes",
    "refresh_communes",
    "refresh_results",
    "UtcDateTime",
    "utcnow",
]
