// SPDX-License-Identifier: GPL-2.0-only
/*
 * PKCS#7 SignedData in the one shape the project writes (DER, pkcs7-data, no
 * signed attributes, binary content), and reading its content. Verifying is
 * crypto/pkcs7_verify.c's, by the kernel's rules.
 */
#include <limits.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pkcs7.h>

#include "lib/macro.h"
#include "crypto/pkcs7.h"
#include "crypto/openssl_util.h"
#include "crypto/pkcs7_verify.h"

/* Largest content or signature handled in memory (policies are kilobytes). */
#define PKCS7_MAX_INPUT (64u << 20)

static int dup_bytes(const void *p, size_t len, unsigned char **ret, size_t *ret_len)
{
	/* One spare NUL byte so text content can be used as a C string. */
	unsigned char *copy = malloc(len + 1);

	if (!copy)
		return -ENOMEM;
	if (len)
		memcpy(copy, p, len);
	copy[len] = 0;
	*ret = copy;
	*ret_len = len;
	return 0;
}

static int do_sign(EVP_PKEY *key, X509 *cert, const void *data, size_t len, bool attached,
		   bool include_cert, unsigned char **ret_der, size_t *ret_len)
{
	_cleanup_(BIO_freep) BIO *in = NULL;
	_cleanup_(PKCS7_freep) PKCS7 *p7 = NULL;
	unsigned char *der = NULL;
	int flags, n, r;

	if (len > PKCS7_MAX_INPUT)
		return -EFBIG;
	in = BIO_new_mem_buf(len ? data : "", (int)len);
	if (!in)
		return -ENOMEM;

	/*
	 * No signed attributes (so no signing time: RSA output is reproducible),
	 * no S/MIME capabilities, and binary content: the kernel hashes the bytes
	 * as they are, a CRLF conversion would change what is signed.
	 */
	flags = PKCS7_BINARY | PKCS7_NOATTR | PKCS7_NOSMIMECAP;
	if (!attached)
		flags |= PKCS7_DETACHED;
	if (!include_cert)
		flags |= PKCS7_NOCERTS;

	p7 = PKCS7_sign(cert, key, NULL, in, flags);
	if (!p7)
		return -EBADMSG;
	n = i2d_PKCS7(p7, &der);
	if (n <= 0)
		return -EIO;
	r = dup_bytes(der, (size_t)n, ret_der, ret_len);
	OPENSSL_free(der);
	return r;
}

int pkcs7_sign(EVP_PKEY *key, X509 *cert, const void *data, size_t len, bool attached,
	       bool include_cert, unsigned char **ret_der, size_t *ret_len)
{
	int r = do_sign(key, cert, data, len, attached, include_cert, ret_der, ret_len);

	ERR_clear_error();
	return r;
}

/* Parse @der as a SignedData (PKCS#7 or CMS, any signer identifier) over pkcs7-data. */
static int parse_signed_data(const void *der, size_t der_len, CMS_ContentInfo **ret)
{
	const unsigned char *p = der;
	CMS_ContentInfo *cms;

	if (der_len == 0 || der_len > PKCS7_MAX_INPUT)
		return -EBADMSG;
	/*
	 * d2i takes any BER header (a high tag number form, lengths padded with
	 * zero bytes) that pkcs7_looks_like() and the kernel do not: callers
	 * tell signed from plain text by pkcs7_looks_like(), so both must agree.
	 * Bytes after the SignedData are ignored, as the kernel's decoder does.
	 */
	if (!pkcs7_looks_like(der, der_len))
		return -EBADMSG;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)der_len);
	if (!cms)
		return -EBADMSG;
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed ||
	    OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data) {
		CMS_ContentInfo_free(cms);
		return -EBADMSG;
	}
	*ret = cms;
	return 0;
}

int pkcs7_verify(const void *der, size_t der_len, X509 *cert, const void *detached,
		 size_t detached_len, unsigned char **ret_content, size_t *ret_content_len)
{
	_cleanup_(sk_X509_freep) STACK_OF(X509) *trusted = sk_X509_new_null();
	struct pkcs7_verdict v;
	int r;

	if (!trusted || !sk_X509_push(trusted, cert))
		return -ENOMEM;
	r = pkcs7_kernel_verify(der, der_len, detached, detached_len, trusted, &v);
	if (r < 0)
		return r;
	r = v.error;
	if (r == 0 && ret_content) {
		if (v.content) {
			*ret_content = TAKE_PTR(v.content);
			*ret_content_len = v.content_len;
		} else
			r = dup_bytes(detached, detached_len, ret_content, ret_content_len);
	}
	pkcs7_verdict_done(&v);
	return r;
}

int pkcs7_content(const void *der, size_t der_len, unsigned char **ret_content, size_t *ret_content_len)
{
	_cleanup_(CMS_ContentInfo_freep) CMS_ContentInfo *cms = NULL;
	ASN1_OCTET_STRING **content, *embedded;
	int r;

	r = parse_signed_data(der, der_len, &cms);
	ERR_clear_error();
	if (r < 0)
		return r;
	content = CMS_get0_content(cms);
	embedded = content ? *content : NULL;
	if (!embedded)
		return -EBADMSG;
	return dup_bytes(embedded->data, (size_t)embedded->length, ret_content, ret_content_len);
}

bool pkcs7_looks_like(const void *buf, size_t len)
{
	/* OBJECT IDENTIFIER 1.2.840.113549.1.7.2 (pkcs7-signedData) */
	static const unsigned char oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
					     0xf7, 0x0d, 0x01, 0x07, 0x02 };
	const unsigned char *p = buf;
	size_t off = 2;

	if (len < 2 || p[0] != 0x30)
		return false;
	if (p[1] & 0x80) {
		size_t n = p[1] & 0x7f; /* 0 = indefinite length (BER) */

		if (n > 4)
			return false;
		off += n;
	}
	return len >= off + sizeof(oid) && memcmp(p + off, oid, sizeof(oid)) == 0;
}
