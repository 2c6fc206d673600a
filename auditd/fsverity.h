/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * A file's fs-verity state as IPE reads it for fsverity_digest and
 * fsverity_signature (security/ipe/eval.c build_ipe_inode_ctx(),
 * fsverity_get_digest()): the digest through FS_IOC_MEASURE_VERITY, and
 * whether a builtin signature is present (the kernel verified it when the
 * file was opened). Shared by `run` and `explain`. Never prints.
 */

#include <stdbool.h>

#include "auditd/evaluate.h"

/* @fd's measurement into @ret; @ret->enabled false when the file has no fs-verity. */
void fsverity_measure_fd(int fd, struct auditd_fsverity *ret);

/* True when some rule of @p for @op looks at an fs-verity property (the answer depends on the file). */
bool policy_uses_fsverity(const struct ipe_policy *p, enum ipe_op op);
