// SPDX-License-Identifier: GPL-2.0-only
/* ipe-keys verify: check a signature against a certificate the way the kernel does. */
#include <getopt.h>
#include <stdio.h>

#include "keys/load.h"
#include "crypto/openssl_util.h"
#include "keys/verbs.h"
#include "keys/x509_profile.h"
#include "lib/escape.h"
#include "lib/errno_name.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"
#include "crypto/pkcs7.h"
#include "crypto/pkcs7_verify.h"

/*
 * The kernel never reads the clock: an expired certificate still verifies,
 * unless a signing time is signed, which must fall inside the validity of a
 * signer certificate carried in the message (pkcs7_verify_one()). Key usage
 * and extended key usage are not checked by the kernel; firmware, shim and
 * MOK tooling may check all of these.
 */
static void warn_profile(X509 *cert, const char *path)
{
	unsigned p = cert_profile_problems(cert, time(NULL));

	if (p & CERT_EXPIRED)
		log_warning("%s: the certificate has expired (the kernel ignores the clock, UEFI and MOK tooling may not)",
			    path);
	if (p & CERT_NOT_YET_VALID)
		log_warning("%s: the certificate is not valid yet (the kernel ignores the clock, UEFI and MOK tooling may not)",
			    path);
	if (p & CERT_NO_DIGITALSIG)
		log_warning("%s: keyUsage lacks digitalSignature (the kernel ignores it, other verifiers may refuse the signature)",
			    path);
	if (p & CERT_NO_CODESIGN)
		log_warning("%s: extendedKeyUsage lacks codeSigning (the kernel ignores it, other verifiers may refuse the signature)",
			    path);
}

/* The first line of the signed content, for showing which policy this is. */
static void print_first_line(const unsigned char *content, size_t len)
{
	size_t n = 0;

	while (n < len && content[n] != '\n' && content[n] != '\r' && content[n] != 0)
		n++;
	_cleanup_free_ char *e = escape_text_prefix((const char *)content, n, 200);

	printf("content: %s\n", e ?: "?");
}

static bool has_content(const char *sig, size_t len)
{
	_cleanup_free_ unsigned char *content = NULL;
	size_t content_len;

	return pkcs7_content(sig, len, &content, &content_len) >= 0;
}

static int load_trusted(char **paths, size_t n, STACK_OF(X509) **ret)
{
	_cleanup_(sk_X509_free_allp) STACK_OF(X509) *certs = sk_X509_new_null();
	int r;

	if (!certs)
		return log_error_errno(-ENOMEM, "%m");
	for (size_t i = 0; i < n; i++) {
		X509 *cert = NULL;

		r = load_cert_logged(paths[i], &cert);
		if (r < 0)
			return r;
		if (!sk_X509_push(certs, cert)) {
			X509_free(cert);
			return log_error_errno(-ENOMEM, "%m");
		}
		warn_profile(cert, paths[i]);
	}
	*ret = TAKE_PTR(certs);
	return 0;
}

const struct verb verify_verb = {
	.name = "verify",
	.run = verb_verify,
	.min_operands = 1,
	.max_operands = 1,
	.synopsis = "verify SIG --cert CERT... [--data FILE]",
	.help = "Verify a DER PKCS#7 signature against CERT as the kernel does. Exit 1 when it\n"
		"is invalid.\n"
		"\n"
		"  -c, --cert CERT      a certificate the kernel trusts: the signer's own, or a CA\n"
		"                       it chains to (repeatable; all given form one keyring)\n"
		"  -d, --data FILE      the signed data of a detached signature (exact bytes);\n"
		"                       without it SIG must carry its content\n",
};

int verb_verify(int argc, char *argv[])
{
	static const struct option options[] = { { "cert", required_argument, NULL, 'c' },
						 { "data", required_argument, NULL, 'd' },
						 {} };
	_cleanup_(sk_X509_free_allp) STACK_OF(X509) *trusted = NULL;
	_cleanup_free_ char *sig = NULL, *data = NULL, *desc = NULL, *shown = NULL;
	_cleanup_free_ char **cert_paths = NULL;
	_cleanup_(pkcs7_verdict_done) struct pkcs7_verdict v = {};
	const char *data_path = NULL, *sig_path;
	size_t sig_len, data_len = 0, n_certs = 0;
	int c, r;

	cert_paths = calloc((size_t)argc + 1, sizeof(char *));
	if (!cert_paths)
		return log_error_errno(-ENOMEM, "%m");
	while ((c = getopt_long(argc, argv, "c:d:", options, NULL)) >= 0) {
		switch (c) {
		case 'c':
			cert_paths[n_certs++] = optarg;
			break;
		case 'd':
			data_path = optarg;
			break;
		default:
			return -EINVAL;
		}
	}
	r = verb_operands(argc - optind);
	if (r < 0)
		return r;
	if (n_certs == 0)
		return usage_error("verify needs --cert CERT (a certificate the kernel trusts)");
	sig_path = argv[optind];

	r = load_trusted(cert_paths, n_certs, &trusted);
	if (r < 0)
		return r;
	r = read_full_file(sig_path, READ_FULL_MAX, &sig, &sig_len);
	if (r < 0)
		return log_error_errno(r, "%s: cannot read the signature: %m", sig_path);
	if (data_path) {
		/* Exactly the bytes of the file: a trailing newline is part of what was signed. */
		r = read_full_file(data_path, READ_FULL_MAX, &data, &data_len);
		if (r < 0)
			return log_error_errno(r, "%s: cannot read the signed data: %m", data_path);
	}

	/* @data is the file's bytes (never NULL, even when empty) or NULL: attached, as IPE passes it. */
	r = pkcs7_kernel_verify(sig, sig_len, data, data_len, trusted, &v);
	if (r < 0)
		return log_error_errno(r, "%s: cannot verify: %m", sig_path);
	if (v.error) {
		if (v.signer)
			log_error("%s: INVALID: signer %u: %s (the kernel returns %s)", sig_path,
				  v.signer, v.why, errno_name(v.error) ?: "an errno");
		else
			log_error("%s: INVALID: %s (the kernel returns %s)", sig_path, v.why,
				  errno_name(v.error) ?: "an errno");
		if (v.fix)
			log_error("%s: to fix: %s", sig_path, v.fix);
		if (!data_path && v.error == -EKEYREJECTED && !has_content(sig, sig_len))
			log_error("%s: a root-hash signature is verified with its data: --data FILE",
				  sig_path);
		return EXIT_NEGATIVE;
	}

	r = cert_kernel_description(v.trusted_by, &desc);
	shown = r >= 0 ? escape_text(desc) : NULL;
	printf("valid: trusted through \"%s\"\n", shown ?: "a given certificate");
	if (!data_path)
		print_first_line(v.content, v.content_len);
	return 0;
}
