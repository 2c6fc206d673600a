// SPDX-License-Identifier: GPL-2.0-only
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "keys/efi_siglist.h"
#include "crypto/openssl_util.h"
#include "keys/x509_profile.h"
#include "lib/macro.h"
#include "tests/harness.h"

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

TEST(guid_roundtrip)
{
	static const unsigned char db_bytes[16] = { 0xcb, 0xb2, 0x19, 0xd7, 0x3a, 0x3d, 0x96, 0x45,
						    0xa3, 0xbc, 0xda, 0xd0, 0x0e, 0x67, 0x65, 0x6f };
	efi_guid g;
	char s[37];

	ASSERT_OK(efi_guid_from_string("d719b2cb-3d3a-4596-a3bc-dad00e67656f", &g));
	ASSERT_MEMEQ(g.b, db_bytes, 16);
	ASSERT_MEMEQ(EFI_IMAGE_SECURITY_DATABASE_GUID.b, db_bytes, 16);
	efi_guid_to_string(&g, s);
	ASSERT_STREQ(s, "d719b2cb-3d3a-4596-a3bc-dad00e67656f");
	ASSERT_OK(efi_guid_from_string("A5C059A1-94E4-4AA7-87B5-AB155C2BF072", &g));
	ASSERT_MEMEQ(g.b, EFI_CERT_X509_GUID.b, 16);
	efi_guid_to_string(&IPE_TOOLS_OWNER_GUID, s);
	ASSERT_STREQ(s, "aa6fe64e-298c-41a9-8d4f-11f326952b7b");
}

TEST(guid_rejects_malformed)
{
	efi_guid g;

	ASSERT_EQ(efi_guid_from_string("d719b2cb3d3a-4596-a3bc-dad00e67656f0", &g), -EINVAL);
	ASSERT_EQ(efi_guid_from_string("d719b2cb-3d3a-4596-a3bc-dad00e67656", &g), -EINVAL);
	ASSERT_EQ(efi_guid_from_string("g719b2cb-3d3a-4596-a3bc-dad00e67656f", &g), -EINVAL);
	ASSERT_EQ(efi_guid_from_string("", &g), -EINVAL);
}

TEST(efi_time_parse)
{
	struct efi_time t;

	ASSERT_EQ(sizeof(struct efi_time), 16);
	ASSERT_OK(efi_time_parse("2024-01-02 03:04:05", &t));
	ASSERT_EQ(t.year, 2024);
	ASSERT_EQ(t.month, 1);
	ASSERT_EQ(t.day, 2);
	ASSERT_EQ(t.hour, 3);
	ASSERT_EQ(t.minute, 4);
	ASSERT_EQ(t.second, 5);
	ASSERT_EQ(t.timezone, 0);
	ASSERT_EQ(efi_time_parse("2024-13-02 03:04:05", &t), -EINVAL);
	ASSERT_EQ(efi_time_parse("2024-01-02 03:04:05 junk", &t), -EINVAL);
	ASSERT_EQ(efi_time_parse("2024-01-02", &t), -EINVAL);
	/* days the month does not have; the leap day where there is one */
	ASSERT_EQ(efi_time_parse("2026-02-30 00:00:00", &t), -EINVAL);
	ASSERT_EQ(efi_time_parse("2026-04-31 00:00:00", &t), -EINVAL);
	ASSERT_EQ(efi_time_parse("2025-02-29 00:00:00", &t), -EINVAL);
	ASSERT_EQ(efi_time_parse("2100-02-29 00:00:00", &t), -EINVAL);
	ASSERT_OK(efi_time_parse("2024-02-29 00:00:00", &t));
	ASSERT_OK(efi_time_parse("2000-02-29 23:59:59", &t));
	ASSERT_EQ(efi_time_parse("2024-+1-02 03:04:05", &t), -EINVAL);
	ASSERT_EQ(efi_time_parse("2024- 1-02 03:04:05", &t), -EINVAL);
	efi_time_from_unix(0, &t);
	ASSERT_EQ(t.year, 1970);
	ASSERT_EQ(t.month, 1);
	ASSERT_EQ(t.day, 1);
}

TEST(siglist_layout)
{
	static const unsigned char der[5] = { 0x30, 0x03, 0x02, 0x01, 0x00 };
	_cleanup_free_ unsigned char *esl = NULL;
	size_t len;

	ASSERT_OK(efi_siglist_x509(&IPE_TOOLS_OWNER_GUID, der, sizeof(der), &esl, &len));
	ASSERT_EQ(len, 28 + 16 + sizeof(der));
	ASSERT_MEMEQ(esl, EFI_CERT_X509_GUID.b, 16);
	ASSERT_EQ(le32(esl + 16), len);              /* SignatureListSize */
	ASSERT_EQ(le32(esl + 20), 0);                /* SignatureHeaderSize */
	ASSERT_EQ(le32(esl + 24), 16 + sizeof(der)); /* SignatureSize */
	ASSERT_MEMEQ(esl + 28, IPE_TOOLS_OWNER_GUID.b, 16);
	ASSERT_MEMEQ(esl + 44, der, sizeof(der));
	ASSERT_EQ(efi_siglist_x509(&IPE_TOOLS_OWNER_GUID, der, 0, &esl, &len), -EINVAL);
}

TEST(auth2_unsigned_layout)
{
	static const unsigned char data[3] = { 1, 2, 3 };
	_cleanup_free_ unsigned char *out = NULL;
	struct efi_time ts;
	size_t len;

	ASSERT_OK(efi_time_parse("2030-12-31 23:59:58", &ts));
	ASSERT_OK(efi_auth2_build("db", &EFI_IMAGE_SECURITY_DATABASE_GUID, EFI_SECURE_VARIABLE_ATTRIBUTES,
				  &ts, NULL, NULL, data, sizeof(data), &out, &len));
	ASSERT_EQ(len, 16 + 24 + sizeof(data));
	ASSERT_EQ(out[0] | out[1] << 8, 2030);
	ASSERT_EQ(out[2], 12);
	ASSERT_EQ(out[6], 58);
	ASSERT_EQ(le32(out + 16), 24); /* dwLength: header only, no CertData */
	ASSERT_EQ(out[20] | out[21] << 8, 0x0200);
	ASSERT_EQ(out[22] | out[23] << 8, 0x0EF1);
	ASSERT_MEMEQ(out + 24, EFI_CERT_TYPE_PKCS7_GUID.b, 16);
	ASSERT_MEMEQ(out + 40, data, sizeof(data));
	ASSERT_EQ(EFI_SECURE_VARIABLE_ATTRIBUTES, 0x27);
}

TEST(varfs_payload_layout)
{
	static const unsigned char data[3] = { 7, 8, 9 };
	_cleanup_free_ unsigned char *out = NULL;
	size_t len;

	ASSERT_OK(efi_varfs_payload(EFI_SECURE_VARIABLE_ATTRIBUTES | EFI_VARIABLE_APPEND_WRITE,
				    data, sizeof(data), &out, &len));
	ASSERT_EQ(len, 4 + sizeof(data));
	ASSERT_EQ(le32(out), 0x67); /* little-endian attributes first */
	ASSERT_MEMEQ(out + 4, data, sizeof(data));
}

static X509 *make_cert(EVP_PKEY *key, bool ca, X509 *issuer, EVP_PKEY *issuer_key, time_t start,
		       unsigned days)
{
	struct cert_params p = {
		.cn = ca ? "Unit CA" : "Unit leaf",
		.days = days,
		.not_before = start,
		.ca = ca,
		.issuer_cert = issuer,
		.issuer_key = issuer_key,
	};
	X509 *x = NULL;

	ASSERT_OK(cert_build(key, &p, &x));
	return x;
}

TEST(leaf_profile)
{
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;
	_cleanup_(X509_freep) X509 *x = NULL;
	const ASN1_INTEGER *serial;
	uint32_t flags;

	ASSERT_OK(key_generate(KEY_ALG_EC_P256, &key));
	x = make_cert(key, false, NULL, NULL, time(NULL), 30);
	flags = X509_get_extension_flags(x);
	ASSERT_EQ(X509_get_version(x), X509_VERSION_3);
	ASSERT_TRUE(!(flags & EXFLAG_CA));
	ASSERT_TRUE(flags & EXFLAG_SS); /* self-signed */
	ASSERT_EQ(X509_get_key_usage(x), KU_DIGITAL_SIGNATURE);
	ASSERT_EQ(X509_get_extended_key_usage(x), XKU_CODE_SIGN);
	ASSERT_TRUE(X509_get0_subject_key_id(x) != NULL);
	ASSERT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_subject_key_id(x), X509_get0_authority_key_id(x)), 0);
	ASSERT_EQ(X509_get_signature_nid(x), NID_ecdsa_with_SHA256);
	ASSERT_EQ(X509_verify(x, key), 1);
	serial = X509_get0_serialNumber(x);
	ASSERT_EQ(ASN1_STRING_type(serial), V_ASN1_INTEGER); /* positive */
	ASSERT_EQ(ASN1_STRING_length(serial), 16);
	ASSERT_EQ(cert_profile_problems(x, time(NULL)) & ~CERT_NOT_CA, 0);
	ASSERT_TRUE(cert_profile_problems(x, time(NULL)) & CERT_NOT_CA);
}

TEST(ca_issues_leaf)
{
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *ca_key = NULL, *key = NULL;
	_cleanup_(X509_freep) X509 *ca = NULL, *leaf = NULL, *leaf2 = NULL;

	ASSERT_OK(key_generate(KEY_ALG_RSA3072, &ca_key));
	ASSERT_OK(key_generate(KEY_ALG_EC_P384, &key));
	ca = make_cert(ca_key, true, NULL, NULL, time(NULL), 365);
	ASSERT_TRUE(X509_get_extension_flags(ca) & EXFLAG_CA);
	ASSERT_EQ(X509_get_key_usage(ca), KU_KEY_CERT_SIGN | KU_CRL_SIGN);
	ASSERT_EQ(cert_profile_problems(ca, time(NULL)), CERT_NO_DIGITALSIG);

	leaf = make_cert(key, false, ca, ca_key, time(NULL), 30);
	ASSERT_EQ(X509_verify(leaf, ca_key), 1);
	ASSERT_TRUE(X509_verify(leaf, key) != 1);
	ASSERT_EQ(X509_check_issued(ca, leaf), X509_V_OK);
	ASSERT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_subject_key_id(ca), X509_get0_authority_key_id(leaf)),
		  0);
	ASSERT_EQ(X509_get_signature_nid(leaf), NID_sha256WithRSAEncryption);

	/* Serials come from the CSPRNG: two certificates never share one. */
	leaf2 = make_cert(key, false, ca, ca_key, time(NULL), 30);
	ASSERT_TRUE(ASN1_INTEGER_cmp(X509_get0_serialNumber(leaf), X509_get0_serialNumber(leaf2)) != 0);
}

TEST(build_rejects_bad_params)
{
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;
	struct cert_params p = { .cn = "", .days = 1, .not_before = time(NULL) };
	X509 *x = NULL;

	ASSERT_OK(key_generate(KEY_ALG_EC_P256, &key));
	ASSERT_EQ(cert_build(key, &p, &x), -EINVAL);
	p.cn = "x";
	p.days = 0;
	ASSERT_EQ(cert_build(key, &p, &x), -EINVAL);
	p.days = 1;
	p.issuer_key = key; /* a key without its certificate */
	ASSERT_EQ(cert_build(key, &p, &x), -EINVAL);
	ASSERT_TRUE(x == NULL);
}

TEST(expired_is_reported)
{
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;
	_cleanup_(X509_freep) X509 *x = NULL;

	ASSERT_OK(key_generate(KEY_ALG_EC_P256, &key));
	x = make_cert(key, true, NULL, NULL, time(NULL) - 10L * 86400, 2);
	ASSERT_TRUE(cert_profile_problems(x, time(NULL)) & CERT_EXPIRED);
	ASSERT_TRUE(cert_profile_problems(x, time(NULL) - 9L * 86400) == CERT_NO_DIGITALSIG);
	ASSERT_TRUE(cert_profile_problems(x, time(NULL) - 20L * 86400) & CERT_NOT_YET_VALID);
}

/* A self-signed certificate with the given subject entries and no SKID. */
static X509 *named_cert(EVP_PKEY *key, const char *o, const char *cn, bool skid)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_get_subject_name(x);
	X509V3_CTX ctx;

	ASSERT_TRUE(x);
	X509_set_version(x, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 0x8001); /* DER: 02 03 00 80 01 */
	if (o)
		X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8, (const unsigned char *)o, -1, -1, 0);
	if (cn)
		X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1,
					   -1, 0);
	X509_set_issuer_name(x, n);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, key);
	if (skid) {
		X509_EXTENSION *e;

		X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
		e = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_key_identifier, "0102abcd");
		ASSERT_TRUE(e);
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
	}
	ASSERT_TRUE(X509_sign(x, key, EVP_sha256()) > 0);
	return x;
}

TEST(kernel_description)
{
	static const struct {
		const char *o, *cn, *want;
	} cases[] = {
		{ NULL, "Signer", "Signer: 0102abcd" },
		{ "Acme", "Acme Signing", "Acme Signing: 0102abcd" }, /* CN starts with O */
		{ "Acme Corp", "Signer", "Acme Corp: Signer: 0102abcd" },
		{ "Example Org", "Example key", "Example key: 0102abcd" }, /* same first 7 bytes */
		{ "Only O", NULL, "Only O: 0102abcd" },
	};
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;

	ASSERT_OK(key_generate(KEY_ALG_EC_P256, &key));
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		_cleanup_(X509_freep) X509 *x = named_cert(key, cases[i].o, cases[i].cn, true);
		_cleanup_free_ char *d = NULL;

		ASSERT_OK(cert_kernel_description(x, &d));
		ASSERT_STREQ(d, cases[i].want);
	}
}

TEST(kernel_description_without_skid_uses_serial)
{
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;
	_cleanup_(X509_freep) X509 *x = NULL;
	_cleanup_free_ char *d = NULL, *skid = NULL;

	ASSERT_OK(key_generate(KEY_ALG_EC_P256, &key));
	x = named_cert(key, NULL, "NoSkid", false);
	ASSERT_EQ(cert_skid_hex(x, &skid), -ENODATA);
	ASSERT_OK(cert_kernel_description(x, &d));
	ASSERT_STREQ(d, "NoSkid: 008001"); /* the DER content, leading zero included */
}

TEST(blacklist_description)
{
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;
	_cleanup_(X509_freep) X509 *x = NULL;
	_cleanup_free_ char *d = NULL;

	ASSERT_OK(key_generate(KEY_ALG_EC_P256, &key));
	x = named_cert(key, NULL, "B", true);
	ASSERT_OK(cert_blacklist_description(x, &d));
	ASSERT_TRUE(startswith(d, "tbs:"));
	ASSERT_EQ(strlen(d), 4 + 64);
}

TEST(algorithm_names)
{
	enum key_algorithm a;

	ASSERT_OK(key_algorithm_from_string("rsa4096", &a));
	ASSERT_EQ(a, KEY_ALG_RSA4096);
	ASSERT_OK(key_algorithm_from_string("ec-p384", &a));
	ASSERT_EQ(a, KEY_ALG_EC_P384);
	ASSERT_EQ(key_algorithm_from_string("rsa1024", &a), -EINVAL);
	ASSERT_EQ(key_algorithm_from_string("RSA3072", &a), -EINVAL);
}

TEST(key_ids_and_der)
{
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *ca_key = NULL, *key = NULL;
	_cleanup_(X509_freep) X509 *ca = NULL, *leaf = NULL, *back = NULL;
	_cleanup_free_ char *ca_skid = NULL, *akid = NULL;
	_cleanup_free_ unsigned char *der = NULL;
	const unsigned char *p;
	size_t len;

	ASSERT_OK(key_generate(KEY_ALG_EC_P256, &ca_key));
	ASSERT_EQ(EVP_PKEY_get_bits(ca_key), 256);
	ASSERT_OK(key_generate(KEY_ALG_EC_P384, &key));
	ASSERT_EQ(EVP_PKEY_get_bits(key), 384);
	ASSERT_EQ(key_generate((enum key_algorithm)99, &key), -EINVAL);
	ca = make_cert(ca_key, true, NULL, NULL, time(NULL), 30);
	leaf = make_cert(key, false, ca, ca_key, time(NULL), 30);

	ASSERT_OK(cert_skid_hex(ca, &ca_skid));
	ASSERT_OK(cert_akid_hex(leaf, &akid));
	ASSERT_STREQ(akid, ca_skid);
	ASSERT_EQ(strlen(akid), 40); /* SHA-1 of the public key */

	ASSERT_OK(cert_to_der(leaf, &der, &len));
	p = der;
	back = d2i_X509(NULL, &p, (long)len);
	ASSERT_TRUE(back != NULL);
	ASSERT_EQ(X509_cmp(back, leaf), 0);
	ASSERT_EQ((size_t)(p - der), len);
}
