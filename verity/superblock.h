/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdint.h>

#include "verity/params.h"

/*
 * The 512-byte verity superblock of `veritysetup format` (cryptsetup
 * lib/verity/verity.c), at hash_offset of the hash file, padded to a hash block.
 */

#define VERITY_SB_SIZE 512

/**
 * verity_superblock_parse() - decode the 512-byte superblock @buf into @m
 * (algorithm, format, block sizes, data blocks, salt, UUID; superblock = true).
 * Return: 0 or -EBADMSG (not a verity superblock or unsupported values).
 */
int verity_superblock_parse(const void *buf, struct verity_params *m);

/**
 * verity_superblock_read() - verity_superblock_parse() of the superblock at
 * @hash_offset of @fd, with digest_size and hash_offset set too.
 * Return: 0, -EBADMSG (no superblock there, or the file ends before it),
 * -EOPNOTSUPP (an algorithm this build cannot hash; m->hash_alg names it),
 * -EIO (the device could not read it), -errno.
 */
int verity_superblock_read(int fd, uint64_t hash_offset, struct verity_params *m);

/* Encode the superblock of @m into @buf (VERITY_SB_SIZE bytes). */
void verity_superblock_build(const struct verity_params *m, void *buf);

/**
 * verity_image_describe() - read the superblock at @hash_offset of @hash_path
 * and compute the root hash of the existing tree (hash of its top block, or
 * of the only data block). The tree is not checked against the data; use
 * verify for that. @data_path is recorded, and used when the image has a
 * single data block. Fills every field of @ret (free with verity_params_done()).
 * Return: 0, -EBADMSG (no valid superblock), -EBADFD (@hash_path is neither
 * a regular file nor a block device), -errno.
 */
int verity_image_describe(const char *data_path, const char *hash_path, uint64_t hash_offset,
			  struct verity_params *ret);
