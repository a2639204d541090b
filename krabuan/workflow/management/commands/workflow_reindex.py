"""`krabuan workflow_reindex`: segment every case title and reference again and rebuild the case
search index (after a change of the segmentation, or cases written outside the services)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from krabuan.workflow.search import reindex


class Command(BaseCommand):
    help = "Rebuild the case search index (PyThaiNLP newmm terms, FTS5 / GIN)"

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        verbose = int(options.get("verbosity", 1)) >= 1
        with transaction.atomic():
            done = reindex(progress=self.stderr.write if verbose else None)
        if verbose:
            self.stdout.write(f"indexed {done:,} cases in {time.perf_counter() - began:.1f} s")
