/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "auditd/switch_state.h"

/**
 * watchdog_start() - start the process that reverts the pending switch at
 * @deadline (CLOCK_BOOTTIME ns) unless `confirm` marked it confirmed first.
 * It is detached (its own session, reparented to init, standard streams on
 * /dev/null, SIGHUP and SIGINT ignored), so it outlives the shell that ran
 * `enforce`; SIGTERM only makes it look at the state early. The caller holds
 * the switch lock and writes @ret_pid into the state before releasing it.
 * Return: 0 or -errno.
 */
int watchdog_start(int64_t deadline, pid_t *ret_pid);

/**
 * switch_revert() - undo @s as far as IPE allows: enforce=0 first (what
 * unlocks the machine), then re-activate the policy that was active before,
 * when there was one under another name.
 * @ret_message: malloc'd, what was done and what could not be.
 * Return: 0 when enforce is 0, else the kernel's -errno for enforce.
 */
int switch_revert(const struct switch_state *s, char **ret_message);

/* Tell @tty (the terminal of `enforce`, may be NULL) and the kernel log @message. */
void switch_announce(const char *tty, const char *message);
