"""English translation: a user's language preference switches the UI; the catalogue is complete."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.translation.reloader import translation_file_changed

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """The .mo is not committed: compile it when it is missing or older than the .po."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        # compilemessages walks the working directory for locale dirs; walk only the project.
        with contextlib.chdir(settings.BASE_DIR):
            call_command(
                "compilemessages",
                locale=["en"],
                ignore_patterns=[".venv", ".tools", "var", "node_modules", ".git"],
                verbosity=0,
            )
        # Django caches catalogues per process; drop them so the fresh .mo is read.
        translation_file_changed(sender=None, file_path=MO)


@pytest.fixture
def fy2567(demo_org):
    # By command name: core may not import the manual app (import-linter layers).
    call_command("load_manual", "--year", "2567", stdout=io.StringIO())


def _signed_in_with_language(client, user, language: str):
    """Sign in and choose the language on the preferences page, as a user would."""
    client.force_login(user)
    response = client.post(
        "/org/preferences/", {"language": language, "notify_in_app": "on", "notify_email": "on"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preference.language == language


def test_an_english_user_sees_the_process_list_in_english(client, officer, fy2567):
    _signed_in_with_language(client, officer, "en")

    response = client.get("/manual/?fiscal_year=2567")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "<title>Process manual Fiscal year 2567 · Krabuan</title>" in html
    assert ">Process manual</a>" in html  # the navigation bar
    assert ">Improvement summary</a>" in html
    assert ">Working-day calendar</a>" in html
    assert ">Sign out</button>" in html
    assert "22 processes found" in html
    assert "Core process" in html
    assert "Support process" in html
    assert "Create the whole manual (DOCX)" in html
    assert ">คู่มือกระบวนงาน</a>" not in html
    assert "ออกจากระบบ" not in html
    # Data stays as written: process names are Thai records, not interface text.
    assert "ระบบเครือข่าย" in html


def test_a_thai_user_sees_the_process_list_in_thai(client, officer, fy2567):
    _signed_in_with_language(client, officer, "th")

    response = client.get("/manual/?fiscal_year=2567")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th">' in html
    assert ">คู่มือกระบวนงาน</a>" in html
    assert ">ออกจากระบบ</button>" in html
    assert "พบ 22 กระบวนงาน" in html
    assert "กระบวนงานหลัก" in html
    assert "Process manual" not in html
    assert "Sign out" not in html


def test_an_english_user_sees_the_preferences_page_in_english(client, officer):
    _signed_in_with_language(client, officer, "en")

    response = client.get("/org/preferences/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Preferences · Krabuan</title>" in html
    assert ">Process manual</a>" in html
    assert "Notification channels" in html
    assert "Save preferences" in html
    assert "Change password" in html
    assert "Officer — " in html  # the role name from Role.choices
    assert "การตั้งค่าส่วนตัว" not in html


def test_a_thai_user_sees_the_preferences_page_in_thai(client, officer):
    _signed_in_with_language(client, officer, "th")

    response = client.get("/org/preferences/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>การตั้งค่าส่วนตัว · Krabuan</title>" in html
    assert "ช่องทางการแจ้งเตือน" in html
    assert "เจ้าหน้าที่ — " in html
    assert "Preferences" not in html


def test_a_user_without_a_preference_row_sees_thai(client, officer):
    client.force_login(officer)

    html = client.get("/org/preferences/").content.decode()

    assert '<html lang="th">' in html
    assert ">คู่มือกระบวนงาน</a>" in html
    assert "Process manual" not in html


def test_switching_back_to_thai_takes_effect_on_the_next_page(client, officer):
    _signed_in_with_language(client, officer, "en")
    assert "Save preferences" in client.get("/org/preferences/").content.decode()

    _signed_in_with_language(client, officer, "th")

    html = client.get("/org/preferences/").content.decode()
    assert "บันทึกการตั้งค่า" in html
    assert "Save preferences" not in html


def _entries(text: str) -> list[dict[str, str]]:
    """The PO file's entries (header excluded) with their flags and joined msgid/msgstr (the
    singular form of a plural entry)."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry = {"flags": "", "msgid": "", "msgstr": ""}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line[2:]
            elif line.startswith("#"):
                continue
            elif match := re.match(r'(msgid|msgstr)(?:\[0\])?\s+"(.*)"$', line):
                key = match.group(1)
                entry[key] = match.group(2)
            elif re.match(r"(msgid_plural|msgstr\[[1-9]\])\s", line):
                key = None  # the plural forms: the singular stands for the entry
            elif key and line.startswith('"'):
                entry[key] += line[1:-1]
        if entry["msgid"]:
            entries.append(entry)
    return entries


def test_every_message_has_an_english_translation_and_none_is_fuzzy():
    entries = _entries(PO.read_text(encoding="utf-8"))

    assert len(entries) > 400
    assert [e["msgid"] for e in entries if not e["msgstr"]] == []
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    # No Thai left in an English string, except examples of Thai input the parsers accept.
    thai = re.compile(r"[\u0E00-\u0E7F]")
    thai_on_purpose = {e["msgid"] for e in entries if thai.search(e["msgstr"])}
    assert thai_on_purpose == {
        "เช่น ๑ วัน, ๑-๒ วัน, ๔๕ วันทำการ, ๕ นาที/เรื่อง, ๑ ครั้ง/เดือน, ไม่ระบุ",
        "เช่น ระบบเครือข่าย หรือ ๑๐",
        "เช่น 13/05/2569 หรือ ๑๓ พ.ค. ๒๕๖๙",
        "แสดงตัวเลขเป็นเลขไทย (๐ ๑ ๒ …)",
        "เช่น C01-2567-00001 หรือ ๐๐๐๐๑",
        "พิมพ์เลขไทยหรือเลขอารบิกก็ได้ เช่น ๙๘.๕ หรือ 98.5",
        "พิมพ์เลขไทยหรือเลขอารบิกก็ได้ เช่น ๒๕๖๗ หรือ 2567",
        "เว้นว่าง = ตอนนี้; รับ 10/04/2568 หรือ 2025-04-10 หรือ ๑๐ เม.ย. ๒๕๖๘",
        # The suffix a schedule writes into case titles is Thai whatever the reader's language.
        "ระบบจะต่อท้ายด้วยเดือน/ปีของรอบ เช่น (เม.ย. 2567)",
    }


def test_msgfmt_accepts_the_catalogue_with_placeholders_matching():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ translated messages\.\n", result.stderr), result.stderr


def test_thai_is_the_default_whatever_the_browser_asks(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "th"
    assert '<html lang="th">' in response.content.decode()


def test_the_language_switch_on_the_sign_in_page_turns_on_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get(response["Location"])
    assert '<html lang="en">' in page.content.decode()
