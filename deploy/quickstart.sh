#!/usr/bin/env bash
# The README's first command (`npm run quickstart`): from a fresh clone, set up
# what is missing, start Kiln's embedded ZooKeeper and `kiln builder` with
# config/nodepool.yaml, follow the builds of its images live (a bootable
# Debian 12 VM image, boot-tested in QEMU, and a tiny fake-os image), wait for
# their uploads to the `local` provider, and print `kiln dib-image-list` and
# `kiln image-list`. Then it stops what it started, unless --keep-running.
#
# State (ZooKeeper data, images, logs, the "cloud" directory) lives in
# ./.kiln-state unless NODEPOOL_STATE_DIR says otherwise; the element cache in
# ~/.cache/image-create, so a second run is much faster.
set -euo pipefail
cd "$(dirname "$0")/.."

KEEP_RUNNING=false
[ "${1:-}" = "--keep-running" ] && KEEP_RUNNING=true

export NODEPOOL_STATE_DIR="${NODEPOOL_STATE_DIR:-$PWD/.kiln-state}"
CONFIG=config/nodepool.yaml
mkdir -p "$NODEPOOL_STATE_DIR"
BUILDER_LOG="$NODEPOOL_STATE_DIR/builder.log"

bash deploy/prepare.sh

kiln() { node bin/kiln.js -c "$CONFIG" "$@"; }
IMAGES=$(node --input-type=module -e "
  const { loadConfig } = await import('./dist/config/load-config.js');
  const config = await loadConfig('$CONFIG');
  console.log([...config.diskimages.keys()].join(' '));")

echo "== config: $CONFIG (images: $IMAGES)"
kiln config-validate
echo "== embedded ZooKeeper"
kiln embedded-zookeeper start

echo "== requesting builds"
for image in $IMAGES; do kiln image-build "$image"; done

echo "== starting kiln builder (log: $BUILDER_LOG)"
node bin/kiln.js builder -c "$CONFIG" --cleanup-interval 30 >>"$BUILDER_LOG" 2>&1 &
BUILDER_PID=$!
stop_builder() {
  if kill -0 "$BUILDER_PID" 2>/dev/null; then
    kill -TERM "$BUILDER_PID" && wait "$BUILDER_PID" || true
  fi
}
if [ "$KEEP_RUNNING" = false ]; then
  trap 'stop_builder; kiln embedded-zookeeper stop >/dev/null' EXIT
fi

status=0
BUILT=""
for image in $IMAGES; do
  echo "== following the build of $image"
  if kiln image-build "$image" --follow; then
    BUILT="$BUILT $image"
  else
    status=1
    echo "build of $image failed; its log is in $NODEPOOL_STATE_DIR/logs/ and the builder's in $BUILDER_LOG" >&2
  fi
done

echo "== waiting for the uploads of:$BUILT"
for _ in $(seq 1 60); do
  [ -z "$BUILT" ] && break
  pending=$(kiln image-list --json | node --input-type=module -e "
    let text = ''; process.stdin.on('data', (c) => (text += c)).on('end', () => {
      const uploads = JSON.parse(text);
      const images = process.argv[1].split(' ');
      console.log(images.filter((i) => !uploads.some((u) => u.image === i && u.state === 'ready')).length);
    });" "${BUILT# }")
  [ "$pending" = 0 ] && break
  sleep 2
done

echo "== kiln dib-image-list"
kiln dib-image-list
echo "== kiln image-list"
kiln image-list
echo "== kiln image-status"
kiln image-status

if [ "$KEEP_RUNNING" = true ]; then
  echo "kiln builder keeps running (pid $BUILDER_PID); stop it with: kill $BUILDER_PID; node bin/kiln.js -c $CONFIG embedded-zookeeper stop"
fi
exit $status
