"""A lesson and quiz of the phone-call question type, for its unit and browser tests."""

from __future__ import annotations

from . import good_files

CALL_VI = """\
questions:
  - id: fake-police
    type: phone_call
    prompt: "Một số lạ gọi đến. Bạn trả lời thế nào?"
    caller: "Số lạ 09xx xxx xxx"
    review_step: 2
    turns:
      - id: start
        says: "Tôi là cán bộ công an. Số của bác liên quan đến một vụ rửa tiền."
        replies:
          - text: "Trời ơi, tôi phải làm gì?"
            next: secret
            feedback: "Người gọi làm bạn sợ để bạn làm theo."
          - text: "Tôi sẽ tự đến công an xã."
            next: hung-up
            safe: true
            feedback: "Công an mời làm việc bằng giấy mời, không gọi điện."
          - text: "Ông cần gì ở tôi?"
            next: transfer
            feedback: "Đừng nói chuyện tiếp với người lạ xưng là công an."
      - id: secret
        says: "Bác phải giữ bí mật, không được kể với ai, nếu không sẽ bị đi tù."
        replies:
          - text: "Vâng, tôi không kể với ai."
            next: transfer
            feedback: "Bắt giữ bí mật là dấu hiệu lừa đảo."
          - text: "Tôi cúp máy và gọi cho con tôi."
            next: hung-up
            safe: true
            feedback: "Kể cho người thân là cách tốt nhất để không bị lừa."
      - id: transfer
        says: "Bác chuyển tiền vào tài khoản này để chứng minh mình vô tội."
        replies:
          - text: "Vâng, tôi chuyển ngay."
            next: lost-money
            feedback: "Công an không bao giờ gọi điện bắt chuyển tiền."
          - text: "Công an không bắt chuyển tiền qua điện thoại. Tôi cúp máy."
            next: hung-up
            safe: true
            feedback: "Đúng vậy: đây là kẻ lừa đảo."
    endings:
      - id: hung-up
        safe: true
        title: "Bạn đã an toàn"
        text: "Bạn cúp máy, không mất gì. Hãy báo công an xã, phường hoặc gọi 156."
      - id: lost-money
        safe: false
        title: "Bạn đã mất tiền"
        text: "Kẻ gian giả làm công an, bắt giữ bí mật rồi bảo chuyển tiền."
    explanation: "Công an không gọi điện bắt chuyển tiền hay giữ bí mật. Hãy cúp máy."
"""

CALL_EN = """\
questions:
  - id: fake-police
    type: phone_call
    prompt: "A stranger calls. How do you answer?"
    caller: "Unknown number 09xx xxx xxx"
    review_step: 2
    turns:
      - id: start
        says: "I am a police officer. Your number is linked to a money-laundering case."
        replies:
          - text: "Oh no, what must I do?"
            next: secret
            feedback: "The caller frightens you so that you obey."
          - text: "I will go to the commune police myself."
            next: hung-up
            safe: true
            feedback: "The police invite you in writing; they do not phone."
          - text: "What do you want from me?"
            next: transfer
            feedback: "Do not keep talking to a stranger who says he is the police."
      - id: secret
        says: "Keep this secret, tell nobody, or you will go to prison."
        replies:
          - text: "Yes, I will tell nobody."
            next: transfer
            feedback: "Being told to keep it secret is a sign of a scam."
          - text: "I hang up and call my son."
            next: hung-up
            safe: true
            feedback: "Telling your family is the best way not to be tricked."
      - id: transfer
        says: "Transfer your money to this account to prove you are innocent."
        replies:
          - text: "Yes, I will transfer it now."
            next: lost-money
            feedback: "The police never phone to make you transfer money."
          - text: "The police never ask for money on the phone. I hang up."
            next: hung-up
            safe: true
            feedback: "Right: this is a scammer."
    endings:
      - id: hung-up
        safe: true
        title: "You are safe"
        text: "You hung up and lost nothing. Tell the commune police or call 156."
      - id: lost-money
        safe: false
        title: "You lost your money"
        text: "The scammer played a police officer, made you keep it secret, then asked for money."
    explanation: "The police never phone to ask for money or secrecy. Hang up."
"""

WRONG_PATH = ["start:a", "secret:a", "transfer:a"]

LONG_SAFE_PATH = ["start:a", "secret:a", "transfer:b"]


def call_files(vi: str = CALL_VI, en: str = CALL_EN) -> dict[str, str]:
    return good_files() | {"quizzes/otp.vi.yaml": vi, "quizzes/otp.en.yaml": en}
