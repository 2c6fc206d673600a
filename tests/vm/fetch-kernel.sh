#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Find the kernel the VM tests boot, downloading Debian's when needed.
#
#   tests/vm/fetch-kernel.sh      prints "KERNEL=PATH" and "MODULES=PATH"
#
# IPE_TEST_KERNEL=/path/to/bzImage (with IPE_TEST_MODULES=/lib/modules/VER
# for a modular kernel) selects any other kernel. Otherwise Debian trixie's
# linux-image-amd64 (6.12, IPE built in) is fetched through a private apt
# configuration under the cache directory: the machine's own sources, lists
# and archives are not touched. IPE_TEST_REFRESH=1 looks for a newer one.
# Exit status 77 (skip) when no kernel can be had, with the reason on stderr
# (and in $VM_SKIP_FILE).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -n "${IPE_TEST_KERNEL:-}" ]; then
	[ -r "$IPE_TEST_KERNEL" ] || vm_die "IPE_TEST_KERNEL=$IPE_TEST_KERNEL is not readable"
	echo "KERNEL=$IPE_TEST_KERNEL"
	echo "MODULES=${IPE_TEST_MODULES:-}"
	exit 0
fi

kdir=$VM_CACHE/kernel
current=$kdir/current
if [ -z "${IPE_TEST_REFRESH:-}" ] && [ -r "$current/vmlinuz" ]; then
	echo "KERNEL=$current/vmlinuz"
	echo "MODULES=$(echo "$current"/lib/modules/*)"
	exit 0
fi

# The reason also goes to $VM_SKIP_FILE when set, for the SKIP line.
skip() {
	echo "vm: cannot fetch the test kernel: $*" >&2
	[ -z "${VM_SKIP_FILE:-}" ] || echo "cannot fetch the test kernel: $*" >"$VM_SKIP_FILE"
	exit 77
}
command -v apt-get >/dev/null || skip "apt-get is not installed"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || skip "$keyring is missing (debian-archive-keyring)"

apt=$VM_CACHE/apt
mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/cache" "$apt/empty" "$kdir"
echo "deb [signed-by=$keyring] $VM_MIRROR $VM_SUITE main" >"$apt/sources.list"
# Everything apt reads or writes is redirected into $apt; the host's apt
# preferences and status are only read.
aptopts=(-o "Dir::Etc::sourcelist=$apt/sources.list" -o "Dir::Etc::sourceparts=$apt/empty"
	-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
	-o "Dir::Cache::archives=$apt/archives" -o "Dir::Etc::preferencesparts=$apt/empty"
	-o Dir::Etc::preferences=/dev/null -o APT::Architecture=amd64
	-o APT::Sandbox::User=root -o Debug::NoLocking=1 -o Acquire::Retries=2 -q)

vm_say "updating the package lists of Debian $VM_SUITE into $apt (private apt configuration)"
# apt-get update exits 0 when a fetch failed; its Err:/W: lines tell.
out=$(apt-get "${aptopts[@]}" update 2>&1) || true
printf '%s\n' "$out" >&2
if grep -qE '^(Err:|E:|W: Failed to fetch)' <<<"$out" || ! ls "$apt/lists/"*_Packages* >/dev/null 2>&1; then
	skip "apt-get update of $VM_MIRROR $VM_SUITE failed (no network?)"
fi

# linux-image-amd64 depends on linux-image-VER-amd64; its unsigned twin holds
# the same kernel without the Secure Boot signature.
dep=$(apt-cache "${aptopts[@]}" depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n 1) || true
[ -n "$dep" ] || skip "linux-image-amd64 has no linux-image-VER-amd64 dependency in $VM_SUITE"
pkg=$dep-unsigned
apt-cache "${aptopts[@]}" show "$pkg" >/dev/null 2>&1 || pkg=$dep
ver=$(apt-cache "${aptopts[@]}" show "$pkg" | sed -n 's/^Version: //p' | head -n 1)
dest=$kdir/$pkg-$ver

if [ ! -r "$dest/vmlinuz" ]; then
	size=$(apt-cache "${aptopts[@]}" show "$pkg" | sed -n 's/^Size: //p' | head -n 1)
	vm_say "downloading $pkg $ver ($((size / 1048576)) MiB) from $VM_MIRROR"
	(cd "$apt/archives" && apt-get "${aptopts[@]}" download "$pkg=$ver" >&2) ||
		skip "downloading $pkg failed"
	debs=("$apt/archives/${pkg}_"*.deb)
	deb=${debs[0]}
	vm_say "unpacking $deb"
	tmp=$(mktemp -d "$kdir/.unpack.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	dpkg-deb -x "$deb" "$tmp/root"
	# trixie ships modules under /usr/lib/modules (merged /usr)
	mods=$tmp/root/usr/lib/modules
	[ -d "$mods" ] || mods=$tmp/root/lib/modules
	kvers=("$mods"/*)
	kver=${kvers[0]##*/}
	mkdir -p "$tmp/out/lib/modules"
	mv "$tmp/root/boot/vmlinuz-$kver" "$tmp/out/vmlinuz"
	mv "$tmp/root/boot/config-$kver" "$tmp/out/config" 2>/dev/null || true
	mv "$mods/$kver" "$tmp/out/lib/modules/$kver"
	depmod -b "$tmp/out" "$kver"
	rm -rf "$dest"
	mv "$tmp/out" "$dest"
	rm -f "$deb"
fi
ln -sfn "$(basename "$dest")" "$current"
echo "KERNEL=$current/vmlinuz"
echo "MODULES=$(echo "$current"/lib/modules/*)"
