/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "verity/verity.h"

/*
 * Internals of the verity verbs: the parallel tree hasher, the corruption
 * locator, the libcryptsetup cross-check and the shared option parsing.
 */

/* Called now and then from the hashing thread pool's supervisor. */
typedef void (*verity_progress_fn)(uint64_t done_blocks, uint64_t total_blocks, void *userdata);

/* How verity_tree_build() runs, and where its leaf level goes. */
struct verity_build {
	unsigned threads;
	int hash_fd;                 /* -1, or where the leaf level is written (at its place
				      * in the layout) as its blocks are finished */
	verity_progress_fn progress; /* or NULL */
	void *userdata;
	bool write_failed;           /* out: the error came from writing @hash_fd */
	uint64_t direct_chunks;      /* out: chunks of the image read with O_DIRECT (not cached) */
};

#define VERITY_BUILD_IN_MEMORY(n) { .threads = (n), .hash_fd = -1 }

/**
 * verity_tree_build() - hash @m->data_blocks blocks of @data_fd (from offset 0)
 * into a tree laid out as @g, as @b says. With a hash_fd the caller writes the
 * rest: the superblock and the levels above the leaves.
 * @ret_tree: hugemem_alloc()'d g->hash_blocks * hash_block_size bytes in on-disk order
 *            (NULL when the tree is empty)
 * Sets m->root_hash and m->digest_size.
 * Return: 0, -EIO (short data), -ENOMEM, -errno.
 */
int verity_tree_build(int data_fd, struct verity_manifest *m, const struct verity_geometry *g,
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
int verity_tree_locate(int data_fd, int hash_fd, const struct verity_manifest *m,
		       const unsigned char *root, unsigned threads, enum verity_fault *ret_fault,
		       uint64_t *ret_index, unsigned *ret_level);

/**
 * verity_digest_one() - one digest of @buf as the tree makes them (salted per
 * @m's format) into @out. Return: 0 or -errno.
 */
int verity_digest_one(const struct verity_manifest *m, const void *buf, size_t len, unsigned char *out);

/**
 * verity_manifest_geometry() - verity_geometry_compute() with the parameters
 * of @m (digest_size, or else the size of m->hash_alg). Return: 0 or -errno.
 */
int verity_manifest_geometry(const struct verity_manifest *m, struct verity_geometry *ret);

/**
 * verity_openssl_name() - OpenSSL's name of a kernel crypto API hash name
 * ("sha256" -> "SHA256"), or NULL when this build does not hash it.
 */
const char *verity_openssl_name(const char *alg);

/**
 * verity_digest_size() - digest size of a supported kernel crypto API hash name.
 * Return: the size in bytes, or -EOPNOTSUPP.
 */
int verity_digest_size(const char *alg);

/**
 * verity_cryptsetup_check() - userspace verification by libcryptsetup of the
 * tree of @m in @hash_path against @data_path and @root.
 * Return: 0 intact, -EPERM a block mismatch, -EFAULT root mismatch, -errno.
 */
int verity_cryptsetup_check(const char *data_path, const char *hash_path,
			    const struct verity_manifest *m, const unsigned char *root);

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

/* veritysetup's defaults, where format and verify start before their options. */
#define VERITY_MANIFEST_DEFAULTS                                                   \
	{                                                                          \
		.hash_alg = "sha256", .digest_size = 32, .hash_type = 1,           \
		.data_block_size = 4096, .hash_block_size = 4096, .superblock = true, \
	}

/*
 * getopt_long() values of the options that set verity parameters, shared by
 * format, verify, dump and manifest; a verb numbers its own options from
 * VERITY_OPT_VERB on.
 */
enum {
	VERITY_OPT_HASH = 0x100,
	VERITY_OPT_DATA_BLOCK_SIZE,
	VERITY_OPT_HASH_BLOCK_SIZE,
	VERITY_OPT_SALT,
	VERITY_OPT_HASH_OFFSET,
	VERITY_OPT_DATA_BLOCKS,
	VERITY_OPT_NO_SUPERBLOCK,
	VERITY_OPT_FORMAT,
	VERITY_OPT_THREADS,
	VERITY_OPT_VERB,
};

/* The struct option entries of the geometry options format and verify both take. */
#define VERITY_GEOMETRY_OPTIONS                                                          \
	{ "hash", required_argument, NULL, VERITY_OPT_HASH },                            \
	{ "data-block-size", required_argument, NULL, VERITY_OPT_DATA_BLOCK_SIZE },      \
	{ "hash-block-size", required_argument, NULL, VERITY_OPT_HASH_BLOCK_SIZE },      \
	{ "salt", required_argument, NULL, VERITY_OPT_SALT },                            \
	{ "hash-offset", required_argument, NULL, VERITY_OPT_HASH_OFFSET },              \
	{ "data-blocks", required_argument, NULL, VERITY_OPT_DATA_BLOCKS },              \
	{ "no-superblock", no_argument, NULL, VERITY_OPT_NO_SUPERBLOCK },                \
	{ "format", required_argument, NULL, VERITY_OPT_FORMAT },                        \
	{ "threads", required_argument, NULL, VERITY_OPT_THREADS }

/**
 * verity_parse_option() - apply the option @c (a VERITY_OPT_* value returned by
 * getopt_long()) with the value @arg to @m, or to @threads for --threads
 * (NULL in a verb without it).
 * @ret_why: on -EINVAL, the end of the usage error "--NAME: 'ARG' is not ..."
 * Return: 1 applied, 0 when @c is not one of these options, -EINVAL.
 */
int verity_parse_option(int c, const char *arg, struct verity_manifest *m, unsigned *threads,
			const char **ret_why);

/*
 * Parsers for the option values shared by the verity verbs: a hash name
 * (sets hash_alg and digest_size), a block size (power of 2, 512..512K), a salt
 * (hex or "-"), a UUID, a root hash of @digest_size bytes in hex.
 * Return: 0 or -EINVAL.
 */
int verity_parse_alg(const char *s, struct verity_manifest *m);
int verity_parse_block_size(const char *s, uint32_t *ret);
int verity_parse_salt(const char *s, struct verity_manifest *m);
int verity_parse_uuid(const char *s, unsigned char uuid[16]);
int verity_parse_root_hash(const char *s, unsigned char *buf, uint32_t digest_size);

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
