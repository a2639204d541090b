"""Timing shared by the benchmarks: one Result shape, interleaved median-of-N timing, the report.

An operation and its baseline are timed in alternating rounds, so that a slower moment of the
machine (another process, frequency scaling) hits both and the ratio stays put. Each round runs
the callable enough times to last about TARGET_ROUND_SECONDS, because perf_counter cannot time a
single microsecond call honestly; the per-call time is the round's time divided by that count.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

TARGET_ROUND_SECONDS = 0.05
DEFAULT_REPEATS = 9

Info = dict[str, str | int | float]


@dataclass(frozen=True)
class Result:
    name: str
    median_ms: float
    baseline: str
    baseline_ms: float
    repeats: int
    number: int  # calls of the operation per timed round
    baseline_number: int
    samples_ms: list[float] = field(default_factory=list)
    baseline_samples_ms: list[float] = field(default_factory=list)
    info: Info = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """Operation time over baseline time; None if the baseline was too fast to time."""
        return self.median_ms / self.baseline_ms if self.baseline_ms > 0 else None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "median_ms": self.median_ms,
            "baseline": self.baseline,
            "baseline_ms": self.baseline_ms,
            "ratio": self.ratio,
            "repeats": self.repeats,
            "number": self.number,
            "baseline_number": self.baseline_number,
            "samples_ms": self.samples_ms,
            "baseline_samples_ms": self.baseline_samples_ms,
            "info": self.info,
        }


def _round(fn: Callable[[], object], number: int) -> float:
    """Seconds per call over one round of `number` calls."""
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def _calls_per_round(fn: Callable[[], object]) -> int:
    """How many calls make a round of about TARGET_ROUND_SECONDS (one warm-up call is timed)."""
    single = _round(fn, 1)
    if single >= TARGET_ROUND_SECONDS:
        return 1
    # A second, batched estimate: the first call of a cold path is slower than the rest.
    trial = max(1, min(1000, int(TARGET_ROUND_SECONDS / max(single, 1e-7) / 10)))
    single = _round(fn, trial)
    return max(1, math.ceil(TARGET_ROUND_SECONDS / max(single, 1e-9)))


def compare(
    name: str,
    op: Callable[[], object],
    *,
    baseline_name: str,
    baseline: Callable[[], object],
    repeats: int = DEFAULT_REPEATS,
    warmup: int = 1,
    info: Info | None = None,
) -> Result:
    """Time `op` and `baseline` in alternating rounds; medians in milliseconds per call."""
    for _ in range(warmup):
        op()
        baseline()
    number = _calls_per_round(op)
    baseline_number = _calls_per_round(baseline)
    gc.collect()
    op_times: list[float] = []
    base_times: list[float] = []
    for _ in range(repeats):
        base_times.append(_round(baseline, baseline_number) * 1000)
        op_times.append(_round(op, number) * 1000)
    return Result(
        name=name,
        median_ms=statistics.median(op_times),
        baseline=baseline_name,
        baseline_ms=statistics.median(base_times),
        repeats=repeats,
        number=number,
        baseline_number=baseline_number,
        samples_ms=op_times,
        baseline_samples_ms=base_times,
        info=dict(info or {}),
    )


def queries_of(fn: Callable[[], object]) -> int:
    """Number of SQL queries one call of `fn` runs (measured outside the timed rounds)."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def _ms(value: float) -> str:
    return f"{value:.4g}" if value < 1000 else f"{value:.0f}"


def _ratio(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3g}" if value < 1000 else f"{value:.0f}"


def _info(info: Info) -> str:
    return ", ".join(f"{key}={value}" for key, value in info.items())


def table(results: Sequence[Result]) -> str:
    """The plain-text report: one line per benchmark, then the baselines by number."""
    headers = ("#", "benchmark", "median ms", "baseline ms", "ratio", "info")
    rows = [
        (str(i), r.name, _ms(r.median_ms), _ms(r.baseline_ms), _ratio(r.ratio), _info(r.info))
        for i, r in enumerate(results, 1)
    ]
    widths = [
        max(len(h), *(len(row[c]) for row in rows)) if rows else len(h)
        for c, h in enumerate(headers)
    ]
    right = {0, 2, 3, 4}

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(row) for row in rows]
    out.append("")
    out.append("baselines:")
    out += [f"{i:>3}  {r.baseline}" for i, r in enumerate(results, 1)]
    return "\n".join(out)
