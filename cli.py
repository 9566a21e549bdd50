"""Flask commands: content check, communes import, learners import, export, demo-data,
users create, backup, restore (each with --help)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import IntegrityError

from content import load_library

content_cli = AppGroup("content", help="Lessons and quizzes.")
communes_cli = AppGroup(
    "communes", help="Provinces and communes (two tiers since 1 July 2025)."
)


@contextmanager
def one_transaction() -> Iterator[None]:
    """Commit what the block wrote, or, if another import changed the database
    meanwhile (a unique row taken), undo all of it, say so and exit with status 1."""
    from models import db

    try:
        yield
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        click.echo(
            "The database changed during the import (another import?); "
            "nothing imported. Run the command again.",
            err=True,
        )
        raise SystemExit(1) from None


@content_cli.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def content_check(path: Path | None) -> None:
    """Check lessons, quizzes and drills; print each problem as file:line: message.

    PATH is the folder holding lessons/, quizzes/ and drills/ (by default, HọcSố's own),
    or one lesson, quiz or drill file to see only its problems. Exits with status 1 if anything is wrong.
    """
    only = None
    if path is None:
        root = Path(current_app.config["CONTENT_ROOT"])
    elif path.is_file():
        root, only = path.resolve().parent.parent, path.resolve()
    else:
        root = path
    library = load_library(
        root,
        current_app.config["LANGUAGES"],
        drill_min_items=current_app.config["HOCSO_DRILL_MIN_ITEMS"],
    )
    problems = [
        p for p in library.problems if only is None or (root / p.path).resolve() == only
    ]
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        raise SystemExit(1)
    lessons = library.ordered()
    questions = sum(lesson.question_count for lesson in lessons)
    drills = sum(len(lesson.drill_ids) for lesson in lessons)
    click.echo(
        f"OK: {len(lessons)} lesson(s), {questions} question(s), {drills} drill "
        "item(s), no problems."
    )


@communes_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--allow-moves",
    is_flag=True,
    help="Let a commune already in the database move to the province the file gives.",
)
def communes_import(file: Path, allow_moves: bool) -> None:
    """Import provinces and communes from FILE (.csv in UTF-8, or .xlsx), all or nothing.

    \b
    Row 1 names the columns, in any order, in any case:
      province_code  (or "mã tỉnh")   the province's official code, as text: 01
      province_name  (or "tên tỉnh")  Thành phố Hà Nội
      commune_code   (or "mã xã")     the commune's, ward's or special zone's code: 00004
      commune_name   (or "tên xã")    Phường Ba Đình

    Other columns are ignored. CSV may be separated by , or ; and may start with a BOM.
    An XLSX file is read from its first sheet.

    Provinces and communes are matched by code: new ones are added, changed names are
    updated, and units not in FILE are kept. If any row has a problem, nothing is
    imported: every problem is printed as "FILE: row N, column C: what is wrong" and
    the command exits with status 1.
    """

    from models import db
    from services.communes_import import (
        ImportRefused,
        import_communes,
        numeric_code_notes,
        read_communes,
    )

    rows, problems = read_communes(file)
    if not problems and not rows:
        click.echo(f"{file}: nothing to import: no rows under the header.")
        raise SystemExit(1)
    if not problems:
        try:
            with one_transaction():
                summary = import_communes(rows, allow_moves=allow_moves)
        except ImportRefused as refused:
            db.session.rollback()
            problems = refused.problems
    if problems:
        for problem in problems:
            click.echo(str(problem))
        click.echo(f"{len(problems)} problem(s) found; nothing imported.", err=True)
        raise SystemExit(1)
    for note in numeric_code_notes(rows):
        click.echo(note)
    if summary.communes_moved:
        click.echo(f"Moved to another province: {', '.join(summary.communes_moved)}.")
    click.echo(str(summary))


learners_cli = AppGroup("learners", help="Learners and course session participants.")


@learners_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--session", "session_id", type=int, help="Add them to this course session (id)."
)
@click.option(
    "--commune",
    "commune_code",
    help="Code of the commune of rows without one (default: the session's).",
)
@click.option("--dry-run", is_flag=True, help="Show what would happen; save nothing.")
def learners_import(
    file: Path, session_id: int | None, commune_code: str | None, dry_run: bool
) -> None:
    """Import learners from FILE (.csv in UTF-8, or .xlsx), all or nothing.

    \b
    Row 1 names the columns, in any order, in any case, with or without accents:
      name          (or "Họ và tên")      required
      birth_year    (or "Năm sinh")       required, 4 digits: 1950
      phone         (or "Số điện thoại")  optional, as text: 0912 345 678
      commune_code  (or "Mã xã")          optional: that person's commune

    Other columns are ignored. CSV may be separated by , or ; and may start with a BOM.
    An XLSX file is read from its first sheet.

    With --session ID they become the participants of that course session, and rows
    without a commune code are of the session's commune. Without --session, --commune
    CODE gives the commune of rows without one (needed unless every row has one).

    Someone already registered with the same name (accents and case aside), year of
    birth and commune is reused, never registered twice; a row repeated in FILE counts
    once. Each row is printed with what happens to it. If any row has a problem,
    nothing is imported: each problem is printed as "FILE: row N, column C: message" and
    the command exits with status 1. --dry-run prints the same and saves nothing.

    Import only people who agreed that HọcSố keeps their name, year of birth and
    phone number to follow their learning: the import records their agreement.
    """
    from models import CourseSession, db, utcnow
    from services.communes import commune_by_code
    from services.learners_import import (
        plan_import,
        preview_lines,
        read_learners,
        save_import,
        summary_line,
    )

    course_session = commune = None
    if session_id is not None:
        course_session = db.session.get(CourseSession, session_id)
        if course_session is None:
            click.echo(f"Error: no course session has the id {session_id}.", err=True)
            raise SystemExit(1)
    if commune_code is not None:
        commune = commune_by_code(commune_code)
        if commune is None:
            click.echo(f"Error: no commune has the code '{commune_code}'.", err=True)
            raise SystemExit(1)
    rows, problems = read_learners(str(file))
    if not problems and not rows:
        click.echo(f"{file}: nothing to import: no rows under the header.")
        raise SystemExit(1)
    plan = plan_import(str(file), rows, session=course_session, commune=commune)
    plan.problems[:0] = problems
    with_session = course_session is not None
    if not plan.problems:
        for line in preview_lines(plan, with_session):
            click.echo(line)
    if plan.problems:
        for problem in plan.problems:
            click.echo(str(problem))
        click.echo(
            f"{len(plan.problems)} problem(s) found; nothing imported.", err=True
        )
        raise SystemExit(1)
    if dry_run:
        click.echo(
            f"Dry run, nothing saved. Importing would give: {summary_line(plan, with_session)}"
        )
        return
    with one_transaction():
        save_import(plan, session=course_session, consent_at=utcnow())
    click.echo(f"Imported: {summary_line(plan, with_session)}")


@click.command("demo-data")
@with_appcontext
@click.option(
    "--force", is_flag=True, help="Add the demo data even if communes already exist."
)
def demo_data(force: bool) -> None:
    """Load demo communes, learners and progress (only into an empty database)."""
    from services.demo import load_demo_data

    added = load_demo_data(current_app.extensions["hocso_library"], force=force)
    if added is None:
        click.echo(
            "The database already has communes: demo data not loaded (use --force)."
        )
    else:
        click.echo(
            f"Demo data loaded: {added['communes']} communes, {added['people']} learners."
        )


users_cli = AppGroup("users", help="People who sign in: helpers, trainers, admins.")


@users_cli.command("create")
@click.option("--name", required=True, help="Full name, as people will see it.")
@click.option("--commune", "commune_code", required=True, help="Code of their commune.")
@click.option("--email", help="Email to sign in with (this or --phone).")
@click.option("--phone", help="Phone number to sign in with (this or --email).")
@click.option(
    "--birth-year", type=click.IntRange(1900, 2100), default=1990, show_default=True
)
@click.option(
    "--role",
    type=click.Choice(["helper", "trainer", "admin"]),
    default="admin",
    show_default=True,
)
@click.password_option(help="At least 12 characters; asked for if not given.")
def users_create(name, commune_code, email, phone, birth_year, role, password) -> None:
    """Create someone who signs in (the first admin, to begin with).

    Import the communes first (or load the demo data): everyone belongs to one.
    The password is asked for twice and never shown or logged.
    """
    from models import db
    from services.accounts import create_account

    login = {"email": email, "phone": phone}
    person, problems = create_account(
        name, commune_code, login, birth_year, role, password
    )
    if problems:
        for problem in problems:
            click.echo(f"Error: {problem}.", err=True)
        raise SystemExit(1)
    db.session.commit()
    click.echo(
        f"Created {role} '{person.name}' of {person.commune.full_name}. They can sign in now."
    )


@click.command("export")
@with_appcontext
@click.option(
    "--commune",
    "codes",
    multiple=True,
    metavar="CODE",
    help="A commune's code; repeat for several (default: every commune).",
)
@click.option(
    "--kind",
    type=click.Choice(["people", "modules"]),
    default="modules",
    show_default=True,
    help="people: a row per person and module; modules: a row per commune and module.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    help="Default: the --output file's extension, else csv.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The file to write (default: CSV to standard output; XLSX needs a file).",
)
def export(codes: tuple[str, ...], kind: str, fmt: str | None, output: Path | None):
    """Export the report tables, as trainers download them, to CSV or XLSX.

    \b
    --kind modules  a row per commune and course module: people registered and
                    reached, completions (with a helper, self-study), average
                    first-try and best scores, pass rates
    --kind people   a row per person and course module: steps seen, completed
                    (how, when), quiz attempts, first-try and best scores, passed

    Every column (Vietnamese headers, types, meaning) is described in
    docs/exports.md. Numbers are numbers, dates are dates. CSV is UTF-8 with a byte
    order mark, comma-separated, with CRLF line ends. An XLSX file also has a
    "Giới thiệu" sheet: when it was made, of which communes, what each column means.
    The people table holds personal data: keep the file safe.
    """
    from reports.exports import Export, csv_chunks, ordered_communes, write_xlsx

    if fmt is None:
        fmt = "xlsx" if output and output.suffix.lower() == ".xlsx" else "csv"
    if fmt == "xlsx" and output is None:
        click.echo("Error: XLSX is written to a file: give --output FILE.", err=True)
        raise SystemExit(1)
    communes = ordered_communes(list(codes) if codes else None)
    unknown = sorted(set(codes) - {commune.code for commune in communes})
    if unknown:
        for code in unknown:
            click.echo(f"Error: no commune has the code '{code}'.", err=True)
        raise SystemExit(1)
    lessons = current_app.extensions["hocso_library"].course()
    made = Export(kind, communes, lessons)
    if fmt == "xlsx":
        write_xlsx(made, output)
    elif output is None:
        with click.open_file("-", "wb") as stdout:
            for chunk in csv_chunks(made):
                stdout.write(chunk)
        return
    else:
        with output.open("wb") as file:
            for chunk in csv_chunks(made):
                file.write(chunk)
    click.echo(
        f"Wrote {made.rows_written} row(s) of {len(communes)} commune(s) to {output}."
    )


@click.command("backup")
@with_appcontext
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (default: instance/hocso-backup-DATE-TIME.sqlite3 or .dump).",
)
def backup(output: Path | None) -> None:
    """Back up the whole database to one file, safely while the app serves.

    SQLite is copied with its online backup API; PostgreSQL is dumped by pg_dump in
    its custom format (PostgreSQL's client tools must be installed). The file holds
    personal data: it is readable by its owner only; keep it safe. Restore it with
    `flask --app app restore FILE` and the same SECRET_KEY (card codes depend on it).
    """
    from services import backups

    with backups.said_plainly():
        url = current_app.config["SQLALCHEMY_DATABASE_URI"]
        output = output or backups.default_output(Path(current_app.instance_path), url)
        size = backups.backup(url, output)
        click.echo(
            f"Backed up {backups.shown(url)} to {output.resolve()} ({size:,} bytes)."
        )


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that holds data.")
def restore(file: Path, force: bool) -> None:
    """Replace the whole database with the backup FILE (made by `backup`).

    A database that already holds data is replaced only with --force: what is in it
    now is lost. Stop the app servers first. Use the SECRET_KEY of the backed-up
    site, and run `flask --app app db upgrade` afterwards if the backup is older
    than the code.
    """
    from services import backups

    with backups.said_plainly():
        url = current_app.config["SQLALCHEMY_DATABASE_URI"]
        backups.restore(url, file, force=force)
        click.echo(f"Restored {file} into {backups.shown(url)}.")
        click.echo("If the backup is older than this code: flask --app app db upgrade")


drills_cli = AppGroup("drills", help="Reviews after a module's quiz (spaced drills).")


@drills_cli.command("due")
@click.option("--commune", "code", required=True, help="The commune's code.")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to count from, YYYY-MM-DD (default: HOCSO_TODAY, else today in Vietnam).",
)
def drills_due(code: str, as_of) -> None:
    """List the learners of a commune due for a review: one line each, with the
    module, the stage, the due date and how many days late, the longest-waiting first."""
    from sqlalchemy import select

    from models import Commune, db
    from reports.drills import due_list
    from services.drills import today

    commune = db.session.scalar(select(Commune).where(Commune.code == code.strip()))
    if commune is None:
        click.echo(
            f"No commune has the code '{code}'. Check it on the commune list "
            "(flask --app app communes import loads them).",
            err=True,
        )
        raise SystemExit(1)
    day = as_of.date() if as_of else today()
    lessons = current_app.extensions["hocso_library"].drilled()
    rows, drills, people = due_list(
        [commune.id], day, [ls.slug for ls in lessons], limit=None
    )
    titles = {ls.slug: ls.text("vi").title for ls in lessons}
    for row in rows:
        kind = "catch-up" if row.catch_up else f"stage {row.stage}"
        click.echo(
            f"{row.name}\t{titles[row.lesson]}\t{kind}\t"
            f"due {row.due_on.isoformat()}\t{row.late} day(s) overdue"
        )
    click.echo(
        f"{commune.name}, as of {day.isoformat()}: {drills} review(s) due, "
        f"{people} learner(s)."
    )


def register_commands(app: Flask) -> None:
    app.cli.add_command(drills_cli)
    app.cli.add_command(content_cli)
    app.cli.add_command(communes_cli)
    app.cli.add_command(learners_cli)
    app.cli.add_command(demo_data)
    app.cli.add_command(users_cli)
    app.cli.add_command(export)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
