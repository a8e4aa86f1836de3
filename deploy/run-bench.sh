#!/usr/bin/env bash
# `npm run bench`: every benchmark, printing figures and ratios (targets are
# checked here, never by timed assertions in tests). `npm run bench -- NAME`
# runs only test/bench/NAME-bench.ts.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/prepare.sh
npx tsc -p tsconfig.bench.json

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  names=(zk-listing pipeline assembly glance-upload builder)
fi
for name in "${names[@]}"; do
  echo "=== bench: $name"
  node "dist-bench/test/bench/$name-bench.js"
done
