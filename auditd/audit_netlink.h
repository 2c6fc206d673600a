/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * The kernel's audit records as a reader of the audit netlink multicast
 * group sees them (AUDIT_NLGRP_READLOG, kernel/audit.c
 * audit_multicast_bind(): needs CAP_AUDIT_READ). Read-only: the auditd or
 * journald that owns the unicast audit socket keeps it, and every record
 * still reaches it (kauditd_send_multicast_skb() sends a copy).
 */

#include <stddef.h>
#include <stdint.h>

/* A non-blocking, close-on-exec socket in the group. Return: the fd, or -EPERM (no CAP_AUDIT_READ), -errno. */
int audit_netlink_open(void);

/**
 * audit_netlink_read() - one record into @buf (@size bytes; longer ones are
 * cut), its type (AUDIT_*) in *@ret_type and text length in *@ret_len.
 * Messages not from the kernel (port id not 0) are skipped.
 * Return: 0; -EAGAIN when none waits; -ENOBUFS when the socket's buffer
 * overran and records were lost; another negative errno.
 */
int audit_netlink_read(int fd, char *buf, size_t size, uint16_t *ret_type, size_t *ret_len);
