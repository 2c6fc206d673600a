/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/* What the libFuzzer targets share: invariant checks and inputs as files. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define REQUIRE(e)                                                                                \
	do {                                                                                      \
		if (!(e)) {                                                                       \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #e); \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

/*
 * One memfd per process that holds the current input, for APIs that take a
 * path: /proc/self/fd/N opens it afresh, at offset 0, like a regular file.
 */
static inline int fuzz_memfd(const char *name, char path[static 32])
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(path, 32, "/proc/self/fd/%d", fd);
	return fd;
}

/* Make @fd hold exactly @data. */
static inline void fuzz_memfd_set(int fd, const void *data, size_t size)
{
	REQUIRE(ftruncate(fd, 0) == 0);
	REQUIRE(size == 0 || pwrite(fd, data, size, 0) == (ssize_t)size);
}

/* Write one seed input @name into the corpus directory @dir. */
static inline void fuzz_write_seed(const char *dir, const char *name, const void *p, size_t len)
{
	char file[4096];
	FILE *f;

	snprintf(file, sizeof(file), "%s/%s", dir, name);
	f = fopen(file, "we");
	REQUIRE(f);
	REQUIRE(fwrite(p, 1, len, f) == len);
	REQUIRE(fclose(f) == 0);
}
