"""The two export tables and their columns, as docs/exports.md documents them (a test
keeps the two the same). Headers and meanings are in Vietnamese: the reports go
upward, to people who read them in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass

from .people import ASSISTED, SELF_STUDY

PEOPLE, MODULES = "people", "modules"
KINDS = (PEOPLE, MODULES)
FORMATS = ("csv", "xlsx")
DOCS = "docs/exports.md"

# Column types, as docs/exports.md names them (Vietnamese, English).
INTEGER, FLAG, DECIMAL, DATE, TEXT = "integer", "flag", "decimal", "date", "text"
TYPE_NAMES = {
    INTEGER: ("số nguyên", "integer"),
    FLAG: ("1/0", "1/0"),
    DECIMAL: ("số thập phân", "decimal"),
    DATE: ("ngày", "date"),
    TEXT: ("chữ", "text"),
}
DATE_FORMAT = "DD/MM/YYYY"
DECIMAL_FORMAT = "0.0"


@dataclass(frozen=True)
class Column:
    header: str
    type: str
    width: int  # in XLSX, in characters
    meaning: str  # on the XLSX's "Giới thiệu" sheet; the same as in docs/exports.md


@dataclass(frozen=True)
class Table:
    kind: str
    title: str  # the sheet's name, and the table's in docs/exports.md
    file_word: str  # in file names, ASCII
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


_COMMUNE = (
    Column("Mã xã", TEXT, 12, "Mã chính thức của xã, phường hoặc đặc khu."),
    Column("Tên xã", TEXT, 22, "Tên xã, phường hoặc đặc khu."),
    Column("Tỉnh/thành phố", TEXT, 20, "Tỉnh hoặc thành phố trực thuộc trung ương."),
)
_MODULE = (
    Column("Mã bài", TEXT, 14, "Mã của bài học, không đổi (ví dụ: vneid)."),
    Column("Tên bài", TEXT, 30, "Tên bài học bằng tiếng Việt."),
)
NO_ATTEMPT = "trống nếu chưa làm xong lần nào."
# The drill stages, in the retention columns: 1 week, 1 month, 3 months after the pass.
RETENTION_STAGES = ((1, "1 tuần"), (2, "1 tháng"), (3, "3 tháng"))

PEOPLE_TABLE = Table(
    PEOPLE,
    "Người học",
    "nguoi-hoc",
    (
        Column(
            "Mã người học",
            INTEGER,
            10,
            "Số của người này trong HọcSố, không đổi: dùng để ghép các bảng.",
        ),
        Column("Họ và tên", TEXT, 26, "Họ và tên như khi đăng ký."),
        Column("Năm sinh", INTEGER, 9, "Năm sinh, 4 chữ số."),
        Column(
            "Vai trò",
            TEXT,
            13,
            '"Người học" hoặc "Người hỗ trợ" (người hỗ trợ cũng học và được tính).',
        ),
        *_COMMUNE,
        *_MODULE,
        Column(
            "Số bước đã xem",
            INTEGER,
            9,
            "Số bước khác nhau của bài đã xem, tự học hoặc có người hỗ trợ.",
        ),
        Column("Tổng số bước", INTEGER, 9, "Số bước của bài hiện nay."),
        Column(
            "Đã hoàn thành",
            FLAG,
            11,
            "1 nếu đã đi hết các bước của bài (ít nhất một lần), 0 nếu chưa.",
        ),
        Column(
            "Cách học",
            TEXT,
            16,
            '"Tự học" nếu đã hoàn thành bài một mình ít nhất một lần; "Có người '
            'hỗ trợ" nếu chỉ hoàn thành khi có người hỗ trợ; trống nếu chưa hoàn thành.',
        ),
        Column(
            "Ngày hoàn thành",
            DATE,
            12,
            "Ngày hoàn thành bài lần đầu, dù tự học hay có hỗ trợ (giờ Việt Nam); "
            "trống nếu chưa hoàn thành.",
        ),
        Column(
            "Từng được hỗ trợ",
            FLAG,
            11,
            "1 nếu đã có lúc học bài này (xem bước, hoàn thành hoặc làm xong bài "
            "kiểm tra) với người hỗ trợ bên cạnh, 0 nếu luôn tự học.",
        ),
        Column(
            "Số lần làm bài kiểm tra",
            INTEGER,
            11,
            "Số lần đã làm xong bài kiểm tra của bài (lần bỏ dở không tính).",
        ),
        Column(
            "Điểm lần đầu (số câu đúng)",
            INTEGER,
            12,
            "Số câu đúng ngay lần chọn đầu tiên, trong lần làm xong bài kiểm tra "
            "đầu tiên; " + NO_ATTEMPT,
        ),
        Column(
            "Điểm cao nhất (số câu đúng)",
            INTEGER,
            12,
            "Điểm của lần làm bài có tỉ lệ câu đúng cao nhất; " + NO_ATTEMPT,
        ),
        Column(
            "Số câu hỏi",
            INTEGER,
            9,
            "Số câu hỏi của lần làm bài có điểm cao nhất (thường là số câu của bài "
            "kiểm tra; nếu bài kiểm tra đã được sửa giữa các lần làm, lần đầu có thể "
            "có số câu khác); " + NO_ATTEMPT,
        ),
        Column(
            "Đạt",
            FLAG,
            7,
            "1 nếu điểm cao nhất đạt mức đạt của bài kiểm tra (ví dụ 75% số câu), "
            "0 nếu chưa.",
        ),
    ),
)

MODULES_TABLE = Table(
    MODULES,
    "Theo xã và bài",
    "theo-xa-va-bai",
    (
        *_COMMUNE,
        Column(
            "Số người đã đăng ký",
            INTEGER,
            11,
            "Số người học và người hỗ trợ đăng ký ở xã.",
        ),
        Column(
            "Số người đã học",
            INTEGER,
            10,
            "Số người trong đó đã xem ít nhất một bước hoặc làm xong một bài kiểm tra.",
        ),
        Column(
            "Có người hỗ trợ",
            INTEGER,
            10,
            "Số người đã học có ít nhất một lần học với người hỗ trợ.",
        ),
        Column(
            "Tự học",
            INTEGER,
            9,
            "Số người đã học chỉ tự học (= Số người đã học − Có người hỗ trợ).",
        ),
        *_MODULE,
        Column(
            "Số người hoàn thành",
            INTEGER,
            11,
            "Số người đã hoàn thành bài; mỗi người tính một lần.",
        ),
        Column(
            "Hoàn thành có hỗ trợ",
            INTEGER,
            11,
            "Số người chỉ hoàn thành bài khi có người hỗ trợ.",
        ),
        Column(
            "Hoàn thành tự học",
            INTEGER,
            11,
            "Số người đã hoàn thành bài một mình ít nhất một lần.",
        ),
        Column(
            "Tỉ lệ hoàn thành (%)",
            DECIMAL,
            11,
            "Số người hoàn thành ÷ Số người đã học × 100; trống nếu chưa ai học.",
        ),
        Column(
            "Số người làm bài kiểm tra",
            INTEGER,
            11,
            "Số người đã làm xong bài kiểm tra của bài ít nhất một lần.",
        ),
        Column(
            "Điểm lần đầu trung bình (%)",
            DECIMAL,
            12,
            "Trung bình, trên những người làm bài kiểm tra, của tỉ lệ câu đúng "
            "trong lần làm xong đầu tiên; trống nếu chưa ai làm.",
        ),
        Column(
            "Điểm cao nhất trung bình (%)",
            DECIMAL,
            12,
            "Trung bình của tỉ lệ câu đúng trong lần làm tốt nhất của mỗi người; "
            "trống nếu chưa ai làm.",
        ),
        Column(
            "Số người đạt",
            INTEGER,
            9,
            "Số người có điểm cao nhất đạt mức đạt của bài kiểm tra.",
        ),
        Column(
            "Tỉ lệ đạt (%)",
            DECIMAL,
            9,
            "Số người đạt ÷ Số người làm bài kiểm tra × 100; trống nếu chưa ai làm.",
        ),
        *(
            column
            for stage, when in RETENTION_STAGES
            for column in (
                Column(
                    f"Ôn tập sau {when}: số câu trả lời",
                    INTEGER,
                    11,
                    f"Số câu trả lời trong các lượt ôn tập sau {when} (không tính "
                    "lượt ôn thêm sau một câu sai).",
                ),
                Column(
                    f"Ôn tập sau {when}: đúng lần đầu (%)",
                    DECIMAL,
                    12,
                    f"Số câu trả lời đúng ngay lần đầu ÷ Số câu trả lời trong lượt ôn "
                    f"sau {when} × 100; so với Điểm lần đầu trung bình của bài kiểm "
                    "tra; trống nếu chưa ai ôn.",
                ),
            )
        ),
    ),
)

TABLES = {PEOPLE: PEOPLE_TABLE, MODULES: MODULES_TABLE}
ROLE_NAMES = {"learner": "Người học", "helper": "Người hỗ trợ"}
HOW_NAMES = {SELF_STUDY: "Tự học", ASSISTED: "Có người hỗ trợ"}
COUNTED_WHO = (
    "Người học và người hỗ trợ đăng ký ở xã. Giảng viên và quản trị viên không được "
    "tính (họ chỉ dùng thử bài học)."
)
INTRO_TITLE = "Giới thiệu"
