"""A scam phone call answered line by line: each reply leads to the next line or an ending.

The learner's path so far travels in the page's query string (``?path=t1:a,t2:b``) and
each reply is a plain link, so the call works without JavaScript. At an ending the
whole path is sent as the answer: ``["t1:a", "t2:b"]``. The answer is right when the
call ends safely.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..fields import Fields
from .base import OPTION_KEYS, Grade, Part, Question, register

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
MIN_REPLIES, MAX_REPLIES = 2, 3  # three big buttons still fit on a phone screen
MAX_PATH = 50  # a query string longer than this is not a learner's call


@dataclass(frozen=True)
class Reply:
    """One thing the learner can say back, and where it leads."""

    key: str
    text: str
    next: str
    feedback: str
    safe: bool = False


@dataclass(frozen=True)
class Turn:
    """One line the caller says, with the replies the learner can pick."""

    id: str
    says: str
    replies: tuple[Reply, ...]
    line: int = 0

    def reply(self, key: str) -> Reply | None:
        return next((reply for reply in self.replies if reply.key == key), None)


@dataclass(frozen=True)
class Ending:
    """How the call ends: safely, or with money lost, and what happened."""

    id: str
    safe: bool
    title: str
    text: str
    line: int = 0


@dataclass(frozen=True)
class Walk:
    """A path followed through the call: the replies taken, then where the call is now."""

    steps: tuple[tuple[Turn, Reply], ...]
    turn: Turn | None  # the line waiting for a reply (None once the call has ended)
    ending: Ending | None

    @property
    def path(self) -> list[str]:
        return [f"{turn.id}:{reply.key}" for turn, reply in self.steps]


@register
@dataclass
class PhoneCall(Question):
    """A call from a stranger: pick a reply at each line; end safely or lose money."""

    name = "phone_call"
    template = "quiz/types/phone_call.html"
    stylesheet = "css/types/phone_call.css"
    extra_fields = {"caller", "turns", "endings"}

    caller: str = ""
    turns: dict[str, Turn] = field(
        default_factory=dict
    )  # the first one starts the call
    endings: dict[str, Ending] = field(default_factory=dict)

    @classmethod
    def from_fields(cls, fields: Fields, common: dict[str, Any]) -> Question:
        if not common["prompt"]:
            fields.problem(None, "the question has no 'prompt'")
        caller = fields.text("caller") or ""
        seen: dict[str, int] = {}
        next_lines: list[tuple[Turn, Reply, int]] = []
        turns: dict[str, Turn] = {}
        for index, (node, line) in enumerate(fields.items("turns"), start=1):
            turn, found = _read_turn(fields, node, line, index, seen)
            if turn is not None:
                turns[turn.id] = turn
                next_lines.extend((turn, reply, at) for reply, at in found)
        endings: dict[str, Ending] = {}
        for index, (node, line) in enumerate(fields.items("endings", 2), start=1):
            ending = _read_ending(fields, node, line, index, seen)
            if ending is not None:
                endings[ending.id] = ending
        question = cls(caller=caller, turns=turns, endings=endings, **common)
        if turns and endings:
            question._check_paths(fields, next_lines)
        return question

    def _check_paths(
        self, fields: Fields, next_lines: list[tuple[Turn, Reply, int]]
    ) -> None:
        """Every 'next' exists; every line and ending is reached; every line can end."""
        problems = fields.problems
        targets = self.turns.keys() | self.endings.keys()
        turn_ahead = Ending("", True, "", "")  # a reply leading to a turn may be safe
        for turn, reply, line in next_lines:
            if reply.next not in targets:
                problems.add(
                    line,
                    f"reply {reply.key} of turn '{turn.id}' has 'next: {reply.next}',"
                    " but there is no turn or ending with that id",
                )
            elif reply.safe and not self.endings.get(reply.next, turn_ahead).safe:
                problems.add(
                    line,
                    f"reply {reply.key} of turn '{turn.id}' has 'safe: true' but leads"
                    f" to the ending '{reply.next}', which has 'safe: false'",
                )
        reached = self._reachable()
        for item in (*self.turns.values(), *self.endings.values()):
            if item.id not in reached:
                kind = "turn" if item.id in self.turns else "ending"
                problems.add(
                    item.line,
                    f"{kind} '{item.id}' is never reached: no reply on the way from"
                    f" the first turn has 'next: {item.id}'",
                )
        can_end = self._can_end()
        for turn in self.turns.values():
            if turn.id in reached and turn.id not in can_end:
                problems.add(
                    turn.line,
                    f"turn '{turn.id}' never reaches an ending: its replies go round"
                    " in a loop",
                )
        for safe, what in ((True, "safely"), (False, "with money lost")):
            if not any(ending.safe == safe for ending in self.endings.values()):
                fields.problem(
                    "endings",
                    f"the call needs an ending with 'safe: {str(safe).lower()}'"
                    f" (the call ends {what})",
                )

    def _reachable(self) -> set[str]:
        """Ids of the turns and endings some path from the first turn arrives at."""
        first = next(iter(self.turns))
        reached, waiting = {first}, [first]
        while waiting:
            for reply in self.turns[waiting.pop()].replies:
                if reply.next not in reached:
                    reached.add(reply.next)
                    if reply.next in self.turns:
                        waiting.append(reply.next)
        return reached

    def _can_end(self) -> set[str]:
        """Ids of the turns from which some path arrives at an ending."""
        can_end: set[str] = set()
        changed = True
        while changed:
            changed = False
            for turn in self.turns.values():
                if turn.id not in can_end and any(
                    r.next in self.endings or r.next in can_end for r in turn.replies
                ):
                    can_end.add(turn.id)
                    changed = True
        return can_end

    # --- Following a path ----------------------------------------------------------

    def walk(self, entries: Sequence[Any]) -> Walk:
        """Follow ``entries`` ("turn:reply") from the first turn while they make sense."""
        steps: list[tuple[Turn, Reply]] = []
        turn = next(iter(self.turns.values()), None)
        ending = None
        for entry in list(entries)[:MAX_PATH]:
            if turn is None or not isinstance(entry, str):
                break
            turn_id, _, key = entry.partition(":")
            reply = turn.reply(key) if turn_id == turn.id else None
            if reply is None:
                break
            steps.append((turn, reply))
            ending = self.endings.get(reply.next)
            turn = self.turns.get(reply.next)
        return Walk(tuple(steps), turn, ending)

    def view_state(self, args: Any) -> dict[str, Any]:
        """The call as far as the query string's ``path`` goes, and each reply's link."""
        raw = args.get("path", "") if hasattr(args, "get") else ""
        entries = str(raw).split(",")[:MAX_PATH] if raw else []
        call = self.walk(entries)
        path = call.path
        links = {}
        if call.turn is not None:
            links = {
                reply.key: ",".join([*path, f"{call.turn.id}:{reply.key}"])
                for reply in call.turn.replies
            }
        return {"call": call, "path": path, "links": links}

    def response_from_form(self, form: Any) -> list[str] | None:
        """The path sent at the end of the call, or None unless it ends the call."""
        entries = form.getlist("answer")
        call = self.walk(entries)
        if call.ending is None or len(call.steps) != len(entries):
            return None
        return call.path

    def keys(self) -> Sequence[str]:
        return [
            f"{turn.id}:{reply.key}"
            for turn in self.turns.values()
            for reply in turn.replies
        ]

    def grade(self, response: Sequence[str]) -> Grade:
        call = self.walk(response)
        parts = tuple(
            Part(f"“{reply.text}”", reply.safe, reply.feedback)
            for _turn, reply in call.steps
        )
        ending = call.ending
        if ending is None:
            return Grade(False, (), parts=parts)
        if ending.safe:
            return Grade(True, (), parts=parts)
        stop = "" if ending.title.endswith((".", "!", "?", ":")) else "."
        return Grade(False, (f"{ending.title}{stop} {ending.text}",), parts=parts)

    def correct_response(self) -> list[str]:
        """The shortest path that ends the call safely."""
        if not self.turns:
            return []
        first = next(iter(self.turns))
        paths: dict[str, list[str]] = {first: []}
        waiting = deque([first])
        while waiting:
            turn = self.turns[waiting.popleft()]
            for reply in turn.replies:
                path = [*paths[turn.id], f"{turn.id}:{reply.key}"]
                ending = self.endings.get(reply.next)
                if ending is not None and ending.safe:
                    return path
                if reply.next in self.turns and reply.next not in paths:
                    paths[reply.next] = path
                    waiting.append(reply.next)
        return []

    def shape(self) -> tuple[Any, ...]:
        return (
            self.name,
            self.review_step,
            tuple(
                (turn.id, tuple((r.key, r.next, r.safe) for r in turn.replies))
                for turn in self.turns.values()
            ),
            tuple((ending.id, ending.safe) for ending in self.endings.values()),
        )

    def label_of(self, key: str, translate: Callable[[str], str] = str) -> str:
        turn_id, _, reply_key = key.partition(":")
        turn = self.turns.get(turn_id)
        reply = turn.reply(reply_key) if turn else None
        return reply.text if reply else key


def _claim(fields: Fields, what: str, ident: str, line: int, seen: dict) -> bool:
    """Check a turn's or ending's id: a plain word, used once in the question."""
    if not ID_PATTERN.fullmatch(ident):
        fields.problems.add(
            line, f"{what} id '{ident}' may only use letters, digits, '-' and '_'"
        )
        return False
    if ident in seen:
        fields.problems.add(
            line, f"id '{ident}' is used twice (first on line {seen[ident]})"
        )
        return False
    seen[ident] = line
    return True


def _read_turn(
    fields: Fields, node: Any, line: int, index: int, seen: dict
) -> tuple[Turn | None, list[tuple[Reply, int]]]:
    """One turn of the call, and each reply with the line of its 'next'."""
    turn = Fields(node, fields.problems, f"turn {index}", fields.first_line)
    turn.unknown({"id", "says", "replies"})
    turn_id = turn.text("id")
    name = f"turn '{turn_id}'" if turn_id else f"turn {index}"
    turn.what = name
    says = turn.text("says") or ""
    entries = turn.items(
        "replies",
        MIN_REPLIES,
        MAX_REPLIES,
        lambda count: (
            f"{name} has {count} replies: give at most {MAX_REPLIES}"
            " (the buttons must fit on a phone screen)"
        ),
    )
    replies: list[tuple[Reply, int]] = []
    for key, (reply_node, _line) in zip(OPTION_KEYS, entries, strict=False):
        reply = Fields(
            reply_node, fields.problems, f"reply {key} of {name}", fields.first_line
        )
        reply.unknown({"text", "next", "feedback", "safe"})
        found = Reply(
            key,
            reply.text("text") or "",
            reply.text("next") or "",
            reply.text("feedback") or "",
            reply.boolean("safe"),
        )
        replies.append((found, reply.line("next")))
    if turn_id is None or not _claim(fields, "turn", turn_id, line, seen):
        return None, []
    return Turn(turn_id, says, tuple(r for r, _ in replies), line), [
        (r, at) for r, at in replies if r.next
    ]


def _read_ending(
    fields: Fields, node: Any, line: int, index: int, seen: dict
) -> Ending | None:
    """One way the call can end."""
    ending = Fields(node, fields.problems, f"ending {index}", fields.first_line)
    ending.unknown({"id", "safe", "title", "text"})
    ending_id = ending.text("id")
    if "safe" not in ending.node:
        ending.problem(
            None, f"ending {index} has no 'safe' (write 'safe: true' or 'safe: false')"
        )
    safe = ending.boolean("safe")
    title = ending.text("title") or ""
    text = ending.text("text") or ""
    if ending_id is None or not _claim(fields, "ending", ending_id, line, seen):
        return None
    return Ending(ending_id, safe, title, text, line)
