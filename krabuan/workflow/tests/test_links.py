from __future__ import annotations

import pytest

from krabuan.core.errors import PermissionDenied
from krabuan.core.models import AuditEntry
from krabuan.org.models import Unit
from krabuan.workflow.models import CaseLink
from krabuan.workflow.services.cases import case_start
from krabuan.workflow.services.links import case_link_add, cases_linked_to
from krabuan.workflow.tests.conftest import process


def test_a_record_is_linked_once_and_found_again(fy2567, worker):
    case = case_start(process=process(fy2567, "C10"), title="ขอใช้ Wi-Fi", actor=worker)
    record = Unit.objects.get(code="finance")  # any model works: the relation is generic

    first = case_link_add(case=case, target=record, actor=worker)
    second = case_link_add(case=case, target=record, actor=worker)

    assert first == second
    assert list(cases_linked_to(record)) == [case]
    assert AuditEntry.objects.filter(action="case.link").count() == 1


def test_an_auditor_cannot_link(fy2567, worker, auditor):
    case = case_start(process=process(fy2567, "C10"), title="ขอใช้ Wi-Fi", actor=worker)
    with pytest.raises(PermissionDenied):
        case_link_add(case=case, target=Unit.objects.get(code="finance"), actor=auditor)
    assert CaseLink.objects.count() == 0
