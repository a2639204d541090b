"""`python -m bench [name ...]`: run the benchmarks on a throwaway database, print the table and
write it as JSON (var/bench/latest.json unless --json says otherwise); then the workflow load
benchmark (bench/workflow_load.py: generated data, the real server under locust, the escalation
sweep), which writes var/bench/workflow.json.

Names select modules by substring: `python -m bench process docx` runs process_list,
process_detail and manual_docx; `python -m bench workflow --cases 200000` runs only the load
benchmark at the issue's scale; `python -m bench catalog` only the catalog benchmark
(bench/catalog.py: 20,000 datasets, package_search, package_show, harvester paging), which
writes var/bench/catalog.json. The exit code is 1 only if a benchmark or the setup crashed;
the numbers themselves never fail the run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from bench.report import machine, say

# In the order they are reported; cheap ones first, the Word export last.
MODULES = (
    "workdays",
    "durations",
    "thai_text",
    "process_list",
    "process_detail",
    "manual_docx",
)
# Run last, in a process of its own: it needs a real database file (or PostgreSQL database)
# that a server process can open, and settings of its own (bench/workflow_load.py).
SEPARATE = ("workflow", "catalog")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    from bench import catalog, workflow_load

    parser = argparse.ArgumentParser(
        prog="python -m bench", description=" ".join(__doc__.split("\n\n")[0].split())
    )
    parser.add_argument(
        "names",
        nargs="*",
        metavar="name",
        help=f"run only modules whose name contains one of these: {MODULES + SEPARATE}",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=None,
        help="where to write the JSON report (default var/bench/latest.json)",
    )
    workflow_options = parser.add_argument_group("workflow load benchmark")
    workflow_load.add_arguments(workflow_options)  # type: ignore[arg-type]
    # The catalog benchmark shares --seed and --reuse with the workflow one.
    catalog.add_arguments(parser.add_argument_group("catalog benchmark"))
    args = parser.parse_args(argv)

    def wanted(module: str) -> bool:
        return not args.names or any(n in module for n in args.names)

    args.modules = [m for m in MODULES if wanted(m)]
    args.separate = [m for m in SEPARATE if wanted(m)]
    if not args.modules and not args.separate:
        known = ", ".join(MODULES + SEPARATE)
        parser.error(f"no benchmark matches {args.names}; known: {known}")
    return args


def _workflow(args: argparse.Namespace) -> int:
    """The load benchmark as a child process; its table goes to this stdout."""
    from bench import workflow_load

    say("\nrunning workflow (load benchmark) ...")
    command = [sys.executable, "-m", "bench.workflow_load", *workflow_load.forwarded(args)]
    return subprocess.run(command, check=False).returncode


def _catalog(args: argparse.Namespace) -> int:
    """The catalog benchmark as a child process (its own database and settings)."""
    from bench import catalog

    say("\nrunning catalog (search, package_show, harvester paging) ...")
    command = [sys.executable, "-m", "bench.catalog", *catalog.forwarded(args)]
    return subprocess.run(command, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    code = _in_process(args) if args.modules else 0
    for name, runner in (("workflow", _workflow), ("catalog", _catalog)):
        if name in args.separate:
            sys.stdout.flush()
            if runner(args) != 0:
                say(f"FAILED: {name} (see above)")
                code = 1
    return code


def _in_process(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from bench import environment
    from bench.harness import Result, table

    started = time.perf_counter()
    results: list[Result] = []
    failures: dict[str, str] = {}
    setup: dict[str, Any] = {}
    try:
        with environment.benchmark_database():
            loaded_at = time.perf_counter()
            setup["counts"] = environment.data_load()
            setup["database_seconds"] = round(loaded_at - started, 2)
            setup["data_load_seconds"] = round(time.perf_counter() - loaded_at, 2)
            say(f"database ready ({connection.vendor}): {setup['counts']}")
            for name in args.modules:
                began = time.perf_counter()
                say(f"running {name} ...")
                try:
                    module = importlib.import_module(f"bench.{name}")
                    results.extend(module.run())
                except Exception:
                    failures[name] = traceback.format_exc()
                    say(failures[name])
                setup[f"{name}_seconds"] = round(time.perf_counter() - began, 2)
    except Exception:
        failures["setup"] = traceback.format_exc()
        say(failures["setup"])

    total = round(time.perf_counter() - started, 1)
    print(table(results))
    report = {
        **machine(),
        "django": django.get_version(),
        "database": connection.vendor,
        "total_seconds": total,
        "setup": setup,
        "results": [r.as_json() for r in results],
        "failures": failures,
    }
    path = args.json or Path(settings.VAR_DIR) / "bench" / "latest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    say(f"\n{len(results)} results in {total} s, written to {path}")
    if failures:
        say(f"FAILED: {', '.join(failures)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
