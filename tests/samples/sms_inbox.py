"""A lesson and quiz of the SMS-inbox question type, for its unit and browser tests."""

from __future__ import annotations

from pathlib import Path

from . import write

SLUG = "tin-nhan"

LESSON = {
    "vi": """\
---
title: Tin nhắn lạ
summary: Nhận ra tin nhắn lừa đảo trong hộp tin nhắn.
minutes: 5
order: 1
sources:
  - title: "Cảnh báo trạm phát sóng giả (CafeF)"
    url: https://cafef.vn
---

## Tin giả nằm chung với tin thật

Tin giả có thể mang tên ngân hàng và nằm chung cuộc trò chuyện với tin thật.

## Ngân hàng không gửi đường link

Từ ngày 1/1/2025, ngân hàng không gửi đường link trong tin nhắn.

## Điều cần nhớ

Không bấm link, không đọc mã OTP cho ai.
""",
    "en": """\
---
title: Strange messages
summary: Spot scam messages in an inbox.
minutes: 5
order: 1
sources:
  - title: "Fake base stations warning (CafeF)"
    url: https://cafef.vn
---

## Fake messages sit with real ones

A fake message can carry the bank's name and sit in the same thread as real ones.

## Banks send no links

Since 1 January 2025 banks do not put links in text messages.

## Things to remember

Tap no link, read no OTP to anyone.
""",
}

QUIZ = {
    "vi": """\
questions:
  - id: inbox
    type: sms_inbox
    prompt: "Tin nào lừa đảo, tin nào an toàn?"
    review_step: 2
    hint: "Tên người gửi giống nhau chưa chắc là tin thật."
    messages:
      - id: balance
        sender: "Ngân hàng ABC (mẫu)"
        time: "08:15"
        text: "TK xxxx: +500.000 VND lúc 08:14. Số dư: 2.350.000 VND."
        verdict: safe
        feedback: "Tin báo số dư bình thường: không có đường link, không xin mã."
      - id: update
        sender: "09xx xxx xxx"
        time: "09:02"
        text: "VNeID của bạn sắp bị khóa. Cập nhật ngay hôm nay tại:"
        link: "vneid.gov.vn.xyz-login.top"
        verdict: scam
        flags: [urgency, lookalike]
      - id: otp
        sender: "Ngân hàng ABC (mẫu)"
        time: "10:30"
        text: "Tài khoản của quý khách bị tạm khóa. Trả lời tin này bằng mã OTP để mở khóa."
        verdict: scam
        flags: [same_thread, otp]
        feedback: "Tin này mang tên ngân hàng nhưng xin mã OTP."
    explanation: "Tin giả có thể nằm chung với tin thật. Ngân hàng không bao giờ hỏi mã OTP."
""",
    "en": """\
questions:
  - id: inbox
    type: sms_inbox
    prompt: "Which messages are scams, which are safe?"
    review_step: 2
    hint: "The same sender name does not make a message real."
    messages:
      - id: balance
        sender: "ABC Bank (sample)"
        time: "08:15"
        text: "Acct xxxx: +500,000 VND at 08:14. Balance: 2,350,000 VND."
        verdict: safe
        feedback: "An ordinary balance message: no link, no request for a code."
      - id: update
        sender: "09xx xxx xxx"
        time: "09:02"
        text: "Your VNeID will be locked. Update it today at:"
        link: "vneid.gov.vn.xyz-login.top"
        verdict: scam
        flags: [urgency, lookalike]
      - id: otp
        sender: "ABC Bank (sample)"
        time: "10:30"
        text: "Your account is on hold. Reply with the OTP to unlock it."
        verdict: scam
        flags: [same_thread, otp]
        feedback: "It carries the bank's name but asks for the OTP."
    explanation: "A fake message can sit with real ones. Banks never ask for an OTP."
""",
}


def content_files() -> dict[str, str]:
    return {
        f"lessons/{SLUG}.vi.md": LESSON["vi"],
        f"lessons/{SLUG}.en.md": LESSON["en"],
        f"quizzes/{SLUG}.vi.yaml": QUIZ["vi"],
        f"quizzes/{SLUG}.en.yaml": QUIZ["en"],
    }


def content_root(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    return write(tmp_path / "content", files or content_files())
