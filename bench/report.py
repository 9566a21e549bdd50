"""Plain-text tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence

from .load import LoadResult
from .weight import BUDGET, Budget, Resource


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Align columns: the first to the left, the others (numbers) to the right."""
    widths = [
        max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))
    ]

    def line(cells: Sequence[str]) -> str:
        first = str(cells[0]).ljust(widths[0])
        rest = [str(c).rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def throughput_table(results: Sequence[LoadResult]) -> str:
    """Requests, errors, req/s and latencies per target."""
    rows = [
        [
            f"{r.target}  {r.path}",
            f"{r.requests:,}",
            f"{r.error_count:,}",
            f"{r.per_second:,.1f}",
            _ms(r.median_ms),
            _ms(r.p95_ms),
        ]
        for r in results
    ]
    headers = ["target", "requests", "errors", "req/s", "median ms", "p95 ms"]
    return table(headers, rows)


def error_details(results: Sequence[LoadResult]) -> list[str]:
    """One line per target that had errors, saying which."""
    return [
        f"errors on {r.target}: "
        + ", ".join(f"{kind} × {n}" for kind, n in r.errors.most_common())
        for r in results
        if r.errors
    ]


def weight_table(resources: Sequence[Resource]) -> str:
    """Raw, gzip -6 and as-sent bytes per resource, and the totals."""
    rows = [
        [
            f"{r.kind:<4}  {r.path}",
            f"{r.raw:,}",
            f"{r.gzipped:,}",
            f"{r.sent:,}",
            r.sent_encoding,
        ]
        for r in resources
    ]
    rows.append(
        [
            "total",
            f"{sum(r.raw for r in resources):,}",
            f"{sum(r.gzipped for r in resources):,}",
            f"{sum(r.sent for r in resources):,}",
            "",
        ]
    )
    headers = ["resource", "raw B", "gzip -6 B", "sent B", "sent encoding"]
    return table(headers, rows)


def budget_lines(totals: Sequence[Budget]) -> list[str]:
    """Each total against the 14 KB budget, with the share used."""
    return [
        f"{b.label:<8} total {b.total:>7,} B of {BUDGET:,} B (14 KB): "
        f"{b.percent:5.1f} % used, {b.verdict}"
        for b in totals
    ]
