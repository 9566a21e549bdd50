"""A lesson and quiz of the ordering question type, for its unit and browser tests."""

from __future__ import annotations

from . import good_files

ORDER_VI = """\
questions:
  - id: vneid-activation
    type: ordering
    prompt: "Xếp các bước kích hoạt VNeID theo đúng thứ tự."
    review_step: 2
    steps:
      - id: id-and-phone
        text: "Nhập số định danh cá nhân và số điện thoại"
      - id: send-request
        text: "Bấm “Gửi yêu cầu”"
      - id: otp
        text: "Tự tay gõ mã OTP trong tin nhắn"
      - id: password
        text: "Tạo mật khẩu"
      - id: passcode
        text: "Tạo passcode 6 chữ số"
    explanation: "Nhập số, gửi yêu cầu, gõ mã OTP, rồi tạo mật khẩu và passcode."
"""

ORDER_EN = """\
questions:
  - id: vneid-activation
    type: ordering
    prompt: "Put the steps of activating VNeID in order."
    review_step: 2
    steps:
      - id: id-and-phone
        text: "Enter your ID number and phone number"
      - id: send-request
        text: "Press “Gửi yêu cầu”"
      - id: otp
        text: "Type the OTP from the text message yourself"
      - id: password
        text: "Create a password"
      - id: passcode
        text: "Create a 6-digit passcode"
    explanation: "Enter the numbers, send the request, type the OTP, then create a password and a passcode."
"""

RIGHT = ["id-and-phone", "send-request", "otp", "password", "passcode"]


def order_files(vi: str = ORDER_VI, en: str = ORDER_EN) -> dict[str, str]:
    return good_files() | {"quizzes/otp.vi.yaml": vi, "quizzes/otp.en.yaml": en}
