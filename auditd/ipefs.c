// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auditd/ipefs.h"
#include "lib/macro.h"

static inline void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

/* The whole of a small securityfs file, NUL-terminated, trailing newline dropped. */
static int read_small(const char *path, char *buf, size_t size)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	buf[0] = 0; /* a string on every return */
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return 0;
}

static int read_bool(const char *path)
{
	char b[8];

	if (read_small(path, b, sizeof(b)) < 0)
		return -1;
	return b[0] == '1';
}

/* @len bytes into @path in exactly one write(), as IPE needs the whole policy at once. */
static int write_once(const char *path, const void *buf, size_t len)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static int policy_path(const char *name, const char *file, char *buf, size_t size)
{
	if (strchr(name, '/') || streq(name, ".") || streq(name, ".."))
		return -EINVAL;
	if ((size_t)snprintf(buf, size, IPE_FS "/policies/%s/%s", name, file) >= size)
		return -ENAMETOOLONG;
	return 0;
}

int ipe_state_read(struct ipe_state *s)
{
	_cleanup_(closedirp) DIR *d = NULL;
	struct dirent *de;

	*s = (struct ipe_state){ .enforce = -1, .success_audit = -1 };
	if (access(IPE_FS, F_OK) < 0)
		return -errno;
	s->enforce = read_bool(IPE_FS "/enforce");
	s->success_audit = read_bool(IPE_FS "/success_audit");
	d = opendir(IPE_FS "/policies");
	if (!d)
		return -errno;
	while ((errno = 0, de = readdir(d))) {
		struct ipe_loaded *p, l = {};
		char path[512];

		if (de->d_name[0] == '.')
			continue;
		if (policy_path(de->d_name, "version", path, sizeof(path)) < 0 ||
		    read_small(path, l.version, sizeof(l.version)) < 0)
			snprintf(l.version, sizeof(l.version), "?");
		if (policy_path(de->d_name, "active", path, sizeof(path)) == 0)
			l.active = read_bool(path) == 1;
		l.name = strdup(de->d_name);
		p = realloc(s->policies, (s->n_policies + 1) * sizeof(*p));
		if (!l.name || !p) {
			free(l.name);
			if (p)
				s->policies = p;
			return -ENOMEM;
		}
		s->policies = p;
		s->policies[s->n_policies++] = l;
	}
	if (errno)
		return -errno;
	for (size_t i = 0; i < s->n_policies; i++)
		if (s->policies[i].active)
			s->active = &s->policies[i];
	return 0;
}

void ipe_state_done(struct ipe_state *s)
{
	for (size_t i = 0; i < s->n_policies; i++)
		free(s->policies[i].name);
	free(s->policies);
	*s = (struct ipe_state){};
}

const struct ipe_loaded *ipe_state_find(const struct ipe_state *s, const char *name)
{
	for (size_t i = 0; name && i < s->n_policies; i++)
		if (streq(s->policies[i].name, name))
			return &s->policies[i];
	return NULL;
}

int ipe_policy_load(const char *name, const void *blob, size_t len, bool *ret_updated)
{
	char path[512];
	int r;

	*ret_updated = false;
	if (name) {
		r = policy_path(name, "update", path, sizeof(path));
		if (r < 0)
			return r;
		r = write_once(path, blob, len);
		if (r != -ENOENT) {
			*ret_updated = true;
			return r;
		}
	}
	return write_once(IPE_FS "/new_policy", blob, len);
}

int ipe_policy_activate(const char *name)
{
	char path[512];
	int r = policy_path(name, "active", path, sizeof(path));

	return r < 0 ? r : write_once(path, "1", 1);
}

int ipe_policy_delete(const char *name)
{
	char path[512];
	int r = policy_path(name, "delete", path, sizeof(path));

	return r < 0 ? r : write_once(path, "1", 1);
}

int ipe_set_enforce(bool on)
{
	return write_once(IPE_FS "/enforce", on ? "1" : "0", 1);
}
