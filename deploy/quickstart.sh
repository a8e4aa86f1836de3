#!/usr/bin/env bash
# The README's first command (`npm run quickstart`): from a fresh clone, set up
# what is missing, start Kiln's embedded ZooKeeper, request a build of the
# example config's images, and show what Nodepool's CLI would show.
# State (ZooKeeper data, images, logs) lives in ./.kiln-state unless
# NODEPOOL_STATE_DIR says otherwise. `--stop` stops the embedded ZooKeeper at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

export NODEPOOL_STATE_DIR="${NODEPOOL_STATE_DIR:-$PWD/.kiln-state}"
CONFIG=config/nodepool.yaml
mkdir -p "$NODEPOOL_STATE_DIR"

bash deploy/prepare.sh

kiln() { node bin/kiln.js -c "$CONFIG" "$@"; }

echo "== config"
kiln config-validate
echo "== embedded ZooKeeper"
kiln embedded-zookeeper start
echo "== request builds"
for image in $(node -e "
  import('./dist/config/load-config.js').then(async ({ loadConfig }) => {
    const c = await loadConfig('$CONFIG');
    console.log([...c.diskimages.keys()].join(' '));
  })"); do
  kiln image-build "$image"
  echo "requested $image"
done
echo "== kiln image-status"
kiln image-status
echo "== kiln dib-image-list"
kiln dib-image-list
echo "== kiln image-list"
kiln image-list

if [ "${1:-}" = "--stop" ]; then
  kiln embedded-zookeeper stop
else
  echo "(the embedded ZooKeeper keeps running; stop it with: node bin/kiln.js -c $CONFIG embedded-zookeeper stop)"
fi
