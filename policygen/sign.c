// SPDX-License-Identifier: GPL-2.0-only
/*
 * sign: an IPE policy in the form securityfs new_policy/update accept, an
 * attached DER PKCS#7 SignedData whose content is the policy text byte for
 * byte (the kernel parses the embedded content, set_pkcs7_data()).
 */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>

#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/macro.h"
#include "lib/verbs.h"
#include "policy/pkcs7.h"
#include "policy/policy.h"
#include "policygen/sig_util.h"
#include "policygen/verbs.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(EVP_PKEY *, EVP_PKEY_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(X509 *, X509_free);

static void help(void)
{
	printf("Usage: %s sign --key KEY --cert CERT [--nocerts] [-o OUT.p7b] POLICY\n\n"
	       "Check an IPE policy and sign it for securityfs (attached DER PKCS#7).\n\n"
	       "  --key KEY            private key, PEM or DER, mode 0600\n"
	       "  --cert CERT          its X.509 certificate, PEM or DER\n"
	       "  --nocerts            do not embed the certificate\n"
	       "  -o, --output FILE    default: NAME.p7b beside POLICY, NAME being its policy_name\n",
	       log_program());
}

static void print_diags(const char *path, const struct ipe_check_result *res)
{
	for (size_t i = 0; i < res->n_diags; i++) {
		const struct ipe_diag *d = &res->diags[i];
		char where[32] = "";

		if (d->line > 0) /* line 0: the whole file */
			snprintf(where, sizeof(where), "%u:", d->line);
		if (d->severity == IPE_SEVERITY_ERROR)
			log_error("%s:%s %s", path, where, d->message);
		else
			log_warning("%s:%s %s", path, where, d->message);
	}
	if (res->n_suppressed)
		log_warning("%s: %zu more diagnostics not shown", path, res->n_suppressed);
}

/* systemd loads /etc/ipe/NAME.p7b: by default the output is named after the policy. */
static int default_output(const char *policy_path, const char *name, char **ret)
{
	_cleanup_free_ char *copy = NULL;
	const char *dir = ".";

	if (!streq(policy_path, "-")) {
		copy = strdup(policy_path);
		if (!copy)
			return -ENOMEM;
		dir = dirname(copy);
	}
	if (asprintf(ret, "%s/%s.p7b", dir, name) < 0)
		return -ENOMEM;
	return 0;
}

int verb_sign(int argc, char *argv[])
{
	enum { ARG_KEY = 0x100, ARG_CERT, ARG_NOCERTS };
	static const struct option options[] = {
		{ "key", required_argument, NULL, ARG_KEY },
		{ "cert", required_argument, NULL, ARG_CERT },
		{ "nocerts", no_argument, NULL, ARG_NOCERTS },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	_cleanup_(ipe_check_result_done) struct ipe_check_result res = {};
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;
	_cleanup_(X509_freep) X509 *cert = NULL;
	_cleanup_free_ char *text = NULL, *out_default = NULL;
	_cleanup_free_ unsigned char *der = NULL, *content = NULL;
	const char *key_path = NULL, *cert_path = NULL, *output = NULL, *policy_path, *failed;
	size_t len, der_len, content_len;
	bool nocerts = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "o:h", options, NULL)) >= 0) {
		switch (c) {
		case ARG_KEY:
			key_path = optarg;
			break;
		case ARG_CERT:
			cert_path = optarg;
			break;
		case ARG_NOCERTS:
			nocerts = true;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			help();
			return 0;
		default:
			return -EINVAL;
		}
	}
	if (!key_path || !cert_path)
		return usage_error("sign needs --key and --cert");
	if (optind + 1 != argc)
		return usage_error("sign takes exactly one POLICY file");
	policy_path = argv[optind];

	r = read_full_file(policy_path, READ_FULL_MAX, &text, &len);
	if (r < 0)
		return log_error_errno(r, "%s: %m", policy_path);
	if (pkcs7_looks_like(text, len)) {
		log_error("%s: already a signed policy (PKCS#7); sign the policy text", policy_path);
		return EXIT_NEGATIVE;
	}

	/* Only what the kernel will load gets signed. */
	r = ipe_policy_check(text, len, &res);
	if (r < 0)
		return log_error_errno(r, "%s: %m", policy_path);
	print_diags(policy_path, &res);
	if (res.kernel_errno != 0) {
		log_error("%s: the kernel would refuse this policy (%zu error%s), not signing",
			  policy_path, res.n_errors, res.n_errors == 1 ? "" : "s");
		return EXIT_NEGATIVE;
	}

	if (!output) {
		r = default_output(policy_path, res.name, &out_default);
		if (r < 0)
			return log_error_errno(r, "%m");
		output = out_default;
	} else if (streq(output, "-") && isatty(STDOUT_FILENO))
		return usage_error("not writing a binary signature to a terminal: give -o FILE");

	r = sig_load_signer(key_path, cert_path, &key, &cert, &failed);
	if (r == -EKEYREJECTED)
		return log_error_errno(r, "%s does not match the certificate %s", key_path, cert_path);
	if (r < 0) {
		const char *why = sig_load_strerror(r, failed == key_path);

		return why ? log_error_errno(r, "%s: %s", failed, why) : log_error_errno(r, "%s: %m", failed);
	}

	r = pkcs7_sign(key, cert, text, len, true, !nocerts, &der, &der_len);
	if (r < 0)
		return log_error_errno(r, "signing with %s failed: %m", key_path);
	r = pkcs7_verify(der, der_len, cert, NULL, 0, &content, &content_len);
	if (r < 0)
		return log_error_errno(r, "the new signature does not verify against %s: %m", cert_path);
	if (content_len != len || memcmp(content, text, len) != 0)
		return log_error_errno(-EIO, "the signed content differs from %s", policy_path);

	r = write_file_atomic(output, der, der_len, 0644, 0);
	if (r < 0)
		return log_error_errno(r, "%s: %m", output);
	return 0;
}
