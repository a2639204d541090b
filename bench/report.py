"""What every benchmark report starts with, and progress lines: shared by `python -m bench`,
the workflow load run and the catalog run."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parent.parent


def say(message: str) -> None:
    """A progress line on stderr, so that stdout holds the table alone."""
    print(message, file=sys.stderr, flush=True)


def git_commit() -> str:
    """The short commit of the checkout, or "" outside git."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=5,
            cwd=REPO_DIR,
        )
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def machine() -> dict[str, Any]:
    """When, at which commit and on what the run was made, with the load before it."""
    return {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
