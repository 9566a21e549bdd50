"""A lesson and quiz of the web-address question type, for its unit and browser tests."""

from __future__ import annotations

from pathlib import Path

from . import write

SLUG = "dia-chi-web"

LESSON = {
    "vi": """\
---
title: Địa chỉ web giả
summary: Phân biệt địa chỉ trang web thật và giả.
minutes: 5
order: 1
sources:
  - title: "Cách nhận biết trang web lừa đảo (vietnam.vn)"
    url: https://vietnam.vn
---

## Đọc địa chỉ đến hết

Kẻ gian làm địa chỉ trông giống địa chỉ thật.

## Các mẹo làm giả

Thêm một chữ, đổi chữ o thành số 0, đổi chữ l thành số 1, đuôi lạ.

## Điều cần nhớ

Trang của cơ quan nhà nước có đuôi .gov.vn.
""",
    "en": """\
---
title: Fake web addresses
summary: Tell a real web address from a fake one.
minutes: 5
order: 1
sources:
  - title: "How to spot scam websites (vietnam.vn)"
    url: https://vietnam.vn
---

## Read the address to the end

Scammers make addresses that look like real ones.

## The tricks

An extra letter, 0 for o, 1 for l, an odd ending.

## Things to remember

Government sites end in .gov.vn.
""",
}

QUIZ = {
    "vi": """\
questions:
  - id: check-sites
    type: web_address
    prompt: "Địa chỉ nào là trang thật, địa chỉ nào là trang giả?"
    review_step: 2
    hint: "Đọc địa chỉ đến hết, từng chữ một."
    addresses:
      - id: real-check
        address: "chongluadao.vn"
        real: true
        feedback: "Đúng tên chongluadao.vn, trang nhận báo cáo lừa đảo."
      - id: one-for-l
        address: "chong1uadao.vn"
        trick: one_for_l
      - id: odd-ending
        address: "tinnhiemmang.top"
        trick: odd_ending
        feedback: "Trang thật là tinnhiemmang.vn."
    explanation: "chongluadao.vn là trang thật; hai địa chỉ kia chỉ trông giống trang thật."
  - id: pick-vneid
    type: web_address
    mode: pick_real
    prompt: "Địa chỉ nào là trang VNeID thật?"
    review_step: 3
    hint: "Trang của cơ quan nhà nước có đuôi .gov.vn."
    addresses:
      - id: extra
        address: "vneidd.gov.vn"
        trick: extra_letter
      - id: real
        address: "vneid.gov.vn"
        real: true
        feedback: "Đúng tên vneid, đuôi .gov.vn."
      - id: in-front
        address: "vneid.gov.vn.xyz-login.top"
        trick: name_in_front
    explanation: "Trang VNeID thật là vneid.gov.vn."
""",
    "en": """\
questions:
  - id: check-sites
    type: web_address
    prompt: "Which addresses are real, which are fake?"
    review_step: 2
    hint: "Read each address to the end, letter by letter."
    addresses:
      - id: real-check
        address: "chongluadao.vn"
        real: true
        feedback: "The right name, chongluadao.vn, where scams are reported."
      - id: one-for-l
        address: "chong1uadao.vn"
        trick: one_for_l
      - id: odd-ending
        address: "tinnhiemmang.top"
        trick: odd_ending
        feedback: "The real site is tinnhiemmang.vn."
    explanation: "chongluadao.vn is real; the other two only look like real sites."
  - id: pick-vneid
    type: web_address
    mode: pick_real
    prompt: "Which is the real VNeID site?"
    review_step: 3
    hint: "Government sites end in .gov.vn."
    addresses:
      - id: extra
        address: "vneidd.gov.vn"
        trick: extra_letter
      - id: real
        address: "vneid.gov.vn"
        real: true
        feedback: "The name vneid, ending in .gov.vn."
      - id: in-front
        address: "vneid.gov.vn.xyz-login.top"
        trick: name_in_front
    explanation: "The real VNeID site is vneid.gov.vn."
""",
}

VI = f"quizzes/{SLUG}.vi.yaml"

EN = f"quizzes/{SLUG}.en.yaml"


def content_files() -> dict[str, str]:
    return {
        f"lessons/{SLUG}.vi.md": LESSON["vi"],
        f"lessons/{SLUG}.en.md": LESSON["en"],
        VI: QUIZ["vi"],
        EN: QUIZ["en"],
    }


def content_root(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    return write(tmp_path / "content", files or content_files())
