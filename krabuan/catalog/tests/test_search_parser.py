"""The q/fq syntax: the tree each form parses to, and the errors of unreadable input."""

from __future__ import annotations

import datetime as dt

import pytest

from krabuan.catalog.search.filters import parse_solr_date
from krabuan.catalog.search.parser import (
    And,
    MatchAll,
    Not,
    Or,
    Range,
    SearchQueryError,
    Term,
    parse,
)


def test_field_value_and_bare_words():
    assert parse("organization:oae") == Term("organization", "oae")
    assert parse("ราคา rice") == And((Term(None, "ราคา"), Term(None, "rice")))


def test_quoted_value_with_escapes():
    assert parse('tags:"ข้าว หอม"') == Term("tags", "ข้าว หอม", quoted=True)
    assert parse(r'title:"a \"b\" c"') == Term("title", 'a "b" c', quoted=True)


def test_negation_and_required_signs():
    assert parse("-organization:a") == Not(Term("organization", "a"))
    assert parse("+capacity:public") == Term("capacity", "public")
    assert parse("NOT tags:x") == Not(Term("tags", "x"))


def test_or_binds_neighbours_before_juxtaposition():
    # The harvester's include filter followed by its incremental range.
    tree = parse("organization:a OR organization:b metadata_modified:[2024-01-01T00:00:00Z TO *]")

    assert tree == And(
        (
            Or((Term("organization", "a"), Term("organization", "b"))),
            Range("metadata_modified", "2024-01-01T00:00:00Z", None),
        )
    )


def test_and_binds_tighter_than_or():
    assert parse("a AND b OR c") == Or((And((Term(None, "a"), Term(None, "b"))), Term(None, "c")))


def test_ranges_inclusive_exclusive_and_open():
    assert parse("metadata_modified:[* TO 2024-02-01]") == Range(
        "metadata_modified", None, "2024-02-01"
    )
    assert parse("metadata_created:{2024-01-01 TO 2024-02-01}") == Range(
        "metadata_created", "2024-01-01", "2024-02-01", False, False
    )


def test_field_group_and_parentheses():
    assert parse("+state:(active OR draft)") == Or(
        (Term("state", "active"), Term("state", "draft"))
    )
    assert parse("(tags:a OR tags:b) -groups:c") == And(
        (Or((Term("tags", "a"), Term("tags", "b"))), Not(Term("groups", "c")))
    )


def test_match_all_and_empty():
    assert parse("*:*") == MatchAll()
    assert parse("") == MatchAll()
    assert parse("   ") == MatchAll()


def test_colons_inside_a_value_stay():
    assert parse("metadata_modified:2024-01-01T00:00:00Z") == Term(
        "metadata_modified", "2024-01-01T00:00:00Z"
    )


@pytest.mark.parametrize(
    "text",
    [
        "(tags:a",
        "tags:a)",
        'tags:"unclosed',
        "tags:",
        "metadata_modified:[2024-01-01 2024-02-01]",
        "metadata_modified:[2024-01-01 TO",
        "a OR",
        "a AND",
        "[a TO b]",
        "NOT",
    ],
)
def test_bad_syntax_is_a_search_query_error(text):
    with pytest.raises(SearchQueryError) as caught:
        parse(text, param="fq")

    assert caught.value.code == "search_query_error"
    assert caught.value.status == 400
    assert "fq" in caught.value.fields
    assert "fq" in caught.value.message


def test_solr_dates():
    utc = dt.UTC
    assert parse_solr_date("2024-01-01T00:00:00.000000Z") == dt.datetime(2024, 1, 1, tzinfo=utc)
    assert parse_solr_date("2024-01-19T03:12:45.123456") == dt.datetime(
        2024, 1, 19, 3, 12, 45, 123456, tzinfo=utc
    )
    assert parse_solr_date("2024-01-01T07:00:00+07:00") == dt.datetime(2024, 1, 1, tzinfo=utc)
    assert parse_solr_date("๒๕๖๗-๐๑-๐๑") == dt.datetime(2024, 1, 1, tzinfo=utc)
    assert parse_solr_date("2024-13-01") is None
    assert parse_solr_date("yesterday") is None


def test_solr_date_math(settings):
    import time_machine

    with time_machine.travel(dt.datetime(2024, 3, 15, 10, 30, tzinfo=dt.UTC), tick=False):
        assert parse_solr_date("NOW/DAY") == dt.datetime(2024, 3, 15, tzinfo=dt.UTC)
        assert parse_solr_date("NOW-7DAYS/DAY") == dt.datetime(2024, 3, 8, tzinfo=dt.UTC)
        assert parse_solr_date("NOW-1MONTH") == dt.datetime(2024, 2, 15, 10, 30, tzinfo=dt.UTC)
