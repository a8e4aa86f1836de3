#!/usr/bin/env bash
# Installs the Debian packages Kiln needs, only those missing. Idempotent; used by
# the README's Quick start, by `npm test` setup and by .ci/run.
set -euo pipefail

PACKAGES=(
  zookeeper            # embedded/test ZooKeeper server (jar + deps)
  libslf4j-java        # slf4j-simple binding so ZooKeeper logs somewhere
  qemu-utils           # qemu-img convert/info
  qemu-system-x86      # boot tests (TCG)
  ovmf                 # UEFI firmware for boot tests of EFI images
  debootstrap          # debian-minimal element (fallback)
  mmdebstrap           # debian-minimal element: faster bootstrap when present
  fdisk                # sfdisk
  e2fsprogs            # mkfs.ext4 -d
  dosfstools mtools    # EFI system partition without loop devices
  grub2-common grub-pc-bin grub-efi-amd64-bin
  squashfs-tools       # squashfs output
  zstd                 # fast compression
  pigz                 # parallel gzip for tgz outputs
  openssl              # test certificates for ZooKeeper TLS
  xfsprogs             # xfs root filesystems (DIB FS_TYPE=xfs)
  lvm2                 # the lvm block-device plugin (metadata only: no device-mapper needed)
  python3-kazoo        # interop tests with the Python ZooKeeper client
  glance-api           # a real Glance for the OpenStack provider tests (started on 127.0.0.1 by the tests)
  curl                 # the upload benchmark compares against curl -T
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-host: all ${#PACKAGES[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-host: missing packages ${missing[*]}; run as root to install them" >&2
  exit 1
fi

echo "setup-host: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Packages such as glance-api would start their services on install; Kiln's
# tests start their own on 127.0.0.1. Deny service starts while we install
# (only when no policy is in place already; removed afterwards).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-host: done"
