"""The application factory: configuration, extensions, content, blueprints, CLI. No routes."""

from __future__ import annotations

import logging
import os
import secrets
from datetime import date, timedelta
from pathlib import Path

from flask import Flask, render_template, request, session
from flask_babel import Babel, gettext
from flask_compress import Compress
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from werkzeug.middleware.proxy_fix import ProxyFix

from content import load_library
from models import db

ROOT = Path(__file__).resolve().parent
LANGUAGES = ("vi", "en")
TEXT_SIZES = ("normal", "large", "larger")

babel = Babel()
compress = Compress()
csrf = CSRFProtect()
migrate = Migrate()
login_manager = LoginManager()
log = logging.getLogger("hocso")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the HọcSố Flask application."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    init_config(app, test_config)
    init_extensions(app)
    init_blueprints(app)
    init_template_globals(app)
    init_request_hooks(app)
    init_signals(app)
    init_logging(app)
    init_content(app)
    init_security_headers(app)
    init_error_pages(app)
    from cli import register_commands

    register_commands(app)
    return app


def init_config(app: Flask, test_config: dict | None) -> None:
    """Defaults, then the environment, then test overrides (as flaskr does)."""
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY"),
        SQLALCHEMY_DATABASE_URI=_database_url(app),
        CONTENT_ROOT=os.environ.get("HOCSO_CONTENT_ROOT", str(ROOT)),
        # The address learners' phones reach this site at (for the links in card QR codes).
        PUBLIC_URL=os.environ.get("PUBLIC_URL"),
        LANGUAGES=LANGUAGES,
        TEXT_SIZES=TEXT_SIZES,
        BABEL_DEFAULT_LOCALE="vi",
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "translations"),
        # A learner may think as long as they like: no CSRF token expiry, long sessions.
        WTF_CSRF_TIME_LIMIT=None,
        PERMANENT_SESSION_LIFETIME=timedelta(days=365),
        # Signing the cookie again on every page cost a tenth of a step page; it is
        # renewed once a day instead (init_request_hooks), so the year still slides.
        SESSION_REFRESH_EACH_REQUEST=False,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=os.environ.get("HOCSO_SECURE_COOKIES", "0") == "1",
        REMEMBER_COOKIE_SECURE=os.environ.get("HOCSO_SECURE_COOKIES", "0") == "1",
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        # How long a browser stays signed in after its last day of use (renewed on the
        # first page of each day; services/sign_ins.py). A learner's own phone: a year,
        # so an elderly learner rarely needs her card again. Helpers, trainers and
        # admins reach other people's records: 30 days.
        SIGN_IN_LIFETIME_LEARNER=timedelta(days=365),
        SIGN_IN_LIFETIME_STAFF=timedelta(days=30),
        # Proxies (nginx) in front whose X-Forwarded-For and -Proto are believed, so
        # sign-in limits per address count the visitor's address, not nginx's.
        HOCSO_PROXIES=int(os.environ.get("HOCSO_PROXIES", "0")),
        # Sign-in tries: failures per account and per address within the window.
        SIGN_IN_WINDOW=timedelta(minutes=15),
        SIGN_IN_MAX_PER_ACCOUNT=5,
        SIGN_IN_MAX_PER_ADDRESS=30,
        # Unknown certificate codes checked from one address within the same window: a
        # trainer checking a pile of certificates mistypes a few, never 30; a guesser
        # is slowed from thousands of codes a minute to 2 a minute.
        VERIFY_MAX_PER_ADDRESS=30,
        # Learners registering themselves ("who is learning"): a commune hall of 60 on
        # one Wi-Fi, some registering twice, two sessions a day, stays well under the
        # address limits; a phone passed round stays under the browser one. Why, in
        # the README's "Self-registration limits". Helpers, trainers and imports are not limited.
        LEARNER_STARTS_PER_ADDRESS_HOUR=_env_int("HOCSO_STARTS_PER_ADDRESS_HOUR", 200),
        LEARNER_STARTS_PER_ADDRESS_DAY=_env_int("HOCSO_STARTS_PER_ADDRESS_DAY", 600),
        LEARNER_STARTS_PER_BROWSER_HOUR=_env_int("HOCSO_STARTS_PER_BROWSER_HOUR", 10),
        COMPRESS_MIMETYPES=[
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "image/svg+xml",
        ],
        # Static files are sent as streams; offer gzip for them too (cheap phones' browsers).
        COMPRESS_ALGORITHM_STREAMING=["zstd", "br", "gzip", "deflate"],
        COMPRESS_MIN_SIZE=256,
        SEND_FILE_MAX_AGE_DEFAULT=timedelta(days=1),
        # How passwords and PINs are hashed (werkzeug's method string); tests use a
        # cheap one, since scrypt is slow on purpose.
        PASSWORD_HASH_METHOD="scrypt",
        # An already loaded content library to serve instead of reading CONTENT_ROOT
        # (tests read HọcSố's own lessons once and share them).
        HOCSO_LIBRARY=None,
        # The date drills count as today (YYYY-MM-DD), to walk through the weeks in
        # tests and demonstrations; unset: Vietnam's date (services/drills today()).
        HOCSO_TODAY=os.environ.get("HOCSO_TODAY") or None,
        # Items a drill bank needs at least (content check; the banks have 10 or more).
        HOCSO_DRILL_MIN_ITEMS=int(os.environ.get("HOCSO_DRILL_MIN_ITEMS", "10")),
        # Serve learners' lesson steps from whole pages rendered once (views/page_cache.py).
        HOCSO_PAGE_CACHE=True,
    )
    if test_config:
        app.config.update(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(app)
    if app.config.get("HOCSO_PROXIES"):
        proxies = app.config["HOCSO_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def _env_int(name: str, default: int) -> int:
    """A whole number from the environment, or ``default`` when it is not set."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


class SharedKeyMissing(RuntimeError):
    """Several servers on one database, but no SECRET_KEY that they all share."""


SHARED_KEY_MISSING = """\
SECRET_KEY is not set, and DATABASE_URL is not SQLite ({database}).
Every server of one HọcSố must sign sign-ins, forms and card codes with the same key,
so a key generated on each server would sign people out and break their cards.
Set SECRET_KEY in the environment to one long random value, the same on every server
(and for every flask command), e.g. the output of:
    python3 -c "import secrets; print(secrets.token_hex(32))"
See docs/deploy.md."""


def _database_url(app: Flask) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(app.instance_path) / 'hocso.db'}"
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _instance_secret(app: Flask) -> str:
    """A secret key kept in instance/, so restarts and every gunicorn worker share it.

    Only for SQLite, whose servers all run on one machine: elsewhere it stops the app.
    """
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    if not database.startswith("sqlite"):
        shown = make_url(database).render_as_string(hide_password=True)
        raise SharedKeyMissing(SHARED_KEY_MISSING.format(database=shown))
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL and a busy timeout let several gunicorn workers share one SQLite file."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def select_language() -> str:
    """The language the visitor chose, Vietnamese until they choose."""
    language = session.get("language")
    return language if language in LANGUAGES else "vi"


def init_extensions(app: Flask) -> None:
    from views.session_cookie import KeptSessionInterface

    app.session_interface = KeptSessionInterface()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    babel.init_app(app, locale_selector=select_language)
    csrf.init_app(app)
    compress.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_person(token: str):
        """The person this browser's sign-in token signs in (one statement); a token
        that no longer signs in is forgotten, with its remember cookie."""
        from services.sign_ins import signed_in_person

        person = signed_in_person(token)
        if person is None:
            session.pop("_user_id", None)
            session["_remember"] = "clear"
        return person

    @app.context_processor
    def display_settings() -> dict:
        from views.common import text_size

        return {
            "language": select_language(),
            "text_size": text_size(),
            # A plain gettext for Python code called from templates (label_of).
            "translate": gettext,
        }


def init_content(app: Flask) -> None:
    """Read and check every lesson once; serve only lessons with no problems, log the rest."""
    from views.learn import image_address

    def image_url(name: str, language: str) -> str:
        with app.test_request_context():
            return image_address(name, language)

    library = app.config["HOCSO_LIBRARY"] or load_library(
        Path(app.config["CONTENT_ROOT"]),
        LANGUAGES,
        image_url,
        app.config["HOCSO_DRILL_MIN_ITEMS"],
    )
    for problem in library.problems:
        log.error("content problem, not served: %s", problem)
    app.extensions["hocso_library"] = library


# Every area's blueprint, in views/<name>.py as ``bp``: a module missing here is not
# served, and a name here with no module stops the app from starting.
BLUEPRINTS = (
    "accounts",
    "cards",
    "certificates",
    "communes",
    "drills",
    "exports",
    "helpers",
    "inactive",
    "learn",
    "learners",
    "main",
    "mydata",
    "presenter",
    "quiz",
    "register",
    "reports",
    "session_import",
    "sessions",
)


def init_blueprints(app: Flask) -> None:
    """Register the blueprint of every area listed in ``BLUEPRINTS``."""
    import importlib

    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(f"views.{name}").bp)


def init_template_globals(app: Flask) -> None:
    """Functions and filters every template may use, whichever blueprint renders it."""
    from reports.dates import day_text
    from views import page_cache
    from views.common import current_assist, current_person
    from views.fragments import FragmentCache
    from views.learn import image_address
    from views.sessions import say, session_day

    app.jinja_env.add_extension(FragmentCache)
    page_cache.init_app(app)
    app.add_template_global(current_assist, "current_assist")
    app.add_template_global(image_address, "image_address")
    app.add_template_global(say, "say_import_message")
    app.add_template_filter(day_text, "card_date")
    app.add_template_filter(session_day, "session_day")

    @app.context_processor
    def inject_person() -> dict:
        return {"current_person": current_person()}


def init_request_hooks(app: Flask) -> None:
    """Checks made before every request, whichever blueprint answers it."""
    from flask_login import current_user

    from models import commit_keeping_loaded
    from services.sign_ins import lifetime, renew

    @app.before_request
    def renew_remembered_session() -> None:
        """A browser still in use stays signed in (or remembered, for a guest): on its
        first page of each day its sign-in is moved forward and its cookies are sent
        again, so they expire a lifetime after the last day it was used. A sign-in
        ended or expired on the server signs the browser out here."""
        if request.endpoint == "static":
            return
        today = date.today().isoformat()
        if session.permanent and session.get("renewed_on") != today:
            session["renewed_on"] = today
        if current_user.is_authenticated and renew(current_user):
            commit_keeping_loaded()
            session["_remember"] = "set"
            session["_remember_seconds"] = lifetime(current_user).total_seconds()


def init_signals(app: Flask) -> None:
    """What this browser remembers changes with who is signed in (no database work
    here: the sign-out view ends a helper's sessions itself)."""
    from flask_login import user_logged_out

    # A module-level receiver: blinker holds receivers weakly.
    user_logged_out.connect(forget_assist, app)


def forget_assist(_sender, **_extra) -> None:
    """Whoever signs out is no longer sitting beside a learner on this phone."""
    session.pop("assist_id", None)


def init_logging(app: Flask) -> None:
    """Access and error logs never show the secret token in a card's link."""
    from services.cards import REDACT

    for logger in (
        logging.getLogger("werkzeug"),
        logging.getLogger("gunicorn.access"),
        logging.getLogger("gunicorn.error"),
        app.logger,
    ):
        if REDACT not in logger.filters:
            logger.addFilter(REDACT)


def init_security_headers(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


def init_error_pages(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    def error_page(code: int):
        def handler(_error):
            return render_template("error.html", code=code, path=request.path), code

        return handler

    for code in (400, 403, 404, 405, 500):
        app.register_error_handler(code, error_page(code))
    app.register_error_handler(CSRFError, error_page(400))
