// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's verify_pkcs7_signature() (certs/system_keyring.c, Linux 6.12),
 * rule by rule, over OpenSSL's CMS parser and crypto:
 *   1. pkcs7_parse_message()    crypto/asymmetric_keys/pkcs7_parser.c
 *   2. detached data supplied   pkcs7_supply_detached_data()
 *   3. pkcs7_verify()           crypto/asymmetric_keys/pkcs7_verify.c
 *   4. pkcs7_validate_trust()   crypto/asymmetric_keys/pkcs7_trust.c
 * Each step returns the errno the kernel's step returns; the first error wins,
 * as in the kernel. Not modelled: the blacklist keyring
 * (is_key_on_revocation_list()) and SignedData/SignerInfo version numbers
 * (OpenSSL writes them consistently and does not expose them).
 */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include "crypto/openssl_util.h"
#include "crypto/pkcs7_verify.h"

/* Largest detached content handled in memory (a root hash is 128 bytes at most). */
#define PKCS7_VERIFY_MAX (64u << 20)

/* The kernel's struct x509_certificate, as far as the rules need it. */
struct kcert {
	X509 *x509;           /* borrowed from the CMS certificate bag */
	struct kcert *signer; /* set by the chain walk */
	bool self_signed;     /* x509_check_for_self_signed() */
	bool seen, verified;
};

struct ctx {
	CMS_ContentInfo *cms;
	STACK_OF(CMS_SignerInfo) *sinfos;
	STACK_OF(X509) *bag;
	struct kcert *certs; /* the bag, in the order of the message */
	int n_certs;
	const unsigned char *data; /* what pkcs7->data points at */
	size_t data_len;
	bool have_data;
	bool chunked; /* the content is BER chunks, taken as encoded */
	STACK_OF(X509) *trusted;
	struct pkcs7_verdict *v;
};

/* Per signer info: the kernel's struct pkcs7_signed_info. */
struct ksinfo {
	CMS_SignerInfo *si;
	const EVP_MD *md; /* sig->hash_algo */
	bool ecdsa;       /* sig->pkey_algo "ecdsa" (else "rsa") */
	const ASN1_OCTET_STRING *msgdigest;
	const ASN1_TIME *signing_time;
	bool have_authattrs;
	struct kcert *signer;
	unsigned char digest[EVP_MAX_MD_SIZE]; /* sig->digest */
	unsigned digest_len;
};

static int refuse(struct ctx *c, unsigned signer, int error, const char *why, const char *fix)
{
	c->v->error = error;
	c->v->signer = signer;
	c->v->why = why;
	c->v->fix = fix;
	return error;
}

/* Names equal by their encodings as received (the kernel compares raw bytes, asymmetric_key_id_same()). */
static bool name_same(const X509_NAME *a, const X509_NAME *b)
{
	const unsigned char *da, *db;
	size_t la, lb;

	return a && b && X509_NAME_get0_der(a, &da, &la) == 1 &&
	       X509_NAME_get0_der(b, &db, &lb) == 1 && la == lb && memcmp(da, db, la) == 0;
}

static bool serial_same(const ASN1_INTEGER *a, const ASN1_INTEGER *b)
{
	return a && b && ASN1_INTEGER_cmp(a, b) == 0;
}

static bool octets_same(const ASN1_OCTET_STRING *a, const ASN1_OCTET_STRING *b)
{
	return a && b && ASN1_OCTET_STRING_cmp(a, b) == 0;
}

/* The kernel's key id kinds: issuer + serial (x509->id, kids->id[0]) or subject key id (kids->id[1]). */
struct kid {
	const X509_NAME *issuer;
	const ASN1_INTEGER *serial;
	const ASN1_OCTET_STRING *skid;
};

static bool cert_has_id(X509 *x, const struct kid *id)
{
	if (id->issuer)
		return name_same(id->issuer, X509_get_issuer_name(x)) &&
		       serial_same(id->serial, X509_get0_serialNumber(x));
	return octets_same(id->skid, X509_get0_subject_key_id(x));
}

/*
 * find_asymmetric_key(keyring, id_0, id_1, NULL, false) (asymmetric_type.c):
 * look up by @id0 (else @id1); with both, the key found by @id0 must also have
 * @id1 as its subject key id, else -EKEYREJECTED.
 */
static int find_trusted(struct ctx *c, const struct kid *id0, const struct kid *id1, X509 **ret)
{
	const struct kid *first = id0 ? id0 : id1;

	for (int i = 0; first && i < sk_X509_num(c->trusted); i++) {
		X509 *t = sk_X509_value(c->trusted, i);

		if (!cert_has_id(t, first))
			continue;
		if (id0 && id1 && !cert_has_id(t, id1))
			return -EKEYREJECTED;
		*ret = t;
		return 0;
	}
	return -ENOKEY;
}

/* x509_extract_key_data() (x509_cert_parser.c): the key types the kernel parses. */
static int key_supported(EVP_PKEY *pkey)
{
	char curve[64];

	if (!pkey)
		return -ENOPKG;
	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_RSA:
		return 0;
	case EVP_PKEY_EC:
		if (!EVP_PKEY_get_utf8_string_param(pkey, "group", curve, sizeof(curve), NULL))
			return -ENOPKG;
		if (streq(curve, "prime192v1") || streq(curve, "P-192") ||
		    streq(curve, "prime256v1") || streq(curve, "P-256") || streq(curve, "secp384r1") ||
		    streq(curve, "P-384") || streq(curve, "secp521r1") || streq(curve, "P-521"))
			return 0;
		return -ENOPKG;
	default:
		return -ENOPKG;
	}
}

/*
 * crypto/rsa.c rsa_check_key_length(), on the modulus size in whole bytes:
 * a key of another size fails to load with -EINVAL (not in FIPS mode, where
 * 2048 bits is the least).
 */
static int rsa_size_ok(EVP_PKEY *pkey)
{
	int bits;

	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA)
		return 0;
	bits = (EVP_PKEY_get_bits(pkey) + 7) / 8 * 8;
	return bits == 512 || bits == 1024 || bits == 1536 || bits == 2048 || bits == 3072 || bits == 4096
		       ? 0
		       : -EINVAL;
}

/*
 * public_key_verify_signature() (public_key.c) of a signed digest: the key's
 * type must match the signature's ("ecdsa" signatures fit any "ecdsa-nist-*"
 * key), RSA is PKCS#1 v1.5 only, in the sizes crypto/rsa.c takes.
 */
static int verify_digest(EVP_PKEY *pkey, bool ecdsa, const EVP_MD *md, const unsigned char *digest,
			 unsigned digest_len, const ASN1_OCTET_STRING *sig)
{
	_cleanup_(EVP_PKEY_CTX_freep) EVP_PKEY_CTX *pctx = NULL;
	int type = EVP_PKEY_get_base_id(pkey);

	if (ecdsa != (type == EVP_PKEY_EC) || (type != EVP_PKEY_EC && type != EVP_PKEY_RSA))
		return -EKEYREJECTED;
	if (rsa_size_ok(pkey) < 0)
		return -EINVAL;
	pctx = EVP_PKEY_CTX_new(pkey, NULL);
	if (!pctx)
		return -ENOMEM;
	if (EVP_PKEY_verify_init(pctx) != 1 || EVP_PKEY_CTX_set_signature_md(pctx, md) != 1 ||
	    (type == EVP_PKEY_RSA && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1))
		return -EOPNOTSUPP;
	if (EVP_PKEY_verify(pctx, ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig),
			    digest, digest_len) != 1)
		return -EKEYREJECTED;
	return 0;
}

/* public_key_verify_signature(issuer's key, cert->sig): X509_verify() with the kernel's errnos. */
static int verify_cert(X509 *cert, X509 *issuer)
{
	EVP_PKEY *pkey = X509_get0_pubkey(issuer);

	if (key_supported(pkey) < 0)
		return -ENOPKG;
	if (rsa_size_ok(pkey) < 0)
		return -EINVAL;
	return X509_verify(cert, pkey) == 1 ? 0 : -EKEYREJECTED;
}

/* The certificate's authority key id: auth_ids[0] (issuer + serial) and [1] (key id). */
static void cert_auth_ids(X509 *x, struct kid *a0, struct kid *a1, bool *has0, bool *has1)
{
	const GENERAL_NAMES *names = X509_get0_authority_issuer(x);
	const ASN1_INTEGER *serial = X509_get0_authority_serial(x);

	*a0 = (struct kid){};
	*a1 = (struct kid){ .skid = X509_get0_authority_key_id(x) };
	*has0 = false;
	for (int i = 0; names && serial && i < sk_GENERAL_NAME_num(names); i++) {
		GENERAL_NAME *n = sk_GENERAL_NAME_value(names, i);

		if (n->type == GEN_DIRNAME) {
			*a0 = (struct kid){ .issuer = n->d.directoryName, .serial = serial };
			*has0 = true;
			break;
		}
	}
	*has1 = a1->skid != NULL;
}

/* x509_cert_parse(): the key type, and x509_check_for_self_signed(). */
static int parse_cert(struct ctx *c, struct kcert *k)
{
	X509 *x = k->x509;
	struct kid a0, a1;
	bool has0, has1, a, b;
	int r;

	r = key_supported(X509_get0_pubkey(x));
	if (r < 0)
		return refuse(c, 0, r,
			      "a certificate in the message has a key type the kernel does not parse",
			      "use an RSA or NIST P-192/256/384/521 ECDSA key, or leave the certificate out (-nocerts)");
	if (!name_same(X509_get_subject_name(x), X509_get_issuer_name(x)))
		return 0;
	cert_auth_ids(x, &a0, &a1, &has0, &has1);
	if (has0 || has1) {
		struct kid self = { .issuer = X509_get_issuer_name(x),
				    .serial = X509_get0_serialNumber(x) };

		a = has1 && octets_same(a1.skid, X509_get0_subject_key_id(x));
		b = has0 && name_same(a0.issuer, self.issuer) && serial_same(a0.serial, self.serial);
		if (!a && !b)
			return 0;
		if (a != b && has0 && has1)
			return refuse(c, 0, -EKEYREJECTED,
				      "a self-issued certificate in the message has an authority key id that half matches",
				      NULL);
	}
	r = verify_cert(x, x);
	if (r == -ENOPKG)
		return 0;
	if (r == -EINVAL)
		return refuse(c, 0, r,
			      "a self-signed certificate in the message has an RSA key size the kernel does not take",
			      "use a 2048, 3072 or 4096-bit RSA key");
	if (r < 0)
		return refuse(c, 0, r, "a self-signed certificate in the message does not verify",
			      NULL);
	k->self_signed = true;
	return 0;
}

/* pkcs7_sig_note_digest_algo(): the digests the kernel knows. */
static int note_digest_algo(struct ctx *c, unsigned idx, struct ksinfo *s, X509_ALGOR *alg)
{
	const ASN1_OBJECT *obj;

	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	switch (OBJ_obj2nid(obj)) {
	case NID_sha1:
	case NID_sha224:
	case NID_sha256:
	case NID_sha384:
	case NID_sha512:
	case NID_sha3_256:
	case NID_sha3_384:
	case NID_sha3_512:
	case NID_sm3:
	case NID_id_GostR3411_2012_256:
	case NID_id_GostR3411_2012_512:
		s->md = EVP_get_digestbyobj(obj);
		if (!s->md)
			return -EOPNOTSUPP;
		return 0;
	default:
		return refuse(c, idx, -ENOPKG,
			      "the digest algorithm is one the kernel does not support",
			      "sign with -md sha256");
	}
}

/* pkcs7_sig_note_pkey_algo(): "rsa" with PKCS#1 v1.5, or "ecdsa"; GOST is not modelled. */
static int note_pkey_algo(struct ctx *c, unsigned idx, struct ksinfo *s, X509_ALGOR *alg)
{
	const ASN1_OBJECT *obj;

	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	switch (OBJ_obj2nid(obj)) {
	case NID_rsaEncryption:
		s->ecdsa = false;
		return 0;
	case NID_ecdsa_with_SHA1:
	case NID_ecdsa_with_SHA224:
	case NID_ecdsa_with_SHA256:
	case NID_ecdsa_with_SHA384:
	case NID_ecdsa_with_SHA512:
	case NID_ecdsa_with_SHA3_256:
	case NID_ecdsa_with_SHA3_384:
	case NID_ecdsa_with_SHA3_512:
		s->ecdsa = true;
		return 0;
	default:
		return refuse(c, idx, -ENOPKG,
			      "the signature algorithm is one the kernel does not support (RSA-PSS, EdDSA...)",
			      "sign with PKCS#1 v1.5 RSA or ECDSA (no -keyopt rsa_padding_mode:pss)");
	}
}

enum {
	AA_CONTENT_TYPE = 1 << 0,
	AA_SIGNING_TIME = 1 << 1,
	AA_MESSAGE_DIGEST = 1 << 2,
	AA_SMIME_CAPS = 1 << 3,
	AA_MS_OPUS_INFO = 1 << 4,
	AA_MS_STATEMENT_TYPE = 1 << 5,
};

static const char FIX_NOATTR[] = "sign with -noattr, or with -nosmimecap and no extra signed attributes";

/* The bit of an attribute the kernel tracks, 0 for the ones it ignores. */
static unsigned attr_bit(const ASN1_OBJECT *obj)
{
	static const struct {
		const char *oid;
		unsigned bit;
	} ms[] = {
		{ "1.3.6.1.4.1.311.2.1.12", AA_MS_OPUS_INFO },
		{ "1.3.6.1.4.1.311.2.1.11", AA_MS_STATEMENT_TYPE },
	};
	char txt[64];

	switch (OBJ_obj2nid(obj)) {
	case NID_pkcs9_contentType:
		return AA_CONTENT_TYPE;
	case NID_pkcs9_signingTime:
		return AA_SIGNING_TIME;
	case NID_pkcs9_messageDigest:
		return AA_MESSAGE_DIGEST;
	case NID_SMIMECapabilities:
		return AA_SMIME_CAPS;
	}
	if (OBJ_obj2txt(txt, sizeof(txt), obj, 1) <= 0)
		return 0;
	for (size_t i = 0; i < ELEMENTSOF(ms); i++)
		if (streq(txt, ms[i].oid))
			return ms[i].bit;
	return 0;
}

/*
 * pkcs7_sig_note_authenticated_attr(), called once per value in the order
 * of the message, then pkcs7_sig_note_set_of_authattrs() at the end of the set.
 */
static int note_authattrs(struct ctx *c, unsigned idx, struct ksinfo *s)
{
	const ASN1_OBJECT *data_type = CMS_get0_eContentType(c->cms);
	int n = CMS_signed_get_attr_count(s->si);
	unsigned seen = 0;

	if (n < 0)
		return 0;
	s->have_authattrs = true;
	for (int i = 0; i < n; i++) {
		X509_ATTRIBUTE *attr = CMS_signed_get_attr(s->si, i);
		unsigned bit = attr_bit(X509_ATTRIBUTE_get0_object(attr));

		for (int j = 0; bit && j < X509_ATTRIBUTE_count(attr); j++) {
			ASN1_TYPE *value = X509_ATTRIBUTE_get0_type(attr, j);

			if (seen & bit)
				return refuse(c, idx, -EKEYREJECTED,
					      "a signed attribute is repeated or has several values",
					      FIX_NOATTR);
			seen |= bit;
			switch (bit) {
			case AA_CONTENT_TYPE:
				if (value->type != V_ASN1_OBJECT ||
				    OBJ_cmp(value->value.object, data_type) != 0)
					return refuse(c, idx, -EBADMSG,
						      "the signed content type differs from the content's",
						      NULL);
				break;
			case AA_SIGNING_TIME:
				/* x509_decode_time(): UTCTime or GeneralizedTime, well formed. */
				if ((value->type != V_ASN1_UTCTIME &&
				     value->type != V_ASN1_GENERALIZEDTIME) ||
				    !ASN1_TIME_check(value->value.utctime))
					return refuse(c, idx, -EBADMSG,
						      "the signing time is malformed", NULL);
				s->signing_time = value->value.utctime;
				break;
			case AA_MESSAGE_DIGEST:
				if (value->type != V_ASN1_OCTET_STRING)
					return refuse(c, idx, -EBADMSG,
						      "the message digest is not an OCTET STRING",
						      NULL);
				s->msgdigest = value->value.octet_string;
				break;
			case AA_SMIME_CAPS:
				return refuse(c, idx, -EKEYREJECTED,
					      "S/MIME capabilities are signed, which the kernel allows only in Authenticode",
					      "sign with -nosmimecap (openssl smime/cms) or -noattr");
			default: /* Microsoft SpOpusInfo, StatementType */
				return refuse(c, idx, -EKEYREJECTED,
					      "Authenticode attributes are signed outside Authenticode",
					      FIX_NOATTR);
			}
		}
	}
	if (!(seen & AA_CONTENT_TYPE) || !(seen & AA_MESSAGE_DIGEST))
		return refuse(c, idx, -EBADMSG,
			      "a signed content type or message digest attribute is missing",
			      "sign with -noattr, or let openssl add its standard signed attributes");
	return 0;
}

/* pkcs7_note_signed_info() and what precedes it in the SignerInfo, in encoding order. */
static int parse_signer_info(struct ctx *c, unsigned idx, struct ksinfo *s)
{
	X509_ALGOR *dig, *sig;
	int r;

	CMS_SignerInfo_get0_algs(s->si, NULL, NULL, &dig, &sig);
	r = note_digest_algo(c, idx, s, dig);
	if (r < 0)
		return r;
	r = note_authattrs(c, idx, s);
	if (r < 0)
		return r;
	return note_pkey_algo(c, idx, s, sig);
}

/*
 * One BER element at @p: its size (with the end of contents of an
 * indefinite length), or 0 when asn1_ber_decoder() (lib/asn1_decoder.c)
 * refuses a header in it with -EBADMSG where OpenSSL does not: a tag in the
 * high tag number form, or a length in more than two bytes. Indefinite
 * lengths, on constructed elements, it takes.
 */
static size_t ber_element(const unsigned char *p, size_t len, unsigned depth)
{
	size_t n = 0, hdr = 2, off, e;

	if (depth > 64 || len < 2 || (p[0] & 0x1f) == 0x1f)
		return 0;
	if (p[1] == 0x80) {
		if (!(p[0] & 0x20))
			return 0;
		for (off = 2;; off += e) {
			if (len - off >= 2 && p[off] == 0 && p[off + 1] == 0)
				return off + 2;
			e = ber_element(p + off, len - off, depth + 1);
			if (!e)
				return 0;
		}
	}
	if (p[1] & 0x80) {
		unsigned nb = p[1] & 0x7f;

		if (nb > 2 || len - 2 < nb)
			return 0;
		for (unsigned i = 0; i < nb; i++)
			n = (n << 8) | p[2 + i];
		hdr += nb;
	} else
		n = p[1];
	if (n > len - hdr)
		return 0;
	for (off = hdr; (p[0] & 0x20) && off < hdr + n; off += e) {
		e = ber_element(p + off, hdr + n - off, depth + 1);
		if (!e)
			return 0;
	}
	return hdr + n;
}

/* The size of the header of the element at @p (its contents follow), 0 if malformed. */
static size_t ber_header(const unsigned char *p, size_t len)
{
	if (len < 2)
		return 0;
	if (p[1] == 0x80 || !(p[1] & 0x80))
		return 2;
	return len >= 2u + (p[1] & 0x7f) ? 2u + (p[1] & 0x7f) : 0;
}

/*
 * The contents of an attached content that is a constructed OCTET STRING (BER
 * chunks, as `openssl smime -stream` writes): ContentInfo → [0] → SignedData →
 * (version, digestAlgorithms) → encapContentInfo → (eContentType) → [0] →
 * OCTET STRING. The kernel's pkcs7_note_data() takes such a content as it is
 * encoded, chunk headers included, so it digests other bytes than the policy.
 * Return: true with the encoded contents in @ret/@ret_len.
 */
static bool econtent_chunked(const unsigned char *p, size_t len, const unsigned char **ret,
			     size_t *ret_len)
{
	/* 'e' enters an element, 's' skips one. */
	static const char path[] = "eseesses";
	size_t h, n;

	for (const char *step = path; *step; step++) {
		if (*step == 'e') {
			h = ber_header(p, len);
			if (!h || !(p[0] & 0x20))
				return false;
			p += h;
			len -= h;
		} else {
			n = ber_element(p, len, 0);
			if (!n)
				return false;
			p += n;
			len -= n;
		}
	}
	/* At the [0] EXPLICIT around the content, if there is one. */
	if (len < 2 || p[0] != 0xa0 || !(h = ber_header(p, len)))
		return false;
	p += h;
	len -= h;
	if (len < 2 || p[0] != 0x24 || !(h = ber_header(p, len)) || !(n = ber_element(p, len, 0)))
		return false;
	*ret = p + h;
	*ret_len = n - h;
	return true;
}

/* pkcs7_parse_message(): the asn1 decoder's actions, then pkcs7_check_authattrs(). */
static int parse_message(struct ctx *c, const void *sig, size_t sig_len, struct ksinfo *s, int n)
{
	const ASN1_OBJECT *type;
	ASN1_OCTET_STRING **content;
	char txt[64];
	int r;

	/* pkcs7_note_content(): pkcs7-data, or Microsoft's SpcIndirectData (Authenticode). */
	type = CMS_get0_eContentType(c->cms);
	if (OBJ_obj2nid(type) != NID_pkcs7_data &&
	    (OBJ_obj2txt(txt, sizeof(txt), type, 1) <= 0 || !streq(txt, "1.3.6.1.4.1.311.2.1.4")))
		return refuse(c, 0, -EINVAL, "the content type is not pkcs7-data",
			      "sign plain data (no -econtent_type)");
	content = CMS_get0_content(c->cms);
	if (content && *content) {
		c->data = ASN1_STRING_get0_data(*content);
		c->data_len = (size_t)ASN1_STRING_length(*content);
		c->have_data = true;
		c->chunked = econtent_chunked(sig, sig_len, &c->data, &c->data_len);
	}

	/* pkcs7_extract_cert(): every certificate of the bag is parsed, in order. */
	c->bag = CMS_get1_certs(c->cms);
	c->n_certs = MAX(sk_X509_num(c->bag), 0);
	c->certs = calloc((size_t)c->n_certs + 1, sizeof(*c->certs));
	if (!c->certs)
		return -ENOMEM;
	for (int i = 0; i < c->n_certs; i++) {
		c->certs[i].x509 = sk_X509_value(c->bag, i);
		r = parse_cert(c, &c->certs[i]);
		if (r < 0)
			return r;
	}

	for (int i = 0; i < n; i++) {
		s[i].si = sk_CMS_SignerInfo_value(c->sinfos, i);
		r = parse_signer_info(c, (unsigned)i + 1, &s[i]);
		if (r < 0)
			return r;
	}
	/* pkcs7_check_authattrs(): at least one signer, all with or all without attributes. */
	if (n == 0)
		return refuse(c, 0, -EINVAL, "no signer infos", NULL);
	for (int i = 1; i < n; i++)
		if (s[i].have_authattrs != s[0].have_authattrs)
			return refuse(c, (unsigned)i + 1, -EINVAL,
				      "some signers have signed attributes and others not",
				      "sign every signer the same way (all with -noattr or none)");
	return 0;
}

/*
 * pkcs7_digest(): the content's digest; with signed attributes, it must equal
 * the messageDigest attribute, and the digest signed becomes that of the
 * attributes as encoded in the message, retagged as a SET.
 */
static int digest_sinfo(struct ctx *c, unsigned idx, struct ksinfo *s)
{
	unsigned char hdr[6];
	size_t total = 0, hl = 0;
	EVP_MD_CTX *mdctx;
	int n, ok;

	if (EVP_Digest(c->data ? (const void *)c->data : "", c->data_len, s->digest, &s->digest_len,
		       s->md, NULL) != 1)
		return -EOPNOTSUPP;
	if (!s->have_authattrs)
		return 0;
	if ((unsigned)ASN1_STRING_length(s->msgdigest) != s->digest_len)
		return refuse(c, idx, -EBADMSG, "the message digest attribute has the wrong size",
			      NULL);
	if (memcmp(ASN1_STRING_get0_data(s->msgdigest), s->digest, s->digest_len) != 0)
		return refuse(c, idx, -EKEYREJECTED,
			      c->have_data ? "the content does not match the signed message digest"
					   : "the data does not match the signed message digest",
			      NULL);

	/* The SET OF attributes, each in the order and encoding of the message. */
	mdctx = EVP_MD_CTX_new();
	if (!mdctx)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(mdctx, s->md, NULL) == 1;
	n = CMS_signed_get_attr_count(s->si);
	for (int i = 0; i < n; i++) {
		int l = i2d_X509_ATTRIBUTE(CMS_signed_get_attr(s->si, i), NULL);

		ok = ok && l > 0;
		total += ok ? (size_t)l : 0;
	}
	hdr[hl++] = 0x31;
	if (total < 0x80)
		hdr[hl++] = (unsigned char)total;
	else {
		unsigned nb = total > 0xffffff ? 4 : total > 0xffff ? 3 : total > 0xff ? 2 : 1;

		hdr[hl++] = (unsigned char)(0x80 | nb);
		for (unsigned b = nb; b > 0; b--)
			hdr[hl++] = (unsigned char)(total >> (8 * (b - 1)));
	}
	ok = ok && EVP_DigestUpdate(mdctx, hdr, hl) == 1;
	for (int i = 0; ok && i < n; i++) {
		unsigned char *enc = NULL;
		int l = i2d_X509_ATTRIBUTE(CMS_signed_get_attr(s->si, i), &enc);

		ok = l > 0 && EVP_DigestUpdate(mdctx, enc, (size_t)l) == 1;
		OPENSSL_free(enc);
	}
	ok = ok && EVP_DigestFinal_ex(mdctx, s->digest, &s->digest_len) == 1;
	EVP_MD_CTX_free(mdctx);
	return ok ? 0 : -ENOMEM;
}

static const ASN1_OCTET_STRING *sinfo_sig(struct ksinfo *s)
{
	return CMS_SignerInfo_get0_signature(s->si);
}

/* The signer info's id: sinfo->sig->auth_ids[0] (issuer + serial, or subject key id). */
static int sinfo_kid(struct ksinfo *s, struct kid *ret)
{
	ASN1_OCTET_STRING *keyid = NULL;
	X509_NAME *issuer = NULL;
	ASN1_INTEGER *serial = NULL;

	if (CMS_SignerInfo_get0_signer_id(s->si, &keyid, &issuer, &serial) != 1)
		return -EBADMSG;
	if (keyid)
		*ret = (struct kid){ .skid = keyid };
	else
		*ret = (struct kid){ .issuer = issuer, .serial = serial };
	return 0;
}

/* pkcs7_verify_sig_chain(): link the signer to its issuers in the bag. */
static int verify_chain(struct ctx *c, unsigned idx, struct ksinfo *s)
{
	struct kcert *x = s->signer;

	for (int i = 0; i < c->n_certs; i++)
		c->certs[i].seen = false;
	for (;;) {
		struct kid a0, a1;
		bool has0, has1, match_skid = false;
		struct kcert *p = NULL;
		int r;

		x->seen = true;
		if (x->self_signed) {
			x->signer = x;
			return 0;
		}
		cert_auth_ids(x->x509, &a0, &a1, &has0, &has1);
		for (int i = 0; i < c->n_certs && !p; i++) {
			if (has0 && cert_has_id(c->certs[i].x509, &a0)) {
				p = &c->certs[i];
				match_skid = has1;
			} else if (!has0 && has1 && cert_has_id(c->certs[i].x509, &a1))
				p = &c->certs[i];
		}
		if (!p)
			return 0; /* the top of what the message carries */
		if (match_skid && !octets_same(X509_get0_subject_key_id(p->x509), a1.skid))
			return refuse(c, idx, -EKEYREJECTED,
				      "the certificate chain has an authority key id mismatch", NULL);
		if (p->seen)
			return 0;
		r = verify_cert(x->x509, p->x509);
		if (r < 0)
			return refuse(c, idx, r,
				      "a certificate in the chain does not verify against its issuer",
				      NULL);
		x->signer = p;
		if (x == p)
			return 0;
		x = p;
	}
}

/* pkcs7_verify_one(). */
static int verify_one(struct ctx *c, unsigned idx, struct ksinfo *s)
{
	struct kid id;
	int r;

	r = digest_sinfo(c, idx, s);
	if (r < 0 || c->v->error)
		return r;
	/* pkcs7_find_key(): by issuer + serial only (x509->id), so a subject key id never finds one. */
	r = sinfo_kid(s, &id);
	if (r < 0)
		return refuse(c, idx, r, "the signer identifier is malformed", NULL);
	for (int i = 0; i < c->n_certs && !s->signer; i++)
		if (id.issuer && cert_has_id(c->certs[i].x509, &id))
			s->signer = &c->certs[i];
	if (!s->signer)
		return 0;

	/* The signed signing time against the signer's validity; the clock is not consulted. */
	if (s->signing_time &&
	    (ASN1_TIME_compare(s->signing_time, X509_get0_notBefore(s->signer->x509)) < 0 ||
	     ASN1_TIME_compare(s->signing_time, X509_get0_notAfter(s->signer->x509)) > 0))
		return refuse(c, idx, -EKEYREJECTED,
			      "signed outside the validity of the signer's certificate (its signing time is signed)",
			      "sign with a certificate valid now, or with -noattr (no signing time)");

	r = verify_digest(X509_get0_pubkey(s->signer->x509), s->ecdsa, s->md, s->digest,
			  s->digest_len, sinfo_sig(s));
	if (r < 0)
		return refuse(c, idx, r,
			      r == -EKEYREJECTED ? "the signature does not match (wrong data or tampered)"
						 : "the signer's key cannot make this signature",
			      NULL);
	return verify_chain(c, idx, s);
}

/* pkcs7_validate_trust_one(). */
static int trust_one(struct ctx *c, unsigned idx, struct ksinfo *s)
{
	struct kcert *x, *last = NULL, *upto; /* upto: the certificate found trusted, or NULL */
	X509 *key = NULL;
	bool verify_sinfo = true; /* sig: sinfo->sig, else last->sig */
	struct kid id;
	int r;

	for (x = s->signer; x; x = x->signer == x ? NULL : x->signer) {
		struct kid i0 = { .issuer = X509_get_issuer_name(x->x509),
				  .serial = X509_get0_serialNumber(x->x509) };
		struct kid i1 = { .skid = X509_get0_subject_key_id(x->x509) };

		if (x->seen)
			return x->verified ? 0 : -ENOKEY;
		x->seen = true;
		r = find_trusted(c, &i0, i1.skid ? &i1 : NULL, &key);
		upto = x;
		if (r == 0)
			goto matched;
		if (x->signer == x)
			return -ENOKEY; /* an unknown self-signed root */
		last = x;
		verify_sinfo = false;
	}
	if (last) {
		struct kid a0, a1;
		bool has0, has1;

		cert_auth_ids(last->x509, &a0, &a1, &has0, &has1);
		if (has0 || has1) {
			r = find_trusted(c, has0 ? &a0 : NULL, has1 ? &a1 : NULL, &key);
			upto = last;
			if (r == 0)
				goto matched;
			if (r != -ENOKEY)
				return refuse(c, idx, r,
					      "the trusted key named by the chain's authority key id differs",
					      NULL);
		}
	}
	/* As a last resort, a trusted key that matches the signer info directly. */
	r = sinfo_kid(s, &id);
	if (r < 0)
		return r;
	r = find_trusted(c, &id, NULL, &key);
	if (r < 0)
		return r;
	upto = NULL;
	verify_sinfo = true;

matched:
	/* verify_signature(key, sig): failure is -EKEYREJECTED. */
	if (verify_sinfo)
		r = verify_digest(X509_get0_pubkey(key), s->ecdsa, s->md, s->digest, s->digest_len,
				  sinfo_sig(s));
	else
		r = verify_cert(last->x509, key);
	if (r < 0)
		return refuse(c, idx, -EKEYREJECTED,
			      verify_sinfo
				      ? "the signature does not verify with the trusted certificate that matches its signer"
				      : "the chain does not verify with the trusted certificate that matches its issuer",
			      NULL);
	/* The chain up to what the keyring vouched for is verified, for the next signers. */
	for (x = upto ? s->signer : NULL; x; x = x->signer == x ? NULL : x->signer) {
		x->verified = true;
		if (x == upto)
			break;
	}
	if (!c->v->trusted_by)
		c->v->trusted_by = key;
	return 0;
}

/* pkcs7_validate_trust(): one signer chain that reaches a trusted key is enough. */
static int validate_trust(struct ctx *c, struct ksinfo *s, int n)
{
	int cached = -ENOKEY;

	for (int i = 0; i < c->n_certs; i++)
		c->certs[i].seen = false;
	for (int i = 0; i < n; i++) {
		int r = trust_one(c, (unsigned)i + 1, &s[i]);

		if (c->v->error)
			return c->v->error;
		if (r == 0)
			cached = 0;
		else if (r == -ENOPKG && cached == -ENOKEY)
			cached = -ENOPKG;
		else if (r != -ENOKEY && r != -ENOPKG)
			return refuse(c, (unsigned)i + 1, r, "the trust check failed", NULL);
	}
	if (cached == -ENOKEY)
		return refuse(c, 0, -ENOKEY,
			      "not signed by a trusted certificate, nor by one that chains to it",
			      "enrol the signer's certificate or its CA in .secondary_trusted_keys or UEFI db");
	return cached;
}

static int judge(struct ctx *c, const void *sig, size_t sig_len, const void *data, size_t data_len)
{
	const unsigned char *p = sig;
	struct ksinfo *s;
	int n, r;

	/*
	 * The kernel's asn1_ber_decoder() takes at most 65535 bytes, DER or BER
	 * (indefinite lengths), and stops at the end of the ContentInfo: bytes
	 * after it are ignored, though they count towards the size.
	 */
	if (sig_len > 65535)
		return refuse(c, 0, -EMSGSIZE,
			      "larger than 65535 bytes, the most the kernel's ASN.1 decoder takes",
			      "sign a smaller policy, or leave the certificate out (-nocerts)");
	if (!ber_element(sig, sig_len, 0))
		return refuse(c, 0, -EBADMSG, "not a DER or BER PKCS#7 message the kernel can decode",
			      "sign with -outform der");
	c->cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig_len);
	if (!c->cms)
		return refuse(c, 0, -EBADMSG, "not a DER or BER PKCS#7 message",
			      "sign with -outform der");
	if (OBJ_obj2nid(CMS_get0_type(c->cms)) != NID_pkcs7_signed)
		return refuse(c, 0, -EINVAL, "not a SignedData (pkcs7_check_content_type)", NULL);
	c->sinfos = CMS_get0_SignerInfos(c->cms);
	n = sk_CMS_SignerInfo_num(c->sinfos);
	if (n < 0)
		n = 0;
	s = calloc((size_t)n + 1, sizeof(*s));
	if (!s)
		return -ENOMEM;

	r = parse_message(c, sig, sig_len, s, n);
	if (r < 0)
		goto out;

	/* verify_pkcs7_message_sig(): detached data for a message that carries its own is refused. */
	if (data) {
		if (c->have_data) {
			r = refuse(c, 0, -EBADMSG,
				   "the signature carries its own content where detached data is expected",
				   "sign without -nodetach");
			goto out;
		}
		c->data = data;
		c->data_len = data_len;
	}

	/* pkcs7_verify(VERIFYING_UNSPECIFIED_SIGNATURE). */
	if (OBJ_obj2nid(CMS_get0_eContentType(c->cms)) != NID_pkcs7_data) {
		r = refuse(c, 0, -EKEYREJECTED, "Authenticode content is not for this use", NULL);
		goto out;
	}
	{
		int actual = -ENOPKG;

		for (int i = 0; i < n; i++) {
			r = verify_one(c, (unsigned)i + 1, &s[i]);
			if (r == -EOPNOTSUPP || r == -ENOMEM)
				goto out;
			if (c->v->error) {
				r = c->v->error;
				goto out;
			}
			actual = 0;
		}
		if (actual < 0) {
			r = refuse(c, 0, actual, "no signature uses crypto the kernel has", NULL);
			goto out;
		}
	}
	if (!c->trusted) {
		r = 0;
		goto out;
	}
	r = validate_trust(c, s, n);
	if (r == 0 && !data && !c->have_data)
		/* The trust passed, then IPE asks for the content: pkcs7_get_content_data() -ENODATA. */
		r = refuse(c, 0, -ENODATA,
			   "the signature is detached, the kernel needs the policy inside it",
			   "sign with -nodetach");
out:
	free(s);
	return r;
}

int pkcs7_kernel_verify(const void *sig, size_t sig_len, const void *data, size_t data_len,
			STACK_OF(X509) *trusted, struct pkcs7_verdict *ret)
{
	struct ctx c = { .trusted = trusted, .v = ret };
	int r;

	*ret = (struct pkcs7_verdict){};
	if (sig_len > PKCS7_VERIFY_MAX || data_len > PKCS7_VERIFY_MAX)
		return -EFBIG;
	r = judge(&c, sig, sig_len, data, data_len);
	if (ret->error == -EKEYREJECTED && c.chunked) {
		ret->why = "the content is in BER chunks (-stream): the kernel digests their encoding, not the content";
		ret->fix = "sign without -stream (DER)";
	} else if (ret->error == -EKEYREJECTED && !data && !c.have_data && c.cms) {
		/* IPE passes no data: a detached signature is checked against nothing. */
		ret->why = "a detached signature with no data given: the kernel checks it against empty content";
		ret->fix = "sign a policy with -nodetach; give a root-hash signature its data";
	}
	if (r == 0 && ret->error == 0 && c.have_data) {
		ret->content = malloc(c.data_len + 1);
		if (!ret->content)
			r = -ENOMEM;
		else {
			if (c.data_len)
				memcpy(ret->content, c.data, c.data_len);
			ret->content[c.data_len] = 0;
			ret->content_len = c.data_len;
		}
	}
	CMS_ContentInfo_free(c.cms);
	sk_X509_pop_free(c.bag, X509_free);
	free(c.certs);
	ERR_clear_error();
	if (r == -ENOMEM || r == -EOPNOTSUPP || r == -EFBIG) {
		pkcs7_verdict_done(ret);
		return r;
	}
	if (ret->error == 0 && r < 0)
		ret->error = r;
	return 0;
}

void pkcs7_verdict_done(struct pkcs7_verdict *v)
{
	free(v->content);
	*v = (struct pkcs7_verdict){};
}
