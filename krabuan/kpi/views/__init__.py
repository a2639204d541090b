"""Pages of the performance agreement: the list and dashboard (agreements.py), a KPI's page and
its evidence files (kpis.py), result entry (results.py) and the documents (documents.py)."""
