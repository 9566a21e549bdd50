"""Course sessions: a trainer's Saturday course, its participants and attendance.

Trainers (and admins) only, for the communes they act in: any session, participant
or learner of another commune is "not found", whether its id came from a link or an
edited form, and nothing changes. Participants are added one by one (an existing
learner of the commune, or a new one with their consent) or imported from a file
(services/learners_import/): a preview first, then one transaction.
"""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from forms.learners import FindLearnerForm, HelpedLearnerForm
from forms.sessions import SessionForm
from models import Commune, CourseSession, Participant, Person, db, utcnow
from reports.dates import local_today
from services.access import get_or_404, limit_to
from services.assists import same_person, search
from services.names import name_order
from services.spreadsheets import Message

from .common import language, library, role_required

bp = Blueprint("sessions", __name__, url_prefix="/sessions")

trainer_required = role_required("trainer", start_again="sessions.index")
PAST_SHOWN = 50  # past sessions listed at most


def the_trainer() -> Person:
    return current_user._get_current_object()


@bp.app_template_filter("session_day")
def session_day(day: date) -> str:
    """ "Thứ Bảy, 12/07/2025": the weekday matters to people planning a Saturday."""
    return format_date(day, "EEEE, dd/MM/yyyy")


def say(message: Message) -> str:
    """An import message in the reader's language."""
    return _(message.text, **message.params)


def modules_of(course_session: CourseSession) -> list:
    """The session's lessons that are still served, in course order."""
    lessons = [library().get(slug) for slug in course_session.modules]
    return [lesson for lesson in lessons if lesson is not None]


def helpers_of(commune_id: int) -> list[Person]:
    """Helpers, trainers and admins who act in the commune (as their own or besides)."""
    query = select(Person).where(
        Person.role.in_(("helper", "trainer", "admin")),
        or_(
            Person.commune_id == commune_id,
            Person.communes.any(Commune.id == commune_id),
        ),
    )
    return sorted(db.session.scalars(query), key=lambda p: name_order(p.name))


# --- The list -----------------------------------------------------------------------


@bp.get("/")
@trainer_required
def index():
    """The trainer's sessions: coming ones first (soonest first), then past ones."""
    trainer = the_trainer()
    query = select(CourseSession).options(
        selectinload(CourseSession.commune).selectinload(Commune.province)
    )
    query = limit_to(trainer, query, CourseSession)
    today = local_today()
    coming = db.session.scalars(
        query.where(CourseSession.held_on >= today).order_by(
            CourseSession.held_on, CourseSession.id
        )
    ).all()
    past = db.session.scalars(
        query.where(CourseSession.held_on < today)
        .order_by(CourseSession.held_on.desc(), CourseSession.id.desc())
        .limit(PAST_SHOWN)
    ).all()
    ids = [s.id for s in [*coming, *past]]
    counts = {}
    if ids:
        attended = func.count(Participant.id).filter(Participant.attended.is_(True))
        counted = (
            select(Participant.session_id, func.count(Participant.id), attended)
            .where(Participant.session_id.in_(ids))
            .group_by(Participant.session_id)
        )
        counts = {row[0]: (row[1], row[2]) for row in db.session.execute(counted)}
    return render_template(
        "sessions/index.html",
        coming=coming,
        past=past,
        counts=counts,
        titles_of=lambda s: [lesson.text(language()).title for lesson in modules_of(s)],
    )


# --- Creating, changing, deleting a session ----------------------------------------------


def session_form(trainer: Person, course_session: CourseSession | None) -> SessionForm:
    """The form, its choices set: the trainer's communes, the course's modules, and
    the helpers of the commune chosen (posted, asked for, or the session's/own)."""
    form = SessionForm(obj=course_session if request.method == "GET" else None)
    if request.method == "GET":
        wanted = request.args.get("commune", type=int)
        if course_session is not None:
            form.commune.data = course_session.commune_id
            form.helpers.data = [p.id for p in course_session.helpers]
        else:
            form.commune.data = wanted or trainer.commune_id
    form.commune.prepare(request.args, within=trainer)
    if request.method == "POST" and form.commune.data and form.commune.commune is None:
        abort(404)  # a commune that is not the trainer's, whatever the form says
    if form.commune.commune is None:
        form.commune.data = None  # asked for one they may not use: they choose
    form.modules.choices = [
        (lesson.slug, lesson.text(language()).title) for lesson in library().course()
    ]
    form.helpers.choices = [
        (person.id, person.name) for person in helpers_of(form.commune.data or 0)
    ]
    return form


def form_page(form: SessionForm, course_session: CourseSession | None):
    chosen = form.commune.commune
    return render_template(
        "sessions/form.html",
        form=form,
        course_session=course_session,
        one_commune=form.commune.only_one,
        commune_name=chosen.name if chosen else "",
    )


def apply_form(form: SessionForm, course_session: CourseSession) -> None:
    """Copy the form into the session: the modules kept in course order."""
    order = [lesson.slug for lesson in library().course()]
    course_session.commune_id = form.commune.data
    course_session.held_on = form.held_on.data
    course_session.place = " ".join(form.place.data.split())
    course_session.modules = [slug for slug in order if slug in form.modules.data]
    chosen = set(form.helpers.data or [])
    course_session.helpers = [
        person for person in helpers_of(form.commune.data) if person.id in chosen
    ]


def form_or_save(course_session: CourseSession | None, saved: str):
    """The session form, or, sent valid, saved into ``course_session`` (None: a new
    one), said with ``saved`` and on to the session's page."""
    trainer = the_trainer()
    form = session_form(trainer, course_session)
    if request.method == "GET" or not form.validate_on_submit():
        return form_page(form, course_session)
    course_session = course_session or CourseSession(created_by_id=trainer.id)
    apply_form(form, course_session)
    db.session.add(course_session)  # after apply_form, whose query would flush it empty
    db.session.commit()
    flash(saved)
    return redirect(url_for(".show", session_id=course_session.id), code=303)


@bp.route("/new", methods=["GET", "POST"])
@trainer_required
def create():
    """A new session: commune, day, place, modules, helpers."""
    return form_or_save(None, _("The session is saved. Now add its participants."))


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
@trainer_required
def edit(session_id: int):
    """Change a session's commune, day, place, modules or helpers."""
    course_session = get_or_404(CourseSession, session_id, the_trainer())
    return form_or_save(course_session, _("The changes are saved."))


@bp.route("/<int:session_id>/delete", methods=["GET", "POST"])
@trainer_required
def delete(session_id: int):
    """Delete a session and its list of participants (asked once more first).

    The people stay registered, with what they learned.
    """
    course_session = get_or_404(CourseSession, session_id, the_trainer())
    if request.method == "GET":
        return render_template("sessions/delete.html", course_session=course_session)
    db.session.delete(course_session)
    db.session.commit()
    flash(_("The session is deleted. Its participants are still registered."))
    return redirect(url_for(".index"), code=303)


# --- One session: details, participants, attendance ----------------------------------


def participants_of(course_session: CourseSession) -> list[Participant]:
    query = (
        select(Participant)
        .where(Participant.session_id == course_session.id)
        .options(selectinload(Participant.person))
    )
    return sorted(db.session.scalars(query), key=lambda p: name_order(p.person.name))


def new_participant_form(course_session: CourseSession) -> HelpedLearnerForm:
    """The helpers' registration form; the commune is the session's, not asked."""
    form = HelpedLearnerForm(prefix="new", data={"commune": course_session.commune_id})
    if form.commune.data != course_session.commune_id:
        form.commune.data = None  # an edited form naming another commune: refused
    form.commune.prepare({})  # the session's, which the trainer may act in
    return form


def session_page(course_session: CourseSession, new: HelpedLearnerForm, **extra):
    """The session page, with the search for a learner of its commune if asked."""
    find = FindLearnerForm(formdata=request.args or None)
    find.commune.choices = []
    results, count = None, 0
    if (find.name.data or find.born.data is not None) and find.validate():
        results, count = search(
            {course_session.commune_id}, find.name.data or "", find.born.data
        )
    participants = participants_of(course_session)
    return render_template(
        "sessions/show.html",
        course_session=course_session,
        modules=modules_of(course_session),
        language=language(),
        participants=participants,
        attended=sum(p.attended for p in participants),
        in_session={p.person_id for p in participants},
        find=find,
        results=results,
        count=count,
        new=new,
        certificates_url=url_for(
            "certificates.session_certificates", session_id=course_session.id
        ),
        **extra,
    )


@bp.get("/<int:session_id>")
@trainer_required
def show(session_id: int):
    """A session: its modules (to open or project), helpers, participants, attendance."""
    course_session = get_or_404(CourseSession, session_id, the_trainer())
    return session_page(course_session, new_participant_form(course_session))


def back_to_participants(course_session: CourseSession):
    url = url_for("sessions.show", session_id=course_session.id, _anchor="participants")
    return redirect(url, code=303)


@bp.post("/<int:session_id>/attendance")
@trainer_required
def attendance(session_id: int):
    """Save who came: ticked participants attended, the others did not."""
    course_session = get_or_404(CourseSession, session_id, the_trainer())
    came = set(request.form.getlist("attended", type=int))
    participants = participants_of(course_session)
    for participant in participants:
        participant.attended = participant.id in came
    db.session.commit()
    flash(
        _(
            "Attendance saved: %(came)s of %(total)s came.",
            came=sum(p.attended for p in participants),
            total=len(participants),
        )
    )
    return back_to_participants(course_session)


def add_participant(course_session: CourseSession, person: Person) -> None:
    """Add ``person`` (once) and say so; the caller has checked they may be added."""
    exists = select(Participant.id).where(
        Participant.session_id == course_session.id,
        Participant.person_id == person.id,
    )
    if db.session.scalar(exists) is not None:
        flash(_("%(name)s is already in this session.", name=person.name))
        return
    db.session.add(Participant(session_id=course_session.id, person_id=person.id))
    db.session.commit()
    flash(_("%(name)s is added to the session.", name=person.name))


@bp.post("/<int:session_id>/participants")
@trainer_required
def add(session_id: int):
    """Add a learner already registered in the session's commune."""
    course_session = get_or_404(CourseSession, session_id, the_trainer())
    learner_id = request.form.get("learner", type=int)
    # A learner of the session's own commune, not of another the trainer acts in.
    commune_id = course_session.commune_id
    person = get_or_404(Person, learner_id, the_trainer(), commune_id=commune_id)
    add_participant(course_session, person)
    return back_to_participants(course_session)


@bp.post("/<int:session_id>/participants/new")
@trainer_required
def register(session_id: int):
    """Register a new learner of the session's commune, with consent, and add them.

    The same name and year of birth in the commune is likely the same person: they
    are offered instead, unless the trainer says it is someone else.
    """
    course_session = get_or_404(CourseSession, session_id, the_trainer())
    new = new_participant_form(course_session)
    if not new.validate_on_submit():
        return session_page(course_session, new)
    duplicates = same_person(new.commune.data, new.name.data, new.birth_year.data)
    if duplicates and not request.form.get("confirm_new"):
        return session_page(course_session, new, duplicates=duplicates)
    person = Person.new_learner(
        new.name.data,
        new.birth_year.data,
        course_session.commune_id,
        new.phone.data,
        utcnow(),
    )
    add_participant(course_session, person)
    return back_to_participants(course_session)


@bp.post("/<int:session_id>/participants/<int:participant_id>/remove")
@trainer_required
def remove(session_id: int, participant_id: int):
    """Take someone off the session's list (they stay registered)."""
    course_session = get_or_404(CourseSession, session_id, the_trainer())
    participant = get_or_404(
        Participant, participant_id, the_trainer(), session_id=course_session.id
    )
    name = participant.person.name
    db.session.delete(participant)
    db.session.commit()
    flash(_("%(name)s is no longer on this session's list.", name=name))
    return back_to_participants(course_session)
