from __future__ import annotations

from django.core.management import call_command

from krabuan.workflow.models import Case, CaseStatus, StepInstance
from krabuan.workflow.selectors import process_kpi


def test_demo_cases_are_worked_through_the_services_once(fy2567):
    call_command("load_demo_cases")
    call_command("load_demo_cases")

    assert Case.objects.count() == 66
    assert Case.objects.filter(status=CaseStatus.DONE).count() == 44
    assert Case.objects.filter(status=CaseStatus.OPEN).count() == 22
    assert not StepInstance.objects.filter(status="done", completed_at__isnull=True).exists()
    kpi = process_kpi(process=fy2567.processes.get(code="C01"), fiscal_year=2567)
    assert kpi["steps_completed"] > 0
    assert 0 < kpi["steps_on_time"] <= kpi["steps_completed"]
