"""The step-duration parser over every duration text of the FY2567 manual.

Baseline: `str.strip` over the same texts, the least any reader of the text does. The ratio says
how many "strips" one structured parse costs; it matters for the editor's live preview and for
loading a manual, both of which parse every text.
"""

from __future__ import annotations

from collections import Counter

from bench import environment
from bench.harness import Result, compare
from krabuan.manual.durations import parse_duration


def run() -> list[Result]:
    """parse_duration over all step duration texts vs str.strip over them."""
    texts = [step.duration_text for step in environment.steps()]
    statuses = Counter(parse_duration(text).status for text in texts)
    result = compare(
        "parse_duration, all step durations",
        lambda: [parse_duration(text) for text in texts],
        baseline_name="str.strip over the same duration texts",
        baseline=lambda: [text.strip() for text in texts],
        info={"texts": len(texts), **{f"status_{k}": v for k, v in sorted(statuses.items())}},
    )
    per_text_us = result.median_ms * 1000 / max(len(texts), 1)
    result.info["us_per_text"] = round(per_text_us, 2)
    return [result]
