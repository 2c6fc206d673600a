#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the base initramfs of the test VM (a gzip'd newc cpio).
#
#   tests/vm/mkinitramfs.sh OUT.cpio.gz [MODULES_DIR]
#
# Holds busybox-static, veritysetup, dmsetup, keyctl and the project's binaries with
# the shared libraries ldd lists, the static guest helpers (built here from
# tests/vm/guest/*.c), the kernel modules of VM_MODULES with their
# dependencies (decompressed, in load order), and tests/vm/guest/init. Each
# test appends its own payload archive (tests/vm/lib.sh: vm_boot).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
out=$1
moddir=${2:-}

root=$(mktemp -d /tmp/ipe-vm-initramfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,run,mnt,payload,lib/modules,usr/sbin,usr/bin}

# copy_with_libs FILE DEST: FILE at DEST plus what the dynamic loader needs.
copy_with_libs() {
	install -D -m 0755 "$1" "$root$2"
	ldd "$1" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' |
		while read -r lib; do
			[ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
		done
}

install -m 0755 /bin/busybox "$root/bin/busybox"
copy_with_libs "$(command -v veritysetup)" /usr/sbin/veritysetup
copy_with_libs "$(command -v keyctl)" /usr/bin/keyctl
# dmsetup: the independent view of device-mapper tables the auditor's scan is checked against.
if command -v dmsetup >/dev/null; then
	copy_with_libs "$(command -v dmsetup)" /usr/sbin/dmsetup
fi
# ipe-auditd brings libbpf, libelf and libz along (ldd).
for p in ipe-policygen ipe-keys ipe-auditd; do
	[ -x "$O/$p" ] && copy_with_libs "$O/$p" "/usr/bin/$p"
done
for c in "$VM_DIR"/guest/*.c; do
	gcc -static -O2 -Wall -Wextra -Werror -o "$root/usr/bin/$(basename "$c" .c)" "$c"
done
install -m 0755 "$VM_DIR/guest/init" "$root/init"
install -m 0644 "$VM_DIR/guest/lib.sh" "$root/lib/vm-guest.sh"

# Modules: each wanted one after its dependencies (modules.dep), once.
: >"$root/lib/modules/order"
if [ -n "$moddir" ] && [ -r "$moddir/modules.dep" ]; then
	declare -A seen=()
	add_module() {
		local path=$1 dep
		[ -n "${seen[$path]:-}" ] && return
		seen[$path]=1
		# shellcheck disable=SC2013 # modules.dep gives a module's dependencies as words of one line
		for dep in $(sed -n "s|^$path: *||p" "$moddir/modules.dep"); do
			add_module "$dep"
		done
		local name
		name=$(basename "$path")
		name=${name%.xz}
		name=${name%.zst}
		name=${name%.gz}
		case $path in
		*.xz) xz -dc "$moddir/$path" >"$root/lib/modules/$name" ;;
		*.zst) zstd -qdc "$moddir/$path" >"$root/lib/modules/$name" ;;
		*.gz) gzip -dc "$moddir/$path" >"$root/lib/modules/$name" ;;
		*) cp "$moddir/$path" "$root/lib/modules/$name" ;;
		esac
		echo "$name" >>"$root/lib/modules/order"
	}
	for m in "${VM_MODULES[@]}"; do
		# modules.dep spells dm-mod as dm-mod, and some as name_with_underscores
		path=$(grep -E "/(${m}|${m//-/_}|${m//_/-})\.ko(\.[a-z]+)?:" "$moddir/modules.dep" | head -n 1 | cut -d: -f1)
		[ -n "$path" ] && add_module "$path"
	done
fi

(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp.$$"
mv "$out.tmp.$$" "$out"
