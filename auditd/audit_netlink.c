// SPDX-License-Identifier: GPL-2.0-only
/* A read-only reader of the audit netlink multicast group. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/macro.h"
#include "auditd/audit_netlink.h"

#define RCVBUF (4 << 20) /* bytes asked for: a burst of records while user space is busy */

int audit_netlink_open(void)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK,
				 .nl_groups = 1u << (AUDIT_NLGRP_READLOG - 1) };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_AUDIT),
	    size = RCVBUF;

	if (fd < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int k = -errno;

		close(fd);
		return k;
	}
	return fd;
}

int audit_netlink_read(int fd, char *buf, size_t size, uint16_t *ret_type, size_t *ret_len)
{
	union {
		struct nlmsghdr h;
		char b[16384]; /* a record longer than this is cut (the kernel's are below 9 KiB) */
	} m;

	for (;;) {
		struct sockaddr_nl from = {};
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, &m, sizeof(m), 0, (struct sockaddr *)&from, &fl);
		size_t len;

		if (n < 0)
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
		if (from.nl_pid != 0 || (size_t)n < NLMSG_HDRLEN)
			continue;
		/* kauditd sets nlmsg_len to the record's text length plus the header */
		len = MIN((size_t)n, (size_t)m.h.nlmsg_len);
		len = len > NLMSG_HDRLEN ? len - NLMSG_HDRLEN : 0;
		len = MIN(len, size ? size - 1 : 0);
		memcpy(buf, m.b + NLMSG_HDRLEN, len);
		if (size)
			buf[len] = 0;
		*ret_type = m.h.nlmsg_type;
		*ret_len = len;
		return 0;
	}
}
