"""`python -m bench [name ...]`: run the benchmarks on a throwaway database, print the table and
write it as JSON (var/bench/latest.json unless --json says otherwise).

Names select modules by substring: `python -m bench process docx` runs process_list,
process_detail and manual_docx. The exit code is 1 only if a benchmark or the setup crashed;
the numbers themselves never fail the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

# In the order they are reported; cheap ones first, the Word export last.
MODULES = (
    "workdays",
    "durations",
    "thai_text",
    "process_list",
    "process_detail",
    "manual_docx",
)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "names",
        nargs="*",
        metavar="name",
        help=f"run only modules whose name contains one of these: {MODULES}",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=None,
        help="where to write the JSON report (default var/bench/latest.json)",
    )
    args = parser.parse_args(argv)
    chosen = [m for m in MODULES if not args.names or any(n in m for n in args.names)]
    if not chosen:
        parser.error(f"no benchmark matches {args.names}; known: {', '.join(MODULES)}")
    args.modules = chosen
    return args


def _git_commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=5,
        )
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _say(message: str) -> None:
    # Progress goes to stderr so that stdout is the table alone.
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
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
            _say(f"database ready ({connection.vendor}): {setup['counts']}")
            for name in args.modules:
                began = time.perf_counter()
                _say(f"running {name} ...")
                try:
                    module = importlib.import_module(f"bench.{name}")
                    results.extend(module.run())
                except Exception:
                    failures[name] = traceback.format_exc()
                    _say(failures[name])
                setup[f"{name}_seconds"] = round(time.perf_counter() - began, 2)
    except Exception:
        failures["setup"] = traceback.format_exc()
        _say(failures["setup"])

    total = round(time.perf_counter() - started, 1)
    print(table(results))
    report = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": connection.vendor,
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "total_seconds": total,
        "setup": setup,
        "results": [r.as_json() for r in results],
        "failures": failures,
    }
    path = args.json or Path(settings.VAR_DIR) / "bench" / "latest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    _say(f"\n{len(results)} results in {total} s, written to {path}")
    if failures:
        _say(f"FAILED: {', '.join(failures)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
