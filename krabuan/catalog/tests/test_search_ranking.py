"""Thai full-text search: segmentation, prefixes, digits, mixed languages, expected rankings."""

from __future__ import annotations

import pytest

from krabuan.catalog.search.query import dataset_search
from krabuan.catalog.tests import search_factories as f

pytestmark = pytest.mark.django_db


def titles(result) -> list[str]:
    from krabuan.catalog.models import Dataset

    by_id = {d.pk: d.title for d in Dataset.objects.filter(pk__in=result.ids)}
    return [by_id[i] for i in result.ids]


@pytest.fixture
def rice():
    """Rice datasets, one titled exactly ข้าว, plus unrelated ones."""
    made = {
        "jasmine": f.dataset("ราคาข้าวหอมมะลิรายเดือน", tags=("ข้าว", "ราคา")),
        "jasmine_area": f.dataset("พื้นที่ปลูกข้าวหอมมะลิ ปี 2567"),
        "exact": f.dataset("ข้าว"),
        "durian": f.dataset("ผลผลิตทุเรียนรายจังหวัด", tags=("ทุเรียน",)),
        "notes_only": f.dataset("สถิติการเกษตร", notes="รวมผลผลิตข้าวหอมมะลิและพืชไร่ของประเทศ"),
        "white": f.dataset("สีขาว"),  # ขาว is not ข้าว (the tone mark matters)
    }
    return made


def test_rice_finds_jasmine_rice_and_ranks_the_exact_title_first(rice):
    result = dataset_search(user=None, q="ข้าว")

    assert result.ids[0] == rice["exact"].pk
    assert set(result.ids) == {
        rice[k].pk for k in ("exact", "jasmine", "jasmine_area", "notes_only")
    }
    assert result.count == 4
    # Title words before a match in the description only.
    assert result.ids[-1] == rice["notes_only"].pk


def test_inner_word_of_a_compound_is_found(rice):
    # newmm keeps หอมมะลิ whole; its inner word มะลิ is indexed too.
    result = dataset_search(user=None, q="มะลิ")

    assert {rice["jasmine"].pk, rice["jasmine_area"].pk, rice["notes_only"].pk} == set(result.ids)


def test_query_without_spaces_is_segmented(rice):
    result = dataset_search(user=None, q="ราคาข้าวหอมมะลิ")

    assert result.ids == [rice["jasmine"].pk]


def test_thai_digits_equal_arabic_digits(rice):
    thai = dataset_search(user=None, q="ข้าว ๒๕๖๗")
    arabic = dataset_search(user=None, q="ข้าว 2567")

    assert thai.ids == arabic.ids == [rice["jasmine_area"].pk]


def test_thai_digits_in_the_title_are_found_with_arabic_digits():
    made = f.dataset("สถิติการส่งออกข้าว ปี ๒๕๖๖")

    assert dataset_search(user=None, q="2566").ids == [made.pk]
    assert dataset_search(user=None, q="๒๕๖๖").ids == [made.pk]


def test_mixed_thai_and_english_query():
    both = f.dataset("ราคาส่งออก Rice Export Price", notes="ข้อมูลราคาข้าวส่งออก")
    thai_only = f.dataset("ราคาปุ๋ยเคมี")
    f.dataset("Rice production (English only)")

    result = dataset_search(user=None, q="ราคา rice")

    assert result.ids == [both.pk]
    assert thai_only.pk not in result.ids


def test_english_is_case_insensitive_and_prefix_matched():
    made = f.dataset("Agricultural Statistics")

    assert dataset_search(user=None, q="AGRICULT").ids == [made.pk]


def test_title_weighs_more_than_tags_and_notes():
    in_notes = f.dataset("รายงานประจำปี", notes="มีข้อมูลมังคุดส่งออก")
    in_tags = f.dataset("ผลไม้ส่งออก", tags=("มังคุด",))
    in_title = f.dataset("ผลผลิตมังคุดภาคตะวันออก")

    result = dataset_search(user=None, q="มังคุด")

    assert result.ids == [in_title.pk, in_tags.pk, in_notes.pk]


def test_tone_marks_are_significant(rice):
    result = dataset_search(user=None, q="ขาว")

    assert result.ids == [rice["white"].pk]


def test_organization_and_group_names_are_searchable():
    org = f.organization("rid", "กรมชลประทาน")
    water = f.group("water", "ด้านทรัพยากรธรรมชาติและสิ่งแวดล้อม")
    made = f.dataset("ปริมาณน้ำในเขื่อน", org=org, groups=(water,))
    f.dataset("ราคาผัก")

    assert dataset_search(user=None, q="ชลประทาน").ids == [made.pk]
    assert dataset_search(user=None, q="สิ่งแวดล้อม").ids == [made.pk]


def test_stop_words_do_not_hide_results(rice):
    # "ของ" (of) is a Thai stop word: it must not have to appear in the dataset.
    result = dataset_search(user=None, q="ราคาของข้าวหอมมะลิ")

    assert result.ids == [rice["jasmine"].pk]


def test_quoted_phrase_needs_the_words_side_by_side():
    side = f.dataset("ผลผลิตข้าวนาปรัง")
    apart = f.dataset("ข้าวโพดและผลผลิตอื่น")

    loose = dataset_search(user=None, q="ผลผลิต ข้าว")
    phrase = dataset_search(user=None, q='"ผลผลิต ข้าว"')

    assert set(loose.ids) == {side.pk, apart.pk}
    assert phrase.ids == [side.pk]


def test_reindex_keeps_results_after_edit(rice):
    from krabuan.catalog.search.index import index_dataset

    durian = rice["durian"]
    durian.title = "ผลผลิตลำไยรายจังหวัด"
    durian.save()
    index_dataset(durian)

    assert dataset_search(user=None, q="ทุเรียน").ids == [durian.pk]  # still a tag
    assert dataset_search(user=None, q="ลำไย").ids == [durian.pk]
    durian.tags.clear()
    index_dataset(durian)
    assert dataset_search(user=None, q="ทุเรียน").ids == []


def test_exact_title_with_a_stop_word_still_ranks_first():
    exact = f.dataset("ราคาของข้าว")
    f.dataset("ราคาข้าวเปลือกของเกษตรกร")
    f.dataset("ข้าวและราคา")

    assert dataset_search(user=None, q="ราคาของข้าว").ids[0] == exact.pk
