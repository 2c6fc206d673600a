/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "verity/params.h"
#include "verity/tree.h"

struct json_object;

/*
 * The verity manifest: everything later steps (sign-roothash, generate, the
 * VM tests, Spectrum's build) need to know about one formatted image, as JSON.
 * Written by `format --manifest` and the `manifest` verb.
 *
 * JSON keys (stable; objects are written in this order):
 *   "manifest_version"   1
 *   "data_path", "hash_path"          as given on the command line: a string, or an
 *                                     array of byte values when not UTF-8 (json/json.h)
 *   "hash_algorithm"     "sha256" (kernel crypto API name, lower case)
 *   "format"             1 (normal) or 0 (Chrome OS)
 *   "data_block_size", "hash_block_size"   bytes
 *   "data_blocks"        number of data blocks the tree covers
 *   "hash_offset"        bytes: where the superblock (or the tree) starts in the hash file
 *   "hash_start"         the DM table's hash_start, in hash blocks
 *   "hash_blocks"        number of hash-tree blocks (superblock not counted)
 *   "superblock"         true/false
 *   "salt"               lowercase hex, "" when empty
 *   "uuid"               "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", null without a superblock
 *   "root_hash"          lowercase hex
 *   "data_size"          bytes covered: data_blocks * data_block_size
 *   "hash_size"          bytes from hash_offset to the end of the tree
 *   "dm_table"           "1 <data_dev> <hash_dev> <dbs> <hbs> <data_blocks> <hash_start> <alg> <root> <salt|->"
 *   "dm_table_sectors"   length of the DM target in 512-byte sectors
 *   "kernel_cmdline"     { "roothash": "roothash=<hex>",
 *                          "systemd.verity_root_data": "systemd.verity_root_data=<data_dev>",
 *                          "systemd.verity_root_hash": "systemd.verity_root_hash=<hash_dev>",
 *                          "systemd.verity_root_options": "systemd.verity_root_options=<opts>" }
 *   "partuuids"          { "root": <UUID of the first 128 bits of the root hash>,
 *                          "verity": <UUID of the last 128 bits> } (Discoverable Partitions)
 *   "veritysetup"        a `veritysetup format` command line reproducing the hash file
 *   "signatures"         [ { "path": ..., "format": ..., "sha256": <hex of the file> }, ... ]
 */

/* Read a manifest file. Return: 0, -EBADMSG (not a manifest), -errno. */
int manifest_load(const char *path, struct verity_params *ret);

/* Lowercase hex of the root hash into @out (2*DIGEST_MAX_SIZE+1 bytes). */
void manifest_root_hash_hex(const struct verity_params *m, char *out);

/**
 * manifest_add_signature() - record a root-hash signature file in the manifest
 * at @path (rewritten atomically): its path @sig_path, format and the SHA-256
 * of its @sig_len bytes @sig, which the caller writes there.
 * Return: 0, -EBADMSG (not a manifest: not one JSON object, trailing bytes),
 *         -errno.
 */
int manifest_add_signature(const char *path, const char *sig_path, const char *format,
			   const void *sig, size_t sig_len);

/* Flags for manifest_write(). */
#define MANIFEST_COMPACT 1u /* one line instead of pretty-printed */

/**
 * manifest_write() - write the manifest of @m to @path atomically ("-": stdout).
 * @data_dev, @hash_dev: device names for the DM table and the kernel command
 * line; NULL uses m->data_path / m->hash_path.
 * Return: 0 or -errno.
 */
int manifest_write(const char *path, const struct verity_params *m, const char *data_dev,
		   const char *hash_dev, unsigned flags);

/* The manifest's keys that describe the tree, for JSON that shares them (dump --json). */
enum manifest_field {
	MANIFEST_HASH_ALGORITHM,
	MANIFEST_FORMAT,
	MANIFEST_DATA_BLOCK_SIZE,
	MANIFEST_HASH_BLOCK_SIZE,
	MANIFEST_DATA_BLOCKS,
	MANIFEST_HASH_OFFSET,
	MANIFEST_HASH_START,
	MANIFEST_HASH_BLOCKS,
	MANIFEST_SUPERBLOCK,
	MANIFEST_SALT,
	MANIFEST_UUID,
	MANIFEST_ROOT_HASH,
	MANIFEST_DATA_SIZE,
	MANIFEST_HASH_SIZE,
};

/**
 * manifest_add_fields() - add @fields (in this order) of @m, laid out as @g,
 * to the JSON object @o, with the manifest's key names and value forms.
 * Return: 0, -ENOMEM, -EINVAL (not a field).
 */
int manifest_add_fields(struct json_object *o, const struct verity_params *m,
			const struct verity_geometry *g, const enum manifest_field *fields, size_t n);

/**
 * manifest_dm_table() - the DM verity table parameters as libcryptsetup builds
 * them. Return: a malloc'd string, or NULL on ENOMEM.
 */
char *manifest_dm_table(const struct verity_params *m, const char *data_dev, const char *hash_dev);

/**
 * manifest_partuuids() - the Discoverable Partitions PARTUUIDs of the root
 * hash: its first 128 bits (@root) and its last 128 bits (@verity), as UUIDs.
 */
void manifest_partuuids(const struct verity_params *m, char root[37], char verity[37]);
