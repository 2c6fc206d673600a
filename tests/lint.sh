#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make lint`: clang-tidy (.clang-tidy), cppcheck (.cppcheck-suppressions),
# clang-format --dry-run (.clang-format) over the C sources, shellcheck over
# every shell script. Prints the findings and one count per tool; exit 1 when
# any tool found something, 2 when a tool is missing (tests/deps.sh lint).
#
#   [O=DIR] tests/lint.sh [TOOL...]   tools: tidy cppcheck format shellcheck (default: all)
#
# clang-tidy reads the generated headers (vmlinux.h, the BPF skeletons) from
# the build directory O (default build): `make lint` generates them first.
set -u
cd "$(dirname "$0")/.." || exit 2
O=${O:-build}

mapfile -t c_files < <(git ls-files '*.c' '*.h' | grep -v '^tests/vm/guest/')
# tests/vendor/ is others' code, kept as it came.
mapfile -t sh_files < <(git ls-files '*.sh' | grep -v '^tests/vendor/')
tools=("$@")
[ ${#tools[@]} -eq 0 ] && tools=(tidy cppcheck format shellcheck)
read -ra pc_cflags < <(pkg-config --cflags json-c libcryptsetup 2>/dev/null)
cflags=(-std=gnu11 -D_GNU_SOURCE -I. -I"$O" "${pc_cflags[@]}")
# The BPF programs, as auditd/build.mk compiles them.
bpf_cflags=(-target bpf -D__TARGET_ARCH_x86 -I. -I"$O/auditd")
log=$(mktemp -d /tmp/ipe-lint.XXXXXX)
trap 'rm -rf "$log"' EXIT
status=0

need() { command -v "$1" >/dev/null || { echo "lint: $1 not found (tests/deps.sh lint installs it)" >&2; exit 2; }; }

for t in "${tools[@]}"; do
	case $t in
	tidy)
		need clang-tidy
		[ -r "$O/auditd/vmlinux.h" ] || { echo "lint: $O/auditd/vmlinux.h is missing: run make lint (or make O=$O all)" >&2; exit 2; }
		mapfile -t srcs < <(printf '%s\n' "${c_files[@]}" | grep '\.c$' | grep -v '\.bpf\.c$')
		mapfile -t bpf_srcs < <(printf '%s\n' "${c_files[@]}" | grep '\.bpf\.c$')
		{
			clang-tidy -quiet "${srcs[@]}" -- "${cflags[@]}"
			clang-tidy -quiet "${bpf_srcs[@]}" -- "${bpf_cflags[@]}"
		} >"$log/$t" 2>/dev/null
		n=$(grep -cE '^[^ ].*: (warning|error): ' "$log/$t")
		;;
	cppcheck)
		need cppcheck
		# SEC() comes from libbpf's bpf_helpers.h, which cppcheck is not given (no system headers).
		cppcheck --quiet --std=c11 --enable=warning,performance,portability --inline-suppr \
			--suppressions-list=.cppcheck-suppressions --template='{file}:{line}: {severity}: {message} [{id}]' \
			-D_GNU_SOURCE '-DSEC(name)=' -I. "${c_files[@]}" 2>"$log/$t" >/dev/null
		n=$(grep -cE ': (warning|error|performance|portability|style): ' "$log/$t")
		;;
	format)
		need clang-format
		clang-format --dry-run "${c_files[@]}" 2>"$log/$t"
		n=$(grep -cE ': (warning|error): ' "$log/$t")
		;;
	shellcheck)
		need shellcheck
		shellcheck -x -f gcc "${sh_files[@]}" >"$log/$t" 2>&1
		n=$(grep -cE ': (warning|error|note|info): ' "$log/$t")
		;;
	*)
		echo "lint: unknown tool '$t' (tidy cppcheck format shellcheck)" >&2
		exit 2
		;;
	esac
	cat "$log/$t"
	echo "lint: $t: $n finding(s)"
	[ "$n" -eq 0 ] || status=1
done
exit $status
