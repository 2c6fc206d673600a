#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Install the Debian packages a target needs, when they are missing.
#
#   tests/deps.sh build|check|demo|lint|list [TARGET]
#
# The one list of what ipe-tools needs from Debian 12. Nothing is installed
# when everything is already there, so repeated runs are quick and offline.
set -eu

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
# make lint: the analysers, and the headers clang-tidy reads.
lint_pkgs=("${build_pkgs[@]}" clang-tidy clang-format cppcheck shellcheck git)

target=${1:-check}
case $target in
build) pkgs=("${build_pkgs[@]}") ;;
check) pkgs=("${check_pkgs[@]}") ;;
demo) pkgs=("${demo_pkgs[@]}") ;;
lint) pkgs=("${lint_pkgs[@]}") ;;
list)
	eval "printf '%s\n' \"\${${2:-check}_pkgs[@]}\""
	exit 0
	;;
*)
	echo "usage: $0 build|check|demo|lint|list [TARGET]" >&2
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
if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
