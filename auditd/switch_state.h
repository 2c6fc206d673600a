/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * The pending switch to enforce, shared by `enforce`, its watchdog, `confirm`
 * and `status` through a state file under /run/ipe-auditd (0700; a tmpfs, so
 * it ends with the boot, as IPE's loaded policies and enforce setting do) and
 * a lock file beside it (flock(2)) that every reader and writer holds. The
 * deadline is on CLOCK_BOOTTIME, which counts suspend too; the state records
 * the boot ID, so a state file of an earlier boot is never taken for a
 * pending switch. Never prints.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "auditd/timestamp.h"

#define SWITCH_RUNTIME_DIR "/run/ipe-auditd"

enum switch_phase { SWITCH_PENDING, SWITCH_CONFIRMED, SWITCH_REVERTED, SWITCH_FAILED };

struct switch_state {
	enum switch_phase phase;
	char *name, *version, *sha256;  /* the policy switched to */
	char *prev_name, *prev_version; /* the policy active before, or NULL */
	int prev_enforce;
	bool updated;         /* loaded through update (the old version is gone) */
	int64_t deadline;     /* CLOCK_BOOTTIME ns */
	nsec_t deadline_wall; /* the same moment, for people */
	pid_t watchdog;
	char *tty;     /* the terminal enforce ran on, or NULL */
	char *message; /* what happened, for status */
};

const char *switch_phase_name(enum switch_phase p);

/* Take the lock (blocking), creating the directory. Return: the fd, or -errno. */
int switch_lock(void);

/* Read the state of this boot. Return: 0, -ENOENT (none, or of another boot), -EBADMSG, -errno. */
int switch_read(struct switch_state *ret);

/* Replace the state file atomically (0600). Return: 0 or -errno. */
int switch_write(const struct switch_state *s);

void switch_state_done(struct switch_state *s);

/* CLOCK_BOOTTIME now, in ns. */
int64_t boottime_now(void);
