/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * The dm-verity volumes of this machine as IPE sees them: the device, its
 * root hash and whether the kernel verified a signature over it. Read from
 * the device mapper's own ioctls (<linux/dm-ioctl.h>), no libdevmapper or
 * libcryptsetup; device changes arrive as kernel uevents.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* "sha512:" plus 128 hex digits and a NUL fit; longer algorithm names are refused. */
#define VOLUME_ROOTHASH_MAX 160
#define VOLUME_NAME_MAX 128 /* DM_NAME_LEN */

struct verity_volume {
	unsigned major, minor; /* the dm device itself (IPE's bdev blob sits on it) */
	char name[VOLUME_NAME_MAX];
	char roothash[VOLUME_ROOTHASH_MAX]; /* "alg:hex", hex lowercase as the kernel prints it */
	bool roothash_signed;   /* root_hash_sig_key_desc in the table: the kernel verified it */
	bool ignore_corruption; /* weakening options, reported, not judged here */
	bool check_at_most_once;
};

/**
 * volume_parse_verity_table() - fill @v's root hash and flags from the
 * parameters of a "verity" target as DM_TABLE_STATUS with
 * DM_STATUS_TABLE_FLAG returns them (verity_status(), STATUSTYPE_TABLE, in
 * drivers/md/dm-verity-target.c of 6.12):
 *   VERSION DATA_DEV HASH_DEV DATA_BS HASH_BS DATA_BLOCKS HASH_START ALG DIGEST SALT [N OPT...]
 * DIGEST is written by the kernel with "%02x", so it is kept as is; the
 * optional arguments may carry a value (root_hash_sig_key_desc DESC,
 * use_fec_from_device DEV, fec_* N). @v's dev and name are left alone.
 * Pure: no system calls.
 * Return: 0; -EINVAL for a line that is not a verity table (too few fields,
 * a digest that is not hex, an optional-argument count that does not match).
 */
int volume_parse_verity_table(const char *params, struct verity_volume *v);

/**
 * volumes_scan() - every device-mapper device whose live table is a single
 * verity target, via /dev/mapper/control (DM_LIST_DEVICES, then
 * DM_TABLE_STATUS with DM_STATUS_TABLE_FLAG per device). Devices that go
 * away between the two calls are skipped. *@ret is malloc'd (NULL when
 * there are none); the caller frees it.
 * Return: 0; -ENOENT when there is no /dev/mapper/control (no device
 * mapper), -EACCES/-EPERM without CAP_SYS_ADMIN, -ENOMEM, or the ioctl's errno.
 */
int volumes_scan(struct verity_volume **ret, size_t *ret_n);

/* A block-device uevent of a dm device: what the watcher reports. */
enum volume_action { VOLUME_ADD, VOLUME_CHANGE, VOLUME_REMOVE };
struct volume_uevent {
	enum volume_action action;
	unsigned major, minor;
};

/**
 * volume_parse_uevent() - parse one kernel uevent message (NETLINK_KOBJECT_UEVENT:
 * "ACTION@DEVPATH\0KEY=VALUE\0..."), @len bytes. Pure.
 * Return: 1 and @ret filled for an add, change or remove of a block device
 * named dm-N; 0 for any other uevent; -EINVAL for a malformed message.
 */
int volume_parse_uevent(const char *buf, size_t len, struct volume_uevent *ret);

/**
 * volume_watch_open() - a non-blocking, close-on-exec netlink socket
 * subscribed to the kernel's uevents (multicast group 1).
 * Return: the socket, or a negative errno.
 */
int volume_watch_open(void);

/**
 * volume_watch_read() - read one message from @fd and parse it. Messages
 * that do not come from the kernel (sender port id not 0) are ignored.
 * Return: 1 and @ret filled for a dm device change; 0 when the message was
 * something else; -EAGAIN when nothing is waiting; another negative errno.
 * A receive buffer overrun (-ENOBUFS) means changes were missed: rescan.
 */
int volume_watch_read(int fd, struct volume_uevent *ret);
