#!/usr/bin/env bash
# Builds the offline test images from Debian packages (no Docker Hub): a busybox web image for
# lifecycle tests, a Jupyter workspace image, and that image with OpenSSH, git and rsync (SSH
# tests). Each is cached by tag and rebuilt only if missing (or with --force).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
force=${1:-}
BASE=hubdeck-test/debian:bookworm
BUSYBOX=hubdeck-test/busybox-web:3
JUPYTER=hubdeck-test/jupyter:1
SSHD=hubdeck-test/sshd:2
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

have() { [ "$force" != "--force" ] && docker image inspect "$1" >/dev/null 2>&1; }
need_pkg() { command -v "$1" >/dev/null || { apt-get install -y -q "$2" >/dev/null; }; }

if have "$BUSYBOX"; then echo "images: $BUSYBOX cached"; else
  [ -x /bin/busybox ] && /bin/busybox --help 2>&1 | grep -q 'statically\|static' || \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q busybox-static >/dev/null
  ctx=$(mktemp -d); cp /bin/busybox "$ctx/busybox"; cp "$here/assets/images/busybox-web/"* "$ctx/"
  docker build -q -t "$BUSYBOX" "$ctx" >/dev/null; rm -rf "$ctx"; echo "images: built $BUSYBOX"
fi

if have "$JUPYTER"; then echo "images: $JUPYTER cached"; else
  if ! have "$BASE"; then
    need_pkg debootstrap debootstrap
    root=$(mktemp -d)
    debootstrap --variant=minbase bookworm "$root" "$MIRROR" >/dev/null
    tar -C "$root" -c . | docker import - "$BASE" >/dev/null; rm -rf "$root"; echo "images: built $BASE"
  fi
  docker build -q --build-arg BASE="$BASE" -t "$JUPYTER" "$here/assets/images/jupyter" >/dev/null
  echo "images: built $JUPYTER"
fi

if have "$SSHD"; then echo "images: $SSHD cached"; else
  docker build -q --build-arg BASE="$JUPYTER" -t "$SSHD" "$here/assets/images/sshd" >/dev/null
  echo "images: built $SSHD"
fi
