"""The phone_call type's content check: every mistake named with its file and line."""

from __future__ import annotations

import pytest

from tests.samples.phone_call import (
    CALL_EN,
    CALL_VI,
    call_files,
)

from ..samples import line, messages, write

ORPHAN_TURN = """\
      - id: orphan
        says: "Alô?"
        replies:
          - text: "Ai đấy?"
            next: hung-up
            safe: true
            feedback: "Hỏi lại là tốt."
          - text: "Vâng."
            next: lost-money
            feedback: "Đừng làm theo người lạ."
    endings:
"""


LOOP_TURN = """\
      - id: loop
        says: "Bác nghe rõ không?"
        replies:
          - text: "Ông nói lại đi."
            next: loop
            feedback: "Đừng nói chuyện tiếp."
          - text: "Vâng, tôi nghe."
            next: loop
            feedback: "Đừng nói chuyện tiếp."
    endings:
"""


@pytest.mark.parametrize(
    ("changes", "where", "expected"),
    [
        (
            [("next: lost-money", "next: lost-monye")],
            ("next: lost-monye", 1),
            "reply a of turn 'transfer' has 'next: lost-monye', but there is no turn"
            " or ending with that id",
        ),
        (
            [("    endings:\n", ORPHAN_TURN)],
            ("- id: orphan", 1),
            "turn 'orphan' is never reached: no reply on the way from the first"
            " turn has 'next: orphan'",
        ),
        (
            [("next: lost-money", "next: hung-up")],
            ("- id: lost-money", 1),
            "ending 'lost-money' is never reached",
        ),
        (
            [
                ("    endings:\n", LOOP_TURN),
                (
                    'next: transfer\n            feedback: "Đừng',
                    'next: loop\n            feedback: "Đừng',
                ),
            ],
            ("- id: loop", 1),
            "turn 'loop' never reaches an ending: its replies go round in a loop",
        ),
        (
            [("        safe: false\n", "        safe: true\n")],
            ("endings:", 1),
            "the call needs an ending with 'safe: false' (the call ends with money lost)",
        ),
        (
            [
                (
                    "      - id: hung-up\n        safe: true",
                    "      - id: hung-up\n        safe: false",
                )
            ],
            ("endings:", 1),
            "the call needs an ending with 'safe: true' (the call ends safely)",
        ),
        (
            [("      - id: secret", "      - id: start")],
            ("      - id: start", 2),
            f"id 'start' is used twice (first on line {line(CALL_VI, '- id: start')})",
        ),
        (
            [("      - id: lost-money", "      - id: transfer")],
            ("      - id: transfer", 2),
            f"id 'transfer' is used twice (first on line {line(CALL_VI, '- id: transfer')})",
        ),
        (
            [
                (
                    "            next: lost-money\n            feedback",
                    "            next: lost-money\n            safe: true\n            feedback",
                )
            ],
            ("next: lost-money", 1),
            "reply a of turn 'transfer' has 'safe: true' but leads to the ending"
            " 'lost-money', which has 'safe: false'",
        ),
        (
            [('        says: "Bác phải', '        said: "Bác phải')],
            ("said:", 1),
            "unknown field 'said'",
        ),
        (
            [('        says: "Bác phải', '        said: "Bác phải')],
            ("- id: secret", 1),
            "turn 'secret' has no 'says'",
        ),
        (
            [('            feedback: "Kể cho', '            feedbak: "Kể cho')],
            ("Tôi cúp máy và gọi cho con", 1),
            "reply b of turn 'secret' has no 'feedback'",
        ),
        (
            [('    caller: "Số lạ 09xx xxx xxx"\n', "")],
            ("- id: fake-police", 1),
            "question 1 has no 'caller'",
        ),
        (
            [('    prompt: "Một số lạ gọi đến. Bạn trả lời thế nào?"\n', "")],
            ("- id: fake-police", 1),
            "the question has no 'prompt'",
        ),
        (
            [("        safe: false\n", "")],
            ("- id: lost-money", 1),
            "ending 2 has no 'safe' (write 'safe: true' or 'safe: false')",
        ),
        (
            [('        title: "Bạn đã mất tiền"\n', "")],
            ("- id: lost-money", 1),
            "ending 2 has no 'title'",
        ),
        (
            [("      - id: transfer", "      - id: chuyển tiền")],
            ("- id: chuyển tiền", 1),
            "turn id 'chuyển tiền' may only use letters, digits, '-' and '_'",
        ),
        (
            [
                (
                    '          - text: "Vâng, tôi không kể với ai."\n'
                    "            next: transfer\n"
                    '            feedback: "Bắt giữ bí mật là dấu hiệu lừa đảo."\n',
                    "",
                )
            ],
            ("replies:", 2),
            "'replies' needs at least 2 entries (found 1)",
        ),
        (
            [
                (
                    '          - text: "Tôi cúp máy và gọi cho con tôi."\n',
                    '          - text: "Tôi cúp máy."\n'
                    "            next: hung-up\n"
                    "            safe: true\n"
                    '            feedback: "Tốt."\n'
                    '          - text: "Tôi hỏi ngân hàng."\n'
                    "            next: hung-up\n"
                    "            safe: true\n"
                    '            feedback: "Tốt."\n'
                    '          - text: "Tôi cúp máy và gọi cho con tôi."\n',
                )
            ],
            ("replies:", 2),
            "turn 'secret' has 4 replies: give at most 3 (the buttons must fit on a"
            " phone screen)",
        ),
    ],
)
def test_each_mistake_names_its_file_and_line(tmp_path, changes, where, expected):
    broken = CALL_VI
    for old, new in changes:
        assert old in broken, "the test's fixture changed"
        broken = broken.replace(old, new, 1)
    expected_line = line(broken, *where)
    found = messages(write(tmp_path, call_files(vi=broken)))
    wanted = f"quizzes/otp.vi.yaml:{expected_line}: {expected}"
    assert any(m.startswith(wanted) for m in found), (wanted, found)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # Another way through the call.
        (
            '            next: transfer\n            feedback: "Do not',
            '            next: secret\n            feedback: "Do not',
        ),
        # A reply that is safe in Vietnamese but not in English.
        (
            '            safe: true\n            feedback: "Right',
            '            feedback: "Right',
        ),
    ],
)
def test_a_different_dialogue_in_english_is_a_mismatch(tmp_path, old, new):
    assert old in CALL_EN
    english = CALL_EN.replace(old, new, 1)
    found = messages(write(tmp_path, call_files(en=english)))
    assert found == [
        f"quizzes/otp.en.yaml:{line(CALL_EN, '- id: fake-police')}: question"
        " 'fake-police' must have the same type, options, right answer and review_step"
        " as in quizzes/otp.vi.yaml"
    ]
