"""The catalog benchmark (issue 5): `python -m bench catalog [--datasets N] [--reuse]`, also
directly `python -m bench.catalog`. bench/README.md ("Catalog") says how to read it.

1. Database. SQLite: the file var/bench/catalog-sqlite/krabuan.sqlite3. PostgreSQL (when
   DATABASE_URL names a postgres server): the database `krabuan_bench_catalog` on that server,
   whatever name the URL gives. Either is wiped, migrated and filled by bench.catalog_data
   (20,000 datasets, 60,000 resources, bulk-inserted, then indexed in bulk); `--reuse` keeps
   data generated earlier with the same size and seed (generated.json beside it).
2. Latency (bench/catalog_measure.py), in this process through django.test.Client over the
   whole Django stack (URL routing, middleware, the CKAN Action API view, JSON): each of an
   endpoint's requests right after one to the trivial endpoint (`status_show`), one at a
   time, so a busy moment of the machine hits both and the ratio carries across machines.
3. The search layer alone (`dataset_search`, no dicts) for the same Thai queries, to separate
   ranking and facets from building the result dicts.
4. Query counts at rows=10 and rows=100, and a full harvester-style paging run (rows=100,
   sort=id asc, start += 100 until an empty page), anonymous as GD Catalog calls it.

The JSON goes to var/bench/catalog.json (and catalog-<database>.json), the table to stdout,
progress to stderr. Exit code 1 only when something crashed; a missed target never fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import traceback
import urllib.parse
from pathlib import Path
from typing import Any

from bench.report import machine, say

BASE_DIR = Path(__file__).resolve().parent.parent
PG_DATABASE = "krabuan_bench_catalog"
DEFAULT_DATASETS = 20_000
DEFAULT_REQUESTS = 150
GENERATOR_VERSION = 1  # bump when bench/catalog_data.py makes different data


def add_arguments(parser: argparse.ArgumentParser | Any) -> None:
    """The options of the catalog run (also offered by `python -m bench`)."""
    parser.add_argument(
        "--datasets",
        type=int,
        default=DEFAULT_DATASETS,
        help=f"catalog benchmark: datasets to generate (default {DEFAULT_DATASETS:,}; "
        "three resources each)",
    )
    parser.add_argument(
        "--catalog-requests",
        type=int,
        default=DEFAULT_REQUESTS,
        help=f"catalog benchmark: timed requests per endpoint (default {DEFAULT_REQUESTS})",
    )


def forwarded(args: argparse.Namespace) -> list[str]:
    """The catalog options of parsed arguments, as a command line for this module."""
    out = [
        f"--datasets={args.datasets}",
        f"--catalog-requests={args.catalog_requests}",
        f"--seed={args.seed}",
    ]
    return [*out, "--reuse"] if args.reuse else out


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.catalog", description=__doc__.splitlines()[0]
    )
    add_arguments(parser)
    parser.add_argument("--seed", type=int, default=2567, help="random seed of the generator")
    parser.add_argument(
        "--reuse", action="store_true", help="keep data generated earlier with the same size"
    )
    return parser.parse_args(argv)


# --- where the data lives --------------------------------------------------------------------


def _target() -> dict[str, Any]:
    root = Path(os.environ.get("KRABUAN_VAR_DIR", BASE_DIR / "var")) / "bench"
    url = os.environ.get("DATABASE_URL", "")
    scheme = urllib.parse.urlsplit(url).scheme if url else ""
    if scheme in ("postgres", "postgresql", "pgsql"):
        parts = urllib.parse.urlsplit(url)
        url = urllib.parse.urlunsplit(parts._replace(path=f"/{PG_DATABASE}"))
        folder = root / "catalog-postgresql"
        return {"vendor": "postgresql", "dir": folder, "url": url, "root": root}
    if url and scheme != "sqlite":
        raise SystemExit(f"the catalog benchmark runs on SQLite or PostgreSQL, not {scheme}")
    return {"vendor": "sqlite", "dir": root / "catalog-sqlite", "url": "", "root": root}


def _wipe(target: dict[str, Any]) -> None:
    target["dir"].mkdir(parents=True, exist_ok=True)
    (target["dir"] / "generated.json").unlink(missing_ok=True)
    if target["vendor"] == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target['dir'] / 'krabuan.sqlite3'}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    parts = urllib.parse.urlsplit(target["url"])
    conninfo = psycopg.conninfo.make_conninfo(
        host=parts.hostname or "",
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or ""),
        password=urllib.parse.unquote(parts.password or ""),
        dbname="postgres",
    )
    with psycopg.connect(conninfo, autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}"')
        pg.execute(f'CREATE DATABASE "{PG_DATABASE}"')


def _reusable(target: dict[str, Any], args: argparse.Namespace) -> dict[str, Any] | None:
    path = target["dir"] / "generated.json"
    if not args.reuse or not path.exists():
        return None
    meta = json.loads(path.read_text(encoding="utf-8"))
    wanted = {"datasets": args.datasets, "seed": args.seed, "version": GENERATOR_VERSION}
    if {k: meta.get(k) for k in wanted} != wanted:
        say(f"--reuse: {path} was made with {meta}, not {wanted}; generating again")
        return None
    return meta


def _analyze() -> None:
    """PostgreSQL: statistics and visibility maps of what was just written (a migration may
    have rewritten every search row); without them the planner misjudges the text matches."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _fill(target: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command

    from bench import catalog_data

    began = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    say(f"  migrated in {time.perf_counter() - began:.1f} s")
    made = catalog_data.generate(datasets=args.datasets, seed=args.seed, progress=say)
    _analyze()
    meta = {
        "datasets": args.datasets,
        "seed": args.seed,
        "version": GENERATOR_VERSION,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "generation": made.as_json(),
    }
    path = target["dir"] / "generated.json"
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta


# --- report ----------------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"


def _table(report: dict[str, Any]) -> str:
    from bench import catalog_measure

    data = report["data"]
    lines = [
        f"Catalog on {report['database']}: {data['datasets']:,} datasets, "
        f"{data['resources']:,} resources ({data['public_harvestable']:,} public and "
        f"harvestable); {report['cpu_count']} CPUs, load average {report['load_average_before']}",
        "In-process django.test.Client, one request at a time, each right after one to the "
        f"trivial endpoint ({catalog_measure.TRIVIAL}). Times in ms; "
        "× trivial = p50 over the trivial p50.",
        "",
        f"{'endpoint':<15} {'p50':>7} {'p95':>7} {'p99':>7} {'× trivial':>10} {'n':>5}  p95<100",
    ]
    latency = report["latency"]
    trivial = latency["trivial"]
    lines.append(
        f"{'trivial':<15} {_fmt(trivial['p50_ms']):>7} {_fmt(trivial['p95_ms']):>7} "
        f"{_fmt(trivial['p99_ms']):>7} {'1':>10} {trivial['n']:>5}"
    )
    for key, row in latency["endpoints"].items():
        s = row["stats"]
        if not s.get("n"):
            lines.append(f"{key:<15} FAILED: {row['error'][:100]}")
            continue
        met = "yes" if row["p95_target_met"] else "NO"
        lines.append(
            f"{key:<15} {_fmt(s['p50_ms']):>7} {_fmt(s['p95_ms']):>7} {_fmt(s['p99_ms']):>7} "
            f"{_fmt(row['ratio_p50']):>10} {s['n']:>5}  {met}"
        )
    lines += ["", "endpoints:"]
    lines += [f"  {k:<15} {r['label']}" for k, r in latency["endpoints"].items()]
    lines += ["", "dataset_search alone (count, ids, 5 facets; no dicts), harvest-only filter:"]
    for q, s in report["search_layer"].items():
        lines.append(
            f"  {q:<28} p50 {_fmt(s['p50_ms']):>6}  p95 {_fmt(s['p95_ms']):>6}  "
            f"{s['count']:>6,} found"
        )
    lines += ["", "query counts:"]
    for row in report["query_counts"]:
        if "queries" in row:
            lines.append(f"  {row['request']:<42} {row['queries']:>3}")
        else:
            lines.append(
                f"  {row['request']:<42} {row['queries_10']:>3} at rows=10, "
                f"{row['queries_100']:>3} at rows=100"
            )
    h = report["harvest"]
    lines += [
        "",
        f"harvester run (rows=100, sort=id asc, until empty): {h['seconds']} s, {h['pages']} "
        f"pages, {h['datasets']:,} datasets ({h['distinct']:,} distinct, in id order: "
        f"{h['in_id_order']}), page p50 {h['page']['p50_ms']} / p95 {h['page']['p95_ms']} ms",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """The whole catalog benchmark with parsed options; returns the exit code."""
    started = time.perf_counter()
    target = _target()
    report: dict[str, Any] = {
        **machine(),
        "database": target["vendor"],
        "options": {
            "datasets": args.datasets,
            "seed": args.seed,
            "requests": args.catalog_requests,
            "reuse": args.reuse,
        },
        "target_p95_ms": 100.0,
    }
    failures: dict[str, str] = {}
    meta = _reusable(target, args)
    if meta is None:
        say(f"preparing the {target['vendor']} catalog database with {args.datasets:,} datasets")
        _wipe(target)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "KRABUAN_VAR_DIR": str(target["dir"]),
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("DJANGO_DEBUG", None)
    if target["url"]:
        os.environ["DATABASE_URL"] = target["url"]
    else:
        os.environ.pop("DATABASE_URL", None)
    (target["dir"] / "staticfiles").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    report["django"] = django.get_version()
    try:
        from django.core.management import call_command

        from bench import catalog_measure
        from krabuan.catalog.models import Dataset, Resource, State

        reused = meta is not None
        if meta is None:
            meta = _fill(target, args)
        else:
            say(f"reusing the {target['vendor']} catalog ({meta['datasets']:,} datasets)")
            call_command("migrate", verbosity=0, interactive=False)
            _analyze()
        harvestable = Dataset.objects.filter(
            state=State.ACTIVE, private=False, allow_harvest=True
        ).count()
        report["data"] = meta["generation"] | {
            "datasets": Dataset.objects.count(),
            "resources": Resource.objects.count(),
            "public_harvestable": harvestable,
            "reused": reused,
        }
        # Datasets an anonymous caller (GD Catalog) may show: spread over the whole catalog.
        public = Dataset.objects.filter(state=State.ACTIVE, private=False, allow_harvest=True)
        every = max(1, harvestable // 200)
        names = list(public.order_by("name").values_list("name", flat=True))[::every]
        say("query counts ...")
        report["query_counts"] = catalog_measure.query_counts(names)
        say("latency ...")
        report["latency"] = catalog_measure.latency(names, harvestable, args.catalog_requests)
        say("search layer ...")
        report["search_layer"] = catalog_measure.search_layer(args.catalog_requests)
        say("harvester run ...")
        report["harvest"] = catalog_measure.harvest_run()
    except Exception:
        failures["catalog"] = traceback.format_exc()
        say(failures["catalog"])
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    report["failures"] = failures
    if not failures:
        print(_table(report))
    path = target["root"] / "catalog.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n"
    path.write_text(text, encoding="utf-8")
    (target["root"] / f"catalog-{target['vendor']}.json").write_text(text, encoding="utf-8")
    say(f"\ncatalog benchmark in {report['total_seconds']} s, written to {path}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    return run(_arguments(argv))


if __name__ == "__main__":
    sys.exit(main())
