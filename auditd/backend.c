// SPDX-License-Identifier: GPL-2.0-only
/* Choosing, loading and attaching the BPF programs; the tracepoint backend. */
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lib/macro.h"
#include "auditd/backend.h"
#include "auditd/bpf/event.h"
#include "auditd/lsm.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual" /* bpftool's generated code */
#include "auditd/bpf/lsm.skel.h"
#include "auditd/bpf/tracepoint.skel.h"
#pragma GCC diagnostic pop

/* What the tracepoint backend cannot see; docs/events.md explains each. */
static const char *const tracepoint_gaps[] = {
	"failed-execs", /* sched_process_exec fires only for execs that succeed */
	"script-files", /* a #! script: only its interpreter is seen, not the script IPE checks first */
	"elf-loader-mappings", /* the kernel's own mmap of the executable and its ELF interpreter */
	"kernel-internal-reads", /* firmware, IPE policies, X.509 certificates: read by the kernel, no system call */
	"bprm-creds-for-exec", /* execveat(AT_EXECVE_CHECK) (IPE in Linux 6.19+) */
	"compat-syscalls",     /* 32-bit mmap/mprotect */
	"read-implies-exec",   /* PROT_EXEC the kernel adds for the READ_IMPLIES_EXEC personality */
	"mprotect-range",      /* only the first VMA of an mprotect range is judged */
	"failed-calls", /* mmap/mprotect and module/kexec loads are judged at system call entry,
				    also when the call fails before IPE's hook */
	"exec-comm",    /* comm of an exec is the new program's; IPE's record has the caller's */
	NULL,
};

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* libbpf's own messages are for debugging; failures are reported by their errno */
	if (level == LIBBPF_WARN && getenv("IPE_AUDITD_BPF_DEBUG"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static int tracepoint_open(struct backend *b, size_t ring_size, uint32_t max_volumes, pid_t self,
			   char *err, size_t err_size)
{
	struct tracepoint_bpf *s = tracepoint_bpf__open();
	int r;

	if (!s) {
		snprintf(err, err_size, "cannot open the tracepoint programs: %s", strerror(errno));
		return -errno;
	}
	s->rodata->self_tgid = (__u32)self;
	r = bpf_map__set_max_entries(s->maps.events, (__u32)ring_size);
	if (r == 0)
		r = bpf_map__set_max_entries(s->maps.trusted_volumes, max_volumes);
	if (r == 0)
		r = tracepoint_bpf__load(s);
	if (r == 0)
		r = tracepoint_bpf__attach(s);
	if (r < 0) {
		snprintf(err, err_size, "cannot load the tracepoint programs: %s", strerror(-r));
		tracepoint_bpf__destroy(s);
		return r;
	}
	b->tp = s;
	b->kind = BACKEND_TRACEPOINT;
	b->name = "tracepoint";
	b->gaps = tracepoint_gaps;
	b->events_fd = bpf_map__fd(s->maps.events);
	b->counters_fd = bpf_map__fd(s->maps.counters);
	b->trusted_fd = bpf_map__fd(s->maps.trusted_volumes);
	b->verdicts_fd = bpf_map__fd(s->maps.verdicts);
	b->generation_fd = bpf_map__fd(s->maps.generation);
	return 0;
}

/* The maps only user space of `run` uses, from the lsm backend's skeleton. */
static void lsm_maps(struct backend *b)
{
	b->verdicts_fd = bpf_map__fd(b->lsm->skel->maps.verdicts);
	b->generation_fd = bpf_map__fd(b->lsm->skel->maps.generation);
}

int backend_open(struct backend *b, enum backend_kind want, size_t ring_size, uint32_t max_volumes,
		 pid_t self, char *err, size_t err_size)
{
	char why[320] = "";
	int r;

	*b = (struct backend){ .events_fd = -1,
			       .counters_fd = -1,
			       .trusted_fd = -1,
			       .verdicts_fd = -1,
			       .generation_fd = -1,
			       .ring_size = ring_size };
	libbpf_set_print(libbpf_quiet);
	switch (want) {
	case BACKEND_LSM:
		snprintf(b->reason, sizeof(b->reason), "asked for with --backend lsm");
		r = backend_lsm_open(b, ring_size, max_volumes, self, false, err, err_size);
		if (r == 0)
			lsm_maps(b);
		return r;
	case BACKEND_TRACEPOINT:
		snprintf(b->reason, sizeof(b->reason), "asked for with --backend tracepoint");
		return tracepoint_open(b, ring_size, max_volumes, self, err, err_size);
	case BACKEND_AUTO:
		break;
	}
	r = backend_lsm_open(b, ring_size, max_volumes, self, true, why, sizeof(why));
	if (r == 0) {
		snprintf(b->reason, sizeof(b->reason),
			 "bpf is an active LSM and an LSM program was seen to run");
		lsm_maps(b);
		return 0;
	}
	if (r != -EOPNOTSUPP) {
		snprintf(err, err_size, "%s", why[0] ? why : strerror(-r));
		return r;
	}
	r = tracepoint_open(b, ring_size, max_volumes, self, err, err_size);
	if (r == 0)
		snprintf(b->reason, sizeof(b->reason), "%s", why);
	return r;
}

void backend_detach(struct backend *b)
{
	if (b->tp)
		tracepoint_bpf__detach(b->tp);
	if (b->lsm)
		backend_lsm_detach(b);
}

void backend_close(struct backend *b)
{
	if (b->tp)
		tracepoint_bpf__destroy(b->tp);
	if (b->lsm)
		backend_lsm_close(b);
	*b = (struct backend){ .events_fd = -1,
			       .counters_fd = -1,
			       .trusted_fd = -1,
			       .verdicts_fd = -1,
			       .generation_fd = -1 };
}

int backend_read_counters(const struct backend *b, struct auditd_counters *ret)
{
	int ncpu = libbpf_num_possible_cpus();
	_cleanup_free_ struct auditd_counters *per = NULL;

	if (ncpu <= 0)
		return ncpu < 0 ? ncpu : -EINVAL;
	per = calloc((size_t)ncpu, sizeof(*per));
	if (!per)
		return -ENOMEM;
	for (__u32 k = 0; k < AUDITD_COUNTERS_MAX; k++) {
		ret[k] = (struct auditd_counters){};
		if (bpf_map_lookup_elem(b->counters_fd, &k, per) < 0)
			return -errno;
		for (int c = 0; c < ncpu; c++) {
			ret[k].seen += per[c].seen;
			ret[k].trusted += per[c].trusted;
			ret[k].lost += per[c].lost;
			ret[k].cached_allow += per[c].cached_allow;
			ret[k].cached_deny += per[c].cached_deny;
		}
	}
	return 0;
}
