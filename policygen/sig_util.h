/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stddef.h>

#include <openssl/x509.h>

/* Root-hash text and signature encodings for sign-roothash. They never print. */

/**
 * sig_root_hash_normalize() - turn user input into the text the kernel checks.
 * Strips one trailing newline ("\n" or "\r\n"), lower-cases, and requires
 * hex digits only. Writes the result over @hex in place.
 * Return: 0, -EINVAL (empty, not hex, odd length or an embedded newline).
 */
int sig_root_hash_normalize(char *hex);

/**
 * sig_digest_size() - digest size in bytes of a dm-verity hash algorithm
 * (kernel crypto API name, e.g. "sha256", "sha3-256", "blake2b-512").
 * Return: the size, or 0 when the algorithm is unknown.
 */
size_t sig_digest_size(const char *alg);

/**
 * sig_guess_alg() - the algorithm assumed for a bare root hash of @hex_len hex
 * digits: the usual veritysetup algorithm of that size ("sha256" for 64).
 * Return: the name, or NULL when no supported digest has that size.
 */
const char *sig_guess_alg(size_t hex_len);

/* Lower-case hex SHA-256 of @cert's DER encoding into @out (65 bytes). Return: 0 or -errno. */
int sig_cert_fingerprint(X509 *cert, char out[65]);

/* Base64 of @buf without line breaks, malloc'd and NUL-terminated; NULL on ENOMEM/EFBIG. */
char *sig_base64(const void *buf, size_t len);
