// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tracepoint backend: IPE's EXECUTE evaluations seen from raw
 * tracepoints, for kernels where BPF LSM programs cannot run. What it
 * cannot see is listed by auditd/backend.c as coverage gaps.
 *
 * Mirrors security/ipe/hooks.c of Linux 6.12:
 *   ipe_bprm_check_security()  -> sched_process_exec (the file that was executed)
 *   ipe_mmap_file()            -> sys_enter of mmap with PROT_EXEC (file from the fd, or none)
 *   ipe_file_mprotect()        -> sys_enter of mprotect/pkey_mprotect adding PROT_EXEC to a VMA
 *                                 not yet VM_EXEC (the first VMA of the range)
 *   ipe_kernel_read_file()     -> sys_enter of finit_module (READING_MODULE: KMODULE) and
 *                                 kexec_file_load (READING_KEXEC_IMAGE, READING_KEXEC_INITRAMFS),
 *                                 the file from the fd
 *   ipe_kernel_load_data()     -> sys_enter of init_module (LOADING_MODULE: KMODULE) and
 *                                 kexec_load (LOADING_KEXEC_IMAGE), no file
 * The kernel's own reads (firmware, IPE policies, X.509 certificates) have no system call.
 */
#include "auditd/bpf/common.bpf.h"

#define NR_mmap 9
#define NR_mprotect 10
#define NR_pkey_mprotect 329
#define NR_init_module 175
#define NR_finit_module 313
#define NR_kexec_load 246
#define NR_kexec_file_load 320
#define KEXEC_FILE_UNLOAD 0x1
#define KEXEC_FILE_NO_INITRAMFS 0x4

/* sched_process_exec(struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm) */
SEC("raw_tracepoint/sched_process_exec")
int tp_exec(struct bpf_raw_tracepoint_args *ctx)
{
	struct linux_binprm *bprm = (void *)ctx->args[2];

	emit_file(AUDITD_OP_EXECUTE, AUDITD_HOOK_BPRM_CHECK, BPF_CORE_READ(bprm, file), 0);
	return 0;
}

/* The struct file behind @fd in the current task's table, or NULL. */
static __always_inline struct file *fd_file(int fd)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = 0;

	if (fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): the pointer itself is read, as meant. */
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

struct vma_probe {
	bool exec; /* the VMA is already VM_EXEC */
	bool found;
	struct file *file; /* its file, or NULL */
};

static long vma_cb(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	struct vma_probe *v = data;

	v->found = true;
	v->exec = BPF_CORE_READ(vma, vm_flags) & VM_EXEC;
	v->file = BPF_CORE_READ(vma, vm_file);
	return 0;
}

/* sys_enter(struct pt_regs *regs, long id) */
SEC("raw_tracepoint/sys_enter")
int tp_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (void *)ctx->args[0];
	long id = ctx->args[1];

	if (id == NR_mmap) {
		unsigned long prot = BPF_CORE_READ(regs, dx);
		unsigned long flags = BPF_CORE_READ(regs, r10);
		int fd = (int)BPF_CORE_READ(regs, r8);

		if (!(prot & PROT_EXEC))
			return 0;
		emit_file(AUDITD_OP_EXECUTE, AUDITD_HOOK_MMAP,
			  flags & MAP_ANONYMOUS ? 0 : fd_file(fd), prot);
	} else if (id == NR_mprotect || id == NR_pkey_mprotect) {
		unsigned long addr = BPF_CORE_READ(regs, di);
		unsigned long prot = BPF_CORE_READ(regs, dx);
		struct vma_probe v = {};

		if (!(prot & PROT_EXEC))
			return 0;
		bpf_find_vma(bpf_get_current_task_btf(), addr, vma_cb, &v, 0);
		if (!v.found || v.exec)
			return 0;
		emit_file(AUDITD_OP_EXECUTE, AUDITD_HOOK_MPROTECT, v.file, prot);
	} else if (id == NR_finit_module) {
		emit_file(AUDITD_OP_KMODULE, AUDITD_HOOK_KERNEL_READ,
			  fd_file((int)BPF_CORE_READ(regs, di)), 0);
	} else if (id == NR_init_module) {
		emit_file(AUDITD_OP_KMODULE, AUDITD_HOOK_KERNEL_LOAD, 0, 0);
	} else if (id == NR_kexec_load) {
		emit_file(AUDITD_OP_KEXEC_IMAGE, AUDITD_HOOK_KERNEL_LOAD, 0, 0);
	} else if (id == NR_kexec_file_load) {
		unsigned long flags = BPF_CORE_READ(regs, r8);

		if (flags & KEXEC_FILE_UNLOAD)
			return 0;
		emit_file(AUDITD_OP_KEXEC_IMAGE, AUDITD_HOOK_KERNEL_READ,
			  fd_file((int)BPF_CORE_READ(regs, di)), 0);
		if (!(flags & KEXEC_FILE_NO_INITRAMFS))
			emit_file(AUDITD_OP_KEXEC_INITRAMFS, AUDITD_HOOK_KERNEL_READ,
				  fd_file((int)BPF_CORE_READ(regs, si)), 0);
	}
	return 0;
}
