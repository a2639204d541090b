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
import unicodedata

from pythainlp.corpus import thai_stopwords
from pythainlp.tokenize import word_dict_trie, word_tokenize
from pythainlp.tokenize.tcc import tcc_pos
from pythainlp.util import Trie

from krabuan.core.thai import normalize_text, to_arabic_digits

# Long texts (notes) go through newmm's safe mode, which bounds the time of an ambiguous run;
# for ordinary text it cuts exactly as newmm does.
SAFE_FROM_CHARS = 2000
# What is indexed of one field; a description longer than this adds nothing findable.
MAX_FIELD_CHARS = 20_000
MAX_QUERY_TERMS = 32
# Shorter inner words (ปี, คา…) would match too much.
MIN_PART_CHARS = 3
_CACHED_CHARS = 300  # titles, tags, organization and group names repeat: remember them


# Thai vowel and tone marks that sit on a consonant.
_MARKS = "".join(chr(c) for c in range(0x0E00, 0x0E80) if unicodedata.category(chr(c)) == "Mn")


def _is_term_char(char: str) -> bool:
    # Letters, digits and combining marks (Thai vowels above/below, tone marks).
    return unicodedata.category(char)[0] in "LNM"


def normalise(text: str | None) -> str:
    """The comparison form of a text: normalised, Thai digits as Arabic, lower case."""
    return to_arabic_digits(normalize_text(text or "")).lower()


def _split(token: str) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for char in token:
        if _is_term_char(char):
            run.append(char)
        elif run:
            out.append("".join(run))
            run = []
    if run:
        out.append("".join(run))
    # A run cannot start with a combining mark (a stray tone mark is not a word).
    return [t for t in (r.lstrip(_MARKS) for r in out) if t]


@functools.lru_cache(maxsize=50_000)
def _terms_cached(text: str) -> tuple[str, ...]:
    return _terms(text)


def _terms(text: str) -> tuple[str, ...]:
    clean = normalise(text[:MAX_FIELD_CHARS])
    if not clean:
        return ()
    engine = "newmm-safe" if len(clean) > SAFE_FROM_CHARS else "newmm"
    tokens = word_tokenize(clean, engine=engine, keep_whitespace=False)
    return tuple(term for token in tokens for term in _split(token))


def terms(text: str | None) -> list[str]:
    """The searchable terms of a text, in order."""
    if not text:
        return []
    if len(text) <= _CACHED_CHARS:
        return list(_terms_cached(text))
    return list(_terms(text))


@functools.lru_cache(maxsize=1)
def _trie() -> Trie:
    return word_dict_trie()


def _is_thai(term: str) -> bool:
    return any("\u0e00" <= c <= "\u0e7f" for c in term)


@functools.lru_cache(maxsize=100_000)
def parts(term: str) -> tuple[str, ...]:
    """Inner words of a Thai compound that newmm keeps whole (หอมมะลิ → มะลิ): the suffixes at
    the cuts where both sides split completely into dictionary words of two letters or more."""
    if len(term) < 5 or not _is_thai(term):
        return ()
    trie = _trie()
    size = len(term)
    words_at = [[len(w) for w in trie.prefixes(term, i) if len(w) >= 2] for i in range(size)]
    ends = {size}  # positions from which the rest splits into words
    for i in range(size - 1, -1, -1):
        if any(i + n in ends for n in words_at[i]):
            ends.add(i)
    starts = {0}  # positions the text before splits into words
    for i in range(size):
        if i in starts:
            starts.update(i + n for n in words_at[i])
    cuts = sorted((starts & ends & tcc_pos(term)) - {0, size})
    return tuple(term[i:] for i in cuts if size - i >= MIN_PART_CHARS)


@functools.lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(normalise(w) for w in thai_stopwords())


def query_terms(text: str) -> list[str]:
    """Terms a user typed, without Thai stop words when other words remain (ของ, และ…)."""
    found = terms(text)[: MAX_QUERY_TERMS * 2]
    stop = _stopwords()
    kept = [t for t in found if t not in stop]
    return (kept or found)[:MAX_QUERY_TERMS]
