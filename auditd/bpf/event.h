/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * The records every BPF program of ipe-auditd sends to user space through
 * the ring buffer "events", and the maps they share. Kernel types only and
 * fixed sizes, so the BPF side (vmlinux.h) and user space (<linux/types.h>)
 * see the same layout.
 *
 * Ops and hooks are numbered as enum ipe_op / enum ipe_hook of
 * policy/policy.h (the kernel's enum ipe_op_type / ipe_hook_type,
 * security/ipe/eval.h); auditd/run.c asserts at build time that they agree.
 */

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

enum auditd_op {
	AUDITD_OP_EXECUTE,
	AUDITD_OP_FIRMWARE,
	AUDITD_OP_KMODULE,
	AUDITD_OP_KEXEC_IMAGE,
	AUDITD_OP_KEXEC_INITRAMFS,
	AUDITD_OP_POLICY,
	AUDITD_OP_X509,
	AUDITD_OP_MAX,
	AUDITD_OP_INVALID = AUDITD_OP_MAX, /* a kernel read IPE cannot map to an op */
};

enum auditd_hook {
	AUDITD_HOOK_BPRM_CHECK,
	AUDITD_HOOK_BPRM_CREDS_FOR_EXEC,
	AUDITD_HOOK_MMAP,
	AUDITD_HOOK_MPROTECT,
	AUDITD_HOOK_KERNEL_READ,
	AUDITD_HOOK_KERNEL_LOAD,
	AUDITD_HOOK_MAX,
};

/* Record kinds: the first __u32 of every record. */
enum auditd_kind {
	AUDITD_KIND_EVENT = 1,  /* struct auditd_event: one IPE evaluation the kernel would make */
	AUDITD_KIND_VOLUME = 2, /* struct auditd_volume_event: security_bdev_setintegrity() */
};

#define AUDITD_COMM_LEN 16   /* TASK_COMM_LEN */
#define AUDITD_FSTYPE_LEN 16 /* file_system_type->name, truncated */
#define AUDITD_SID_LEN 32    /* super_block->s_id: what IPE's 1420 record prints as dev= */
#define AUDITD_NAME_MAX 256  /* NAME_MAX + 1 */
#define AUDITD_PATH_LEN 4096 /* path components; a power of two (offsets are masked with it) */
#define AUDITD_PATH_DEPTH 40 /* dentries walked at most */
#define AUDITD_ARGV_LEN 1024 /* argv bytes kept: AUDITD_ARGV_LEN - 1 at most (masked with it) */

/* struct auditd_event.flags */
#define AUDITD_F_HAS_FILE \
	(1u << 0) /* a file is evaluated (else anonymous memory / kernel_load_data) */
#define AUDITD_F_OVERLAY \
	(1u << 1) /* the file's dentry is on overlayfs; the identity is the real inode's */
#define AUDITD_F_INITRAMFS (1u << 2)  /* the mount's superblock is the initramfs (boot_verified) */
#define AUDITD_F_PATH_TRUNC (1u << 3) /* the path walk stopped early (too deep or too long) */
#define AUDITD_F_ARGV_TRUNC (1u << 4) /* argv longer than AUDITD_ARGV_LEN */
#define AUDITD_F_DELETED (1u << 5)    /* the dentry is unlinked: d_path() adds " (deleted)" */
#define AUDITD_F_TRUSTED (1u << 6)    /* (counters only) allowed in the kernel by trusted_volumes */
#define AUDITD_F_EXE_TRUNC (1u << 7)  /* the executable's path walk stopped early */
#define AUDITD_F_EXE_DELETED (1u << 8) /* the executable's dentry is unlinked */

/*
 * One evaluation IPE would make. data[] holds path_len bytes of path, then
 * exe_len bytes of the process's executable (mm->exe_file, the same
 * leaf-first form; not for exec hooks, where the file is the executable),
 * then argv_len bytes of argv (the process's NUL-separated arguments).
 *
 * The path is written leaf first: NUL-terminated names from the file up to
 * the root of the process's file system tree, crossing mount points, so that
 * "a\0b\0c\0" is "/c/b/a". An empty path with AUDITD_F_HAS_FILE means the
 * walk found nothing (the file system root itself).
 */
struct auditd_event {
	__u32 kind;    /* AUDITD_KIND_EVENT */
	__u8 op;       /* enum auditd_op */
	__u8 hook;     /* enum auditd_hook */
	__u16 flags;   /* AUDITD_F_* */
	__u64 time_ns; /* bpf_ktime_get_boot_ns(): CLOCK_BOOTTIME */
	__u32 pid;     /* thread id */
	__u32 tgid;    /* process id */
	__u32 ppid;    /* real_parent's tgid */
	__u32 uid;     /* current's real uid */
	__u32 dev; /* real inode's i_sb->s_bdev->bd_dev, else i_sb->s_dev (kernel dev_t: major << 20 | minor) */
	__u32 prot;     /* mmap/mprotect: the requested prot; kernel reads: the id */
	__u64 ino;      /* real inode's i_ino */
	__u64 file_ino; /* file_inode()'s i_ino: what IPE's 1420 record prints as ino= */
	__u32 sb_magic; /* real inode's i_sb->s_magic */
	__u16 path_len; /* bytes of data[] that are the path */
	__u16 argv_len; /* bytes of data[] after the path and exe that are argv */
	__u16 exe_len;  /* bytes of data[] after the path that are the executable's path */
	__u16 reserved;
	char comm[AUDITD_COMM_LEN];
	char fstype[AUDITD_FSTYPE_LEN]; /* real inode's i_sb->s_type->name */
	char sb_id[AUDITD_SID_LEN]; /* file_inode()'s i_sb->s_id: what IPE's 1420 record prints as dev= */
	char data[2 * AUDITD_PATH_LEN + AUDITD_NAME_MAX + AUDITD_ARGV_LEN];
};

/* struct auditd_volume_event.what, as enum lsm_integrity_type (include/linux/security.h) */
#define AUDITD_VOLUME_ROOTHASH 1  /* LSM_INT_DMVERITY_ROOTHASH: alg, digest */
#define AUDITD_VOLUME_SIG_VALID 2 /* LSM_INT_DMVERITY_SIG_VALID: sig_valid */

/* A dm-verity volume told the LSMs its root hash or signature state. */
struct auditd_volume_event {
	__u32 kind;       /* AUDITD_KIND_VOLUME */
	__u32 what;       /* AUDITD_VOLUME_* */
	__u32 dev;        /* the block device's bd_dev (kernel dev_t) */
	__u32 sig_valid;  /* AUDITD_VOLUME_SIG_VALID: 1 when the root-hash signature was verified */
	__u32 digest_len; /* bytes of digest[] (0 with no value: the volume was torn down) */
	char alg[32];     /* struct dm_verity_digest.alg: the crypto API name, e.g. "sha256" */
	__u8 digest[64];
};

/*
 * Map "trusted_volumes" (BPF_MAP_TYPE_HASH, key: __u32 kernel dev_t of the
 * real inode's block device, struct auditd_event.dev; value: struct auditd_trust). User space fills it
 * with what the candidate policy allows on each dm-verity volume, so an
 * evaluation there is counted in the kernel and never crosses into user
 * space.
 */
struct auditd_trust {
	__u32 allow_ops;           /* bit (1 << op): allowed, the mount not the initramfs */
	__u32 allow_ops_initramfs; /* bit (1 << op): allowed, the mount is the initramfs */
};
#define AUDITD_TRUST_MAX 1024 /* entries by default; run --max-volumes sets it before load */
#define AUDITD_TRUST_LIMIT (1u << 20) /* at most: one per device-mapper minor (MINORMASK + 1) */

/*
 * Map "counters" (BPF_MAP_TYPE_PERCPU_ARRAY, key: op * AUDITD_HOOK_MAX + hook
 * with op up to AUDITD_OP_INVALID; the last key counts volume records).
 * Nothing the programs see vanishes without being counted here.
 */
struct auditd_counters {
	__u64 seen;         /* evaluations seen */
	__u64 trusted;      /* allowed in the kernel by trusted_volumes */
	__u64 lost;         /* ring-buffer reservations that failed */
	__u64 cached_allow; /* allowed by a decision in "verdicts" (seen again, not sent) */
	__u64 cached_deny;  /* denied by a decision in "verdicts" (seen again, not sent) */
};
#define AUDITD_COUNTERS_MAX ((AUDITD_OP_MAX + 1) * AUDITD_HOOK_MAX + 1)
#define AUDITD_COUNTER_VOLUME (AUDITD_COUNTERS_MAX - 1)

/*
 * Map "verdicts" (BPF_MAP_TYPE_LRU_HASH, key: struct auditd_key; value:
 * struct auditd_cached): the decisions user space already made, so that a
 * file (or a program's anonymous memory) seen again is counted in the
 * kernel instead of crossing into user space: the dedup of `run`. A value
 * counts only while its generation equals the one in map "generation"
 * (BPF_MAP_TYPE_ARRAY, one __u32), which user space bumps whenever a
 * decision may change (a new policy, a volume's root hash). Generation 0
 * (the initial value) turns the cache off.
 */
#define AUDITD_KEY_ANON 1u      /* auditd_key.kind: anonymous memory, keyed by comm */
#define AUDITD_KEY_INITRAMFS 2u /* auditd_key.kind: the mount is the initramfs */
struct auditd_key {
	__u64 ino; /* files: the real inode's i_ino */
	__u32 dev; /* files: struct auditd_event.dev */
	__u8 op, hook;
	__u8 kind; /* AUDITD_KEY_* */
	__u8 pad;
	char comm[AUDITD_COMM_LEN]; /* anonymous memory only, else zero */
};
struct auditd_cached {
	__u32 generation;
	__u32 deny; /* 1: the policy denies it */
};
#define AUDITD_VERDICTS_MAX 16384

/* The "verdicts" key of @e (@k zeroed by the caller), the same in BPF and in user space. */
static inline void auditd_event_key(const struct auditd_event *e, struct auditd_key *k)
{
	k->op = e->op;
	k->hook = e->hook;
	if (e->flags & AUDITD_F_HAS_FILE) {
		k->dev = e->dev;
		k->ino = e->ino;
		k->kind = e->flags & AUDITD_F_INITRAMFS ? AUDITD_KEY_INITRAMFS : 0;
	} else {
		k->kind = AUDITD_KEY_ANON;
		__builtin_memcpy(k->comm, e->comm, sizeof(k->comm));
	}
}

#define AUDITD_RINGBUF_DEFAULT (2u << 20) /* bytes; a power of two, a multiple of the page size */
