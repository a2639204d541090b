"""Printed documents of the manual: the OPDC form 1 as DOCX and PDF, and the improvement summary
as DOCX and XLSX. `form` turns the records into display rows once; the writers only lay them out.

Import the writers from their modules (`documents.docx`, `documents.pdf`,
`documents.improvements`); this package imports nothing so that `flowchart` can use `text`.
"""
