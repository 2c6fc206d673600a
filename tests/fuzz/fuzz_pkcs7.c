// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the PKCS#7 handling of signed policies and root-hash
 * signatures, against one test certificate made at start-up. Invariants:
 * whatever pkcs7_content() takes, pkcs7_looks_like() recognises; verifying
 * returns only the documented errors; a signature that verifies attached has
 * that content and none detached, and the other way round.
 *
 * With FUZZ_SEED_DIR set, start-up also writes signatures by the test
 * certificate there (attached and detached, with and without it), so the
 * fuzzer starts from blobs that verify.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "lib/macro.h"
#include "crypto/pkcs7.h"
#include "tests/fuzz/fuzz.h"

/* What a detached signature is over: a root hash in lowercase hex. */
static const char root_hash[] = "7d2d8a7ec2b4ec1c33b7dbfe39c7e1fc1d5e4f1d0b1bc23dc0d2ab4e0c4ad9b4";
static const char policy[] = "policy_name=fuzz policy_version=0.0.0\nDEFAULT action=ALLOW\n";

static X509 *cert;

static EVP_PKEY *make_key(void)
{
	/* P-256: signing the seeds is quick, and so is each verification. */
	EVP_PKEY *key = EVP_EC_gen("P-256");

	REQUIRE(key);
	return key;
}

static X509 *make_cert(EVP_PKEY *key)
{
	X509 *x = X509_new();
	X509_NAME *name;

	REQUIRE(x);
	REQUIRE(X509_set_version(x, X509_VERSION_3));
	REQUIRE(ASN1_INTEGER_set(X509_get_serialNumber(x), 4711));
	name = X509_get_subject_name(x);
	REQUIRE(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					   (const unsigned char *)"ipe-tools fuzz", -1, -1, 0));
	REQUIRE(X509_set_issuer_name(x, name));
	REQUIRE(X509_gmtime_adj(X509_getm_notBefore(x), 0));
	REQUIRE(X509_gmtime_adj(X509_getm_notAfter(x), 3600));
	REQUIRE(X509_set_pubkey(x, key));
	REQUIRE(X509_sign(x, key, EVP_sha256()) > 0);
	return x;
}

static void write_seeds(EVP_PKEY *key, const char *dir)
{
	static const struct {
		const char *name;
		bool attached, include_cert;
	} seeds[] = {
		{ "attached", true, true },
		{ "attached-nocerts", true, false },
		{ "detached", false, true },
		{ "detached-nocerts", false, false },
	};

	for (size_t i = 0; i < ELEMENTSOF(seeds); i++) {
		const char *content = seeds[i].attached ? policy : root_hash;
		unsigned char *der;
		size_t len;

		REQUIRE(pkcs7_sign(key, cert, content, strlen(content), seeds[i].attached,
				   seeds[i].include_cert, &der, &len) == 0);
		fuzz_write_seed(dir, seeds[i].name, der, len);
		free(der);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_SEED_DIR");
	EVP_PKEY *key;

	(void)argc;
	(void)argv;
	key = make_key();
	cert = make_cert(key);
	if (dir)
		write_seeds(key, dir);
	EVP_PKEY_free(key);
	ERR_clear_error();
	return 0;
}

static bool verify_errno_ok(int r)
{
	/* The kernel's answers (crypto/pkcs7_verify.h), or a limit of ours. */
	return r == 0 || r == -EBADMSG || r == -ENOKEY || r == -EKEYREJECTED || r == -EINVAL ||
	       r == -ENOPKG || r == -ENODATA || r == -EFBIG || r == -ENOMEM || r == -EOPNOTSUPP;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ unsigned char *content = NULL, *attached = NULL, *detached = NULL;
	size_t content_len = 0, attached_len = 0, detached_len = 0;
	bool looks;
	int rc, ra, rd;

	looks = pkcs7_looks_like(data, size);
	rc = pkcs7_content(data, size, &content, &content_len);
	REQUIRE(rc == 0 || rc == -EBADMSG || rc == -ENOMEM);
	if (rc == 0) {
		REQUIRE(looks);
		REQUIRE(content[content_len] == 0);
	}

	ra = pkcs7_verify(data, size, cert, NULL, 0, &attached, &attached_len);
	REQUIRE(verify_errno_ok(ra));
	if (ra == 0) {
		REQUIRE(rc == 0);
		REQUIRE(attached_len == content_len && memcmp(attached, content, content_len) == 0);
		REQUIRE(attached[attached_len] == 0);
	}

	rd = pkcs7_verify(data, size, cert, root_hash, strlen(root_hash), &detached, &detached_len);
	REQUIRE(verify_errno_ok(rd));
	if (rd == 0) {
		REQUIRE(ra != 0 && rc != 0);
		REQUIRE(looks);
		REQUIRE(detached_len == strlen(root_hash) && streq((char *)detached, root_hash));
	}

	/* Every call leaves OpenSSL's error queue empty. */
	REQUIRE(ERR_peek_error() == 0);
	return 0;
}
