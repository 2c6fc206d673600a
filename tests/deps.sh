#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Install the Debian packages a target needs, when they are missing.
#
#   tests/deps.sh build|check|demo|lint|valgrind|list [TARGET]|wait
#
# The one list of what ipe-tools needs from Debian 12. Nothing is installed
# when everything is already there, so repeated runs are quick and offline.
# When another apt or dpkg holds the package manager's locks, it says so and
# waits (at most DEPS_LOCK_TIMEOUT seconds, default 900); `wait` only waits.
set -eu

locks=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock)

# The PID holding a lock (flock or fcntl, as /proc/locks lists both) on FILE, if any.
lock_holder() {
	local dev ino
	[ -e "$1" ] || return 1
	read -r dev ino < <(stat -L -c '%d %i' "$1") || return 1
	# /proc/locks names the file as MAJOR:MINOR:INODE, the numbers in hex, hex and decimal.
	awk -v id="$(printf '%02x:%02x:%d' $(((dev >> 8) & 0xfff)) $(((dev & 0xff) | ((dev >> 12) & 0xfff00))) "$ino")" \
		'{ for (i = 1; i <= NF; i++) if ($i == id) { print $(i - 1); exit 0 } } END { exit 1 }' /proc/locks |
		grep .
}

wait_for_locks() {
	local timeout=${DEPS_LOCK_TIMEOUT:-900} start=$SECONDS said='' f pid
	while :; do
		pid=
		for f in "${locks[@]}"; do
			pid=$(lock_holder "$f") && break
		done
		[ -n "$pid" ] || return 0
		if [ -z "$said" ]; then
			echo "deps: waiting for the package manager's lock $f, held by process $pid ($(tr '\0\n' '  ' </proc/"$pid"/cmdline 2>/dev/null | cut -c1-60))" >&2
			said=1
		fi
		if [ $((SECONDS - start)) -ge "$timeout" ]; then
			echo "deps: $f is still held by process $pid after ${timeout}s; giving up" >&2
			exit 2
		fi
		sleep 1
	done
}

# clang, bpftool and libbpf-dev build ipe-auditd's BPF programs and skeletons.
build_pkgs=(make gcc pkg-config libcryptsetup-dev libssl-dev libkeyutils-dev libjson-c-dev clang bpftool libbpf-dev)
# Oracles and tools for the tests: veritysetup, dmsetup and openssl check our outputs,
# keyutils for keyring tests, efitools for UEFI payloads, python3 to read JSON,
# clang's libFuzzer for the parser fuzz run, gcc's sanitizer runtimes for the
# sanitizer pass, QEMU/OVMF/busybox/kmod for the IPE kernel VM, GNU time for
# the peak memory bench/auditd_report.sh measures; systemd-analyze and man-db
# to verify the units, skalibs/execline/s6 to build the vendored s6-rc and
# supervise the daemon, nix-bin to parse and evaluate nix/, zsh to check its
# completion; make check runs make lint first, so it needs the analysers too.
check_pkgs=("${build_pkgs[@]}" cryptsetup-bin dmsetup openssl keyutils efitools python3 clang libclang-rt-14-dev
	libasan8 libubsan1 libtsan2 qemu-system-x86 ovmf busybox-static squashfs-tools erofs-utils cpio kmod xz-utils
	zstd ca-certificates time
	systemd man-db skalibs-dev libexecline-dev libs6-dev execline s6 nix-bin zsh
	clang-tidy clang-format cppcheck shellcheck git)
demo_pkgs=("${check_pkgs[@]}")
# make check-valgrind: memcheck and helgrind.
valgrind_pkgs=("${build_pkgs[@]}" valgrind)
# make lint: the analysers, and the headers clang-tidy reads.
lint_pkgs=("${build_pkgs[@]}" clang-tidy clang-format cppcheck shellcheck git)

target=${1:-check}
case $target in
build) pkgs=("${build_pkgs[@]}") ;;
check) pkgs=("${check_pkgs[@]}") ;;
demo) pkgs=("${demo_pkgs[@]}") ;;
lint) pkgs=("${lint_pkgs[@]}") ;;
valgrind) pkgs=("${valgrind_pkgs[@]}") ;;
list)
	eval "printf '%s\n' \"\${${2:-check}_pkgs[@]}\""
	exit 0
	;;
wait)
	wait_for_locks
	exit 0
	;;
*)
	echo "usage: $0 build|check|demo|lint|valgrind|list [TARGET]|wait" >&2
	exit 2
	;;
esac

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages: ${missing[*]}" >&2
	echo "deps: run as root, or: apt-get install ${missing[*]}" >&2
	exit 2
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
wait_for_locks
# apt itself waits too, for a lock taken between the check above and its start.
apt=(apt-get -y -q -o DPkg::Lock::Timeout="${DEPS_LOCK_TIMEOUT:-900}")
if ! "${apt[@]}" install --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
	wait_for_locks
	"${apt[@]}" update >/dev/null
	"${apt[@]}" install --no-install-recommends "${missing[@]}" >/dev/null
fi
