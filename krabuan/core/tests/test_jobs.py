from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from krabuan.core import jobs
from krabuan.core.errors import ApplicationError, NotFound
from krabuan.core.models import Job, JobStatus


def UserFactory(username: str = "someone"):
    return get_user_model().objects.create_user(username=username)


@jobs.register("test_echo")
def _echo(job, progress):
    progress(50, "ครึ่งทาง")
    assert Job.objects.get(pk=job.pk).progress == 50
    return jobs.JobResult("echo.txt", job.params["text"].encode(), "text/plain")


@jobs.register("test_fail")
def _fail(job, progress):
    raise RuntimeError("แฟ้มเสีย")


def test_job_runs_on_the_queue_after_commit_and_keeps_its_result(
    db, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_create(kind="test_echo", title="ทดสอบ", params={"text": "สวัสดี"}, user=user)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.progress == 100
    assert job.result_name == "echo.txt"
    assert job.result_file.read() == "สวัสดี".encode()


def test_failed_job_records_the_error(db, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_create(kind="test_fail", title="ทดสอบ", params={}, user=user)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "แฟ้มเสีย"


def test_a_job_runs_only_once(db, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_create(kind="test_echo", title="ทดสอบ", params={"text": "a"}, user=user)
    finished_at = Job.objects.get(pk=job.pk).finished_at
    jobs.job_run(job_id=job.pk)
    assert Job.objects.get(pk=job.pk).finished_at == finished_at


def test_unknown_kind_is_refused(db):
    with pytest.raises(ApplicationError):
        jobs.job_create(kind="nope", title="x", params={}, user=UserFactory())
    assert Job.objects.count() == 0


def test_only_the_requester_sees_a_job(db, client, django_capture_on_commit_callbacks):
    owner, other = UserFactory(username="owner"), UserFactory(username="other")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_create(kind="test_echo", title="ทดสอบ", params={"text": "x"}, user=owner)
    with pytest.raises(NotFound):
        jobs.job_get_for_user(user=other, job_id=job.pk)

    client.force_login(other)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    client.force_login(owner)
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    assert "ดาวน์โหลด" in page.content.decode()
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"x"
