/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * The digest algorithms the project knows, one row each: what the kernel's
 * crypto API calls it (the name in policies, superblocks and DM tables), what
 * OpenSSL calls it (a string here, so that policy/ needs no libcrypto), its
 * size, and who accepts it. The one table: check, format, the signers and the
 * auditor all ask it.
 */

/* The largest digest in the table, in bytes (SHA-512, BLAKE2b-512). */
#define DIGEST_MAX_SIZE 64

struct digest_alg {
	const char *name;    /* kernel crypto API name, lower case: "sha256" */
	const char *openssl; /* for EVP_MD_fetch(): "SHA256" */
	size_t size;         /* bytes */
	bool ipe;       /* listed for dmverity_roothash in Documentation/admin-guide/LSM/ipe.rst */
	bool fs_verity; /* an fs-verity algorithm (fs/verity/hash_algs.c), so fsverity_digest too */
	bool dm_verity; /* veritysetup and dm-verity hash with it (the verity verbs accept it) */
	bool assumed;   /* taken for a bare root hash of its size (sign-roothash without --hash) */
};

/**
 * digest_alg_find() - the row of @name, compared exactly (the kernel compares
 * algorithm names byte for byte, so "SHA256" is not "sha256").
 * Return: the row, or NULL when @name is not in the table.
 */
const struct digest_alg *digest_alg_find(const char *name);

/**
 * digest_alg_assumed() - the algorithm taken for a bare digest of @size bytes
 * (sha1, sha224, sha256, sha384 or sha512, as veritysetup users mean them).
 * Return: the row, or NULL.
 */
const struct digest_alg *digest_alg_assumed(size_t size);
