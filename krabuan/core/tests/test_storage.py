from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from krabuan.core.storage import thai_valid_name


def test_thai_file_names_keep_their_vowels_and_tone_marks():
    assert thai_valid_name("เบิกจ่าย กันยายน.pdf") == "เบิกจ่าย_กันยายน.pdf"
    assert thai_valid_name("../../etc/passwd") == "....etcpasswd"


def test_the_default_storage_keeps_a_thai_name():
    name = default_storage.save("kpi/หลักฐานเบิกจ่าย.pdf", ContentFile(b"%PDF-1.4"))
    assert name.startswith("kpi/หลักฐานเบิกจ่าย")
