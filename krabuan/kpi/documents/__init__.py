"""Printed forms of the performance agreement: the summary table with results and scores, the 6-
and 9-month round reports (DOCX/PDF), and the workbook of every KPI and result (XLSX)."""
