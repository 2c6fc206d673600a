#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `ipe-policygen format` against the oracle `veritysetup format`: byte-identical
# hash files and equal root hashes over a parameter matrix, and the layouts.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/verity/lib.sh"
need_veritysetup verity_format || { finish; exit; }

MATRIX=$TOP/tests/data/verity/matrix.txt
random_file "$T/random" $((16387 * 4096))

# compare NAME DATA ARGS...: format with both tools into fresh files, compare.
compare() {
	local name=$1 data=$2 ours theirs
	shift 2
	rm -f "$T/ours" "$T/theirs"
	if ! ours=$(ipe-policygen format "$@" "$data" "$T/ours"); then
		fail "$name" "ipe-policygen format $* failed"
		return
	fi
	theirs=$(veritysetup format "$@" "$data" "$T/theirs" | vs_root)
	if [ -z "$theirs" ]; then
		fail "$name" "veritysetup format $* failed"
	elif [ "$ours" != "$theirs" ]; then
		fail "$name" "root $ours, veritysetup $theirs"
	elif ! cmp -s "$T/ours" "$T/theirs"; then
		fail "$name" "hash files differ: $(cmp "$T/ours" "$T/theirs" 2>&1)"
	elif ! veritysetup verify "$@" "$data" "$T/ours" "$ours" >/dev/null; then
		fail "$name" "veritysetup verify rejects our tree"
	else
		pass "$name"
	fi
}

while read -r dbs hbs alg salt blocks; do
	case $dbs in '#'* | '') continue ;; esac
	head -c $((blocks * dbs)) "$T/random" >"$T/data"
	compare "format_${alg}_d${dbs}_h${hbs}_salt${salt}_n${blocks}" "$T/data" \
		--hash "$alg" --data-block-size "$dbs" --hash-block-size "$hbs" \
		--salt "$(salt_value "$salt")" --uuid "$UUID"
done <"$MATRIX"

head -c $((129 * 4096)) "$T/random" >"$T/d129"
compare format_no_superblock "$T/d129" --no-superblock --salt "$SALT_SHORT"
compare format_no_superblock_offset "$T/d129" --no-superblock --hash-offset 8192 --salt "$SALT_SHORT"
compare format_hash_offset "$T/d129" --hash-offset 1024 --salt "$SALT_SHORT" --uuid "$UUID"
compare format_hash_offset_sha1_512 "$T/d129" --hash sha1 --hash-block-size 512 --hash-offset 2048 \
	--salt - --uuid "$UUID"
compare format_v0 "$T/d129" --format 0 --salt "$SALT_SHORT" --uuid "$UUID"
compare format_v0_sha1 "$T/d129" --format 0 --hash sha1 --data-block-size 1024 --hash-block-size 512 \
	--salt "$SALT_LONG" --uuid "$UUID"
compare format_data_blocks "$T/d129" --data-blocks 100 --salt "$SALT_SHORT" --uuid "$UUID"
# One data block: no tree, the root is its digest, the file ends after hash block hash_start.
# veritysetup stops writing after the superblock's 4096 bytes, which for hash blocks above
# 4096 bytes leaves a file dm-verity refuses ("Hash device is too small"); the bytes it
# writes are equal.
head -c 4096 "$T/random" >"$T/d1"
rm -f "$T/one_ours" "$T/one_theirs"
ours=$(ipe-policygen format --hash-block-size 8192 --salt "$SALT_SHORT" --uuid "$UUID" "$T/d1" "$T/one_ours")
theirs=$(veritysetup format --hash-block-size 8192 --salt "$SALT_SHORT" --uuid "$UUID" "$T/d1" "$T/one_theirs" | vs_root)
if [ -n "$ours" ] && [ "$ours" = "$theirs" ] && [ "$(stat -c %s "$T/one_ours")" = 8192 ] &&
	cmp -s "$T/one_theirs" <(head -c "$(stat -c %s "$T/one_theirs")" "$T/one_ours") &&
	veritysetup verify --hash-block-size 8192 "$T/d1" "$T/one_ours" "$ours" >/dev/null; then
	pass format_one_block_wide_hash_block
else
	fail format_one_block_wide_hash_block "root '$ours' vs '$theirs', $(stat -c %s "$T/one_ours") bytes"
fi

# Leaf blocks wider than a 2 MiB read: each is filled by 4 reads, on different threads,
# and the last holds 3 entries.
compare format_wide_leaf_blocks "$T/random" --hash-block-size 65536 --salt "$SALT_SHORT" --uuid "$UUID"

# The other algorithms both OpenSSL and the kernel have.
for alg in sha224 sha384 sha3-256 sha3-512 sm3 blake2b-512; do
	compare "format_alg_$alg" "$T/d129" --hash "$alg" --salt "$SALT_SHORT" --uuid "$UUID"
done

# Data and hash in one file: the tree goes after the data, the data stays untouched;
# with a superblock and without one (then libcryptsetup's check needs the data device named).
off=$((129 * 4096))
for sb in "" --no-superblock; do
	cp "$T/d129" "$T/same_ours"
	cp "$T/d129" "$T/same_theirs"
	uuid=(--uuid "$UUID")
	[ -z "$sb" ] || uuid=()
	ours=$(ipe-policygen format $sb --hash-offset $off --salt "$SALT_SHORT" "${uuid[@]}" "$T/same_ours" "$T/same_ours")
	theirs=$(veritysetup format $sb --hash-offset $off --data-blocks 129 --salt "$SALT_SHORT" "${uuid[@]}" \
		"$T/same_theirs" "$T/same_theirs" | vs_root)
	if [ -n "$ours" ] && [ "$ours" = "$theirs" ] && cmp -s "$T/same_ours" "$T/same_theirs" &&
		cmp -s -n $off "$T/same_ours" "$T/d129"; then
		pass "format_same_file${sb:+_no_superblock}"
	else
		fail "format_same_file${sb:+_no_superblock}" "root '$ours' vs '$theirs' or files differ"
	fi
done
cp "$T/d129" "$T/overlap"
check_exit format_same_file_overlap_refused 2 \
	ipe-policygen format --hash-offset 4096 --data-blocks 2 --salt - "$T/overlap" "$T/overlap"
cmp -s "$T/overlap" "$T/d129" && pass format_overlap_untouched || fail format_overlap_untouched

# A separate hash file that already holds bytes before --hash-offset keeps them.
head -c 4096 "$T/random" | tr '\000-\377' '\001-\377\000' >"$T/pre_ours"
cp "$T/pre_ours" "$T/pre_theirs"
ours=$(ipe-policygen format --hash-offset 4096 --salt - --uuid "$UUID" "$T/d129" "$T/pre_ours")
theirs=$(veritysetup format --hash-offset 4096 --salt - --uuid "$UUID" "$T/d129" "$T/pre_theirs" | vs_root)
if [ -n "$ours" ] && [ "$ours" = "$theirs" ] && cmp -s "$T/pre_ours" "$T/pre_theirs"; then
	pass format_hash_offset_keeps_prefix
else
	fail format_hash_offset_keeps_prefix "root '$ours' vs '$theirs' or files differ"
fi

# Threads do not change the bytes.
ipe-policygen format --threads 1 --seed s "$T/random" "$T/t1" >/dev/null
ipe-policygen format --threads 2 --seed s "$T/random" "$T/t2" >/dev/null
ipe-policygen format --threads 7 --seed s "$T/random" "$T/t7" >/dev/null
if cmp -s "$T/t1" "$T/t2" && cmp -s "$T/t1" "$T/t7"; then pass format_threads_identical; else fail format_threads_identical; fi
ipe-policygen format --threads 1 --hash-block-size 65536 --seed s "$T/random" "$T/w1" >/dev/null
ipe-policygen format --threads 7 --hash-block-size 65536 --seed s "$T/random" "$T/w7" >/dev/null
cmp -s "$T/w1" "$T/w7" && pass format_threads_identical_wide || fail format_threads_identical_wide

# An existing hash file is replaced whole, not overwritten in place (no stale tail).
head -c 100000 /dev/urandom >"$T/stale"
ipe-policygen format --salt - --uuid "$UUID" "$T/d129" "$T/stale" >/dev/null
rm -f "$T/fresh"
ipe-policygen format --salt - --uuid "$UUID" "$T/d129" "$T/fresh" >/dev/null
cmp -s "$T/stale" "$T/fresh" && pass format_replaces_whole_file || fail format_replaces_whole_file

# Data blocks above the page size: written as asked, with a warning naming the limit.
head -c 65536 "$T/random" >"$T/d64k"
if err=$(ipe-policygen format --data-block-size 8192 --salt - --uuid "$UUID" "$T/d64k" "$T/big" 2>&1 >/dev/null) &&
	grep -q "above this machine's page size ($(getconf PAGESIZE))" <<<"$err" && [ -s "$T/big" ]; then
	pass format_block_above_page_size_warns
else
	fail format_block_above_page_size_warns "'$err'"
fi

# SIGTERM while hashing: the run ends as SIGTERM ends it (143), removes its temporary
# file and leaves the old hash file. 8 GiB of holes take seconds on one thread.
mkdir "$T/int"
echo old >"$T/int/tree"
truncate -s 8G "$T/holes"
ipe-policygen format --threads 1 --no-verify --salt - --uuid "$UUID" "$T/holes" "$T/int/tree" >/dev/null 2>&1 &
pid=$!
# open_in_int: the output is open (an unnamed O_TMPFILE file in $T/int, or a temporary name there).
open_in_int() {
	local fd
	for fd in "/proc/$pid/fd/"*; do
		[[ $(readlink "$fd" 2>/dev/null) == "$T/int/"* ]] && return 0
	done
	return 1
}
for _ in $(seq 500); do
	open_in_int && break
	sleep 0.02
done
kill -TERM $pid
wait $pid
rc=$?
if [ $rc = 143 ] && [ "$(ls -A "$T/int")" = tree ] && [ "$(cat "$T/int/tree")" = old ]; then
	pass format_sigterm_leaves_nothing
else
	fail format_sigterm_leaves_nothing "exit $rc, left: $(find "$T/int" -mindepth 1 -maxdepth 1 -printf '%f ')"
fi

# An image not in the page cache is read around it with O_DIRECT (its chunks are counted
# in the debug log), and the tree is the same; a file system without O_DIRECT, or one that
# keeps every file in memory, is read through the page cache.
random_file "$T/cold" $((8 << 20))
sync "$T/cold"
dd if="$T/cold" iflag=nocache count=0 status=none
log=$(IPE_TOOLS_LOG_LEVEL=debug ipe-policygen format --salt "$SALT_SHORT" --uuid "$UUID" "$T/cold" "$T/cold_ours" 2>&1 >/dev/null)
veritysetup format --salt "$SALT_SHORT" --uuid "$UUID" "$T/cold" "$T/cold_theirs" >/dev/null
fs=$(stat -f -c %T "$T")
if ! cmp -s "$T/cold_ours" "$T/cold_theirs"; then
	fail format_uncached_identical "hash files differ"
elif [[ $log == *" 0 chunks read with O_DIRECT"* ]] && [ "$fs" = tmpfs ]; then
	skip format_uncached_identical "$T is on tmpfs: nothing to read around"
elif [[ $log =~ \ ([1-4])\ chunks\ read\ with\ O_DIRECT ]]; then
	pass "format_uncached_identical_${BASH_REMATCH[1]}_direct"
else
	fail format_uncached_identical "expected 1 to 4 chunks read with O_DIRECT: $log"
fi

# A side output that cannot be written (a directory as --manifest, a FIFO as
# --root-hash-file) fails before HASH is named: the old hash file stays, and
# no side output is left either.
random_file "$T/side" $((1 << 20))
mkdir -p "$T/side_out/dir.json" && echo old >"$T/side_out/tree" && mkfifo "$T/side_out/rh"
ipe-policygen format --seed side --manifest "$T/side_out/dir.json" "$T/side" "$T/side_out/tree" 2>/dev/null
rc1=$?
timeout 10 ipe-policygen format --seed side --root-hash-file "$T/side_out/rh" --manifest "$T/side_out/m.json" \
	"$T/side" "$T/side_out/tree" 2>/dev/null
rc2=$?
if [ $rc1 = 2 ] && [ $rc2 = 2 ] && [ "$(cat "$T/side_out/tree")" = old ] && [ ! -e "$T/side_out/m.json" ] &&
	[ "$(find "$T/side_out" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort | tr '\n' ' ')" = "dir.json rh tree " ]; then
	pass format_side_output_failure_keeps_hash
else
	fail format_side_output_failure_keeps_hash "exit $rc1/$rc2, tree: $(head -c 8 "$T/side_out/tree" | od -c | head -1), left: $(find "$T/side_out" -mindepth 1 -maxdepth 1 -printf '%f ')"
fi

# DATA that is a FIFO (or a directory) is refused at once: nothing waits for a writer.
mkfifo "$T/data_fifo"
out=$(timeout 10 ipe-policygen format "$T/data_fifo" "$T/fifo_tree" 2>&1)
rc=$?
if [ $rc = 2 ] && [ "$out" = "ipe-policygen: error: $T/data_fifo: not a regular file or block device" ]; then
	pass format_fifo_data_refused
else
	fail format_fifo_data_refused "exit $rc: $out"
fi

finish
