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
"$UV" run krabuan load_demo_privacy
"$UV" run krabuan load_demo_breach
"$UV" run krabuan load_demo_requests
"$UV" run krabuan ensure_admin
# KPI 1 (data catalog) and KPIs 2 and 5 (PDPA) tick their deliverables from the modules.
"$UV" run krabuan bind_live_sources --year 2566 1=catalog.kpi1_level 2=privacy.kpi2_level 5=privacy.kpi5_level
