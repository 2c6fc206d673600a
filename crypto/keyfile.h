/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

/**
 * key_load_private() - load a private key (PEM or DER).
 * Refuses a file that is group- or world-readable with -EACCES before reading
 * it, so a leaked key is noticed. Key material read is wiped from memory.
 * Encrypted keys are not supported (no passphrase prompt in build pipelines).
 * Return: 0, -EACCES (permissions), -EBADMSG (not a key), -EOPNOTSUPP
 *         (encrypted key), -errno.
 */
int key_load_private(const char *path, EVP_PKEY **ret);

/* Load an X.509 certificate, PEM or DER. Return: 0, -EBADMSG, -errno. */
int cert_load(const char *path, X509 **ret);

/* 0 when @key is the private half of @cert's public key, -EKEYREJECTED otherwise. */
int key_matches_cert(EVP_PKEY *key, X509 *cert);
