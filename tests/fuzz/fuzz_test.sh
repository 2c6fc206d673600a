#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A short fuzzing run of every target (tests/fuzz/run.sh), two at a time: a
# fixed number of executions each (FUZZ_RUNS), at most 60 seconds each.
source "$(dirname "$0")/../integration/lib.sh"

rc=0
runs=${FUZZ_RUNS:-5000}
out=$(O=$O FUZZ_JOBS=${FUZZ_JOBS:-2} FUZZ_RUNS=$runs FUZZ_SECONDS=60 "$TOP/tests/fuzz/run.sh" all 2>&1) || rc=$?
echo "$out"
if [ "$rc" = 77 ]; then
	skip fuzz "$(tail -n 1 <<<"$out")"
	finish
	exit
fi
# One result per target, from its "== TARGET" block.
targets=$(sed -n 's/^== //p' <<<"$out")
[ -n "$targets" ] || fail fuzz "no target ran (exit status $rc)"
for t in $targets; do
	block=$(sed -n "/^== $t\$/,/^== /p" <<<"$out")
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' <<<"$block" | head -n 1)
	if grep -q "^FOUND: $t " <<<"$out"; then
		fail "fuzz_$t" "the fuzzer found a crash or broken invariant (see $O/fuzz/artifacts/$t)"
	elif [ -n "$execs" ] && [ "$execs" -gt 1000 ]; then
		pass "fuzz_${t}_${execs}_execs"
	else
		fail "fuzz_$t" "too few executions: '${execs}'"
	fi
done
[ "$rc" = 0 ] || [ "$n_failed" -gt 0 ] || fail fuzz "run.sh exited $rc"
finish
