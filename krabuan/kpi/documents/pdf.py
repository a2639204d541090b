"""The agreement's summary table and the round reports as PDF (WeasyPrint, A4 landscape, TH
Sarabun New or Laksaman, Thai digits throughout, Thai page numbers)."""

from __future__ import annotations

from django.template.loader import render_to_string

from krabuan.core.documents import PRINT_CSS, pdf_from_html
from krabuan.kpi.documents.data import LEVEL_HEADERS, AgreementTable, RoundReport


def agreement_pdf(table: AgreementTable) -> bytes:
    """The summary table with the round's results, scores and weighted total."""
    html = render_to_string(
        "kpi/print/agreement.html",
        {
            "t": table,
            "level_headers": LEVEL_HEADERS,
            "print_css": PRINT_CSS,
            # The baseline years share what the other columns leave (18 % of the width).
            "year_width": round(18 / max(len(table.years), 1), 2),
        },
    )
    return pdf_from_html(html)


def round_report_pdf(report: RoundReport) -> bytes:
    """Per KPI: the round's target, each milestone step done or not, result, deduction, score."""
    html = render_to_string("kpi/print/round_report.html", {"r": report, "print_css": PRINT_CSS})
    return pdf_from_html(html)
