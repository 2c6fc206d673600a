# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash # busybox ash: POSIX sh with local, as dash
# The auditor's workload in the VM (sourced by tests/vm/auditd_test.sh's guest
# side): one of each way IPE's hooks see a file or memory made executable.
# /mnt/sq is the dm-verity volume.

# workload_setup: the files the workload runs (once).
workload_setup() {
	cp /mnt/sq/bin/busybox /tmp/busybox
	cp /mnt/sq/bin/busybox /tmp/lib.so
	printf '#!/bin/sh\nexit 0\n' >/tmp/script.sh
	chmod +x /tmp/script.sh
	mkdir -p /tmp/ovl/upper /tmp/ovl/work /mnt/ovl
	mount -t overlay overlay -o lowerdir=/mnt/sq,upperdir=/tmp/ovl/upper,workdir=/tmp/ovl/work /mnt/ovl
	cp /tmp/busybox /mnt/ovl/bin/bb-upper
	cp /lib/modules/overlay.ko /tmp/mod.ko
}

workload() {
	/mnt/sq/bin/busybox true          # exec from the verity volume
	/tmp/busybox true                 # exec from tmpfs
	/mnt/ovl/bin/busybox true         # overlay, the file in the lower layer (the verity volume)
	/mnt/ovl/bin/bb-upper true        # overlay, the file in the upper layer (tmpfs)
	memfd-exec /tmp/busybox true      # fexecve() of a memfd
	/tmp/script.sh                    # a #! script in tmpfs (its interpreter is the initramfs's)
	mmap-exec /tmp/lib.so >/dev/null  # mmap(PROT_EXEC) and mprotect(PROT_EXEC) of a tmpfs file
	mmap-exec --anonymous >/dev/null  # anonymous executable memory, both ways
	insmod /tmp/mod.ko 2>/dev/null    # a module read from tmpfs (already loaded: EEXIST after the hooks)
	return 0
}
