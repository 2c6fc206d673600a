/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>

/* Flags for chase_parent(). */
#define CHASE_NOFOLLOW_LAST 1u /* a final symbolic link is returned as itself */

/**
 * link_may_be_followed() - the kernel's fs.protected_symlinks rule,
 * may_follow_link() in fs/namei.c, applied whatever the sysctl says: a link
 * is followed when its owner is the caller (the effective UID here; the
 * kernel's fsuid), when the directory holding it is not both sticky and
 * world-writable, or when the directory and the link have the same owner.
 * @dir: the directory holding the link
 * @link: the link itself (lstat)
 */
bool link_may_be_followed(const struct stat *dir, const struct stat *link);

/**
 * chase_parent() - walk @path component by component, as the kernel's path
 * walk does, but following each symbolic link only where
 * link_may_be_followed() allows it.
 * @flags: CHASE_NOFOLLOW_LAST
 * @ret_dirfd: an O_PATH descriptor of the directory that holds the final
 *             component, for openat() and friends
 * @ret_name: the final component (a plain name, at most NAME_MAX bytes;
 *            it may not exist); malloc'd
 * Return: 0; -ENOLINK for a link the rule refuses (as systemd's
 *         chase(CHASE_SAFE)); -EISDIR when @path names a directory ("/",
 *         "..", a trailing slash); -ELOOP after 40 links (the kernel's
 *         MAXSYMLINKS); -errno of the walk otherwise.
 */
int chase_parent(const char *path, unsigned flags, int *ret_dirfd, char **ret_name);
