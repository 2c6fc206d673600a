// SPDX-License-Identifier: GPL-2.0-only
/*
 * READ_FULL_SECRET wipes every block it lets go of: the buffers it outgrows
 * and the one it frees on failure. free() and realloc() are interposed in
 * this binary to look into each block they are handed; the plain mode, which
 * does not wipe, shows that the probe sees what is left behind.
 */
#include <fcntl.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fileio.h"
#include "lib/macro.h"
#include "tests/harness.h"

#define MARK "wipe-me!"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
/* The sanitizers own malloc and free: nothing to interpose. */
TEST(read_full_secret_wipes_what_it_frees)
{
	test_skip("the sanitizers own malloc and free");
}
#else
void __libc_free(void *p);
void *__libc_realloc(void *p, size_t size);

static bool watching;
static unsigned left_behind; /* blocks let go of with the mark still in them */

static void look(void *p)
{
	if (watching && p && memmem(p, malloc_usable_size(p), MARK, strlen(MARK)))
		left_behind++;
}

void free(void *p)
{
	look(p);
	__libc_free(p);
}

void *realloc(void *p, size_t size)
{
	look(p); /* realloc() may move the bytes and free the old block unwiped */
	return __libc_realloc(p, size);
}

/* left_behind after read_full_fd() of @path with @flags and @max, then freeing the result. */
static unsigned read_and_free(const char *path, unsigned flags, size_t max, int want)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf = NULL;
	size_t n = 0;
	int r;

	ASSERT_TRUE(fd >= 0);
	left_behind = 0;
	watching = true;
	r = read_full_fd(fd, max, flags, &buf, &n);
	if (r == 0)
		erase_and_free(buf, n + 1);
	watching = false;
	ASSERT_EQ(r, want);
	return left_behind;
}

TEST(read_full_secret_wipes_what_it_frees)
{
	const size_t size = 300000; /* past the first 64 KiB buffer: grown twice */
	_cleanup_free_ char *data = malloc(size);
	char path[256];

	ASSERT_TRUE(data);
	for (size_t i = 0; i < size; i++)
		data[i] = MARK[i % strlen(MARK)];
	snprintf(path, sizeof(path), "%s/secret", test_tmp_dir());
	ASSERT_OK(write_file_atomic(path, data, size, 0600, 0));

	/* A secret leaves nothing: grown, freed at the end, or freed on -EFBIG. (First: the
	 * plain mode's unwiped blocks would come back from malloc with the mark in their slack.) */
	ASSERT_EQ(read_and_free(path, READ_FULL_SECRET, size, 0), 0);
	ASSERT_EQ(read_and_free(path, READ_FULL_SECRET, size - 1, -EFBIG), 0);
	/* The probe works: the plain mode leaves the outgrown buffers as they were. */
	ASSERT_TRUE(read_and_free(path, 0, size, 0) > 0);
}
#endif
