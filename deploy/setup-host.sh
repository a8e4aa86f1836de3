#!/usr/bin/env bash
# Installs the Debian packages Kiln needs, only those missing. Idempotent; used by
# the README's Quick start, by `npm test` setup and by .ci/run.
set -euo pipefail

PACKAGES=(
  zookeeper            # embedded/test ZooKeeper server (jar + deps)
  libslf4j-java        # slf4j-simple binding so ZooKeeper logs somewhere
  qemu-utils           # qemu-img convert/info
  qemu-system-x86      # boot tests (TCG)
  debootstrap          # debian-minimal element
  fdisk                # sfdisk
  e2fsprogs            # mkfs.ext4 -d
  dosfstools mtools    # EFI system partition without loop devices
  grub2-common grub-pc-bin grub-efi-amd64-bin
  squashfs-tools       # squashfs output
  zstd                 # fast compression
  openssl              # test certificates for ZooKeeper TLS
  xfsprogs             # xfs root filesystems (DIB FS_TYPE=xfs)
  python3-kazoo        # interop tests with the Python ZooKeeper client
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
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-host: done"
