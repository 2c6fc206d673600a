// SPDX-License-Identifier: GPL-2.0-only
/*
 * sig-craft SHAPE CERT KEY CERT2 KEY2 IN OUT: an attached CMS SignedData over
 * IN (DER, binary), in a shape no openssl command line makes, for the kernel
 * to judge in tests/vm/sigs_test.sh. CERT2/KEY2 sign too where the shape has
 * two signers. SHAPE is one of:
 *   repeated-attr   two signingTime attributes; OpenSSL refuses to sign
 *                   that, so the second is signed as 1.2.840.113549.1.9.99
 *                   and renamed afterwards (which also breaks the signature:
 *                   the kernel refuses the repetition before it looks)
 *   unknown-attr    an attribute the kernel does not know (ignored by it)
 *   ms-opus-info    Microsoft's SpOpusInfo (Authenticode only)
 *   mixed-attrs     signer 1 with signed attributes, signer 2 without
 *   string-time     a signingTime that is a UTF8String
 * Exit 0, or 1 with a message.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

static X509 *load_cert(const char *path)
{
	FILE *f = fopen(path, "r");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;

	if (f)
		fclose(f);
	return x;
}

static EVP_PKEY *load_key(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;

	if (f)
		fclose(f);
	return k;
}

/* The OID 1.2.840.113549.1.9.99, one byte away from signingTime (…1.9.5). */
static const unsigned char time_like_oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
					       0xf7, 0x0d, 0x01, 0x09, 0x63 };

static int add_time_like(CMS_SignerInfo *si)
{
	ASN1_TIME *t = ASN1_UTCTIME_set(NULL, time(NULL));
	int ok = t && CMS_signed_add1_attr_by_txt(si, "1.2.840.113549.1.9.99", V_ASN1_UTCTIME, t, -1);

	ASN1_TIME_free(t);
	return ok;
}

/* Rename the time-like attribute of @der to signingTime. */
static int rename_time_like(unsigned char *der, int len)
{
	for (int i = 0; i + (int)sizeof(time_like_oid) <= len; i++)
		if (!memcmp(der + i, time_like_oid, sizeof(time_like_oid))) {
			der[i + sizeof(time_like_oid) - 1] = 0x05;
			return 1;
		}
	return 0;
}

int main(int argc, char **argv)
{
	const char *shape;
	X509 *cert, *cert2;
	EVP_PKEY *key, *key2;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	BIO *in;
	FILE *out;
	unsigned char *der = NULL;
	int len;
	unsigned flags = CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
	int ok;

	if (argc != 8) {
		fprintf(stderr, "usage: sig-craft SHAPE CERT KEY CERT2 KEY2 IN OUT\n");
		return 1;
	}
	shape = argv[1];
	cert = load_cert(argv[2]);
	key = load_key(argv[3]);
	cert2 = load_cert(argv[4]);
	key2 = load_key(argv[5]);
	in = BIO_new_file(argv[6], "rb");
	if (!cert || !key || !cert2 || !key2 || !in) {
		fprintf(stderr, "sig-craft: cannot read the certificates, keys or %s\n", argv[6]);
		return 1;
	}
	cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
	si = cms ? CMS_add1_signer(cms, cert, key, EVP_sha256(), flags) : NULL;
	ok = si != NULL;
	if (ok && !strcmp(shape, "repeated-attr"))
		ok = add_time_like(si);
	else if (ok && !strcmp(shape, "unknown-attr"))
		ok = CMS_signed_add1_attr_by_txt(si, "1.3.6.1.4.1.99999.7", MBSTRING_UTF8,
						 (const unsigned char *)"ipe-tools", -1);
	else if (ok && !strcmp(shape, "ms-opus-info"))
		ok = CMS_signed_add1_attr_by_txt(si, "1.3.6.1.4.1.311.2.1.12", MBSTRING_UTF8,
						 (const unsigned char *)"ipe-tools", -1);
	else if (ok && !strcmp(shape, "string-time"))
		ok = CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, MBSTRING_UTF8,
						 (const unsigned char *)"20260101000000Z", -1);
	else if (ok && !strcmp(shape, "mixed-attrs"))
		ok = CMS_add1_signer(cms, cert2, key2, EVP_sha256(), flags | CMS_NOATTR) != NULL;
	else if (ok) {
		fprintf(stderr, "sig-craft: unknown shape %s\n", shape);
		return 1;
	}
	ok = ok && CMS_final(cms, in, NULL, flags);
	len = ok ? i2d_CMS_ContentInfo(cms, &der) : 0;
	if (len > 0 && !strcmp(shape, "repeated-attr") && !rename_time_like(der, len))
		len = 0;
	out = len > 0 ? fopen(argv[7], "wb") : NULL;
	if (!out || fwrite(der, 1, (size_t)len, out) != (size_t)len || fclose(out) != 0) {
		fprintf(stderr, "sig-craft: %s: signing failed\n", shape);
		ERR_print_errors_fp(stderr);
		return 1;
	}
	OPENSSL_free(der);
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	return 0;
}
