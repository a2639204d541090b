"""fq and q field filters: every field and syntax CKAN clients and the harvester send."""

from __future__ import annotations

import datetime as dt

import pytest

from krabuan.catalog.models import Dataset, State
from krabuan.catalog.search.query import SearchQueryError, dataset_search
from krabuan.catalog.tests import search_factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    oae = f.organization("oae", "สำนักงานเศรษฐกิจการเกษตร")
    rid = f.organization("rid", "กรมชลประทาน")
    economy = f.group("category04", "ด้านเศรษฐกิจ")
    nature = f.group("category06", "ด้านทรัพยากรธรรมชาติและสิ่งแวดล้อม")
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    return {
        "price": f.dataset(
            "ราคาข้าว",
            name="rice-price",
            org=oae,
            tags=("ข้าว", "ราคา"),
            groups=(economy,),
            formats=("CSV", "XLSX"),
            modified=t0,
        ),
        "water": f.dataset(
            "ปริมาณน้ำในเขื่อน",
            name="dam-water",
            org=rid,
            tags=("น้ำ",),
            groups=(nature,),
            formats=("JSON",),
            data_type="ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
            license_id="Creative Commons Attributions",
            allow_harvest=False,
            modified=t0 + dt.timedelta(days=10),
        ),
        "farm": f.dataset(
            "ทะเบียนเกษตรกร",
            name="farmers",
            org=oae,
            tags=("เกษตรกร", "ข้าว"),
            groups=(economy, nature),
            formats=("PDF",),
            data_type="ข้อมูลระเบียน",
            data_category="ข้อมูลใช้ภายใน",
            data_classification="ชั้นเผยแพร่ภายในองค์กร",
            modified=t0 + dt.timedelta(days=20),
        ),
    }


def found(**kwargs) -> set[str]:
    result = dataset_search(user=None, rows=100, **kwargs)
    names = dict(Dataset.objects.filter(pk__in=result.ids).values_list("pk", "name"))
    assert result.count == len(result.ids)
    return {names[i] for i in result.ids}


def test_field_value(catalog):
    assert found(fq="organization:oae") == {"rice-price", "farmers"}
    assert found(fq="tags:ข้าว") == {"rice-price", "farmers"}
    assert found(fq="groups:category06") == {"dam-water", "farmers"}
    assert found(fq="res_format:CSV") == {"rice-price"}
    assert found(fq="res_format:csv") == {"rice-price"}
    assert found(fq="name:farmers") == {"farmers"}
    assert found(fq=f"id:{catalog['water'].pk}") == {"dam-water"}


def test_quoted_value(catalog):
    assert found(fq='data_type:"ข้อมูลระเบียน"') == {"farmers"}
    assert found(fq='license_id:"Creative Commons Attributions"') == {"dam-water"}
    assert found(fq='data_category:"ข้อมูลใช้ภายใน"') == {"farmers"}
    assert found(fq='data_classification:"ชั้นเผยแพร่ภายในองค์กร"') == {"farmers"}


def test_negation(catalog):
    assert found(fq="-organization:oae") == {"dam-water"}
    assert found(fq="-tags:ข้าว -groups:category06") == set()
    assert found(fq="NOT res_format:PDF") == {"rice-price", "dam-water"}


def test_or_of_organizations_as_the_harvester_sends_it(catalog):
    assert found(fq="organization:oae OR organization:rid") == {
        "rice-price",
        "dam-water",
        "farmers",
    }
    assert found(fq="organization:rid OR tags:เกษตรกร") == {"dam-water", "farmers"}
    assert found(fq="organization:(rid OR nobody)") == {"dam-water"}


def test_required_clauses_all_hold(catalog):
    assert found(fq="+organization:oae +tags:ข้าว +res_format:PDF") == {"farmers"}


def test_fq_list_clauses_all_hold(catalog):
    assert found(fq_list=["organization:oae", "tags:ข้าว"], fq="groups:category04") == {
        "rice-price",
        "farmers",
    }


def test_metadata_modified_ranges(catalog):
    assert found(fq="metadata_modified:[2024-01-05T00:00:00.000000Z TO *]") == {
        "dam-water",
        "farmers",
    }
    assert found(fq="metadata_modified:[* TO 2024-01-11T00:00:00Z]") == {"rice-price", "dam-water"}
    # Inclusive and exclusive ends, to the microsecond.
    exact = catalog["water"].metadata_modified.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert found(fq=f"metadata_modified:[{exact} TO *]") == {"dam-water", "farmers"}
    assert found(fq=f"metadata_modified:{{{exact} TO *]") == {"farmers"}


def test_harvester_incremental_search_combined_with_organizations(catalog):
    fq = "organization:oae OR organization:rid metadata_modified:[2024-01-15T00:00:00Z TO *]"

    assert found(fq=fq) == {"farmers"}


def test_booleans_accept_true_and_false_spellings(catalog):
    assert found(fq="allow_harvest:True") == {"rice-price", "farmers"}
    assert found(fq="+allow_harvest:true") == {"rice-price", "farmers"}
    assert found(fq="allow_harvest:False") == {"dam-water"}
    assert found(fq="private:false") == {"rice-price", "dam-water", "farmers"}


def test_capacity_and_state_filters(catalog):
    assert found(fq="capacity:public") == {"rice-price", "dam-water", "farmers"}
    assert found(fq="capacity:private") == set()
    assert found(fq="state:active") == {"rice-price", "dam-water", "farmers"}


def test_fields_in_q_filter_too(catalog):
    assert found(q="tags:น้ำ") == {"dam-water"}
    assert found(q="ข้าว organization:oae") == {"rice-price", "farmers"}


def test_unknown_field_in_q_is_read_as_words(catalog):
    # edismax reads an unknown field as text; "ราคา:ข้าว" is not a field.
    assert found(q="ราคา:ข้าว") == {"rice-price"}


def test_title_field_searches_the_title_only(catalog):
    assert found(q="title:ข้าว") == {"rice-price"}
    assert found(q="ข้าว") == {"rice-price", "farmers"}  # farmers: tag ข้าว


def test_wildcards(catalog):
    assert found(fq="name:rice*") == {"rice-price"}
    assert found(fq="tags:*") == {"rice-price", "dam-water", "farmers"}
    assert found(q="*ข้าว*") == {"rice-price", "farmers"}  # thai_gdc's rewrite still works


def test_dataset_type(catalog):
    assert found(fq="+dataset_type:dataset") == {"rice-price", "dam-water", "farmers"}
    assert found(fq="dataset_type:harvest") == set()


def test_deleted_datasets_only_with_include_deleted(catalog):
    gone = catalog["water"]
    gone.state = State.DELETED
    gone.save()

    assert found() == {"rice-price", "farmers"}
    assert found(include_deleted=True) == {"rice-price", "dam-water", "farmers"}
    assert found(fq="+state:deleted") == {"dam-water"}


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"fq": "unknown_field:x"}, "fq"),
        ({"fq": "allow_harvest:maybe"}, "fq"),
        ({"fq": "metadata_modified:[yesterday TO *]"}, "fq"),
        ({"fq": "tags:[a TO b]"}, "fq"),
        ({"fq": "(organization:oae"}, "fq"),
        ({"fq_list": ['tags:"open']}, "fq_list"),
        ({"q": "title:(ข้าว"}, "q"),
        ({"sort": "popularity desc"}, "sort"),
        ({"sort": "name sideways"}, "sort"),
        ({"rows": -1}, "rows"),
        ({"start": -5}, "start"),
        ({"rows": "many"}, "rows"),
        ({"facet_fields": ["nonsense"]}, "facet.field"),
    ],
)
def test_bad_requests_are_search_query_errors(catalog, kwargs, param):
    with pytest.raises(SearchQueryError) as caught:
        dataset_search(user=None, **kwargs)

    assert caught.value.code == "search_query_error"
    assert param in caught.value.fields
    assert caught.value.message  # Thai message naming what is wrong
