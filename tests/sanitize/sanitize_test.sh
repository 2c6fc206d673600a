#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The unit, integration and fault tests once more, on a build with AddressSanitizer
# and UndefinedBehaviorSanitizer where any report fails the test; and format's
# hashing threads under ThreadSanitizer, on the layouts where threads share
# leaf blocks, with outputs equal to the plain build's.
. "$(dirname "$0")/../integration/lib.sh"
cd "$TOP" || exit 2

# build DIR FLAGS: the programs and unit tests with FLAGS into DIR.
build() {
	make -s --no-print-directory O="$1" CFLAGS="-O1 -g -fno-omit-frame-pointer $2" LDFLAGS="$2" \
		all tests >"$T/build.log" 2>&1
}

# Sanitizer reports end the process with a failure exit status, which the tests see.
export ASAN_OPTIONS=abort_on_error=0:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export TSAN_OPTIONS=halt_on_error=1:exitcode=66

if build "$O/asan" "-fsanitize=address,undefined -fno-sanitize-recover=all"; then
	for group in unit integration fault; do
		# Indented in the log, so the nested result lines are not counted twice.
		out=$(O="$O/asan" tests/run.sh "tests/$group/" 2>&1)
		# shellcheck disable=SC2001 # a prefix on every line, which ${//} cannot do
		sed 's/^/    /' <<<"$out"
		summary=$(tail -n 1 <<<"$out")
		case $summary in
		*" passed, 0 failed"*) pass "asan_ubsan_$group" ;;
		*) fail "asan_ubsan_$group" "$summary (see the log)" ;;
		esac
	done
else
	fail asan_ubsan_build "$(tail -n 5 "$T/build.log")"
fi

if build "$O/tsan" -fsanitize=thread; then
	head -c $((16387 * 4096)) /dev/zero | openssl enc -aes-256-ctr -nosalt -K "$(printf '%064x' 7)" \
		-iv 00000000000000000000000000000000 >"$T/img"
	while read -r name layout; do
		# shellcheck disable=SC2086 # the layout is a list of options
		if ! "$O/tsan/ipe-policygen" format $layout --seed t "$T/img" "$T/tsan.hash" >/dev/null; then
			fail "$name" "ThreadSanitizer report or failure (see the log)"
		elif ! "$O/ipe-policygen" format $layout --seed t "$T/img" "$T/plain.hash" >/dev/null ||
			! cmp -s "$T/tsan.hash" "$T/plain.hash"; then
			fail "$name" "the output differs from the plain build's"
		else
			pass "$name"
		fi
	done <<-EOF
		tsan_format_2_threads --threads 2
		tsan_format_shared_leaf_blocks --threads 7 --hash-block-size 65536
		tsan_format_small_blocks_sha512 --threads 3 --data-block-size 512 --hash-block-size 512 --hash sha512
	EOF
else
	fail tsan_build "$(tail -n 5 "$T/build.log")"
fi
finish
