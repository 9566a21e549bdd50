"""The helper's due list: one entry (and one "Start helping" button) per learner."""

from types import SimpleNamespace

from views.helpers import by_person


def test_a_learner_due_for_two_modules_is_one_visit_kept_in_waiting_order():
    rows = [
        SimpleNamespace(person_id=7, lesson="vneid"),
        SimpleNamespace(person_id=3, lesson="vneid"),
        SimpleNamespace(person_id=7, lesson="qr-payment"),
    ]
    groups = by_person(rows)
    assert [[r.lesson for r in g] for g in groups] == [
        ["vneid", "qr-payment"],
        ["vneid"],
    ]
    assert [g[0].person_id for g in groups] == [7, 3]
