"""The flask commands people type."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from models import Commune, LessonCompletion, Person, QuizAttempt, db

from .samples import good_files, write


def test_content_check_passes_on_the_real_content(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    lessons = len(runner.app.extensions["hocso_library"].lessons)
    assert f"OK: {lessons} lesson(s)" in result.output


def two_broken_files() -> dict[str, str]:
    """The sample content with a bad lesson field and an unknown question type."""
    files = good_files()
    files["lessons/otp.vi.md"] = files["lessons/otp.vi.md"].replace(
        "minutes: 5", "minutes: x"
    )
    files["quizzes/otp.en.yaml"] = files["quizzes/otp.en.yaml"].replace(
        "type: single", "type: essay"
    )
    return files


def test_content_check_names_file_and_line_and_fails(runner, tmp_path):
    files = two_broken_files()
    result = runner.invoke(args=["content", "check", str(write(tmp_path, files))])
    assert result.exit_code == 1
    assert "lessons/otp.vi.md:4: 'minutes' must be a whole number" in result.output
    assert "quizzes/otp.en.yaml:3: 'type' must be one of" in result.output


def test_content_check_of_one_file_shows_only_its_problems(runner, tmp_path):
    files = two_broken_files()
    root = write(tmp_path, files)
    result = runner.invoke(
        args=["content", "check", str(root / "quizzes" / "otp.en.yaml")]
    )
    assert result.exit_code == 1
    assert "quizzes/otp.en.yaml:3" in result.output and "otp.vi.md" not in result.output


def test_content_check_has_help(runner):
    result = runner.invoke(args=["content", "check", "--help"])
    assert result.exit_code == 0 and "file:line: message" in result.output


def test_demo_data_loads_once(runner, app):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0 and "Demo data loaded: 4 communes" in result.output
    again = runner.invoke(args=["demo-data"])
    assert "not loaded" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Commune.id))) == 4
        names = db.session.scalars(select(Person.name)).all()
        assert names and all("(demo)" in name for name in names)
        staff = db.session.scalars(
            select(Person).where(Person.password_hash.is_not(None))
        ).all()
        assert {p.role for p in staff} == {"admin", "trainer", "helper"}
        assert all(p.email.endswith("@demo.hocso.invalid") for p in staff)
        assert db.session.scalar(select(func.count(LessonCompletion.id))) > 0
        attempt = db.session.scalars(select(QuizAttempt)).first()
        assert attempt.finished_at is not None and attempt.first_try_score is not None


def test_readme_commands_exist():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(
        encoding="utf-8"
    )
    assert "make run" in readme and "make test" in readme
