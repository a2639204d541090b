"""Download views of the printed manual: who may download, content types, file names, 404s."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from krabuan.manual.tests.document_data import PROCESS_NAME, full_process, improvement_entries
from krabuan.manual.tests.factories import ManualFactory
from krabuan.manual.views.documents import DOCX, PDF, SVG, XLSX
from krabuan.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _process_urls(process_id: int) -> list[str]:
    return [
        reverse(f"manual:{name}", args=[process_id])
        for name in ("process_docx", "process_pdf", "process_flowchart")
    ]


def _year_urls(year: int) -> list[str]:
    return [
        reverse(f"manual:{name}", args=[year])
        for name in ("manual_docx", "manual_pdf", "improvements_docx", "improvements_xlsx")
    ]


def _body(response) -> bytes:
    return response.content


def test_anonymous_visitors_are_sent_to_sign_in(client):
    process = full_process()

    for url in [*_process_urls(process.pk), *_year_urls(2567)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(f"{reverse('login')}?next=")


def test_accounts_without_a_role_are_refused(client):
    process = full_process()
    client.force_login(UserFactory(username="norole"))

    for url in [*_process_urls(process.pk), *_year_urls(2567)]:
        assert client.get(url).status_code == 403, url


def test_unknown_process_and_fiscal_year_answer_404(client, officer):
    ManualFactory()
    client.force_login(officer)

    for url in [*_process_urls(999_999), *_year_urls(2599)]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("manual:manual_docx", args=[2567]) + "?unit=nope").status_code == 404


def test_process_docx_download(client, officer):
    process = full_process()
    client.force_login(officer)

    response = client.get(reverse("manual:process_docx", args=[process.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    filename = quote(f"กระบวนงาน-{process.code}-2567.docx")
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{filename}"
    document = Document(io.BytesIO(_body(response)))
    assert f"กระบวนงานหลักที่ ๑ : {PROCESS_NAME}" in [p.text for p in document.paragraphs]


def test_process_pdf_download(client, officer):
    process = full_process()
    client.force_login(officer)

    response = client.get(reverse("manual:process_pdf", args=[process.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert _body(response).startswith(b"%PDF-")


def test_flowchart_is_shown_inline_with_a_strict_content_policy(client, auditor):
    process = full_process()
    client.force_login(auditor)

    response = client.get(reverse("manual:process_flowchart", args=[process.pk]))
    saved = client.get(reverse("manual:process_flowchart", args=[process.pk]) + "?download=1")

    assert response.status_code == 200
    assert response["Content-Type"] == SVG
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert _body(response).startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
    assert saved["Content-Disposition"].startswith("attachment;")


def test_whole_manual_docx_and_pdf_downloads(client, director):
    process = full_process()
    client.force_login(director)

    docx_response = client.get(reverse("manual:manual_docx", args=[2567]))
    pdf_response = client.get(reverse("manual:manual_pdf", args=[2567]))

    assert docx_response["Content-Type"] == DOCX
    assert docx_response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('คู่มือกระบวนงาน-2567.docx')}"
    )
    text = [p.text for p in Document(io.BytesIO(_body(docx_response))).paragraphs]
    assert f"กระบวนงานหลักที่ ๑ : {process.name}" in text
    assert pdf_response["Content-Type"] == PDF
    assert _body(pdf_response).startswith(b"%PDF-")


def test_whole_manual_docx_queries_do_not_grow_with_the_processes(client, officer):
    manual = full_process().manual
    client.force_login(officer)
    url = reverse("manual:manual_docx", args=[2567])
    client.get(url)  # warm the session and the user's roles

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    full_process(number=2, name="การจัดหาระบบคอมพิวเตอร์", manual=manual)
    full_process(number=3, name="การพัฒนาระบบสารสนเทศ", manual=manual)
    with CaptureQueriesContext(connection) as three:
        client.get(url)

    assert len(three.captured_queries) == len(one.captured_queries)


def test_improvement_summary_downloads(client, group_head):
    manual = full_process().manual
    improvement_entries(manual)
    client.force_login(group_head)

    xlsx = client.get(reverse("manual:improvements_xlsx", args=[2567]))
    docx = client.get(reverse("manual:improvements_docx", args=[2567]))

    assert xlsx["Content-Type"] == XLSX
    assert xlsx["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('สรุปการปรับปรุงกระบวนงาน-2567.xlsx')}"
    )
    sheet = load_workbook(io.BytesIO(_body(xlsx))).active
    assert [sheet["A6"].value, sheet["A7"].value] == [
        "๑. การพัฒนาระบบสารสนเทศ",
        "๒. การคุ้มครองข้อมูลส่วนบุคคล ของ สป.กษ.",
    ]
    assert docx["Content-Type"] == DOCX
    table = Document(io.BytesIO(_body(docx))).tables[0]
    assert table.rows[2].cells[0].text == "๑. การพัฒนาระบบสารสนเทศ"


def test_posting_a_whole_manual_export_queues_a_job_with_progress(
    client, officer, django_capture_on_commit_callbacks
):
    from krabuan.core.models import Job, JobStatus
    from krabuan.manual.tests.factories import ManualFactory, ProcessFactory, StepFactory

    manual = ManualFactory(fiscal_year=2567)
    StepFactory(process=ProcessFactory(manual=manual, number=1, code="C01"), order=1)
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("manual:manual_docx", args=[2567]))

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.status == JobStatus.DONE
    assert job.progress == 100
    assert job.requested_by == officer
    page = client.get(response["Location"])
    assert "ดาวน์โหลด" in page.content.decode()
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert b"".join(download.streaming_content)[:2] == b"PK"
