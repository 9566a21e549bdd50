"""`python -m bench.communes`: the commune picker's search at 3,300 and 10,000 units.

Each size is imported into a fresh database built by the migrations: SQLite in a
temporary folder, and PostgreSQL at 127.0.0.1:5432 in a database of its own, dropped
afterwards (skipped, saying so, when it does not answer). Each search runs 21 times
after a warm-up; the median and the worst are printed. A search is a count and a
page of at most 30 communes with their provinces.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from .report import table

SIZES = (3_300, 10_000)
PROVINCES = 34
RUNS = 21
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SYLLABLES = "An Bình Cẩm Đông Gia Hòa Hưng Kim Long Minh Nam Ngọc Phú Quang Sơn Tân"


def official_list(units: int) -> list[tuple[str, str, str, str]]:
    """Rows of a synthetic official list: PROVINCES provinces, ``units`` units."""
    words = SYLLABLES.split()
    rows = []
    for number in range(units):
        first = words[(number // PROVINCES) % len(words)]
        second = words[(number // PROVINCES // len(words)) % len(words)]
        name = f"{('Xã', 'Phường')[number % 3 == 0]} {first} {second} {number:05}"
        province = number % PROVINCES
        rows.append((f"{province:02}", f"Tỉnh {province:02}", f"{number:05}", name))
    return rows


def searches(province_id: int) -> dict[str, tuple[int | None, str]]:
    return {
        "province + 'nam'": (province_id, "nam"),
        "province + 'phuong an'": (province_id, "phuong an"),
        "province, no letters": (province_id, ""),
        "no province + 'binh nam'": (None, "binh nam"),
    }


def measure(url: str, units: int, label: str) -> list[list[str]]:
    os.environ["DATABASE_URL"] = url
    from flask_migrate import upgrade
    from sqlalchemy import select

    from app import create_app
    from models import Province, db
    from services import communes
    from services.communes_import import CommuneRow, import_communes

    app = create_app()
    rows = []
    with app.app_context():
        upgrade()
        began = time.perf_counter()
        import_communes(
            [
                CommuneRow("bench", n + 2, *row)
                for n, row in enumerate(official_list(units))
            ]
        )
        db.session.commit()
        built = time.perf_counter() - began
        province_id = db.session.scalar(select(Province.id).limit(1))
        for name, (province, letters) in searches(province_id).items():
            communes.search(province, letters)  # warm-up
            times = []
            for _ in range(RUNS):
                began = time.perf_counter()
                found = communes.search(province, letters)
                times.append((time.perf_counter() - began) * 1000)
            rows.append(
                [
                    f"{name} ({units:,} communes, {label})",
                    f"{found.count:,}",
                    f"{statistics.median(times):.2f}",
                    f"{max(times):.2f}",
                ]
            )
        rows.append(
            [f"import ({units:,} communes, {label})", "", f"{built * 1000:.0f}", ""]
        )
        db.session.remove()
        db.engine.dispose()
    return rows


def postgres_database(name: str):
    """A new PostgreSQL database ``name`` (its URL), or None when none answers."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    try:
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        print(
            f"bench: PostgreSQL does not answer ({error.orig}); skipped",
            file=sys.stderr,
        )
        return None, None
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", admin


def main() -> None:
    rows = []
    for units in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'communes.db'}"
            rows += measure(url, units, "SQLite")
        name = f"hocso_bench_communes_{os.getpid()}"
        url, admin = postgres_database(name)
        if url is not None:
            try:
                rows += measure(url, units, "PostgreSQL")
            finally:
                from sqlalchemy import text

                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                admin.dispose()
    print(table(["search", "found", "median ms", "worst ms"], rows))


if __name__ == "__main__":
    main()
