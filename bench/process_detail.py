"""One whole process, the one with the most steps: as JSON from the API and as the HTML page
(which also draws the flowchart SVG)."""

from __future__ import annotations

from bench import environment
from bench.client import request_compare
from bench.harness import Result


def run() -> list[Result]:
    """GET the largest process from the API and as the page, each against a 404 request."""
    process = environment.largest_process()
    info: dict[str, str | int | float] = {
        "process": process.code,
        "steps": process.steps.count(),
    }
    return [
        request_compare(
            "GET /api/v1/processes/<largest>/", f"/api/v1/processes/{process.pk}/", info=info
        ),
        request_compare(
            "GET /manual/processes/<largest>/ (HTML)", f"/manual/processes/{process.pk}/", info=info
        ),
    ]
