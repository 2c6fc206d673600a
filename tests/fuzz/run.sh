#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the policy fuzz target with libFuzzer, ASan and UBSan, and run it.
#
#   tests/fuzz/run.sh [SECONDS]     (default 60)
#
# Seeds come from tests/data/policies; new inputs and crashes stay in
# $O/fuzz (nothing is written into the source tree). Exit 0 when nothing
# was found, 77 when the toolchain is missing, 1 on a finding.
set -eu
cd "$(dirname "$0")/../.."
O=${O:-build}
seconds=${1:-60}
CLANG=${CLANG:-clang}
out=$O/fuzz
rm -rf "$out/artifacts"
mkdir -p "$out/corpus" "$out/artifacts"

if ! command -v "$CLANG" >/dev/null; then
	echo "no $CLANG" >&2
	exit 77
fi
srcs=(policy/buf.c policy/check.c policy/eval.c policy/format.c policy/model.c policy/names.c
	policy/parse.c policy/version.c lib/hexdecoct.c tests/fuzz/fuzz_policy.c)
if ! "$CLANG" -g -O1 -std=gnu11 -D_GNU_SOURCE -I. -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -o "$out/fuzz_policy" "${srcs[@]}" 2>"$out/build.log"; then
	if grep -q -e 'fuzzer' -e 'cannot find' "$out/build.log"; then
		echo "libFuzzer is not available for $CLANG (install libclang-rt-dev)" >&2
		exit 77
	fi
	cat "$out/build.log" >&2
	exit 1
fi

seeds=(tests/data/policies/corpus tests/data/policies/msipe)
rc=0
"$out/fuzz_policy" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
	-dict=tests/fuzz/policy.dict -artifact_prefix="$out/artifacts/" -print_final_stats=1 \
	"$out/corpus" "${seeds[@]}" 2>"$out/fuzz.log" || rc=$?
grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE' "$out/fuzz.log" || true
if [ "$rc" -ne 0 ] || ls "$out"/artifacts/crash-* "$out"/artifacts/leak-* "$out"/artifacts/timeout-* >/dev/null 2>&1; then
	tail -n 40 "$out/fuzz.log" >&2
	exit 1
fi
exit 0
