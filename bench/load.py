"""The load generator: client threads hitting one URL for a fixed time."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

HOST = "127.0.0.1"
TIMEOUT = 10.0
ERROR_PAUSE = 0.01


@dataclass
class Tally:
    """What one client thread saw inside the measured window."""

    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)


@dataclass
class LoadResult:
    """Requests answered 200 (with their latencies) and errors, for one target."""

    target: str
    path: str
    seconds: float
    latencies: list[float]
    errors: Counter[str]

    @property
    def requests(self) -> int:
        """Requests answered 200 within the measured window."""
        return len(self.latencies)

    @property
    def error_count(self) -> int:
        """Other statuses and connection failures within the measured window."""
        return sum(self.errors.values())

    @property
    def per_second(self) -> float:
        """Requests answered 200 per second."""
        return self.requests / self.seconds

    @property
    def median_ms(self) -> float | None:
        """Median latency of the 200 responses, in milliseconds."""
        return statistics.median(self.latencies) * 1000 if self.latencies else None

    @property
    def p95_ms(self) -> float | None:
        """95th percentile latency of the 200 responses, in milliseconds."""
        if len(self.latencies) < 2:
            return self.median_ms
        return statistics.quantiles(self.latencies, n=20)[18] * 1000

    def as_dict(self) -> dict[str, object]:
        """The numbers, for JSON."""
        return {
            "target": self.target,
            "path": self.path,
            "seconds": self.seconds,
            "requests": self.requests,
            "errors": self.error_count,
            "error_kinds": dict(self.errors),
            "requests_per_second": round(self.per_second, 1),
            "median_ms": _rounded(self.median_ms),
            "p95_ms": _rounded(self.p95_ms),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def client_loop(
    port: int, path: str, headers: dict[str, str], window: tuple[float, float]
) -> Tally:
    """Request `path` again and again until the window ends; tally what lands in it.

    gunicorn's sync workers close every connection, so the connection is opened
    again whenever the server closed it or it failed.
    """
    start, end = window
    tally = Tally()
    connection: http.client.HTTPConnection | None = None
    while time.monotonic() < end:
        if connection is None:
            connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        began = time.monotonic()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            outcome = "200" if response.status == 200 else f"HTTP {response.status}"
            if response.will_close:
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as error:
            outcome = type(error).__name__
            connection.close()
            connection = None
        finished = time.monotonic()
        if start <= finished <= end:
            if outcome == "200":
                tally.latencies.append(finished - began)
            else:
                tally.errors[outcome] += 1
        if outcome != "200":
            time.sleep(ERROR_PAUSE)
    if connection is not None:
        connection.close()
    return tally


def run_load(
    target: str,
    port: int,
    path: str,
    headers: dict[str, str],
    *,
    clients: int,
    seconds: float,
    warmup: float,
) -> LoadResult:
    """Run `clients` threads for `warmup` + `seconds`; count only the last `seconds`."""
    now = time.monotonic()
    window = (now + warmup, now + warmup + seconds)
    tallies: list[Tally] = []
    lock = threading.Lock()

    def work() -> None:
        tally = client_loop(port, path, headers, window)
        with lock:
            tallies.append(tally)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, window[1] - time.monotonic()) + TIMEOUT + 1)
    if len(tallies) < clients:
        raise RuntimeError(f"{clients - len(tallies)} client thread(s) did not finish")
    latencies = [latency for tally in tallies for latency in tally.latencies]
    errors: Counter[str] = Counter()
    for tally in tallies:
        errors.update(tally.errors)
    return LoadResult(target, path, seconds, latencies, errors)
