"""The scheduling rules, pure: no database, no app."""

from datetime import date, timedelta

from services.drills.schedule import (
    DONE,
    after_drill,
    choose_items,
    days_late,
    first_due,
    is_due,
    is_overdue,
)

PASSED = date(2026, 1, 1)
BANK = [f"drill-{n}" for n in range(1, 11)]


def day(n: int) -> date:
    return PASSED + timedelta(days=n)


def test_a_week_then_a_month_then_three_months_after_the_pass():
    assert first_due(PASSED) == day(7)
    second = after_drill(1, False, PASSED, day(7), any_wrong=False)
    assert (second.stage, second.catch_up, second.due_on) == (2, False, day(30))
    third = after_drill(2, False, PASSED, day(30), any_wrong=False)
    assert (third.stage, third.due_on) == (3, day(90))
    assert after_drill(3, False, PASSED, day(90), any_wrong=False).due_on is None
    assert after_drill(3, False, PASSED, day(90), any_wrong=False).stage == DONE


def test_a_wrong_answer_brings_the_next_drill_after_three_days():
    soon = after_drill(1, False, PASSED, day(8), any_wrong=True)
    assert (soon.stage, soon.catch_up, soon.due_on) == (1, True, day(11))
    # After the catch-up, right or wrong, the month comes as planned.
    for wrong in (False, True):
        later = after_drill(1, True, PASSED, day(11), any_wrong=wrong)
        assert (later.stage, later.catch_up, later.due_on) == (2, False, day(30))


def test_a_late_drill_leaves_at_least_three_days_before_the_next():
    late = after_drill(1, False, PASSED, day(40), any_wrong=False)
    assert late.due_on == day(43)


def test_due_and_overdue():
    assert not is_due(None, day(1)) and not is_due(day(2), day(1))
    assert is_due(day(1), day(1)) and is_due(day(1), day(5))
    assert days_late(day(1), day(9)) == 8 and days_late(day(9), day(1)) == 0
    assert not is_overdue(day(1), day(8)) and is_overdue(day(1), day(9))


def test_items_in_bank_order_never_repeating_until_the_bank_is_used_up():
    seen: list[str] = []
    served: list[str] = []
    for _ in range(2):
        choice = choose_items(BANK, seen, [])
        assert 3 <= len(choice.items) <= 5
        served += choice.items
        seen = choice.seen
    assert served == BANK[:8]
    third = choose_items(BANK, seen, [])
    # The last two of the bank, then a new round from the start.
    assert third.items == ["drill-9", "drill-10", "drill-1", "drill-2"]
    # The new round counts this drill's items as seen: none comes back too soon.
    assert third.seen == third.items


def test_items_answered_wrong_come_back_first():
    choice = choose_items(BANK, BANK[:4], ["drill-3"])
    assert choice.items == ["drill-3", "drill-5", "drill-6", "drill-7"]
    many = choose_items(BANK, BANK[:8], BANK[:7])
    assert many.items == BANK[:5]  # five at most
    gone = choose_items(BANK, [], ["drill-removed"])
    assert gone.items == BANK[:4]


def test_a_small_bank_gives_what_it_has_without_repeats():
    choice = choose_items(BANK[:3], [], [])
    assert choice.items == BANK[:3]
    assert len(set(choose_items(BANK[:5], BANK[:4], []).items)) == 4
