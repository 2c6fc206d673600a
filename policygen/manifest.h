/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdint.h>

/*
 * The verity manifest: everything later steps (sign-roothash, generate, the
 * VM tests, Spectrum's build) need to know about one formatted image, as JSON.
 * Written by `format --manifest` and the `manifest` verb.
 */

#define VERITY_MAX_DIGEST 64
#define VERITY_MAX_SALT 256

struct verity_manifest {
	char *data_path;           /* as given on the command line */
	char *hash_path;
	char hash_alg[32];         /* kernel crypto API name, lower case: "sha256" */
	uint32_t hash_type;        /* 1 (normal) or 0 (Chrome OS) */
	uint32_t data_block_size;
	uint32_t hash_block_size;
	uint64_t data_blocks;
	uint64_t hash_offset;      /* bytes: where the superblock (or tree) starts */
	uint64_t hash_start;       /* the table's hash_start, in hash blocks */
	unsigned char salt[VERITY_MAX_SALT];
	uint32_t salt_size;
	unsigned char uuid[16];    /* all zero with --no-superblock */
	unsigned char root_hash[VERITY_MAX_DIGEST];
	uint32_t digest_size;
};

/* Read a manifest file. Return: 0, -EBADMSG (not a manifest), -errno. */
int manifest_load(const char *path, struct verity_manifest *ret);

/* Lowercase hex of the root hash into @out (2*VERITY_MAX_DIGEST+1 bytes). */
void manifest_root_hash_hex(const struct verity_manifest *m, char *out);

/**
 * manifest_add_signature() - record a root-hash signature file in the manifest
 * at @path (rewritten atomically): its path, format and SHA-256.
 * Return: 0 or -errno.
 */
int manifest_add_signature(const char *path, const char *sig_path, const char *format);

void manifest_done(struct verity_manifest *m);
