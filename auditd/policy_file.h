/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include "policy/policy.h"

/* The candidate policy as `ipe-policygen check` reads it: text, or a signed .p7b unwrapped. */
struct policy_file {
	struct ipe_policy *policy;
	char sha256[65]; /* hex of the file's bytes as given (IPE's policy_digest of a .p7b) */
	char error[256]; /* after a failure: one line naming the problem (FILE:LINE: …) */
};

/**
 * policy_file_load() - read, unwrap and parse @path as the kernel would.
 * Return: 0; -EBADMSG/-EINVAL/… the kernel's errno for a policy it refuses,
 * or the read error; @ret->error says why. Release with policy_file_done().
 */
int policy_file_load(const char *path, struct policy_file *ret);
void policy_file_done(struct policy_file *f);
