"""A lesson and quiz of the QR-payment question type, for its unit and browser tests."""

from __future__ import annotations

from . import GOOD_LESSON_EN, GOOD_LESSON_VI

SLUG = "pay"

QUIZ_VI = """\
questions:
  - id: swapped-sticker
    type: qr_payment
    prompt: "Trả tiền cơm bằng mã QR"
    situation: "Bạn ăn cơm ở quán Cô A, hết 45.000 đồng. Cô A dặn: tài khoản của quán tên NGUYEN THI A. Bạn quét mã QR dán ở quầy."
    review_step: 2
    price: 45000
    sticker:
      shop: "Quán cơm Cô A (mẫu)"
      bin: "999999"
      account: "0009876543"
    screen:
      bank: "Ngân hàng ABC (mẫu)"
      name: "TRAN VAN B"
    answer: refuse
    feedback: "Chưa đúng. Hãy đọc tên trên màn hình của bạn: TRAN VAN B không phải tên Cô A dặn. Mã QR này có thể đã bị dán đè."
    reason: "Không chuyển: tên người nhận trên màn hình khác tên chủ quán."
    explanation: "Mã QR chỉ chứa số tài khoản, không chứa tên. Hãy xem tên và số tiền trên màn hình của bạn, không tin tấm dán. Nếu ứng dụng ngân hàng cảnh báo, hãy dừng lại."
  - id: wrong-amount
    type: qr_payment
    prompt: "Trả tiền rau bằng mã QR"
    situation: "Bạn mua rau ở sạp Cô C, hết 35.000 đồng. Cô C đưa bạn mã QR đã có sẵn số tiền; tài khoản của cô tên LE THI C."
    review_step: 2
    price: 35000
    sticker:
      shop: "Sạp rau Cô C (mẫu)"
      bin: "999999"
      account: "0001234567"
      amount: 350000
      message: "tien rau"
    screen:
      bank: "Ngân hàng ABC (mẫu)"
      name: "LE THI C"
    answer: refuse
    feedback: "Chưa đúng. Hãy nhìn số tiền trên màn hình: 350.000 đ, gấp mười lần 35.000 đ bạn cần trả."
    reason: "Không chuyển: màn hình ghi 350.000 đ, không phải 35.000 đ. Hãy nhờ Cô C làm lại mã."
    explanation: "Luôn so số tiền trên màn hình với số tiền cần trả trước khi bấm xác nhận."
  - id: genuine
    type: qr_payment
    prompt: "Trả tiền cơm lần nữa"
    situation: "Hôm sau bạn lại ăn ở quán Cô A, hết 45.000 đồng. Cô A đã dán lại mã của quán và dặn: tài khoản tên NGUYEN THI A."
    review_step: 2
    price: 45000
    sticker:
      shop: "Quán cơm Cô A (mẫu)"
      bin: "999999"
      account: "0001112223"
    screen:
      bank: "Ngân hàng ABC (mẫu)"
      name: "NGUYEN THI A"
    answer: confirm
    feedback: "Chưa đúng. Lần này tên NGUYEN THI A đúng tên Cô A dặn, số tiền đúng 45.000 đ: bạn có thể chuyển."
    reason: "Xác nhận chuyển: tên trên màn hình đúng tên chủ quán, số tiền đúng 45.000 đ."
    explanation: "Khi tên và số tiền trên màn hình của bạn đều đúng, bạn có thể yên tâm chuyển tiền."
"""

QUIZ_EN = """\
questions:
  - id: swapped-sticker
    type: qr_payment
    prompt: "Paying for a meal by QR code"
    situation: "You eat at Cô A's rice stall; the bill is 45,000 đồng. Cô A says her account is in the name NGUYEN THI A. You scan the QR code on the counter."
    review_step: 2
    price: 45000
    sticker:
      shop: "Cô A's rice stall (sample)"
      bin: "999999"
      account: "0009876543"
    screen:
      bank: "ABC Bank (sample)"
      name: "TRAN VAN B"
    answer: refuse
    feedback: "Not quite. Read the name on your screen: TRAN VAN B is not the name Cô A gave you. Someone may have stuck their own code over hers."
    reason: "Don't transfer: the name on your screen is not the stall owner's."
    explanation: "A QR code holds only the account number, not a name. Check the name and amount on your own screen, not the sticker. If your banking app warns you, stop."
  - id: wrong-amount
    type: qr_payment
    prompt: "Paying for vegetables by QR code"
    situation: "You buy vegetables from Cô C for 35,000 đồng. She shows you a QR code with the amount already in it; her account is in the name LE THI C."
    review_step: 2
    price: 35000
    sticker:
      shop: "Cô C's vegetables (sample)"
      bin: "999999"
      account: "0001234567"
      amount: 350000
      message: "tien rau"
    screen:
      bank: "ABC Bank (sample)"
      name: "LE THI C"
    answer: refuse
    feedback: "Not quite. Look at the amount on your screen: 350.000 đ, ten times the 35,000 đồng you owe."
    reason: "Don't transfer: your screen says 350.000 đ, not 35.000 đ. Ask Cô C to make the code again."
    explanation: "Always compare the amount on your screen with what you owe before you confirm."
  - id: genuine
    type: qr_payment
    prompt: "Paying for a meal again"
    situation: "The next day you eat at Cô A's stall again; the bill is 45,000 đồng. Cô A has put her own code back and says the account name is NGUYEN THI A."
    review_step: 2
    price: 45000
    sticker:
      shop: "Cô A's rice stall (sample)"
      bin: "999999"
      account: "0001112223"
    screen:
      bank: "ABC Bank (sample)"
      name: "NGUYEN THI A"
    answer: confirm
    feedback: "Not quite. This time the name NGUYEN THI A is the one Cô A gave you and the amount is right: you can send it."
    reason: "Confirm transfer: the name on your screen is the owner's and the amount is 45.000 đ."
    explanation: "When the name and the amount on your own screen are both right, you can send the money."
"""


def qr_files() -> dict[str, str]:
    """A small lesson (2 steps, vi and en) whose quiz is three QR payments."""
    return {
        f"lessons/{SLUG}.vi.md": GOOD_LESSON_VI,
        f"lessons/{SLUG}.en.md": GOOD_LESSON_EN,
        "lessons/images/phone.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        f"quizzes/{SLUG}.vi.yaml": QUIZ_VI,
        f"quizzes/{SLUG}.en.yaml": QUIZ_EN,
    }
