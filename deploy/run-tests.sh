#!/usr/bin/env bash
# The test command of the README (`npm test`) and of .ci/run: installs what the
# tests need (Debian packages, npm dependencies), builds, and runs jest. The
# test setup starts its own ZooKeeper (and glance-api where needed) on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/prepare.sh
npm run -s typecheck
exec npm run -s test:jest -- "$@"
