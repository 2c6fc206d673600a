// SPDX-License-Identifier: GPL-2.0-only
/* Signature encodings for sign-roothash. */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "lib/hexdecoct.h"
#include "lib/macro.h"
#include "policygen/sig_util.h"

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
