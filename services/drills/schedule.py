"""The rules of spaced drills, as pure functions (no database, no Flask).

- Once a module's quiz is first passed, drill 1 is due a week later (stage 1).
- Stages 2 and 3 fall due a month and three months after the pass (never sooner
  than ``MIN_GAP`` days after the drill before).
- A drill with a wrong answer brings the next drill sooner: a catch-up drill at
  the same stage, ``MIN_GAP`` (3) days later; after it, the next stage comes as usual
  (one catch-up per stage, so nobody is held back for ever).
- Items answered wrong come back first in the next drill; then items not seen yet,
  in the bank's order; no item repeats until the whole bank has been used, then a
  new round starts. A drill has 3 to 5 items (4 usually, 5 when many came back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# Days after the quiz pass at which each stage falls due.
STAGE_DAYS = {1: 7, 2: 30, 3: 90}
LAST_STAGE = 3
DONE = LAST_STAGE + 1  # the stage of a schedule with no drill left
MIN_GAP = 3  # days: a catch-up drill, and the least time between two drills
SIZE, MIN_SIZE, MAX_SIZE = 4, 3, 5  # items in a drill
OVERDUE_DAYS = 7  # a drill more than this many days late is overdue


@dataclass(frozen=True)
class Next:
    """What comes after a drill: the next stage (DONE: none), whether it is a
    catch-up, and when it is due (None when there is none)."""

    stage: int
    catch_up: bool
    due_on: date | None


def first_due(passed_on: date) -> date:
    """The first drill's due date: a week after the quiz was passed."""
    return passed_on + timedelta(days=STAGE_DAYS[1])


def after_drill(
    stage: int, catch_up: bool, passed_on: date, done_on: date, any_wrong: bool
) -> Next:
    """The next drill after one at ``stage`` (a ``catch_up`` or not) done on
    ``done_on``, with or without a wrong answer."""
    if any_wrong and not catch_up:
        return Next(stage, True, done_on + timedelta(days=MIN_GAP))
    following = stage + 1
    if following > LAST_STAGE:
        return Next(DONE, False, None)
    due = max(
        passed_on + timedelta(days=STAGE_DAYS[following]),
        done_on + timedelta(days=MIN_GAP),
    )
    return Next(following, False, due)


def is_due(due_on: date | None, today: date) -> bool:
    return due_on is not None and due_on <= today


def days_late(due_on: date, today: date) -> int:
    """How many days after its due date ``today`` is (0 on the day or before)."""
    return max(0, (today - due_on).days)


def is_overdue(due_on: date | None, today: date) -> bool:
    """Due more than OVERDUE_DAYS days ago."""
    return due_on is not None and (today - due_on).days > OVERDUE_DAYS


@dataclass(frozen=True)
class Choice:
    """The items of a drill, in order, and the items seen in this round of the bank
    once it is taken."""

    items: list[str]
    seen: list[str]


def choose_items(
    bank: Sequence[str], seen: Sequence[str], wrong: Sequence[str]
) -> Choice:
    """The next drill's items from ``bank`` (ids in the bank's order): the ones
    answered ``wrong`` last time first, then ones not ``seen`` in this round; when
    the round is used up a new one starts (never the same item twice in a drill)."""
    in_bank = set(bank)
    items = [item for item in dict.fromkeys(wrong) if item in in_bank][:MAX_SIZE]
    size = min(len(bank), max(SIZE, len(items)))
    round_seen = [item for item in dict.fromkeys(seen) if item in in_bank]
    round_seen += [item for item in items if item not in round_seen]
    while len(items) < size:
        fresh = [item for item in bank if item not in round_seen and item not in items]
        if not fresh:  # the bank is used up: a new round
            round_seen = list(items)
            fresh = [item for item in bank if item not in items]
        item = fresh[0]
        items.append(item)
        round_seen.append(item)
    return Choice(items, round_seen)
