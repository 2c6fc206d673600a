/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/*
 * The signing key of sign and sign-roothash: their shared options
 * (--key, --cert, --nocerts), loading, and signing. The functions log their
 * failures with the messages users act on, as a verb would, and return -errno.
 */

struct signer {
	const char *key_path;
	const char *cert_path;
	bool nocerts;
	EVP_PKEY *key;
	X509 *cert;
};

void signer_done(struct signer *s);

/* getopt_long() values of the signer options; a verb numbers its own from SIGNER_OPT_VERB on. */
enum {
	SIGNER_OPT_KEY = 0x100,
	SIGNER_OPT_CERT,
	SIGNER_OPT_NOCERTS,
	SIGNER_OPT_VERB,
};

#define SIGNER_OPTIONS                                                \
	{ "key", required_argument, NULL, SIGNER_OPT_KEY },           \
		{ "cert", required_argument, NULL, SIGNER_OPT_CERT }, \
	{                                                             \
		"nocerts", no_argument, NULL, SIGNER_OPT_NOCERTS      \
	}

/* Apply option @c with value @arg. Return: 1 applied, 0 when @c is not a signer option. */
int signer_parse_option(int c, const char *arg, struct signer *s);

/* A usage error (-EINVAL) unless both --key and --cert were given to @verb. */
int signer_check_usage(const struct signer *s, const char *verb);

/* Load the certificate and the key, and check that they belong together. Return: 0 or -errno. */
int signer_load(struct signer *s);

/**
 * signer_sign() - pkcs7_sign() @data, then pkcs7_kernel_verify() the result
 * as the kernel will, with the certificate as the keyring, so no signature
 * leaves the process unchecked.
 * @attached: embed @data (an IPE policy) or not (a root hash)
 * @what: the name of @data, for messages
 * Return: 0 and a malloc'd DER blob, EXIT_NEGATIVE when the kernel would
 *         refuse the signature (too large, a certificate it cannot parse), or -errno.
 */
int signer_sign(const struct signer *s, const void *data, size_t len, bool attached,
		const char *what, unsigned char **ret_der, size_t *ret_len);
