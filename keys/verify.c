// SPDX-License-Identifier: GPL-2.0-only
/* ipe-keys verify: check a signature against a certificate the way the kernel does. */
#include <getopt.h>
#include <stdio.h>

#include "keys/load.h"
#include "crypto/openssl_util.h"
#include "keys/verbs.h"
#include "keys/x509_profile.h"
#include "lib/escape.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"
#include "crypto/pkcs7.h"

/* The kernel checks none of these; firmware, shim and MOK tooling may. */
static void warn_profile(X509 *cert, const char *path)
{
	unsigned p = cert_profile_problems(cert, time(NULL));

	if (p & CERT_EXPIRED)
		log_warning("%s: the certificate has expired (the kernel ignores validity dates, UEFI and MOK tooling may not)",
			    path);
	if (p & CERT_NOT_YET_VALID)
		log_warning("%s: the certificate is not valid yet (the kernel ignores validity dates)", path);
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

static bool is_attached(const char *sig, size_t len)
{
	_cleanup_free_ unsigned char *content = NULL;
	size_t content_len;

	return pkcs7_content(sig, len, &content, &content_len) >= 0;
}

const struct verb verify_verb = {
	.name = "verify",
	.run = verb_verify,
	.min_operands = 1,
	.max_operands = 1,
	.synopsis = "verify SIG --cert CERT [--data FILE]",
	.help = "Verify a DER PKCS#7 signature against CERT as the kernel does. Exit 1 when it\n"
		"is invalid.\n"
		"\n"
		"  -c, --cert CERT      the signer's certificate\n"
		"  -d, --data FILE      the signed data of a detached signature (exact bytes);\n"
		"                       without it SIG must carry its content\n",
};

int verb_verify(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "cert", required_argument, NULL, 'c' },
		{ "data", required_argument, NULL, 'd' },
		{}
	};
	_cleanup_(X509_freep) X509 *cert = NULL;
	_cleanup_free_ char *sig = NULL, *data = NULL, *desc = NULL, *shown = NULL;
	_cleanup_free_ unsigned char *content = NULL;
	const char *cert_path = NULL, *data_path = NULL, *sig_path;
	size_t sig_len, data_len = 0, content_len = 0;
	bool attached;
	int c, r;

	while ((c = getopt_long(argc, argv, "c:d:", options, NULL)) >= 0) {
		switch (c) {
		case 'c':
			cert_path = optarg;
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
	if (!cert_path)
		return usage_error("verify needs --cert CERT");
	sig_path = argv[optind];

	r = load_cert_logged(cert_path, &cert);
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

	if (!pkcs7_looks_like(sig, sig_len)) {
		log_error("%s: not a DER PKCS#7 SignedData (the kernel takes DER only)", sig_path);
		return EXIT_NEGATIVE;
	}
	/* Attached or detached decides whether --data belongs, as for the kernel's callers. */
	attached = is_attached(sig, sig_len);
	if (!data_path && !attached) {
		log_error("%s: a detached signature: give the signed data with --data FILE", sig_path);
		return EXIT_NEGATIVE;
	}
	if (data_path && attached) {
		log_error("%s: the signature carries its own content (an IPE policy?): verify it without --data",
			  sig_path);
		return EXIT_NEGATIVE;
	}

	warn_profile(cert, cert_path);
	/* @data is the file's bytes (never NULL, even when empty) or NULL without --data. */
	r = pkcs7_verify(sig, sig_len, cert, data, data_len, &content, &content_len);
	switch (r) {
	case 0:
		break;
	case -ENOKEY:
		log_error("%s: INVALID: not signed by %s (no signer with its issuer and serial)", sig_path,
			  cert_path);
		return EXIT_NEGATIVE;
	case -EBADMSG:
		log_error("%s: INVALID: %s", sig_path,
			  data_path ? "the signature does not match the data" : "the signature does not match its content");
		return EXIT_NEGATIVE;
	default:
		return log_error_errno(r, "%s: cannot verify: %m", sig_path);
	}

	r = cert_kernel_description(cert, &desc);
	shown = r >= 0 ? escape_text(desc) : NULL;
	printf("valid: signed by \"%s\"\n", shown ?: cert_path);
	if (!data_path)
		print_first_line(content, content_len);
	return 0;
}
