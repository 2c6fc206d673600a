/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "verity/manifest.h"

/*
 * dm-verity hash trees in the on-disk format of `veritysetup format`
 * (cryptsetup lib/verity): an optional 512-byte superblock at hash_offset,
 * padded to a hash block, then the tree levels, the top level first.
 */

#define VERITY_SB_SIZE 512
#define VERITY_MAX_LEVELS 63
#define VERITY_MIN_BLOCK 512u
#define VERITY_MAX_BLOCK (512u * 1024u)

/* A data or hash block size dm-verity accepts: a power of 2 from 512 to 512 KiB. */
static inline bool verity_block_size_valid(uint32_t bs)
{
	return bs >= VERITY_MIN_BLOCK && bs <= VERITY_MAX_BLOCK && !(bs & (bs - 1));
}

/* Where each level of the tree lives, for given parameters. */
struct verity_geometry {
	uint32_t digest_size;
	uint32_t entry_size;          /* digest stride in a hash block (format 1: next power of 2) */
	uint32_t per_block_bits;      /* log2(digests per hash block) */
	unsigned levels;              /* 0 when there is a single data block */
	uint64_t level_blocks[VERITY_MAX_LEVELS];  /* level 0 = the leaves */
	uint64_t level_start[VERITY_MAX_LEVELS];   /* first block, relative to hash_start */
	uint64_t hash_start;          /* first tree block, in hash blocks from file offset 0 */
	uint64_t hash_blocks;         /* total tree blocks */
	uint64_t hash_end;            /* byte offset just past the tree */
};

/**
 * verity_geometry_compute() - lay out the tree of @data_blocks blocks.
 * @hash_offset: bytes, multiple of 512 (of @hash_block_size without superblock)
 * Return: 0, -EINVAL for impossible parameters, -EOVERFLOW.
 */
int verity_geometry_compute(uint64_t data_blocks, uint32_t hash_block_size, uint32_t digest_size,
			    uint32_t hash_type, uint64_t hash_offset, bool superblock,
			    struct verity_geometry *ret);

/**
 * verity_superblock_parse() - decode the 512-byte superblock @buf into @m
 * (algorithm, format, block sizes, data blocks, salt, UUID; superblock = true).
 * Return: 0 or -EBADMSG (not a verity superblock or unsupported values).
 */
int verity_superblock_parse(const void *buf, struct verity_manifest *m);

/**
 * verity_superblock_read() - verity_superblock_parse() of the superblock at
 * @hash_offset of @fd, with digest_size and hash_offset set too.
 * Return: 0, -EBADMSG (no superblock there, or the file ends before it),
 * -EOPNOTSUPP (an algorithm this build cannot hash; m->hash_alg names it), -errno.
 */
int verity_superblock_read(int fd, uint64_t hash_offset, struct verity_manifest *m);

/* Encode the superblock of @m into @buf (VERITY_SB_SIZE bytes). */
void verity_superblock_build(const struct verity_manifest *m, void *buf);

/**
 * verity_image_describe() - read the superblock at @hash_offset of @hash_path
 * and compute the root hash of the existing tree (hash of its top block, or
 * of the only data block). The tree is not checked against the data; use
 * verify for that. @data_path is recorded, and used when the image has a
 * single data block. Fills every field of @ret (free with manifest_done()).
 * Return: 0, -EBADMSG (no valid superblock), -errno.
 */
int verity_image_describe(const char *data_path, const char *hash_path, uint64_t hash_offset,
			  struct verity_manifest *ret);
