#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the vendored s6-rc into DIR once; prints DIR/bin.
#
#   tests/vendor/s6-rc/build.sh DIR
#
# Needs Debian's skalibs-dev, libexecline-dev and libs6-dev (tests/deps.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
tarball=$here/s6-rc-0.5.4.1.tar.gz
if [ -x "$dir/bin/s6-rc-compile" ] && [ "$dir/bin/s6-rc-compile" -nt "$tarball" ]; then
	echo "$dir/bin"
	exit 0
fi
sysdeps=$(find /usr/lib -maxdepth 3 -path "*/skalibs/sysdeps" -type d 2>/dev/null | head -n 1)
[ -n "$sysdeps" ] || { echo "s6-rc: skalibs sysdeps not found (package skalibs-dev)" >&2; exit 2; }
src=$(mktemp -d /tmp/ipe-s6-rc.XXXXXX)
trap 'rm -rf "$src"' EXIT
tar -xzf "$tarball" -C "$src"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
(
	cd "$src/s6-rc-0.5.4.1"
	./configure --prefix="$dir" --with-sysdeps="$sysdeps"
	make -j2
	make install
) >&2
echo "$dir/bin"
