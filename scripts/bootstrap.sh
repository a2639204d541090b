#!/usr/bin/env bash
# Install what Krabuan needs on a fresh Debian/Ubuntu machine: system packages (Thai fonts, the
# PDF libraries, gettext; Chromium for the browser tests), uv, and the locked Python packages.
# Usage: scripts/bootstrap.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(python3-venv gettext fonts-thai-tlwg fonts-tlwg-laksaman libpango-1.0-0 libpangoft2-1.0-0
          libharfbuzz-subset0 poppler-utils)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium chromium-driver)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "==> apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Krabuan needs these system packages. Run as root:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# uv: use the one on PATH, else install it into a private venv (no downloads outside PyPI).
if command -v uv >/dev/null 2>&1; then
  UV=$(command -v uv)
else
  if [[ ! -x .tools/venv/bin/uv ]]; then
    echo "==> installing uv into .tools/venv"
    python3 -m venv .tools/venv
    .tools/venv/bin/pip install -q uv
  fi
  UV=.tools/venv/bin/uv
fi
"$UV" sync --frozen -q
if [[ -d locale ]]; then
  DJANGO_SETTINGS_MODULE=config.settings.test "$UV" run krabuan compilemessages -v0 \
    --ignore=.venv --ignore=.tools
fi
