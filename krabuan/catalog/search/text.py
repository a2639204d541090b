"""Thai-aware terms, the same at index time and at query time.

Text is normalised (NFC, Thai marks in order, Thai digits as Arabic, lower case), segmented with
PyThaiNLP `newmm`, and every token is cut into runs of letters, digits and combining marks. The
database engines then only split on spaces: SQLite's FTS5 `ascii` tokenizer and our own tsvector
literals on PostgreSQL never see punctuation, and never cut a Thai word at a tone mark (FTS5's
`unicode61` would: it treats Thai vowel and tone marks as separators).

`parts()` adds the inner words of a compound that newmm keeps whole (หอมมะลิ → มะลิ), so that
"มะลิ" finds ข้าวหอมมะลิ as thai_gdc's `*term*` rewrite does, without its full scans."""

from __future__ import annotations

import functools

from pythainlp.corpus import thai_stopwords
from pythainlp.tokenize import word_tokenize

from krabuan.core.thai_words import fold, inner_word_starts, runs

# Long texts (notes) go through newmm's safe mode, which bounds the time of an ambiguous run;
# for ordinary text it cuts exactly as newmm does.
SAFE_FROM_CHARS = 2000
# What is indexed of one field; a description longer than this adds nothing findable.
MAX_FIELD_CHARS = 20_000
MAX_QUERY_TERMS = 32
# Shorter inner words (ปี, คา…) would match too much.
MIN_PART_CHARS = 3
_CACHED_CHARS = 300  # titles, tags, organization and group names repeat: remember them

normalise = fold


@functools.lru_cache(maxsize=50_000)
def _terms_cached(text: str) -> tuple[str, ...]:
    return _terms(text)


def _terms(text: str) -> tuple[str, ...]:
    clean = normalise(text[:MAX_FIELD_CHARS])
    if not clean:
        return ()
    engine = "newmm-safe" if len(clean) > SAFE_FROM_CHARS else "newmm"
    tokens = word_tokenize(clean, engine=engine, keep_whitespace=False)
    return tuple(term for token in tokens for term in runs(token))


def terms(text: str | None) -> list[str]:
    """The searchable terms of a text, in order."""
    if not text:
        return []
    if len(text) <= _CACHED_CHARS:
        return list(_terms_cached(text))
    return list(_terms(text))


@functools.lru_cache(maxsize=100_000)
def parts(term: str) -> tuple[str, ...]:
    """Inner words of a Thai compound that newmm keeps whole (หอมมะลิ → มะลิ)."""
    return tuple(term[i:] for i in sorted(inner_word_starts(term, min_part=MIN_PART_CHARS)))


@functools.lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(normalise(w) for w in thai_stopwords())


def query_terms(text: str) -> list[str]:
    """Terms a user typed, without Thai stop words when other words remain (ของ, และ…)."""
    found = terms(text)[: MAX_QUERY_TERMS * 2]
    stop = _stopwords()
    kept = [t for t in found if t not in stop]
    return (kept or found)[:MAX_QUERY_TERMS]
