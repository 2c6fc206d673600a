/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include "verity/params.h"

/* A second opinion on a hash tree from libcryptsetup. */

/**
 * verity_cryptsetup_check() - userspace verification by libcryptsetup of the
 * tree of @m in @hash_path against @data_path and @root.
 * Return: 0 intact, -EPERM a block mismatch, -EFAULT root mismatch, -errno.
 */
int verity_cryptsetup_check(const char *data_path, const char *hash_path,
			    const struct verity_params *m, const unsigned char *root);
