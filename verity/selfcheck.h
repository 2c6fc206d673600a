/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "verity/params.h"

/*
 * The sampled self-check of a freshly written tree: independent of the
 * builder (its own layout, digests and superblock decoding, after the kernel's
 * drivers/md/dm-verity-target.c and cryptsetup's lib/verity/verity.c), reading
 * back what was written.
 */

/* Flags for verity_selfcheck(). */
#define VERITY_SELFCHECK_FRESH \
	1u /* a new file: the superblock's padding must be zero and
				   * the file must end where the tree ends */

/*
 * One data block is sampled per window. The window is the largest power of 2
 * of data blocks that is at most VERITY_SELFCHECK_WINDOW_BYTES of data, at most
 * the blocks one leaf hash block covers, and at most data_blocks /
 * VERITY_SELFCHECK_MIN_SAMPLES (so small images are read whole).
 */
#define VERITY_SELFCHECK_WINDOW_BYTES (512u << 10)
#define VERITY_SELFCHECK_MIN_SAMPLES 1024u

/* What verity_selfcheck() looked at, for the debug log. */
struct verity_selfcheck_stats {
	uint64_t hash_blocks; /* hash blocks read and checked against their parents */
	uint64_t window;      /* data blocks per sampling window */
	uint64_t sampled;     /* data blocks read and checked against their leaf entries */
	uint64_t seed;        /* of the sample, from getrandom() */
};

/**
 * verity_selfcheck() - check a written tree against @m (parameters, salt,
 * UUID, hash_start, root_hash) and the data:
 *  - the superblock (if any) field by field, its reserved bytes zero;
 *  - every hash block of every level against its entry in the level above,
 *    the top block against the root hash;
 *  - every byte of every hash block that holds no digest is zero;
 *  - one pseudo-random data block in every window of stats->window blocks
 *    against its leaf entry (the first and the last window included).
 * A fault in the hash file (any wrong byte, salt, layout, padding, misplaced
 * write) is found always, and so are wrong leaf entries for every data block
 * of a window (any 1 MiB of data, a wrong block size). Wrong leaf entries for
 * a fraction f of the data blocks, placed any way, are missed with probability
 * at most (1 - 1/window)^(f * data_blocks) (docs/man/ipe-policygen-format.1).
 * @data_fd: the image, data blocks from offset 0
 * @hash_fd: the written hash file or device, read with pread()
 * @flags: VERITY_SELFCHECK_*
 * @why: on -EBADMSG, what differs ("hash block 17 of level 0 does not ..."), @why_size bytes
 * Return: 0 intact, -EBADMSG a mismatch, -ENODATA a short file, -EIO a read
 * error, -ENOMEM, -errno.
 */
int verity_selfcheck(int data_fd, int hash_fd, const struct verity_params *m, unsigned flags,
		     struct verity_selfcheck_stats *stats, char *why, size_t why_size);
