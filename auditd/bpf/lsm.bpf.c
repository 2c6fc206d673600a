// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lsm backend: BPF LSM programs on the very hooks IPE registers, with
 * IPE's own filters, so every evaluation IPE makes is seen with the same
 * struct file. They observe only: every program returns 0, whatever an
 * earlier BPF program returned (the last argument, ignored).
 *
 * Mirrors security/ipe/hooks.c and ipe.c of Linux 6.12 (and 6.19 for
 * bprm_creds_for_exec):
 *   ipe_bprm_check_security()  EXECUTE, BPRM_CHECK, bprm->file
 *   ipe_bprm_creds_for_exec()  EXECUTE, BPRM_CREDS_FOR_EXEC, only if bprm->is_check
 *   ipe_mmap_file()            EXECUTE, MMAP, if prot & PROT_EXEC, file or none
 *   ipe_file_mprotect()        EXECUTE, MPROTECT, not if vma->vm_flags & VM_EXEC,
 *                              then if prot & PROT_EXEC, vma->vm_file or none
 *   ipe_kernel_read_file()     op from enum kernel_read_file_id, KERNEL_READ, file
 *   ipe_kernel_load_data()     op from enum kernel_load_data_id, KERNEL_LOAD, no file
 *   ipe_bdev_setintegrity()    a dm-verity volume's root hash and signature state
 *
 * The kernel calls the LSMs of a hook in the order of lsm= and stops at the
 * first that refuses. In audit mode (enforce=0) IPE never refuses, so these
 * programs see every evaluation whatever the order; in enforce mode they see
 * IPE's refusals only where bpf comes before ipe (Debian's order does).
 */
#include "auditd/bpf/common.bpf.h"

/*
 * Kernel types that may be absent from the build machine's BTF; CO-RE
 * matches them by name (the ___ suffix is dropped) on the running kernel.
 */
struct dm_verity_digest___ipe { /* include/linux/dm-verity.h, Linux 6.12 */
	char *alg;
	__u8 *digest;
	size_t digest_len;
} __attribute__((preserve_access_index));

struct linux_binprm___check { /* Linux 6.14+: execveat(AT_EXECVE_CHECK) */
	unsigned int is_check : 1;
} __attribute__((preserve_access_index));

enum kernel_read_file_id___compressed { /* newer trees: IPE maps it to KMODULE too */
					READING_MODULE_COMPRESSED___compressed = 7,
};

SEC("lsm/bprm_check_security")
int BPF_PROG(lsm_bprm_check_security, struct linux_binprm *bprm, int ret)
{
	emit_file(AUDITD_OP_EXECUTE, AUDITD_HOOK_BPRM_CHECK, BPF_CORE_READ(bprm, file), 0);
	return 0;
}

/*
 * IPE >= 6.19 evaluates here only for execveat(AT_EXECVE_CHECK); older IPE
 * does not register the hook. User space loads this program only where IPE
 * evaluates here, or, without IPE, where struct linux_binprm has is_check
 * (auditd/lsm.c), and says so in the start record.
 */
SEC("lsm/bprm_creds_for_exec")
int BPF_PROG(lsm_bprm_creds_for_exec, struct linux_binprm *bprm, int ret)
{
	struct linux_binprm___check *b = (void *)bprm;

	if (!bpf_core_field_exists(b->is_check))
		return 0;
	if (!BPF_CORE_READ_BITFIELD_PROBED(b, is_check))
		return 0;
	emit_file(AUDITD_OP_EXECUTE, AUDITD_HOOK_BPRM_CREDS_FOR_EXEC, BPF_CORE_READ(bprm, file), 0);
	return 0;
}

/*
 * prot is the effective protection (after READ_IMPLIES_EXEC); reqprot is
 * ignored, as IPE does. The file is NULL for anonymous memory, but the
 * verifier takes an LSM program's pointer arguments as trusted, hence
 * never NULL, and drops the test: the argument is read as plain memory.
 */
SEC("lsm/mmap_file")
int lsm_mmap_file(unsigned long long *ctx)
{
	/* (struct file *file, unsigned long reqprot, unsigned long prot, unsigned long flags) */
	unsigned long prot = ctx[2];
	struct file *file = 0;

	if (!(prot & PROT_EXEC))
		return 0;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): the pointer itself is read, as meant. */
	bpf_probe_read_kernel(&file, sizeof(file), &ctx[0]);
	emit_file(AUDITD_OP_EXECUTE, AUDITD_HOOK_MMAP, file, prot);
	return 0;
}

SEC("lsm/file_mprotect")
int BPF_PROG(lsm_file_mprotect, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	if (BPF_CORE_READ(vma, vm_flags) & VM_EXEC) /* "Already Executable" */
		return 0;
	if (prot & PROT_EXEC)
		emit_file(AUDITD_OP_EXECUTE, AUDITD_HOOK_MPROTECT, BPF_CORE_READ(vma, vm_file), prot);
	return 0;
}

/* ipe_kernel_read_file()'s switch; anything else is IPE_OP_INVALID (and a WARN there). */
static __always_inline __u32 read_op(__u32 id)
{
	if (id == bpf_core_enum_value(enum kernel_read_file_id, READING_FIRMWARE))
		return AUDITD_OP_FIRMWARE;
	if (id == bpf_core_enum_value(enum kernel_read_file_id, READING_MODULE))
		return AUDITD_OP_KMODULE;
	if (bpf_core_enum_value_exists(enum kernel_read_file_id___compressed,
				       READING_MODULE_COMPRESSED___compressed) &&
	    id == bpf_core_enum_value(enum kernel_read_file_id___compressed,
				      READING_MODULE_COMPRESSED___compressed))
		return AUDITD_OP_KMODULE;
	if (id == bpf_core_enum_value(enum kernel_read_file_id, READING_KEXEC_INITRAMFS))
		return AUDITD_OP_KEXEC_INITRAMFS;
	if (id == bpf_core_enum_value(enum kernel_read_file_id, READING_KEXEC_IMAGE))
		return AUDITD_OP_KEXEC_IMAGE;
	if (id == bpf_core_enum_value(enum kernel_read_file_id, READING_POLICY))
		return AUDITD_OP_POLICY;
	if (id == bpf_core_enum_value(enum kernel_read_file_id, READING_X509_CERTIFICATE))
		return AUDITD_OP_X509;
	return AUDITD_OP_INVALID;
}

/* ipe_kernel_load_data()'s switch. */
static __always_inline __u32 load_op(__u32 id)
{
	if (id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_FIRMWARE))
		return AUDITD_OP_FIRMWARE;
	if (id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_MODULE))
		return AUDITD_OP_KMODULE;
	if (id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_KEXEC_INITRAMFS))
		return AUDITD_OP_KEXEC_INITRAMFS;
	if (id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_KEXEC_IMAGE))
		return AUDITD_OP_KEXEC_IMAGE;
	if (id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_POLICY))
		return AUDITD_OP_POLICY;
	if (id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_X509_CERTIFICATE))
		return AUDITD_OP_X509;
	return AUDITD_OP_INVALID;
}

SEC("lsm/kernel_read_file")
int BPF_PROG(lsm_kernel_read_file, struct file *file, enum kernel_read_file_id id, bool contents,
	     int ret)
{
	emit_file(read_op(id), AUDITD_HOOK_KERNEL_READ, file, id);
	return 0;
}

/* Never a file: init_module(2), kexec_load(2), firmware and policy buffers. */
SEC("lsm/kernel_load_data")
int BPF_PROG(lsm_kernel_load_data, enum kernel_load_data_id id, bool contents, int ret)
{
	emit_file(load_op(id), AUDITD_HOOK_KERNEL_LOAD, 0, id);
	return 0;
}

/*
 * dm-verity's verity_preresume() (drivers/md/dm-verity-target.c) tells the
 * LSMs the root hash (struct dm_verity_digest; NULL clears it) and then the
 * signature (NULL / size 0: unsigned) of the dm device, on every resume.
 * IPE keeps dm_verity_signed = size > 0 && value.
 */
SEC("lsm/bdev_setintegrity")
int lsm_bdev_setintegrity(unsigned long long *ctx)
{
	/* (struct block_device *bdev, enum lsm_integrity_type type, const void *value, size_t size) */
	struct block_device *bdev = (void *)ctx[0];
	__u32 type = ctx[1];
	__u64 size = ctx[3];
	const void *value = 0;
	struct auditd_counters *c;
	struct auditd_volume_event *v;
	__u32 key = AUDITD_COUNTER_VOLUME, zero = 0, dev, *gen;

	/*
	 * Linux 6.12's verifier refuses to load a const void * argument from
	 * the context ("arg2 type UNKNOWN is not a struct", btf_ctx_access()):
	 * read the argument slot as memory instead.
	 */
	bpf_probe_read_kernel(&value, sizeof(value), &ctx[2]);
	if (type != bpf_core_enum_value(enum lsm_integrity_type, LSM_INT_DMVERITY_ROOTHASH) &&
	    type != bpf_core_enum_value(enum lsm_integrity_type, LSM_INT_DMVERITY_SIG_VALID))
		return 0;
	/*
	 * Whatever user space trusted or decided on this device number (a volume
	 * that was closed, its minor now reused) no longer holds: until user
	 * space has judged the new state, which this record brings it ahead of
	 * any later event, evaluations go to user space. So the device leaves
	 * trusted_volumes and the cached verdicts lose their generation (0:
	 * no cache), as user space's own invalidation does.
	 */
	dev = BPF_CORE_READ(bdev, bd_dev);
	bpf_map_delete_elem(&trusted_volumes, &dev);
	gen = bpf_map_lookup_elem(&generation, &zero);
	if (gen && *gen)
		*gen = *gen == 0xffffffff ? 1 : *gen + 1;
	c = bpf_map_lookup_elem(&counters, &key);
	if (!c)
		return 0;
	__sync_fetch_and_add(&c->seen, 1);
	v = bpf_ringbuf_reserve(&events, sizeof(*v), 0);
	if (!v) {
		__sync_fetch_and_add(&c->lost, 1);
		return 0;
	}
	__builtin_memset(v, 0, sizeof(*v));
	v->kind = AUDITD_KIND_VOLUME;
	v->dev = dev;
	if (type == bpf_core_enum_value(enum lsm_integrity_type, LSM_INT_DMVERITY_SIG_VALID)) {
		v->what = AUDITD_VOLUME_SIG_VALID;
		v->sig_valid = size > 0 && value;
	} else {
		struct dm_verity_digest___ipe *d = (void *)value;

		v->what = AUDITD_VOLUME_ROOTHASH;
		if (d) {
			__u64 len = BPF_CORE_READ(d, digest_len);

			bpf_probe_read_kernel_str(v->alg, sizeof(v->alg), BPF_CORE_READ(d, alg));
			if (len > sizeof(v->digest))
				len = sizeof(v->digest);
			v->digest_len = len;
			bpf_probe_read_kernel(v->digest, len, BPF_CORE_READ(d, digest));
		}
	}
	bpf_ringbuf_submit(v, 0);
	return 0;
}
