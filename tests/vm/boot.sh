#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot the test VM once and wait for it to power off.
#
#   tests/vm/boot.sh KERNEL INITRD VARS CONSOLE_LOG RESULTS [DISK...]
#
# UEFI (OVMF_CODE read-only, VARS a writable variable store), the serial
# console to CONSOLE_LOG, the second serial port (the guest's result lines)
# to RESULTS, each DISK a read-only virtio disk (/dev/vda, /dev/vdb...).
# TCG by default: nested KVM guests are unreliable on the machines this runs
# on; IPE_TEST_ACCEL=kvm opts in. IPE_TEST_TIMEOUT (seconds, default 240)
# bounds the boot; exit status 124 when it ran out.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -ge 5 ] || vm_die "usage: boot.sh KERNEL INITRD VARS CONSOLE_LOG RESULTS [DISK...]"
kernel=$1 initrd=$2 vars=$3 console=$4 results=$5
shift 5

accel=${IPE_TEST_ACCEL:-tcg}
cpu=max
[ "$accel" = kvm ] && cpu=host
args=(-machine q35 -accel "$accel" -cpu "$cpu" -m 1G -smp 1 -no-reboot
	-display none -monitor none -nodefaults
	-drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
	-drive "if=pflash,format=raw,unit=1,file=$vars"
	-kernel "$kernel" -initrd "$initrd"
	-append "console=ttyS0 quiet loglevel=4 panic=-1 rdinit=/init ${IPE_TEST_CMDLINE:-}"
	-serial "file:$console" -serial "file:$results")
for d in "$@"; do
	args+=(-drive "file=$d,if=virtio,format=raw,readonly=on")
done
: >"$results"
for try in 1 2 3; do
	rc=0
	timeout --foreground -k 5 "${IPE_TEST_TIMEOUT:-240}" qemu-system-x86_64 "${args[@]}" || rc=$?
	[ $try -lt 3 ] && [ ! -s "$results" ] && grep -aq 'Kernel panic' "$console" &&
		grep -aq 'Comm: swapper' "$console" || exit $rc
	cp "$console" "$console.panic$try"
	vm_say "the kernel panicked before /init ran ($(grep -a -m1 -o 'RIP: [^ ]*' "$console" || echo panic), console kept in $console.panic$try): booting again"
	: >"$results"
done
