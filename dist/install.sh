#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Install or uninstall ipe-tools (called by `make install` / `make uninstall`,
# which pass the directories in the environment).
#
#   dist/install.sh install|uninstall PROGRAM... -- MANPAGE...
#
# One list of files serves both, so uninstall removes exactly what install
# put there (and the directories it leaves empty), nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=$1
shift
: "${O:?}" "${bindir:?}" "${mandir:?}" "${unitdir:?}" "${s6rcdir:?}" "${docdir:?}" \
	"${bashcompletiondir:?}" "${zshcompletiondir:?}" "${DESTDIR=}"
programs=() manpages=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do programs+=("$1"); shift; done
[ $# -gt 0 ] && shift
manpages=("$@")

# entries: "MODE SOURCE DEST" lines, DEST relative to DESTDIR.
entries() {
	local f p
	for f in "${programs[@]}"; do
		[ -x "$f" ] && echo "0755 $f $bindir/$(basename "$f")"
	done
	for f in "${manpages[@]}"; do
		echo "0644 $f $mandir/man1/$(basename "$f")"
	done
	for f in "$O"/dist/systemd/*; do
		echo "0644 $f $unitdir/$(basename "$f")"
	done
	(cd "$O/dist/s6-rc" && find . -type f | LC_ALL=C sort) | while read -r f; do
		f=${f#./}
		[ -x "$O/dist/s6-rc/$f" ] && p=0755 || p=0644
		echo "$p $O/dist/s6-rc/$f $s6rcdir/$f"
	done
	for f in "${programs[@]}"; do
		echo "0644 dist/completion/ipe-tools.bash $bashcompletiondir/$(basename "$f")"
	done
	echo "0644 dist/completion/_ipe-tools $zshcompletiondir/_ipe-tools"
	for f in dist/examples/*; do
		echo "0644 $f $docdir/examples/$(basename "$f")"
	done
}

case $mode in
install)
	entries | while read -r perm src dest; do
		printf '  %-8s %s\n' INSTALL "$DESTDIR$dest"
		install -D -m "$perm" "$src" "$DESTDIR$dest"
	done
	# s6-rc wants the (empty) dependencies.d/ and contents.d/ files, which
	# the loop installed; empty directories have no entries, so none exist.
	;;
uninstall)
	entries | while read -r perm src dest; do
		if [ -e "$DESTDIR$dest" ] || [ -L "$DESTDIR$dest" ]; then
			printf '  %-8s %s\n' RM "$DESTDIR$dest"
			rm -f "$DESTDIR$dest"
		fi
		# Directories the file leaves empty go too, up to (not including) the roots.
		d=$(dirname "$DESTDIR$dest")
		while [ "$d" != / ] && [ "$d" != "$DESTDIR" ] && rmdir "$d" 2>/dev/null; do
			d=$(dirname "$d")
		done
	done
	;;
*)
	echo "usage: $0 install|uninstall PROGRAM... -- MANPAGE..." >&2
	exit 2
	;;
esac
