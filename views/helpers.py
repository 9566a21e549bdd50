"""Helping a learner: find or register them, help, then hand over to the next person.

While a session is open, what the learner does is recorded to them and marked as
assisted by the helper (views/learn.py and views/quiz.py ask ``current_helper()``).
Helpers and trainers act only on learners of their own communes, admins on everyone;
an id they may not use is "not found", whether it came from a link or an edited form.
"""

from __future__ import annotations

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
from flask_login import current_user

from forms.learners import FindLearnerForm, HelpedLearnerForm
from models import (
    Commune,
    Person,
    db,
    utcnow,
)
from reports.drills import due_list
from services.access import communes_of, get_or_404
from services.assists import (
    SHOWN,
    end_sessions,
    newest,
    recently_helped,
    same_person,
    search,
    start_session,
)
from services.communes import chosen as chosen_commune
from services.drills import today as drills_today

from .common import current_assist, language, library, role_required

bp = Blueprint("helpers", __name__, url_prefix="/help")

helper_required = role_required("helper", start_again="helpers.index")


def the_helper() -> Person:
    return current_user._get_current_object()


def start_helping(helper: Person, learner: Person) -> None:
    """Sit ``helper`` beside ``learner`` and remember the session on this phone."""
    assist = start_session(helper, learner)
    db.session.commit()
    session.permanent = True  # a phone that closes the tab keeps the session open
    session["assist_id"] = assist.id
    flash(
        _(
            "You are helping %(name)s. What they learn now is saved for them.",
            name=learner.name,
        )
    )


def filter_communes(helper: Person) -> list:
    """The communes a search can be narrowed to: all a helper's or trainer's; an
    admin's own and assigned ones, and the one asked for (a list of every commune
    would be thousands long)."""
    if helper.role != "admin":
        return communes_of(helper)
    communes = communes_of(helper, everywhere=False)
    asked = chosen_commune(request.args.get("commune", type=int), within=helper)
    if asked is not None and asked not in communes:
        communes.append(asked)
    return communes


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


def new_learner_form(helper: Person) -> HelpedLearnerForm:
    """The form for a new learner of a commune the helper acts in (their own first)."""
    form = HelpedLearnerForm(prefix="new")
    form.commune.prepare(request.args, within=helper)
    return form


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
        context.update(due_drills(scope, limit=SHOWN))
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


def due_drills(scope: set[int], limit: int | None) -> dict:
    """The learners of ``scope`` due for a review, the longest-waiting first, with
    how many drills and people are due; and the modules' titles."""
    lessons = library().drilled()
    rows, drills, people = due_list(
        sorted(scope), drills_today(), [ls.slug for ls in lessons], limit=limit
    )
    titles = {ls.slug: ls.text(language()).title for ls in lessons}
    return {
        "due": rows,
        "due_by_person": by_person(rows),
        "due_drills": drills,
        "due_people": people,
        "titles": titles,
    }


def by_person(rows: list) -> list[list]:
    """The due drills grouped by learner, in the order each learner first appears
    (the longest-waiting first): one visit, one "Start helping" button per person."""
    groups: dict[int, list] = {}
    for row in rows:
        groups.setdefault(row.person_id, []).append(row)
    return list(groups.values())


# --- The pages ----------------------------------------------------------------------


@bp.get("/")
@helper_required
def index():
    """Find the learner beside you or register them; start helping in one tap."""
    helper = the_helper()
    new = new_learner_form(helper)
    return help_page(helper, filter_communes(helper), new)


@bp.post("/start")
@helper_required
def start():
    """Start helping a learner of your commune (ending the session you had open)."""
    learner = get_or_404(Person, request.form.get("learner", type=int), the_helper())
    start_helping(the_helper(), learner)
    return redirect(url_for("main.home"), code=303)


@bp.post("/register")
@helper_required
def register():
    """Register a new learner, with their consent, and start helping them at once."""
    helper = the_helper()
    # A commune that is not the helper's, whatever the form says, is "not found".
    get_or_404(Commune, request.form.get("new-commune", type=int), helper)
    communes = filter_communes(helper)
    new = new_learner_form(helper)
    if not new.validate_on_submit():
        return help_page(helper, communes, new)
    duplicates = same_person(new.commune.data, new.name.data, new.birth_year.data)
    if duplicates and not request.form.get("confirm_new"):
        return help_page(helper, communes, new, duplicates=duplicates)
    learner = Person.new_learner(
        new.name.data, new.birth_year.data, new.commune.data, new.phone.data, utcnow()
    )
    start_helping(helper, learner)
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


@bp.get("/visits")
@helper_required
def visits():
    """ "Next visits": every learner of the helper's communes due for a review, the
    longest-waiting first, made to be printed for a round from door to door."""
    helper = the_helper()
    communes = communes_of(helper, everywhere=helper.role != "admin")
    return render_template(
        "helpers/visits.html",
        communes=communes,
        today=drills_today(),
        **due_drills({c.id for c in communes}, limit=None),
    )
