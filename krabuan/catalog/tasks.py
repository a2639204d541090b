"""Huey tasks of the catalog: the link checker and the nightly quality recompute.

Links are checked with HEAD, then GET when the server refuses HEAD or answers an error (many
do for HEAD only); only http/https links, never our own uploads. The result goes on the
resource (link_status: the HTTP status, 0 when unreachable) and into the dataset's quality
score; metadata_modified does not move (link health is not metadata).

The checker runs inside the ministry's network with whatever a URL names, so it never sends a
request to a loopback, private, link-local or otherwise reserved address (the first request or
any redirect): an editor's link must not make the server probe the intranet or a cloud
metadata endpoint. Such a link is left unchecked with the reason (link_status stays empty, so
the quality score does not count it as broken). Intranet data servers an agency does want
checked are listed in KRABUAN_LINKCHECK_ALLOWED_NETWORKS.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
from typing import Any

import httpx
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krabuan.catalog import guard_tasks  # noqa: F401  (the worker imports only `tasks` modules)
from krabuan.catalog.models import Dataset, Resource, State
from krabuan.catalog.quality import quality_apply

TIMEOUT = 10.0
BATCH_SIZE = 200
RECHECK_AFTER = dt.timedelta(hours=20)  # daily, with slack for a run that started late
MAX_BATCHES = 25  # per periodic run; the rest waits for the next run
USER_AGENT = "Krabuan-catalog-link-checker/1.0"


class InternalAddress(httpx.RequestError):
    """A request (or a redirect) would go to an address inside the network."""


def _resolve(host: str) -> list[str]:
    """The addresses a host name resolves to (empty when it does not resolve: the request
    then fails on its own)."""
    try:
        return [str(info[4][0]) for info in socket.getaddrinfo(host, None)]
    except (OSError, UnicodeError):
        return []


def internal_address(host: str) -> str | None:
    """The address of `host` inside the network (loopback, private, link-local, reserved,
    multicast, unspecified) that is not an allowed network, else None."""
    host = host.strip("[]")
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in _resolve(host)]
    allowed = [ipaddress.ip_network(n) for n in settings.KRABUAN_LINKCHECK_ALLOWED_NETWORKS]
    for address in addresses:
        if any(address in network for network in allowed):
            continue
        if not address.is_global or address.is_multicast:
            return str(address)
    return None


def _refuse_internal(request: httpx.Request) -> None:
    found = internal_address(request.url.host)
    if found is not None:
        raise InternalAddress(f"ไม่ตรวจลิงก์ที่ชี้ไปยังที่อยู่ภายในเครือข่าย ({found})", request=request)


def _client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    return httpx.Client(
        timeout=TIMEOUT,
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT},
        transport=transport,
        event_hooks={"request": [_refuse_internal]},  # every hop, redirects included
    )


def link_status(url: str, *, client: httpx.Client) -> tuple[int | None, str]:
    """(HTTP status, error text) of one link; (0, reason) when it cannot be reached; (None,
    reason) when it points inside the network and was not checked."""
    try:
        response = client.head(url)
        if response.status_code < 400:
            return response.status_code, ""
        with client.stream("GET", url) as streamed:  # the body is never read
            status = streamed.status_code
        return status, "" if status < 400 else f"HTTP {status}"
    except InternalAddress as exc:
        return None, str(exc)[:300]
    except httpx.HTTPError as exc:
        return 0, (f"{type(exc).__name__}: {exc}")[:300]


def due_resources(*, now: dt.datetime | None = None) -> Any:
    """Link resources of live datasets never checked or checked before RECHECK_AFTER."""
    now = now or timezone.now()
    return (
        Resource.objects.filter(state=State.ACTIVE)
        .exclude(url_type="upload")
        .exclude(dataset__state=State.DELETED)
        .filter(Q(url__istartswith="http://") | Q(url__istartswith="https://"))
        .filter(Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=now - RECHECK_AFTER))
        .order_by("link_checked_at", "pk")
    )


def check_links(
    *, batch_size: int = BATCH_SIZE, transport: httpx.BaseTransport | None = None
) -> dict[str, int]:
    """Check one batch of due links, store the results and rescore their datasets."""
    batch = list(due_resources()[:batch_size])
    broken = 0
    with _client(transport) as client:
        for resource in batch:
            status, error = link_status(resource.url, client=client)
            broken += int(status is not None and (status == 0 or status >= 400))
            Resource.objects.filter(pk=resource.pk).update(
                link_status=status, link_error=error, link_checked_at=timezone.now()
            )
    for dataset in Dataset.objects.filter(pk__in={r.dataset_id for r in batch}):
        quality_apply(dataset)
    return {"checked": len(batch), "broken": broken}


def quality_recompute(*, batch_size: int = 500) -> int:
    """Rescore every dataset that is not deleted (freshness moves with the calendar)."""
    count = 0
    for dataset in Dataset.objects.exclude(state=State.DELETED).iterator(chunk_size=batch_size):
        quality_apply(dataset)
        count += 1
    return count


@db_periodic_task(crontab(minute="23", hour="*/2"))
def link_check_periodic() -> dict[str, int]:
    total = {"checked": 0, "broken": 0}
    for _ in range(MAX_BATCHES):
        result = check_links()
        total = {k: total[k] + result[k] for k in total}
        if result["checked"] < BATCH_SIZE:
            break
    return total


@db_periodic_task(crontab(minute="41", hour="1"))
def quality_recompute_periodic() -> int:
    return quality_recompute()
