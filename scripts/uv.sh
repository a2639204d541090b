#!/usr/bin/env bash
# Run uv from PATH or from the private venv that bootstrap.sh made.
if command -v uv >/dev/null 2>&1; then exec uv "$@"; fi
exec "$(dirname "$0")/../.tools/venv/bin/uv" "$@"
