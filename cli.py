"""Flask commands: `flask --app app content check`, `flask --app app demo-data`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from content import load_library

content_cli = AppGroup("content", help="Lessons and quizzes.")


@content_cli.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def content_check(path: Path | None) -> None:
    """Check every lesson and quiz; print each problem as file:line: message.

    PATH is the folder holding lessons/ and quizzes/ (by default, HọcSố's own), or one
    lesson or quiz file to see only its problems. Exits with status 1 if anything is wrong.
    """
    only = None
    if path is None:
        root = Path(current_app.config["CONTENT_ROOT"])
    elif path.is_file():
        root, only = path.resolve().parent.parent, path.resolve()
    else:
        root = path
    library = load_library(root, current_app.config["LANGUAGES"])
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
    click.echo(f"OK: {len(lessons)} lesson(s), {questions} question(s), no problems.")


@click.command("demo-data")
@with_appcontext
@click.option(
    "--force", is_flag=True, help="Add the demo data even if communes already exist."
)
def demo_data(force: bool) -> None:
    """Load demo communes, learners and progress (only into an empty database)."""
    from demo import load_demo_data

    added = load_demo_data(current_app.extensions["hocso_library"], force=force)
    if added is None:
        click.echo(
            "The database already has communes: demo data not loaded (use --force)."
        )
    else:
        click.echo(
            f"Demo data loaded: {added['communes']} communes, {added['people']} learners."
        )


def register_commands(app: Flask) -> None:
    app.cli.add_command(content_cli)
    app.cli.add_command(demo_data)
