#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A short fuzzing run of the policy model (tests/fuzz/run.sh).
source "$(dirname "$0")/../integration/lib.sh"

rc=0
out=$(O=$O "$TOP/tests/fuzz/run.sh" "${FUZZ_SECONDS:-20}" 2>&1) || rc=$?
echo "$out"
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' <<<"$out")
case $rc in
0)
	if [ -n "$execs" ] && [ "$execs" -gt 1000 ]; then
		pass "fuzz_policy_${execs}_execs"
	else
		fail fuzz_policy "too few executions: '${execs}'"
	fi
	;;
77) skip fuzz_policy "$(tail -n 1 <<<"$out")" ;;
*) fail fuzz_policy "the fuzzer found a crash or broken invariant (see $O/fuzz/artifacts)" ;;
esac
finish
