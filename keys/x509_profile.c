// SPDX-License-Identifier: GPL-2.0-only
/* Issuing certificates in the profile the kernel and UEFI accept, and naming them as the kernel does. */
#include <openssl/err.h>
#include <openssl/rand.h>

#include "crypto/openssl_util.h"
#include "keys/x509_profile.h"
#include "lib/hexdecoct.h"
#include "lib/macro.h"

/* RSA sizes go to EVP_PKEY_Q_keygen() as a size_t, EC curves as a name. */
static const struct {
	const char *name;
	const char *type;
	size_t rsa_bits;
	const char *curve;
} algorithms[] = {
	[KEY_ALG_RSA3072] = { "rsa3072", "RSA", 3072, NULL },
	[KEY_ALG_RSA4096] = { "rsa4096", "RSA", 4096, NULL },
	[KEY_ALG_EC_P256] = { "ec-p256", "EC", 0, "P-256" },
	[KEY_ALG_EC_P384] = { "ec-p384", "EC", 0, "P-384" },
};

int key_algorithm_from_string(const char *s, enum key_algorithm *ret)
{
	for (size_t i = 0; i < ELEMENTSOF(algorithms); i++)
		if (streq(s, algorithms[i].name)) {
			*ret = (enum key_algorithm)i;
			return 0;
		}
	return -EINVAL;
}

int key_generate(enum key_algorithm alg, EVP_PKEY **ret)
{
	EVP_PKEY *key;

	if ((unsigned)alg >= ELEMENTSOF(algorithms))
		return -EINVAL;
	if (algorithms[alg].curve)
		key = EVP_PKEY_Q_keygen(NULL, NULL, algorithms[alg].type, algorithms[alg].curve);
	else
		key = EVP_PKEY_Q_keygen(NULL, NULL, algorithms[alg].type, algorithms[alg].rsa_bits);
	ERR_clear_error();
	if (!key)
		return -EIO;
	*ret = key;
	return 0;
}

/* 16 random bytes, top bit clear (positive) and next bit set (always 16 bytes long). */
static int random_serial(X509 *x)
{
	_cleanup_(BN_freep) BIGNUM *bn = NULL;
	_cleanup_(ASN1_INTEGER_freep) ASN1_INTEGER *serial = NULL;
	unsigned char buf[16];

	if (RAND_bytes(buf, sizeof(buf)) != 1)
		return -EIO;
	buf[0] = (buf[0] & 0x7f) | 0x40;
	bn = BN_bin2bn(buf, sizeof(buf), NULL);
	if (!bn)
		return -ENOMEM;
	serial = BN_to_ASN1_INTEGER(bn, NULL);
	if (!serial)
		return -ENOMEM;
	if (X509_set_serialNumber(x, serial) != 1)
		return -EIO;
	return 0;
}

static int add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	_cleanup_(X509_EXTENSION_freep) X509_EXTENSION *ext = NULL;

	ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	if (!ext)
		return -EIO;
	if (X509_add_ext(x, ext, -1) != 1)
		return -EIO;
	return 0;
}

static int build(EVP_PKEY *key, const struct cert_params *p, X509 **ret)
{
	_cleanup_(X509_freep) X509 *x = NULL;
	X509_NAME *subject;
	X509V3_CTX ctx;
	EVP_PKEY *signer = p->issuer_key ?: key;
	time_t start = p->not_before;
	int r;

	if (!p->cn || !*p->cn || p->days == 0 || (!p->issuer_cert != !p->issuer_key))
		return -EINVAL;

	x = X509_new();
	if (!x)
		return -ENOMEM;
	if (X509_set_version(x, X509_VERSION_3) != 1)
		return -EIO;
	r = random_serial(x);
	if (r < 0)
		return r;
	if (!X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &start) ||
	    !X509_time_adj_ex(X509_getm_notAfter(x), (int)p->days, 0, &start))
		return -EIO;

	subject = X509_get_subject_name(x);
	if (X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, (const unsigned char *)p->cn,
				       -1, -1, 0) != 1)
		return -EINVAL;
	if (X509_set_issuer_name(x, p->issuer_cert ? X509_get_subject_name(p->issuer_cert)
						   : subject) != 1)
		return -EIO;
	if (X509_set_pubkey(x, key) != 1)
		return -EIO;

	/* The SKID goes in first: a self-signed AKID is copied from it. */
	X509V3_set_ctx(&ctx, p->issuer_cert ?: x, x, NULL, NULL, 0);
	r = add_ext(x, &ctx, NID_subject_key_identifier, "hash");
	if (r < 0)
		return r;
	r = add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always");
	if (r < 0)
		return r;
	if (p->ca) {
		r = add_ext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE");
		if (r >= 0)
			r = add_ext(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
	} else {
		r = add_ext(x, &ctx, NID_basic_constraints, "critical,CA:FALSE");
		if (r >= 0)
			r = add_ext(x, &ctx, NID_key_usage, "critical,digitalSignature");
		if (r >= 0)
			r = add_ext(x, &ctx, NID_ext_key_usage, "codeSigning");
	}
	if (r < 0)
		return r;

	if (X509_sign(x, signer, EVP_sha256()) <= 0)
		return -EIO;
	*ret = TAKE_PTR(x);
	return 0;
}

int cert_build(EVP_PKEY *key, const struct cert_params *p, X509 **ret)
{
	int r = build(key, p, ret);

	ERR_clear_error();
	return r;
}

unsigned cert_profile_problems(X509 *cert, time_t now)
{
	uint32_t flags, ku, xku;
	unsigned problems = 0;

	if (X509_cmp_time(X509_get0_notAfter(cert), &now) < 0)
		problems |= CERT_EXPIRED;
	if (X509_cmp_time(X509_get0_notBefore(cert), &now) > 0)
		problems |= CERT_NOT_YET_VALID;

	/* Caches the extensions; the getters below read that cache. */
	flags = X509_get_extension_flags(cert);
	ku = X509_get_key_usage(cert);
	xku = X509_get_extended_key_usage(cert);
	if ((flags & EXFLAG_KUSAGE) && !(ku & KU_DIGITAL_SIGNATURE))
		problems |= CERT_NO_DIGITALSIG;
	if ((flags & EXFLAG_XKUSAGE) && !(xku & XKU_CODE_SIGN))
		problems |= CERT_NO_CODESIGN;
	if (!(flags & EXFLAG_CA) || ((flags & EXFLAG_KUSAGE) && !(ku & KU_KEY_CERT_SIGN)))
		problems |= CERT_NOT_CA;
	ERR_clear_error();
	return problems;
}

/* The content bytes of the last @nid entry of @name, as the kernel's parser keeps them. */
static const ASN1_STRING *last_entry(const X509_NAME *name, int nid)
{
	const ASN1_STRING *found = NULL;

	for (int i = 0; i < X509_NAME_entry_count(name); i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);

		if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(e)) == nid)
			found = X509_NAME_ENTRY_get_data(e);
	}
	return found;
}

/* x509_fabricate_name(): CN alone when it starts with O (or O's first 7 bytes), else "O: CN". */
static int fabricate_name(const X509_NAME *name, char **ret)
{
	const ASN1_STRING *cn = last_entry(name, NID_commonName);
	const ASN1_STRING *o = last_entry(name, NID_organizationName);
	const ASN1_STRING *email = last_entry(name, NID_pkcs9_emailAddress);
	const ASN1_STRING *one;
	char *s;

	if (cn && o) {
		const unsigned char *c = ASN1_STRING_get0_data(cn), *on = ASN1_STRING_get0_data(o);
		int cl = ASN1_STRING_length(cn), ol = ASN1_STRING_length(o);

		if ((cl >= ol && memcmp(c, on, (size_t)ol) == 0) ||
		    (cl >= 7 && ol >= 7 && memcmp(c, on, 7) == 0))
			one = cn;
		else {
			if (asprintf(&s, "%.*s: %.*s", ol, (const char *)on, cl, (const char *)c) < 0)
				return -ENOMEM;
			*ret = s;
			return 0;
		}
	} else
		one = cn ?: o ?: email;

	if (!one)
		s = strdup("");
	else
		s = strndup((const char *)ASN1_STRING_get0_data(one), (size_t)ASN1_STRING_length(one));
	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}

/* The serial's DER content bytes (with any leading 0x00), as the kernel's raw_serial. */
static int serial_content_hex(X509 *cert, char **ret)
{
	_cleanup_(openssl_freep) unsigned char *der = NULL;
	int n = i2d_ASN1_INTEGER(X509_get0_serialNumber(cert), &der);
	size_t hdr = 2;

	if (n <= 2) {
		ERR_clear_error();
		return -EBADMSG;
	}
	if (der[1] & 0x80)
		hdr += der[1] & 0x7f;
	if ((size_t)n <= hdr)
		return -EBADMSG;
	*ret = hex_encode(der + hdr, (size_t)n - hdr, false);
	return *ret ? 0 : -ENOMEM;
}

/* Lowercase hex of a key identifier; -ENODATA when the certificate has none. */
static int key_id_hex(const ASN1_OCTET_STRING *id, char **ret)
{
	ERR_clear_error();
	if (!id)
		return -ENODATA;
	*ret = hex_encode(ASN1_STRING_get0_data(id), (size_t)ASN1_STRING_length(id), false);
	return *ret ? 0 : -ENOMEM;
}

int cert_skid_hex(X509 *cert, char **ret)
{
	return key_id_hex(X509_get0_subject_key_id(cert), ret);
}

int cert_akid_hex(X509 *cert, char **ret)
{
	return key_id_hex(X509_get0_authority_key_id(cert), ret);
}

int cert_kernel_description(X509 *cert, char **ret)
{
	_cleanup_free_ char *name = NULL, *id = NULL;
	int r;

	r = fabricate_name(X509_get_subject_name(cert), &name);
	if (r < 0)
		return r;
	r = cert_skid_hex(cert, &id);
	if (r == -ENODATA)
		r = serial_content_hex(cert, &id);
	if (r < 0)
		return r;
	if (asprintf(ret, "%s: %s", name, id) < 0)
		return -ENOMEM;
	return 0;
}

int cert_blacklist_description(X509 *cert, char **ret)
{
	_cleanup_(openssl_freep) unsigned char *tbs = NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned md_len = 0;
	const EVP_MD *alg;
	char *hex;
	int n, mdnid = NID_undef;

	/* The kernel hashes the TBSCertificate with the certificate's own signature hash. */
	if (!OBJ_find_sigid_algs(X509_get_signature_nid(cert), &mdnid, NULL) || mdnid == NID_undef)
		return -EOPNOTSUPP;
	alg = EVP_get_digestbynid(mdnid);
	if (!alg)
		return -EOPNOTSUPP;
	n = i2d_re_X509_tbs(cert, &tbs);
	if (n <= 0) {
		ERR_clear_error();
		return -EBADMSG;
	}
	if (EVP_Digest(tbs, (size_t)n, md, &md_len, alg, NULL) != 1) {
		ERR_clear_error();
		return -EIO;
	}
	hex = hex_encode(md, md_len, false);
	if (!hex)
		return -ENOMEM;
	n = asprintf(ret, "tbs:%s", hex);
	free(hex);
	return n < 0 ? -ENOMEM : 0;
}

int cert_to_der(X509 *cert, unsigned char **ret, size_t *ret_len)
{
	_cleanup_(openssl_freep) unsigned char *der = NULL;
	int n = i2d_X509(cert, &der);
	unsigned char *copy;

	if (n <= 0) {
		ERR_clear_error();
		return -EBADMSG;
	}
	/* A copy from malloc(), so that callers free() it like everything else. */
	copy = malloc((size_t)n);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, der, (size_t)n);
	*ret = copy;
	*ret_len = (size_t)n;
	return 0;
}

int cert_fingerprint_sha256(X509 *cert, char **ret)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	if (X509_digest(cert, EVP_sha256(), md, &len) != 1) {
		ERR_clear_error();
		return -EIO;
	}
	*ret = hex_encode(md, len, false);
	return *ret ? 0 : -ENOMEM;
}

int x509_name_text(const X509_NAME *name, char **ret)
{
	_cleanup_(BIO_freep) BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long len;

	if (!bio)
		return -ENOMEM;
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
		ERR_clear_error();
		return -EIO;
	}
	len = BIO_get_mem_data(bio, &data);
	*ret = strndup(data, (size_t)len);
	return *ret ? 0 : -ENOMEM;
}
