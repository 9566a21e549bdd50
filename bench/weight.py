"""Page weight: the step page's HTML, CSS and JavaScript, raw and gzipped."""

from __future__ import annotations

import gzip
from dataclasses import dataclass

from .client import Reply, asset_urls, fetch, local_path

BUDGET = 14 * 1024
GZIP_LEVEL = 6


@dataclass
class Resource:
    """One response body: raw, gzipped here, and as the server sent it for gzip."""

    kind: str
    path: str
    raw: int
    gzipped: int
    sent: int
    sent_encoding: str

    def as_dict(self) -> dict[str, object]:
        """The numbers, for JSON."""
        return {
            "kind": self.kind,
            "path": self.path,
            "raw_bytes": self.raw,
            "gzip6_bytes": self.gzipped,
            "sent_bytes": self.sent,
            "sent_encoding": self.sent_encoding,
        }


@dataclass
class Budget:
    """A total against the 14 KB budget."""

    label: str
    total: int

    @property
    def percent(self) -> float:
        """How much of the budget the total uses."""
        return 100 * self.total / BUDGET

    @property
    def verdict(self) -> str:
        """'within budget' or 'OVER budget'."""
        return "within budget" if self.total <= BUDGET else "OVER budget"

    def as_dict(self) -> dict[str, object]:
        """The numbers, for JSON."""
        return {
            "total_bytes": self.total,
            "budget_bytes": BUDGET,
            "percent": round(self.percent, 1),
            "verdict": self.verdict,
        }


def _checked(reply: Reply, path: str) -> Reply:
    if reply.status != 200:
        raise RuntimeError(f"GET {path} answered {reply.status}")
    return reply


def weigh(port: int, kind: str, path: str, cookie: str | None) -> Resource:
    """Fetch `path` twice: uncompressed (to gzip here) and as sent for gzip."""
    base = {"Cookie": cookie} if cookie else {}
    raw = _checked(fetch(port, path, {**base, "Accept-Encoding": "identity"}), path)
    sent = _checked(fetch(port, path, {**base, "Accept-Encoding": "gzip"}), path)
    return Resource(
        kind=kind,
        path=path,
        raw=len(raw.body),
        gzipped=len(gzip.compress(raw.body, compresslevel=GZIP_LEVEL)),
        sent=len(sent.body),
        sent_encoding=sent.headers.get("Content-Encoding", "none"),
    )


def weigh_page(port: int, path: str, cookie: str) -> list[Resource]:
    """The page itself, then every stylesheet and script it links to."""
    page = _checked(fetch(port, path, {"Cookie": cookie}), path)
    html = page.body.decode("utf-8", errors="replace")
    resources = [weigh(port, "HTML", path, cookie)]
    for kind, url in asset_urls(html):
        resources.append(weigh(port, kind, local_path(url), cookie=None))
    return resources


def budgets(resources: list[Resource]) -> list[Budget]:
    """The gzip -6 total and the as-sent total, each against the budget."""
    return [
        Budget("gzip -6", sum(r.gzipped for r in resources)),
        Budget("as sent", sum(r.sent for r in resources)),
    ]
