"""`krabuan catalog_reindex`: rebuild the catalog's search documents, full-text index, facet keys
and totals and stored dicts (after a change of the segmentation, or a bulk load without
services). `--check` changes nothing: it compares the facet totals with a recount and the
datasets' visibility with what their keys were counted under, and exits 1 on a difference."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from krabuan.catalog.search import totals
from krabuan.catalog.search.index import reindex_all


class Command(BaseCommand):
    help = "Rebuild the catalog search index (PyThaiNLP segmentation, FTS5 / tsvector)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="compare the facet totals with a recount instead of rebuilding (exit 1 if off)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("check"):
            found = totals.differences()
            for klass, key, stored, expected in found[:50]:
                self.stdout.write(f"{klass or '-'} {key}: stored {stored}, recounted {expected}")
            if found:
                raise CommandError(
                    f"{len(found)} differences: run `krabuan catalog_reindex` to rebuild"
                )
            self.stdout.write("facet totals match the datasets")
            return
        began = time.perf_counter()
        verbose = int(options.get("verbosity", 1)) >= 1

        def progress(done: int, total: int) -> None:
            if verbose:
                self.stderr.write(f"  {done:,} / {total:,}")

        done = reindex_all(progress=progress)
        if verbose:
            seconds = time.perf_counter() - began
            self.stdout.write(f"indexed {done:,} datasets in {seconds:.1f} s")
