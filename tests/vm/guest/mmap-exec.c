// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmap-exec FILE: map FILE with PROT_EXEC, then try mprotect(PROT_EXEC) on a
 * writable mapping of it. Prints "mmap=RESULT mprotect=RESULT" where RESULT
 * is 0 or the errno name; exit 0 when both were allowed, 1 otherwise.
 * mmap-exec --anonymous: the same with anonymous memory, as a JIT makes it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *result(int r)
{
	return r == 0 ? "0" : strerrorname_np(r);
}

int main(int argc, char **argv)
{
	int fd = -1, flags = MAP_PRIVATE, r_mmap = 0, r_mprotect = 0;
	void *p;

	if (argc != 2) {
		fprintf(stderr, "usage: mmap-exec FILE|--anonymous\n");
		return 2;
	}
	if (strcmp(argv[1], "--anonymous") == 0)
		flags |= MAP_ANONYMOUS;
	else
		fd = open(argv[1], O_RDONLY);
	if (fd < 0 && !(flags & MAP_ANONYMOUS)) {
		fprintf(stderr, "mmap-exec: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, flags, fd, 0);
	if (p == MAP_FAILED)
		r_mmap = errno;
	else
		munmap(p, 4096);

	p = mmap(NULL, 4096, PROT_READ | (flags & MAP_ANONYMOUS ? PROT_WRITE : 0), flags, fd, 0);
	if (p == MAP_FAILED) {
		r_mprotect = errno;
	} else {
		if (mprotect(p, 4096, PROT_READ | PROT_EXEC) < 0)
			r_mprotect = errno;
		munmap(p, 4096);
	}
	printf("mmap=%s mprotect=%s\n", result(r_mmap), result(r_mprotect));
	return r_mmap || r_mprotect;
}
