"""Thai word primitives shared by the full-text indexes (catalog datasets, workflow cases):
the comparison form of a text, its runs of letters/digits/marks, and the inner word starts of
compounds that PyThaiNLP's newmm keeps whole (หอมมะลิ → มะลิ, เครื่องพิมพ์ → พิมพ์)."""

from __future__ import annotations

import functools
import unicodedata

from pythainlp.tokenize import word_dict_trie
from pythainlp.tokenize.tcc import tcc_pos
from pythainlp.util import Trie

from krabuan.core.thai import normalize_text, to_arabic_digits

# Thai vowel and tone marks that sit on a consonant.
MARKS = "".join(chr(c) for c in range(0x0E00, 0x0E80) if unicodedata.category(chr(c)) == "Mn")


def fold(text: str | None) -> str:
    """The comparison form of a text: normalised, Thai digits as Arabic, lower case."""
    return to_arabic_digits(normalize_text(text or "")).lower()


def runs(text: str) -> list[str]:
    """Runs of letters, digits and combining marks (Thai vowels and tone marks); a run never
    starts with a mark (a stray tone mark is not a word)."""
    out: list[str] = []
    run: list[str] = []
    for char in text:
        if unicodedata.category(char)[0] in "LNM":
            run.append(char)
        elif run:
            out.append("".join(run))
            run = []
    if run:
        out.append("".join(run))
    return [r for r in (x.lstrip(MARKS) for x in out) if r]


def is_thai(text: str) -> bool:
    return any("\u0e00" <= c <= "\u0e7f" for c in text)


@functools.lru_cache(maxsize=1)
def _trie() -> Trie:
    return word_dict_trie()


def inner_word_starts(word: str, *, min_part: int) -> set[int]:
    """Where the inner words of a compound start: the character-cluster boundaries at which
    both sides split completely into dictionary words of two letters or more, leaving at
    least `min_part` characters (shorter inner words such as ปี would match too much)."""
    size = len(word)
    if size < 2 * min_part - 1 or not is_thai(word):
        return set()
    trie = _trie()
    lengths = [[len(w) for w in trie.prefixes(word, i) if len(w) >= 2] for i in range(size)]
    ends = {size}  # positions from which the rest splits into words
    for i in range(size - 1, -1, -1):
        if any(i + n in ends for n in lengths[i]):
            ends.add(i)
    starts = {0}  # positions before which the text splits into words
    for i in range(size):
        if i in starts:
            starts.update(i + n for n in lengths[i])
    return {i for i in starts & ends & tcc_pos(word) if 0 < i <= size - min_part}
