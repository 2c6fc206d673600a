// SPDX-License-Identifier: GPL-2.0-only
/* EFI_SIGNATURE_LIST and EFI_VARIABLE_AUTHENTICATION_2 encoding. */
#include <ctype.h>
#include <stdio.h>

#include <openssl/err.h>

#include "keys/efi_siglist.h"
#include "crypto/openssl_util.h"
#include "lib/hexdecoct.h"
#include "lib/macro.h"

#define GUID(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)                                             \
	{                                                                                         \
		{                                                                                 \
			(a) & 0xff, ((a) >> 8) & 0xff, ((a) >> 16) & 0xff, ((a) >> 24) & 0xff,    \
				(b)&0xff, ((b) >> 8) & 0xff, (c)&0xff, ((c) >> 8) & 0xff, d0, d1, \
				d2, d3, d4, d5, d6, d7,                                           \
		}                                                                                 \
	}

const efi_guid EFI_IMAGE_SECURITY_DATABASE_GUID = GUID(0xd719b2cb, 0x3d3a, 0x4596, 0xa3, 0xbc, 0xda,
						       0xd0, 0x0e, 0x67, 0x65, 0x6f);
const efi_guid EFI_CERT_X509_GUID = GUID(0xa5c059a1, 0x94e4, 0x4aa7, 0x87, 0xb5, 0xab, 0x15, 0x5c,
					 0x2b, 0xf0, 0x72);
const efi_guid EFI_CERT_TYPE_PKCS7_GUID = GUID(0x4aafd29d, 0x68df, 0x49ee, 0x8a, 0xa9, 0x34, 0x7d,
					       0x37, 0x56, 0x65, 0xa7);
const efi_guid IPE_TOOLS_OWNER_GUID = GUID(0xaa6fe64e, 0x298c, 0x41a9, 0x8d, 0x4f, 0x11, 0xf3, 0x26,
					   0x95, 0x2b, 0x7b);

#define WIN_CERT_TYPE_EFI_GUID 0x0EF1
#define WIN_CERT_REVISION 0x0200
/* WIN_CERTIFICATE_UEFI_GUID up to CertData: dwLength, wRevision, wCertificateType, CertType. */
#define WIN_CERT_UEFI_GUID_HDR (4 + 2 + 2 + 16)
/* EFI_SIGNATURE_LIST header: SignatureType, ListSize, HeaderSize, SignatureSize. */
#define EFI_SIGLIST_HDR (16 + 4 + 4 + 4)

static void put_le16(unsigned char *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (v >> (8 * i)) & 0xff;
}

/* Byte positions of the 32 hex digits in the text form, in on-disk order. */
static const uint8_t guid_text_pos[16] = { 6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34 };

int efi_guid_from_string(const char *s, efi_guid *ret)
{
	efi_guid g;

	if (strlen(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
		return -EINVAL;
	for (int i = 0; i < 16; i++) {
		int hi = unhexchar(s[guid_text_pos[i]]), lo = unhexchar(s[guid_text_pos[i] + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		g.b[i] = (uint8_t)(hi << 4 | lo);
	}
	*ret = g;
	return 0;
}

void efi_guid_to_string(const efi_guid *g, char out[static 37])
{
	memset(out, '-', 36);
	out[36] = 0;
	for (int i = 0; i < 16; i++) {
		char hex[3];

		hex_encode_to(&g->b[i], 1, false, hex);
		out[guid_text_pos[i]] = hex[0];
		out[guid_text_pos[i] + 1] = hex[1];
	}
}

/* Days of month @mo (1-12) of year @y, in the Gregorian calendar EFI_TIME counts in. */
static unsigned days_in_month(unsigned y, unsigned mo)
{
	static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return days[mo - 1] + (mo == 2 && leap);
}

int efi_time_parse(const char *s, struct efi_time *ret)
{
	static const char layout[] = "0000-00-00 00:00:00";
	unsigned y, mo, d, h, mi, sec;

	/* exactly the layout: sscanf's %u alone would take a sign or white space too */
	if (strlen(s) != strlen(layout))
		return -EINVAL;
	for (size_t i = 0; layout[i]; i++)
		if (layout[i] == '0' ? !isdigit((unsigned char)s[i]) : s[i] != layout[i])
			return -EINVAL;
	if (sscanf(s, "%4u-%2u-%2u %2u:%2u:%2u", &y, &mo, &d, &h, &mi, &sec) != 6)
		return -EINVAL;
	if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 59)
		return -EINVAL;
	*ret = (struct efi_time){
		.year = (uint16_t)y,
		.month = (uint8_t)mo,
		.day = (uint8_t)d,
		.hour = (uint8_t)h,
		.minute = (uint8_t)mi,
		.second = (uint8_t)sec,
	};
	return 0;
}

void efi_time_from_unix(time_t t, struct efi_time *ret)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	*ret = (struct efi_time){
		.year = (uint16_t)(tm.tm_year + 1900),
		.month = (uint8_t)(tm.tm_mon + 1),
		.day = (uint8_t)tm.tm_mday,
		.hour = (uint8_t)tm.tm_hour,
		.minute = (uint8_t)tm.tm_min,
		.second = (uint8_t)tm.tm_sec,
	};
}

/* EFI_TIME serialised little-endian, independent of the host's byte order. */
static void efi_time_put(unsigned char p[16], const struct efi_time *ts)
{
	memset(p, 0, 16);
	put_le16(p, ts->year);
	p[2] = ts->month;
	p[3] = ts->day;
	p[4] = ts->hour;
	p[5] = ts->minute;
	p[6] = ts->second;
	put_le32(p + 8, ts->nanosecond);
	put_le16(p + 12, (uint16_t)ts->timezone);
	p[14] = ts->daylight;
}

int efi_siglist_x509(const efi_guid *owner, const void *der, size_t der_len, unsigned char **ret,
		     size_t *ret_len)
{
	size_t sig_size = sizeof(efi_guid) + der_len, list_size = EFI_SIGLIST_HDR + sig_size;
	unsigned char *p;

	if (der_len == 0 || list_size > UINT32_MAX)
		return -EINVAL;
	p = malloc(list_size);
	if (!p)
		return -ENOMEM;
	memcpy(p, EFI_CERT_X509_GUID.b, 16);
	put_le32(p + 16, (uint32_t)list_size);
	put_le32(p + 20, 0); /* SignatureHeaderSize: none for X.509 */
	put_le32(p + 24, (uint32_t)sig_size);
	memcpy(p + EFI_SIGLIST_HDR, owner->b, 16);
	memcpy(p + EFI_SIGLIST_HDR + 16, der, der_len);
	*ret = p;
	*ret_len = list_size;
	return 0;
}

/* The SignedData alone, as EDK2's VerifyTimeBasedPayload() expects it. */
static int sign_payload(EVP_PKEY *key, X509 *cert, const void *buf, size_t len, unsigned char **ret,
			int *ret_len)
{
	const int flags = PKCS7_BINARY | PKCS7_DETACHED | PKCS7_NOATTR;
	_cleanup_(BIO_freep) BIO *in = NULL;
	_cleanup_(PKCS7_freep) PKCS7 *p7 = NULL;
	unsigned char *der = NULL;
	int n;

	in = BIO_new_mem_buf(buf, (int)len);
	if (!in)
		return -ENOMEM;
	p7 = PKCS7_sign(NULL, NULL, NULL, in, flags | PKCS7_PARTIAL);
	if (!p7 || !PKCS7_sign_add_signer(p7, cert, key, EVP_sha256(), flags) ||
	    PKCS7_final(p7, in, flags) != 1)
		return -EIO;
	n = i2d_PKCS7_SIGNED(p7->d.sign, &der);
	if (n <= 0)
		return -EIO;
	*ret = der;
	*ret_len = n;
	return 0;
}

int efi_auth2_build(const char *name, const efi_guid *vendor, uint32_t attributes,
		    const struct efi_time *ts, EVP_PKEY *key, X509 *cert, const void *data,
		    size_t len, unsigned char **ret, size_t *ret_len)
{
	_cleanup_free_ unsigned char *tbs = NULL;
	unsigned char *sig = NULL, *out, *p;
	size_t name_len = strlen(name), tbs_len, out_len;
	int sig_len = 0, r;

	if (name_len == 0 || len > UINT32_MAX || (!key != !cert))
		return -EINVAL;

	if (key) {
		tbs_len = 2 * name_len + 16 + 4 + 16 + len;
		tbs = malloc(tbs_len);
		if (!tbs)
			return -ENOMEM;
		p = tbs;
		for (size_t i = 0; i < name_len; i++) {
			if ((unsigned char)name[i] > 0x7f)
				return -EINVAL; /* variable names here are ASCII */
			*p++ = (unsigned char)name[i];
			*p++ = 0;
		}
		memcpy(p, vendor->b, 16);
		put_le32(p + 16, attributes);
		efi_time_put(p + 20, ts);
		memcpy(p + 36, data, len);

		r = sign_payload(key, cert, tbs, tbs_len, &sig, &sig_len);
		ERR_clear_error();
		if (r < 0)
			return r;
	}

	out_len = 16 + WIN_CERT_UEFI_GUID_HDR + (size_t)sig_len + len;
	out = malloc(out_len);
	if (!out) {
		OPENSSL_free(sig);
		return -ENOMEM;
	}
	efi_time_put(out, ts);
	put_le32(out + 16, (uint32_t)(WIN_CERT_UEFI_GUID_HDR + sig_len));
	put_le16(out + 20, WIN_CERT_REVISION);
	put_le16(out + 22, WIN_CERT_TYPE_EFI_GUID);
	memcpy(out + 24, EFI_CERT_TYPE_PKCS7_GUID.b, 16);
	if (sig_len)
		memcpy(out + 40, sig, (size_t)sig_len);
	memcpy(out + 40 + sig_len, data, len);
	OPENSSL_free(sig);
	*ret = out;
	*ret_len = out_len;
	return 0;
}

int efi_varfs_payload(uint32_t attributes, const void *data, size_t len, unsigned char **ret,
		      size_t *ret_len)
{
	unsigned char *out = malloc(4 + len);

	if (!out)
		return -ENOMEM;
	put_le32(out, attributes);
	memcpy(out + 4, data, len);
	*ret = out;
	*ret_len = 4 + len;
	return 0;
}
