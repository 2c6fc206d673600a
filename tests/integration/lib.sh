# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Sourced by tests/*/*_test.sh. Prints the runner's result lines.
set -u
TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
O=${O:-build}
case $O in /*) ;; *) O=$TOP/$O ;; esac
export PATH="$O:$PATH"
T=$(mktemp -d /tmp/ipe-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
n_failed=0

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: ${2:-failed}"; n_failed=$((n_failed + 1)); }
skip() { echo "SKIP $1: $2"; }

# check NAME CMD...: pass when CMD exits 0, its output goes to the log.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name" "command failed: $*"; fi
}

# check_exit NAME STATUS CMD...: pass when CMD exits with STATUS.
check_exit() {
	local name=$1 want=$2 rc
	shift 2
	"$@"
	rc=$?
	if [ "$rc" = "$want" ]; then pass "$name"; else fail "$name" "exit $rc, expected $want: $*"; fi
}

finish() { [ "$n_failed" -eq 0 ]; }
