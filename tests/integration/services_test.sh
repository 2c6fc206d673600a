#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The services as installed: both systemd units pass `systemd-analyze verify`
# and keep their hardening (`systemd-analyze security`); the s6-rc source
# directories compile with the real s6-rc-compile (vendored, built here) into
# a database with the services, dependencies, pipeline, readiness fds and
# timeouts Spectrum's layout expects; and, once ipe-auditd has its `run`
# verb, the daemon starts under s6-svscan and is ready through its
# notification fd.
. "$(dirname "$0")/lib.sh"

prefix=$T/usr
make -C "$TOP" --no-print-directory O="$O" install prefix="$prefix" sysconfdir="$T/etc" >"$T/install.log" 2>&1 ||
	{ cat "$T/install.log"; fail services-install "make install failed"; finish; exit; }
units=$prefix/lib/systemd/system

# ---- systemd ----
if ! command -v systemd-analyze >/dev/null; then
	skip systemd-verify "systemd-analyze is not installed (tests/deps.sh check)"
else
	# Documentation=man:… is checked against the installed man pages; the
	# auditor's own page comes with its run verb.
	man_opt=()
	[ -e "$prefix/share/man/man1/ipe-auditd.1" ] || man_opt=(--man=no)
	for u in ipe-load-policies ipe-auditd; do
		[ "$u" = ipe-load-policies ] && m=() || m=("${man_opt[@]}")
		if MANPATH=$prefix/share/man systemd-analyze verify "${m[@]}" "$units/$u.service" >"$T/verify-$u" 2>&1 &&
			[ ! -s "$T/verify-$u" ]; then
			pass "systemd-verify-$u${m:+ (${m[*]})}"
		else
			cat "$T/verify-$u"
			fail "systemd-verify-$u" "$(head -n 1 "$T/verify-$u")"
		fi
		# The exposure score (0 best, 10 worst) must stay low.
		score=$(systemd-analyze security --offline=true "$units/$u.service" 2>/dev/null |
			sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
		if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }'; then
			pass "systemd-security-$u" "exposure $score"
		else
			fail "systemd-security-$u" "exposure '${score}' above 2.5"
		fi
	done
	check_exit auditd-unit-type-notify 0 grep -qx 'Type=notify' "$units/ipe-auditd.service"
	# The capabilities BPF needs stay; CAP_SYS_ADMIN and CAP_MAC_ADMIN do not.
	check_exit auditd-unit-bpf-caps 0 grep -qx 'CapabilityBoundingSet=CAP_BPF CAP_PERFMON CAP_SYS_RESOURCE CAP_DAC_READ_SEARCH' \
		"$units/ipe-auditd.service"
	check_exit auditd-unit-bpf-syscalls 0 grep -qx 'SystemCallFilter=@system-service bpf perf_event_open' \
		"$units/ipe-auditd.service"
	check_exit loader-unit-mac-admin-only 0 grep -qx 'CapabilityBoundingSet=CAP_MAC_ADMIN' \
		"$units/ipe-load-policies.service"
fi

# ---- s6-rc ----
s6bin=$("$TOP/tests/vendor/s6-rc/build.sh" "$O/tests/s6-rc" 2>"$T/s6-rc-build.log") || {
	cat "$T/s6-rc-build.log"
	fail s6-rc-build "building the vendored s6-rc failed (skalibs-dev, libexecline-dev, libs6-dev: tests/deps.sh check)"
	finish
	exit
}
db=$T/s6-rc-db
if "$s6bin/s6-rc-compile" -v2 "$db" "$prefix/share/ipe-tools/s6-rc" >"$T/compile.log" 2>&1; then
	pass s6-rc-compile
else
	cat "$T/compile.log"
	fail s6-rc-compile "$(tail -n 1 "$T/compile.log")"
	finish
	exit
fi
q() { "$s6bin/s6-rc-db" -c "$db" "$@" 2>&1 | tr '\n' ' ' | sed 's/ $//'; }
expect_eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$3', expected '$2'"; fi; }
expect_eq s6-auditd-longrun longrun "$(q type ipe-auditd)"
expect_eq s6-loader-oneshot oneshot "$(q type ipe-load-policies)"
# s6rc-fdholder holds the pipe between ipe-auditd and its logger.
expect_eq s6-auditd-deps "ipe-auditd-log ipe-load-policies s6rc-fdholder" "$(q dependencies ipe-auditd | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq s6-pipeline "ipe-auditd | ipe-auditd-log" "$(q pipeline ipe-auditd)"
expect_eq s6-pipeline-bundle "ipe-auditd ipe-auditd-log" "$(q contents ipe-auditd-pipeline | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq s6-bundle "ipe-auditd ipe-auditd-log ipe-load-policies" "$(q contents ipe-tools | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq s6-auditd-timeout 30000 "$(q timeout ipe-auditd)"
expect_eq s6-loader-up "$prefix/bin/ipe-auditd load" "$("$s6bin/s6-rc-db" -c "$db" script ipe-load-policies | tr '\0' ' ' | sed 's/ $//')"
expect_eq s6-auditd-notification-fd 3 "$(cat "$db/servicedirs/ipe-auditd/notification-fd")"
expect_eq s6-log-notification-fd 3 "$(cat "$db/servicedirs/ipe-auditd-log/notification-fd")"

# ---- the services under s6-svscan ----
if ! command -v s6-svscan >/dev/null; then
	skip s6-svscan "s6-svscan is not installed (package s6)"
	finish
	exit
fi
mkdir -p "$T/scan"
s6-svscan "$T/scan" >"$T/svscan.log" 2>&1 &
svscan=$!
stop_svscan() {
	"$s6bin/s6-rc" -l "$T/live" -da change >>"$T/rc.log" 2>&1
	s6-svscanctl -t "$T/scan" 2>/dev/null
	wait "$svscan" 2>/dev/null
}
"$s6bin/s6-rc-init" -c "$db" -l "$T/live" "$T/scan" >"$T/rc.log" 2>&1 || fail s6-rc-init "$(tail -n 1 "$T/rc.log")"
# The loader oneshot runs the installed ipe-auditd load (no IPE on this
# kernel: it says so and succeeds).
if timeout 60 "$s6bin/s6-rc" -l "$T/live" -u change ipe-load-policies >>"$T/rc.log" 2>&1; then
	pass s6-rc-up-loader
else
	fail s6-rc-up-loader "$(tail -n 1 "$T/rc.log")"
fi
expect_eq s6-loader-active "ipe-load-policies" "$("$s6bin/s6-rc" -l "$T/live" -a list 2>&1 | grep -x ipe-load-policies)"

if ! "$O/ipe-auditd" run --help >/dev/null 2>&1; then
	skip s6-svscan-readiness "$O/ipe-auditd has no run verb yet"
else
	# The run script names $T/etc/ipe-tools/audit.p7b: a policy to audit against.
	mkdir -p "$T/etc/ipe-tools"
	printf 'policy_name=svc policy_version=0.0.1\nDEFAULT action=ALLOW\n' >"$T/etc/ipe-tools/audit.p7b"
	if timeout 60 "$s6bin/s6-rc" -l "$T/live" -u change ipe-auditd >>"$T/rc.log" 2>&1; then
		pass s6-rc-up-auditd
	else
		fail s6-rc-up-auditd "$(tail -n 1 "$T/rc.log")"
	fi
	expect_eq s6-auditd-up-and-ready "true true" "$(s6-svstat -o up,ready "$T/live/servicedirs/ipe-auditd" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
fi
stop_svscan
finish
