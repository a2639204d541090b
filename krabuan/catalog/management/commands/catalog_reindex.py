"""`krabuan catalog_reindex`: rebuild the catalog's search documents and full-text index (after
migration 0002 on existing data, a change of the segmentation, or a bulk load without services)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from krabuan.catalog.search.index import reindex_all


class Command(BaseCommand):
    help = "Rebuild the catalog search index (PyThaiNLP segmentation, FTS5 / tsvector)."

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        verbose = int(options.get("verbosity", 1)) >= 1

        def progress(done: int, total: int) -> None:
            if verbose:
                self.stderr.write(f"  {done:,} / {total:,}")

        done = reindex_all(progress=progress)
        if verbose:
            seconds = time.perf_counter() - began
            self.stdout.write(f"indexed {done:,} datasets in {seconds:.1f} s")
