#!/usr/bin/env bash
# Provides a reflink-capable file system for the reflink/FIEMAP tests (DESIGN.md §2.3): a loop-mounted
# XFS image with reflink=1. Idempotent: an existing image or mount is reused. Needs root (mount, losetup).
# Prints the mount directory on stdout; everything else goes to stderr.
set -euo pipefail

IMAGE="${ENGRAM_REFLINK_IMAGE:-/var/tmp/engram-xfs.img}"
MOUNT_DIR="${ENGRAM_REFLINK_MOUNT:-/mnt/engram-xfs}"
SIZE_MIB=512

fail() {
    echo "reflink-fs: $*" >&2
    exit 1
}

[[ $(id -u) -eq 0 ]] || fail "must run as root (it creates a loop mount at $MOUNT_DIR)"

if ! command -v mkfs.xfs >/dev/null 2>&1; then
    echo "reflink-fs: mkfs.xfs missing, installing xfsprogs" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q xfsprogs >&2 \
        || fail "cannot install xfsprogs with apt-get"
fi

if mountpoint -q "$MOUNT_DIR"; then
    fstype=$(findmnt -n -o FSTYPE --target "$MOUNT_DIR")
    [[ $fstype == xfs ]] || fail "$MOUNT_DIR is already mounted with $fstype, not xfs; unmount it first"
    echo "$MOUNT_DIR"
    exit 0
fi

if [[ ! -s $IMAGE ]]; then
    mkdir -p "$(dirname "$IMAGE")"
    # A sparse image: the tests write a few MiB, so the host disk barely notices 512 MiB.
    truncate -s "${SIZE_MIB}M" "$IMAGE" || fail "cannot create $IMAGE"
    mkfs.xfs -q -m reflink=1 "$IMAGE" >&2 || { rm -f "$IMAGE"; fail "mkfs.xfs -m reflink=1 failed on $IMAGE"; }
fi

mkdir -p "$MOUNT_DIR" || fail "cannot create $MOUNT_DIR"
mount -o loop "$IMAGE" "$MOUNT_DIR" >&2 \
    || fail "cannot loop-mount $IMAGE at $MOUNT_DIR (are loop devices available? try: modprobe loop)"
# Tests run as the same user that runs this script (root in CI); keep the directory private otherwise.
chmod 0700 "$MOUNT_DIR"
echo "$MOUNT_DIR"
