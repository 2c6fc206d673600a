// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lsm backend behind struct backend: auditd/lsm.c loads
 * auditd/bpf/lsm.bpf.c onto IPE's own hooks; here it is proven (auto) and
 * described (coverage gaps) for the start record.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "auditd/backend.h"
#include "auditd/lsm.h"
#include "lib/macro.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual" /* bpftool's generated code */
#include "auditd/bpf/lsm.skel.h"
#pragma GCC diagnostic pop

/* The same hooks as IPE: nothing IPE evaluates is missed... */
static const char *const lsm_gaps[] = { NULL };
/* ...except execveat(AT_EXECVE_CHECK) where IPE (< 6.19) does not evaluate it either. */
static const char *const lsm_gaps_no_creds[] = { "bprm-creds-for-exec", NULL };

int backend_lsm_open(struct backend *b, size_t ring_size, uint32_t max_volumes, pid_t self,
		     bool probe, char *err, size_t err_size)
{
	_cleanup_free_ struct lsm_backend *l = NULL;
	char why[LSM_WHY_MAX];
	int r;

	if (probe) {
		r = lsm_backend_probe(why, sizeof(why));
		if (r < 0)
			return r;
		if (r == 0) {
			snprintf(err, err_size, "%s", why);
			return -EOPNOTSUPP;
		}
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	r = lsm_backend_open(l, self, (uint32_t)ring_size, max_volumes);
	if (r < 0) {
		snprintf(err, err_size, "cannot load the lsm programs: %s", strerror(-r));
		lsm_backend_close(l);
		return r == -ENOMEM ? r : -EOPNOTSUPP;
	}
	b->kind = BACKEND_LSM;
	b->name = "lsm";
	b->gaps = l->creds_for_exec ? lsm_gaps : lsm_gaps_no_creds;
	b->events_fd = l->events_fd;
	b->counters_fd = l->counters_fd;
	b->trusted_fd = l->trusted_volumes_fd;
	b->lsm = TAKE_PTR(l);
	return 0;
}

void backend_lsm_detach(struct backend *b)
{
	if (b->lsm && b->lsm->skel)
		lsm_bpf__detach(b->lsm->skel);
}

void backend_lsm_close(struct backend *b)
{
	if (b->lsm) {
		lsm_backend_close(b->lsm);
		free(b->lsm);
	}
	b->lsm = NULL;
}
