"""The Solr query syntax CKAN clients send in `q` and `fq`, parsed into a small tree.

Supported: bare words (full text), `field:value`, `field:"quoted value"`, `field:(a OR b)`,
`-clause` and `NOT clause`, `+clause`, `a OR b`, `a AND b`, parentheses, `*:*`, and ranges
`field:[low TO high]` / `{low TO high}` with `*` for an open end. Clauses side by side must all
hold, and OR binds its neighbours first, so the harvester's
`organization:a OR organization:b metadata_modified:[… TO *]` means (a or b) and modified since."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from krabuan.core.errors import ApplicationError


class SearchQueryError(ApplicationError):
    """A search request the catalog cannot read (CKAN's "Search Query Error")."""

    code = "search_query_error"
    status = 400


def query_error(param: str, message: str) -> SearchQueryError:
    return SearchQueryError(message, fields={param: [message]})


@dataclass(frozen=True)
class Term:
    """`field:value`, or a bare word / quoted phrase when `field` is None."""

    field: str | None
    value: str
    quoted: bool = False


@dataclass(frozen=True)
class Range:
    field: str
    low: str | None  # None: open
    high: str | None
    low_inclusive: bool = True
    high_inclusive: bool = True


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class MatchAll:
    """`*:*` (or an empty query): every dataset the other conditions allow."""


Node = Term | Range | And | Or | Not | MatchAll

_FIELD = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*):")
_SPECIAL = set('()"')
MAX_QUERY_CHARS = 5000
MAX_DEPTH = 20


class _Parser:
    def __init__(self, text: str, param: str) -> None:
        self.s = text
        self.i = 0
        self.param = param
        self.depth = 0

    # -- helpers ----------------------------------------------------------------------------
    def error(self, message: str) -> SearchQueryError:
        where = _("ที่ตำแหน่ง %(pos)d") % {"pos": self.i + 1}
        return query_error(self.param, f"{message} ({self.param} {where})")

    def skip_space(self) -> None:
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    def at_end(self) -> bool:
        self.skip_space()
        return self.i >= len(self.s)

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def keyword(self, *words: str) -> bool:
        """Consume an operator word (AND, OR, NOT, &&, ||) standing on its own."""
        self.skip_space()
        for word in words:
            end = self.i + len(word)
            if self.s[self.i : end] == word and (
                end >= len(self.s) or self.s[end].isspace() or self.s[end] in "()"
            ):
                self.i = end
                return True
        return False

    # -- grammar ----------------------------------------------------------------------------
    def parse(self) -> Node:
        node = self.sequence(field=None, closing="")
        if not self.at_end():
            raise self.error(_("มีวงเล็บปิดเกิน"))
        return node

    def sequence(self, *, field: str | None, closing: str) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(_("วงเล็บซ้อนกันลึกเกินไป"))
        children: list[Node] = []
        while not self.at_end() and not (closing and self.peek() == closing):
            if self.peek() == ")":
                break
            children.append(self.disjunction(field))
        self.depth -= 1
        return _and(children)

    def disjunction(self, field: str | None) -> Node:
        items = [self.conjunction(field)]
        while self.keyword("OR", "||"):
            if self.at_end() or self.peek() == ")":
                raise self.error(_("ไม่มีเงื่อนไขหลัง OR"))
            items.append(self.conjunction(field))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def conjunction(self, field: str | None) -> Node:
        items = [self.unary(field)]
        while self.keyword("AND", "&&"):
            if self.at_end() or self.peek() == ")":
                raise self.error(_("ไม่มีเงื่อนไขหลัง AND"))
            items.append(self.unary(field))
        return _and(items)

    def unary(self, field: str | None) -> Node:
        self.skip_space()
        if self.keyword("NOT") or self._sign("!"):
            if self.at_end():
                raise self.error(_("ไม่มีเงื่อนไขหลัง NOT"))
            return Not(self.unary(field))
        if self._sign("-"):
            return Not(self.unary(field))
        if self._sign("+"):
            return self.unary(field)
        return self.primary(field)

    def _sign(self, sign: str) -> bool:
        nxt = self.s[self.i + 1 : self.i + 2]
        if self.peek() == sign and nxt and not nxt.isspace():
            self.i += 1
            return True
        return False

    def primary(self, field: str | None) -> Node:
        self.skip_space()
        char = self.peek()
        if char == "(":
            self.i += 1
            node = self.sequence(field=field, closing=")")
            if self.peek() != ")":
                raise self.error(_("วงเล็บไม่ครบคู่"))
            self.i += 1
            return node
        if char == ")":
            raise self.error(_("มีวงเล็บปิดเกิน"))
        if char in "+-" and (self.i + 1 >= len(self.s) or self.s[self.i + 1].isspace()):
            self.i += 1  # a sign standing alone means nothing
            return MatchAll()
        if self.s.startswith("*:*", self.i):
            self.i += 3
            return MatchAll()
        if field is None:
            found = _FIELD.match(self.s, self.i)
            if found:
                self.i = found.end()
                return self.value(found.group(1))
        return self.value(field)

    def value(self, field: str | None) -> Node:
        char = self.peek()
        if char == '"':
            return Term(field, self.quoted(), quoted=True)
        if char in "[{":
            if field is None:
                raise self.error(_("ช่วงค่า [... TO ...] ต้องระบุฟิลด์"))
            return self.range(field)
        if char == "(":
            self.i += 1
            node = self.sequence(field=field, closing=")")
            if self.peek() != ")":
                raise self.error(_("วงเล็บไม่ครบคู่"))
            self.i += 1
            return node
        word = self.word()
        if not word:
            if field is not None:
                raise self.error(_("ไม่มีค่าหลังฟิลด์ %(field)s:") % {"field": field})
            raise self.error(_("คำค้นหาไม่ถูกต้อง"))
        return Term(field, word)

    def word(self, stops: str = "") -> str:
        out: list[str] = []
        while self.i < len(self.s):
            char = self.s[self.i]
            if char == "\\" and self.i + 1 < len(self.s):
                out.append(self.s[self.i + 1])
                self.i += 2
                continue
            if char.isspace() or char in "()" or char in stops:
                break
            if char == '"':
                raise self.error(_("เครื่องหมายคำพูดอยู่กลางคำ"))
            out.append(char)
            self.i += 1
        return "".join(out)

    def quoted(self) -> str:
        self.i += 1  # the opening quote
        out: list[str] = []
        while self.i < len(self.s):
            char = self.s[self.i]
            if char == "\\" and self.i + 1 < len(self.s):
                out.append(self.s[self.i + 1])
                self.i += 2
                continue
            if char == '"':
                self.i += 1
                return "".join(out)
            out.append(char)
            self.i += 1
        raise self.error(_("เครื่องหมายคำพูดไม่ครบคู่"))

    def range(self, field: str) -> Range:
        low_inclusive = self.peek() == "["
        self.i += 1
        low = self.bound()
        self.skip_space()
        if not self.s.startswith("TO", self.i):
            raise self.error(_("ช่วงค่าต้องเขียนเป็น [ค่าต้น TO ค่าปลาย]"))
        self.i += 2
        high = self.bound()
        self.skip_space()
        closing = self.peek()
        if closing not in "]}" or not closing:
            raise self.error(_("ช่วงค่าไม่มีวงเล็บปิด ] หรือ }"))
        self.i += 1
        return Range(field, low, high, low_inclusive, closing == "]")

    def bound(self) -> str | None:
        self.skip_space()
        if self.peek() == '"':
            return self.quoted()
        text = self.word(stops="]}")
        if not text:
            raise self.error(_("ช่วงค่าไม่มีค่าต้นหรือค่าปลาย"))
        return None if text == "*" else text


def _and(items: list[Node]) -> Node:
    flat: list[Node] = []
    for item in items:
        flat.extend(item.children if isinstance(item, And) else (item,))
    if not flat:
        return MatchAll()
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def parse(text: str, *, param: str = "q") -> Node:
    """The tree of one q or fq string; SearchQueryError naming `param` when unreadable."""
    text = text or ""
    if len(text) > MAX_QUERY_CHARS:
        raise query_error(param, _("คำค้นหา %(param)s ยาวเกินไป") % {"param": param})
    return _Parser(text, param).parse()
