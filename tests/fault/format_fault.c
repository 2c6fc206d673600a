// SPDX-License-Identifier: GPL-2.0-only
/*
 * The faults format's self-check must refuse, injected into the builder of
 * the test binary $O/tests/ipe-policygen-fault. $IPE_TOOLS_FORMAT_FAULT is one of:
 *
 *   byte:sb:OFF      the byte at OFF from the hash offset (superblock and its padding) is wrong
 *   byte:L:OFF       the byte at OFF from the start of level L (0 = the leaves) is wrong
 *   leaf:B           data block B is hashed from wrong bytes (its first byte flipped):
 *                    a leaf entry that the levels above agree with
 *   salt-after       every digest with the salt after the block (format 1 hashed as format 0)
 *   block-size       the data hashed in blocks of half the size
 *   pad:L            the last byte of the last block of level L is wrong, and the
 *                    levels above are hashed over it (wrong padding, consistent tree)
 *   shift:L          level L written one hash block too far as well
 *   misplace:B       leaf hash block B written over block B + 1 as well
 *
 * A wrong byte is the right one with every bit flipped.
 */
#define FORMAT_FAULT_INJECTION 1

#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mman.h>

#include "lib/fileio.h"
#include "lib/macro.h"
#include "policygen/format_fault.h"

static const char *fault(void)
{
	const char *f = getenv("IPE_TOOLS_FORMAT_FAULT");

	return f ? f : "";
}

/* A copy of the data in memory with the first byte of block @b flipped. */
static int corrupt_copy(int data_fd, const struct verity_params *m, uint64_t b, int *ret_fd)
{
	uint64_t size = m->data_blocks * m->data_block_size;
	_cleanup_free_ unsigned char *buf = malloc(size);
	_cleanup_close_ int fd = memfd_create("format-fault", MFD_CLOEXEC);
	int r;

	if (!buf || fd < 0 || b >= m->data_blocks)
		return -EINVAL;
	r = pread_all(data_fd, buf, size, 0);
	if (r < 0)
		return r;
	buf[b * m->data_block_size] ^= 0xff;
	r = pwrite_all(fd, buf, size, 0);
	if (r < 0)
		return r;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/* The last byte of the last block of @level flipped, the blocks above and the root rehashed. */
static int wrong_padding(struct verity_params *m, const struct verity_geometry *g, int hash_fd,
			 unsigned char *tree, unsigned level)
{
	uint64_t hbs = m->hash_block_size, per = UINT64_C(1) << g->per_block_bits;
	unsigned char *top = tree + g->level_start[g->levels - 1] * hbs;
	int r;

	tree[(g->level_start[level] + g->level_blocks[level]) * hbs - 1] ^= 0xff;
	if (level == 0 && hash_fd >= 0) {
		uint64_t last = g->level_start[0] + g->level_blocks[0] - 1;

		r = pwrite_all(hash_fd, tree + last * hbs, hbs, (off_t)((g->hash_start + last) * hbs));
		if (r < 0)
			return r;
	}
	for (unsigned l = level; l + 1 < g->levels; l++) {
		uint64_t k = g->level_blocks[l] - 1;

		r = verity_digest_one(m, tree + (g->level_start[l] + k) * hbs, hbs,
				      tree + (g->level_start[l + 1] + k / per) * hbs +
					      (k % per) * g->entry_size);
		if (r < 0)
			return r;
	}
	return verity_digest_one(m, top, hbs, m->root_hash);
}

int format_fault_build(int data_fd, struct verity_params *m, const struct verity_geometry *g,
		       struct verity_build *b, unsigned char **ret_tree)
{
	struct verity_params wrong = *m;
	_cleanup_close_ int copy_fd = -1;
	uint64_t block;
	unsigned level = UINT_MAX;
	int r;

	if (sscanf(fault(), "leaf:%" SCNu64, &block) == 1) {
		r = corrupt_copy(data_fd, m, block, &copy_fd);
		if (r < 0)
			return r;
		data_fd = copy_fd;
	} else if (streq(fault(), "salt-after"))
		wrong.hash_type = !m->hash_type;
	else if (streq(fault(), "block-size"))
		wrong.data_block_size = m->data_block_size / 2;
	else
		(void)sscanf(fault(), "pad:%u", &level);
	r = verity_tree_build(data_fd, &wrong, g, b, ret_tree);
	if (r == 0 && level < g->levels)
		r = wrong_padding(&wrong, g, b->hash_fd, *ret_tree, level);
	memcpy(m->root_hash, wrong.root_hash, sizeof(m->root_hash));
	m->digest_size = wrong.digest_size;
	return r;
}

int format_fault_written(int fd, const struct verity_params *m, const struct verity_geometry *g,
			 const unsigned char *tree)
{
	uint64_t hbs = m->hash_block_size, off, block;
	unsigned level;
	unsigned char byte;
	int r;

	if (sscanf(fault(), "byte:sb:%" SCNu64, &off) == 1)
		off += m->hash_offset;
	else if (sscanf(fault(), "byte:%u:%" SCNu64, &level, &off) == 2 && level < g->levels)
		off += (g->hash_start + g->level_start[level]) * hbs;
	else if (sscanf(fault(), "shift:%u", &level) == 1 && level < g->levels)
		return pwrite_all(fd, tree + g->level_start[level] * hbs, g->level_blocks[level] * hbs,
				  (off_t)((g->hash_start + g->level_start[level] + 1) * hbs));
	else if (sscanf(fault(), "misplace:%" SCNu64, &block) == 1 && g->levels &&
		 block < g->level_blocks[0])
		return pwrite_all(fd, tree + (g->level_start[0] + block) * hbs, hbs,
				  (off_t)((g->hash_start + g->level_start[0] + block + 1) * hbs));
	else
		return 0;
	r = pread_all(fd, &byte, 1, (off_t)off);
	if (r < 0)
		return r;
	byte ^= 0xff;
	return pwrite_all(fd, &byte, 1, (off_t)off);
}
