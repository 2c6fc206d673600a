/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/* The one set of _cleanup_ helpers for OpenSSL objects (crypto/, verity/ and the programs). */
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "lib/macro.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(BIO *, BIO_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(BIO *, BIO_free_all);
DEFINE_TRIVIAL_CLEANUP_FUNC(BIGNUM *, BN_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(EVP_MD *, EVP_MD_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(EVP_PKEY *, EVP_PKEY_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(X509 *, X509_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(X509_EXTENSION *, X509_EXTENSION_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(PKCS7 *, PKCS7_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(ASN1_INTEGER *, ASN1_INTEGER_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(CMS_ContentInfo *, CMS_ContentInfo_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(EVP_PKEY_CTX *, EVP_PKEY_CTX_free);
/* The stack only: its certificates belong to someone else. */
DEFINE_TRIVIAL_CLEANUP_FUNC(STACK_OF(X509) *, sk_X509_free);

/* The stack and the certificates in it. */
static inline void sk_X509_free_all(STACK_OF(X509) *certs)
{
	sk_X509_pop_free(certs, X509_free);
}
DEFINE_TRIVIAL_CLEANUP_FUNC(STACK_OF(X509) *, sk_X509_free_all);

/* For buffers OpenSSL allocated, such as the output of i2d_*(obj, &NULL). */
static inline void openssl_freep(void *p)
{
	OPENSSL_free(*(void **)p);
}
