"""Learners registering themselves are limited per address and per browser, so a
script cannot fill a commune with fake people; a commune hall of 60 on one Wi-Fi is
never blocked, and helpers register people without a limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import Person, SignInAttempt, db, utcnow
from services.accounts import record_failed_tries
from services.self_registration import keys, network_of

from .factories import make_person, signed_in
from .test_register import form as account_form

HALL = "203.0.113.7"  # the commune hall's one public address (its Wi-Fi, NAT)


def phone(app, address: str = HALL):
    """A new browser (another phone) reaching the site from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def register(client, commune: int, name: str = "Bà Nga"):
    return client.post(
        "/learner/start",
        data={"name": name, "birth_year": "1950", "commune": commune, "next": "/"},
    )


def people(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Person.id)))


def counted_earlier(app, address: str, times: int, ago: timedelta) -> None:
    """``times`` learners registered from ``address`` ``ago`` (as if by other phones)."""
    key, _browser = keys(address, "elsewhere")
    with app.app_context():
        moment = utcnow() - ago
        db.session.add_all(
            SignInAttempt(key=key, attempted_at=moment) for _ in range(times)
        )
        db.session.commit()


def test_a_hall_of_sixty_on_one_wifi_is_never_blocked_but_a_flood_is(app, communes):
    """At the real limits: 60 people, each on their own phone, on the hall's one
    address all register; the limit lies above them, and past it nothing is made."""
    limit = app.config["LEARNER_STARTS_PER_ADDRESS_HOUR"]
    assert limit > 60 and app.config["LEARNER_STARTS_PER_ADDRESS_DAY"] > 2 * 60
    for number in range(60):
        response = register(phone(app), communes[0], f"Người {number}")
        assert response.status_code == 303, number
    assert people(app) == 60
    counted_earlier(app, HALL, limit - 60, timedelta(minutes=5))  # a script, say
    refused = register(phone(app), communes[0], "Người thừa")
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "nhờ người hỗ trợ hoặc giảng viên" in page and "sau một giờ" in page
    assert "Người thừa" not in page and 'id="learner"' not in page
    assert people(app) == 60
    assert register(phone(app, "198.51.100.9"), communes[0]).status_code == 303


def test_the_form_itself_says_so_while_the_address_is_paused(app, communes):
    counted_earlier(
        app, HALL, app.config["LEARNER_STARTS_PER_ADDRESS_HOUR"], timedelta(0)
    )
    response = phone(app).get("/learner/start?next=/lessons/vneid/steps/2")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "vẫn đọc được mọi bài học" in page
    assert 'href="/lessons/vneid/steps/2"' in page  # back to reading


def test_an_hour_later_the_hall_registers_again(app, communes):
    hour = app.config["LEARNER_STARTS_PER_ADDRESS_HOUR"]
    counted_earlier(app, HALL, hour, timedelta(minutes=61))
    assert register(phone(app), communes[0]).status_code == 303


@pytest.mark.app_config(LEARNER_STARTS_PER_ADDRESS_DAY=5)
def test_a_day_limit_counts_the_hours_before(app, communes):
    counted_earlier(app, HALL, 5, timedelta(hours=3))
    refused = register(phone(app), communes[0])
    assert refused.status_code == 429 and "ngày mai" in refused.get_data(as_text=True)
    counted_earlier(app, "198.51.100.9", 5, timedelta(hours=25))  # yesterday's
    assert register(phone(app, "198.51.100.9"), communes[0]).status_code == 303


def test_a_phone_passed_round_registers_ten_an_hour(app, communes):
    shared = phone(app)
    limit = app.config["LEARNER_STARTS_PER_BROWSER_HOUR"]
    assert limit == 10
    for number in range(limit):
        assert register(shared, communes[0], f"Người {number}").status_code == 303
    refused = register(shared, communes[0], "Người thừa")
    assert refused.status_code == 429
    assert "trên điện thoại này" in refused.get_data(as_text=True)
    assert people(app) == limit
    assert register(phone(app), communes[0]).status_code == 303  # the next phone


def test_helpers_register_people_without_a_limit(app, communes):
    counted_earlier(app, "127.0.0.1", 10_000, timedelta(0))
    assert phone(app, "127.0.0.1").get("/learner/start").status_code == 429
    helper = make_person(app, "Chị Linh", communes[0], role="helper")
    client = signed_in(app, helper)
    for number in range(3):
        form = {
            "new-name": f"Bà Hoa {number}",
            "new-birth_year": "1950",
            "new-commune": communes[0],
            "new-consent": "y",
        }
        assert client.post("/help/register", data=form).status_code == 303
    assert people(app) == 1 + 3


def test_sign_in_failures_tidying_up_keeps_the_days_counts(app, communes):
    counted_earlier(app, HALL, 3, timedelta(hours=2))
    with app.test_request_context():
        record_failed_tries(["address:192.0.2.1"])  # forgets failures of 15 minutes
        db.session.commit()
        address_key, _browser = keys(HALL, "x")
        kept = select(func.count()).where(SignInAttempt.key == address_key)
        assert db.session.scalar(kept) == 3


def test_addresses_are_counted_by_network():
    assert network_of("203.0.113.7") == "203.0.113.7"
    # A phone on IPv6 takes new addresses within its /64 at will: one network.
    assert network_of("2001:db8:1:2:a::1") == network_of("2001:db8:1:2:ffff::9")
    assert network_of("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert network_of("2001:db8:1:3::1") != network_of("2001:db8:1:2::1")
    assert network_of("::ffff:203.0.113.7") == "203.0.113.7"
    assert network_of(None) == "unknown"


def test_self_study_accounts_count_against_the_same_limits(app, communes):
    """/register makes an account with a password: a script must not make them without
    end either. The hall's address has reached its hour: no account is made (429)."""
    limit = app.config["LEARNER_STARTS_PER_ADDRESS_HOUR"]
    counted_earlier(app, HALL, limit, timedelta(minutes=5))
    form = account_form(communes)
    refused = phone(app).post("/register", data=form)
    assert refused.status_code == 429
    assert "đăng ký từ mạng Internet này" in refused.get_data(as_text=True)
    assert people(app) == 0
    accepted = phone(app, "198.51.100.9").post("/register", data=form)
    assert accepted.status_code == 303 and people(app) == 1
    with app.app_context():  # and that account was counted for its address
        key, _browser = keys("198.51.100.9", "elsewhere")
        counted = select(func.count()).where(SignInAttempt.key == key)
        assert db.session.scalar(counted) == 1
