// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lsm backend's proof of life: an LSM program can load and attach and
 * still never run (bpf not among the active LSMs), so auditd/lsm.c attaches
 * this one, maps a page, and looks whether it counted the call. It observes
 * only and returns 0.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 probe_tgid = 0;
__u64 fired = 0;

/* security_mmap_file() runs for every mmap(2), anonymous ones too (mm/util.c vm_mmap_pgoff()). */
SEC("lsm/mmap_file")
int BPF_PROG(probe_mmap_file, struct file *file, unsigned long reqprot, unsigned long prot,
	     unsigned long flags, int ret)
{
	if (bpf_get_current_pid_tgid() >> 32 == probe_tgid)
		__sync_fetch_and_add(&fired, 1);
	return 0;
}
