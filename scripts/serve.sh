#!/usr/bin/env bash
# Serve the web app (gunicorn) and the background worker (Huey) together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
UV=scripts/uv.sh
"$UV" run krabuan run_huey --workers 2 --worker-type thread &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
echo "==> Krabuan on http://127.0.0.1:${PORT}  (worker pid ${worker})"
"$UV" run gunicorn config.wsgi:application --bind "127.0.0.1:${PORT}" --workers 2 \
  --access-logfile - --timeout 120
