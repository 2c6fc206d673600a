/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * The X.509 profile ipe-keys issues, and what the kernel makes of a
 * certificate: the key description it proposes and the hash it blacklists by.
 * Library code: returns 0 or -errno, never prints.
 */
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

enum key_algorithm {
	KEY_ALG_RSA3072,
	KEY_ALG_RSA4096,
	KEY_ALG_EC_P256,
	KEY_ALG_EC_P384,
};

/* "rsa3072", "rsa4096", "ec-p256", "ec-p384". Return: 0 or -EINVAL. */
int key_algorithm_from_string(const char *s, enum key_algorithm *ret);

/**
 * key_generate() - a new private key from the OpenSSL CSPRNG.
 * Return: 0 or -errno (-EIO when OpenSSL fails).
 */
int key_generate(enum key_algorithm alg, EVP_PKEY **ret);

struct cert_params {
	const char *cn; /* subject commonName (UTF-8) */
	unsigned days;  /* validity from @not_before */
	time_t not_before;
	bool ca;           /* CA:TRUE, keyCertSign|cRLSign; else a codeSigning leaf */
	X509 *issuer_cert; /* NULL: self-signed with @key */
	EVP_PKEY *issuer_key;
};

/**
 * cert_build() - issue an X.509 v3 certificate for @key.
 *
 * Leaf: basicConstraints CA:FALSE (critical), keyUsage digitalSignature
 * (critical), extendedKeyUsage codeSigning. CA: basicConstraints CA:TRUE
 * (critical), keyUsage keyCertSign|cRLSign (critical) - no digitalSignature,
 * as the kernel's CA_MACHINE_KEYRING_MAX restriction wants. Both carry
 * subject and authority key identifiers, a positive 127-bit random serial
 * and a SHA-256 signature.
 * Return: 0, -EINVAL (bad parameters), -EIO (OpenSSL failure), -ENOMEM.
 */
int cert_build(EVP_PKEY *key, const struct cert_params *p, X509 **ret);

/* Bits returned by cert_profile_problems(). */
#define CERT_EXPIRED (1u << 0)
#define CERT_NOT_YET_VALID (1u << 1)
#define CERT_NO_DIGITALSIG (1u << 2) /* keyUsage present without digitalSignature */
#define CERT_NO_CODESIGN (1u << 3)   /* extendedKeyUsage present without codeSigning */
#define CERT_NOT_CA (1u << 4)        /* no CA:TRUE or no keyCertSign */

/**
 * cert_profile_problems() - what UEFI/MOK tooling or a CA check may object to.
 * The kernel itself ignores validity dates and usages for signature checks.
 * Return: a mask of CERT_* bits.
 */
unsigned cert_profile_problems(X509 *cert, time_t now);

/**
 * cert_kernel_description() - the key description the kernel proposes for
 * @cert when it is added as an "asymmetric" key: "<name>: <SKID hex>", the
 * name fabricated from CN and O as x509_fabricate_name() does, the serial in
 * place of a missing SKID.
 * Return: 0 and a malloc'd string, or -errno.
 */
int cert_kernel_description(X509 *cert, char **ret);

/* "tbs:<hex>": how .blacklist names a revoked certificate. Return: 0 or -errno. */
int cert_blacklist_description(X509 *cert, char **ret);

/* Lowercase hex of the subject / authority key identifier; -ENODATA when absent. */
int cert_skid_hex(X509 *cert, char **ret);
int cert_akid_hex(X509 *cert, char **ret);

/* SHA-256 of the DER certificate, lowercase hex. Return: 0 or -errno. */
int cert_fingerprint_sha256(X509 *cert, char **ret);

/* RFC 2253 text of a name, malloc'd. Return: 0 or -ENOMEM. */
int x509_name_text(const X509_NAME *name, char **ret);

/* DER encoding of @cert. Return: 0 or -errno. */
int cert_to_der(X509 *cert, unsigned char **ret, size_t *ret_len);
