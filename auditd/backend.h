/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * The BPF side of `ipe-auditd run`: which programs watch the kernel (the
 * backend), why, what they cannot see (coverage gaps, named in the start
 * record), and the maps user space reads and fills (auditd/bpf/event.h).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum backend_kind {
	BACKEND_AUTO,
	BACKEND_LSM,        /* BPF LSM programs on IPE's own hooks */
	BACKEND_TRACEPOINT, /* raw tracepoints, for kernels without the bpf LSM */
};

struct backend {
	enum backend_kind kind;  /* what runs: BACKEND_LSM or BACKEND_TRACEPOINT */
	const char *name;        /* "lsm", "tracepoint" */
	char reason[512];        /* why this backend, one sentence */
	const char *const *gaps; /* NULL-terminated coverage gap names (docs/events.md) */
	struct tracepoint_bpf *tp;
	struct lsm_backend *lsm; /* auditd/lsm.h */
	int events_fd, counters_fd, trusted_fd, verdicts_fd, generation_fd;
	size_t ring_size;
};

/**
 * backend_open() - choose, load and attach a backend.
 * @want: BACKEND_AUTO reads /sys/kernel/security/lsm and takes the lsm
 *	backend only when an LSM program is proven to run, else tracepoint
 * @ring_size: ring buffer bytes (a power of two, a multiple of the page size)
 * @max_volumes: entries of trusted_volumes (1 to AUDITD_TRUST_LIMIT)
 * @self: this process, whose own evaluations are not reported
 * @err: receives one line saying what failed
 * Return: 0, or -errno (-EOPNOTSUPP: the backend cannot run on this kernel).
 */
int backend_open(struct backend *b, enum backend_kind want, size_t ring_size, uint32_t max_volumes,
		 pid_t self, char *err, size_t err_size);

/* Stop every program (the maps stay readable), so that counts no longer move. */
void backend_detach(struct backend *b);
void backend_close(struct backend *b);

/* The per-CPU counters summed, AUDITD_COUNTERS_MAX of them, into @ret. Return: 0 or -errno. */
struct auditd_counters;
int backend_read_counters(const struct backend *b, struct auditd_counters *ret);

/*
 * The lsm backend (auditd/backend_lsm.c over auditd/lsm.c): load and attach
 * its programs into @b; with @probe, first prove that an LSM program runs
 * here (-EOPNOTSUPP and @err saying why not).
 */
int backend_lsm_open(struct backend *b, size_t ring_size, uint32_t max_volumes, pid_t self,
		     bool probe, char *err, size_t err_size);
void backend_lsm_detach(struct backend *b);
void backend_lsm_close(struct backend *b);
