/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stddef.h>

#include "lib/macro.h"

/**
 * hugemem_alloc() - @size zeroed bytes of anonymous memory on transparent huge
 * pages where the kernel allows them, ordinary pages otherwise.
 *
 * For buffers of megabytes that are written once and read a few times: each
 * first touch of a 4 KiB page is a page fault, and a hash tree takes
 * thousands of them.
 * Return: the buffer, or NULL with errno set.
 */
void *hugemem_alloc(size_t size);

/* Release a buffer from hugemem_alloc(); NULL is fine. */
void hugemem_free(void *p);

static inline void hugemem_freep(void *p)
{
	hugemem_free(*(void **)p);
}
#define _cleanup_hugemem_ _cleanup_(hugemem_freep)
