#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ipe-auditd load on a kernel without IPE (this host): it says so and
# succeeds, so boot does not fail on kernels without IPE; usage errors exit 2.
# Loading itself is judged by the IPE kernel in tests/vm/load_test.sh.
. "$(dirname "$0")/lib.sh"

[ -x "$O/ipe-auditd" ] || { skip auditd-load "$O/ipe-auditd is not built"; exit 0; }
if [ -d /sys/kernel/security/ipe ]; then
	skip load-without-ipe "this kernel has IPE"
else
	out=$("$O/ipe-auditd" load "$T" 2>&1)
	rc=$?
	if [ $rc = 0 ] && [[ $out == *"IPE is not active in this kernel"*"nothing loaded" ]]; then
		pass load-without-ipe
	else
		fail load-without-ipe "exit $rc: $out"
	fi
fi
check_exit load-unknown-option 2 "$O/ipe-auditd" load --bogus
check_exit load-help 0 "$O/ipe-auditd" load --help
check_exit unknown-verb 2 "$O/ipe-auditd" loadd
