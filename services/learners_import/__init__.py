"""Import learners (a course session's participants) from a CSV or XLSX file.

Three steps, so a preview can be shown before anything is saved:

- ``read_learners(name, data)`` reads and checks the file: ``(rows, problems)``;
- ``plan_import(rows, ...)`` matches the rows with the database: who is new, who is
  already registered, who is already in the session, who is repeated in the file;
- ``save_import(plan, ...)`` adds the people and participants to the current
  session (the caller commits). Nothing is saved if there is any problem.

A likely duplicate is the same name (accents, case and spaces aside), the same year
of birth and the same commune: that person is reused, never registered twice.
"""

from .plan import (
    EXISTING,
    IN_SESSION,
    NEW,
    REPEAT,
    Entry,
    Plan,
    plan_import,
    preview_lines,
    save_import,
    summary_line,
)
from .read import (
    MAX_ROWS,
    TEMPLATE_EXAMPLE,
    TEMPLATE_HEADER,
    LearnerRow,
    read_learners,
    rows_from_cells,
)

__all__ = [
    "EXISTING",
    "IN_SESSION",
    "MAX_ROWS",
    "NEW",
    "REPEAT",
    "TEMPLATE_EXAMPLE",
    "TEMPLATE_HEADER",
    "Entry",
    "LearnerRow",
    "Plan",
    "plan_import",
    "preview_lines",
    "read_learners",
    "rows_from_cells",
    "save_import",
    "summary_line",
]
