"""What the learner-import tests share: spreadsheets written in a temporary folder."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

from services.learners_import import plan_import, read_learners

from ..conftest import ROOT

SAMPLE = ROOT / "docs" / "samples" / "participants.csv"

HEADER = ["Họ và tên", "Năm sinh", "Số điện thoại", "Mã xã"]


def write_csv(path: Path, rows: list[list], bom: bool = False, sep: str = ",") -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        csv.writer(f, delimiter=sep).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def where(problems) -> list[tuple]:
    """Problems as (row, column, message) in English."""
    return [(p.row, p.column, str(p.message)) for p in problems]


def plan_of(app, path: Path, **options):
    rows, problems = read_learners(str(path))
    assert problems == []
    with app.app_context():
        return plan_import(str(path), rows, **options)
