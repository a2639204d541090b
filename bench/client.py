"""HTTP benchmarks through django.test.Client: the whole middleware stack, URL routing, session
and authentication, view, serializer or template, as a browser or API client would hit them.

The baseline is a GET of a URL that matches no route (`/nope/`): the same client, session cookie
and middleware, answered by the 404 handler. The ratio is the work the view itself adds.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test import Client

from bench import environment
from bench.harness import Result, compare, queries_of

BASELINE_URL = "/nope/"


@contextmanager
def _quiet() -> Iterator[None]:
    """No "Not Found: /nope/" log line per baseline request (writing it would be timed too), and
    no WhiteNoise warning about the static root, which a benchmark run never collects."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
            yield
    finally:
        logger.setLevel(level)


def signed_in_client() -> Client:
    """A client holding a session of the demo reader."""
    client = Client()
    client.force_login(environment.reader())
    return client


def _get(client: Client, url: str, status: int) -> Any:
    response = client.get(url)
    if response.status_code != status:
        raise RuntimeError(f"GET {url} answered {response.status_code}, expected {status}")
    return response


def request_compare(
    name: str, url: str, *, info: dict[str, str | int | float] | None = None, repeats: int = 9
) -> Result:
    """Median time of GET `url` (must answer 200) against GET /nope/ (must answer 404)."""
    with _quiet():
        return _request_compare(name, url, info=info, repeats=repeats)


def _request_compare(
    name: str, url: str, *, info: dict[str, str | int | float] | None, repeats: int
) -> Result:
    client = signed_in_client()
    response = _get(client, url, 200)
    _get(client, BASELINE_URL, 404)
    return compare(
        name,
        lambda: _get(client, url, 200),
        baseline_name=f"GET {BASELINE_URL} (404) with the same signed-in client",
        baseline=lambda: _get(client, BASELINE_URL, 404),
        repeats=repeats,
        info={
            "queries": queries_of(lambda: _get(client, url, 200)),
            "baseline_queries": queries_of(lambda: _get(client, BASELINE_URL, 404)),
            "bytes": len(response.content),
            **(info or {}),
        },
    )
