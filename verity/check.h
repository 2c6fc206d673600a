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

/**
 * verity_hash_area_read() - read the whole hash area of @m in @hash_path
 * (hash_offset to the end of the tree), to tell which device failed when
 * libcryptsetup's check gave -EIO, which it does not say.
 * Return: 0 readable, -EIO (or another -errno of open() or read()).
 */
int verity_hash_area_read(const char *hash_path, const struct verity_params *m);
