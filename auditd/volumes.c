// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-verity volumes from the device mapper's ioctls, and their comings and
 * goings from kernel uevents.
 *
 * Why a table that names a signature means "verified" (Linux 6.12):
 * verity_ctr() (drivers/md/dm-verity-target.c) passes the key named by
 * root_hash_sig_key_desc to verity_verify_root_hash()
 * (dm-verity-verify-sig.c), which runs verify_pkcs7_signature() against the
 * builtin/secondary, then platform, then .dm-verity keyring whenever the
 * signature is non-empty (a "user" key payload never is), and fails the
 * constructor ("Root hash verification failed") unless one accepts it. A
 * kernel without CONFIG_DM_VERITY_VERIFY_ROOTHASH_SIG refuses the option
 * outright. So a live table carrying the option exists only if the kernel
 * verified the signature, the same fact IPE's dmverity_signature records
 * from bdev_setintegrity(LSM_INT_DMVERITY_SIG_VALID).
 */
#include "auditd/volumes.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lib/macro.h"

/* ---- The verity table line ---- */

#define TABLE_FIELDS 10 /* before the optional-argument count */

/* verity_status()'s optional arguments that are followed by a value. */
static const char *const option_with_value[] = {
	"root_hash_sig_key_desc",
	"use_fec_from_device",
	"fec_roots",
	"fec_blocks",
	"fec_start",
	NULL,
};

static bool strv_contains(const char *const *strv, const char *s)
{
	for (; *strv; strv++)
		if (streq(*strv, s))
			return true;
	return false;
}

static bool is_lower_hex(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && !(*s >= 'a' && *s <= 'f'))
			return false;
	return true;
}

int volume_parse_verity_table(const char *params, struct verity_volume *v)
{
	_cleanup_free_ char *copy = NULL;
	char *tok[TABLE_FIELDS], *save = NULL, *t, *end;
	unsigned long nopt, i;
	int n = 0;

	if (!params)
		return -EINVAL;
	copy = strdup(params);
	if (!copy)
		return -ENOMEM;
	for (t = strtok_r(copy, " \t\n", &save); t && n < TABLE_FIELDS;
	     t = strtok_r(NULL, " \t\n", &save))
		tok[n++] = t;
	if (n < TABLE_FIELDS)
		return -EINVAL;
	/* tok[7] ALG, tok[8] DIGEST (lowercase "%02x" bytes), tok[9] SALT or "-". */
	if (!is_lower_hex(tok[8]) || strlen(tok[8]) % 2 ||
	    (!streq(tok[9], "-") && !is_lower_hex(tok[9])) || strchr(tok[7], ':'))
		return -EINVAL;
	if (snprintf(v->roothash, sizeof(v->roothash), "%s:%s", tok[7], tok[8]) >=
	    (int)sizeof(v->roothash))
		return -EINVAL;

	v->roothash_signed = v->ignore_corruption = v->check_at_most_once = false;
	if (!t) /* no optional arguments */
		return 0;
	errno = 0;
	nopt = strtoul(t, &end, 10);
	if (errno || *end || end == t)
		return -EINVAL;
	/*
	 * The count is in words, an option's value included (DM_VERITY_OPTS_FEC,
	 * DM_VERITY_ROOT_HASH_VERIFICATION_OPTS); a value is never taken for an option.
	 */
	for (i = 0; i < nopt; i++) {
		t = strtok_r(NULL, " \t\n", &save);
		if (!t)
			return -EINVAL;
		if (streq(t, "root_hash_sig_key_desc"))
			v->roothash_signed = true;
		else if (streq(t, "ignore_corruption"))
			v->ignore_corruption = true;
		else if (streq(t, "check_at_most_once"))
			v->check_at_most_once = true;
		if (strv_contains(option_with_value, t)) {
			if (++i == nopt || !strtok_r(NULL, " \t\n", &save))
				return -EINVAL;
		}
	}
	return 0;
}

/* ---- The device mapper's ioctls ---- */

/* dm_ioctl header and its payload in one buffer, as the ioctl wants it. */
static struct dm_ioctl *dm_buffer(size_t size)
{
	struct dm_ioctl *io = calloc(1, size);

	if (!io)
		return NULL;
	io->version[0] = DM_VERSION_MAJOR;
	io->version[1] = 0;
	io->version[2] = 0;
	io->data_size = size;
	io->data_start = sizeof(*io);
	return io;
}

/* Run @cmd, growing the buffer while the kernel says DM_BUFFER_FULL_FLAG. */
static int dm_call(int fd, unsigned long cmd, const char *name, uint32_t flags, struct dm_ioctl **ret)
{
	size_t size = 16384;

	for (;;) {
		_cleanup_free_ struct dm_ioctl *io = dm_buffer(size);

		if (!io)
			return -ENOMEM;
		io->flags = flags;
		if (name)
			snprintf(io->name, sizeof(io->name), "%s", name);
		if (ioctl(fd, cmd, io) < 0)
			return -errno;
		if (!(io->flags & DM_BUFFER_FULL_FLAG)) {
			*ret = TAKE_PTR(io);
			return 0;
		}
		if (size >= 16u << 20)
			return -E2BIG;
		size *= 4;
	}
}

/* The live table of @name if it is one verity target: 1 and @v filled, 0 if not verity. */
static int dm_verity_table(int fd, const char *name, struct verity_volume *v)
{
	_cleanup_free_ struct dm_ioctl *io = NULL;
	const struct dm_target_spec *spec;
	const char *params, *end;
	int r;

	r = dm_call(fd, DM_TABLE_STATUS, name, DM_STATUS_TABLE_FLAG, &io);
	if (r < 0)
		return r;
	/* dm-verity is DM_TARGET_SINGLETON: a verity table has exactly one target. */
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): clang-analyzer 14 cannot tell that -errno after a failed call is negative, so io is set here. */
	if (!(io->flags & DM_ACTIVE_PRESENT_FLAG) || io->target_count != 1)
		return 0;
	if (io->data_start + sizeof(*spec) > io->data_size)
		return -EIO;
	spec = (const struct dm_target_spec *)((const char *)io + io->data_start);
	if (strncmp(spec->target_type, "verity", sizeof(spec->target_type)) != 0)
		return 0;
	params = (const char *)(spec + 1);
	end = (const char *)io + io->data_size;
	if (params >= end || !memchr(params, '\0', end - params))
		return -EIO;
	r = volume_parse_verity_table(params, v);
	if (r < 0)
		return r;
	v->major = major(io->dev);
	v->minor = minor(io->dev);
	snprintf(v->name, sizeof(v->name), "%s", io->name);
	return 1;
}

int volumes_scan(struct verity_volume **ret, size_t *ret_n)
{
	_cleanup_free_ struct dm_ioctl *list = NULL;
	_cleanup_free_ struct verity_volume *out = NULL;
	_cleanup_close_ int fd = -1;
	const struct dm_name_list *nl;
	size_t n = 0, cap = 0, off;
	int r;

	fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = dm_call(fd, DM_LIST_DEVICES, NULL, 0, &list);
	if (r < 0)
		return r;

	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): clang-analyzer 14 cannot tell that -errno after a failed call is negative, so list is set here. */
	off = list->data_start;
	for (;;) {
		struct verity_volume v = { 0 };

		if (off + sizeof(*nl) > list->data_size)
			break;
		nl = (const struct dm_name_list *)((const char *)list + off);
		if (nl->dev == 0) /* "Flags no data": no devices at all */
			break;
		if (!memchr(nl->name, '\0', list->data_size - (off + sizeof(*nl))))
			return -EIO;
		r = dm_verity_table(fd, nl->name, &v);
		if (r == -ENXIO) /* removed since the list was made */
			r = 0;
		if (r < 0)
			return r;
		if (r > 0) {
			if (n == cap) {
				struct verity_volume *grown;

				cap = cap ? cap * 2 : 8;
				grown = reallocarray(out, cap, sizeof(*out));
				if (!grown)
					return -ENOMEM;
				out = grown;
			}
			out[n++] = v;
		}
		if (nl->next == 0)
			break;
		off += nl->next;
	}
	*ret = TAKE_PTR(out);
	*ret_n = n;
	return 0;
}

/* ---- uevents ---- */

int volume_parse_uevent(const char *buf, size_t len, struct volume_uevent *ret)
{
	const char *p = buf, *end = buf + len, *action = NULL, *subsystem = NULL, *devname = NULL;
	const char *smajor = NULL, *sminor = NULL;
	size_t l;

	/* The header "ACTION@DEVPATH" ends at the first NUL; udev's own re-broadcasts start "libudev". */
	l = strnlen(p, len);
	if (l == len || !memchr(p, '@', l))
		return len >= 8 && memcmp(buf, "libudev", 7) == 0 ? 0 : -EINVAL;
	for (p += l + 1; p < end; p += l + 1) {
		l = strnlen(p, end - p);
		if (p + l == end) /* a field without its NUL is not taken */
			break;
		if (startswith(p, "ACTION="))
			action = p + 7;
		else if (startswith(p, "SUBSYSTEM="))
			subsystem = p + 10;
		else if (startswith(p, "DEVNAME="))
			devname = p + 8;
		else if (startswith(p, "MAJOR="))
			smajor = p + 6;
		else if (startswith(p, "MINOR="))
			sminor = p + 6;
	}
	if (!action || !subsystem || !devname || !smajor || !sminor)
		return 0;
	if (!streq(subsystem, "block") || !startswith(devname, "dm-"))
		return 0;
	if (streq(action, "add"))
		ret->action = VOLUME_ADD;
	else if (streq(action, "change"))
		ret->action = VOLUME_CHANGE;
	else if (streq(action, "remove"))
		ret->action = VOLUME_REMOVE;
	else
		return 0;
	ret->major = (unsigned)strtoul(smajor, NULL, 10);
	ret->minor = (unsigned)strtoul(sminor, NULL, 10);
	return 1;
}

int volume_watch_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 /* the kernel's uevents */ };
	_cleanup_close_ int fd = -1;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return TAKE_FD(fd);
}

int volume_watch_read(int fd, struct volume_uevent *ret)
{
	char buf[8192];
	struct sockaddr_nl sa = { 0 };
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) - 1 };
	struct msghdr msg = {
		.msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov, .msg_iovlen = 1
	};
	ssize_t n;

	n = recvmsg(fd, &msg, MSG_DONTWAIT);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	/* Only the kernel (port id 0) speaks for devices; truncated messages are not trusted. */
	if (sa.nl_pid != 0 || (msg.msg_flags & MSG_TRUNC))
		return 0;
	buf[n] = '\0'; /* a last field without its NUL stays a string */
	return volume_parse_uevent(buf, (size_t)n, ret) > 0 ? 1 : 0;
}
