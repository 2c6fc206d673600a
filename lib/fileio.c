// SPDX-License-Identifier: GPL-2.0-only
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>

#include "lib/fileio.h"
#include "lib/macro.h"

static void buf_free(char *buf, size_t size, bool secret)
{
	if (secret)
		erase_and_free(buf, size);
	else
		free(buf);
}

/* realloc(), except that for a secret the old block is wiped before it is freed. */
static char *buf_grow(char *buf, size_t size, size_t new_size, bool secret)
{
	char *p;

	if (!secret)
		return realloc(buf, new_size);
	p = malloc(new_size);
	if (p && buf) {
		memcpy(p, buf, size);
		buf_free(buf, size, true);
	}
	return p;
}

int read_full_fd(int fd, size_t max, unsigned flags, char **ret_buf, size_t *ret_len)
{
	bool secret = flags & READ_FULL_SECRET;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int r;

	for (;;) {
		ssize_t n;

		if (cap - len < 1 + 4096) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *nbuf;

			if (ncap > max + 4096 + 1)
				ncap = max + 4096 + 1;
			if (ncap <= cap) {
				r = -EFBIG;
				goto fail;
			}
			nbuf = buf_grow(buf, cap, ncap, secret);
			if (!nbuf) {
				r = -ENOMEM;
				goto fail;
			}
			buf = nbuf;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			r = -EFBIG;
			goto fail;
		}
	}
	if (!buf) {
		buf = malloc(1);
		if (!buf)
			return -ENOMEM;
	}
	buf[len] = 0;
	*ret_buf = buf;
	*ret_len = len;
	return 0;
fail:
	buf_free(buf, cap, secret);
	return r;
}

int read_full_file(const char *path, size_t max, char **ret_buf, size_t *ret_len)
{
	_cleanup_close_ int fd = -1;

	if (streq(path, "-"))
		return read_full_fd(STDIN_FILENO, max, 0, ret_buf, ret_len);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	return read_full_fd(fd, max, 0, ret_buf, ret_len);
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* pread() into @rbuf or, without it, pwrite() from @wbuf, all @len bytes: retry EINTR and short transfers. */
static int positional_io_all(int fd, void *rbuf, const void *wbuf, size_t len, off_t off)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = rbuf ? pread(fd, (char *)rbuf + done, len - done, off + (off_t)done)
				 : pwrite(fd, (const char *)wbuf + done, len - done, off + (off_t)done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO; /* end of file; pwrite() never gets here */
		done += (size_t)n;
	}
	return 0;
}

int pread_all(int fd, void *buf, size_t len, off_t off)
{
	return positional_io_all(fd, buf, NULL, len, off);
}

int pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	return positional_io_all(fd, NULL, buf, len, off);
}

/*
 * Temporary files of the atomic files not yet committed or discarded, for
 * the signal handler. A slot is set after the file exists and cleared before
 * its name is freed; the handler only reads the slots and calls unlink(),
 * which is async-signal-safe.
 */
static char *volatile pending[8];

static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void pending_add(char *tmp_path)
{
	for (size_t i = 0; i < ELEMENTSOF(pending); i++)
		if (!pending[i]) {
			pending[i] = tmp_path;
			return;
		}
	/* All slots taken: this file is still removed on every path but a signal. */
}

static void pending_remove(const char *tmp_path)
{
	for (size_t i = 0; i < ELEMENTSOF(pending); i++)
		if (pending[i] == tmp_path)
			pending[i] = NULL;
}

static void unlink_pending_and_die(int sig)
{
	for (size_t i = 0; i < ELEMENTSOF(pending); i++) {
		char *p = pending[i];

		if (p)
			unlink(p);
	}
	/* SA_RESETHAND restored the default action; it runs when the handler returns. */
	raise(sig);
}

int atomic_file_cleanup_on_signal(void)
{
	struct sigaction sa = { .sa_handler = unlink_pending_and_die, .sa_flags = SA_RESETHAND };

	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < ELEMENTSOF(cleanup_signals); i++) {
		struct sigaction old;

		/* A signal ignored by whoever started us (nohup, a shell's background job) stays ignored. */
		if (sigaction(cleanup_signals[i], NULL, &old) < 0)
			return -errno;
		if (old.sa_handler == SIG_IGN)
			continue;
		if (sigaction(cleanup_signals[i], &sa, NULL) < 0)
			return -errno;
	}
	return 0;
}

int atomic_file_open(struct atomic_file *f, const char *path, mode_t mode, unsigned flags)
{
	_cleanup_free_ char *copy = NULL, *tmp = NULL, *target = NULL;
	sigset_t block, saved;
	struct stat st;
	const char *dir, *base;
	int fd, r;

	*f = (struct atomic_file)ATOMIC_FILE_INIT;
	if (streq(path, "-")) {
		f->fd = STDOUT_FILENO;
		return 0;
	}
	if (lstat(path, &st) == 0) {
		if (flags & ATOMIC_NO_REPLACE)
			return -EEXIST;
		/* Replace what a symlink points to, not the link, as writing through it would. */
		if (S_ISLNK(st.st_mode))
			target = realpath(path, NULL);
	}
	if (!target)
		target = strdup(path);
	copy = target ? strdup(target) : NULL;
	if (!copy)
		return -ENOMEM;
	base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
	dir = dirname(copy);
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, base) < 0)
		return -ENOMEM;
	/*
	 * mkostemp creates 0600; the final mode is set before data is written.
	 * No signal comes between creating the file and recording it for the handler.
	 */
	sigemptyset(&block);
	for (size_t i = 0; i < ELEMENTSOF(cleanup_signals); i++)
		sigaddset(&block, cleanup_signals[i]);
	pthread_sigmask(SIG_BLOCK, &block, &saved);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd >= 0)
		pending_add(tmp);
	r = fd < 0 ? -errno : 0;
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (r < 0)
		return r;
	if (fchmod(fd, mode & 07777) < 0) {
		r = -errno;
		close(fd);
		unlink(tmp);
		pending_remove(tmp);
		return r;
	}
	f->fd = fd;
	f->flags = flags;
	f->tmp_path = TAKE_PTR(tmp); /* the pointer pending[] holds */
	f->path = TAKE_PTR(target);
	return 0;
}

int atomic_file_commit(struct atomic_file *f)
{
	int r = 0;

	if (!f->tmp_path) /* stdout */
		return 0;
	if (fsync(f->fd) < 0)
		r = -errno;
	if (close(f->fd) < 0 && r == 0)
		r = -errno;
	f->fd = -1;
	if (r == 0 && (f->flags & ATOMIC_NO_REPLACE)) {
		/* link() fails with EEXIST instead of replacing: no race with a writer. */
		if (link(f->tmp_path, f->path) < 0)
			r = -errno;
		unlink(f->tmp_path);
	} else if (r == 0 && rename(f->tmp_path, f->path) < 0)
		r = -errno;
	if (r < 0)
		unlink(f->tmp_path);
	pending_remove(f->tmp_path);
	free(f->tmp_path);
	free(f->path);
	f->tmp_path = f->path = NULL;
	return r;
}

void atomic_file_discard(struct atomic_file *f)
{
	if (!f->tmp_path)
		return;
	if (f->fd >= 0)
		close(f->fd);
	unlink(f->tmp_path);
	pending_remove(f->tmp_path);
	free(f->tmp_path);
	free(f->path);
	*f = (struct atomic_file)ATOMIC_FILE_INIT;
}

int write_file_atomic(const char *path, const void *buf, size_t len, mode_t mode, unsigned flags)
{
	_cleanup_(atomic_file_discard) struct atomic_file f = ATOMIC_FILE_INIT;
	int r;

	r = atomic_file_open(&f, path, mode, flags);
	if (r < 0)
		return r;
	r = write_all(f.fd, buf, len);
	if (r < 0)
		return r;
	return atomic_file_commit(&f);
}
