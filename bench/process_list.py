"""The process list API of a fiscal year (the registry every client loads first)."""

from __future__ import annotations

from bench import environment
from bench.client import request_compare
from bench.harness import Result
from krabuan.manual.models import Process


def run() -> list[Result]:
    """GET /api/v1/processes/?fiscal_year=2567 against a 404 request."""
    count = Process.objects.filter(manual__fiscal_year=environment.FISCAL_YEAR).count()
    return [
        request_compare(
            "GET /api/v1/processes/?fiscal_year=2567",
            f"/api/v1/processes/?fiscal_year={environment.FISCAL_YEAR}",
            info={"processes": count},
        )
    ]
