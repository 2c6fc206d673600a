/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * IPE's securityfs interface (security/ipe/fs.c, policy_fs.c of Linux 6.12):
 * /sys/kernel/security/ipe/{enforce, success_audit, new_policy, policies/}
 * and policies/<name>/{name, version, active, update, delete, pkcs7, policy}.
 * Every write needs CAP_MAC_ADMIN (-EPERM). Reads have no trailing newline.
 * Functions return 0 or the kernel's -errno and never print.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPE_FS "/sys/kernel/security/ipe"

struct ipe_loaded {
	char *name;
	char version[24]; /* "%hu.%hu.%hu" as the kernel prints it */
	bool active;
};

struct ipe_state {
	int enforce, success_audit; /* 0/1, -1 unreadable */
	struct ipe_loaded *policies;
	size_t n_policies;
	const struct ipe_loaded *active; /* into policies, or NULL */
};

/* Read the whole state. Return: 0, -ENOENT (no IPE securityfs), -errno. */
int ipe_state_read(struct ipe_state *ret);
void ipe_state_done(struct ipe_state *s);
const struct ipe_loaded *ipe_state_find(const struct ipe_state *s, const char *name);

/**
 * ipe_policy_load() - @len bytes of a signed policy in one write(): to
 * policies/@name/update when @name is loaded (ipe_update_policy(): the same
 * name and a strictly higher version, else -ESTALE), else to new_policy
 * (ipe_new_policy(); -EEXIST for a loaded name). @name may be NULL (a policy
 * that could not be read here: new_policy, and the kernel says why).
 * @ret_updated: whether update was used.
 * Return: 0, the kernel's -errno (-ENOKEY, -EKEYREJECTED, -EBADMSG, -ESTALE,
 * -EEXIST, -EPERM, -EINVAL, -ERANGE, -ENOMEM), -EIO on a short write.
 */
int ipe_policy_load(const char *name, const void *blob, size_t len, bool *ret_updated);

/* Write "1" to policies/@name/active (ipe_set_active_pol(): -EINVAL when the
 * active policy has a higher version). Return: 0 or -errno. */
int ipe_policy_activate(const char *name);

/* Write "1" to policies/@name/delete (-EPERM for the active policy). */
int ipe_policy_delete(const char *name);

/* Write "0" or "1" to enforce. Return: 0 or -errno. */
int ipe_set_enforce(bool on);
