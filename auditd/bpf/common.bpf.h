/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * What every ipe-auditd BPF program shares: the maps of event.h and the
 * helpers that turn a struct file into the identity IPE evaluates
 * (security/ipe/eval.c build_eval_ctx(): the real inode under overlayfs,
 * its superblock, the mount's superblock for boot_verified) and send it.
 * The programs only observe: every one of them returns 0.
 */

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "auditd/bpf/event.h"

#define OVERLAYFS_SUPER_MAGIC 0x794c7630
#define PROT_EXEC 0x4
#define VM_EXEC 0x4
#define MAP_ANONYMOUS 0x20

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, AUDITD_RINGBUF_DEFAULT); /* user space may resize it before load */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, AUDITD_COUNTERS_MAX);
	__type(key, __u32);
	__type(value, struct auditd_counters);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, AUDITD_TRUST_MAX); /* user space may resize it before load */
	__type(key, __u32);
	__type(value, struct auditd_trust);
} trusted_volumes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, AUDITD_VERDICTS_MAX);
	__type(key, struct auditd_key);
	__type(value, struct auditd_cached);
} verdicts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} generation SEC(".maps");

/* One event under construction per CPU: too large for the 512-byte stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct auditd_event);
} scratch SEC(".maps");

/* The daemon's own process id, so that its reads of its own files are not reported. */
const volatile __u32 self_tgid = 0;

static __always_inline struct auditd_counters *counter(__u32 op, __u32 hook)
{
	__u32 key = op * AUDITD_HOOK_MAX + hook;

	if (op > AUDITD_OP_INVALID || hook >= AUDITD_HOOK_MAX)
		return 0;
	return bpf_map_lookup_elem(&counters, &key);
}

/*
 * d_real_inode() of an overlayfs dentry (fs/overlayfs/util.c
 * ovl_d_real()/ovl_inode_real()): the upper inode when the file was copied
 * up, else the lowest layer's. The ovl_inode type comes from the overlay
 * module's BTF; without it (module not loaded) the overlay's own inode is
 * used and the event keeps AUDITD_F_OVERLAY.
 */
static __always_inline struct inode *real_inode(struct dentry *dentry, struct inode *inode, __u16 *flags)
{
	struct super_block *sb = BPF_CORE_READ(inode, i_sb);

	if (BPF_CORE_READ(sb, s_magic) != OVERLAYFS_SUPER_MAGIC)
		return inode;
	*flags |= AUDITD_F_OVERLAY;
	if (bpf_core_type_exists(struct ovl_inode)) {
		struct ovl_inode *oi = (void *)inode -
				       bpf_core_field_offset(struct ovl_inode, vfs_inode);
		struct dentry *upper = BPF_CORE_READ(oi, __upperdentry);
		struct ovl_entry *oe;
		struct dentry *lower = 0;

		if (upper)
			return BPF_CORE_READ(upper, d_inode) ?: inode;
		oe = BPF_CORE_READ(oi, oe);
		if (oe && BPF_CORE_READ(oe, __numlower) > 0)
			bpf_probe_read_kernel(&lower, sizeof(lower), &oe->__lowerstack[0].dentry);
		if (lower)
			return BPF_CORE_READ(lower, d_inode) ?: inode;
	}
	return inode;
}

struct walk {
	struct auditd_event *e;
	struct dentry *root_dentry; /* the task's root: where d_path() stops */
	struct vfsmount *root_mnt;
	struct dentry *d;
	struct vfsmount *vm;
	struct mount *m;
	__u32 off;
	__u32 base; /* where in e->data this path goes (below AUDITD_PATH_LEN) */
	__u16 trunc_flag, deleted_flag;
};

/* One step of walk_path(): 0 to go on, 1 to stop (bpf_loop() callback). */
static long walk_step(__u64 i, void *data)
{
	struct walk *w = data;
	struct auditd_event *e = w->e;
	struct dentry *d = w->d;
	struct vfsmount *vm = w->vm;
	struct mount *m = w->m;
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	struct dentry *mnt_root = BPF_CORE_READ(vm, mnt_root);
	const unsigned char *name;
	__u32 off = w->off;
	long n;

	if (d == w->root_dentry && vm == w->root_mnt)
		return 1;
	if (d == mnt_root || d == parent) {
		struct mount *mp = BPF_CORE_READ(m, mnt_parent);

		if (d != mnt_root && d == parent) {
			/*
			 * A pseudo file's own root (memfd_create(): alloc_file_pseudo()
			 * gives it anon_ops): d_path() prints simple_dname()'s
			 * "/NAME (deleted)".
			 */
			name = BPF_CORE_READ(d, d_name.name);
			n = bpf_probe_read_kernel_str(e->data + (w->base & (AUDITD_PATH_LEN - 1)) +
							      (off & (AUDITD_PATH_LEN - 1)),
						      AUDITD_NAME_MAX, name);
			if (n > 0) {
				w->off = off + n;
				e->flags |= w->deleted_flag;
			}
			return 1;
		}
		if (mp == m || d != mnt_root)
			return 1; /* the top of a mount tree, or a detached dentry */
		w->d = BPF_CORE_READ(m, mnt_mountpoint);
		w->m = mp;
		w->vm = (void *)((char *)mp + bpf_core_field_offset(struct mount, mnt));
		return 0;
	}
	if (off > AUDITD_PATH_LEN - AUDITD_NAME_MAX) {
		e->flags |= w->trunc_flag;
		return 1;
	}
	name = BPF_CORE_READ(d, d_name.name);
	n = bpf_probe_read_kernel_str(e->data + (w->base & (AUDITD_PATH_LEN - 1)) +
					      (off & (AUDITD_PATH_LEN - 1)),
				      AUDITD_NAME_MAX, name);
	if (n <= 0)
		return 1;
	w->off = off + n;
	w->d = parent;
	if (i == AUDITD_PATH_DEPTH - 1)
		e->flags |= w->trunc_flag;
	return 0;
}

/*
 * The path of @p as d_path() prints it for the current task (up to its
 * root, crossing mount points), leaf first, into e->data at @base (see
 * struct auditd_event), with @trunc_flag and @deleted_flag for what
 * AUDITD_F_PATH_TRUNC and AUDITD_F_DELETED say of the file's path.
 * Returns the bytes used.
 */
static __always_inline __u32 walk_path(struct auditd_event *e, const struct path *p, __u32 base,
				       __u16 trunc_flag, __u16 deleted_flag)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct walk w = {
		.e = e,
		.base = base,
		.trunc_flag = trunc_flag,
		.deleted_flag = deleted_flag,
		.root_dentry = BPF_CORE_READ(task, fs, root.dentry),
		.root_mnt = BPF_CORE_READ(task, fs, root.mnt),
		.d = BPF_CORE_READ(p, dentry),
		.vm = BPF_CORE_READ(p, mnt),
	};

	w.m = (void *)w.vm - bpf_core_field_offset(struct mount, mnt);
	bpf_loop(AUDITD_PATH_DEPTH, walk_step, &w, 0);
	return w.off & (AUDITD_PATH_LEN - 1);
}

/* The current process's argv (mm->arg_start..arg_end) after @off bytes of paths. */
static __always_inline __u32 read_argv(struct auditd_event *e, __u32 off)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	unsigned long start = BPF_CORE_READ(task, mm, arg_start);
	unsigned long end = BPF_CORE_READ(task, mm, arg_end);
	__u64 len = end > start ? end - start : 0;

	if (len > AUDITD_ARGV_LEN - 1) {
		len = AUDITD_ARGV_LEN - 1;
		e->flags |= AUDITD_F_ARGV_TRUNC;
	}
	len &= AUDITD_ARGV_LEN - 1;
	if (len == 0 ||
	    bpf_probe_read_user(e->data + (off & (2 * AUDITD_PATH_LEN - 1)), len, (void *)start) < 0)
		return 0;
	return len;
}

/* The path of the current process's executable at @off, unless the hook is an exec (the file is the executable). */
static __always_inline __u32 walk_exe(struct auditd_event *e, __u32 hook, __u32 off)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct file *exe;
	struct dentry *dentry;

	if (hook == AUDITD_HOOK_BPRM_CHECK || hook == AUDITD_HOOK_BPRM_CREDS_FOR_EXEC)
		return 0;
	exe = BPF_CORE_READ(task, mm, exe_file);
	if (!exe)
		return 0;
	dentry = BPF_CORE_READ(exe, f_path.dentry);
	if (!BPF_CORE_READ(dentry, d_hash.pprev) && BPF_CORE_READ(dentry, d_parent) != dentry)
		e->flags |= AUDITD_F_EXE_DELETED;
	return walk_path(e, &exe->f_path, off, AUDITD_F_EXE_TRUNC, AUDITD_F_EXE_DELETED);
}

/* The event under construction for @op at @hook, with nothing known yet. */
static __always_inline struct auditd_event *event_begin(__u32 op, __u32 hook)
{
	__u32 zero = 0;
	struct auditd_event *e = bpf_map_lookup_elem(&scratch, &zero);

	if (!e)
		return 0;
	e->kind = AUDITD_KIND_EVENT;
	e->op = op;
	e->hook = hook;
	e->flags = 0;
	e->dev = 0;
	e->prot = 0;
	e->ino = 0;
	e->file_ino = 0;
	e->sb_magic = 0;
	e->path_len = 0;
	e->argv_len = 0;
	e->exe_len = 0;
	e->fstype[0] = 0;
	e->sb_id[0] = 0;
	return e;
}

/* The task's part of @e: only for events that will be sent (after the cheap filters). */
static __always_inline void event_task(struct auditd_event *e)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();

	e->time_ns = bpf_ktime_get_boot_ns();
	e->pid = (__u32)id;
	e->tgid = id >> 32;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = (__u32)bpf_get_current_uid_gid();
}

/* True when "verdicts" already holds this event's decision; then it is counted here. */
static __always_inline bool cached(const struct auditd_event *e, struct auditd_counters *c)
{
	struct auditd_key k = {};
	struct auditd_cached *v;
	__u32 zero = 0, *gen;

	auditd_event_key(e, &k);
	/* generation 0: user space does not deduplicate (--no-dedup) */
	gen = bpf_map_lookup_elem(&generation, &zero);
	if (!gen || !*gen)
		return false;
	v = bpf_map_lookup_elem(&verdicts, &k);
	if (!v || v->generation != *gen)
		return false;
	if (v->deny)
		__sync_fetch_and_add(&c->cached_deny, 1);
	else
		__sync_fetch_and_add(&c->cached_allow, 1);
	return true;
}

/* Send @e (counted as lost when the ring buffer is full). */
static __always_inline void event_send(struct auditd_event *e, struct auditd_counters *c)
{
	__u64 size = __builtin_offsetof(struct auditd_event, data) + (__u64)e->path_len +
		     e->exe_len + e->argv_len;

	if (size > sizeof(*e))
		size = sizeof(*e);
	if (bpf_ringbuf_output(&events, e, size, 0) < 0)
		__sync_fetch_and_add(&c->lost, 1);
}

/*
 * One evaluation of @file (NULL: anonymous memory or kernel_load_data) for
 * @op at @hook, as IPE's build_eval_ctx() + ipe_evaluate_event() would see it.
 * Evaluations on a trusted volume are counted and not sent.
 */
static __always_inline void emit_file(__u32 op, __u32 hook, struct file *file, __u32 prot)
{
	struct auditd_counters *c = counter(op, hook);
	struct auditd_event *e;
	struct inode *inode;
	struct super_block *sb;
	struct super_block *mnt_sb;
	const char *name;

	if (!c || (self_tgid && bpf_get_current_pid_tgid() >> 32 == self_tgid))
		return;
	__sync_fetch_and_add(&c->seen, 1);
	e = event_begin(op, hook);
	if (!e)
		return;
	e->prot = prot;
	if (file) {
		struct dentry *dentry = BPF_CORE_READ(file, f_path.dentry);
		struct auditd_trust *t;
		__u32 off;

		e->flags |= AUDITD_F_HAS_FILE;
		inode = real_inode(dentry, BPF_CORE_READ(file, f_inode), &e->flags);
		sb = BPF_CORE_READ(inode, i_sb);
		mnt_sb = BPF_CORE_READ(file, f_path.mnt, mnt_sb);
		/*
		 * IPE's dm-verity state is that of the real inode's i_sb->s_bdev
		 * (security/ipe/eval.c build_ipe_bdev_ctx()); s_dev differs from it
		 * where a block file system has anonymous devices (btrfs). Without a
		 * block device (tmpfs, proc) s_dev is the identity.
		 */
		{
			struct block_device *bdev = BPF_CORE_READ(sb, s_bdev);

			e->dev = bdev ? BPF_CORE_READ(bdev, bd_dev) : BPF_CORE_READ(sb, s_dev);
		}
		e->ino = BPF_CORE_READ(inode, i_ino);
		/* ipe_unpack_initramfs() marks the rootfs superblock the initramfs is unpacked into */
		{
			char fs[8] = {};

			bpf_probe_read_kernel_str(fs, sizeof(fs), BPF_CORE_READ(mnt_sb, s_type, name));
			if (fs[0] == 'r' && fs[1] == 'o' && fs[2] == 'o' && fs[3] == 't' &&
			    fs[4] == 'f' && fs[5] == 's' && fs[6] == 0)
				e->flags |= AUDITD_F_INITRAMFS;
		}
		t = bpf_map_lookup_elem(&trusted_volumes, &e->dev);
		if (t && op < 32 &&
		    ((e->flags & AUDITD_F_INITRAMFS ? t->allow_ops_initramfs : t->allow_ops) &
		     (1u << op))) {
			__sync_fetch_and_add(&c->trusted, 1);
			return;
		}
		if (cached(e, c))
			return;
		/* only what is sent needs the rest */
		e->file_ino = BPF_CORE_READ(file, f_inode, i_ino);
		e->sb_magic = BPF_CORE_READ(sb, s_magic);
		name = BPF_CORE_READ(sb, s_type, name);
		bpf_probe_read_kernel_str(e->fstype, sizeof(e->fstype), name);
		bpf_probe_read_kernel_str(e->sb_id, sizeof(e->sb_id),
					  BPF_CORE_READ(file, f_inode, i_sb, s_id));
		/* d_unlinked(): unhashed and not a root, as d_path() tests before adding " (deleted)" */
		if (!BPF_CORE_READ(dentry, d_hash.pprev) && BPF_CORE_READ(dentry, d_parent) != dentry)
			e->flags |= AUDITD_F_DELETED;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		off = walk_path(e, &file->f_path, 0, AUDITD_F_PATH_TRUNC, AUDITD_F_DELETED);
		e->path_len = off;
	} else {
		bpf_get_current_comm(e->comm, sizeof(e->comm)); /* anonymous memory is keyed by it */
		if (cached(e, c))
			return;
	}
	event_task(e);
	e->exe_len = walk_exe(e, hook, e->path_len);
	e->argv_len = read_argv(e, e->path_len + e->exe_len);
	event_send(e, c);
}
