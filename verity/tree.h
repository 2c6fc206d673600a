/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verity/params.h"

/*
 * dm-verity hash trees in the on-disk format of `veritysetup format`
 * (cryptsetup lib/verity): an optional 512-byte superblock at hash_offset,
 * padded to a hash block, then the tree levels, the top level first. The
 * geometry of the levels, the parallel tree hasher and the corruption locator.
 */

#define VERITY_MAX_LEVELS 63

/* Where each level of the tree lives, for given parameters. */
struct verity_geometry {
	uint32_t digest_size;
	uint32_t entry_size;     /* digest stride in a hash block (format 1: next power of 2) */
	uint32_t per_block_bits; /* log2(digests per hash block) */
	unsigned levels;         /* 0 when there is a single data block */
	uint64_t level_blocks[VERITY_MAX_LEVELS]; /* level 0 = the leaves */
	uint64_t level_start[VERITY_MAX_LEVELS];  /* first block, relative to hash_start */
	uint64_t hash_start;  /* first tree block, in hash blocks from file offset 0 */
	uint64_t hash_blocks; /* total tree blocks */
	uint64_t hash_end;    /* byte offset just past the tree */
};

/**
 * verity_geometry_compute() - lay out the tree of @data_blocks blocks.
 * @hash_offset: bytes, multiple of 512 (of @hash_block_size without superblock)
 * Return: 0, -EINVAL for impossible parameters, -EOVERFLOW.
 */
int verity_geometry_compute(uint64_t data_blocks, uint32_t hash_block_size, uint32_t digest_size,
			    uint32_t hash_type, uint64_t hash_offset, bool superblock,
			    struct verity_geometry *ret);

/* Called now and then from the hashing thread pool's supervisor. */
typedef void (*verity_progress_fn)(uint64_t done_blocks, uint64_t total_blocks, void *userdata);

/* How verity_tree_build() runs, and where its leaf level goes. */
struct verity_build {
	unsigned threads;
	int hash_fd;                 /* -1, or where the leaf level is written (at its place
				      * in the layout) as its blocks are finished */
	verity_progress_fn progress; /* or NULL */
	void *userdata;
	bool write_failed;      /* out: the error came from writing @hash_fd */
	uint64_t direct_chunks; /* out: chunks of the image read with O_DIRECT (not cached) */
};

#define VERITY_BUILD_IN_MEMORY(n)             \
	{                                     \
		.threads = (n), .hash_fd = -1 \
	}

/**
 * verity_tree_build() - hash @m->data_blocks blocks of @data_fd (from offset 0)
 * into a tree laid out as @g, as @b says. With a hash_fd the caller writes the
 * rest: the superblock and the levels above the leaves.
 * @ret_tree: hugemem_alloc()'d g->hash_blocks * hash_block_size bytes in on-disk order
 *            (NULL when the tree is empty)
 * Sets m->root_hash and m->digest_size.
 * Return: 0, -ENODATA (short data), -EIO (a read error), -ENOMEM, -errno.
 */
int verity_tree_build(int data_fd, struct verity_params *m, const struct verity_geometry *g,
		      struct verity_build *b, unsigned char **ret_tree);

/* What verity_tree_locate() found. */
enum verity_fault {
	VERITY_FAULT_NONE,
	VERITY_FAULT_ROOT,       /* the root hash does not match the top of the tree */
	VERITY_FAULT_HASH_BLOCK, /* index: hash block number in the hash file */
	VERITY_FAULT_DATA_BLOCK, /* index: data block number */
};

/**
 * verity_tree_locate() - find the first thing that breaks the chain from
 * @root down to the data: the root, a hash block (top-down), a data block.
 * Return: 0 (with *ret_fault, *ret_index, *ret_level set) or -errno.
 */
int verity_tree_locate(int data_fd, int hash_fd, const struct verity_params *m,
		       const unsigned char *root, unsigned threads, enum verity_fault *ret_fault,
		       uint64_t *ret_index, unsigned *ret_level);

/**
 * verity_digest_one() - one digest of @buf as the tree makes them (salted per
 * @m's format) into @out. Return: 0 or -errno.
 */
int verity_digest_one(const struct verity_params *m, const void *buf, size_t len, unsigned char *out);

/**
 * verity_params_geometry() - verity_geometry_compute() with the parameters
 * of @m (digest_size, or else the size of m->hash_alg). Return: 0 or -errno.
 */
int verity_params_geometry(const struct verity_params *m, struct verity_geometry *ret);

/**
 * verity_digest_size() - digest size of a supported kernel crypto API hash name.
 * Return: the size in bytes, or -EOPNOTSUPP.
 */
int verity_digest_size(const char *alg);
