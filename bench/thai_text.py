"""Thai text normalisation (NFC, invisible characters, Thai mark order, spaces) over every step
activity of the FY2567 manual.

Baseline: `unicodedata.normalize("NFC", …)` over the same texts, the first of normalize_text's
passes; the ratio is the cost of the Thai-specific passes on top of it.
"""

from __future__ import annotations

import unicodedata

from bench import environment
from bench.harness import Result, compare
from krabuan.core.thai import normalize_text


def run() -> list[Result]:
    """normalize_text over all step activities vs unicodedata NFC over them."""
    texts = [step.activity for step in environment.steps()]
    result = compare(
        "normalize_text, all step activities",
        lambda: [normalize_text(text) for text in texts],
        baseline_name='unicodedata.normalize("NFC") over the same activities',
        baseline=lambda: [unicodedata.normalize("NFC", text) for text in texts],
        info={"texts": len(texts), "characters": sum(len(text) for text in texts)},
    )
    result.info["us_per_text"] = round(result.median_ms * 1000 / max(len(texts), 1), 2)
    return [result]
