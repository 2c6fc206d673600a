/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * Loading a certificate or private key for a verb: on failure one line naming
 * the file and what is wrong with it is logged, and -errno returned.
 */
#include <openssl/evp.h>
#include <openssl/x509.h>

int load_cert_logged(const char *path, X509 **ret);

/* Also checks, when @cert is non-NULL, that the key is the private half of @cert. */
int load_key_logged(const char *path, X509 *cert, const char *cert_path, EVP_PKEY **ret);
