// SPDX-License-Identifier: GPL-2.0-only
/* The one digest-algorithm table (policy/digest.h). */
#include "lib/macro.h"
#include "policy/digest.h"

/*
 * ipe: Documentation/admin-guide/LSM/ipe.rst lists these for dmverity_roothash;
 * the kernel's digest parser (security/ipe/digest.c) keeps any name, so a rule
 * with another one never matches. fs_verity: fs/verity/hash_algs.c.
 * dm_verity: the kernel crypto API hashes veritysetup is used with.
 */
/* A table reads best in columns. */
/* clang-format off */
static const struct digest_alg algs[] = {
	/* name          openssl        size  ipe    fs_verity dm_verity assumed */
	{ "sha1",        "SHA1",        20,   false, false,    true,     true },
	{ "sha224",      "SHA224",      28,   false, false,    true,     true },
	{ "sha256",      "SHA256",      32,   true,  true,     true,     true },
	{ "sha384",      "SHA384",      48,   true,  false,    true,     true },
	{ "sha512",      "SHA512",      64,   true,  true,     true,     true },
	{ "sha3-224",    "SHA3-224",    28,   true,  false,    true,     false },
	{ "sha3-256",    "SHA3-256",    32,   true,  false,    true,     false },
	{ "sha3-384",    "SHA3-384",    48,   true,  false,    true,     false },
	{ "sha3-512",    "SHA3-512",    64,   true,  false,    true,     false },
	{ "sm3",         "SM3",         32,   true,  false,    true,     false },
	{ "blake2b-512", "BLAKE2B-512", 64,   true,  false,    true,     false },
	{ "blake2s-256", "BLAKE2S-256", 32,   true,  false,    false,    false },
	{ "rmd160",      "RIPEMD160",   20,   true,  false,    false,    false },
};
/* clang-format on */

const struct digest_alg *digest_alg_find(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(algs); i++)
		if (streq(algs[i].name, name))
			return &algs[i];
	return NULL;
}

const struct digest_alg *digest_alg_assumed(size_t size)
{
	for (size_t i = 0; i < ELEMENTSOF(algs); i++)
		if (algs[i].assumed && algs[i].size == size)
			return &algs[i];
	return NULL;
}
