/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/* What a supervised daemon owes its supervisor: readiness, and as few privileges as it can keep. */

#include <stddef.h>

/* s6 notification-fd: a newline on @fd, then close it. Return: 0 or -errno. */
int notify_ready_fd(int fd);

/**
 * notify_systemd() - send @state ("READY=1", "RELOADING=1", "STOPPING=1")
 * to $NOTIFY_SOCKET as sd_notify(3) does (one datagram; a leading '@' is
 * an abstract socket), without libsystemd.
 * Return: 0 (also when $NOTIFY_SOCKET is unset), or -errno.
 */
int notify_systemd(const char *state);

/**
 * caps_restrict() - keep only the capabilities @keep (CAP_* numbers, @n of
 * them) in the effective and permitted sets, clear the inheritable and
 * ambient sets and the bounding set of everything else, and set
 * PR_SET_NO_NEW_PRIVS, so nothing this process runs can gain more.
 * Return: 0 or -errno.
 */
int caps_restrict(const int *keep, size_t n);

/* "cap_sys_admin" etc. for the capabilities caps_restrict() may keep; "?" for others. */
const char *cap_name(int cap);
