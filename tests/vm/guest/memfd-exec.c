// SPDX-License-Identifier: GPL-2.0-only
/*
 * memfd-exec FILE ARGS...: copy FILE into a memfd named "auditd-memfd" and
 * fexecve() it with ARGS as argv (busybox picks its applet from argv[0]).
 * Exit: the program's, or 2 with the error on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	struct stat st;
	int in, mfd;

	if (argc < 3) {
		fprintf(stderr, "usage: memfd-exec FILE ARGV0 [ARGS...]\n");
		return 2;
	}
	in = open(argv[1], O_RDONLY);
	mfd = memfd_create("auditd-memfd", MFD_CLOEXEC);
	if (in < 0 || mfd < 0 || fstat(in, &st) < 0 || sendfile(mfd, in, NULL, st.st_size) != st.st_size) {
		fprintf(stderr, "memfd-exec: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	fexecve(mfd, argv + 2, environ);
	fprintf(stderr, "memfd-exec: fexecve: %s\n", strerror(errno));
	return 2;
}
