// SPDX-License-Identifier: GPL-2.0-only
/*
 * run: watch every evaluation IPE would make, judge it with the candidate
 * policy, and write what would be denied as JSON Lines (docs/events.md).
 * Where IPE has a policy active, also read IPE's own 1420 records and, when
 * the candidate is that policy, match the two sides (auditd/xcheck.h).
 * Loads and attaches the BPF programs, then keeps only the privileges it
 * still needs; memory stays bounded whatever the event rate (a fixed ring
 * buffer, a fixed dedup set, nothing kept per event; one entry per
 * dm-verity volume).
 */
#include <dirent.h>
#include <poll.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/timerfd.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lib/escape.h"
#include "lib/hexdecoct.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/macro.h"
#include "lib/parse_util.h"
#include "lib/verbs.h"
#include "auditd/audit_netlink.h"
#include "auditd/audit_record.h"
#include "auditd/backend.h"
#include "auditd/dedup.h"
#include "auditd/evaluate.h"
#include "auditd/fsverity.h"
#include "auditd/output.h"
#include "auditd/policy_file.h"
#include "auditd/record.h"
#include "auditd/service.h"
#include "auditd/volume_table.h"
#include "auditd/verbs.h"
#include "auditd/volumes.h"
#include "auditd/xcheck.h"

#define DEDUP_CAPACITY (1u << 16) /* 512 KiB of key hashes; 49152 distinct sightings remembered */
static inline void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

struct run {
	const char *policy_path;
	const char *out_name; /* --output, or "standard output" */
	struct policy_file pf;
	struct backend be;
	struct ring_buffer *rb;
	struct output out;
	struct dedup dd;
	bool dedup, all;
	struct auditd_stats st; /* user-space counts; the kernel's are added when written */
	uint64_t ulost[IPE_OP_MAX + 1][IPE_HOOK_MAX];
	struct volume_table vols; /* every volume, also those the kernel's map has no room for */
	uint32_t max_volumes;     /* entries of the kernel's trusted_volumes (--max-volumes) */
	uint32_t generation;      /* of the kernel's verdict cache; 0 = off (--no-dedup) */
	int audit_fd;             /* IPE's 1420 records (audit netlink), -1 when not read */
	int cross_check_mode;     /* enum cross_check */
	bool cross_check;         /* the auditor's denials are matched with the kernel's */
	char active[256];         /* the policy IPE has active, "" when none */
	struct xcheck xc;
	uint64_t kernel_bad; /* 1420 records that did not parse */
	int error;           /* the first error that must stop the run (output failed) */
	bool out_full;       /* the output's file system is full: events are counted as lost */
};

/* The output's file system is full: not a reason to stop (space may come back), the loss is counted. */
static bool disk_full(int k)
{
	return k == -ENOSPC || k == -EDQUOT || k == -EFBIG;
}

/* After writing a record: say once when the output fills up, and when it takes records again. */
static void output_state(struct run *r, int k)
{
	if (disk_full(k) && !r->out_full)
		log_warning_errno(k, "%s: %m: events are counted as lost until there is room again",
				  r->out_name);
	else if (k == 0 && r->out_full)
		log_info("%s: writable again", r->out_name);
	if (k == 0 || disk_full(k))
		r->out_full = k != 0;
}

static struct auditd_volume *volume_find(struct run *r, uint32_t dev)
{
	return volume_table_find(&r->vols, dev);
}

/* Decisions may have changed: the kernel's cached ones no longer count. */
static void verdicts_invalidate(struct run *r)
{
	__u32 zero = 0;

	if (!r->generation)
		return;
	r->generation = r->generation == UINT32_MAX ? 1 : r->generation + 1;
	if (bpf_map_update_elem(r->be.generation_fd, &zero, &r->generation, BPF_ANY) < 0)
		log_warning_errno(-errno, "cannot update the kernel's verdict cache: %m");
}

/* Remember @e's decision in the kernel, so that the same file is counted there next time. */
static void verdict_remember(struct run *r, const struct auditd_event *e, bool deny)
{
	struct auditd_key k = {};
	struct auditd_cached v = { .generation = r->generation, .deny = deny };

	if (!r->generation)
		return;
	auditd_event_key(e, &k);
	(void)bpf_map_update_elem(r->be.verdicts_fd, &k, &v, BPF_ANY);
}

/* A one-line securityfs or sysfs file into @buf; false when unreadable. */
static bool read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return ok;
}

/*
 * For messages: @v's device-mapper name, from sysfs when only the kernel
 * told of it so far (bdev_setintegrity comes before the uevent and rescan).
 */
static const char *volume_label(const struct auditd_volume *v, char *buf, size_t size)
{
	char path[64];

	if (v->name[0])
		return v->name;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/dm/name", v->dev >> 20, v->dev & 0xfffff);
	return read_line(path, buf, size) && buf[0] ? buf : "?";
}

/*
 * Tell the kernel side which evaluations on @v it may count as allowed
 * without sending them. When its map has no room (or refuses), nothing is
 * lost: the volume's evaluations keep coming to user space, which judges
 * them with the same policy; that is said once per volume and counted.
 */
static void trust_update(struct run *r, struct auditd_volume *v)
{
	struct auditd_trust t;
	char name[VOLUME_NAME_MAX];
	int k;

	verdicts_invalidate(r);
	auditd_trust_bits(r->pf.policy, v, &t);
	if (!v->digest_len || (!t.allow_ops && !t.allow_ops_initramfs)) {
		(void)bpf_map_delete_elem(r->be.trusted_fd, &v->dev);
		v->map_full = false;
		return;
	}
	if (bpf_map_update_elem(r->be.trusted_fd, &v->dev, &t, BPF_ANY) == 0) {
		if (v->map_full)
			log_info("volume '%s' (%u:%u): now in the kernel's map of trusted volumes",
				 volume_label(v, name, sizeof(name)), v->dev >> 20, v->dev & 0xfffff);
		v->map_full = false;
		return;
	}
	k = -errno;
	if (v->map_full)
		return;
	v->map_full = true;
	r->st.trusted_map_full++;
	if (k == -E2BIG)
		log_warning("volume '%s' (%u:%u): the kernel's map of trusted volumes is full "
			    "(--max-volumes %" PRIu32 "), so its evaluations are judged here in user "
			    "space: the same decisions, with more work",
			    volume_label(v, name, sizeof(name)), v->dev >> 20, v->dev & 0xfffff,
			    r->max_volumes);
	else
		log_warning_errno(k,
				  "volume '%s' (%u:%u): cannot mark it trusted in the kernel, so its "
				  "evaluations are judged here in user space: %m",
				  volume_label(v, name, sizeof(name)), v->dev >> 20, v->dev & 0xfffff);
}

static void trust_update_all(struct run *r)
{
	for (size_t i = 0; i < r->vols.n; i++)
		trust_update(r, &r->vols.v[i]);
}

/* A dm device went away: nothing on its device number is trusted any more. */
static void volume_forget(struct run *r, uint32_t dev)
{
	if (!volume_find(r, dev))
		return;
	(void)bpf_map_delete_elem(r->be.trusted_fd, &dev);
	volume_table_remove(&r->vols, dev);
	verdicts_invalidate(r);
	/* its place in the kernel's map is free: a volume waiting for one takes it */
	for (size_t i = 0; i < r->vols.n; i++)
		if (r->vols.v[i].map_full)
			trust_update(r, &r->vols.v[i]);
}

/*
 * Every dm-verity volume the device mapper has now. A listed volume that is
 * no longer there is forgotten; volumes only the kernel told us of
 * (bdev_setintegrity, no name) are kept until their device goes away.
 */
static int volumes_rescan(struct run *r)
{
	_cleanup_free_ struct verity_volume *vs = NULL;
	size_t n = 0;
	int k = volumes_scan(&vs, &n);

	if (k == -ENOENT)
		return 0; /* no device mapper */
	if (k < 0)
		return k;
	for (size_t i = 0; i < n; i++) {
		struct auditd_volume v, *old;
		bool map_full;

		if (auditd_volume_from_scan(&vs[i], &v) < 0)
			continue;
		k = volume_table_add(&r->vols, v.dev, &old);
		if (k < 0)
			return k;
		map_full = old->map_full; /* said once per volume, not at each rescan */
		*old = v;
		old->map_full = map_full;
		trust_update(r, old);
	}
	for (size_t i = r->vols.n; i > 0; i--) {
		const struct auditd_volume *v = &r->vols.v[i - 1];
		bool listed = false;

		for (size_t j = 0; j < n && !listed; j++)
			listed = AUDITD_KDEV(vs[j].major, vs[j].minor) == v->dev;
		if (!listed && v->name[0])
			volume_forget(r, v->dev);
	}
	return 0;
}

/* security_bdev_setintegrity() as the kernel side saw it. */
static void on_volume(struct run *r, const struct auditd_volume_event *ve)
{
	struct auditd_volume *v;

	r->st.volume_records++;
	if (volume_table_add(&r->vols, ve->dev, &v) < 0) {
		/* the kernel side no longer trusts the device: its events come here, judged without it */
		r->st.dropped++;
		return;
	}
	if (ve->what == AUDITD_VOLUME_ROOTHASH) {
		v->digest_len = MIN((size_t)ve->digest_len, sizeof(v->digest));
		memcpy(v->digest, ve->digest, v->digest_len);
		snprintf(v->alg, sizeof(v->alg), "%.*s", (int)sizeof(ve->alg), ve->alg);
	} else if (ve->what == AUDITD_VOLUME_SIG_VALID)
		v->sig_valid = ve->sig_valid;
	trust_update(r, v);
}

/* FS_IOC_MEASURE_VERITY of the event's file, when it is still the same file. */
static void measure_fsverity(const char *path, const struct auditd_event *e, struct auditd_fsverity *ret)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	struct stat st;

	*ret = (struct auditd_fsverity){};
	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_ino == e->ino)
		fsverity_measure_fd(fd, ret);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* xcheck's @unmatched: a mismatch record. */
static int on_unmatched(void *ctx, const struct xcheck_item *it)
{
	struct run *r = ctx;
	char why[160];

	snprintf(why, sizeof(why),
		 it->side == XCHECK_KERNEL
			 ? "IPE denied this and the auditor reported no such denial within %u ms"
			 : "the auditor denied this and IPE wrote no such record within %u ms",
		 XCHECK_WINDOW_MS);
	return output_mismatch(&r->out, it, why);
}

static void xcheck_add_logged(struct run *r, struct xcheck_item *it)
{
	int k = xcheck_add(&r->xc, it, now_ms(), on_unmatched, r);

	if (k < 0 && !r->error)
		r->error = k;
}

/* One of the auditor's denials, as IPE would print it (struct auditd_event's audit_dev, audit_ino). */
static void xcheck_auditor(struct run *r, const struct auditd_event *e,
			   const struct auditd_verdict *v, uint64_t seq)
{
	struct xcheck_item it = {
		.side = XCHECK_AUDITOR,
		.pid = e->tgid,
		.id = seq,
		.key = { .op = e->op, .hook = e->hook, .has_file = e->flags & AUDITD_F_HAS_FILE }
	};

	snprintf(it.comm, sizeof(it.comm), "%.*s", (int)sizeof(e->comm), e->comm);
	if (it.key.has_file) {
		snprintf(it.key.dev, sizeof(it.key.dev), "%.*s", (int)sizeof(e->sb_id), e->sb_id);
		it.key.ino = e->file_ino;
		it.path = walked_path(e->data, e->path_len, e->flags & AUDITD_F_DELETED, &it.path_len);
	} else
		snprintf(it.key.comm, sizeof(it.key.comm), "%.*s", (int)sizeof(e->comm), e->comm);
	it.rule = strdup(v->rule ?: "");
	if (!it.rule || (it.key.has_file && !it.path)) {
		free(it.rule);
		free(it.path);
		r->ulost[MIN((unsigned)e->op, (unsigned)IPE_OP_INVALID)][e->hook]++;
		return;
	}
	xcheck_add_logged(r, &it);
}

/* Every record waiting on the audit socket: 1420 ones become "kernel" records, and the cross-check's. */
static void on_audit(struct run *r)
{
	char buf[9000];
	uint16_t type;
	size_t len;
	int k;

	while ((k = audit_netlink_read(r->audit_fd, buf, sizeof(buf), &type, &len)) != -EAGAIN) {
		struct ipe_access a;

		if (k == -ENOBUFS) {
			/* records were lost: nothing can prove the two sides agree */
			struct xcheck_item lost = { .side = XCHECK_KERNEL,
						    .key.op = IPE_OP_INVALID,
						    .key.hook = IPE_HOOK_MAX };

			if (r->cross_check &&
			    (k = output_mismatch(&r->out, &lost,
						 "the audit socket overran: IPE's records "
						 "were lost, so the cross-check is incomplete")) < 0 &&
			    !r->error)
				r->error = k;
			log_warning("the audit socket overran: IPE's records were lost");
			continue;
		}
		if (k < 0) {
			log_warning_errno(k, "cannot read the audit socket: %m");
			return;
		}
		if (type != IPE_AUDIT_ACCESS)
			continue;
		if (ipe_access_parse(buf, len, &a) < 0) {
			if (!r->kernel_bad++)
				log_warning("an IPE record that does not parse: %.*s",
					    (int)MIN(len, (size_t)200), buf);
			continue;
		}
		if ((k = output_kernel(&r->out, &a)) < 0 && !r->error)
			r->error = k;
		if (r->cross_check && a.action == IPE_ACTION_DENY) {
			struct xcheck_item it = { .side = XCHECK_KERNEL,
						  .pid = a.pid,
						  .id = a.serial,
						  .key = { .op = (uint8_t)a.op,
							   .hook = (uint8_t)a.hook,
							   .has_file = a.has_file && a.dev[0] },
						  .path_len = a.path_len };

			it.rule = TAKE_PTR(a.rule);
			it.path = TAKE_PTR(a.path);
			snprintf(it.comm, sizeof(it.comm), "%s", a.comm);
			if (it.key.has_file) {
				snprintf(it.key.dev, sizeof(it.key.dev), "%.*s",
					 (int)sizeof(it.key.dev) - 1, a.dev);
				it.key.ino = a.ino;
			} else
				snprintf(it.key.comm, sizeof(it.key.comm), "%.*s",
					 (int)sizeof(it.key.comm) - 1, a.comm);
			xcheck_add_logged(r, &it);
		}
		ipe_access_done(&a);
	}
}

static void xcheck_tick(struct run *r, bool all)
{
	int k;

	if (r->cross_check && (k = xcheck_expire(&r->xc, now_ms(), all, on_unmatched, r)) < 0 &&
	    !r->error)
		r->error = k;
}

static int on_event(struct run *r, const struct auditd_event *e)
{
	const struct auditd_volume *vol = NULL;
	struct auditd_fsverity fsv = {}, *fsvp = NULL;
	struct auditd_verdict v;
	struct auditd_stats_row *row;
	unsigned op = MIN((unsigned)e->op, (unsigned)IPE_OP_INVALID);
	bool deny;
	uint64_t written = 0;
	int k;

	if (e->hook >= IPE_HOOK_MAX) {
		r->st.dropped++;
		return 0;
	}
	if (e->flags & AUDITD_F_HAS_FILE) {
		vol = volume_find(r, e->dev);
		if (op < IPE_OP_MAX && policy_uses_fsverity(r->pf.policy, op)) {
			size_t len;
			_cleanup_free_ char *path = walked_path(e->data, e->path_len, false, &len);

			if (path)
				measure_fsverity(path, e, &fsv);
			fsvp = &fsv;
		}
	}
	k = auditd_evaluate(r->pf.policy, e, vol, fsvp, &v);
	if (k < 0) {
		r->ulost[op][e->hook]++;
		return 0;
	}
	deny = v.decision.action == IPE_ACTION_DENY;
	row = &r->st.rows[op][e->hook];
	if (deny || r->all) {
		if (r->dedup && dedup_seen(&r->dd, e))
			row->deduplicated++;
		else {
			k = output_event(&r->out, e, &v, vol);
			output_state(r, k);
			if (k == -ENOMEM || disk_full(k)) {
				/* not reported: counted as lost, and not remembered, so the next sighting is */
				r->ulost[op][e->hook]++;
				auditd_verdict_done(&v);
				return 0;
			}
			if (k < 0 && !r->error)
				r->error = k;
			written = r->out.seq;
		}
	}
	if (deny)
		row->denied++;
	else
		row->allowed++;
	if (deny && r->cross_check)
		xcheck_auditor(r, e, &v, written);
	verdict_remember(r, e, deny);
	auditd_verdict_done(&v);
	return 0;
}

/* ring_buffer__new() callback: one record. A nonzero return stops ring_buffer__consume(). */
static int on_record(void *ctx, void *data, size_t size)
{
	struct run *r = ctx;

	switch (auditd_record_kind(data, size)) {
	case AUDITD_KIND_VOLUME:
		on_volume(r, data);
		break;
	case AUDITD_KIND_EVENT:
		on_event(r, data);
		break;
	default:
		r->st.dropped++;
	}
	return r->error;
}

/*
 * At the end: IPE's records of the last evaluations may still be on their
 * way (kauditd sends them in its own time), so wait for them while anything
 * waits for its match, at most one window; then what is left is unmatched.
 */
static void kernel_drain(struct run *r)
{
	uint64_t end = now_ms() + XCHECK_WINDOW_MS;

	if (r->audit_fd < 0)
		return;
	for (uint64_t now = now_ms(); r->cross_check && r->xc.n && now < end; now = now_ms()) {
		struct pollfd p = { .fd = r->audit_fd, .events = POLLIN };

		if (poll(&p, 1, (int)MIN(end - now, (uint64_t)100)) > 0)
			on_audit(r);
		xcheck_tick(r, false);
	}
	on_audit(r);
	xcheck_tick(r, true);
}

static int write_stats(struct run *r, bool final)
{
	struct auditd_counters k[AUDITD_COUNTERS_MAX];
	struct auditd_stats st = r->st;
	int e = backend_read_counters(&r->be, k);

	if (e < 0)
		return e;
	for (unsigned op = 0; op <= IPE_OP_MAX; op++)
		for (unsigned hook = 0; hook < IPE_HOOK_MAX; hook++) {
			const struct auditd_counters *c = &k[op * IPE_HOOK_MAX + hook];
			struct auditd_stats_row *row = &st.rows[op][hook];

			row->seen = c->seen;
			row->allowed += c->trusted + c->cached_allow;
			row->denied += c->cached_deny;
			row->deduplicated += c->cached_deny + (r->all ? c->cached_allow : 0);
			row->lost = c->lost + r->ulost[op][hook];
		}
	st.volume_lost = k[AUDITD_COUNTER_VOLUME].lost;
	st.dedup_entries = r->dd.n;
	st.dedup_full = r->dd.full;
	return output_stats(&r->out, &st, final);
}

/* What IPE on this kernel says about itself (securityfs), for the start record. */
static void ipe_state(struct auditd_start *s, char *active, size_t size)
{
	_cleanup_(closedirp) DIR *d = opendir("/sys/kernel/security/ipe/policies");
	char buf[8], path[512];
	struct dirent *de;

	s->ipe_present = access("/sys/kernel/security/ipe", F_OK) == 0;
	s->ipe_enforce_known = read_line("/sys/kernel/security/ipe/enforce", buf, sizeof(buf));
	s->ipe_enforce = s->ipe_enforce_known && buf[0] == '1';
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.') {
			snprintf(path, sizeof(path), "/sys/kernel/security/ipe/policies/%s/active",
				 de->d_name);
			if (read_line(path, buf, sizeof(buf)) && buf[0] == '1') {
				snprintf(active, size, "%s", de->d_name);
				s->ipe_active_policy = active;
			}
		}
}

enum cross_check { CROSS_CHECK_AUTO, CROSS_CHECK_ALWAYS, CROSS_CHECK_NEVER };

/*
 * Is the candidate the policy IPE has active? The same policy text as the
 * kernel keeps it (securityfs policies/NAME/policy, policy_fs.c
 * read_policy()), whether the candidate was given signed or not.
 */
static bool candidate_is_active(const struct run *r)
{
	struct policy_file active;
	char path[512];
	bool same;

	if (!r->active[0])
		return false;
	snprintf(path, sizeof(path), "/sys/kernel/security/ipe/policies/%s/policy", r->active);
	if (policy_file_load(path, &active) < 0) {
		policy_file_done(&active);
		return false;
	}
	same = active.text_sha256[0] && streq(active.text_sha256, r->pf.text_sha256);
	policy_file_done(&active);
	return same;
}

static void cross_check_decide(struct run *r)
{
	struct auditd_start now = {};
	bool was = r->cross_check;

	r->active[0] = 0;
	ipe_state(&now, r->active, sizeof(r->active)); /* another policy may have been activated since */

	r->cross_check = r->audit_fd >= 0 &&
			 (r->cross_check_mode == CROSS_CHECK_ALWAYS ||
			  (r->cross_check_mode == CROSS_CHECK_AUTO && candidate_is_active(r)));
	if (was) {
		/* what waits was judged by the old policy: settle it, then start afresh */
		xcheck_tick(r, true);
		xcheck_forget(&r->xc);
	}
}

static void reload(struct run *r)
{
	struct policy_file pf;
	int k;

	(void)notify_systemd("RELOADING=1");
	if (streq(r->policy_path, "-")) {
		/* read to its end at start: again, it would block on a terminal (or say "empty") */
		pf = (struct policy_file){};
		snprintf(pf.error, sizeof(pf.error),
			 "standard input was read at start; SIGHUP re-reads only a policy file");
		k = -EINVAL;
	} else
		k = policy_file_load(r->policy_path, &pf);
	if (k < 0 || pf.kernel_errno) {
		log_error("reload refused, the previous policy stays in use: %s", pf.error);
		k = output_reload(&r->out, r->pf.policy, r->pf.sha256, pf.error);
		policy_file_done(&pf);
	} else {
		_cleanup_free_ char *name = escape_text(ipe_policy_name(pf.policy));

		policy_file_done(&r->pf);
		r->pf = pf;
		dedup_clear(&r->dd); /* what is worth reporting changed */
		verdicts_invalidate(r);
		trust_update_all(r);
		cross_check_decide(r);
		log_info("reloaded %s: policy %s%s", r->policy_path, name ?: "?",
			 r->cross_check ? ", the one IPE has active: cross-checked with IPE's records"
					: "");
		k = output_reload(&r->out, r->pf.policy, r->pf.sha256, NULL);
	}
	if (k < 0 && !r->error)
		r->error = k;
	(void)notify_systemd("READY=1");
}

/*
 * The log tells what every process ran (paths, argv): an existing one that
 * others may read, or its group write, is narrowed to 0640 of its mode, and
 * that is said. One owned by another user is refused: its owner could read
 * it whatever its mode, and change what gate then judges.
 * Return: 0 or -errno, logged.
 */
static int log_mode_restrict(int fd, const char *name)
{
	struct stat st;
	mode_t want;

	if (fstat(fd, &st) < 0)
		return log_error_errno(-errno, "%s: %m", name);
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return log_error_errno(-EPERM,
				       "%s: owned by another user (uid %u), who could read and change "
				       "the records; not writing to it",
				       name, (unsigned)st.st_uid);
	want = st.st_mode & 0640;
	if ((st.st_mode & 07777) == want)
		return 0;
	if (fchmod(fd, want) < 0)
		return log_error_errno(-errno,
				       "%s: others may read it, and its mode cannot be narrowed: %m",
				       name);
	log_warning("%s: was mode %04o, open to others: now %04o", name,
		    (unsigned)(st.st_mode & 07777), (unsigned)want);
	return 0;
}

static int parse_seconds(const char *s, const char *opt, uint32_t *ret)
{
	if (safe_atou32(s, ret) < 0)
		return usage_error("%s: not a number of seconds: %s", opt, s);
	return 0;
}

struct options {
	const char *policy, *output;
	enum backend_kind backend;
	int cross_check; /* enum cross_check */
	int format;      /* -1 terminal decides, 0 json, 1 text */
	uint32_t duration, stats_interval;
	int ready_fd;
	uint64_t ring_size;
	uint32_t max_volumes;
	bool all, no_dedup;
};

static int parse_options(int argc, char *argv[], struct options *o)
{
	enum {
		ARG_POLICY = 0x100,
		ARG_BACKEND,
		ARG_OUTPUT,
		ARG_FORMAT,
		ARG_DURATION,
		ARG_STATS,
		ARG_READY,
		ARG_RING,
		ARG_MAX_VOLUMES,
		ARG_ALL,
		ARG_NO_DEDUP,
		ARG_CROSS_CHECK
	};
	static const struct option options[] = {
		{ "policy", required_argument, NULL, ARG_POLICY },
		{ "backend", required_argument, NULL, ARG_BACKEND },
		{ "output", required_argument, NULL, ARG_OUTPUT },
		{ "format", required_argument, NULL, ARG_FORMAT },
		{ "duration", required_argument, NULL, ARG_DURATION },
		{ "stats-interval", required_argument, NULL, ARG_STATS },
		{ "ready-fd", required_argument, NULL, ARG_READY },
		{ "ring-size", required_argument, NULL, ARG_RING },
		{ "max-volumes", required_argument, NULL, ARG_MAX_VOLUMES },
		{ "all", no_argument, NULL, ARG_ALL },
		{ "no-dedup", no_argument, NULL, ARG_NO_DEDUP },
		{ "cross-check", required_argument, NULL, ARG_CROSS_CHECK },
		{}
	};
	uint32_t fd;
	int c, k;

	*o = (struct options){ .format = -1,
			       .stats_interval = 60,
			       .ready_fd = -1,
			       .ring_size = AUDITD_RINGBUF_DEFAULT,
			       .max_volumes = AUDITD_TRUST_MAX };
	while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
		switch (c) {
		case ARG_POLICY:
			o->policy = optarg;
			break;
		case ARG_BACKEND:
			if (streq(optarg, "auto"))
				o->backend = BACKEND_AUTO;
			else if (streq(optarg, "lsm"))
				o->backend = BACKEND_LSM;
			else if (streq(optarg, "tracepoint"))
				o->backend = BACKEND_TRACEPOINT;
			else
				return usage_error("--backend: auto, lsm or tracepoint, not %s",
						   optarg);
			break;
		case ARG_OUTPUT:
			o->output = streq(optarg, "-") ? NULL : optarg; /* "-": standard output, as elsewhere */
			break;
		case ARG_FORMAT:
			if (!streq(optarg, "json") && !streq(optarg, "text"))
				return usage_error("--format: json or text, not %s", optarg);
			o->format = streq(optarg, "text");
			break;
		case ARG_DURATION:
			if ((k = parse_seconds(optarg, "--duration", &o->duration)) < 0)
				return k;
			break;
		case ARG_STATS:
			if ((k = parse_seconds(optarg, "--stats-interval", &o->stats_interval)) < 0)
				return k;
			break;
		case ARG_READY:
			if (safe_atou32(optarg, &fd) < 0 || fd < 3 || fd > INT32_MAX ||
			    fcntl((int)fd, F_GETFD) < 0)
				return usage_error("--ready-fd: not an open file descriptor above 2: %s",
						   optarg);
			o->ready_fd = (int)fd;
			break;
		case ARG_RING:
			if (safe_atou64(optarg, &o->ring_size) < 0 || o->ring_size < 4096 ||
			    o->ring_size > (1u << 30) || (o->ring_size & (o->ring_size - 1)))
				return usage_error("--ring-size: a power of two from 4096 to 1 GiB, not %s",
						   optarg);
			break;
		case ARG_MAX_VOLUMES:
			/* at most one entry per device-mapper minor (MINORMASK + 1) */
			if (safe_atou32(optarg, &o->max_volumes) < 0 || o->max_volumes < 1 ||
			    o->max_volumes > AUDITD_TRUST_LIMIT)
				return usage_error("--max-volumes: a number from 1 to %u, not %s",
						   AUDITD_TRUST_LIMIT, optarg);
			break;
		case ARG_ALL:
			o->all = true;
			break;
		case ARG_NO_DEDUP:
			o->no_dedup = true;
			break;
		case ARG_CROSS_CHECK:
			if (streq(optarg, "auto"))
				o->cross_check = CROSS_CHECK_AUTO;
			else if (streq(optarg, "always"))
				o->cross_check = CROSS_CHECK_ALWAYS;
			else if (streq(optarg, "never"))
				o->cross_check = CROSS_CHECK_NEVER;
			else
				return usage_error("--cross-check: auto, always or never, not %s",
						   optarg);
			break;
		default:
			return -EINVAL;
		}
	if (verb_operands(argc - optind) < 0)
		return -EINVAL;
	if (!o->policy)
		return usage_error("--policy FILE is required");
	return 0;
}

static int epoll_add(int ep, int fd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

enum { TAG_RING, TAG_SIGNAL, TAG_STATS, TAG_UEVENT, TAG_AUDIT };

static int run_loop(struct run *r, const struct options *o, int sfd, int tfd, int ufd)
{
	_cleanup_close_ int ep = epoll_create1(EPOLL_CLOEXEC);
	struct timespec start;
	int k;

	if (ep < 0)
		return -errno;
	if ((k = epoll_add(ep, ring_buffer__epoll_fd(r->rb), TAG_RING)) < 0 ||
	    (k = epoll_add(ep, sfd, TAG_SIGNAL)) < 0 ||
	    (tfd >= 0 && (k = epoll_add(ep, tfd, TAG_STATS)) < 0) ||
	    (ufd >= 0 && (k = epoll_add(ep, ufd, TAG_UEVENT)) < 0) ||
	    (r->audit_fd >= 0 && (k = epoll_add(ep, r->audit_fd, TAG_AUDIT)) < 0))
		return k;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!r->error) {
		struct epoll_event evs[5];
		int timeout = -1, n;
		int64_t next = r->cross_check ? xcheck_next_ms(&r->xc, now_ms()) : -1;

		if (o->duration) {
			struct timespec now;
			int64_t left;

			clock_gettime(CLOCK_MONOTONIC, &now);
			left = (int64_t)o->duration * 1000 - ((now.tv_sec - start.tv_sec) * 1000 +
							      (now.tv_nsec - start.tv_nsec) / 1000000);
			if (left <= 0)
				return 0;
			timeout = (int)MIN(left, (int64_t)INT32_MAX);
		}
		if (next >= 0 && (timeout < 0 || next < timeout))
			timeout = (int)MIN(next, (int64_t)INT32_MAX);
		n = epoll_wait(ep, evs, ELEMENTSOF(evs), timeout);
		if (n < 0 && errno != EINTR)
			return -errno;
		xcheck_tick(r, false);
		for (int i = 0; i < n; i++)
			switch (evs[i].data.u64) {
			case TAG_RING:
				k = ring_buffer__consume(r->rb);
				if (k < 0 && k != -EINTR && !r->error)
					r->error = k;
				break;
			case TAG_AUDIT:
				on_audit(r);
				break;
			case TAG_STATS: {
				uint64_t ticks;

				if (read(tfd, &ticks, sizeof(ticks)) <= 0)
					break;
				/* a stats record that finds no room is not missed: the next one has the totals */
				k = write_stats(r, false);
				output_state(r, k);
				if (k < 0 && !disk_full(k) && !r->error)
					r->error = k;
				break;
			}
			case TAG_UEVENT: {
				struct volume_uevent u;
				bool changed = false;

				while ((k = volume_watch_read(ufd, &u)) != -EAGAIN) {
					if (k < 0 && k != -ENOBUFS) {
						log_warning_errno(k, "cannot read device uevents: %m");
						break;
					}
					if (k == 1 && u.action == VOLUME_REMOVE)
						volume_forget(r, AUDITD_KDEV(u.major, u.minor));
					if (k != 0) /* a dm change, or missed changes (-ENOBUFS): rescan */
						changed = true;
				}
				if (changed && (k = volumes_rescan(r)) < 0)
					log_warning_errno(k, "cannot rescan the dm-verity volumes: %m");
				break;
			}
			case TAG_SIGNAL: {
				struct signalfd_siginfo si;

				if (read(sfd, &si, sizeof(si)) != sizeof(si))
					break;
				if (si.ssi_signo == SIGHUP)
					reload(r);
				else
					return 0;
				break;
			}
			}
	}
	return r->error;
}

const struct verb run_verb = {
	.name = "run",
	.run = verb_run,
	.min_operands = 0,
	.max_operands = 0,
	.synopsis = "run --policy FILE [OPTIONS]",
	.help = "Watch every exec and executable mapping with eBPF, evaluate the candidate\n"
		"policy FILE (text or signed .p7b) as IPE would, and report each would-be\n"
		"denial as JSON Lines (docs/events.md).\n\n"
		"  --policy FILE            the candidate policy\n"
		"  --backend B              auto (default), lsm or tracepoint\n"
		"  --output FILE            append records to FILE (default, or -: standard output)\n"
		"  --format F               json or text (default: text on a terminal, else json)\n"
		"  --duration SEC           stop after SEC seconds (default 0: until a signal)\n"
		"  --stats-interval SEC     a stats record every SEC seconds (default 60, 0: only at exit)\n"
		"  --ready-fd N             write a newline to fd N once attached (s6 notification-fd)\n"
		"  --ring-size BYTES        ring buffer size, a power of two (default 2 MiB)\n"
		"  --max-volumes N          dm-verity volumes the kernel side trusts by itself\n"
		"                           (default 1024); the others are judged in user space\n"
		"  --all                    also report what the policy allows\n"
		"  --no-dedup               report every denial, not only the first of each file\n"
		"  --cross-check WHEN       match the denials with IPE's own audit records: auto\n"
		"                           (default: when FILE is the policy IPE has active),\n"
		"                           always, or never (IPE's records are then not read)\n\n"
		"Where IPE has a policy active, its 1420 audit records are read from the audit\n"
		"netlink group (CAP_AUDIT_READ) and written as kernel records; when cross-\n"
		"checked, a denial one side made and the other did not is a mismatch record.\n\n"
		"Exit status: 0 stopped by a signal or --duration, 2 usage or system error.\n",
};

int verb_run(int argc, char *argv[])
{
	struct options o;
	struct run r = { .dedup = true, .audit_fd = -1 };
	_cleanup_close_ int out_fd = -1, sfd = -1, tfd = -1, ufd = -1;
	struct auditd_start s = {};
	const char *caps[2] = {};
	int keep[1], n_keep = 0;
	char err[512];
	struct timespec real, boot;
	sigset_t mask;
	int k;

	k = parse_options(argc, argv, &o);
	if (k < 0)
		return k;
	r.policy_path = o.policy;
	r.cross_check_mode = o.cross_check;
	r.all = o.all;
	r.dedup = !o.no_dedup;
	r.max_volumes = o.max_volumes;
	k = policy_file_load(o.policy, &r.pf);
	if (k < 0 || r.pf.kernel_errno) {
		log_error("%s", r.pf.error);
		k = k < 0 ? k : r.pf.kernel_errno;
		policy_file_done(&r.pf);
		return k;
	}
	if (o.output) {
		out_fd = append_file_open(o.output, 0600);
		if (out_fd < 0) {
			k = log_output_error(out_fd, o.output, "cannot open");
			goto out;
		}
		if ((k = log_mode_restrict(out_fd, o.output)) < 0)
			goto out;
	}
	r.out.fd = out_fd >= 0 ? out_fd : STDOUT_FILENO;
	r.out_name = o.output ?: "standard output";
	r.out.text = o.format < 0 ? isatty(r.out.fd) : o.format;
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	r.out.boot_to_real_ns = ((int64_t)real.tv_sec - boot.tv_sec) * 1000000000 +
				(real.tv_nsec - boot.tv_nsec);
	if ((k = dedup_init(&r.dd, DEDUP_CAPACITY)) < 0 ||
	    (k = xcheck_init(&r.xc, XCHECK_WINDOW_MS)) < 0) {
		log_error_errno(k, "%m");
		goto out;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0 ||
	    (sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		k = log_error_errno(-errno, "cannot handle signals: %m");
		goto out;
	}
	if (o.stats_interval) {
		struct itimerspec it = { .it_value.tv_sec = o.stats_interval,
					 .it_interval.tv_sec = o.stats_interval };

		tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		if (tfd < 0 || timerfd_settime(tfd, 0, &it, NULL) < 0) {
			k = log_error_errno(-errno, "cannot set the stats timer: %m");
			goto out;
		}
	}

	k = backend_open(&r.be, o.backend, o.ring_size, o.max_volumes, getpid(), err, sizeof(err));
	if (k < 0) {
		log_error("%s", err);
		goto out;
	}
	if (r.dedup) {
		__u32 zero = 0;

		r.generation = 1;
		if (bpf_map_update_elem(r.be.generation_fd, &zero, &r.generation, BPF_ANY) < 0) {
			log_warning_errno(-errno, "cannot turn on the kernel's verdict cache: %m");
			r.generation = 0;
		}
	}
	r.rb = ring_buffer__new(r.be.events_fd, on_record, &r, NULL);
	if (!r.rb) {
		k = log_error_errno(-errno, "cannot read the ring buffer: %m");
		goto out;
	}
	/* the device mapper's volumes, and a watch for new ones (needs CAP_SYS_ADMIN for its ioctls) */
	if (access("/dev/mapper/control", F_OK) == 0) {
		keep[n_keep++] = CAP_SYS_ADMIN;
		if ((k = volumes_rescan(&r)) < 0)
			log_warning_errno(k, "cannot list the dm-verity volumes: %m");
		ufd = volume_watch_open();
		if (ufd < 0)
			log_warning_errno(ufd, "cannot watch for new dm-verity volumes: %m");
	}
	s = (struct auditd_start){
		.backend = r.be.name,
		.backend_reason = r.be.reason,
		.gaps = r.be.gaps,
		.policy = r.pf.policy,
		.policy_sha256 = r.pf.sha256,
		.policy_file = o.policy,
		.dedup = r.dedup,
		.all = r.all,
		.dedup_capacity = DEDUP_CAPACITY,
		.ring_size = (size_t)o.ring_size,
		.max_volumes = o.max_volumes,
		.stats_interval = o.stats_interval,
		.capabilities = caps,
	};
	ipe_state(&s, r.active, sizeof(r.active));
	/* IPE's own records, where it has a policy to write them for; the socket is bound
	 * (CAP_AUDIT_READ, checked only then) before the capabilities go */
	if (s.ipe_active_policy && o.cross_check != CROSS_CHECK_NEVER) {
		r.audit_fd = audit_netlink_open();
		if (r.audit_fd < 0)
			log_warning_errno(r.audit_fd,
					  "cannot read IPE's audit records (needs CAP_AUDIT_READ), "
					  "so nothing is cross-checked with the kernel: %m");
		cross_check_decide(&r);
	}
	s.kernel_records = r.audit_fd >= 0;
	s.cross_check = r.cross_check;
	k = caps_restrict(keep, (size_t)n_keep);
	if (k < 0) {
		log_error_errno(k, "cannot drop capabilities: %m");
		goto out;
	}
	for (int i = 0; i < n_keep; i++)
		caps[i] = cap_name(keep[i]);
	if ((k = output_start(&r.out, &s)) < 0) {
		log_error_errno(k, "%s: cannot write: %m", r.out_name);
		goto out;
	}
	if (o.ready_fd >= 0 && (k = notify_ready_fd(o.ready_fd)) < 0)
		log_warning_errno(k, "--ready-fd: %m");
	if ((k = notify_systemd("READY=1")) < 0)
		log_warning_errno(k, "NOTIFY_SOCKET: %m");

	k = run_loop(&r, &o, sfd, tfd, ufd);
	(void)notify_systemd("STOPPING=1");
	/* stop the programs, take what they sent, then count: the final record adds up */
	backend_detach(&r.be);
	if (k == 0) {
		ring_buffer__consume(r.rb);
		kernel_drain(&r);
		k = r.error;
	}
	if (k == 0)
		k = write_stats(&r, true);
	if (k < 0)
		log_error_errno(k, "stopped: %s: %m", r.out_name);
out:
	ring_buffer__free(r.rb);
	backend_close(&r.be);
	dedup_done(&r.dd);
	xcheck_done(&r.xc);
	if (r.audit_fd >= 0)
		close(r.audit_fd);
	policy_file_done(&r.pf);
	volume_table_done(&r.vols);
	return k;
}
