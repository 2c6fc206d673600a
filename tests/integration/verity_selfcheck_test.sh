#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# format's self-check against faults injected into the builder of the test
# binary ipe-policygen-fault (policygen/format_fault.h): --verify=sampled
# refuses every systematic fault and every wrong byte of the hash file and
# leaves no output; --verify=full refuses every single-byte fault, a wrong
# leaf included; the sample is as large and as random as documented.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/verity/lib.sh"
F=$O/tests/ipe-policygen-fault
if [ ! -x "$F" ]; then
	fail verity_selfcheck "$F missing (make tests)"
	finish
	exit
fi
random_file "$T/random" $((2048 * 4096))

# refused MODE FAULT DATA ARGS...: format with FAULT fails with exit 2, one line that
# names the self-check or libcryptsetup, and no hash file or temporary file left.
# Prints the error line.
refused() {
	local mode=$1 fault=$2 data=$3 dir rc err
	shift 3
	dir=$(mktemp -d "$T/run.XXXXXX")
	IPE_TOOLS_FORMAT_FAULT=$fault "$F" format --verify="$mode" --salt "$SALT_SHORT" --uuid "$UUID" "$@" \
		"$data" "$dir/h" >/dev/null 2>"$dir/err"
	rc=$?
	err=$(cat "$dir/err")
	echo "$err"
	[ "$rc" = 2 ] && [ "$(wc -l <"$dir/err")" = 1 ] && [ ! -e "$dir/h" ] &&
		! compgen -G "$dir/.h.*" >/dev/null && rm -rf "$dir"
}

head -c $((2048 * 4096)) "$T/random" >"$T/d8m"
# Without a fault the test binary writes what veritysetup writes.
root=$("$F" format --salt "$SALT_SHORT" --uuid "$UUID" "$T/d8m" "$T/clean")
theirs=$(veritysetup format --salt "$SALT_SHORT" --uuid "$UUID" "$T/d8m" "$T/vs" | vs_root)
if [ -n "$root" ] && [ "$root" = "$theirs" ] && cmp -s "$T/clean" "$T/vs"; then
	pass selfcheck_no_fault_identical
else
	fail selfcheck_no_fault_identical "root '$root', veritysetup '$theirs'"
fi

# Systematic faults (8 MiB of 4 KiB blocks: levels 1 (one block) and 0 (16 blocks)).
for fault in salt-after block-size shift:0 shift:1 misplace:0 misplace:7 misplace:15 \
	byte:sb:0 byte:sb:81 byte:sb:600 byte:sb:4095 byte:1:0 byte:1:4095 byte:0:0 byte:0:65535; do
	for mode in sampled full; do
		if err=$(refused "$mode" "$fault" "$T/d8m"); then
			pass "selfcheck_${mode}_refuses_$fault"
		else
			fail "selfcheck_${mode}_refuses_$fault" "not refused as expected: $err"
		fi
	done
done

# Every byte of the hash file, one at a time, with --verify=full, in a layout of 512-byte
# blocks and 17 data blocks (a superblock block, level 1, two leaf blocks): each is refused
# by the self-check that full runs first and sampled runs alone, so both refuse it whatever
# the sample. Then every other byte of the tree with --verify=sampled in two layouts with
# bytes that hold no digest: sha1 format 1 (12 zero bytes after each digest) and sha1
# format 0 (a block ends in 192 zero bytes).
head -c $((17 * 512)) "$T/random" >"$T/d17"
export F T UUID SALT_SHORT
# every_byte NAME MODE FIRST STEP ARGS...
every_byte() {
	local name=$1 first=$3 step=$4
	export MODE=$2 LAYOUT="${*:5}"
	# The offsets not refused by the self-check, one a line, with why.
	# shellcheck disable=SC2016 # expanded by the inner shell
	seq "$first" "$step" 2047 | xargs -P "$(nproc)" -n 128 bash -c '
		dir=$(mktemp -d "$T/bytes.XXXXXX")
		for off; do
			# shellcheck disable=SC2086 # the layout is a list of options
			IPE_TOOLS_FORMAT_FAULT=byte:sb:$off "$F" format --verify="$MODE" --salt "$SALT_SHORT" \
				--uuid "$UUID" $LAYOUT "$T/d17" "$dir/h" >/dev/null 2>"$dir/err"
			rc=$? err=$(<"$dir/err")
			if [ "$rc" != 2 ] || [[ $err != *"fails the self-check"* ]] || [ -e "$dir/h" ] ||
				compgen -G "$dir/.h.*" >/dev/null; then
				echo "$off: exit $rc: $err"
			fi
		done' _ >"$T/missed_$name"
	if [ ! -s "$T/missed_$name" ]; then
		pass "selfcheck_every_byte_$name"
	else
		fail "selfcheck_every_byte_$name" "$(wc -l <"$T/missed_$name") offsets, first $(head -1 "$T/missed_$name")"
	fi
}
every_byte sha256_full full 0 1 --data-block-size 512 --hash-block-size 512
every_byte sha1_sampled sampled 512 2 --hash sha1 --data-block-size 512 --hash-block-size 512
every_byte sha1_format0_sampled sampled 512 2 --hash sha1 --format 0 --data-block-size 512 --hash-block-size 512

# Wrong padding under a consistent tree: only the check of the bytes that hold no digest
# sees it (the last leaf block holds one digest, level 1 two; sha1 format 1 leaves 12 zero
# bytes after each digest).
for layout in "sha256:" "sha1:--hash sha1" "sha1_format0:--hash sha1 --format 0"; do
	for fault in pad:0 pad:1; do
		for mode in sampled full; do
			name=selfcheck_${mode}_refuses_${fault}_${layout%%:*}
			# shellcheck disable=SC2086 # the layout's options
			if err=$(refused "$mode" "$fault" "$T/d17" --data-block-size 512 --hash-block-size 512 ${layout#*:}) &&
				[[ $err == *"hold no digest are not zero"* ]]; then
				pass "$name"
			else
				fail "$name" "not refused as expected: $err"
			fi
		done
	done
done

# A wrong leaf (a data block hashed from wrong bytes, the levels above consistent with it).
# An image of at most 1024 data blocks is sampled whole: sampled refuses every one.
missed=''
for b in $(seq 0 16); do
	refused sampled "leaf:$b" "$T/d17" --data-block-size 512 --hash-block-size 512 >/dev/null ||
		missed+=" $b"
done
if [ -z "$missed" ]; then pass selfcheck_sampled_every_leaf_small; else fail selfcheck_sampled_every_leaf_small "missed$missed"; fi
# full refuses every one in a larger image too, through libcryptsetup's pass over the data
# where the sample missed it.
missed='' by_libcryptsetup=0
for b in 0 1 127 128 511 512 1000 1023 1024 2046 2047 $(seq 3 97 2000); do
	if err=$(refused full "leaf:$b" "$T/d8m"); then
		[[ $err == *libcryptsetup* ]] && by_libcryptsetup=$((by_libcryptsetup + 1))
	else
		missed+=" $b"
	fi
done
if [ -z "$missed" ] && [ "$by_libcryptsetup" -gt 0 ]; then
	pass selfcheck_full_every_leaf
else
	fail selfcheck_full_every_leaf "missed$missed; $by_libcryptsetup refused by libcryptsetup"
fi

# 2048 data blocks: one sample in every window of 2, so a single wrong leaf is found with
# probability 1/2, on a fresh seed each run. 40 tries: fewer than 5 or more than 35
# refusals happen with probability below 2e-7 (binomial) unless the sample is not random.
caught=0
for i in $(seq 40); do
	refused sampled "leaf:$((i * 37 % 2048))" "$T/d8m" >/dev/null && caught=$((caught + 1))
done
if [ "$caught" -ge 5 ] && [ "$caught" -le 35 ]; then
	pass "selfcheck_sampled_leaf_probability_${caught}_of_40"
else
	fail selfcheck_sampled_leaf_probability "$caught of 40 wrong leaves refused, expected about 20"
fi

# The sample's size, from the debug log: 1024 of 2048 blocks (window 2); 64 MiB: 1024 of
# 16384 (window 16); 512 MiB: one per 512 KiB (window 128), and its cost is logged.
head -c $((64 << 20)) /dev/zero >"$T/d64m"
check_sample() {
	local name=$1 data=$2 want=$3 log
	log=$(IPE_TOOLS_LOG_LEVEL=debug ipe-policygen format --salt - --uuid "$UUID" "$data" "$T/hs" 2>&1 >/dev/null)
	if [[ $log == *"self-check: "*" hash blocks, $want"*" s"* ]]; then
		pass "$name"
	else
		fail "$name" "debug log: $log"
	fi
}
check_sample selfcheck_sample_8m "$T/d8m" "1024 of 2048 data blocks (one in every 2,"
check_sample selfcheck_sample_64m "$T/d64m" "1024 of 16384 data blocks (one in every 16,"
truncate -s 512M "$T/d64m"
check_sample selfcheck_sample_512m "$T/d64m" "1024 of 131072 data blocks (one in every 128,"

# --verify values; --no-verify is none.
check_exit selfcheck_verify_bad_value 2 ipe-policygen format --verify=some "$T/d17" "$T/hx"
for v in --verify=sampled --verify=full --verify=none --no-verify; do
	rm -f "$T/hv"
	r=$(ipe-policygen format "$v" --data-block-size 512 --salt "$SALT_SHORT" --uuid "$UUID" "$T/d17" "$T/hv")
	t=$(veritysetup format --data-block-size 512 --salt "$SALT_SHORT" --uuid "$UUID" "$T/d17" "$T/hw" | vs_root)
	if [ "$r" = "$t" ] && cmp -s "$T/hv" "$T/hw"; then pass "selfcheck_option_$v"; else fail "selfcheck_option_$v"; fi
done
# none writes what the builder made, faults included: the knob really reaches the output.
r=$(IPE_TOOLS_FORMAT_FAULT=byte:0:0 "$F" format --verify=none --salt "$SALT_SHORT" --uuid "$UUID" "$T/d8m" "$T/hn")
if [ -n "$r" ] && ! cmp -s "$T/hn" "$T/clean" && ! veritysetup verify "$T/d8m" "$T/hn" "$r" >/dev/null 2>&1; then
	pass selfcheck_none_writes_the_fault
else
	fail selfcheck_none_writes_the_fault "the injected byte did not reach the file"
fi
finish
