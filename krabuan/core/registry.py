"""Live KPI sources: modules register a function from their AppConfig.ready(); the kpi app reads
them by key. Lives in core so that no module has to import the kpi app (or the other way)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class LiveValue:
    """A number from a module, with where it came from and when it was measured."""

    value: Decimal | None
    source: str  # human-readable provenance, e.g. "ระบบติดตามกระบวนงาน: C10 ปีงบประมาณ 2567"
    measured_at: dt.datetime
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LiveSource:
    key: str
    label: str  # Thai label shown when binding a KPI
    func: Callable[..., LiveValue]  # func(*, fiscal_year: int, round: str, params: dict)
    params_help: str = ""


_SOURCES: dict[str, LiveSource] = {}


def register_live_source(
    key: str, *, label: str, func: Callable[..., LiveValue], params_help: str = ""
) -> None:
    """Called by modules from AppConfig.ready(); registering the same key again replaces it."""
    _SOURCES[key] = LiveSource(key=key, label=label, func=func, params_help=params_help)


def live_sources() -> list[LiveSource]:
    return sorted(_SOURCES.values(), key=lambda s: s.key)


def live_source(key: str) -> LiveSource | None:
    return _SOURCES.get(key)
