#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Where `ipe-policygen format` writes: onto block devices (loop devices on the
# host), in place, against `veritysetup format` onto a twin device with the
# same prior contents (the whole devices must end up equal); and onto a full
# filesystem, which must fail cleanly. Needs root.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/verity/lib.sh"
need_veritysetup verity_output || { finish; exit; }

LOOPS=()
attach() { # attach VAR FILE [OPTION]: set VAR to a new loop device on FILE
	local dev
	dev=$(losetup --find --show "${@:3}" "$2" 2>/dev/null) || return 1
	LOOPS+=("$dev")
	printf -v "$1" %s "$dev"
}
MOUNTED=
cleanup() {
	local l
	for l in "${LOOPS[@]}"; do losetup -d "$l" 2>/dev/null; done
	[ -z "$MOUNTED" ] || umount "$MOUNTED"
	rm -rf "$T"
}
trap cleanup EXIT
# The loop devices, set by attach.
ours_dev='' theirs_dev='' data_dev='' small_dev=''

random_file "$T/data" $((1000 * 4096))
# Both hash devices start with the same non-zero bytes, so bytes that neither
# tool writes compare equal too, and bytes one of them zeroes would not.
head -c $((8 << 20)) /dev/zero | tr '\000' '\125' >"$T/hash_ours"
cp "$T/hash_ours" "$T/hash_theirs"
if ! attach ours_dev "$T/hash_ours" || ! attach theirs_dev "$T/hash_theirs"; then
	skip verity_output "no loop devices here (losetup needs root and /dev/loop-control)"
	finish
	exit
fi

# compare NAME ARGS...: format DATA onto both devices in place, compare them whole.
compare() {
	local name=$1 ours theirs
	shift
	ours=$(ipe-policygen format "$@" "$T/data" "$ours_dev")
	theirs=$(veritysetup format "$@" "$T/data" "$theirs_dev" | vs_root)
	if [ -z "$ours" ] || [ "$ours" != "$theirs" ]; then
		fail "$name" "root '$ours', veritysetup '$theirs'"
	elif ! cmp -s "$ours_dev" "$theirs_dev"; then
		fail "$name" "devices differ: $(cmp "$ours_dev" "$theirs_dev" 2>&1)"
	elif ! veritysetup verify "$@" "$T/data" "$ours_dev" "$ours" >/dev/null; then
		fail "$name" "veritysetup verify rejects the tree on $ours_dev"
	else
		pass "$name"
	fi
}

compare blockdev_hash --salt "$SALT_SHORT" --uuid "$UUID"
compare blockdev_hash_offset --hash-offset $((1 << 20)) --salt "$SALT_LONG" --uuid "$UUID"
compare blockdev_sha512_small_blocks --hash sha512 --hash-block-size 1024 --data-block-size 512 \
	--salt - --uuid "$UUID"
compare blockdev_no_superblock --no-superblock --hash-offset 8192 --salt "$SALT_SHORT"

root=$(ipe-policygen format --salt "$SALT_SHORT" --uuid "$UUID" "$T/data" "$ours_dev")
check blockdev_verify ipe-policygen verify "$T/data" "$ours_dev" "$root"

# Data on a block device too (read-only), tree in a file.
if attach data_dev "$T/data" --read-only; then
	ours=$(ipe-policygen format --salt "$SALT_SHORT" --uuid "$UUID" "$data_dev" "$T/tree")
	theirs=$(veritysetup format --salt "$SALT_SHORT" --uuid "$UUID" "$data_dev" "$T/tree_vs" | vs_root)
	[ -n "$ours" ] && [ "$ours" = "$theirs" ] && [ "$ours" = "$root" ] && cmp -s "$T/tree" "$T/tree_vs" &&
		pass blockdev_data || fail blockdev_data "root '$ours' vs '$theirs' or trees differ"
else
	fail blockdev_data "cannot attach the data file read-only"
fi

# A device too small for the tree: refused before hashing, the device untouched.
head -c $((8 << 10)) /dev/zero | tr '\000' '\125' >"$T/small"
cp "$T/small" "$T/small.orig"
if attach small_dev "$T/small"; then
	check_exit blockdev_too_small 2 ipe-policygen format --salt - "$T/data" "$small_dev"
	cmp -s "$small_dev" "$T/small.orig" && pass blockdev_too_small_untouched ||
		fail blockdev_too_small_untouched "the device was written"
else
	fail blockdev_too_small "cannot attach a loop device"
fi

# A filesystem that fills up while the workers write the leaves: one line
# naming the hash file, exit 2, no temporary file left, the old file intact.
mkdir "$T/full"
if mount -t tmpfs -o size=128k tmpfs "$T/full" 2>/dev/null; then
	MOUNTED=$T/full
	echo old >"$T/full/tree"
	truncate -s 64M "$T/sparse" # 512 KiB of leaves
	err=$(ipe-policygen format --salt - --uuid "$UUID" "$T/sparse" "$T/full/tree" 2>&1 >/dev/null)
	rc=$?
	if [ $rc = 2 ] && [ "$(grep -c . <<<"$err")" = 1 ] &&
		grep -q "$T/full/tree: cannot write: No space left on device" <<<"$err" &&
		[ "$(cat "$T/full/tree")" = old ] && [ "$(ls -A "$T/full")" = tree ]; then
		pass format_enospc
	else
		fail format_enospc "exit $rc, '$err', left: $(find "$T/full" -mindepth 1 -maxdepth 1 -printf '%f ')"
	fi
else
	fail format_enospc "cannot mount a tmpfs"
fi
finish
