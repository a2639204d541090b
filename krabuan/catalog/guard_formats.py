"""Readers of the personal-data scan for JSON documents and for text: plain text, HTML pages and
office documents (DOCX, PPTX, ODT, ODS are zip files of XML)."""

from __future__ import annotations

import html
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from typing import IO, Any

from krabuan.catalog.guard_detect import mask_cell
from krabuan.catalog.guard_findings import (
    HEAD_BYTES,
    Column,
    Findings,
    Progress,
    ScanError,
    ScanResult,
    Ticker,
    cell_text,
    detect_encoding,
    is_value,
)


def json_records(data: Any) -> list[Any]:
    """The records of a JSON document: a top-level list, the largest list of objects inside an
    object (GeoJSON features, CKAN DataStore `result.records`, `data`), else the whole object."""
    if isinstance(data, list):
        return data
    best: list[Any] | None = None
    queue: list[tuple[Any, int]] = [(data, 0)]
    while queue:
        node, depth = queue.pop(0)
        if isinstance(node, dict) and depth < 4:
            for value in node.values():
                if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                    if best is None or len(value) > len(best):
                        best = value
                elif isinstance(value, dict):
                    queue.append((value, depth + 1))
    return best if best is not None else [data]


def json_leaves(value: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from json_leaves(item, [*path, str(key)])
    elif isinstance(value, list):
        for item in value:
            yield from json_leaves(item, [*path[:-1], f"{path[-1]}[]"] if path else ["[]"])
    else:
        yield path, value


def load_json(stream: IO[bytes]) -> Any:
    raw = stream.read()
    try:
        return json.loads(raw.decode(detect_encoding(raw[:HEAD_BYTES])))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ScanError(f"อ่านไฟล์ JSON ไม่ได้: {exc}") from exc


def scan_json(stream: IO[bytes], progress: Progress | None) -> ScanResult:
    records = json_records(load_json(stream))
    tick = Ticker(progress, len(records))
    findings, columns = Findings(), {}
    for number, record in enumerate(records, start=1):
        for path, value in json_leaves(record, []):
            key = ".".join(path)
            if key not in columns:
                columns[key] = Column.from_json_path(path)
            column = columns[key]
            text = cell_text(value).strip()
            if not text:
                continue
            name = column.name or "ค่า"
            if column.category and is_value(text):
                findings.add(
                    "column_name",
                    column=name,
                    row=number,
                    sample=mask_cell(text),
                    category=column.category,
                )
            findings.cell(text, column=name, row=number, account=column.account)
        if number % 200 == 0:
            tick(number, number)
    return ScanResult(findings.result(), len(records), "json", sorted(columns))


class _TextOnly(HTMLParser):
    """Visible text of an HTML page: no tags, no scripts or styles, one line per block."""

    _SKIP = {"script", "style", "template", "noscript"}
    _BLOCK = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def strip_tags(text: str) -> str:
    """Plain text of HTML (or the text itself when it has no tags)."""
    if "<" not in text or ">" not in text:
        return html.unescape(text)
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def scan_lines(lines: Iterable[str], findings: Findings) -> int:
    count = 0
    for number, line in enumerate(lines, start=1):
        count = number
        findings.cell(line, column="", row=number)
    return count


def scan_text(text: str) -> list[dict[str, Any]]:
    """Findings in an HTML page or plain text; row numbers are line numbers of the plain text."""
    findings = Findings()
    scan_lines(strip_tags(text or "").splitlines(), findings)
    return findings.result()


def scan_plain(stream: IO[bytes], filename: str, progress: Progress | None) -> ScanResult:
    raw = stream.read()
    text = raw.decode(detect_encoding(raw[:HEAD_BYTES]), errors="replace")
    if filename.lower().endswith((".html", ".htm", ".xml", ".rdf")):
        text = strip_tags(text)
    findings = Findings()
    rows = scan_lines(text.splitlines(), findings)
    return ScanResult(findings.result(), rows, "text")


# Office documents are zip files of XML: their text is scanned like a page (no columns).
_OFFICE_PARTS = re.compile(
    r"^(word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml"
    r"|ppt/slides/slide\d+\.xml|content\.xml)$"
)
_PARAGRAPH_END = re.compile(r"</(w:p|a:p|text:p|text:h|table:table-row)>")


def scan_office(stream: IO[bytes]) -> ScanResult:
    try:
        archive = zipfile.ZipFile(stream)
        parts = sorted(n for n in archive.namelist() if _OFFICE_PARTS.match(n))
        if not parts:
            raise ScanError("อ่านเอกสารไม่ได้: ไม่พบเนื้อหาในไฟล์")
        findings, rows = Findings(), 0
        for part in parts:
            xml = archive.read(part).decode("utf-8", errors="replace")
            text = strip_tags(_PARAGRAPH_END.sub("\n", xml))
            rows += scan_lines(text.splitlines(), findings)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ScanError("อ่านเอกสารไม่ได้: ไฟล์เสียหาย") from exc
    return ScanResult(findings.result(), rows, "office")
