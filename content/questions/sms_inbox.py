"""SMS inbox: a phone's messages, grouped by sender; the learner marks each scam or safe.

Messages with the same ``sender`` are drawn in one thread, as a phone does, so a fake
message can be seen sitting under a real one (fake base stations send under a bank's
or an agency's name: the sender's name proves nothing). A message's ``link`` is shown
as plain text, never as a link. ``flags`` name its red flags with fixed words, each
explained in the learner's language by the page; ``feedback`` adds the message's own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..fields import Fields
from .base import N_, Question, register
from .choice import SAFE, SCAM
from .marking import Item, MarkingQuestion

MESSAGE_FIELDS = {
    "id",
    "sender",
    "time",
    "text",
    "link",
    "verdict",
    "flags",
    "feedback",
}

# The red flags a message may carry, each with what the learner is told about it.
FLAGS = {
    "link": N_(
        "It has a link to tap. Since 1 January 2025 banks do not put links in their "
        "text messages, so a “bank” message with a link is a warning sign."
    ),
    "urgency": N_(
        "It rushes you (“today”, “at once”, “or it will be locked”). Scammers hurry "
        "you so that you have no time to stop and check."
    ),
    "otp": N_(
        "It asks for an OTP code. Banks never ask for your OTP: the OTP alone is "
        "enough to take your money."
    ),
    "money": N_(
        "It asks you to transfer money. Stop, and ask your family or your bank "
        "before you send anything."
    ),
    "install_app": N_(
        "It asks you to install an app from a link or a file. Only install apps "
        "from the App Store or Google Play."
    ),
    "lookalike": N_(
        "The web address only looks like a real one. Read it to the end: real "
        "government sites end in .gov.vn."
    ),
    "same_thread": N_(
        "It sits in the same thread as real messages, but that proves nothing: fake "
        "base stations can send messages under a bank's or an agency's name."
    ),
}


@dataclass(frozen=True)
class Message(Item):
    """One text message in the inbox."""

    sender: str = ""
    time: str = ""
    text: str = ""
    link: str | None = None

    @property
    def label(self) -> str:
        return f"{self.sender}, {self.time}"


@dataclass(frozen=True)
class Thread:
    """The messages of one sender, in the order written."""

    sender: str
    messages: tuple[Message, ...]


@register
@dataclass
class SmsInbox(MarkingQuestion):
    """An inbox of text messages to sort: which are scams, which are safe?"""

    name = "sms_inbox"
    template = "quiz/types/sms_inbox.html"
    extra_fields = {"messages"}
    verdicts = (SCAM, SAFE)
    verdict_labels = {SCAM: N_("Scam"), SAFE: N_("Safe")}
    note_texts = FLAGS

    @classmethod
    def from_fields(cls, fields: Fields, common: dict[str, Any]) -> Question:
        if not common["prompt"]:
            fields.problem(None, "the question has no 'prompt'")
        items = cls.read_items(fields, "messages", "message", cls.read_message)
        return cls(items=items, **common)

    @classmethod
    def read_message(cls, item: Fields, item_id: str, line: int) -> Message | None:
        """One message of the list; a problem for each field that is wrong."""
        item.unknown(MESSAGE_FIELDS)
        sender = item.text("sender") or ""
        time = item.text("time") or ""
        text = item.text("text") or ""
        link = item.text("link", required=False)
        verdict = item.choice("verdict", (SCAM, SAFE))
        flags = cls.read_notes(item, "flags")
        feedback = item.text("feedback", required=False) or ""
        if verdict == SAFE and "flags" in item.node:
            item.problem("flags", f"{item.what} is safe, so it cannot have 'flags'")
        elif verdict == SAFE and not feedback:
            item.problem(
                None, f"{item.what} is safe, so it needs its own 'feedback' saying why"
            )
        elif (
            verdict == SCAM and not flags and not feedback and "flags" not in item.node
        ):
            item.problem(
                None,
                f"{item.what} is a scam, so it needs 'flags' or its own 'feedback' "
                "to say what gives it away",
            )
        if verdict is None:
            return None
        return Message(
            id=item_id,
            verdict=verdict,
            feedback=feedback,
            notes=flags,
            line=line,
            sender=sender,
            time=time,
            text=text,
            link=link,
        )

    def threads(self) -> list[Thread]:
        """The messages grouped by sender, threads in order of their first message."""
        by_sender: dict[str, list[Message]] = {}
        for message in self.items:
            by_sender.setdefault(message.sender, []).append(message)
        return [Thread(sender, tuple(group)) for sender, group in by_sender.items()]

    def ordered(self) -> list[Any]:
        return [message for thread in self.threads() for message in thread.messages]

    def shape(self) -> tuple[Any, ...]:
        thread_of = {
            message.id: number
            for number, thread in enumerate(self.threads())
            for message in thread.messages
        }
        return (
            self.name,
            self.review_step,
            tuple(
                (m.id, m.verdict, thread_of[m.id], m.link, m.notes) for m in self.items
            ),
        )
