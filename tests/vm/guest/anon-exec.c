// SPDX-License-Identifier: GPL-2.0-only
/*
 * anon-exec: executable memory without a file, as a JIT makes it: an
 * anonymous mmap(PROT_READ|PROT_EXEC), then an anonymous writable mapping
 * mprotect()ed to PROT_READ|PROT_EXEC. Prints "mmap=RESULT mprotect=RESULT"
 * (0 or the errno name); exit 0 when both were allowed, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static const char *result(int r)
{
	return r == 0 ? "0" : strerrorname_np(r);
}

int main(void)
{
	int r_mmap = 0, r_mprotect = 0;
	void *p;

	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		r_mmap = errno;
	else
		munmap(p, 4096);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
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
