/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* Largest input any tool reads into memory (policies, certificates, signatures). */
#define READ_FULL_MAX (64u << 20)

/* Flags for read_full_fd(). */
#define READ_FULL_SECRET 1u /* key material: every buffer freed on the way is wiped first */

/**
 * read_full_fd() - read @fd to its end into a NUL-terminated buffer.
 * @max: refuse more than this many bytes (-EFBIG)
 * @flags: READ_FULL_SECRET, and the caller frees the result with
 *         erase_and_free(buf, len + 1)
 * @ret_buf: malloc'd contents, with a NUL byte after the last one
 * @ret_len: number of bytes read (not counting the added NUL)
 * Return: 0 or -errno.
 */
int read_full_fd(int fd, size_t max, unsigned flags, char **ret_buf, size_t *ret_len);

/**
 * read_full_file() - read_full_fd() of a file ("-" is stdin).
 * @path: file name, or "-"
 * Return: 0 or -errno.
 */
int read_full_file(const char *path, size_t max, char **ret_buf, size_t *ret_len);

/**
 * read_regular_file() - read_full_fd() of @path, which must be a regular
 * file. What @path names is looked at with O_PATH before it is opened, so a
 * FIFO, a device or a socket put in a file's place is refused at once, never
 * opened: a FIFO would block the reader (a daemon re-reading its policy, say)
 * until somebody writes to it, and opening a device runs its driver.
 * Return: 0, -EINVAL (not a regular file), or -errno.
 */
int read_regular_file(const char *path, size_t max, char **ret_buf, size_t *ret_len);

/**
 * struct atomic_file - an output that appears under its name only when complete.
 * Written to an unnamed file (O_TMPFILE) in the output's directory, or where
 * the file system has none to a temporary name of at most NAME_MAX bytes,
 * and given its name on commit (rename, or link for ATOMIC_NO_REPLACE), so a
 * reader never sees a half-written output, a failure leaves the old file, and
 * every name the file system accepts can be written. "-" writes to stdout.
 */
struct atomic_file {
	int fd;
	int dir_fd; /* O_PATH descriptor of the output's directory */
	unsigned flags;
	char *name;        /* the final name in dir_fd */
	char *tmp_name;    /* a temporary name in dir_fd, while the file has one */
	char tmp_path[32]; /* "/proc/self/fd/N": the contents, for code that takes a path */
};

#define ATOMIC_FILE_INIT               \
	{                              \
		.fd = -1, .dir_fd = -1 \
	}

/* Flags for atomic_file_open(). */
#define ATOMIC_NO_REPLACE \
	1u /* fail with -EEXIST if the target exists (a link counts, never followed) */

/**
 * atomic_file_open() - start writing the output @path.
 * The path is walked by chase_parent() (lib/chase.h): a symbolic link is
 * followed only where the kernel's fs.protected_symlinks rule would follow
 * it, whatever the sysctl says. The file is created with @mode less the
 * umask, as the kernel creates any file.
 * Return: 0; -ENOLINK (a link the rule refuses), -EEXIST (ATOMIC_NO_REPLACE
 *         and the name exists), -EPERM (the name is a device node, a FIFO or
 *         a socket: never replaced by a file), -EISDIR, -errno.
 */
int atomic_file_open(struct atomic_file *f, const char *path, mode_t mode, unsigned flags);

/* atomic_file_open() of @name in the directory @dir_fd (which is duplicated, not taken). */
int atomic_file_openat(struct atomic_file *f, int dir_fd, const char *name, mode_t mode,
		       unsigned flags);

int atomic_file_commit(struct atomic_file *f);
void atomic_file_discard(struct atomic_file *f);

/**
 * stdio_reserve() - put a placeholder (an O_PATH descriptor of /dev/null,
 * which reads and writes refuse with EBADF, as a closed descriptor does) in
 * each of descriptors 0, 1 and 2 that is closed. Otherwise the next file
 * opened takes its number, and what is meant for standard output or the
 * diagnostics lands in it (an auditor started with both closed wrote its
 * warnings into its own log). For main(), first.
 * Return: 0 or -errno.
 */
int stdio_reserve(void);

/**
 * atomic_file_cleanup_on_signal() - make SIGINT, SIGTERM and SIGHUP remove the
 * temporary files of atomic files still open, then end the process as the
 * signal does by default. For main(), before any atomic file is opened; the
 * handler must run on the thread that opens them, so other threads block
 * these signals.
 * Return: 0 or -errno.
 */
int atomic_file_cleanup_on_signal(void);

/**
 * write_file_atomic() - write @len bytes to @path atomically with @mode less
 * the umask, as atomic_file_open() opens it.
 * Return: 0 or -errno.
 */
int write_file_atomic(const char *path, const void *buf, size_t len, mode_t mode, unsigned flags);

/* write() all of @buf, retrying on short writes and EINTR. Return: 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);

/**
 * append_file_open() - open @path to append records to (a log), walked by
 * chase_parent() as outputs are (a link is followed only where the kernel's
 * fs.protected_symlinks rule would), created with @mode less the umask.
 * Never blocks: a FIFO, a device or a socket is refused.
 * Return: a descriptor (O_WRONLY | O_APPEND | O_CLOEXEC), -ENOLINK, -EPERM
 *         (not a regular file), -EISDIR, -errno.
 */
int append_file_open(const char *path, mode_t mode);

/**
 * append_record() - write @len bytes at the end of @fd (opened O_APPEND) as
 * one record: all of them, or none. When the file system fills part way,
 * the part written is cut off again (regular files), so a reader, or the
 * next run appending to the same file, never meets half a record.
 * Return: 0 or -errno of write() (-ENOSPC, -EPIPE, …).
 */
int append_record(int fd, const void *buf, size_t len);

/*
 * pread() exactly @len bytes at @off. Return: 0, -ENODATA when the file ends
 * first (a short file), -EIO when the device failed to read, or another -errno.
 */
int pread_all(int fd, void *buf, size_t len, off_t off);

/* pwrite() all of @buf at @off, retrying short writes and EINTR. Return: 0 or -errno. */
int pwrite_all(int fd, const void *buf, size_t len, off_t off);
