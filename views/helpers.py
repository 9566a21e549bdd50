"""Helping a learner: find or register them, help, then hand over to the next person.

While a session is open, what the learner does is recorded to them and marked as
assisted by the helper (views/learn.py and views/quiz.py ask ``current_helper()``).
Helpers and trainers act only on learners of their own communes, admins on everyone;
an id they may not use is "not found", whether it came from a link or an edited form.
"""

from __future__ import annotations

from collections import defaultdict

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, user_logged_out
from sqlalchemy import func, select, union, update
from sqlalchemy.orm import selectinload

from forms import FindLearnerForm, HelpedLearnerForm
from models import (
    AssistSession,
    Commune,
    LessonCompletion,
    Person,
    QuizAttempt,
    StepView,
    db,
    utcnow,
)
from services.access import communes_of, get_or_404
from services.names import fold, name_order

from .common import current_assist, role_required

bp = Blueprint("helpers", __name__, url_prefix="/help")

SHOWN = 30  # people listed at most, so the page stays light on a cheap phone
RECENT = 10  # people this helper helped lately, listed first

bp.add_app_template_global(current_assist, "current_assist")


helper_required = role_required("helper", start_again="helpers.index")


def the_helper() -> Person:
    return current_user._get_current_object()


def end_sessions(helper: Person) -> None:
    """Close every session this helper still has open (the caller commits)."""
    db.session.execute(
        update(AssistSession)
        .where(AssistSession.helper_id == helper.id, AssistSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def start_session(helper: Person, learner: Person) -> AssistSession:
    """Sit ``helper`` beside ``learner``: one open session per helper, remembered here."""
    end_sessions(helper)
    assist = AssistSession(helper_id=helper.id, learner_id=learner.id)
    db.session.add(assist)
    db.session.commit()
    session.permanent = True  # a phone that closes the tab keeps the session open
    session["assist_id"] = assist.id
    flash(
        _(
            "You are helping %(name)s. What they learn now is saved for them.",
            name=learner.name,
        )
    )
    return assist


@user_logged_out.connect
def end_on_sign_out(_app, user=None, **_extra) -> None:
    """Signing out ends the helper's session: nothing is recorded as helped by no one."""
    session.pop("assist_id", None)
    if user is not None and getattr(user, "id", None) is not None:
        end_sessions(user)
        db.session.commit()


# --- Finding people -----------------------------------------------------------------


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
    return with_communes([person_id for person_id, _name in matches[:SHOWN]]), len(
        matches
    )


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


def search_scope(helper: Person, form: FindLearnerForm, communes: list) -> set[int]:
    """The commune chosen in the search, or all the helper's (an admin: their own)."""
    allowed = {commune.id for commune in communes}
    chosen = form.commune.data
    if chosen and chosen not in allowed:
        abort(404)
    if chosen:
        return {chosen}
    return {helper.commune_id} if helper.has_role("admin") else allowed


def find_form(helper: Person, communes: list) -> FindLearnerForm:
    form = FindLearnerForm(formdata=request.args or None)
    choices = [(c.id, c.full_name) for c in communes]
    if not helper.has_role("admin"):
        choices.insert(0, (0, _("All my communes")))
    form.commune.choices = choices
    if form.commune.data is None:
        form.commune.data = choices[0][0]
    return form


def new_learner_form(helper: Person, communes: list) -> HelpedLearnerForm:
    form = HelpedLearnerForm(prefix="new")
    form.commune.choices = [(c.id, c.full_name) for c in communes]
    if request.method == "GET":
        form.commune.data = helper.commune_id
    return form


def same_person(form: HelpedLearnerForm) -> list[Person]:
    """Learners already registered in that commune with that name and year of birth."""
    query = select(Person.id, Person.name).where(
        Person.role == "learner",
        Person.commune_id == form.commune.data,
        Person.birth_year == form.birth_year.data,
    )
    wanted = fold(form.name.data)
    return with_communes(
        [
            person_id
            for person_id, name in db.session.execute(query)
            if fold(name) == wanted
        ]
    )


def help_page(helper: Person, communes: list, new: HelpedLearnerForm, **extra):
    """The page: a search (with its results, or the recent and newest learners), and
    the form for a new learner."""
    find = find_form(helper, communes)
    scope = search_scope(helper, find, communes)
    searching = bool(find.name.data or find.born.data is not None)
    context = {"results": None, "recent": [], "newest": [], "count": 0}
    if find.validate() and searching:
        results, count = search(scope, find.name.data or "", find.born.data)
        context.update(results=results, count=count)
        if not results and request.method == "GET":
            # Whoever was searched for and not found is the one to register.
            new.name.data = (find.name.data or "").strip()
            new.birth_year.data = find.born.data
    elif not find.errors:
        recent = recently_helped(helper, scope)
        listed, count = newest(scope, {person.id for person in recent})
        context.update(recent=recent, newest=listed, count=count)
    return render_template(
        "helpers/index.html",
        find=find,
        new=new,
        shown=SHOWN,
        choose_commune=len(communes) > 1,
        assist=current_assist(),
        **context,
        **extra,
    )


# --- The pages ----------------------------------------------------------------------


@bp.get("/")
@helper_required
def index():
    """Find the learner beside you or register them; start helping in one tap."""
    helper = the_helper()
    communes = communes_of(helper)
    new = new_learner_form(helper, communes)
    return help_page(helper, communes, new)


@bp.post("/start")
@helper_required
def start():
    """Start helping a learner of your commune (ending the session you had open)."""
    learner = get_or_404(Person, request.form.get("learner", type=int), the_helper())
    start_session(the_helper(), learner)
    return redirect(url_for("main.home"), code=303)


@bp.post("/register")
@helper_required
def register():
    """Register a new learner, with their consent, and start helping them at once."""
    helper = the_helper()
    communes = communes_of(helper)
    if request.form.get("new-commune", type=int) not in {c.id for c in communes}:
        abort(404)  # a commune that is not the helper's, whatever the form says
    new = new_learner_form(helper, communes)
    if not new.validate_on_submit():
        return help_page(helper, communes, new)
    duplicates = same_person(new)
    if duplicates and not request.form.get("confirm_new"):
        return help_page(helper, communes, new, duplicates=duplicates)
    learner = Person.new_learner(
        new.name.data, new.birth_year.data, new.commune.data, new.phone.data, utcnow()
    )
    start_session(helper, learner)
    return redirect(url_for("main.home"), code=303)


@bp.post("/end")
@helper_required
def end():
    """Stop helping: what happens next on this phone is the helper's own again."""
    assist = current_assist()
    end_sessions(the_helper())
    db.session.commit()
    session.pop("assist_id", None)
    if assist is not None:
        flash(_("You have finished helping %(name)s.", name=assist.learner.name))
    return redirect(url_for("helpers.index"), code=303)


# --- Progress, with a helper and alone ----------------------------------------------


def empty_mode() -> dict:
    return {"seen": 0, "completed": False, "first": None, "best": None}


@bp.app_template_global()
def progress_by_mode(person: Person) -> dict[str, dict]:
    """Per lesson slug: "assisted" and "self" progress, and who helped (names).

    Four queries for the whole page, whatever the number of lessons.
    """
    result: dict[str, dict] = defaultdict(
        lambda: {"assisted": empty_mode(), "self": empty_mode(), "helpers": []}
    )

    def mode(lesson: str, assisted: bool) -> dict:
        return result[lesson]["assisted" if assisted else "self"]

    seen = (
        select(StepView.lesson, StepView.assisted, func.count(StepView.step.distinct()))
        .where(StepView.person_id == person.id)
        .group_by(StepView.lesson, StepView.assisted)
    )
    for lesson, assisted, count in db.session.execute(seen):
        mode(lesson, assisted)["seen"] = count
    completed = select(LessonCompletion.lesson, LessonCompletion.assisted).where(
        LessonCompletion.person_id == person.id
    )
    for lesson, assisted in db.session.execute(completed):
        mode(lesson, assisted)["completed"] = True
    attempts = (
        select(QuizAttempt.lesson, QuizAttempt.assisted, QuizAttempt.first_try_score)
        .where(QuizAttempt.person_id == person.id, QuizAttempt.finished_at.is_not(None))
        .order_by(QuizAttempt.id)
    )
    for lesson, assisted, score in db.session.execute(attempts):
        numbers = mode(lesson, assisted)
        score = score or 0
        if numbers["first"] is None:
            numbers["first"] = score
        numbers["best"] = max(numbers["best"] or 0, score)

    helped = union(
        *(
            select(model.lesson, model.assisted_by_id).where(
                model.person_id == person.id, model.assisted.is_(True)
            )
            for model in (StepView, LessonCompletion, QuizAttempt)
        )
    )
    by_lesson: dict[str, set[int | None]] = defaultdict(set)
    for lesson, helper_id in db.session.execute(helped):
        by_lesson[lesson].add(helper_id)
    wanted = set().union(*by_lesson.values()) - {None}
    query = select(Person.id, Person.name).where(Person.id.in_(wanted))
    names = dict(db.session.execute(query).all())
    for lesson, ids in by_lesson.items():
        known = sorted({names[i] for i in ids if i in names}, key=name_order)
        if any(i not in names for i in ids):  # a helper whose account was deleted
            known.append(_("a former helper"))
        result[lesson]["helpers"] = known
    return result
