"""Who may act on what: every "may this person…" rule of HọcSố in one place.

Modelled on Kolibri's permission classes (kolibri/core/auth/permissions/base.py), each
kind of object has one rule, asked two ways:

- ``can_act_on(person, obj)``: may ``person`` act on this one object
  (Kolibri's ``user_can_read_object``);
- ``visible_filter(person, Model)``: a WHERE clause that keeps only the rows of
  ``Model`` that ``person`` may act on (Kolibri's ``readable_by_user_filter``), and
  ``limit_to(person, query, Model)`` that applies it.

The two always agree (tests/test_permissions.py checks it). ``get_or_404`` fetches by
id and checks: an object someone may not use is "not found", never "forbidden", so an
id reveals nothing. The rules, as the views have always applied them:

- a commune: helpers and above who act in it (``Person.acts_in``: their own commune
  and the further ones they are assigned to; admins: every commune);
- a person: a learner of those communes (only learners are acted on by others);
- a course session, and its participants: trainers and above of its commune;
- a quiz attempt or a drill: only the learner whose attempt it is (or their helper,
  who acts as them: views pass ``current_person()``);
- a certificate: its holder, and helpers and above acting in the holder's commune
  (whatever the holder's role);
- a learner card: whoever may act on its learner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort
from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import selectinload

from models import (
    Certificate,
    Commune,
    CourseSession,
    DrillAttempt,
    LearnerCard,
    Participant,
    Person,
    QuizAttempt,
    db,
)

from .names import fold

T = TypeVar("T")


class Operator:
    """Whoever runs a ``flask`` command on the server: every object is theirs."""

    def __repr__(self) -> str:
        return "OPERATOR"


OPERATOR = Operator()


def _who(person: object) -> Person | None:
    """The person acting, or None for nobody (a visitor, Flask-Login's anonymous user)."""
    return person if isinstance(person, Person) else None


def _staff_in(person: Person, commune_id: int, role: str = "helper") -> bool:
    return person.has_role(role) and person.acts_in(commune_id)


def _in_communes(column, person: Person, role: str = "helper") -> ColumnElement[bool]:
    """``column`` (a commune id) is one ``person`` acts in, with at least ``role``."""
    if not person.has_role(role):
        return false()
    if person.role == "admin":
        return true()
    return column.in_(sorted(person.commune_ids()))


# --- One object -------------------------------------------------------------------------


def sees_certificates_of(person: object, holder: Person) -> bool:
    """May ``person`` see ``holder``'s certificates (their holder, or staff of their
    commune)? The certificate pages ask this of a person, before any row exists."""
    me = _who(person)
    return me is not None and (me.id == holder.id or _staff_in(me, holder.commune_id))


RULES: dict[type, Callable[[Person, Any], bool]] = {
    Commune: lambda me, commune: _staff_in(me, commune.id),
    Person: lambda me, other: (
        other.role == "learner" and _staff_in(me, other.commune_id)
    ),
    CourseSession: lambda me, course: _staff_in(me, course.commune_id, "trainer"),
    Participant: lambda me, participant: can_act_on(me, participant.session),
    QuizAttempt: lambda me, attempt: attempt.person_id == me.id,
    DrillAttempt: lambda me, attempt: attempt.person_id == me.id,
    Certificate: lambda me, certificate: sees_certificates_of(me, certificate.person),
    LearnerCard: lambda me, card: can_act_on(me, card.person),
}


def can_act_on(person: object, obj: object) -> bool:
    """May ``person`` (None or an anonymous user: nobody) act on ``obj``?"""
    if person is OPERATOR:
        return True
    me = _who(person)
    return me is not None and RULES[type(obj)](me, obj)


# --- Many objects -----------------------------------------------------------------------


def visible_filter(person: object, model: type) -> ColumnElement[bool]:
    """A WHERE clause keeping the rows of ``model`` that ``person`` may act on."""
    if person is OPERATOR:
        return true()
    me = _who(person)
    if me is None:
        return false()
    if model is Commune:
        return _in_communes(Commune.id, me)
    if model is Person:
        return (Person.role == "learner") & _in_communes(Person.commune_id, me)
    if model is CourseSession:
        return _in_communes(CourseSession.commune_id, me, "trainer")
    if model is Participant:
        sessions = select(CourseSession.id).where(visible_filter(me, CourseSession))
        return Participant.session_id.in_(sessions)
    if model is QuizAttempt:
        return QuizAttempt.person_id == me.id
    if model is DrillAttempt:
        return DrillAttempt.person_id == me.id
    if model is Certificate:
        staff_of = select(Person.id).where(_in_communes(Person.commune_id, me))
        return or_(Certificate.person_id == me.id, Certificate.person_id.in_(staff_of))
    if model is LearnerCard:
        learners = select(Person.id).where(visible_filter(me, Person))
        return LearnerCard.person_id.in_(learners)
    raise KeyError(model)


def limit_to(person: object, query: Select, model: type) -> Select:
    """``query`` keeping only the rows of ``model`` that ``person`` may act on."""
    return query.where(visible_filter(person, model))


def communes_of(person: Person, everywhere: bool = True) -> list[Commune]:
    """The communes ``person`` acts in, their own first; an admin's, all of them (unless
    not ``everywhere``: then only the ones they are assigned to)."""
    query = select(Commune).options(selectinload(Commune.province))
    if everywhere:
        query = limit_to(person, query, Commune)
    else:
        query = query.where(Commune.id.in_(sorted(person.commune_ids())))
    communes = db.session.scalars(query).all()
    return sorted(communes, key=lambda c: (c.id != person.commune_id, fold(c.name)))


# --- Fetch and check --------------------------------------------------------------------


def get_or_404(
    model: type[T],
    ident: int | None,
    *people: object,
    rule: Callable[[object, Any], bool] = can_act_on,
    options: list | None = None,
    **match: object,
) -> T:
    """The ``model`` row ``ident`` if one of ``people`` may act on it (``rule``) and its
    attributes equal ``match`` (a quiz attempt's ``lesson``, a participant's
    ``session_id``); otherwise 404, the same answer as for an id that does not exist.

    A person None is nobody; pass ``OPERATOR`` to fetch without a check. More than one
    person: anyone of them will do (the learner on the page and whoever signed in).
    """
    obj = db.session.get(model, ident, options=options) if ident is not None else None
    if (
        obj is None
        or any(getattr(obj, name) != value for name, value in match.items())
        or not any(rule(person, obj) for person in people)
    ):
        abort(404)
    return obj
