#!/usr/bin/env bash
# Migrate and load the demo organisation, the FY2567 manual, the demo catalog and the admin account
# (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
UV=scripts/uv.sh
"$UV" run krabuan migrate --noinput -v0
"$UV" run krabuan createcachetable
"$UV" run krabuan collectstatic --noinput -v0
"$UV" run krabuan load_demo_org
"$UV" run krabuan load_manual --year 2567
"$UV" run krabuan load_agreement --year 2566
"$UV" run krabuan load_demo_schedules
"$UV" run krabuan load_demo_cases
"$UV" run krabuan load_demo_catalog
"$UV" run krabuan ensure_admin
