#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Without a reachable kernel a VM scenario must say SKIP with the reason,
# never PASS: a scenario run with an empty cache and a mirror nobody serves
# (the discard port on this machine) prints only SKIP lines and exits 0.
. "$(dirname "$0")/../integration/lib.sh"

rc=0
out=$(IPE_TOOLS_CACHE=$T/cache IPE_TEST_MIRROR=http://127.0.0.1:9/debian IPE_TEST_KERNEL='' \
	bash "$TOP/tests/vm/verity_test.sh" 2>&1) || rc=$?
# shellcheck disable=SC2001 # a prefix on every line, which ${//} cannot do
sed "s/^/  inner: /" <<<"$out" # the inner SKIP is not this test's result
results=$(grep -E '^(PASS|FAIL|SKIP) ' <<<"$out")
if grep -q '^SKIP .*no network' <<<"$results" && ! grep -qE '^(PASS|FAIL) ' <<<"$results"; then
	pass offline-vm-scenario-skips
else
	fail offline-vm-scenario-skips "expected only SKIP lines naming the network, got: $(head -c 300 <<<"$results")"
fi
check_exit offline-vm-scenario-exit-0 0 test "$rc" = 0
finish
