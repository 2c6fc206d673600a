/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stddef.h>

#include <openssl/x509.h>

/* Signature encodings for sign-roothash. They never print. */

/* Lower-case hex SHA-256 of @cert's DER encoding into @out (65 bytes). Return: 0 or -errno. */
int sig_cert_fingerprint(X509 *cert, char out[65]);

/* Base64 of @buf without line breaks, malloc'd and NUL-terminated; NULL on ENOMEM/EFBIG. */
char *sig_base64(const void *buf, size_t len);
