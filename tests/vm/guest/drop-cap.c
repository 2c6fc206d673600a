// SPDX-License-Identifier: GPL-2.0-only
/*
 * drop-cap PROG ARGS...: run PROG as root without CAP_MAC_ADMIN (dropped from
 * the bounding set, so exec does not give it back), to see what IPE's
 * securityfs says to a caller without it.
 */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	unsigned i = CAP_TO_INDEX(CAP_MAC_ADMIN), m = CAP_TO_MASK(CAP_MAC_ADMIN);

	if (argc < 2) {
		fprintf(stderr, "usage: drop-cap PROG ARGS...\n");
		return 2;
	}
	if (prctl(PR_CAPBSET_DROP, CAP_MAC_ADMIN, 0, 0, 0) < 0 || syscall(SYS_capget, &h, d) < 0) {
		fprintf(stderr, "drop-cap: %s\n", strerror(errno));
		return 2;
	}
	d[i].effective &= ~m;
	d[i].permitted &= ~m;
	d[i].inheritable &= ~m;
	if (syscall(SYS_capset, &h, d) < 0) {
		fprintf(stderr, "drop-cap: capset: %s\n", strerror(errno));
		return 2;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "drop-cap: %s: %s\n", argv[1], strerror(errno));
	return 2;
}
