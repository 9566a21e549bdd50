"""`python -m bench [--json FILE] [--only province]`: throughput and page weight of a
lesson step page, the trainer's dashboard queries in a commune of 10,000 learners,
and the admin's province pages at 1,000,000 learners on PostgreSQL.

BENCH_SECONDS sets how long each target is measured (5 by default), after a
1-second warm-up.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from . import province as scale
from .big_commune import ANSWERS, LEARNERS, NEIGHBOUR_LEARNERS
from .client import STEP_PATH, create_learner, open_step_page
from .dashboard import dashboard_table, measure_dashboard
from .load import LoadResult, run_load
from .report import budget_lines, error_details, throughput_table, weight_table
from .servers import WORKERS, app_environment, prepare_database, running
from .weight import Resource, budgets, weigh_page

CLIENTS = 8
WARMUP = 1.0
DEFAULT_SECONDS = 5.0
BARE_PATH = "/"
# The step page should serve at least half the requests a bare Flask route does.
TARGET_RATIO = 0.5


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line: only --json."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Lesson step page against a bare Flask route, both under "
        "gunicorn; and the step page's weight against a 14 KB budget.",
    )
    parser.add_argument(
        "--json", type=Path, metavar="FILE", help="also write the numbers here"
    )
    parser.add_argument(
        "--only",
        choices=["province"],
        help="measure only this part (province: 1,000,000 learners on PostgreSQL)",
    )
    return parser.parse_args(argv)


def measure_seconds() -> float:
    """Seconds per target, from BENCH_SECONDS (5 by default)."""
    value = os.environ.get("BENCH_SECONDS", "").strip()
    if not value:
        return DEFAULT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        raise SystemExit(f"BENCH_SECONDS must be a number, not {value!r}") from None
    if not 0 < seconds <= 600:
        raise SystemExit("BENCH_SECONDS must be more than 0 and at most 600")
    return seconds


def progress(message: str) -> None:
    """Say what is happening, on stderr, so stdout holds only the report."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


def machine() -> dict[str, object]:
    """What the numbers were measured on."""
    return {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "system": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
    }


def ratio(step: LoadResult, bare: LoadResult) -> float | None:
    """Step page req/s over bare route req/s."""
    return step.per_second / bare.per_second if bare.per_second else None


def measure(seconds: float) -> tuple[list[LoadResult], list[Resource]]:
    """Set up, serve both apps, load each in turn, weigh the step page; clean up."""
    with (
        tempfile.TemporaryDirectory(prefix="hocso-bench-") as name,
        ExitStack() as stack,
    ):
        tmp = Path(name)
        env = app_environment(tmp)
        progress("creating the database and loading the demo data")
        prepare_database(env)
        progress(f"starting gunicorn ({WORKERS} sync workers) for both apps")
        bare = stack.enter_context(
            running("bare", "bench.bare:app", env, tmp, BARE_PATH)
        )
        app = stack.enter_context(
            running("app", "app:create_app()", env, tmp, "/learner/start")
        )
        cookie = open_step_page(app.port, create_learner(app.port))
        gzip_only = {"Accept-Encoding": "gzip"}
        targets = [
            ("bare Flask", bare.port, BARE_PATH, gzip_only),
            ("lesson step", app.port, STEP_PATH, {**gzip_only, "Cookie": cookie}),
        ]
        results = []
        for target, port, path, headers in targets:
            progress(f"loading {target} {path} for {WARMUP:g} + {seconds:g} s")
            results.append(
                run_load(
                    target,
                    port,
                    path,
                    headers,
                    clients=CLIENTS,
                    seconds=seconds,
                    warmup=WARMUP,
                )
            )
        progress("weighing the step page, its CSS and its JavaScript")
        return results, weigh_page(app.port, STEP_PATH, cookie)


def render(results: list[LoadResult], resources: list[Resource], seconds: float) -> str:
    """The whole report as plain text."""
    bare, step = results
    step_over_bare = ratio(step, bare)
    host = machine()
    lines = [
        f"Throughput: gunicorn, {WORKERS} sync workers per app, {CLIENTS} client "
        f"threads, {seconds:g} s per target after a {WARMUP:g} s warm-up "
        "(only 200s counted)",
        "",
        throughput_table(results),
        "",
        "ratio step/bare: "
        + (
            "-"
            if step_over_bare is None
            else f"{step_over_bare:.3f} (target at least {TARGET_RATIO}: "
            + ("met)" if step_over_bare >= TARGET_RATIO else "NOT met)")
        ),
        *error_details(results),
        "",
        f"Weight of {STEP_PATH} with its CSS and JavaScript",
        "(response bodies in bytes, headers not counted; "
        "gzip -6 = gzip.compress(raw, compresslevel=6);",
        " sent = the body the server sent when asked with Accept-Encoding: gzip)",
        "",
        weight_table(resources),
        "",
        *budget_lines(budgets(resources)),
        "",
        f"Note: measured on {host['system']}, nproc={host['nproc']}, Python "
        f"{host['python']}; the client threads share these CPUs with the servers, "
        "so numbers vary between runs (compare the ratio, not the raw req/s).",
    ]
    return "\n".join(lines)


def as_json(
    results: list[LoadResult], resources: list[Resource], seconds: float
) -> dict[str, object]:
    """The numbers, for --json."""
    bare, step = results
    step_over_bare = ratio(step, bare)
    return {
        "machine": machine(),
        "settings": {
            "workers": WORKERS,
            "worker_class": "sync",
            "clients": CLIENTS,
            "seconds": seconds,
            "warmup_seconds": WARMUP,
        },
        "throughput": [result.as_dict() for result in results],
        "ratio_step_over_bare": None
        if step_over_bare is None
        else round(step_over_bare, 4),
        "weight": {
            "page": STEP_PATH,
            "resources": [resource.as_dict() for resource in resources],
            "totals": {b.label: b.as_dict() for b in budgets(resources)},
        },
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the report, optionally write JSON."""
    args = parse_args(argv)
    if args.only == "province":
        data: dict[str, object] = {"machine": machine()}
        province_part(data)
        _write_json(args.json, data)
        return 0
    seconds = measure_seconds()
    try:
        results, resources = measure(seconds)
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        print(f"bench: failed: {error}", file=sys.stderr)
        return 1
    print(render(results, resources, seconds))
    with tempfile.TemporaryDirectory(prefix="hocso-bench-big-") as name:
        timings, counts = measure_dashboard(Path(name), progress)
    print()
    print(
        f"Dashboards at real size (SQLite): one commune of {LEARNERS:,} learners with "
        f"{ANSWERS:,} answers, and a neighbour of {NEIGHBOUR_LEARNERS:,} learners; rows "
        "in all: "
        + ", ".join(f"{n:,} {k}" for k, n in counts.items() if k != "seconds to build")
    )
    print(
        "(each measured 7 times after a warm-up; the pages as a trainer gets them, "
        "rendering included)"
    )
    print()
    print(dashboard_table(timings))
    data = as_json(results, resources, seconds)
    data["dashboard"] = {"rows": counts, "timings_ms": timings_ms(timings)}
    province_part(data)
    _write_json(args.json, data)
    return 0


def timings_ms(timings) -> dict[str, dict[str, float]]:
    return {
        t.name: {"median": round(t.median_ms, 1), "worst": round(t.worst_ms, 1)}
        for t in timings
    }


def province_part(data: dict[str, object]) -> None:
    """The province pages at 1,000,000 learners, or why they were skipped."""
    print()
    why_not = scale.postgres_answers()
    if why_not is not None:
        print(f"Province scale: skipped, PostgreSQL does not answer ({why_not}).")
        data["province"] = {"skipped": why_not}
        return
    result = scale.measure_province(progress)
    print(
        f"Province scale (PostgreSQL): {scale.PROVINCES} provinces, "
        f"{scale.COMMUNES:,} communes, {scale.LEARNERS:,} learners, built in {result.build_seconds:.0f} s; rows: "
        + ", ".join(f"{n:,} {k}" for k, n in result.counts.items())
    )
    print(
        f"(each page fetched once to warm up, then {scale.RUNS} times, by an admin from one "
        "gunicorn sync worker, rendering included)"
    )
    print()
    print(scale.province_table(result))
    data["province"] = {
        "rows": result.counts,
        "build_seconds": round(result.build_seconds, 1),
        "timings_ms": timings_ms(result.timings),
        "worker_rss_mib": None if result.rss_mib is None else round(result.rss_mib, 1),
    }


def _write_json(path: Path | None, data: dict[str, object]) -> None:
    if path:
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        progress(f"numbers written to {path}")


if __name__ == "__main__":
    sys.exit(main())
