// SPDX-License-Identifier: GPL-2.0-only
/* Which storage an open file lives on, from the kernel's sysfs view of block devices. */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "lib/fileio.h"
#include "lib/macro.h"
#include "lib/storage.h"

/* Loop over dm over md over a partition: far below this. */
#define MAX_DEPTH 8
#define MAX_UNITS 64

/*
 * One piece of storage: a block device, or an inode of a regular file.
 * A weak unit (the disk of a partition, the device under a file system)
 * overlaps a strong one but not another weak one.
 */
struct unit {
	bool file;
	bool weak;
	dev_t dev;
	ino_t ino;
};

struct units {
	struct unit u[MAX_UNITS];
	size_t n;
};

static void add(struct units *s, bool file, bool weak, dev_t dev, ino_t ino)
{
	if (s->n < MAX_UNITS)
		s->u[s->n++] = (struct unit){ .file = file, .weak = weak, .dev = dev, .ino = ino };
}

/* A small sysfs attribute of the block device @dev, without its newline. */
static int read_attr(dev_t dev, const char *attr, char *buf, size_t size)
{
	char path[128];
	_cleanup_close_ int fd = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/%s", major(dev), minor(dev), attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		return -errno;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = 0;
	return 0;
}

static bool parse_dev(const char *s, dev_t *ret)
{
	unsigned ma, mi;

	if (sscanf(s, "%u:%u", &ma, &mi) != 2)
		return false;
	*ret = makedev(ma, mi);
	return true;
}

static void add_block(struct units *s, dev_t dev, bool weak, unsigned depth)
{
	char buf[4096], sub[300];
	struct stat st;
	dev_t parent;
	DIR *d;
	struct dirent *e;

	add(s, false, weak, dev, 0);
	if (depth >= MAX_DEPTH || major(dev) == 0)
		return;
	/* drivers/block/loop.c: loop_attr_backing_file_show() */
	if (read_attr(dev, "loop/backing_file", buf, sizeof(buf)) == 0 && stat(buf, &st) == 0) {
		add(s, true, weak, st.st_dev, st.st_ino);
		add_block(s, st.st_dev, true, depth + 1);
	}
	/* A partition: its disk's directory is the parent of its own. */
	if (read_attr(dev, "partition", buf, sizeof(buf)) == 0 &&
	    read_attr(dev, "../dev", buf, sizeof(buf)) == 0 && parse_dev(buf, &parent))
		add_block(s, parent, true, depth + 1);
	/* device-mapper and md: every device underneath (block/holder.c: "slaves"). */
	snprintf(sub, sizeof(sub), "/sys/dev/block/%u:%u/slaves", major(dev), minor(dev));
	d = opendir(sub);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char attr[300];

		if (e->d_name[0] == '.')
			continue;
		snprintf(attr, sizeof(attr), "slaves/%s/dev", e->d_name);
		if (read_attr(dev, attr, buf, sizeof(buf)) == 0 && parse_dev(buf, &parent))
			add_block(s, parent, weak, depth + 1);
	}
	closedir(d);
}

static int collect(int fd, struct units *s)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISBLK(st.st_mode))
		add_block(s, st.st_rdev, false, 0);
	else {
		if (S_ISREG(st.st_mode))
			add(s, true, false, st.st_dev, st.st_ino);
		add_block(s, st.st_dev, true, 0);
	}
	return 0;
}

int storage_overlaps(int fd_a, int fd_b)
{
	struct units a = {}, b = {};
	int r;

	r = collect(fd_a, &a);
	if (r == 0)
		r = collect(fd_b, &b);
	if (r < 0)
		return r;
	for (size_t i = 0; i < a.n; i++)
		for (size_t j = 0; j < b.n; j++) {
			const struct unit *x = &a.u[i], *y = &b.u[j];

			if (x->file == y->file && x->dev == y->dev &&
			    (!x->file || x->ino == y->ino) && !(x->weak && y->weak))
				return 1;
		}
	return 0;
}

int same_storage_object(int fd_a, int fd_b)
{
	struct stat a, b;

	if (fstat(fd_a, &a) < 0 || fstat(fd_b, &b) < 0)
		return -errno;
	if (S_ISBLK(a.st_mode) && S_ISBLK(b.st_mode))
		return a.st_rdev == b.st_rdev;
	return S_ISREG(a.st_mode) && S_ISREG(b.st_mode) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}
