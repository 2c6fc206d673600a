/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "policy/digest.h"

/*
 * The dm-verity parameters of one image: the engine's model. The tree, the
 * superblock and the manifest all read and fill a struct verity_params; the
 * values are those of `veritysetup format` and of the DM table.
 */

#define VERITY_MAX_SALT 256

struct verity_params {
	char *data_path; /* as given on the command line */
	char *hash_path;
	char hash_alg[32];  /* kernel crypto API name, lower case: "sha256" */
	uint32_t hash_type; /* 1 (normal) or 0 (Chrome OS) */
	uint32_t data_block_size;
	uint32_t hash_block_size;
	uint64_t data_blocks;
	uint64_t hash_offset; /* bytes: where the superblock (or tree) starts */
	uint64_t hash_start;  /* the table's hash_start, in hash blocks */
	unsigned char salt[VERITY_MAX_SALT];
	uint32_t salt_size;
	unsigned char uuid[16]; /* all zero with --no-superblock */
	unsigned char root_hash[DIGEST_MAX_SIZE];
	uint32_t digest_size;
	/* Additions. */
	bool superblock;
	uint64_t hash_blocks; /* blocks of the tree, superblock not counted */
};

/* Free what @p owns (the paths) and clear them. */
void verity_params_done(struct verity_params *p);

/* veritysetup's defaults, where format and verify start before their options. */
#define VERITY_PARAMS_DEFAULTS                                                                    \
	{                                                                                         \
		.hash_alg = "sha256", .digest_size = 32, .hash_type = 1, .data_block_size = 4096, \
		.hash_block_size = 4096, .superblock = true,                                      \
	}

#define VERITY_MIN_BLOCK 512u
#define VERITY_MAX_BLOCK (512u << 10) /* 512 KiB */

/* A data or hash block size dm-verity accepts: a power of 2 from 512 to 512 KiB. */
static inline bool verity_block_size_valid(uint32_t bs)
{
	return bs >= VERITY_MIN_BLOCK && bs <= VERITY_MAX_BLOCK && !(bs & (bs - 1));
}

/*
 * Parsers for the option values shared by the verity verbs: a hash name
 * (sets hash_alg and digest_size), a block size (power of 2, 512..512K), a salt
 * (hex or "-"), a UUID.
 * Return: 0 or -EINVAL.
 */
int verity_parse_alg(const char *s, struct verity_params *m);
int verity_parse_block_size(const char *s, uint32_t *ret);
int verity_parse_salt(const char *s, struct verity_params *m);
int verity_parse_uuid(const char *s, unsigned char uuid[16]);

/**
 * verity_format_uuid() - @uuid as "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (lower case).
 */
void verity_format_uuid(const unsigned char uuid[16], char out[37]);

/**
 * verity_seed_derive() - salt (32 bytes) and UUID (version 4 layout) from @seed:
 * salt = HMAC-SHA256(key = seed, "ipe-tools verity salt v1");
 * uuid = HMAC-SHA256(key = seed, "ipe-tools verity uuid v1")[0..15] with
 * byte 6 = (byte 6 & 0x0f) | 0x40 and byte 8 = (byte 8 & 0x3f) | 0x80.
 * Return: 0 or -EIO.
 */
int verity_seed_derive(const char *seed, unsigned char salt[32], unsigned char uuid[16]);

/**
 * verity_random_salt_uuid() - a random 32-byte salt and a random version 4 UUID.
 * Return: 0 or -EIO.
 */
int verity_random_salt_uuid(unsigned char salt[32], unsigned char uuid[16]);

/**
 * verity_open_image() - open a data image (or hash file) to read: without
 * blocking on a FIFO, and only a regular file or a block device.
 * Return: a descriptor (O_RDONLY | O_CLOEXEC), -EBADFD (neither a regular
 *         file nor a block device), -errno of open().
 */
int verity_open_image(const char *path);

/**
 * verity_fd_size() - size of an open regular file or block device.
 * Return: 0 or -errno (-EBADFD for anything else).
 */
int verity_fd_size(int fd, uint64_t *ret);

/**
 * verity_default_threads() - the number of CPUs this process may run on.
 * Return: at least 1.
 */
unsigned verity_default_threads(void);
