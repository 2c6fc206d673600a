// SPDX-License-Identifier: GPL-2.0-only
/* Root-hash text and signature encodings for sign-roothash. */
#include <ctype.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "lib/hexdecoct.h"
#include "lib/macro.h"
#include "policy/policy.h"
#include "policygen/sig_util.h"

int sig_root_hash_normalize(char *hex)
{
	size_t len = strlen(hex);

	if (len > 0 && hex[len - 1] == '\n') {
		hex[--len] = 0;
		if (len > 0 && hex[len - 1] == '\r')
			hex[--len] = 0;
	}
	if (len == 0 || len % 2)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (unhexchar(hex[i]) < 0)
			return -EINVAL;
		hex[i] = (char)tolower((unsigned char)hex[i]);
	}
	return 0;
}

size_t sig_digest_size(const char *alg)
{
	size_t n = ipe_digest_alg_size(alg);

	if (n > 0)
		return n;
	/* veritysetup also accepts these, which IPE's documentation does not list. */
	if (streq(alg, "sha1"))
		return 20;
	if (streq(alg, "sha224"))
		return 28;
	return 0;
}

const char *sig_guess_alg(size_t hex_len)
{
	switch (hex_len) {
	case 40:
		return "sha1";
	case 56:
		return "sha224";
	case 64:
		return "sha256";
	case 96:
		return "sha384";
	case 128:
		return "sha512";
	default:
		return NULL;
	}
}

int sig_cert_fingerprint(X509 *cert, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	if (X509_digest(cert, EVP_sha256(), md, &n) != 1 || n != 32) {
		ERR_clear_error();
		return -EIO;
	}
	hex_encode_to(md, n, false, out);
	return 0;
}

char *sig_base64(const void *buf, size_t len)
{
	char *out;

	/* EVP_EncodeBlock takes an int length; signatures are far below that. */
	if (len > (64u << 20))
		return NULL;
	out = malloc(4 * DIV_ROUND_UP(len, 3) + 1);
	if (!out)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out, buf, (int)len);
	return out;
}
