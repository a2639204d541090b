"""The whole FY2567 manual as one Word document, as the download view builds it: the records
with every section (manual_processes_full), the improvement summary, then python-docx.

Baseline: python-docx writing an empty document with one table of as many rows (and as many
columns as the widest table) as the exported document's tables hold together, saved to memory.
The ratio is the cost of the form's layout, fonts, text and queries over bare python-docx.
"""

from __future__ import annotations

import io

import docx

from bench import environment
from bench.harness import Result, compare, queries_of
from krabuan.manual.documents.docx import manual_docx
from krabuan.manual.selectors import manual_processes_full
from krabuan.manual.services.improvements import improvement_summary

REPEATS = 3


def run() -> list[Result]:
    """manual_docx for the whole manual vs a bare python-docx table of the same row count."""
    manual = environment.manual()

    def export() -> bytes:
        return manual_docx(
            manual=manual,
            processes=manual_processes_full(manual=manual),
            improvements=improvement_summary(manual=manual),
        )

    content = export()
    written = docx.Document(io.BytesIO(content))
    rows = sum(len(t.rows) for t in written.tables)
    columns = max((len(t.columns) for t in written.tables), default=1)

    def bare_table() -> bytes:
        document = docx.Document()
        document.add_table(rows=rows, cols=columns)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    return [
        compare(
            "manual_docx, whole FY2567 manual",
            export,
            baseline_name=f"python-docx: empty document, one {rows}x{columns} table, saved",
            baseline=bare_table,
            repeats=REPEATS,
            warmup=0,  # the export above was the warm-up
            info={
                "queries": queries_of(export),
                "bytes": len(content),
                "tables": len(written.tables),
                "table_rows": rows,
            },
        )
    ]
