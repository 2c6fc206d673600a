/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * The lsm backend: auditd/bpf/lsm.bpf.c attached to IPE's own LSM hooks,
 * and the probe that says whether BPF LSM programs run on this kernel.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct lsm_bpf; /* bpftool's skeleton of auditd/bpf/lsm.bpf.c */

#define LSM_WHY_MAX 256

/**
 * lsm_backend_probe() - can the lsm backend see anything here? Reads
 * /sys/kernel/security/lsm (bpf must be listed: an LSM program attaches and
 * never runs otherwise), then loads and attaches auditd/bpf/probe.bpf.c,
 * maps and unmaps one anonymous page and checks that the program counted it.
 * @why: filled with one sentence either way, e.g. "bpf is an active LSM and
 *       a probe program ran" or "bpf is not among the active LSMs (…)".
 * Return: 1 usable, 0 not usable, or a negative errno when even the
 * question could not be asked (-ENOMEM).
 */
int lsm_backend_probe(char *why, size_t why_size);

struct lsm_backend {
	struct lsm_bpf *skel;
	int events_fd;          /* ring buffer "events" */
	int counters_fd;        /* per-CPU array "counters" */
	int trusted_volumes_fd; /* hash "trusted_volumes" */
	bool creds_for_exec;    /* bprm_creds_for_exec attached (IPE >= 6.19 evaluates there) */
	char creds_for_exec_why[LSM_WHY_MAX]; /* why it was or was not */
};

/**
 * lsm_backend_open() - open, load and attach every program of lsm.bpf.c.
 * @self_tgid: the daemon's process id; its own evaluations are not sent
 * @ringbuf_bytes: size of "events" (a power of two, a multiple of the page
 *                 size), 0 for AUDITD_RINGBUF_DEFAULT
 * @max_volumes: entries of "trusted_volumes", 0 for AUDITD_TRUST_MAX
 * bprm_creds_for_exec is loaded only where IPE evaluates there: where the
 * kernel's BTF has IPE_HOOK_BPRM_CREDS_FOR_EXEC in enum ipe_hook_type, or,
 * on a kernel without IPE, where struct linux_binprm has is_check.
 * Return: 0, or a negative errno of libbpf's (-EPERM: no BPF LSM here).
 * @b is zeroed first; lsm_backend_close() releases it in either case.
 */
int lsm_backend_open(struct lsm_backend *b, pid_t self_tgid, uint32_t ringbuf_bytes,
		     uint32_t max_volumes);

void lsm_backend_close(struct lsm_backend *b);
