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

# expired_cert NAME [EXTENSION...]: NAME.key (0600) and a self-signed NAME.crt (P-256, CN=NAME)
# valid on 2020-01-01 only, with the given x509v3 extension lines, in the current directory.
# openssl ca, since openssl req cannot backdate.
expired_cert() {
	local name=$1 ext=
	shift
	[ $# -gt 0 ] && ext="x509_extensions=e"$'\n'"[e]"$'\n'"$(printf '%s\n' "$@")"
	rm -rf "$name.ca" && mkdir "$name.ca" && touch "$name.ca/idx" && echo 01 >"$name.ca/ser"
	printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s\nnew_certs_dir=%s\nserial=%s\ndefault_md=sha256\npolicy=p\n%s\n[p]\ncommonName=supplied\n' \
		"$name.ca/idx" "$name.ca" "$name.ca/ser" "$ext" >"$name.ca/ca.cnf"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$name.key" \
		-out "$name.ca/csr" -subj "/CN=$name" 2>/dev/null &&
		openssl ca -batch -notext -selfsign -keyfile "$name.key" -in "$name.ca/csr" \
			-startdate 20200101000000Z -enddate 20200102000000Z -config "$name.ca/ca.cnf" \
			-out "$name.crt" >/dev/null 2>&1 &&
		chmod 600 "$name.key"
}

finish() { [ "$n_failed" -eq 0 ]; }
