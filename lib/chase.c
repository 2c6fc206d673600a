// SPDX-License-Identifier: GPL-2.0-only
/*
 * Path walking that never lets another user's link redirect us. Outputs and
 * secrets are opened relative to a directory descriptor this walk returns,
 * so nothing is resolved twice and no name is resolved by hand.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>

#include "lib/chase.h"
#include "lib/macro.h"

/* include/linux/namei.h */
#define MAXSYMLINKS 40

bool link_may_be_followed(const struct stat *dir, const struct stat *link)
{
	/* fs/namei.c may_follow_link(): "Allowed if owner and follower match." */
	if (link->st_uid == geteuid())
		return true;
	/* "Allowed if parent directory not sticky and world-writable." */
	if ((dir->st_mode & (S_ISVTX | S_IWOTH)) != (S_ISVTX | S_IWOTH))
		return true;
	/* "Allowed if parent directory and link owner match." */
	return dir->st_uid == link->st_uid;
}

static int open_root_or_cwd(bool root)
{
	int fd = open(root ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* The target of the link @name in @dir, followed by "/" and @rest when @rest is not empty. */
static int splice_link(int dir, const char *name, size_t size_hint, const char *rest, char **ret)
{
	_cleanup_free_ char *target = NULL;
	size_t cap = size_hint + 1 > 256 ? size_hint + 1 : 256;
	ssize_t n;

	for (;;) {
		free(target);
		target = malloc(cap);
		if (!target)
			return -ENOMEM;
		n = readlinkat(dir, name, target, cap);
		if (n < 0)
			return -errno;
		if ((size_t)n < cap)
			break;
		if (cap >= PATH_MAX)
			return -ENAMETOOLONG;
		cap *= 2;
	}
	target[n] = 0;
	if (n == 0)
		return -ENOENT; /* the kernel's answer for an empty link */
	if (asprintf(ret, "%s%s%s", target, *rest ? "/" : "", rest) < 0)
		return -ENOMEM;
	return 0;
}

int chase_parent(const char *path, unsigned flags, int *ret_dirfd, char **ret_name)
{
	_cleanup_free_ char *todo = NULL;
	_cleanup_close_ int dir = -1;
	unsigned links = 0;
	const char *p;

	if (!*path)
		return -ENOENT;
	todo = strdup(path);
	if (!todo)
		return -ENOMEM;
	dir = open_root_or_cwd(*path == '/');
	if (dir < 0)
		return dir;
	p = todo;
	for (;;) {
		char name[NAME_MAX + 1];
		const char *rest;
		struct stat st, dst;
		size_t n;
		bool last;
		int fd, r;

		p += strspn(p, "/");
		if (!*p)
			return -EISDIR; /* "/", or a trailing slash */
		n = strcspn(p, "/");
		if (n > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(name, p, n);
		name[n] = 0;
		rest = p + n + strspn(p + n, "/");
		last = !*rest;
		if (last && p[n] == '/')
			return -EISDIR;
		if (last && (streq(name, ".") || streq(name, "..")))
			return -EISDIR;
		if (streq(name, ".")) {
			p = rest;
			continue;
		}
		if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT || !last)
				return -errno;
			st.st_mode = 0;
		}
		if (S_ISLNK(st.st_mode) && !(last && (flags & CHASE_NOFOLLOW_LAST))) {
			_cleanup_free_ char *next = NULL;

			if (++links > MAXSYMLINKS)
				return -ELOOP;
			if (fstat(dir, &dst) < 0)
				return -errno;
			if (!link_may_be_followed(&dst, &st))
				return -ENOLINK;
			r = splice_link(dir, name, (size_t)st.st_size, rest, &next);
			if (r < 0)
				return r;
			/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): clang-analyzer 14 cannot tell that -errno after a failed call is negative, so next is set here. */
			if (*next == '/') {
				close(dir);
				dir = open_root_or_cwd(true);
				if (dir < 0)
					return dir;
			}
			free(todo);
			todo = TAKE_PTR(next);
			p = todo;
			continue;
		}
		if (last) {
			char *s = strdup(name);

			if (!s)
				return -ENOMEM;
			*ret_dirfd = TAKE_FD(dir);
			*ret_name = s;
			return 0;
		}
		/* O_NOFOLLOW: a directory swapped for a link since the fstatat() is refused (ENOTDIR). */
		fd = openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		close(dir);
		dir = fd;
		p = rest;
	}
}
