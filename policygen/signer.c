// SPDX-License-Identifier: GPL-2.0-only
/* The signing key of sign and sign-roothash: options, loading and signing, with their messages. */
#include <getopt.h>

#include "lib/log.h"
#include "lib/macro.h"
#include "lib/verbs.h"
#include "crypto/keyfile.h"
#include "crypto/openssl_util.h"
#include "crypto/pkcs7.h"
#include "crypto/pkcs7_verify.h"
#include "lib/errno_name.h"
#include "policygen/signer.h"

void signer_done(struct signer *s)
{
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	s->key = NULL;
	s->cert = NULL;
}

int signer_parse_option(int c, const char *arg, struct signer *s)
{
	switch (c) {
	case SIGNER_OPT_KEY:
		s->key_path = arg;
		return 1;
	case SIGNER_OPT_CERT:
		s->cert_path = arg;
		return 1;
	case SIGNER_OPT_NOCERTS:
		s->nocerts = true;
		return 1;
	default:
		return 0;
	}
}

int signer_check_usage(const struct signer *s, const char *verb)
{
	if (!s->key_path || !s->cert_path)
		return usage_error("%s needs --key and --cert", verb);
	return 0;
}

/*
 * Load the certificate, then the key, and check that they belong together.
 * Return: 0, or -errno with *ret_failed the path the error is about;
 * -EKEYREJECTED when the key is not the certificate's private half.
 */
static int load_pair(const char *key_path, const char *cert_path, EVP_PKEY **ret_key,
		     X509 **ret_cert, const char **ret_failed)
{
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;
	_cleanup_(X509_freep) X509 *cert = NULL;
	int r;

	*ret_failed = cert_path;
	r = cert_load(cert_path, &cert);
	if (r < 0)
		return r;
	*ret_failed = key_path;
	r = key_load_private(key_path, &key);
	if (r < 0)
		return r;
	r = key_matches_cert(key, cert);
	if (r < 0)
		return r;
	*ret_key = TAKE_PTR(key);
	*ret_cert = TAKE_PTR(cert);
	return 0;
}

/* A short reason for a load_pair() error, to follow the file name. */
static const char *load_strerror(int error, bool about_key)
{
	switch (-error) {
	case EACCES:
		return about_key ? "private key is readable or writable by group or others "
				   "(chmod 600 it)"
				 : "permission denied";
	case EBADMSG:
		return about_key ? "not a PEM or DER private key"
				 : "not a PEM or DER X.509 certificate";
	case EOPNOTSUPP:
		return "encrypted private keys are not supported";
	case EPERM:
		return "owned by another user, or in a directory others can write: refusing "
		       "a key someone else could have chosen (owner must be you or root; chmod go-w the directory)";
	case EINVAL:
		return "not a regular file";
	case ENOLINK:
		return "a symbolic link owned by another user in a sticky world-writable "
		       "directory; not following it (name its target)";
	case EFBIG:
		return "file too large";
	default:
		return NULL;
	}
}

int signer_load(struct signer *s)
{
	const char *failed, *why;
	int r;

	r = load_pair(s->key_path, s->cert_path, &s->key, &s->cert, &failed);
	if (r == -EKEYREJECTED)
		return log_error_errno(r, "%s does not match the certificate %s", s->key_path,
				       s->cert_path);
	if (r < 0) {
		why = load_strerror(r, failed == s->key_path);
		return why ? log_error_errno(r, "%s: %s", failed, why)
			   : log_error_errno(r, "%s: %m", failed);
	}
	return 0;
}

int signer_sign(const struct signer *s, const void *data, size_t len, bool attached,
		const char *what, unsigned char **ret_der, size_t *ret_len)
{
	_cleanup_(sk_X509_freep) STACK_OF(X509) *trusted = sk_X509_new_null();
	_cleanup_(pkcs7_verdict_done) struct pkcs7_verdict v = {};
	_cleanup_free_ unsigned char *der = NULL;
	size_t der_len;
	int r;

	if (!trusted || !sk_X509_push(trusted, s->cert))
		return log_error_errno(-ENOMEM, "%m");
	r = pkcs7_sign(s->key, s->cert, data, len, attached, !s->nocerts, &der, &der_len);
	if (r < 0)
		return log_error_errno(r, "signing with %s failed: %m", s->key_path);
	/* Judged as the kernel will judge it, with the certificate as its keyring. */
	r = pkcs7_kernel_verify(der, der_len, attached ? NULL : data, len, trusted, &v);
	if (r < 0)
		return log_error_errno(r, "verifying the new signature: %m");
	if (v.error) {
		log_error("the kernel would refuse the signature of %s (%s): %s", what,
			  errno_name(v.error) ?: "?", v.why);
		return EXIT_NEGATIVE;
	}
	if (attached && (v.content_len != len || memcmp(v.content, data, len) != 0))
		return log_error_errno(-EIO, "the signed content differs from %s", what);
	*ret_der = TAKE_PTR(der);
	*ret_len = der_len;
	return 0;
}
