// SPDX-License-Identifier: GPL-2.0-only
/*
 * run: watch every evaluation IPE would make, judge it with the candidate
 * policy, and write what would be denied as JSON Lines (docs/events.md).
 * Loads and attaches the BPF programs, then keeps only the privileges it
 * still needs; memory stays bounded whatever the event rate (a fixed ring
 * buffer, a fixed dedup set, nothing kept per event).
 */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/capability.h>
#include <linux/fsverity.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/timerfd.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lib/hexdecoct.h"
#include "lib/log.h"
#include "lib/macro.h"
#include "lib/parse_util.h"
#include "lib/verbs.h"
#include "auditd/backend.h"
#include "auditd/dedup.h"
#include "auditd/evaluate.h"
#include "auditd/output.h"
#include "auditd/policy_file.h"
#include "auditd/record.h"
#include "auditd/service.h"
#include "auditd/verbs.h"
#include "auditd/volumes.h"

#define DEDUP_CAPACITY (1u << 16) /* 512 KiB of key hashes; 49152 distinct sightings remembered */
static inline void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

#define KDEV(major, minor) ((uint32_t)(major) << 20 | (uint32_t)(minor))

struct run {
	const char *policy_path;
	const char *out_name;              /* --output, or "standard output" */
	struct policy_file pf;
	struct backend be;
	struct ring_buffer *rb;
	struct output out;
	struct dedup dd;
	bool dedup, all;
	struct auditd_stats st;            /* user-space counts; the kernel's are added when written */
	uint64_t ulost[IPE_OP_MAX + 1][IPE_HOOK_MAX];
	struct auditd_volume vols[AUDITD_TRUST_MAX];
	size_t n_vols;
	uint32_t generation;               /* of the kernel's verdict cache; 0 = off (--no-dedup) */
	int error;                         /* the first error that must stop the run (output failed) */
	bool out_full;                     /* the output's file system is full: events are counted as lost */
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
	for (size_t i = 0; i < r->n_vols; i++)
		if (r->vols[i].dev == dev)
			return &r->vols[i];
	return NULL;
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

/* Tell the kernel side which evaluations on @v it may count as allowed without sending them. */
static void trust_update(struct run *r, const struct auditd_volume *v)
{
	struct auditd_trust t;

	verdicts_invalidate(r);
	auditd_trust_bits(r->pf.policy, v, &t);
	if (!v->digest_len || (!t.allow_ops && !t.allow_ops_initramfs))
		(void)bpf_map_delete_elem(r->be.trusted_fd, &v->dev);
	else if (bpf_map_update_elem(r->be.trusted_fd, &v->dev, &t, BPF_ANY) < 0)
		log_warning_errno(-errno, "cannot mark volume %u:%u trusted in the kernel, its events are judged here: %m",
				  v->dev >> 20, v->dev & 0xfffff);
}

static void trust_update_all(struct run *r)
{
	for (size_t i = 0; i < r->n_vols; i++)
		trust_update(r, &r->vols[i]);
}

/* "alg:hex" of volumes.h into @v. */
static int volume_from_scan(const struct verity_volume *s, struct auditd_volume *v)
{
	const char *colon = strchr(s->roothash, ':');
	_cleanup_free_ unsigned char *bytes = NULL;
	size_t len;

	*v = (struct auditd_volume){ .dev = KDEV(s->major, s->minor), .sig_valid = s->roothash_signed };
	snprintf(v->name, sizeof(v->name), "%s", s->name);
	if (!colon || (size_t)(colon - s->roothash) >= sizeof(v->alg) ||
	    hex_decode(colon + 1, strlen(colon + 1), &bytes, &len) < 0 || len > sizeof(v->digest))
		return -EINVAL;
	memcpy(v->alg, s->roothash, (size_t)(colon - s->roothash));
	memcpy(v->digest, bytes, len);
	v->digest_len = len;
	return 0;
}

/* A dm device went away: nothing on its device number is trusted any more. */
static void volume_forget(struct run *r, uint32_t dev)
{
	struct auditd_volume *v = volume_find(r, dev);

	if (!v)
		return;
	(void)bpf_map_delete_elem(r->be.trusted_fd, &dev);
	*v = r->vols[--r->n_vols];
	verdicts_invalidate(r);
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

		if (volume_from_scan(&vs[i], &v) < 0)
			continue;
		old = volume_find(r, v.dev);
		if (!old && r->n_vols == ELEMENTSOF(r->vols))
			continue;
		if (!old)
			old = &r->vols[r->n_vols++];
		*old = v;
		trust_update(r, old);
	}
	for (size_t i = r->n_vols; i > 0; i--) {
		bool listed = false;

		for (size_t j = 0; j < n && !listed; j++)
			listed = KDEV(vs[j].major, vs[j].minor) == r->vols[i - 1].dev;
		if (!listed && r->vols[i - 1].name[0])
			volume_forget(r, r->vols[i - 1].dev);
	}
	return 0;
}

/* security_bdev_setintegrity() as the kernel side saw it. */
static void on_volume(struct run *r, const struct auditd_volume_event *ve)
{
	struct auditd_volume *v = volume_find(r, ve->dev);

	r->st.volume_records++;
	if (!v) {
		if (r->n_vols == ELEMENTSOF(r->vols))
			return;
		v = &r->vols[r->n_vols++];
		*v = (struct auditd_volume){ .dev = ve->dev };
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
	struct {
		struct fsverity_digest d;
		unsigned char buf[64];
	} m = { .d.digest_size = 64 };
	struct fsverity_read_metadata_arg sig = { .metadata_type = FS_VERITY_METADATA_TYPE_SIGNATURE, .length = 1 };
	unsigned char one;
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	struct stat st;

	*ret = (struct auditd_fsverity){};
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_ino != e->ino || ioctl(fd, FS_IOC_MEASURE_VERITY, &m) < 0)
		return;
	ret->enabled = true;
	snprintf(ret->alg, sizeof(ret->alg), "%s", m.d.digest_algorithm == FS_VERITY_HASH_ALG_SHA512 ? "sha512" : "sha256");
	ret->digest_len = MIN((size_t)m.d.digest_size, sizeof(ret->digest));
	memcpy(ret->digest, m.d.digest, ret->digest_len);
	sig.buf_ptr = (uintptr_t)&one;
	ret->builtin_sig = ioctl(fd, FS_IOC_READ_VERITY_METADATA, &sig) > 0;
}

static bool policy_uses_fsverity(const struct ipe_policy *p, enum ipe_op op)
{
	return auditd_policy_uses(p, op, IPE_PROP_FSV_DIGEST) || auditd_policy_uses(p, op, IPE_PROP_FSV_SIG_TRUE) ||
	       auditd_policy_uses(p, op, IPE_PROP_FSV_SIG_FALSE);
}

static int on_event(struct run *r, const struct auditd_event *e)
{
	const struct auditd_volume *vol = NULL;
	struct auditd_fsverity fsv = {}, *fsvp = NULL;
	struct auditd_verdict v;
	struct auditd_stats_row *row;
	unsigned op = MIN((unsigned)e->op, (unsigned)IPE_OP_INVALID);
	bool deny;
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
		}
	}
	if (deny)
		row->denied++;
	else
		row->allowed++;
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

static void reload(struct run *r)
{
	struct policy_file pf;
	int k;

	(void)notify_systemd("RELOADING=1");
	k = policy_file_load(r->policy_path, &pf);
	if (k < 0 || pf.kernel_errno) {
		log_error("reload refused, the previous policy stays in use: %s", pf.error);
		k = output_reload(&r->out, r->pf.policy, r->pf.sha256, pf.error);
		policy_file_done(&pf);
	} else {
		policy_file_done(&r->pf);
		r->pf = pf;
		dedup_clear(&r->dd); /* what is worth reporting changed */
		verdicts_invalidate(r);
		trust_update_all(r);
		log_info("reloaded %s: policy %s", r->policy_path, r->pf.policy->name);
		k = output_reload(&r->out, r->pf.policy, r->pf.sha256, NULL);
	}
	if (k < 0 && !r->error)
		r->error = k;
	(void)notify_systemd("READY=1");
}

/* A one-line securityfs file into @buf; false when unreadable. */
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
			snprintf(path, sizeof(path), "/sys/kernel/security/ipe/policies/%s/active", de->d_name);
			if (read_line(path, buf, sizeof(buf)) && buf[0] == '1') {
				snprintf(active, size, "%s", de->d_name);
				s->ipe_active_policy = active;
			}
		}
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
	int format; /* -1 terminal decides, 0 json, 1 text */
	uint32_t duration, stats_interval;
	int ready_fd;
	uint64_t ring_size;
	bool all, no_dedup;
};

static int parse_options(int argc, char *argv[], struct options *o)
{
	enum { ARG_POLICY = 0x100, ARG_BACKEND, ARG_OUTPUT, ARG_FORMAT, ARG_DURATION, ARG_STATS, ARG_READY,
	       ARG_RING, ARG_ALL, ARG_NO_DEDUP };
	static const struct option options[] = {
		{ "policy", required_argument, NULL, ARG_POLICY },
		{ "backend", required_argument, NULL, ARG_BACKEND },
		{ "output", required_argument, NULL, ARG_OUTPUT },
		{ "format", required_argument, NULL, ARG_FORMAT },
		{ "duration", required_argument, NULL, ARG_DURATION },
		{ "stats-interval", required_argument, NULL, ARG_STATS },
		{ "ready-fd", required_argument, NULL, ARG_READY },
		{ "ring-size", required_argument, NULL, ARG_RING },
		{ "all", no_argument, NULL, ARG_ALL },
		{ "no-dedup", no_argument, NULL, ARG_NO_DEDUP },
		{}
	};
	uint32_t fd;
	int c, k;

	*o = (struct options){ .format = -1, .stats_interval = 60, .ready_fd = -1, .ring_size = AUDITD_RINGBUF_DEFAULT };
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
				return usage_error("--backend: auto, lsm or tracepoint, not %s", optarg);
			break;
		case ARG_OUTPUT:
			o->output = optarg;
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
			if (safe_atou32(optarg, &fd) < 0 || fd < 3 || fd > INT32_MAX || fcntl((int)fd, F_GETFD) < 0)
				return usage_error("--ready-fd: not an open file descriptor above 2: %s", optarg);
			o->ready_fd = (int)fd;
			break;
		case ARG_RING:
			if (safe_atou64(optarg, &o->ring_size) < 0 || o->ring_size < 4096 || o->ring_size > (1u << 30) ||
			    (o->ring_size & (o->ring_size - 1)))
				return usage_error("--ring-size: a power of two from 4096 to 1 GiB, not %s", optarg);
			break;
		case ARG_ALL:
			o->all = true;
			break;
		case ARG_NO_DEDUP:
			o->no_dedup = true;
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

enum { TAG_RING, TAG_SIGNAL, TAG_STATS, TAG_UEVENT };

static int run_loop(struct run *r, const struct options *o, int sfd, int tfd, int ufd)
{
	_cleanup_close_ int ep = epoll_create1(EPOLL_CLOEXEC);
	struct timespec start;
	int k;

	if (ep < 0)
		return -errno;
	if ((k = epoll_add(ep, ring_buffer__epoll_fd(r->rb), TAG_RING)) < 0 || (k = epoll_add(ep, sfd, TAG_SIGNAL)) < 0 ||
	    (tfd >= 0 && (k = epoll_add(ep, tfd, TAG_STATS)) < 0) || (ufd >= 0 && (k = epoll_add(ep, ufd, TAG_UEVENT)) < 0))
		return k;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!r->error) {
		struct epoll_event evs[4];
		int timeout = -1, n;

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
		n = epoll_wait(ep, evs, ELEMENTSOF(evs), timeout);
		if (n < 0 && errno != EINTR)
			return -errno;
		for (int i = 0; i < n; i++)
			switch (evs[i].data.u64) {
			case TAG_RING:
				k = ring_buffer__consume(r->rb);
				if (k < 0 && k != -EINTR && !r->error)
					r->error = k;
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
						volume_forget(r, KDEV(u.major, u.minor));
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
		"  --output FILE            append records to FILE (default: standard output)\n"
		"  --format F               json or text (default: text on a terminal, else json)\n"
		"  --duration SEC           stop after SEC seconds\n"
		"  --stats-interval SEC     a stats record every SEC seconds (default 60, 0: only at exit)\n"
		"  --ready-fd N             write a newline to fd N once attached (s6 notification-fd)\n"
		"  --ring-size BYTES        ring buffer size, a power of two (default 2 MiB)\n"
		"  --all                    also report what the policy allows\n"
		"  --no-dedup               report every denial, not only the first of each file\n\n"
		"Exit status: 0 stopped by a signal or --duration, 2 usage or system error.\n",
};

int verb_run(int argc, char *argv[])
{
	struct options o;
	struct run r = { .dedup = true };
	_cleanup_close_ int out_fd = -1, sfd = -1, tfd = -1, ufd = -1;
	struct auditd_start s = {};
	const char *caps[2] = {};
	int keep[1], n_keep = 0;
	char err[512], active[256];
	struct timespec real, boot;
	sigset_t mask;
	int k;

	k = parse_options(argc, argv, &o);
	if (k < 0)
		return k;
	r.policy_path = o.policy;
	r.all = o.all;
	r.dedup = !o.no_dedup;
	k = policy_file_load(o.policy, &r.pf);
	if (k < 0 || r.pf.kernel_errno) {
		log_error("%s", r.pf.error);
		k = k < 0 ? k : r.pf.kernel_errno;
		policy_file_done(&r.pf);
		return k;
	}
	if (o.output) {
		out_fd = open(o.output, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
		if (out_fd < 0) {
			k = log_error_errno(-errno, "%s: cannot open: %m", o.output);
			goto out;
		}
	}
	r.out.fd = out_fd >= 0 ? out_fd : STDOUT_FILENO;
	r.out_name = o.output ?: "standard output";
	r.out.text = o.format < 0 ? isatty(r.out.fd) : o.format;
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	r.out.boot_to_real_ns = ((int64_t)real.tv_sec - boot.tv_sec) * 1000000000 + (real.tv_nsec - boot.tv_nsec);
	if ((k = dedup_init(&r.dd, DEDUP_CAPACITY)) < 0) {
		log_error_errno(k, "%m");
		goto out;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0 || (sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		k = log_error_errno(-errno, "cannot handle signals: %m");
		goto out;
	}
	if (o.stats_interval) {
		struct itimerspec it = { .it_value.tv_sec = o.stats_interval, .it_interval.tv_sec = o.stats_interval };

		tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		if (tfd < 0 || timerfd_settime(tfd, 0, &it, NULL) < 0) {
			k = log_error_errno(-errno, "cannot set the stats timer: %m");
			goto out;
		}
	}

	k = backend_open(&r.be, o.backend, o.ring_size, getpid(), err, sizeof(err));
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
	k = caps_restrict(keep, (size_t)n_keep);
	if (k < 0) {
		log_error_errno(k, "cannot drop capabilities: %m");
		goto out;
	}
	for (int i = 0; i < n_keep; i++)
		caps[i] = cap_name(keep[i]);

	s = (struct auditd_start){
		.backend = r.be.name, .backend_reason = r.be.reason, .gaps = r.be.gaps,
		.policy = r.pf.policy, .policy_sha256 = r.pf.sha256, .policy_file = o.policy,
		.dedup = r.dedup, .all = r.all, .dedup_capacity = DEDUP_CAPACITY, .ring_size = (size_t)o.ring_size,
		.stats_interval = o.stats_interval, .capabilities = caps,
	};
	ipe_state(&s, active, sizeof(active));
	if ((k = output_start(&r.out, &s)) < 0) {
		log_error_errno(k, "cannot write: %m");
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
		k = r.error;
	}
	if (k == 0)
		k = write_stats(&r, true);
	if (k < 0)
		log_error_errno(k, "stopped: %m");
out:
	ring_buffer__free(r.rb);
	backend_close(&r.be);
	dedup_done(&r.dd);
	policy_file_done(&r.pf);
	return k;
}
