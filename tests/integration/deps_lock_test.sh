#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/deps.sh waits for the package manager's lock instead of failing, and
# says so: a real lock on /var/lib/dpkg/lock-frontend, taken with flock(1)
# as one tool would and with fcntl() as apt and dpkg do, for a few seconds.
source "$(dirname "$0")/lib.sh"

lock=/var/lib/dpkg/lock-frontend
if [ "$(id -u)" != 0 ] || [ ! -w "$lock" ]; then
	skip deps_lock "needs root and $lock"
	finish
	exit
fi
if ! "$TOP/tests/deps.sh" wait 2>/dev/null; then
	skip deps_lock "the package manager is busy"
	finish
	exit
fi

# held_for KIND SECONDS: hold the lock in the background; its PID in $holder.
held_for() {
	case $1 in
	flock) flock "$lock" sleep "$2" & ;;
	fcntl) python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a"); fcntl.lockf(f, fcntl.LOCK_EX); time.sleep(float(sys.argv[2]))' "$lock" "$2" & ;;
	esac
	holder=$!
	for _ in $(seq 50); do
		grep -q " $holder " /proc/locks && return 0
		sleep 0.1
	done
	return 1
}

for kind in flock fcntl; do
	held_for "$kind" 3 || { fail "deps_lock_$kind" "the lock was never taken"; continue; }
	start=$(date +%s%N)
	rc=0
	"$TOP/tests/deps.sh" wait 2>"$T/err" || rc=$?
	waited=$((($(date +%s%N) - start) / 1000000))
	wait "$holder"
	if [ "$rc" != 0 ]; then
		fail "deps_lock_$kind" "exit $rc: $(cat "$T/err")"
	elif [ "$waited" -lt 1500 ]; then
		fail "deps_lock_$kind" "did not wait (${waited} ms)"
	elif [ "$(wc -l <"$T/err")" != 1 ] ||
		! grep -q "^deps: waiting for the package manager's lock $lock, held by process $holder " "$T/err"; then
		fail "deps_lock_$kind" "not one line naming the lock and its holder: $(cat "$T/err")"
	else
		pass "deps_lock_${kind}_waited"
	fi
done

# A lock that stays held past DEPS_LOCK_TIMEOUT: exit 2 with one more line, no install tried.
held_for flock 6 || fail deps_lock_timeout "the lock was never taken"
rc=0
DEPS_LOCK_TIMEOUT=1 "$TOP/tests/deps.sh" wait 2>"$T/err" || rc=$?
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
if [ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 2 ] && grep -q "still held by process $holder after 1s" "$T/err"; then
	pass deps_lock_timeout
else
	fail deps_lock_timeout "exit $rc: $(cat "$T/err")"
fi
finish
