"""Spreadsheets built to stall a server, as the tests of the import limits use them.

Each is small on disk; read naively, each would take seconds and hundreds of MB.
"""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

HEADER = ["province_code", "province_name", "commune_code", "commune_name"]
ROW = ["01", "Tỉnh Thử", "00004", "Phường Một"]
SHARED_STRINGS = "xl/sharedStrings.xml"


def workbook(*cells: tuple[str, object]) -> bytes:
    """An XLSX with a header, one good row and ``cells`` (address, value)."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(ROW)
    for address, value in cells:
        sheet[address] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """``data`` (an XLSX) with its part ``name`` replaced by ``content``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for part in source.infolist():
            if part.filename != name:
                target.writestr(part, source.read(part))
        target.writestr(name, content)
    return out.getvalue()


def zip_bomb() -> bytes:
    """About 63 KB: one shared string of 60 MiB, used by a cell."""
    huge = b"A" * (60 * 1024 * 1024)
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>" + huge + b"</t></si></sst>"
    )
    return with_part(workbook(), SHARED_STRINGS, strings)


def huge_dimension() -> bytes:
    """A cell at XFD1048576, the very last one a sheet can have."""
    return workbook(("XFD1048576", "x"))


def entity_bomb() -> bytes:
    """sharedStrings.xml with nested entities ("billion laughs")."""
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (level, b"&lol%d;" % (level - 1) * 10)
        for level in range(1, 10)
    )
    strings = (
        b'<?xml version="1.0"?><!DOCTYPE sst [' + entities + b"]>"
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>&lol9;</t></si></sst>"
    )
    return with_part(workbook(("A3", "x")), SHARED_STRINGS, strings)


# What each is refused with: (on the command line, on the web).
REFUSED = {
    "zip_bomb": (
        "unzips to 60 MB (xl/sharedStrings.xml alone is 60 MB); at most 10 MB per "
        "part and 20 MB in all can be read",
        "giải nén ra 60 MB (riêng xl/sharedStrings.xml là 60 MB); chỉ đọc được tối "
        "đa 10 MB mỗi phần và 20 MB tổng cộng",
    ),
    "huge_dimension": (
        "the sheet says it spans 1048576 rows and 16384 columns; a file may have at "
        "most 100000 rows and 1024 columns",
        "trang tính tự ghi là có 1048576 dòng và 16384 cột; một tệp chỉ được có tối "
        "đa 100000 dòng và 1024 cột",
    ),
    "entity_bomb": (
        "xl/sharedStrings.xml declares a DTD or entities, which a workbook never "
        "needs; save the file again from Excel or LibreOffice",
        "xl/sharedStrings.xml khai báo DTD hoặc thực thể (entity), điều mà bảng tính "
        "không bao giờ cần; hãy lưu lại tệp từ Excel hoặc LibreOffice",
    ),
}

HOSTILE = {
    "zip_bomb": zip_bomb,
    "huge_dimension": huge_dimension,
    "entity_bomb": entity_bomb,
}
