// SPDX-License-Identifier: GPL-2.0-only
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "lib/chase.h"
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

int read_regular_file(const char *path, size_t max, char **ret_buf, size_t *ret_len)
{
	/* O_PATH: what is there is looked at, not opened (opening a device runs its driver) */
	_cleanup_close_ int pfd = open(path, O_PATH | O_CLOEXEC), fd = -1;
	char proc[32];
	struct stat st;

	if (pfd < 0 || fstat(pfd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	/* the same inode, opened with the permission checks of any open() */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && errno == ENOENT) /* no /proc: a FIFO must still not block */
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	return read_full_fd(fd, max, 0, ret_buf, ret_len);
}

int stdio_reserve(void)
{
	for (;;) {
		int fd = open("/dev/null", O_PATH | O_CLOEXEC);

		if (fd < 0)
			return -errno;
		if (fd > STDERR_FILENO)
			return close(fd) < 0 ? -errno : 0;
	}
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

int append_file_open(const char *path, mode_t mode)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_close_ int dir = -1, fd = -1;
	struct stat st;
	int r;

	r = chase_parent(path, 0, &dir, &name);
	if (r < 0)
		return r;
	fd = openat(dir, name,
		    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK,
		    mode);
	if (fd < 0)
		return errno == ENXIO ? -EPERM : -errno; /* ENXIO: a FIFO without a reader */
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EPERM;
	if (fcntl(fd, F_SETFL, O_APPEND) < 0) /* blocking again: a full disk is an error, not EAGAIN */
		return -errno;
	return TAKE_FD(fd);
}

int append_record(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, p + done, len - done);
		struct stat st;
		off_t end;
		int r;

		if (n >= 0) {
			done += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		r = -errno;
		if (done > 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    (end = lseek(fd, 0, SEEK_END)) >= (off_t)done)
			(void)!ftruncate(fd, end - (off_t)done);
		return r;
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
			return -ENODATA; /* end of file, not a read error; pwrite() never gets here */
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
 * Temporary names of atomic files, for the signal handler: a file in the
 * directory @pending_dir[i] named @pending_name[i]. The name is set last and
 * cleared first; the handler only reads the slots and calls unlinkat(),
 * which is async-signal-safe. An O_TMPFILE file has a name only for the
 * moment between linking it beside its final name and renaming it there.
 */
static int volatile pending_dir[8];
static char *volatile pending_name[8];

static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void pending_add(int dir, char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(pending_name); i++)
		if (!pending_name[i]) {
			pending_dir[i] = dir;
			pending_name[i] = name;
			return;
		}
	/* All slots taken: this file is still removed on every path but a signal. */
}

static void pending_remove(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(pending_name); i++)
		if (pending_name[i] == name)
			pending_name[i] = NULL;
}

static void unlink_pending_and_die(int sig)
{
	for (size_t i = 0; i < ELEMENTSOF(pending_name); i++) {
		char *p = pending_name[i];

		if (p)
			unlinkat(pending_dir[i], p, 0);
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

static void block_cleanup_signals(sigset_t *saved)
{
	sigset_t block;

	sigemptyset(&block);
	for (size_t i = 0; i < ELEMENTSOF(cleanup_signals); i++)
		sigaddset(&block, cleanup_signals[i]);
	pthread_sigmask(SIG_BLOCK, &block, saved);
}

/*
 * A temporary name for @name: "." and as much of @name as fits, "." and
 * eight random letters, never above NAME_MAX bytes, so that every final
 * name the file system accepts has one.
 */
static char *temporary_name(const char *name)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[8];
	size_t keep = MIN(strlen(name), (size_t)NAME_MAX - 10);
	char *s = malloc(keep + 11);

	if (!s)
		return NULL;
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) {
		free(s);
		return NULL;
	}
	s[0] = '.';
	memcpy(s + 1, name, keep);
	s[keep + 1] = '.';
	for (size_t i = 0; i < sizeof(rnd); i++)
		s[keep + 2 + i] = letters[rnd[i] % (sizeof(letters) - 1)];
	s[keep + 10] = 0;
	return s;
}

/* Create a new file with a temporary name in @dir, recorded for the signal handler. */
static int create_named_temporary(int dir, const char *name, mode_t mode, char **ret_name)
{
	for (unsigned tries = 0; tries < 100; tries++) {
		_cleanup_free_ char *tmp = temporary_name(name);
		sigset_t saved;
		int fd, r;

		if (!tmp)
			return -ENOMEM;
		/* No signal comes between creating the file and recording it for the handler. */
		block_cleanup_signals(&saved);
		fd = openat(dir, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		r = fd < 0 ? -errno : 0;
		if (fd >= 0)
			pending_add(dir, tmp);
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
		if (r == -EEXIST)
			continue;
		if (r < 0)
			return r;
		*ret_name = TAKE_PTR(tmp);
		return fd;
	}
	return -EEXIST;
}

static void drop_temporary(struct atomic_file *f)
{
	if (!f->tmp_name)
		return;
	unlinkat(f->dir_fd, f->tmp_name, 0);
	pending_remove(f->tmp_name);
	free(f->tmp_name);
	f->tmp_name = NULL;
}

int atomic_file_openat(struct atomic_file *f, int dir_fd, const char *name, mode_t mode, unsigned flags)
{
	struct stat st;
	int fd, r;

	*f = (struct atomic_file)ATOMIC_FILE_INIT;
	if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (flags & ATOMIC_NO_REPLACE)
			return -EEXIST;
		/* Never replace a directory, a device node or a link with a regular file. */
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (!S_ISREG(st.st_mode))
			return -EPERM;
	} else if (errno != ENOENT)
		return -errno;

	f->dir_fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 3);
	f->name = strdup(name);
	if (f->dir_fd < 0 || !f->name) {
		r = f->dir_fd < 0 ? -errno : -ENOMEM;
		atomic_file_discard(f);
		return r;
	}
	f->flags = flags;
	/*
	 * An unnamed file, linked under its name on commit: nothing is left
	 * behind, whatever ends the process. The kernel applies the umask to
	 * @mode, as for any file it creates.
	 */
	fd = openat(dir_fd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, mode & 07777);
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL))
		fd = create_named_temporary(f->dir_fd, name, mode & 07777, &f->tmp_name);
	else if (fd < 0)
		fd = -errno;
	if (fd < 0) {
		atomic_file_discard(f);
		return fd;
	}
	f->fd = fd;
	snprintf(f->tmp_path, sizeof(f->tmp_path), "/proc/self/fd/%d", fd);
	return 0;
}

int atomic_file_open(struct atomic_file *f, const char *path, mode_t mode, unsigned flags)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_close_ int dir = -1;
	int r;

	*f = (struct atomic_file)ATOMIC_FILE_INIT;
	if (streq(path, "-")) {
		f->fd = STDOUT_FILENO;
		return 0;
	}
	r = chase_parent(path, flags & ATOMIC_NO_REPLACE ? CHASE_NOFOLLOW_LAST : 0, &dir, &name);
	if (r < 0)
		return r;
	return atomic_file_openat(f, dir, name, mode, flags);
}

/* Give the unnamed file @f->fd the name @name in @f->dir_fd; -EEXIST if taken. */
static int link_unnamed(struct atomic_file *f, const char *name)
{
	char proc[32];

	/* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; /proc/self/fd works for anyone. */
	if (linkat(f->fd, "", f->dir_fd, name, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno != ENOENT && errno != EPERM)
		return -errno;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", f->fd);
	return linkat(AT_FDCWD, proc, f->dir_fd, name, AT_SYMLINK_FOLLOW) < 0 ? -errno : 0;
}

static int commit_unnamed(struct atomic_file *f)
{
	sigset_t saved;
	int r;

	if (f->flags & ATOMIC_NO_REPLACE)
		return link_unnamed(f, f->name); /* fails with EEXIST instead of replacing */
	/* Linked beside the final name, then renamed over it: rename() is the atomic step. */
	for (unsigned tries = 0; tries < 100; tries++) {
		_cleanup_free_ char *tmp = temporary_name(f->name);

		if (!tmp)
			return -ENOMEM;
		block_cleanup_signals(&saved);
		r = link_unnamed(f, tmp);
		if (r == 0) {
			f->tmp_name = TAKE_PTR(tmp);
			pending_add(f->dir_fd, f->tmp_name);
		}
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
		if (r != -EEXIST)
			break;
	}
	if (r < 0)
		return r;
	return renameat(f->dir_fd, f->tmp_name, f->dir_fd, f->name) < 0 ? -errno : 0;
}

int atomic_file_commit(struct atomic_file *f)
{
	bool named = f->tmp_name;
	int r = 0;

	if (!f->name) /* stdout */
		return 0;
	if (fsync(f->fd) < 0)
		r = -errno;
	if (r == 0 && !named)
		r = commit_unnamed(f);
	else if (r == 0 && (f->flags & ATOMIC_NO_REPLACE))
		r = linkat(f->dir_fd, f->tmp_name, f->dir_fd, f->name, 0) < 0 ? -errno : 0;
	else if (r == 0)
		r = renameat(f->dir_fd, f->tmp_name, f->dir_fd, f->name) < 0 ? -errno : 0;
	if (r == 0 && f->tmp_name && !(f->flags & ATOMIC_NO_REPLACE)) {
		/* Renamed: the temporary name is gone, nothing to remove. */
		pending_remove(f->tmp_name);
		free(f->tmp_name);
		f->tmp_name = NULL;
	}
	atomic_file_discard(f);
	return r;
}

void atomic_file_discard(struct atomic_file *f)
{
	if (f->name) {
		drop_temporary(f);
		if (f->fd >= 0)
			close(f->fd);
		if (f->dir_fd >= 0)
			close(f->dir_fd);
		free(f->name);
	}
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
