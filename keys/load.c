// SPDX-License-Identifier: GPL-2.0-only
/* Verb-side loading of certificates and keys, with the messages users act on. */
#include "keys/load.h"
#include "crypto/openssl_util.h"
#include "lib/log.h"
#include "lib/verbs.h"
#include "crypto/keyfile.h"

/* The errors certificate and key files share: @what names the object, @kind its format. */
static int log_load_error(int r, const char *path, const char *what, const char *kind)
{
	if (r == -EBADMSG)
		return log_error_errno(r, "%s: not a PEM or DER %s", path, kind);
	if (r == -EFBIG)
		return log_error_errno(r, "%s: too large for a %s", path, what);
	if (r == -EINVAL)
		return log_error_errno(r, "%s: not a regular file", path);
	if (r == -ENOLINK)
		return log_output_error(r, path, "cannot read");
	return log_error_errno(r, "%s: cannot read the %s: %m", path, what);
}

int load_cert_logged(const char *path, X509 **ret)
{
	int r = cert_load(path, ret);

	if (r < 0)
		return log_load_error(r, path, "certificate", "X.509 certificate");
	return 0;
}

int load_key_logged(const char *path, X509 *cert, const char *cert_path, EVP_PKEY **ret)
{
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;
	int r;

	r = key_load_private(path, &key);
	if (r == -EACCES)
		return log_error_errno(r, "%s: private key is readable by group or others, refusing it (chmod 600)",
				       path);
	if (r == -EPERM)
		return log_error_errno(r, "%s: owned by another user, or in a directory others can write: refusing a key someone else could have chosen (owner must be you or root; chmod go-w the directory)",
				       path);
	if (r == -EOPNOTSUPP)
		return log_error_errno(r, "%s: encrypted private keys are not supported", path);
	if (r < 0)
		return log_load_error(r, path, "private key", "private key");
	if (cert && key_matches_cert(key, cert) < 0)
		return log_error_errno(-EKEYREJECTED, "%s: key does not match the certificate %s",
				       path, cert_path);
	*ret = TAKE_PTR(key);
	return 0;
}
