"""Helper-assisted sessions: find or register a learner, help, switch, end; permissions
against a second commune; and progress with a helper kept apart from self-study."""

from __future__ import annotations

import itertools
import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from models import (
    Answer,
    AssistSession,
    LessonCompletion,
    Person,
    QuizAttempt,
    StepView,
    db,
    utcnow,
)

from . import factories
from .conftest import answer_token, start_quiz
from .factories import login_as

PASSWORD = "a long helper password"


# --- Factories -----------------------------------------------------------------------


@pytest.fixture
def make_person(app):
    """``make_person(name, commune_id, role="learner", ...)``: a person in the database.

    Staff get a password (and an email made from a count) so they can sign in.
    """
    count = itertools.count(1)

    def make(name: str, commune_id: int, role: str = "learner", **fields) -> int:
        number, staff = next(count), role != "learner"
        return factories.make_person(
            app,
            name,
            commune_id,
            role,
            born=fields.pop("birth_year", 1950),
            email=f"staff{number}@example.org" if staff else None,
            password=PASSWORD if staff else None,
            **fields,
        )

    return make


def email_of(app, person_id: int) -> str:
    with app.app_context():
        return db.session.get(Person, person_id).email


def sign_in(client, person_id: int) -> None:
    """Sign in through the real sign-in form, as a helper does."""
    response = client.post(
        "/sign-in",
        data={"login": email_of(client.application, person_id), "password": PASSWORD},
    )
    assert response.status_code == 303


def signed_in_client(app, person_id: int):
    client = app.test_client()
    sign_in(client, person_id)
    return client


def start_helping(client, learner_id: int):
    return client.post("/help/start", data={"learner": learner_id})


def register(client, commune_id: int, name: str = "Bà Hoa", **extra):
    data = {
        "new-name": name,
        "new-birth_year": "1950",
        "new-commune": commune_id,
        "new-consent": "y",
    } | extra
    return client.post("/help/register", data=data)


def person_named(app, name: str) -> Person | None:
    with app.app_context():
        return db.session.scalar(select(Person).where(Person.name == name))


def rows(app, model, person_id: int) -> list:
    with app.app_context():
        query = select(model).where(model.person_id == person_id).order_by(model.id)
        return list(db.session.scalars(query))


def open_sessions(app, helper_id: int) -> list[AssistSession]:
    with app.app_context():
        query = select(AssistSession).where(
            AssistSession.helper_id == helper_id, AssistSession.ended_at.is_(None)
        )
        return list(db.session.scalars(query))


def bar_of(page: str) -> str:
    """The text of the 'helping' bar, or '' when there is none."""
    match = re.search(r'<aside class="assist-bar.*?</aside>', page, re.S)
    return text_of(match.group(0)) if match else ""


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def answer_first_question(client, right: bool = True) -> None:
    """Start the VNeID quiz and answer its first question (right or wrong)."""
    url = start_quiz(client)
    quiz = client.application.extensions["hocso_library"].get("vneid").quiz("vi")
    question = quiz.question(1)
    response = question.correct_response()
    if not right:
        response = [next(o.key for o in question.options if not o.correct)]
    form = MultiDict(question.form_for(response))
    form["token"] = answer_token(client, url)
    assert client.post(url, data=form).status_code == 303


@pytest.fixture
def helper(make_person, communes) -> int:
    return make_person("Linh", communes[0], role="helper", birth_year=2003)


@pytest.fixture
def helper_client(app, helper):
    return signed_in_client(app, helper)


# --- Who may open "Help a learner" ---------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/help/"), ("post", "/help/start"), ("post", "/help/register"),
     ("post", "/help/end")],
)  # fmt: skip
def test_visitors_are_asked_to_sign_in(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.location == "/sign-in?next=/help/"


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/help/"), ("post", "/help/start"), ("post", "/help/register"),
     ("post", "/help/end")],
)  # fmt: skip
def test_learners_find_nothing_there(app, client, make_person, communes, method, url):
    learner = make_person("Bà Nga", communes[0])
    login_as(client, learner)
    assert "Bà Nga" in client.get("/progress").get_data(as_text=True)
    assert getattr(client, method)(url).status_code == 404


def test_a_guest_learner_is_only_a_visitor(client, learner):
    assert client.get("/help/").status_code == 302


def test_the_sign_in_leads_back_to_the_help_page(client, helper, app):
    response = client.post(
        "/sign-in?next=/help/",
        data={"login": email_of(app, helper), "password": PASSWORD},
    )
    assert response.location == "/help/"
    assert "Giúp một người học" in client.get("/help/").get_data(as_text=True)


# --- Finding a learner ---------------------------------------------------------------


def test_search_ignores_accents_and_case(helper_client, make_person, communes):
    make_person("Nguyễn Thị Nga", communes[0], birth_year=1946)
    make_person("Đỗ Văn Đức", communes[0], birth_year=1950)
    make_person("Trần Văn Bình", communes[0], birth_year=1946)
    for typed, found, not_found in [
        ("nguyen thi nga", "Nguyễn Thị Nga", "Trần Văn Bình"),
        ("NGA", "Nguyễn Thị Nga", "Đỗ Văn Đức"),
        ("do duc", "Đỗ Văn Đức", "Nguyễn Thị Nga"),
        ("Đức", "Đỗ Văn Đức", "Trần Văn Bình"),
    ]:
        page = helper_client.get("/help/", query_string={"name": typed}).get_data(
            as_text=True
        )
        assert found in page and not_found not in page, typed


def test_search_by_year_of_birth(helper_client, make_person, communes):
    make_person("Nguyễn Thị Nga", communes[0], birth_year=1946)
    make_person("Trần Văn Bình", communes[0], birth_year=1952)
    page = helper_client.get("/help/?born=1952").get_data(as_text=True)
    assert "Trần Văn Bình" in page and "Nguyễn Thị Nga" not in page
    page = helper_client.get("/help/?name=nga&born=1952").get_data(as_text=True)
    assert "Không tìm thấy ai" in page


def test_nobody_found_starts_the_registration_with_what_was_typed(helper_client):
    page = helper_client.get("/help/?name=Lê Văn Tám&born=1948").get_data(as_text=True)
    assert "Không tìm thấy ai" in page
    assert 'name="new-name" required type="text" value="Lê Văn Tám"' in page
    assert 'value="1948"' in page


def test_the_page_lists_the_communes_learners_without_a_search(
    helper_client, make_person, communes, helper
):
    make_person("Nguyễn Thị Nga", communes[0])
    make_person("Phạm Thị Hoa", communes[1])
    make_person("Anh Hùng", communes[0], role="trainer")
    page = helper_client.get("/help/").get_data(as_text=True)
    assert "Nguyễn Thị Nga" in page
    assert "Phạm Thị Hoa" not in page  # another commune
    assert "Anh Hùng" not in page  # staff are not learners to help
    assert page.count("Bắt đầu giúp<span") == 1


# --- Registering a learner -----------------------------------------------------------


def test_registering_keeps_consent_and_starts_helping_at_once(
    app, helper_client, helper, communes
):
    response = register(
        helper_client, communes[0], "Bà Hoa", **{"new-phone": "0912 345.678"}
    )
    assert response.status_code == 303 and response.location == "/"
    hoa = person_named(app, "Bà Hoa")
    assert hoa.role == "learner" and hoa.commune_id == communes[0]
    assert hoa.birth_year == 1950 and hoa.phone == "0912345678"
    assert hoa.consent_at is not None and hoa.password_hash is None
    (assist,) = open_sessions(app, helper)
    assert assist.learner_id == hoa.id
    home = helper_client.get("/").get_data(as_text=True)
    assert "Bạn đang giúp Bà Hoa." in home
    assert bar_of(home) == "Đang hỗ trợ: Bà Hoa Người tiếp theo Kết thúc"


def test_registering_needs_the_learners_consent(app, helper_client, communes):
    page = register(helper_client, communes[0], **{"new-consent": ""}).get_data(
        as_text=True
    )
    assert "chỉ đánh dấu vào ô khi họ đồng ý" in page
    assert 'aria-invalid="true"' in page
    assert person_named(app, "Bà Hoa") is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"new-name": ""}, "Xin ghi họ và tên người học."),
        ({"new-birth_year": "năm mươi"}, "Xin chỉ ghi chữ số, ví dụ 1950."),
        ({"new-phone": "09ab"}, "Xin chỉ ghi chữ số, ví dụ 0912 345 678."),
    ],
)
def test_registering_says_what_is_missing(
    app, helper_client, communes, fields, message
):
    page = register(helper_client, communes[0], **fields).get_data(as_text=True)
    assert message in page
    with app.app_context():
        assert db.session.scalar(select(func.count(AssistSession.id))) == 0


def test_the_same_person_twice_is_asked_about_first(
    app, helper_client, helper, make_person, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0], birth_year=1950)
    page = register(helper_client, communes[0], "nguyen thi  nga").get_data(
        as_text=True
    )
    assert "Có phải người này không?" in page
    assert f'name="learner" value="{nga}"' in page
    assert "Không phải họ: đăng ký người mới" in page
    assert open_sessions(app, helper) == []
    response = register(helper_client, communes[0], "nguyen thi  nga", confirm_new="1")
    assert response.status_code == 303
    assert person_named(app, "nguyen thi nga") is not None  # spaces tidied


def test_the_form_offers_only_the_helpers_communes(helper_client, communes):
    page = helper_client.get("/help/").get_data(as_text=True)
    assert "Xã Một" in page and "Phường Hai" not in page
    assert (
        f'name="new-commune" value="{communes[0]}" form="new-learner" checked' in page
    )


# --- Helping three learners in a row --------------------------------------------------


def test_three_learners_in_a_row_each_get_their_own_assisted_progress(
    app, helper_client, helper, make_person, communes
):
    binh = make_person("Trần Văn Bình", communes[0])
    tam = make_person("Lê Văn Tâm", communes[0])

    # 1. A new learner, registered and helped at once: two steps, the end, an answer.
    register(helper_client, communes[0], "Bà Hoa")
    hoa = person_named(app, "Bà Hoa").id
    helper_client.get("/lessons/vneid/steps/1")
    helper_client.get("/lessons/vneid/steps/2")
    helper_client.post("/lessons/vneid/complete")
    answer_first_question(helper_client)

    # 2. and 3. Learners already registered: "Next person", then "Start helping".
    for learner, steps in ((binh, [1]), (tam, [1, 3])):
        page = helper_client.get("/help/").get_data(as_text=True)
        assert f'name="learner" value="{learner}"' in page
        start_helping(helper_client, learner)
        for number in steps:
            helper_client.get(f"/lessons/vneid/steps/{number}")
        answer_first_question(helper_client, right=learner == binh)

    expected_steps = {hoa: [1, 2], binh: [1], tam: [1, 3]}
    for learner, steps in expected_steps.items():
        views = rows(app, StepView, learner)
        assert [v.step for v in views] == steps
        assert all(v.assisted and v.assisted_by_id == helper for v in views)
        (attempt,) = rows(app, QuizAttempt, learner)
        assert attempt.assisted and attempt.assisted_by_id == helper
        with app.app_context():
            answers = db.session.scalars(
                select(Answer).where(Answer.attempt_id == attempt.id)
            ).all()
        assert len(answers) == 1 and answers[0].correct == (learner != tam)
    (completion,) = rows(app, LessonCompletion, hoa)
    assert completion.assisted and completion.assisted_by_id == helper
    assert rows(app, LessonCompletion, binh) == rows(app, LessonCompletion, tam) == []
    # The helper's own record stays empty; one session each, only the last still open.
    assert rows(app, StepView, helper) == rows(app, QuizAttempt, helper) == []
    with app.app_context():
        sessions = db.session.scalars(
            select(AssistSession).order_by(AssistSession.id)
        ).all()
        assert [s.learner_id for s in sessions] == [hoa, binh, tam]
        assert [s.ended_at is None for s in sessions] == [False, False, True]


def test_two_helpers_at_once_each_record_to_their_own_learner(
    app, helper_client, helper, make_person, communes
):
    """A busy Saturday: two helpers, two phones, two learners, at the same time."""
    minh = make_person("Minh", communes[0], role="helper")
    minh_client = signed_in_client(app, minh)
    nga = make_person("Nguyễn Thị Nga", communes[0])
    binh = make_person("Trần Văn Bình", communes[0])
    start_helping(helper_client, nga)
    start_helping(minh_client, binh)
    helper_client.get("/lessons/vneid/steps/1")
    minh_client.get("/lessons/vneid/steps/2")
    helper_client.get("/lessons/vneid/steps/3")
    assert [(v.step, v.assisted_by_id) for v in rows(app, StepView, nga)] == [
        (1, helper),
        (3, helper),
    ]
    assert [(v.step, v.assisted_by_id) for v in rows(app, StepView, binh)] == [
        (2, minh)
    ]


def test_self_study_of_the_same_learner_is_kept_apart(
    app, helper_client, helper, make_person, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0])
    start_helping(helper_client, nga)
    helper_client.get("/lessons/vneid/steps/1")
    helper_client.post("/lessons/vneid/complete")

    # Later, at home, as a guest on her own phone: the same step, and one more.
    alone = app.test_client()
    with alone.session_transaction() as session:
        session["person_id"] = nga
    alone.get("/lessons/vneid/steps/1")
    alone.get("/lessons/vneid/steps/2")
    # And signed in as herself (with her card): a quiz answer.
    carded = app.test_client()
    login_as(carded, nga)
    answer_first_question(carded)

    views = {(v.step, v.assisted, v.assisted_by_id) for v in rows(app, StepView, nga)}
    assert views == {(1, True, helper), (1, False, None), (2, False, None)}
    (completion,) = rows(app, LessonCompletion, nga)
    assert completion.assisted
    (attempt,) = rows(app, QuizAttempt, nga)
    assert not attempt.assisted and attempt.assisted_by_id is None

    page = alone.get("/progress").get_data(as_text=True)
    assisted, alone_part = mode_sections(page, "vneid")
    assert "bước đã xem 1/" in assisted and "Người hỗ trợ: Linh" in assisted
    assert "Đã học xong Rồi" in assisted
    assert "bước đã xem 2/" in alone_part and "Đã học xong Chưa" in alone_part
    assert "staff" not in page  # helpers by name, never by email


def mode_sections(page: str, slug: str) -> tuple[str, str]:
    """The text of a lesson's "with a helper" and "self-study" boxes on /progress."""

    def section(key: str) -> str:
        match = re.search(rf'id="{slug}-{key}".*?</section>', page, re.S)
        return text_of(match.group(0))

    return section("assisted"), section("self")


def test_progress_shows_first_and_best_quiz_results_for_each_way(
    app, client, make_person, helper, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0])
    with app.app_context():
        for score, assisted in [(5, True), (7, True), (6, False), (4, False)]:
            db.session.add(
                QuizAttempt(
                    person_id=nga,
                    lesson="vneid",
                    language="vi",
                    question_count=8,
                    first_try_score=score,
                    finished_at=utcnow(),
                    assisted=assisted,
                    assisted_by_id=helper if assisted else None,
                )
            )
        db.session.commit()
        total = app.extensions["hocso_library"].get("vneid").question_count
    with client.session_transaction() as session:
        session["person_id"] = nga
    assisted, alone = mode_sections(
        client.get("/progress").get_data(as_text=True), "vneid"
    )
    assert f"lần đầu 5/{total}" in assisted and f"tốt nhất 7/{total}" in assisted
    assert f"lần đầu 6/{total}" in alone and f"tốt nhất 6/{total}" in alone
    assert "Người hỗ trợ: Linh" in assisted


def test_a_deleted_helper_is_still_counted_as_a_helper(
    app, client, make_person, communes
):
    gone = make_person("Minh", communes[0], role="helper")
    nga = make_person("Nguyễn Thị Nga", communes[0])
    with app.app_context():
        db.session.get(Person, nga).see_step("vneid", 1, db.session.get(Person, gone))
        db.session.delete(db.session.get(Person, gone))
        db.session.commit()
    with client.session_transaction() as session:
        session["person_id"] = nga
    assisted, _ = mode_sections(client.get("/progress").get_data(as_text=True), "vneid")
    assert "Người hỗ trợ: một người hỗ trợ cũ" in assisted


def test_the_progress_page_of_a_helper_in_a_session_is_the_learners(
    helper_client, make_person, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0])
    start_helping(helper_client, nga)
    page = helper_client.get("/progress").get_data(as_text=True)
    assert "Quá trình học của Nguyễn Thị Nga" in page
    assert 'href="/help/">Người tiếp theo' in page
    assert "/learner/forget" not in page  # "Change learner" would change nothing here


# --- Switching, ending ---------------------------------------------------------------


def test_switching_to_the_next_person_takes_two_taps(
    app, helper_client, helper, make_person, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0])
    binh = make_person("Trần Văn Bình", communes[0])
    start_helping(helper_client, nga)
    home = helper_client.get("/").get_data(as_text=True)
    # Tap 1: "Next person" in the bar is a link to the help page...
    assert re.search(r'<a href="/help/">Người tiếp theo</a>', home)
    page = helper_client.get("/help/").get_data(as_text=True)
    assert "Bạn đang giúp người này." in page  # Bà Nga: no button to start again
    # ... tap 2: "Start helping" beside the next person.
    assert f'name="learner" value="{binh}"' in page
    assert start_helping(helper_client, binh).location == "/"
    assert "Đang hỗ trợ: Trần Văn Bình" in bar_of(
        helper_client.get("/").get_data(as_text=True)
    )
    (assist,) = open_sessions(app, helper)
    assert assist.learner_id == binh


def test_ending_the_session_stops_assisted_recording(
    app, helper_client, helper, make_person, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0])
    start_helping(helper_client, nga)
    helper_client.get("/lessons/vneid/steps/1")
    response = helper_client.post("/help/end")
    assert response.status_code == 303 and response.location == "/help/"
    page = helper_client.get("/help/").get_data(as_text=True)
    assert "Bạn đã kết thúc buổi giúp Nguyễn Thị Nga." in page and bar_of(page) == ""
    assert open_sessions(app, helper) == []
    with helper_client.session_transaction() as session:
        assert "assist_id" not in session
    helper_client.get("/lessons/vneid/steps/2")
    assert [v.step for v in rows(app, StepView, nga)] == [1]
    (own,) = rows(app, StepView, helper)  # the helper's own learning, not assisted
    assert own.step == 2 and not own.assisted


def test_signing_out_ends_the_session(
    app, helper_client, helper, make_person, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0])
    start_helping(helper_client, nga)
    helper_client.post("/sign-out")
    assert open_sessions(app, helper) == []
    sign_in(helper_client, helper)
    assert bar_of(helper_client.get("/").get_data(as_text=True)) == ""


def test_a_session_that_is_not_the_helpers_own_is_ignored(
    app, make_person, communes, helper
):
    other = make_person("Minh", communes[0], role="helper")
    nga = make_person("Nguyễn Thị Nga", communes[0])
    minh_client = signed_in_client(app, other)
    start_helping(minh_client, nga)
    (minhs,) = open_sessions(app, other)
    linh_client = signed_in_client(app, helper)
    with linh_client.session_transaction() as session:
        session["assist_id"] = minhs.id  # a cookie edited, or left by someone else
    assert bar_of(linh_client.get("/").get_data(as_text=True)) == ""
    linh_client.get("/lessons/vneid/steps/1")
    assert rows(app, StepView, nga) == []
    linh_client.post("/help/end")  # ends only Linh's own (she has none)
    assert open_sessions(app, other) != []


# --- Permissions against a second commune ---------------------------------------------


@pytest.mark.parametrize("role", ["helper", "trainer"])
def test_no_one_acts_on_another_commune(app, make_person, communes, role):
    ours, theirs = communes
    staff = make_person("Người của xã Một", ours, role=role)
    stranger = make_person("Phạm Thị Hoa", theirs)
    client = signed_in_client(app, staff)
    assert start_helping(client, stranger).status_code == 404
    assert register(client, theirs, "Bà Mới").status_code == 404
    assert client.get(f"/help/?commune={theirs}").status_code == 404
    page = client.get("/help/?name=hoa").get_data(as_text=True)
    assert "Phạm Thị Hoa" not in page
    assert person_named(app, "Bà Mới") is None
    assert open_sessions(app, staff) == []


@pytest.mark.parametrize("learner_id", [0, 999_999, None])
def test_an_unknown_learner_is_not_found(helper_client, learner_id):
    data = {} if learner_id is None else {"learner": learner_id}
    assert helper_client.post("/help/start", data=data).status_code == 404


def test_only_learners_can_be_helped(app, helper_client, make_person, communes):
    trainer = make_person("Anh Hùng", communes[0], role="trainer")
    assert start_helping(helper_client, trainer).status_code == 404


def test_a_trainer_helps_in_every_commune_assigned_to_them(app, make_person, communes):
    trainer = make_person("Anh Hùng", communes[0], role="trainer")
    with app.app_context():
        from models import Commune

        person = db.session.get(Person, trainer)
        person.communes.append(db.session.get(Commune, communes[1]))
        db.session.commit()
    hoa = make_person("Phạm Thị Hoa", communes[1])
    client = signed_in_client(app, trainer)
    page = client.get("/help/").get_data(as_text=True)
    assert "Phạm Thị Hoa" in page and 'name="commune"' in page  # a choice of two
    assert start_helping(client, hoa).status_code == 303
    assert register(client, communes[1], "Bà Mới").status_code == 303
    assert person_named(app, "Bà Mới").commune_id == communes[1]


def test_an_admin_helps_everywhere(app, make_person, communes):
    admin = make_person("Quản trị", communes[0], role="admin")
    hoa = make_person("Phạm Thị Hoa", communes[1])
    client = signed_in_client(app, admin)
    page = client.get(f"/help/?commune={communes[1]}").get_data(as_text=True)
    assert "Phạm Thị Hoa" in page
    assert start_helping(client, hoa).status_code == 303
    client.get("/lessons/vneid/steps/1")
    (view,) = rows(app, StepView, hoa)
    assert view.assisted_by_id == admin
    assert register(client, communes[1], "Bà Mới").status_code == 303
    assert person_named(app, "Bà Mới").commune_id == communes[1]


# --- Quizzes started alone and with a helper stay apart ------------------------------


def test_an_open_self_study_quiz_is_not_carried_on_as_assisted(
    app, helper_client, helper, make_person, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0])
    carded = app.test_client()
    login_as(carded, nga)
    start_quiz(carded)  # started alone, left open
    start_helping(helper_client, nga)
    answer_first_question(helper_client)
    with app.app_context():
        assisted_answers = select(func.count(Answer.id)).join(QuizAttempt)
        assisted_answers = assisted_answers.where(
            QuizAttempt.person_id == nga, QuizAttempt.assisted.is_(True)
        )
        assert db.session.scalar(assisted_answers) == 1
