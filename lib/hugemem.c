// SPDX-License-Identifier: GPL-2.0-only
/*
 * Large buffers on transparent huge pages: mmap() with room to align the
 * buffer to a huge page, MADV_HUGEPAGE on it, and the mapping's start and
 * length kept just below the buffer for hugemem_free().
 */
#include <stdint.h>
#include <sys/mman.h>

#include "lib/hugemem.h"

#define HUGE_PAGE ((size_t)2 << 20) /* x86-64 and arm64 with 4 KiB pages */

struct mapping {
	void *start;
	size_t length;
};

void *hugemem_alloc(size_t size)
{
	size_t length;
	unsigned char *start, *p;
	struct mapping *m;

	if (size > SIZE_MAX - 2 * HUGE_PAGE) {
		errno = ENOMEM;
		return NULL;
	}
	size = (size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	length = size + HUGE_PAGE; /* the slack to align in holds the header */
	start = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (start == MAP_FAILED)
		return NULL;
	/* The first huge page boundary past the header, reached from start (no int-to-pointer cast). */
	p = start + sizeof(*m);
	p += -(uintptr_t)p & (HUGE_PAGE - 1);
	m = (struct mapping *)p - 1;
	*m = (struct mapping){ start, length };
	/* Advice only: without THP (or with "never") the buffer still works. */
	(void)madvise(p, size, MADV_HUGEPAGE);
	return p;
}

void hugemem_free(void *p)
{
	const struct mapping *m;

	if (!p)
		return;
	m = (const struct mapping *)p - 1;
	(void)munmap(m->start, m->length);
}
