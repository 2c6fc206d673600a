// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "lib/fileio.h"
#include "lib/macro.h"
#include "crypto/keyfile.h"
#include "crypto/pkcs7.h"
#include "crypto/pkcs7_verify.h"
#include "tests/harness.h"

static const char roothash[] = "4f1a8b2c9d0e3f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c";
static const char policy[] = "policy_name=test policy_version=0.0.1\nDEFAULT action=ALLOW\r\n";

/* A self-signed certificate made in memory; RSA-1024 keeps key generation fast. */
static void make_cert_with(EVP_PKEY *key, const char *cn, long serial, EVP_PKEY **ret_key,
			   X509 **ret_cert)
{
	X509 *cert = X509_new();
	X509_NAME *name;

	ASSERT_TRUE(key && cert);
	ASSERT_TRUE(X509_set_version(cert, 2));
	ASSERT_TRUE(ASN1_INTEGER_set(X509_get_serialNumber(cert), serial));
	ASSERT_TRUE(X509_gmtime_adj(X509_getm_notBefore(cert), 0));
	ASSERT_TRUE(X509_gmtime_adj(X509_getm_notAfter(cert), 3600));
	ASSERT_TRUE(X509_set_pubkey(cert, key));
	name = X509_get_subject_name(cert);
	ASSERT_TRUE(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn,
					       -1, -1, 0));
	ASSERT_TRUE(X509_set_issuer_name(cert, name));
	ASSERT_TRUE(X509_sign(cert, key, EVP_sha256()) > 0);
	*ret_key = key;
	*ret_cert = cert;
}

static void make_cert(const char *cn, long serial, EVP_PKEY **ret_key, X509 **ret_cert)
{
	make_cert_with(EVP_RSA_gen(1024), cn, serial, ret_key, ret_cert);
}

static void tmp_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", test_tmp_dir(), name);
}

static void write_key_pem(const char *path, EVP_PKEY *key, mode_t mode, bool encrypt)
{
	FILE *f = fopen(path, "w");

	ASSERT_TRUE(f);
	ASSERT_EQ(chmod(path, mode), 0);
	if (encrypt)
		ASSERT_TRUE(PEM_write_PKCS8PrivateKey(f, key, EVP_aes_256_cbc(), "pw", 2, NULL, NULL));
	else
		ASSERT_TRUE(PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL));
	ASSERT_EQ(fclose(f), 0);
}

TEST(detached_roundtrip_and_reproducible)
{
	EVP_PKEY *key;
	X509 *cert;
	_cleanup_free_ unsigned char *a = NULL, *b = NULL, *content = NULL;
	size_t alen, blen, clen;

	make_cert_with(EVP_RSA_gen(2048), "signer", 1, &key, &cert);
	ASSERT_OK(pkcs7_sign(key, cert, roothash, strlen(roothash), false, false, &a, &alen));
	ASSERT_OK(pkcs7_sign(key, cert, roothash, strlen(roothash), false, false, &b, &blen));
	/* No signing time and RSA PKCS#1 v1.5: the same inputs give the same bytes. */
	ASSERT_EQ(alen, blen);
	ASSERT_MEMEQ(a, b, alen);
	ASSERT_TRUE(pkcs7_looks_like(a, alen));

	ASSERT_OK(pkcs7_verify(a, alen, cert, roothash, strlen(roothash), &content, &clen));
	ASSERT_EQ(clen, strlen(roothash));
	ASSERT_MEMEQ(content, roothash, clen);
	ASSERT_EQ(content[clen], 0);
	/* A detached signature has no content of its own. */
	free(TAKE_PTR(content));
	ASSERT_EQ(pkcs7_content(a, alen, &content, &clen), -EBADMSG);
	/* ...and must be given one: the kernel checks it against empty content. */
	ASSERT_EQ(pkcs7_verify(a, alen, cert, NULL, 0, NULL, NULL), -EKEYREJECTED);
}

TEST(detached_no_signed_attributes)
{
	EVP_PKEY *key;
	X509 *cert;
	_cleanup_free_ unsigned char *der = NULL;
	const unsigned char *p;
	PKCS7 *p7;
	PKCS7_SIGNER_INFO *si;
	size_t len;

	make_cert("signer", 1, &key, &cert);
	ASSERT_OK(pkcs7_sign(key, cert, roothash, strlen(roothash), false, false, &der, &len));
	p = der;
	p7 = d2i_PKCS7(NULL, &p, (long)len);
	ASSERT_TRUE(p7);
	ASSERT_TRUE(PKCS7_type_is_signed(p7));
	ASSERT_TRUE(PKCS7_type_is_data(p7->d.sign->contents));
	ASSERT_TRUE(p7->d.sign->contents->d.data == NULL);
	ASSERT_TRUE(sk_X509_num(p7->d.sign->cert) <= 0); /* include_cert = false */
	ASSERT_EQ(sk_PKCS7_SIGNER_INFO_num(PKCS7_get_signer_info(p7)), 1);
	si = sk_PKCS7_SIGNER_INFO_value(PKCS7_get_signer_info(p7), 0);
	ASSERT_TRUE(sk_X509_ATTRIBUTE_num(si->auth_attr) <= 0);
	PKCS7_free(p7);
}

TEST(detached_tampering_fails)
{
	EVP_PKEY *key;
	X509 *cert;
	_cleanup_free_ unsigned char *der = NULL;
	char other[sizeof(roothash)];
	size_t len;

	make_cert("signer", 1, &key, &cert);
	ASSERT_OK(pkcs7_sign(key, cert, roothash, strlen(roothash), false, true, &der, &len));

	memcpy(other, roothash, sizeof(roothash));
	other[10] ^= 1;
	/* A mismatch is what public_key_verify_signature() says: -EKEYREJECTED. */
	ASSERT_EQ(pkcs7_verify(der, len, cert, other, strlen(other), NULL, NULL), -EKEYREJECTED);
	/* Uppercase hex or a trailing newline is different content. */
	ASSERT_EQ(pkcs7_verify(der, len, cert, roothash, strlen(roothash) - 1, NULL, NULL),
		  -EKEYREJECTED);

	/* The last bytes of the DER are the RSA signature value. */
	der[len - 1] ^= 0x01;
	ASSERT_EQ(pkcs7_verify(der, len, cert, roothash, strlen(roothash), NULL, NULL), -EKEYREJECTED);
	der[len - 1] ^= 0x01;
	ASSERT_OK(pkcs7_verify(der, len, cert, roothash, strlen(roothash), NULL, NULL));

	/* Truncated or with trailing garbage: malformed. */
	ASSERT_EQ(pkcs7_verify(der, len - 1, cert, roothash, strlen(roothash), NULL, NULL), -EBADMSG);
	ASSERT_EQ(pkcs7_verify("\x30\x03\x02\x01\x01", 5, cert, roothash, strlen(roothash), NULL, NULL),
		  -EBADMSG);
	ASSERT_TRUE(ERR_peek_error() == 0);
}

TEST(attached_policy_roundtrip)
{
	EVP_PKEY *key;
	X509 *cert;
	_cleanup_free_ unsigned char *der = NULL, *content = NULL, *raw = NULL;
	size_t len, clen, rlen;

	make_cert("signer", 7, &key, &cert);
	ASSERT_OK(pkcs7_sign(key, cert, policy, strlen(policy), true, true, &der, &len));
	ASSERT_OK(pkcs7_verify(der, len, cert, NULL, 0, &content, &clen));
	/* Binary: the CRLF and LF in the text come back exactly as signed. */
	ASSERT_EQ(clen, strlen(policy));
	ASSERT_MEMEQ(content, policy, clen);
	ASSERT_OK(pkcs7_content(der, len, &raw, &rlen));
	ASSERT_EQ(rlen, clen);
	ASSERT_MEMEQ(raw, policy, rlen);
	/* Attached content plus detached data is refused, as by the kernel. */
	ASSERT_EQ(pkcs7_verify(der, len, cert, policy, strlen(policy), NULL, NULL), -EBADMSG);
}

TEST(attached_tampered_content_fails)
{
	EVP_PKEY *key;
	X509 *cert;
	_cleanup_free_ unsigned char *der = NULL;
	unsigned char *hit;
	size_t len;

	make_cert("signer", 7, &key, &cert);
	ASSERT_OK(pkcs7_sign(key, cert, policy, strlen(policy), true, false, &der, &len));
	hit = memmem(der, len, "DEFAULT", 7);
	ASSERT_TRUE(hit);
	hit[0] = 'd';
	ASSERT_EQ(pkcs7_verify(der, len, cert, NULL, 0, NULL, NULL), -EKEYREJECTED);
}

TEST(other_signer_is_enokey)
{
	EVP_PKEY *key, *key2;
	X509 *cert, *cert2, *cert3;
	_cleanup_free_ unsigned char *der = NULL;
	size_t len;

	make_cert("signer", 1, &key, &cert);
	make_cert("someone else", 2, &key2, &cert2);
	ASSERT_OK(pkcs7_sign(key, cert, policy, strlen(policy), true, true, &der, &len));
	/* The embedded certificate is not trusted instead of the one given. */
	ASSERT_EQ(pkcs7_verify(der, len, cert2, NULL, 0, NULL, NULL), -ENOKEY);
	/* Same issuer and serial but another key: found, and the signature fails. */
	make_cert("signer", 1, &key2, &cert3);
	ASSERT_EQ(pkcs7_verify(der, len, cert3, NULL, 0, NULL, NULL), -EKEYREJECTED);
}

TEST(signed_attributes_are_checked)
{
	EVP_PKEY *key;
	X509 *cert;
	BIO *in;
	PKCS7 *p7;
	unsigned char *der = NULL;
	char other[sizeof(roothash)];
	int len;

	/*
	 * What `openssl smime -sign` makes by default: contentType, signingTime,
	 * messageDigest and S/MIME capabilities, which pkcs7_sig_note_authenticated_attr()
	 * refuses outside Authenticode (issue 12, field case 1).
	 */
	make_cert("signer", 1, &key, &cert);
	in = BIO_new_mem_buf(roothash, (int)strlen(roothash));
	p7 = PKCS7_sign(cert, key, NULL, in, PKCS7_BINARY | PKCS7_DETACHED);
	ASSERT_TRUE(p7);
	len = i2d_PKCS7(p7, &der);
	ASSERT_TRUE(len > 0);
	ASSERT_EQ(pkcs7_verify(der, (size_t)len, cert, roothash, strlen(roothash), NULL, NULL),
		  -EKEYREJECTED);
	OPENSSL_free(der);
	der = NULL;
	PKCS7_free(p7);
	BIO_free(in);

	/* Without S/MIME capabilities the kernel takes them, and checks the message digest. */
	in = BIO_new_mem_buf(roothash, (int)strlen(roothash));
	p7 = PKCS7_sign(cert, key, NULL, in, PKCS7_BINARY | PKCS7_DETACHED | PKCS7_NOSMIMECAP);
	ASSERT_TRUE(p7);
	len = i2d_PKCS7(p7, &der);
	ASSERT_TRUE(len > 0);
	ASSERT_OK(pkcs7_verify(der, (size_t)len, cert, roothash, strlen(roothash), NULL, NULL));
	memcpy(other, roothash, sizeof(roothash));
	other[0] = '5';
	ASSERT_EQ(pkcs7_verify(der, (size_t)len, cert, other, strlen(other), NULL, NULL),
		  -EKEYREJECTED);
	OPENSSL_free(der);
	PKCS7_free(p7);
	BIO_free(in);
}

TEST(looks_like)
{
	static const unsigned char sd[] = { 0x30, 0x82, 0x01, 0x00, 0x06, 0x09, 0x2a, 0x86,
					    0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
	static const unsigned char data_oid[] = { 0x30, 0x82, 0x01, 0x00, 0x06, 0x09, 0x2a, 0x86,
						  0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01 };

	ASSERT_TRUE(pkcs7_looks_like(sd, sizeof(sd)));
	ASSERT_TRUE(!pkcs7_looks_like(sd, sizeof(sd) - 1));
	ASSERT_TRUE(!pkcs7_looks_like(data_oid, sizeof(data_oid)));
	ASSERT_TRUE(!pkcs7_looks_like(policy, strlen(policy)));
	ASSERT_TRUE(!pkcs7_looks_like("", 0));
}

/*
 * OpenSSL's d2i also takes a BER header the kernel refuses: a high tag number
 * form, or a length padded with zero bytes to more than 4. Such a blob must
 * not be a signed policy to pkcs7_content()/pkcs7_verify() while
 * pkcs7_looks_like() calls it plain text (found by tests/fuzz/fuzz_pkcs7.c).
 */
TEST(content_only_where_looks_like)
{
	EVP_PKEY *key;
	X509 *cert;
	_cleanup_free_ unsigned char *der = NULL, *padded = NULL, *high_tag = NULL, *content = NULL;
	size_t len, clen;

	make_cert("signer", 7, &key, &cert);
	ASSERT_OK(pkcs7_sign(key, cert, policy, strlen(policy), true, true, &der, &len));
	ASSERT_TRUE(der[0] == 0x30 && der[1] == 0x82);

	/* 30 85 00 00 00 LL LL: the same length, in five bytes. */
	padded = malloc(len + 3);
	ASSERT_TRUE(padded);
	memcpy(padded, "\x30\x85\x00\x00\x00", 5);
	memcpy(padded + 5, der + 2, len - 2);
	ASSERT_TRUE(!pkcs7_looks_like(padded, len + 3));
	ASSERT_EQ(pkcs7_content(padded, len + 3, &content, &clen), -EBADMSG);
	ASSERT_EQ(pkcs7_verify(padded, len + 3, cert, NULL, 0, NULL, NULL), -EBADMSG);

	/* 3f 10: SEQUENCE in the high tag number form. */
	high_tag = malloc(len + 1);
	ASSERT_TRUE(high_tag);
	memcpy(high_tag, "\x3f\x10", 2);
	memcpy(high_tag + 2, der + 1, len - 1);
	ASSERT_TRUE(!pkcs7_looks_like(high_tag, len + 1));
	ASSERT_EQ(pkcs7_content(high_tag, len + 1, &content, &clen), -EBADMSG);
	ASSERT_EQ(pkcs7_verify(high_tag, len + 1, cert, NULL, 0, NULL, NULL), -EBADMSG);

	ASSERT_TRUE(pkcs7_looks_like(der, len));
	ASSERT_OK(pkcs7_content(der, len, &content, &clen));
	ASSERT_TRUE(ERR_peek_error() == 0);
}

TEST(key_load_pem_der_and_match)
{
	EVP_PKEY *key, *key2, *loaded = NULL, *loaded_der = NULL;
	X509 *cert, *cert2, *c_pem = NULL, *c_der = NULL;
	char kpath[256], kder[256], cpem[256], cder[256];
	unsigned char *buf = NULL;
	int n;
	FILE *f;

	make_cert("signer", 1, &key, &cert);
	make_cert("other", 2, &key2, &cert2);
	tmp_path(kpath, sizeof(kpath), "key.pem");
	tmp_path(kder, sizeof(kder), "key.der");
	tmp_path(cpem, sizeof(cpem), "cert.pem");
	tmp_path(cder, sizeof(cder), "cert.der");

	write_key_pem(kpath, key, 0600, false);
	n = i2d_PrivateKey(key, &buf);
	ASSERT_TRUE(n > 0);
	ASSERT_OK(write_file_atomic(kder, buf, (size_t)n, 0400, 0));
	OPENSSL_free(buf);
	buf = NULL;
	f = fopen(cpem, "w");
	ASSERT_TRUE(f && PEM_write_X509(f, cert));
	fclose(f);
	n = i2d_X509(cert, &buf);
	ASSERT_TRUE(n > 0);
	ASSERT_OK(write_file_atomic(cder, buf, (size_t)n, 0644, 0));
	OPENSSL_free(buf);

	ASSERT_EQ(prctl(PR_GET_DUMPABLE), 1);
	ASSERT_OK(key_load_private(kpath, &loaded));
	/* No core dump of a process that holds a private key. */
	ASSERT_EQ(prctl(PR_GET_DUMPABLE), 0);
	ASSERT_OK(key_load_private(kder, &loaded_der));
	ASSERT_OK(cert_load(cpem, &c_pem));
	ASSERT_OK(cert_load(cder, &c_der));
	ASSERT_EQ(X509_cmp(c_pem, cert), 0);
	ASSERT_EQ(X509_cmp(c_der, cert), 0);
	ASSERT_OK(key_matches_cert(loaded, c_pem));
	ASSERT_OK(key_matches_cert(loaded_der, c_der));
	ASSERT_EQ(key_matches_cert(loaded, cert2), -EKEYREJECTED);
	ASSERT_EQ(key_matches_cert(key2, c_der), -EKEYREJECTED);
	ASSERT_TRUE(ERR_peek_error() == 0);
}

TEST(key_refused_when_readable_by_others)
{
	EVP_PKEY *key, *loaded = NULL;
	X509 *cert;
	char path[256];

	make_cert("signer", 1, &key, &cert);
	tmp_path(path, sizeof(path), "loose.pem");
	write_key_pem(path, key, 0640, false);
	ASSERT_EQ(key_load_private(path, &loaded), -EACCES);
	ASSERT_EQ(chmod(path, 0604), 0);
	ASSERT_EQ(key_load_private(path, &loaded), -EACCES);
	ASSERT_EQ(chmod(path, 0620), 0);
	ASSERT_EQ(key_load_private(path, &loaded), -EACCES);
	ASSERT_TRUE(loaded == NULL);
	ASSERT_EQ(chmod(path, 0600), 0);
	ASSERT_OK(key_load_private(path, &loaded));
}

TEST(key_encrypted_or_garbage)
{
	EVP_PKEY *key, *loaded = NULL;
	X509 *cert = NULL;
	char path[256], junk[256], empty[256];

	make_cert("signer", 1, &key, &cert);
	tmp_path(path, sizeof(path), "enc.pem");
	tmp_path(junk, sizeof(junk), "junk");
	tmp_path(empty, sizeof(empty), "empty");
	write_key_pem(path, key, 0600, true);
	ASSERT_EQ(key_load_private(path, &loaded), -EOPNOTSUPP);
	ASSERT_OK(write_file_atomic(junk, "not a key\n", 10, 0600, 0));
	ASSERT_EQ(key_load_private(junk, &loaded), -EBADMSG);
	ASSERT_OK(write_file_atomic(empty, "", 0, 0600, 0));
	ASSERT_EQ(key_load_private(empty, &loaded), -EBADMSG);
	ASSERT_EQ(key_load_private("/nonexistent/key", &loaded), -ENOENT);
	ASSERT_TRUE(loaded == NULL);
	cert = NULL;
	ASSERT_EQ(cert_load(junk, &cert), -EBADMSG);
	ASSERT_EQ(cert_load(empty, &cert), -EBADMSG);
	ASSERT_TRUE(cert == NULL);
}

TEST(ecdsa_p256)
{
	EVP_PKEY *key;
	X509 *cert;
	_cleanup_free_ unsigned char *der = NULL;
	size_t len;

	make_cert_with(EVP_EC_gen("P-256"), "ec signer", 3, &key, &cert);
	ASSERT_OK(pkcs7_sign(key, cert, policy, strlen(policy), true, false, &der, &len));
	ASSERT_OK(pkcs7_verify(der, len, cert, NULL, 0, NULL, NULL));
	free(TAKE_PTR(der));
	ASSERT_OK(pkcs7_sign(key, cert, roothash, strlen(roothash), false, false, &der, &len));
	ASSERT_OK(pkcs7_verify(der, len, cert, roothash, strlen(roothash), NULL, NULL));
	ASSERT_EQ(pkcs7_verify(der, len, cert, policy, strlen(policy), NULL, NULL), -EKEYREJECTED);
}

/* A CMS SignedData over @data by @key/@cert with OpenSSL's defaults and @flags, DER. */
static unsigned char *cms_sign(EVP_PKEY *key, X509 *cert, const char *data, unsigned flags,
			       size_t *ret_len)
{
	BIO *in = BIO_new_mem_buf(data, (int)strlen(data));
	CMS_ContentInfo *cms = CMS_sign(cert, key, NULL, in, CMS_BINARY | flags);
	unsigned char *der = NULL;
	int len;

	ASSERT_TRUE(cms);
	len = i2d_CMS_ContentInfo(cms, &der);
	ASSERT_TRUE(len > 0);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	*ret_len = (size_t)len;
	return der;
}

static STACK_OF(X509) *trust(X509 *cert)
{
	STACK_OF(X509) *certs = sk_X509_new_null();

	ASSERT_TRUE(certs && sk_X509_push(certs, cert));
	return certs;
}

/* Issue 12, field case 1: S/MIME capabilities, what `openssl smime -sign` adds by default. */
TEST(kernel_verify_smime_capabilities_refused)
{
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) *t;
	struct pkcs7_verdict v;
	unsigned char *der;
	size_t len;

	make_cert("signer", 21, &key, &cert);
	t = trust(cert);
	der = cms_sign(key, cert, policy, 0, &len);
	ASSERT_OK(pkcs7_kernel_verify(der, len, NULL, 0, t, &v));
	ASSERT_EQ(v.error, -EKEYREJECTED);
	ASSERT_EQ(v.signer, 1u);
	ASSERT_TRUE(strstr(v.why, "S/MIME capabilities") != NULL);
	ASSERT_TRUE(strstr(v.fix, "-nosmimecap") != NULL);
	ASSERT_TRUE(v.content == NULL);
	pkcs7_verdict_done(&v);
	OPENSSL_free(der);

	/* The same without them: accepted, the content handed out, trusted through @cert. */
	der = cms_sign(key, cert, policy, CMS_NOSMIMECAP, &len);
	ASSERT_OK(pkcs7_kernel_verify(der, len, NULL, 0, t, &v));
	ASSERT_EQ(v.error, 0);
	ASSERT_TRUE(v.trusted_by == cert);
	ASSERT_EQ(v.content_len, strlen(policy));
	ASSERT_MEMEQ(v.content, policy, v.content_len);
	pkcs7_verdict_done(&v);
	/* Without a keyring: only the structure is judged. */
	ASSERT_OK(pkcs7_kernel_verify(der, len, NULL, 0, NULL, &v));
	ASSERT_EQ(v.error, 0);
	ASSERT_TRUE(v.trusted_by == NULL);
	pkcs7_verdict_done(&v);
	OPENSSL_free(der);
	sk_X509_free(t);
}

/* Issue 12, field case 2: the signer named by subject key identifier (cms -keyid, sign-file -k). */
TEST(kernel_verify_subject_key_identifier)
{
	EVP_PKEY *key, *key2;
	X509 *cert, *cert2;
	X509_EXTENSION *ext;
	X509V3_CTX v3;
	STACK_OF(X509) *t;
	struct pkcs7_verdict v;
	unsigned char *der;
	size_t len;

	make_cert("keyid signer", 22, &key, &cert);
	X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_key_identifier, "hash");
	ASSERT_TRUE(ext && X509_add_ext(cert, ext, -1));
	X509_EXTENSION_free(ext);
	ASSERT_TRUE(X509_sign(cert, key, EVP_sha256()) > 0);
	t = trust(cert);

	der = cms_sign(key, cert, roothash, CMS_DETACHED | CMS_NOATTR | CMS_USE_KEYID, &len);
	ASSERT_OK(pkcs7_kernel_verify(der, len, roothash, strlen(roothash), t, &v));
	ASSERT_EQ(v.error, 0);
	ASSERT_TRUE(v.trusted_by == cert);
	pkcs7_verdict_done(&v);
	ASSERT_OK(pkcs7_kernel_verify(der, len, "0", 1, t, &v));
	ASSERT_EQ(v.error, -EKEYREJECTED);
	pkcs7_verdict_done(&v);
	/* Another certificate: the key id names nobody trusted. */
	make_cert("someone else", 23, &key2, &cert2);
	sk_X509_free(t);
	t = trust(cert2);
	ASSERT_OK(pkcs7_kernel_verify(der, len, roothash, strlen(roothash), t, &v));
	ASSERT_EQ(v.error, -ENOKEY);
	pkcs7_verdict_done(&v);
	OPENSSL_free(der);

	/* Attached, with the certificate in the message too: still found only in the keyring. */
	der = cms_sign(key, cert, policy, CMS_NOATTR | CMS_USE_KEYID, &len);
	ASSERT_OK(pkcs7_kernel_verify(der, len, NULL, 0, t, &v));
	ASSERT_EQ(v.error, -ENOKEY);
	pkcs7_verdict_done(&v);
	OPENSSL_free(der);
	sk_X509_free(t);
}

/* lib/asn1_decoder.c: at most 65535 bytes, and lengths in at most two bytes. */
TEST(kernel_verify_decoder_limits)
{
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) *t;
	struct pkcs7_verdict v;
	unsigned char *der, *big, *wide;
	size_t len;

	make_cert("signer", 24, &key, &cert);
	t = trust(cert);
	der = cms_sign(key, cert, policy, CMS_NOATTR, &len);
	ASSERT_TRUE(der[0] == 0x30 && der[1] == 0x82);

	/* Trailing bytes are not decoded, but count towards the size. */
	big = calloc(65536, 1);
	ASSERT_TRUE(big);
	memcpy(big, der, len);
	ASSERT_OK(pkcs7_kernel_verify(big, 65535, NULL, 0, t, &v));
	ASSERT_EQ(v.error, 0);
	pkcs7_verdict_done(&v);
	ASSERT_OK(pkcs7_kernel_verify(big, 65536, NULL, 0, t, &v));
	ASSERT_EQ(v.error, -EMSGSIZE);
	pkcs7_verdict_done(&v);

	/* 30 83 00 LL LL: the same length in three bytes, which OpenSSL takes. */
	wide = malloc(len + 1);
	ASSERT_TRUE(wide);
	memcpy(wide, "\x30\x83\x00", 3);
	memcpy(wide + 3, der + 2, len - 2);
	ASSERT_OK(pkcs7_kernel_verify(wide, len + 1, NULL, 0, t, &v));
	ASSERT_EQ(v.error, -EBADMSG);
	pkcs7_verdict_done(&v);
	free(wide);
	free(big);
	OPENSSL_free(der);
	sk_X509_free(t);
}
