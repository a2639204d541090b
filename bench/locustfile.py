"""Locust users of the workflow load benchmark; bench/workflow_load.py starts locust with this
file (headless, loopback only) and two environment variables:

- KRABUAN_BENCH_PLAN: the JSON plan it wrote (sessions and API tokens of the generated officers
  and the demo director, case ids, filters, steps to complete);
- KRABUAN_BENCH_PHASE: "mixed" (every endpoint by weight, 0.5–1.5 s think time, as people use
  the site; read for latency) or one endpoint key (only that endpoint, no think time; read for
  throughput).

Each request is named by its endpoint key, so the CSV rows match bench.workflow_load.ENDPOINTS.
Pages go with the session cookie, the API with `Authorization: Token …` (no CSRF needed).
"""

from __future__ import annotations

import json
import os
import random
from collections import deque
from collections.abc import Callable
from itertools import cycle
from pathlib import Path
from typing import Any

from locust import HttpUser, between, constant
from locust.exception import StopUser

PLAN: dict[str, Any] = json.loads(
    Path(os.environ["KRABUAN_BENCH_PLAN"]).read_text(encoding="utf-8")
)
PHASE = os.environ.get("KRABUAN_BENCH_PHASE", "mixed")
YEAR = PLAN["fiscal_year"]
_officers = cycle(PLAN["officers"])
# The mixed phase and the completion phase work on different open steps.
_to_complete: deque[dict[str, Any]] = deque(
    PLAN["complete"][0::2] if PHASE == "mixed" else PLAN["complete"][1::2]
)


class Staff(HttpUser):
    """An officer of an ICT group (the director's session for the "all" view of My work)."""

    wait_time = between(0.5, 1.5) if PHASE == "mixed" else constant(0)

    def on_start(self) -> None:
        me = next(_officers)
        self.page = {"Cookie": f"sessionid={me['session']}"}
        self.api = {"Authorization": f"Token {me['token']}"}
        self.director = {"Cookie": f"sessionid={PLAN['director']['session']}"}

    def read(self, name: str, path: str, headers: dict[str, str]) -> None:
        with self.client.get(path, headers=headers, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {path}")


def trivial(user: Staff) -> None:
    user.read("trivial", "/api/v1/calendar/holidays/?year=2024", user.api)


def my_work(user: Staff) -> None:
    user.read("my_work", "/work/", user.page)


def my_work_all(user: Staff) -> None:
    user.read("my_work_all", "/work/?scope=all", user.director)


def case_list(user: Staff) -> None:
    user.read("case_list", "/work/cases/" + random.choice(PLAN["case_filters"]), user.page)


def case_search(user: Staff) -> None:
    user.read("case_search", "/work/cases/" + random.choice(PLAN["case_searches"]), user.page)


def case_page(user: Staff) -> None:
    user.read("case_page", f"/work/cases/{random.choice(PLAN['case_ids'])}/", user.page)


def dashboard(user: Staff) -> None:
    user.read("dashboard", f"/work/dashboard/?fiscal_year={YEAR}", user.page)


def process_dashboard(user: Staff) -> None:
    path = f"/work/dashboard/process/{PLAN['busiest_process']}/?fiscal_year={YEAR}"
    user.read("process_dashboard", path, user.page)


def api_my_steps(user: Staff) -> None:
    user.read("api_my_steps", "/api/v1/my/steps/", user.api)


def complete(user: Staff) -> None:
    """Confirm the step's control points, complete it, and queue the case's next step."""
    if not _to_complete:
        raise StopUser
    target = _to_complete.popleft()
    base = f"/api/v1/cases/{target['case']}/steps/{target['order']}"
    for n in target["controls"]:
        with user.client.post(
            f"{base}/controls/{n}/confirm",
            json={},
            headers=user.api,
            name="confirm",
            catch_response=True,
        ) as response:
            if response.status_code == 409 and "already_confirmed" in response.text:
                response.success()
            elif response.status_code != 200:
                response.failure(f"{response.status_code} {response.text[:200]}")
    body = {"outcome": target["outcome"]} if target["outcome"] else {}
    with user.client.post(
        f"{base}/complete", json=body, headers=user.api, name="complete", catch_response=True
    ) as response:
        if response.status_code != 200:
            response.failure(f"{response.status_code} {response.text[:200]}")
            return
        steps = response.json().get("steps", [])
    following = next((s for s in steps if s.get("status") == "active"), None)
    if following is not None:
        _to_complete.append(
            {
                "case": target["case"],
                "order": following["order"],
                "controls": [c["n"] for c in following["controls"] if not c["confirmed"]],
                "outcome": following["outcomes"][0] if following["outcomes"] else "",
            }
        )


# How often each is chosen in the mixed phase: My work and case pages are what people open
# most; the dashboards are looked at now and then.
WEIGHTS: dict[Callable[[Staff], None], int] = {
    trivial: 2,
    my_work: 6,
    my_work_all: 1,
    case_list: 3,
    case_search: 1,
    case_page: 5,
    dashboard: 1,
    process_dashboard: 1,
    api_my_steps: 2,
    complete: 2,
}
_BY_NAME = {fn.__name__: fn for fn in WEIGHTS}
if PHASE == "mixed":
    Staff.tasks = WEIGHTS  # type: ignore[assignment]
elif PHASE in _BY_NAME:
    Staff.tasks = [_BY_NAME[PHASE]]  # type: ignore[assignment]
else:
    raise SystemExit(f"KRABUAN_BENCH_PHASE must be 'mixed' or one of {sorted(_BY_NAME)}")
