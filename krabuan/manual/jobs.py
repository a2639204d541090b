"""Whole-manual exports run as background jobs: 22 processes take seconds to lay out, so the
page queues a job and shows its progress instead of holding the request."""

from __future__ import annotations

from typing import Any

from krabuan.core.jobs import JobResult, Progress, job_create, register
from krabuan.core.models import Job
from krabuan.manual import selectors
from krabuan.manual.models import Manual

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
FORMATS = {"docx": DOCX, "pdf": PDF}


def manual_export_queue(*, manual: Manual, fmt: str, user: Any) -> Job:
    """Queue the export of a whole manual as DOCX or PDF."""
    return job_create(
        kind=f"manual_{fmt}",
        title=f"คู่มือกระบวนงานทั้งเล่ม ปีงบประมาณ {manual.fiscal_year} ({fmt.upper()})",
        params={"manual_id": manual.pk},
        user=user,
    )


def _export(job: Job, progress: Progress, fmt: str) -> JobResult:
    # Imported here: the document libraries are heavy and only the worker needs them.
    from krabuan.manual.documents import docx as word
    from krabuan.manual.documents import pdf
    from krabuan.manual.services.improvements import improvement_summary

    manual = Manual.objects.get(pk=job.params["manual_id"])
    progress(10, "กำลังรวบรวมข้อมูลกระบวนงาน")
    processes = list(selectors.manual_processes_full(manual=manual))
    improvements = improvement_summary(manual=manual)
    progress(30, f"กำลังจัดหน้าเอกสาร {len(processes)} กระบวนงาน")
    render = word.manual_docx if fmt == "docx" else pdf.manual_pdf
    content = render(manual=manual, processes=processes, improvements=improvements)
    progress(95, "กำลังบันทึกไฟล์")
    return JobResult(f"คู่มือกระบวนงาน-{manual.fiscal_year}.{fmt}", content, FORMATS[fmt])


@register("manual_docx")
def manual_docx_job(job: Job, progress: Progress) -> JobResult:
    return _export(job, progress, "docx")


@register("manual_pdf")
def manual_pdf_job(job: Job, progress: Progress) -> JobResult:
    return _export(job, progress, "pdf")
