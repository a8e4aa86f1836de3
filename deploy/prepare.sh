#!/usr/bin/env bash
# Shared first step of the npm commands (test, bench, quickstart): the Debian
# packages, the npm dependencies when missing or stale, and the build.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/setup-host.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run -s build
