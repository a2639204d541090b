"""The manual as PDF (WeasyPrint): the form's layout in HTML, A4 landscape for the forms, Thai
digits in the page numbers and the table of contents, the per-step flowchart inline as SVG."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string

from krabuan.core.documents import pdf_from_html
from krabuan.manual.documents import form as f
from krabuan.manual.flowchart import END_LABEL, START_LABEL
from krabuan.manual.models import ImprovementEntry, Manual, Process

TEMPLATE = "manual/print/manual.html"

LABELS = {
    "requirements": f.SECTION_REQUIREMENTS,
    "requirement_headers": f.REQUIREMENT_HEADERS,
    "design": f.SECTION_DESIGN,
    "value_chain": f.PART_VALUE_CHAIN,
    "value_chain_note": f.VALUE_CHAIN_NOTE,
    "steps": f.PART_STEPS,
    "quality": f.PART_QUALITY,
    "quality_label": f.QUALITY_LABEL,
    "owners": f.PART_OWNERS,
    "main_owner": f.MAIN_OWNER_LABEL,
    "supporting_owner": f.SUPPORTING_OWNER_LABEL,
    "legend": f.FLOW_LEGEND,
    "start": START_LABEL,
    "end": END_LABEL,
}


def _pdf(context: dict[str, Any]) -> bytes:
    html = render_to_string(
        TEMPLATE,
        {
            "labels": LABELS,
            "toc_title": f.TOC_TITLE,
            "core_headers": f.CORE_OVERVIEW_HEADERS,
            "support_headers": f.SUPPORT_OVERVIEW_HEADERS,
            "improvement_headers": f.IMPROVEMENT_HEADERS,
            "improvement_flag_headers": f.IMPROVEMENT_FLAG_HEADERS,
            "improvement_notes": f.IMPROVEMENT_NOTES,
            **context,
        },
    )
    return pdf_from_html(html)


def process_pdf(process: Process) -> bytes:
    """One process in the form's layout (sections ๑–๒ with parts ๑)–๔))."""
    p = f.process_form(process)
    return _pdf({"document_title": p.title, "processes": [p]})


def manual_pdf(
    *, manual: Manual, processes: Iterable[Process], improvements: Iterable[ImprovementEntry] = ()
) -> bytes:
    """The whole manual: cover, contents with Thai page numbers, the overview tables, every
    process, and the improvement summary when there are rows."""
    form = f.manual_form(manual=manual, processes=processes, improvements=improvements)
    return _pdf(
        {
            "document_title": form.title,
            "form": form,
            "processes": form.processes,
            "improvements": form.improvements,
            "improvement_title": form.improvement_title,
            "unit_name": form.unit_name,
        }
    )
