/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/*
 * PKCS#7 SignedData as the project writes it: DER, content type pkcs7-data,
 * no signed attributes (so no signing time and no S/MIME capabilities, which
 * the kernel refuses), binary content (no MIME canonicalisation). IPE policies
 * are attached ("new_policy" format); dm-verity root-hash signatures are
 * detached over the lowercase hex root hash with no newline.
 *
 * All functions return 0 or -errno and never print. OpenSSL's error queue is
 * drained into -EBADMSG (bad signature / malformed) or -EIO.
 */

/**
 * pkcs7_sign() - sign @data with @key/@cert.
 * @attached: embed the content (IPE policy) or not (root-hash signature)
 * @include_cert: put @cert into the SignedData (false = --nocerts)
 * Return: 0 and a malloc'd DER blob in @ret_der/@ret_len (release with free()),
 *         or -errno.
 */
int pkcs7_sign(EVP_PKEY *key, X509 *cert, const void *data, size_t len, bool attached,
	       bool include_cert, unsigned char **ret_der, size_t *ret_len);

/**
 * pkcs7_verify() - pkcs7_kernel_verify() with @cert as the only trusted
 * certificate (crypto/pkcs7_verify.h). @detached/@detached_len give the
 * content of a detached signature (NULL for an attached one).
 * @ret_content: when non-NULL, receives a malloc'd copy of the signed content,
 *               followed by one NUL byte not counted in @ret_content_len.
 * Return: 0 valid, or the negative errno the kernel returns (-EKEYREJECTED
 *         mismatch, -ENOKEY no signer is @cert or chains to it, -EBADMSG
 *         malformed, ...), or -ENOMEM/-EFBIG.
 */
int pkcs7_verify(const void *der, size_t der_len, X509 *cert, const void *detached,
		 size_t detached_len, unsigned char **ret_content, size_t *ret_content_len);

/**
 * pkcs7_content() - the embedded content of an attached SignedData, unverified.
 * @ret_content is malloc'd and NUL-terminated like pkcs7_verify()'s.
 * Return: 0, -EBADMSG when @der is not a SignedData with attached content.
 */
int pkcs7_content(const void *der, size_t der_len, unsigned char **ret_content,
		  size_t *ret_content_len);

/* True when @buf starts like a DER SignedData (ASN.1 SEQUENCE + pkcs7-signedData OID). */
bool pkcs7_looks_like(const void *buf, size_t len);
