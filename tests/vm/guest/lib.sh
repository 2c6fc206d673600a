# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash # busybox ash: POSIX sh with local, as dash
# Sourced by the guest side of each scenario (/payload/run.sh). Result lines
# go to stdout (the result port), diagnostics to stderr (the console).
IPE=/sys/kernel/security/ipe
n_failed=0

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: ${2:-failed}"; n_failed=$((n_failed + 1)); }
skip() { echo "SKIP $1: $2"; }
say() { echo "guest: $*" >&2; }

# expect NAME WANT GOT: pass when GOT equals WANT.
expect() {
	if [ "$3" = "$2" ]; then pass "$1"; else fail "$1" "got '$3', expected '$2'"; fi
}

# load_policy FILE: write the signed policy to new_policy in one write();
# prints 0 or the errno name.
load_policy() { ipe-write "$1" $IPE/new_policy; }

# activate NAME: prints 0 or the errno name.
activate() {
	echo 1 >/tmp/.one
	ipe-write /tmp/.one $IPE/policies/"$1"/active
}

# run_exec PROG ARGS...: prints 0 when PROG ran and exited 0, else the
# shell's diagnostic.
run_exec() {
	local out
	if out=$("$@" 2>&1); then echo 0; else echo "$out" | tail -n 1; fi
}

# Kernel audit records of type NUM printed since the last mark.
audit_mark() { dmesg | wc -l >/tmp/.dmesg-mark; }
audit_records() {
	dmesg | tail -n +"$(($(cat /tmp/.dmesg-mark 2>/dev/null || echo 0) + 1))" | grep "type=$1"
}

finish() { return "$n_failed"; }

# check_platform_key: the test certificate enrolled in UEFI db reached the
# .platform keyring, which policy and root-hash signatures are checked against.
check_platform_key() {
	if grep -q 'ipe-tools VM test key' /proc/keys; then
		pass platform-keyring-has-test-cert
	else
		fail platform-keyring-has-test-cert "the UEFI db certificate is not in .platform"
	fi
}

# verity_open NAME DATA HASH ROOTHASH [SIG]: prints 0 or veritysetup's complaint.
verity_open() {
	local out
	if out=$(veritysetup open "$2" "$1" "$3" "$4" ${5:+--root-hash-signature="$5"} 2>&1); then
		echo 0
	else
		echo "refused: $(echo "$out" | tail -n 1)"
	fi
}

# mount_volume NAME DATA HASH ROOTHASH FSTYPE [SIG]: open and mount at /mnt/NAME.
mount_volume() {
	local r
	r=$(verity_open "$1" "$2" "$3" "$4" "$6")
	if [ "$r" != 0 ]; then
		fail "mount-$1" "$r"
		return 1
	fi
	mkdir -p "/mnt/$1"
	mount -t "$5" -o ro "/dev/mapper/$1" "/mnt/$1" || { fail "mount-$1" "mount failed"; return 1; }
}

# exec_result PROG: "0" when PROG ran (as `PROG true`), "EACCES" when the
# exec was refused with "Permission denied", else the shell's message.
exec_result() {
	local out
	if out=$("$1" true 2>&1); then
		echo 0
	else
		case $out in
		*"Permission denied"*) echo EACCES ;;
		*) echo "$out" | tail -n 1 ;;
		esac
	fi
}
