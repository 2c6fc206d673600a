// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's view through auditd/volumes.c, for tests/vm/auditd_test.sh:
 *   volumes-scan             one line per dm-verity volume: "NAME MAJ:MIN ALG:HEX signed=0|1"
 *   volumes-scan --watch SEC "add|change|remove MAJ:MIN" per dm uevent for SEC seconds
 * Exit 0, or 2 with the errno name on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auditd/volumes.h"

static int scan(void)
{
	struct verity_volume *v = NULL;
	size_t n = 0, i;
	int r = volumes_scan(&v, &n);

	if (r < 0) {
		fprintf(stderr, "volumes-scan: %s\n", strerrorname_np(-r));
		return 2;
	}
	for (i = 0; i < n; i++)
		printf("%s %u:%u %s signed=%d\n", v[i].name, v[i].major, v[i].minor, v[i].roothash,
		       v[i].roothash_signed);
	free(v);
	return 0;
}

static int watch(int seconds)
{
	static const char *const names[] = { "add", "change", "remove" };
	struct volume_uevent u;
	time_t end = time(NULL) + seconds;
	int fd = volume_watch_open(), r;

	if (fd < 0) {
		fprintf(stderr, "volumes-scan: %s\n", strerrorname_np(-fd));
		return 2;
	}
	printf("watching\n");
	fflush(stdout);
	while (time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		poll(&p, 1, 200);
		while ((r = volume_watch_read(fd, &u)) >= 0)
			if (r > 0) {
				printf("%s %u:%u\n", names[u.action], u.major, u.minor);
				fflush(stdout);
			}
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--watch") == 0)
		return watch(atoi(argv[2]));
	return scan();
}
