"""Helper sessions: a helper sits beside a learner, and what the learner does meanwhile
is recorded to them as helped. Also finding a learner to help, by name and year of
birth, and the learners who may already be registered. The caller commits."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from models import AssistSession, Commune, Person, db, utcnow

from .names import fold, name_order

SHOWN = 30  # people listed at most, so the page stays light on a cheap phone
RECENT = 10  # people this helper helped lately, listed first


# --- Sessions -------------------------------------------------------------------------


def end_sessions(helper: Person) -> None:
    """Close every session this helper still has open."""
    db.session.execute(
        update(AssistSession)
        .where(AssistSession.helper_id == helper.id, AssistSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def start_session(helper: Person, learner: Person) -> AssistSession:
    """Sit ``helper`` beside ``learner``: one open session per helper."""
    end_sessions(helper)
    assist = AssistSession(helper_id=helper.id, learner_id=learner.id)
    db.session.add(assist)
    db.session.flush()
    return assist


# --- Finding people ---------------------------------------------------------------------


def with_communes(ids: list[int]) -> list[Person]:
    """People by id, in the order given, with their commune and province loaded."""
    if not ids:
        return []
    query = (
        select(Person)
        .where(Person.id.in_(ids))
        .options(selectinload(Person.commune).selectinload(Commune.province))
    )
    found = {person.id: person for person in db.session.scalars(query)}
    return [found[i] for i in ids if i in found]


def search(commune_ids: set[int], name: str, born: int | None) -> tuple[list, int]:
    """Learners of these communes whose name has every word typed (accents or not).

    The names are compared in Python over the communes' learners: a commune has a few
    thousand at most, and no database folds Vietnamese accents the same way.
    """
    query = select(Person.id, Person.name).where(
        Person.role == "learner", Person.commune_id.in_(commune_ids)
    )
    if born is not None:
        query = query.where(Person.birth_year == born)
    words = fold(name).split()
    matches = [
        (person_id, person_name)
        for person_id, person_name in db.session.execute(query)
        if all(word in fold(person_name) for word in words)
    ]
    matches.sort(key=lambda row: name_order(row[1]))
    shown = with_communes([person_id for person_id, _name in matches[:SHOWN]])
    return shown, len(matches)


def recently_helped(helper: Person, commune_ids: set[int]) -> list[Person]:
    """Learners this helper helped, the latest first (still theirs to help)."""
    latest = func.max(AssistSession.started_at)
    query = (
        select(AssistSession.learner_id)
        .join(Person, Person.id == AssistSession.learner_id)
        .where(
            AssistSession.helper_id == helper.id,
            Person.role == "learner",
            Person.commune_id.in_(commune_ids),
        )
        .group_by(AssistSession.learner_id)
        .order_by(latest.desc())
        .limit(RECENT)
    )
    return with_communes(list(db.session.scalars(query)))


def newest(commune_ids: set[int], leave_out: set[int]) -> tuple[list[Person], int]:
    """The communes' learners, newest first (the people of today's session are there)."""
    where = [Person.role == "learner", Person.commune_id.in_(commune_ids)]
    if leave_out:
        where.append(Person.id.not_in(leave_out))
    count = db.session.scalar(select(func.count(Person.id)).where(*where)) or 0
    query = (
        select(Person.id)
        .where(*where)
        .order_by(Person.created_at.desc(), Person.id.desc())
        .limit(SHOWN)
    )
    return with_communes(list(db.session.scalars(query))), count


def same_person(commune_id: int, name: str, birth_year: int) -> list[Person]:
    """Learners already registered in that commune with that name and year of birth."""
    query = select(Person.id, Person.name).where(
        Person.role == "learner",
        Person.commune_id == commune_id,
        Person.birth_year == birth_year,
    )
    wanted = fold(name)
    return with_communes(
        [
            person_id
            for person_id, found in db.session.execute(query)
            if fold(found) == wanted
        ]
    )
