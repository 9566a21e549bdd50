"""Guessing certificate codes is slowed per address, like sign-in, while a trainer
checking a pile of real certificates never notices."""

from __future__ import annotations

import pytest

from .conftest import printed_code, self_study_vneid

LIMIT = 30


def check(client, code: str, address: str = "10.0.0.7"):
    return client.get(f"/verify/{code}", environ_base={"REMOTE_ADDR": address})


def guess(client, count: int, address: str = "10.0.0.7") -> list[int]:
    """Check ``count`` codes that no certificate has; their status codes."""
    return [
        check(client, f"CFHJK-MN{number:03d}".replace("0", "P"), address).status_code
        for number in range(count)
    ]


@pytest.fixture
def code(app, people) -> str:
    """The code printed on a valid certificate."""
    self_study_vneid(app, people["learner_a"])
    return printed_code(app, people["learner_a"])


def test_known_codes_still_verify_and_are_never_counted(app, code):
    client = app.test_client()
    for _ in range(LIMIT + 5):
        assert check(client, code).status_code == 200
    assert guess(client, LIMIT - 1) == [404] * (LIMIT - 1)
    page = check(client, code)
    assert page.status_code == 200
    assert "Giấy chứng nhận hợp lệ" in page.get_data(as_text=True)


def test_too_many_unknown_codes_from_one_address_are_refused_kindly(app, code):
    client = app.test_client()
    assert guess(client, LIMIT) == [404] * LIMIT
    for response in (
        check(client, "CFHJK-MNPRT"),
        check(client, code),  # a hit would tell a guesser too much: paused as well
        client.get(
            "/verify",
            query_string={"code": code},
            environ_base={"REMOTE_ADDR": "10.0.0.7"},
        ),
    ):
        page = response.get_data(as_text=True)
        assert response.status_code == 429
        assert "Đã kiểm tra quá nhiều mã" in page
        assert "Vui lòng đợi 15 phút" in page
        assert "Bà Nga" not in page
    assert check(client, code, address="10.0.0.8").status_code == 200


@pytest.mark.app_config(VERIFY_MAX_PER_ADDRESS=3)
def test_the_limit_is_configurable(app, people):
    client = app.test_client()
    assert guess(client, 4) == [404, 404, 404, 429]
