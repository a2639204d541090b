"""Builders shared by the breach tests: people of the privacy team, the manual's process 16 alone,
a reported breach, the answer to a public form's question, and reading PDFs."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pythainlp.util import thaiword_to_num

from krabuan.manual.services.loading import FIXTURES_DIR, manual_fixture_load
from krabuan.org.models import Membership, Role, Unit
from krabuan.org.tests.factories import UserFactory
from krabuan.privacy.models import GroupRole, WorkingGroupMember
from krabuan.privacy.services.breaches import breach_report

FACTORS_HIGH = {
    "breach_type": "confidentiality",
    "data_nature": "identifying",
    "subject_status": "general",
    "harm_severity": "significant",
    "wide_impact": "limited",
    "storage_security": "standard",
    "controller_status": "public_agency",
}
FACTORS_RISK = {**FACTORS_HIGH, "data_nature": "general", "harm_severity": "limited"}
FACTORS_NONE = {
    **FACTORS_HIGH,
    "data_nature": "minimal",
    "harm_severity": "unlikely",
    "storage_security": "strong",
}


def person(username: str, role: str, *, unit_code: str = "ict", first_name: str = "ทดสอบ") -> Any:
    user: Any = UserFactory(username=username, first_name=first_name, last_name=username)
    unit = Unit.objects.get(code=unit_code)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def dpo_user() -> Any:
    return person("t-dpo", Role.DPO, first_name="สมหญิง")


def team_member(username: str = "t-team") -> Any:
    """An officer who is a member of the privacy working group."""
    user: Any = person(username, Role.OFFICER, unit_code="ict-data")
    WorkingGroupMember.objects.create(
        user=user,
        unit=Unit.objects.get(code="ict-data"),
        role=GroupRole.MEMBER,
        appointed_on=dt.date(2025, 10, 1),
    )
    return user


def load_breach_process(tmp_path: Path) -> Any:
    """The FY2567 manual with only process 16 (C16), loaded from the real fixtures."""
    directory = tmp_path / "fy2567-c16"
    directory.mkdir()
    shutil.copy(FIXTURES_DIR / "fy2567" / "manual.json", directory / "manual.json")
    shutil.copy(FIXTURES_DIR / "fy2567" / "C16.json", directory / "C16.json")
    return manual_fixture_load(directory=directory).manual.processes.get(code="C16")


def report(actor: Any, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "channel": "internal",
        "title": "อีเมลรายชื่อเกษตรกรส่งผิดผู้รับ",
        "aware_at": dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
        "description": "ส่งไฟล์รายชื่อพร้อมเลขประจำตัวประชาชนไปยังผู้รับภายนอกโดยผิดพลาด",
        "data_types": ["ชื่อ-นามสกุล", "เลขประจำตัวประชาชน"],
        "subjects_count": 120,
        "records_count": 120,
    }
    values.update(overrides)
    return breach_report(actor=actor, **values)


_QUESTION = re.compile(r"^(.+?) (บวก|ลบ|คูณ) (.+?) เท่ากับเท่าใด")


def solve(question: str) -> str:
    """The answer to the public form's arithmetic question, as a person would work it out."""
    match = _QUESTION.match(question)
    assert match, question
    a, b = thaiword_to_num(match[1]), thaiword_to_num(match[3])
    return str({"บวก": a + b, "ลบ": a - b, "คูณ": a * b}[match[2]])


# Thai marks above and below the line: WeasyPrint's text layer maps some shaped glyphs to
# neighbouring code points, so PDF text is compared on the letters that carry the line.
_MARKS = re.compile("[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e\u0e32]")


def skeleton(text: str) -> str:
    return _MARKS.sub("", "".join(text.split()))


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
