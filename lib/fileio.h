/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* Largest input any tool reads into memory (policies, certificates, signatures). */
#define READ_FULL_MAX (64u << 20)

/**
 * read_full_file() - read a whole file ("-" is stdin) into a NUL-terminated buffer.
 * @path: file name, or "-"
 * @max: refuse files larger than this many bytes (-EFBIG)
 * @ret_buf: malloc'd contents, with a NUL byte after the last one
 * @ret_len: number of bytes read (not counting the added NUL)
 * Return: 0 or -errno.
 */
int read_full_file(const char *path, size_t max, char **ret_buf, size_t *ret_len);

/**
 * struct atomic_file - an output that appears under its name only when complete.
 * Written to a temporary file beside @path and renamed over it on commit, so a
 * reader never sees a half-written output and a failure leaves the old file.
 * "-" writes to stdout directly.
 */
struct atomic_file {
	int fd;
	unsigned flags;
	char *path;
	char *tmp_path;
};

#define ATOMIC_FILE_INIT { .fd = -1 }

/* Flags for atomic_file_open(). */
#define ATOMIC_NO_REPLACE 1u /* fail with -EEXIST if the target exists */

int atomic_file_open(struct atomic_file *f, const char *path, mode_t mode, unsigned flags);
int atomic_file_commit(struct atomic_file *f);
void atomic_file_discard(struct atomic_file *f);

/**
 * write_file_atomic() - write @len bytes to @path atomically with @mode.
 * Return: 0 or -errno.
 */
int write_file_atomic(const char *path, const void *buf, size_t len, mode_t mode, unsigned flags);

/* write() all of @buf, retrying on short writes and EINTR. Return: 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);

/* pread() exactly @len bytes at @off; -EIO on a short file. Return: 0 or -errno. */
int pread_all(int fd, void *buf, size_t len, off_t off);
