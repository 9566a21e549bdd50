"""Finding a commune among thousands: by province, then a few letters of its name.

Names are matched folded (services/names.py), at the start of any word, so "nam sa",
"Nam Sách" and "NAM SACH" all find "Xã Nam Sách". The query reads one province's
rows from the (province_id, search_name) index, so it costs the same at 3,300
communes as at 10,000.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from models import Commune, Person, Province, db

from .access import limit_to
from .names import fold

SHOWN = 30  # communes listed at most: beyond that, more letters narrow it
FEW = 5  # someone acting in this many communes or fewer picks from all of them


def commune_by_code(code: str) -> Commune | None:
    """The commune with this official code, if there is one."""
    return db.session.scalar(select(Commune).where(Commune.code == code))


def set_name(commune: Commune, name: str) -> None:
    """Name (or rename) ``commune``, keeping the folded name the picker searches."""
    commune.name = name
    commune.search_name = fold(name)


@dataclass
class Found:
    """The communes matching a search: the first ``SHOWN``, and how many in all."""

    communes: list[Commune] = field(default_factory=list)
    count: int = 0
    searched: bool = False

    @property
    def more(self) -> bool:
        return self.count > len(self.communes)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(
    province_id: int | None, letters: str, within: Person | None = None
) -> Found:
    """Communes of ``province_id`` whose name has a word starting with ``letters``
    (accents and case ignored); only those ``within`` acts in, if given.

    Needs a province or at least one letter; otherwise nothing is searched.
    """
    folded = fold(letters or "")
    if not province_id and not folded:
        return Found()
    query = select(Commune)
    if province_id:
        query = query.where(Commune.province_id == province_id)
    if folded:
        pattern = _escaped(folded)
        query = query.where(
            or_(
                Commune.search_name.like(f"{pattern}%", escape="\\"),
                Commune.search_name.like(f"% {pattern}%", escape="\\"),
            )
        )
    if within is not None:
        query = limit_to(within, query, Commune)
    count = db.session.scalar(select(func.count()).select_from(query.subquery()))
    communes = db.session.scalars(
        query.options(selectinload(Commune.province))
        .order_by(Commune.search_name, Commune.id)
        .limit(SHOWN)
    ).all()
    return Found(list(communes), count or 0, searched=True)


def provinces(within: Person | None = None) -> list[Province]:
    """The provinces to choose from (those with a commune ``within`` acts in), by name."""
    query = select(Province)
    if within is not None:
        mine = limit_to(within, select(Commune.province_id), Commune)
        query = query.where(Province.id.in_(mine))
    return sorted(db.session.scalars(query), key=lambda p: fold(p.name))


def few_of(within: Person | None) -> list[Commune] | None:
    """All the communes ``within`` acts in, their own first, if they are ``FEW`` or
    fewer (then they are simply listed); None when a search is needed."""
    if within is None or within.role == "admin" or not within.has_role("helper"):
        return None
    ids = within.commune_ids()
    if len(ids) > FEW:
        return None
    communes = db.session.scalars(
        select(Commune)
        .where(Commune.id.in_(sorted(ids)))
        .options(selectinload(Commune.province))
    ).all()
    return sorted(communes, key=lambda c: (c.id != within.commune_id, fold(c.name)))


def chosen(commune_id: int | None, within: Person | None = None) -> Commune | None:
    """The commune of that id, if it exists and ``within`` acts in it."""
    if not commune_id:
        return None
    query = (
        select(Commune)
        .where(Commune.id == commune_id)
        .options(selectinload(Commune.province))
    )
    if within is not None:
        query = limit_to(within, query, Commune)
    return db.session.scalar(query)
