#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `ipe-policygen verify` and `dump`: intact images pass, any flipped byte in the
# data or the tree fails with exit 1 (and veritysetup verify agrees), bad
# input fails with exit 2.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/verity/lib.sh"
need_veritysetup verity_verify || { finish; exit; }

random_file "$T/data" $((1000 * 4096))
root=$(ipe-policygen format --salt "$SALT_SHORT" --uuid "$UUID" "$T/data" "$T/hash")
check_exit verify_intact 0 ipe-policygen verify "$T/data" "$T/hash" "$root"
printf %s "$root" >"$T/rh"
check_exit verify_root_hash_file 0 ipe-policygen verify --root-hash-file "$T/rh" "$T/data" "$T/hash"

# flip FILE OFFSET: xor one byte.
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059 # the format is the byte to write, as an octal escape
	printf "$(printf '\\%03o' $((b ^ 0x5a)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# corrupt NAME FILE OFFSET WANT_MESSAGE
corrupt() {
	local name=$1 which=$2 off=$3 want=$4 rc msg
	cp "$T/data" "$T/d"
	cp "$T/hash" "$T/h"
	flip "$T/$which" "$off"
	msg=$(ipe-policygen verify "$T/d" "$T/h" "$root" 2>&1)
	rc=$?
	if [ $rc != 1 ]; then
		fail "$name" "exit $rc, expected 1: $msg"
	elif ! grep -q -- "$want" <<<"$msg"; then
		fail "$name" "message '$msg' lacks '$want'"
	elif veritysetup verify "$T/d" "$T/h" "$root" >/dev/null 2>&1; then
		fail "$name" "veritysetup verify accepts it"
	else
		pass "$name"
	fi
}

corrupt verify_data_first_block d 0 "data block 0 "
corrupt verify_data_block_777 d $((777 * 4096 + 123)) "data block 777 "
corrupt verify_data_last_byte d $((1000 * 4096 - 1)) "data block 999 "
# 1000 blocks: hash file = superblock block, 1 top block, 8 leaf blocks.
corrupt verify_hash_leaf_block h $((5 * 4096 + 17)) "hash block 5 (tree level 0)"
corrupt verify_hash_top_block h $((1 * 4096 + 3)) "root hash does not match"
corrupt verify_hash_leaf_padding h $((9 * 4096 + 4095)) "hash block 9 (tree level 0)"

head -c $((999 * 4096)) "$T/data" >"$T/short_data"
check_exit verify_truncated_data 1 ipe-policygen verify "$T/short_data" "$T/hash" "$root"
head -c $((5 * 4096)) "$T/hash" >"$T/short_hash"
check_exit verify_truncated_hash 1 ipe-policygen verify "$T/data" "$T/short_hash" "$root"

wrong=$(printf '%s' "$root" | tr '0-9a-f' '1-9a-f0')
check_exit verify_wrong_root 1 ipe-policygen verify "$T/data" "$T/hash" "$wrong"
check_exit verify_bad_root_syntax 2 ipe-policygen verify "$T/data" "$T/hash" xyz
check_exit verify_short_root 2 ipe-policygen verify "$T/data" "$T/hash" "${root:0:62}"
check_exit verify_missing_data 2 ipe-policygen verify "$T/nonexistent" "$T/hash" "$root"
check_exit verify_no_superblock_file 2 ipe-policygen verify "$T/data" "$T/data" "$root"

# No superblock: the parameters come from the options.
root_ns=$(ipe-policygen format --no-superblock --hash sha512 --hash-block-size 1024 --salt - "$T/data" "$T/hash_ns")
check_exit verify_no_superblock 0 ipe-policygen verify --no-superblock --hash sha512 --hash-block-size 1024 \
	--salt - "$T/data" "$T/hash_ns" "$root_ns"
cp "$T/data" "$T/d"
flip "$T/d" $((300 * 4096))
check_exit verify_no_superblock_corrupt 1 ipe-policygen verify --no-superblock --hash sha512 \
	--hash-block-size 1024 --salt - "$T/d" "$T/hash_ns" "$root_ns"

# One data block: the root is the digest of that block.
head -c 4096 "$T/data" >"$T/one"
root1=$(ipe-policygen format --salt - --uuid "$UUID" "$T/one" "$T/hash1")
check_exit verify_single_block 0 ipe-policygen verify "$T/one" "$T/hash1" "$root1"
flip "$T/one" 9
check_exit verify_single_block_corrupt 1 ipe-policygen verify "$T/one" "$T/hash1" "$root1"

# Same file with an offset.
cp "$T/data" "$T/same"
root_same=$(ipe-policygen format --hash-offset $((1000 * 4096)) --seed x "$T/same" "$T/same")
check_exit verify_same_file 0 ipe-policygen verify --hash-offset $((1000 * 4096)) "$T/same" "$T/same" "$root_same"

# dump agrees with veritysetup dump, field by field.
if diff <(ipe-policygen dump "$T/hash" | sed 1d) <(veritysetup dump "$T/hash" | sed 1d) >"$T/diff"; then
	pass dump_matches_veritysetup
else
	fail dump_matches_veritysetup "$(head -5 "$T/diff")"
fi
veritysetup format --hash-offset 1024 --salt - --uuid "$UUID" "$T/data" "$T/hash_off" >/dev/null
if diff <(ipe-policygen dump --hash-offset 1024 "$T/hash_off" | sed 1d) \
	<(veritysetup dump --hash-offset 1024 "$T/hash_off" | sed 1d) >"$T/diff"; then
	pass dump_offset_matches_veritysetup
else
	fail dump_offset_matches_veritysetup "$(head -5 "$T/diff")"
fi
if ipe-policygen dump --json "$T/hash" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["hash_algorithm"] == "sha256" and d["data_blocks"] == 1000 and d["uuid"] == sys.argv[1]
assert d["salt"] == sys.argv[2] and d["hash_start"] == 1 and d["hash_blocks"] == 9
' "$UUID" "$SALT_SHORT"; then pass dump_json; else fail dump_json; fi
check_exit dump_not_verity 1 ipe-policygen dump "$T/data"
check_exit dump_missing 2 ipe-policygen dump "$T/nonexistent"

finish
