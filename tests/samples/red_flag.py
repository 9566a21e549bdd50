"""A lesson and quiz of the red-flag question type, for its unit and browser tests."""

from __future__ import annotations

from pathlib import Path

from . import good_files

ROOT = Path(__file__).resolve().parents[2]
SVG = (ROOT / "lessons" / "images" / "red-flag-bank-sms.svg").read_text(
    encoding="utf-8"
)

QUIZ = {
    "vi": """\
questions:
  - id: bank-sms
    type: red_flag
    prompt: "Tin nhắn này có gì đáng ngờ?"
    image: images/red-flag-bank-sms.svg
    description: "Tin nhắn mang tên “Ngân hàng ABC (mẫu)”: “Tài khoản của quý khách sẽ bị KHÓA trong 24 giờ nếu không xác minh. Xác minh VNeID ngay tại: vneid.gov.vn.xyz-login.top. Sau đó trả lời tin nhắn này bằng mã OTP vừa nhận để hoàn tất.”"
    review_step: 2
    regions:
      - id: sender
        label: "Tên người gửi “Ngân hàng ABC (mẫu)”"
        rect: [44, 96, 216, 32]
        flag: false
        feedback: "Tên người gửi không chứng minh được gì: kẻ gian gửi được tin mang tên ngân hàng."
      - id: urgent
        label: "Câu “sẽ bị KHÓA trong 24 giờ”"
        rect: [28, 178, 244, 76]
        flag: true
        feedback: "Dọa khóa tài khoản là để bạn vội làm theo."
      - id: link
        label: "Đường link trong tin nhắn"
        rect: [28, 264, 244, 54]
        flag: true
        feedback: "Ngân hàng không gửi đường link trong tin nhắn; trang thật của VNeID là vneid.gov.vn."
      - id: otp
        label: "Lời nhắn trả lời bằng mã OTP"
        rect: [28, 326, 244, 76]
        flag: true
        feedback: "Ngân hàng không bao giờ hỏi mã OTP."
    empty_feedback: "Chỗ này không có gì đáng ngờ. Hãy đọc kỹ từng dòng của tin nhắn."
    explanation: "Có ba dấu hiệu lừa đảo: dọa khóa tài khoản, đường link lạ và đòi mã OTP."
""",
    "en": """\
questions:
  - id: bank-sms
    type: red_flag
    prompt: "What is suspicious about this message?"
    image: images/red-flag-bank-sms.svg
    description: "A message named “Ngân hàng ABC (mẫu)” (bank ABC, sample): “Your account will be LOCKED in 24 hours unless you verify. Verify VNeID now at: vneid.gov.vn.xyz-login.top. Then reply to this message with the OTP you receive.”"
    review_step: 2
    regions:
      - id: sender
        label: "The sender's name “Ngân hàng ABC (mẫu)”"
        rect: [44, 96, 216, 32]
        flag: false
        feedback: "The sender's name proves nothing: scammers can send messages under a bank's name."
      - id: urgent
        label: "The words “will be LOCKED in 24 hours”"
        rect: [28, 178, 244, 76]
        flag: true
        feedback: "The threat to lock your account is there to rush you."
      - id: link
        label: "The link in the message"
        rect: [28, 264, 244, 54]
        flag: true
        feedback: "Banks do not send links in messages; VNeID's real site is vneid.gov.vn."
      - id: otp
        label: "Reply with the OTP"
        rect: [28, 326, 244, 76]
        flag: true
        feedback: "Banks never ask for an OTP."
    empty_feedback: "Nothing suspicious there. Read each line of the message carefully."
    explanation: "Three red flags: the threat to lock the account, the strange link and the request for the OTP."
""",
}


def files(vi: str = QUIZ["vi"], en: str = QUIZ["en"]) -> dict[str, str]:
    return good_files() | {
        "lessons/images/red-flag-bank-sms.svg": SVG,
        "quizzes/otp.vi.yaml": vi,
        "quizzes/otp.en.yaml": en,
    }
